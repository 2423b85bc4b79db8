/*
 * tjson.h: the Thrift JSON protocol (TJSONProtocol) for the AuroraAdmin
 * and read-API calls aurora-restore makes (aurora-facts.md, section 5).
 *
 * tj_call() encodes a whole call. Replies are decoded as they arrive:
 * feed the bytes to a tj_decoder; each ScheduledTask of a task list is
 * handed to the callback and forgotten, so memory stays small whatever the
 * number of tasks. Everything else of the reply lands in struct tj_reply,
 * which the caller frees with tj_reply_free(). Malformed, hostile or
 * truncated input is EXIT_DATA, with a message naming what was wrong, and
 * so is an OK reply to listBackups, queryRecovery or getTasksWithoutConfigs
 * without its result. Memory stays proportional to what is kept (the
 * backup names are packed), and decoding is linear in the input, however
 * long one string is.
 */
#ifndef TJSON_H
#define TJSON_H

#include <stddef.h>
#include <stdint.h>
#include "buf.h"
#include "err.h"

/* TaskQuery (fields 14 role, 9 environment, 2 jobName, 4 taskIds,
 * 5 statuses); NULL / 0 members are left out. */
struct tj_query {
	const char *role;
	const char *environment;
	const char *job;
	char *const *task_ids;
	size_t ntask_ids;
	const int *statuses;
	size_t nstatuses;
};

/*
 * Encode a CALL of method with seqid into out. Methods: performBackup,
 * listBackups, commitRecovery, unloadRecovery (no argument);
 * stageRecovery (arg = backup id, a string); queryRecovery,
 * deleteRecoveryTasks, getTasksWithoutConfigs (query).
 */
void tj_call(struct buf *out, const char *method, int32_t seqid,
    const char *arg, const struct tj_query *query);

/* ScheduleStatus names: "RUNNING" <-> 2; NULL / -1 when unknown. */
const char *tj_status_name(int status);
int tj_status_parse(const char *name);
/* The active states aurora_admin queries by default. */
extern const int tj_active_states[];
extern const size_t tj_nactive_states;

struct tj_task {
	const char *task_id;
	const char *slave_host;
	const char *role;
	const char *environment;
	const char *job;
	int instance_id;
	int status;
};

/* Called once per task; a non-zero return stops decoding with that
 * error already in e. Pointers are valid only during the call. */
typedef int (*tj_task_fn)(void *ctx, const struct tj_task *t, struct err *e);

enum { TJ_REPLY = 2, TJ_EXCEPTION = 3 };

struct tj_reply {
	int type;		/* TJ_REPLY or TJ_EXCEPTION */
	char *method;
	int32_t seqid;
	/* REPLY: the Response in result field 0 */
	int code;		/* responseCode: OK 1, ERROR 2, ... ERROR_TRANSIENT 6 */
	char **details;		/* details[].message */
	size_t ndetails;
	char *cluster_name;	/* serverInfo.clusterName, or NULL */
	char *backups;		/* listBackupsResult.backups: nbackups names,
				 * each ended by a NUL, one after the other */
	size_t nbackups;
	size_t ntasks;		/* tasks handed to the callback */
	/* EXCEPTION: TApplicationException */
	char *exc_message;
	int exc_type;
};

struct tj_decoder;

/* max_bytes: the most input accepted (--max-reply); 0: no limit. */
struct tj_decoder *tj_decoder_new(tj_task_fn fn, void *ctx, size_t max_bytes);
int tj_decoder_feed(struct tj_decoder *d, const char *data, size_t len,
    struct err *e);
/* After the last byte: the reply, or EXIT_DATA for a truncated one. */
int tj_decoder_finish(struct tj_decoder *d, struct tj_reply *r,
    struct err *e);
void tj_decoder_free(struct tj_decoder *d);
void tj_reply_free(struct tj_reply *r);

/* "OK", "ERROR_TRANSIENT", ... */
const char *tj_code_name(int code);

#endif
