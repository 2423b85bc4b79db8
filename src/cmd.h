/*
 * cmd.h: the command table. Each command lives in its own cmd-*.c as one
 * const struct cmd_entry. exec returns the exit status (0, or 2 for
 * drift/changes) or -1 with e filled; it reports through ctx->res and
 * never prints.
 */
#ifndef CMD_H
#define CMD_H

#include "err.h"
#include "output.h"
#include "replica.h"
#include "settings.h"

struct cmd_ctx {
	struct settings *set;
	int argc;		/* arguments after the command's name */
	char **argv;
	struct result *res;
};

struct cmd_entry {
	const char *name;
	const char *usage;	/* "apply [PROFILE]" */
	int min_args, max_args;
	const char *options;	/* command options allowed, e.g. "force,live" */
	int (*exec)(struct cmd_ctx *ctx, struct err *e);
};

/* The log commands' view of this host's replicated log (cmd-log-status.c):
 * the folder (PATH, else the host's effective -native_log_file_path),
 * its classification, the scheduler's user, and what uses it (LOCK held,
 * a scheduler process, the unit not stopped). Owns everything in it. */
struct log_host {
	char *path;		/* as the operator names it */
	char *real;		/* the same under --root */
	char *user;		/* --user, else the unit's User=, else aurora */
	const char *user_from;
	json_t *in_use;		/* what uses it, one string each */
	struct replica rep;
};
int log_host_load(struct settings *set, const char *path, struct log_host *lh,
    struct err *e);
void log_host_free(struct log_host *lh);
/* EXIT_REFUSED when nothing may replace the folder: it is in use, not a
 * replicated log (foreign), or a symbolic link. */
int log_host_refuse(const struct log_host *lh, struct err *e);
/* The log changes of this restore, in the journal's "log" list: the
 * record with this action whose key is value, or NULL; note one (o is
 * taken, "at" added; without a journal only a warning in r). */
json_t *log_journal_find(json_t *list, const char *action, const char *key,
    const char *value);
int log_journal_note(struct settings *set, int have_journal, json_t *o,
    struct result *r, struct err *e);
/* status: the log-recover run of this restore that succeeded, as the
 * key "recovered" (null when none) and a line. */
void log_recover_report(void *log, struct result *r);
/* A guard --force may lift (why): an error "... (--force to DOING
 * anyway)", or with --force a warning line and 0. */
int log_soft_guard(struct cmd_ctx *ctx, struct err *why, const char *doing,
    struct err *e);
/* A path or message with the real paths under --root named as the
 * operator names them (malloc'd). */
char *log_unroot(const struct settings *set, const char *real);

extern const struct cmd_entry cmd_apply_entry;
extern const struct cmd_entry cmd_revert_entry;
extern const struct cmd_entry cmd_status_entry;
extern const struct cmd_entry cmd_verify_entry;
extern const struct cmd_entry cmd_diff_entry;
extern const struct cmd_entry cmd_leader_entry;
extern const struct cmd_entry cmd_backups_entry;
extern const struct cmd_entry cmd_backup_info_entry;
extern const struct cmd_entry cmd_backup_now_entry;
extern const struct cmd_entry cmd_stage_entry;
extern const struct cmd_entry cmd_tasks_entry;
extern const struct cmd_entry cmd_delete_tasks_entry;
extern const struct cmd_entry cmd_commit_entry;
extern const struct cmd_entry cmd_unload_entry;
extern const struct cmd_entry cmd_log_status_entry;
extern const struct cmd_entry cmd_log_reinit_entry;
extern const struct cmd_entry cmd_log_restore_aside_entry;
extern const struct cmd_entry cmd_impact_entry;

/* stage and commit (cmd-impact.c): the restore's impact on what Mesos
 * runs, of backup file (staged 0: read it) or of the backup staged on
 * rc's scheduler (staged 1; file, when known, only gives the framework
 * id); name is the backup's id or NULL. Adds the summary line to the
 * result and *summary (malloc'd, for the audit); EXIT_REFUSED past
 * --max-kill, or unknown with --max-kill and no --force. */
struct recovery;
int impact_gate(struct cmd_ctx *ctx, struct recovery *rc, const char *file,
    int staged, const char *name, char **summary, struct err *e);
/* The backup named name on this host: --copy, else in -backup_dir
 * (cmd-stage.c; malloc'd, or NULL). */
char *local_backup(struct recovery *rc, const char *name);
/* The backup staged last per this host's audit log, or NULL (malloc'd). */
char *staged_name(const struct settings *set);
extern const struct cmd_entry cmd_log_recover_entry;

#endif
