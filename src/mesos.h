/*
 * mesos.h: what a Mesos master runs, over its HTTP API (aurora-facts.md,
 * section 8b): GET /master/tasks?framework_id=ID&limit=N&offset=K, paged,
 * and GET /master/state for the frameworks. Replies are decoded as they
 * arrive (yajl): each task is handed to a callback and forgotten, so
 * memory does not grow with the reply. A non-leading master's 307 is
 * followed to the leader, a few times at most, whatever host it names
 * (the leader may be anywhere; ~/.netrc is looked up for each host), but
 * never from https down to plain http. HTTP Basic from ~/.netrc.
 * A zk:// master address is resolved through zk.h (json.info_ nodes, the
 * lowest sequence leads). Errors name the master's URL or the ZooKeeper
 * ensemble: EXIT_FAIL when it cannot be read in time, EXIT_DATA for a
 * malformed reply. Everything returned belongs to the caller.
 */
#ifndef MESOS_H
#define MESOS_H

#include <stddef.h>
#include "err.h"

/* One task of a reply; pointers valid only during the callback. Members
 * other than id and state may be NULL. */
struct mesos_task {
	const char *id;
	const char *name;	/* Aurora's: role/env/job */
	const char *framework_id;
	const char *state;	/* "TASK_RUNNING", ... */
};

typedef int (*mesos_task_fn)(void *ctx, const struct mesos_task *t,
    struct err *e);

struct mesos_framework {
	char *id;
	char *name;
	int active;
};

struct mesos_frameworks {
	struct mesos_framework *f;
	size_t n;
};

/* The decoder of a /master/tasks or /master/state reply: tasks of
 * "tasks" at the top or of frameworks[].tasks go to fn (completed and
 * unreachable tasks are not handed); frameworks[] are collected.
 * max_bytes: the most input accepted (--max-reply), 0 for no limit. */
struct mesos_decoder;
struct mesos_decoder *mesos_decoder_new(mesos_task_fn fn, void *ctx,
    size_t max_bytes);
int mesos_decoder_feed(struct mesos_decoder *d, const char *data, size_t len,
    struct err *e);
/* After the last byte: the frameworks (may be NULL) and how many tasks
 * the reply held, or EXIT_DATA for a truncated reply. */
int mesos_decoder_finish(struct mesos_decoder *d, struct mesos_frameworks *fw,
    size_t *ntasks, struct err *e);
void mesos_decoder_free(struct mesos_decoder *d);
void mesos_frameworks_free(struct mesos_frameworks *fw);

struct mesos {
	char *url;		/* the master, http://host:port; the leader once a 307 was followed */
	double timeout;		/* seconds, for all of a command's calls together */
	size_t max_reply;	/* bytes a reply; 0: no limit */
	int insecure;
	const char *netrc;	/* the .netrc file, or NULL */
	double deadline;	/* set by mesos_open */
	int redirects;		/* 307s followed */
};

/* address: http(s)://host:port, host:port, or zk://H:P,.../PATH (then
 * ZooKeeper is read: EXIT_FAIL naming the ensemble when it cannot be, or
 * no master is registered under PATH). Fills m->url and the deadline. */
int mesos_open(struct mesos *m, const char *address, struct err *e);
void mesos_close(struct mesos *m);
/* address as it may be printed: user:password@ shown as ***@ (malloc'd). */
char *mesos_shown(const char *address);

/* Every task Mesos holds for framework id, page by page (/master/tasks).
 * Pages overlap and the walk starts over (a few times, then EXIT_FAIL)
 * when the list moved under it, so fn may see a task more than once. */
int mesos_framework_tasks(struct mesos *m, const char *id, mesos_task_fn fn,
    void *ctx, size_t *ntasks, struct err *e);
/* The frameworks of /master/state (their tasks are not kept). */
int mesos_frameworks(struct mesos *m, struct mesos_frameworks *fw,
    struct err *e);

/* TASK_STAGING, TASK_STARTING, TASK_RUNNING: what reconciliation reports. */
int mesos_state_running(const char *state);

#endif
