/*
 * err.h: errors travel up as a struct err, filled once where they happen
 * and printed once by main(). Helpers never print.
 *
 * The code is the exit status of the contract (../README, man page):
 * a helper picks the class of the failure, main() exits with it.
 */
#ifndef ERR_H
#define ERR_H

enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,		/* I/O, network, scheduler answered non-OK */
	EXIT_DRIFT = 2,		/* verify found drift; --detailed-exitcode: changed */
	EXIT_REFUSED = 3,	/* a safety guard said no */
	EXIT_UNKNOWN = 4,	/* outcome could not be confirmed */
	EXIT_USAGE = 64,
	EXIT_DATA = 65,		/* unparsable input, corrupt journal, bad reply */
	EXIT_LOCKED = 75,
	EXIT_CONFIG = 78	/* bad profile or configuration file */
};

struct err {
	int code;
	char msg[1024];
};

/* Fill e (first error wins) and return -1, so callers can `return errf(...)`.
 * Once err_show_root() named the --root, paths under it are named as
 * the host sees them (unroot()), unless the message itself talks of
 * "--root" (it then shows real paths on purpose). */
int errf(struct err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The root every message's paths are shown under (kept, not copied). */
void err_show_root(const char *root);
/* A path on this machine the operator typed (--config, a profile or
 * backup file): messages name it, and paths in it, as typed even when it
 * lies under the root. path is kept, not copied: one of argv's strings;
 * at most 16. */
void err_keep_path(const char *path);

#endif
