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
