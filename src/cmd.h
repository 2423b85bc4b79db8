/*
 * cmd.h: the command table. Each command lives in its own cmd-*.c as one
 * const struct cmd_entry. exec returns the exit status (0, or 2 for
 * drift/changes) or -1 with e filled; it reports through ctx->res and
 * never prints.
 */
#ifndef CMD_H
#define CMD_H

#include <stdio.h>
#include "err.h"
#include "options.h"
#include "output.h"
#include "settings.h"

struct cmd_ctx {
	struct settings *set;
	int argc;		/* arguments after the command's name */
	char **argv;
	struct result *res;
};

/* A command: its name, positional arguments ("[PROFILE]", shown as they
 * are, counted by min_args and max_args; real_args: they are files on
 * this machine, not under --root, named as typed in messages), one line saying what it does,
 * one example (the words after "aurora-restore "), and the options it
 * takes: its own table, then shared groups (options.h), NULL-ended. The
 * parser accepts these and the global ones, nothing else; help prints
 * them. exec NULL: help, which main runs before reading any file. */
struct cmd_entry {
	const char *name;
	const char *args;
	int min_args, max_args;
	int real_args;
	const char *summary;
	const char *example;
	const struct opt *const options[6];
	int (*exec)(struct cmd_ctx *ctx, struct err *e);
};

/* The table of commands, NULL-ended, and the global options
 * (aurora-restore.c); help (cmd-help.c) prints them. */
extern const struct cmd_entry *const cmd_table[];
extern const struct opt global_options[];
/* The global usage: every command with its summary, the global options;
 * a command's: its usage, options and example. */
void help_global(FILE *out);
void help_command(FILE *out, const struct cmd_entry *c);
extern const struct cmd_entry cmd_help_entry;

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
