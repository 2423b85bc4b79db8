/*
 * settings.h: the values of the command line's options (declared in the
 * option tables of aurora-restore.c and the cmd-*.c entries, which name
 * the field each sets), merged over the tool's own configuration file
 * (libconfig, --config, default /etc/aurora-restore.conf under the root,
 * optional). The command line wins. struct settings owns its strings;
 * settings_free() releases them.
 */
#ifndef SETTINGS_H
#define SETTINGS_H

#include "err.h"

struct settings {
	char *root;		/* "/" by default */
	char *proc;		/* "/proc" by default, never under root */
	char *config;
	char *layout;		/* NULL: discover */
	char *flags_file;
	char *clusters_file;
	char *cluster;
	char *reason;
	char *advertised_host;	/* override for ${host} */
	char *home;		/* for ~/.aurora, default $HOME */
	char *aurora_config_root;	/* default $AURORA_CONFIG_ROOT */
	char *systemctl;	/* "systemctl" by default */
	char *unit;		/* "aurora-scheduler.service" */
	char *profile_dirs[8];	/* NULL-terminated */
	char *scheduler;	/* --scheduler URL: the target of recovery calls */
	char *hosts;		/* --hosts H1,H2: schedulers to probe */
	char *zk;		/* --zk HOST:PORT,... */
	char *serverset_path;	/* --serverset-path */
	char *http_port;	/* --http-port */
	double wait;		/* --wait, seconds */
	double timeout;		/* network timeout, seconds */
	double max_age;		/* stage --max-age, seconds (4hrs) */
	long long max_reply;	/* --max-reply, bytes */
	int insecure;
	int yes;
	int all_states;
	char *copy;		/* stage --copy FILE */
	char *role, *env, *job, *status, *task_id;	/* task filters */
	char *mesos_log;	/* log-reinit --mesos-log PATH */
	char *log_user;		/* log-reinit --user NAME (scheduler_user) */
	char *aside;		/* log-reinit --aside DIR */
	int native;		/* log-reinit --native */
	char *mesos;		/* impact --mesos URL */
	char *framework_id;	/* impact --framework-id */
	char *backup;		/* impact --backup FILE */
	long long max_kill;	/* stage, commit --max-kill N; -1: none */
	int all;		/* impact --all */
	char *recovery_tool;	/* log-recover --recovery-tool PATH */
	int json;
	int check;
	int diff;
	int detailed_exitcode;
	int force;
	int live;
	int verbose;
	int live_root;		/* live_root: systemctl manages --root's services */
};

/* Defaults, then the config file (when present), as set in s. */
void settings_init(struct settings *s);
int settings_load_file(struct settings *s, const char *path, int missing_ok,
    struct err *e);
void settings_free(struct settings *s);

/* --root must be an existing directory (else EXIT_USAGE naming it, and
 * nothing is created): its trailing slashes go, a relative one becomes
 * absolute (".", run in /, is /; paths the tool hands to programs it runs
 * elsewhere stay right), and messages name paths under it as host paths
 * from then on (err_show_root). */
int settings_use_root(struct settings *s, struct err *e);

/* Is this binary the one in the build tree? Then the source tree's
 * lenses and profiles are used. */
int run_from_build_tree(void);

/* Is v a port number: digits, 1 to 65535? */
int settings_port_ok(const char *v);

/* Replace *slot with a copy of value. */
void settings_set(char **slot, const char *value);

/*
 * libconfig files (this config and profiles). conf_read_text() reads a
 * regular file (or /dev/null) without NUL bytes ("cannot read WHAT PATH:
 * ..."). Before libconfig sees a text, conf_check() refuses what libconfig
 * mishandles: an @include of anything else (its scanner exits the process
 * on a directory, hangs on a FIFO) and an integer out of range (it
 * truncates to 32 bits, or 64 with a final L, silently). Errors:
 * EXIT_CONFIG, "FILE:LINE: ...".
 */
char *conf_read_text(const char *path, const char *what, struct err *e);
int conf_check(const char *path, const char *text, struct err *e);

#endif
