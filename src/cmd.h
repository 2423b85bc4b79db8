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
extern const struct cmd_entry cmd_log_recover_entry;

#endif
