/*
 * recover.h: Aurora's recovery-tool (0.21+, aurora-facts.md section 8a)
 * started as this host's launcher would start the scheduler: where the
 * tool is, its argv from the host's effective flags, its environment
 * from the launcher's files (JAVA_OPTS, LIBPROCESS_IP, LIBPROCESS_PORT and
 * nothing of ours), and the run itself under the scheduler's user and
 * group with its output handed over line by line. struct recover_cmd
 * owns its strings; recover_cmd_free() releases them.
 */
#ifndef RECOVER_H
#define RECOVER_H

#include "err.h"
#include "host.h"
#include "replica.h"
#include "settings.h"

/* Where the packages install the tool, NULL-terminated. */
extern const char *const recover_tool_places[];

struct recover_cmd {
	char *tool;		/* a real path on this machine */
	char **argv;		/* NULL-terminated, argv[0] is tool */
	int argc;
	char **env;		/* "NAME=value", NULL-terminated */
	int nenv;
	char *env_from;		/* the launcher file(s) the variables came from */
};

/* --recovery-tool, else the setting recovery_tool, else the first
 * packaged place under --root. EXIT_FAIL naming every place looked at. */
int recover_find_tool(const struct settings *set, char **tool, struct err *e);

/* The tool's argv and environment. backup and log are real paths.
 * EXIT_DATA naming the flags file when a required flag is missing. */
int recover_build(struct host *h, const char *tool, const char *backup,
    const char *log, struct recover_cmd *c, struct err *e);
/* The value of NAME in c's environment, or NULL. */
const char *recover_env(const struct recover_cmd *c, const char *name);
/* The argv as one line (malloc'd); output.c masks secrets in what is
 * shown. */
char *recover_argv_line(const struct recover_cmd *c);
void recover_cmd_free(struct recover_cmd *c);

/* Can u open path for reading? Asked of the kernel by a child process
 * running under u's ids. */
int recover_user_can_read(const char *path, const struct replica_user *u);

/* Run c as u with stdin from /dev/null; every line of its stdout and
 * stderr goes to line() with the seconds since the start. Returns the
 * exit status (128 + signal), or -1 with e filled when it cannot start. */
typedef void (*recover_line_fn)(void *ctx, const char *line, double elapsed);
int recover_run(const struct recover_cmd *c, const struct replica_user *u,
    recover_line_fn line, void *ctx, struct err *e);

#endif
