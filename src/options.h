/*
 * options.h: how the command line is declared. Each option is one struct
 * opt: its name (without "--"), the word for its value (NULL: it takes
 * none), one line of help, and how its value reaches struct settings (a
 * kind and the field's offset). The global options are one table
 * (aurora-restore.c); each command declares its own in its cmd_entry
 * (cmd.h), plus shared groups declared here once. The parser, the help,
 * the bash completion and the man page test all read these tables.
 */
#ifndef OPTIONS_H
#define OPTIONS_H

#include <stddef.h>
#include "err.h"
#include "settings.h"

enum opt_kind {
	OPT_FLAG,	/* int field set to 1 */
	OPT_STR,	/* char * field, a copy of the value */
	OPT_PATH,	/* the same, a path on this machine (not under --root),
			 * named as typed in messages (err_keep_path) */
	OPT_TIME,	/* double field, seconds, Aurora's syntax */
	OPT_TIMEOUT,	/* the same, more than 0 and usable by libcurl */
	OPT_PORT,	/* char * field, a port number */
	OPT_COUNT,	/* long long field, 0 or more */
	OPT_BYTES,	/* long long field, more than 0 */
	OPT_HELP,	/* no field: main prints the help */
	OPT_VERSION,	/* no field: main prints the version */
};

struct opt {
	const char *name;	/* "max-age" */
	const char *arg;	/* "TIME", or NULL for no value; "a|b": a or b */
	const char *help;	/* one line, lowercase, no final period */
	enum opt_kind kind;
	size_t off;		/* offsetof(struct settings, field) */
};

#define OPT_F(name, help, field) \
	{ name, NULL, help, OPT_FLAG, offsetof(struct settings, field) }
#define OPT_S(name, arg, help, field) \
	{ name, arg, help, OPT_STR, offsetof(struct settings, field) }
#define OPT_P(name, arg, help, field) \
	{ name, arg, help, OPT_PATH, offsetof(struct settings, field) }
#define OPT_K(name, arg, help, kind, field) \
	{ name, arg, help, kind, offsetof(struct settings, field) }
#define OPT_END { NULL, NULL, NULL, OPT_FLAG, 0 }

/* Shared groups: the target of the recovery calls (scheduler, max-reply),
 * the network's (timeout, insecure), how the leader is found (leader's own
 * options, which every recovery command takes), the task filters (tasks,
 * delete-tasks) and the Mesos side of the impact (stage, commit, impact,
 * log-recover). */
extern const struct opt opts_scheduler[];
extern const struct opt opts_net[];
extern const struct opt opts_find_leader[];
extern const struct opt opts_task_filters[];
extern const struct opt opts_mesos[];
/* Every recovery command's: scheduler, net and find_leader. */
#define OPTS_RECOVERY opts_scheduler, opts_net, opts_find_leader

/* The option called name in a NULL-terminated list of tables, or NULL. */
const struct opt *opt_find(const struct opt *const *tables, const char *name,
    size_t len);
/* Set o's field in s from value (NULL for a flag; else one of argv's
 * strings); EXIT_USAGE naming the option when the value is not one of its
 * kind. */
int opt_set(const struct opt *o, const char *value, struct settings *s,
    struct err *e);

#endif
