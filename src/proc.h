/*
 * proc.h: the running scheduler, read from a /proc-like directory (--proc):
 * its argv (with @argfile arguments expanded from files under --root)
 * and its start time. The caller owns struct sched and frees it.
 * Also the running of other programs (systemctl, nft).
 */
#ifndef PROC_H
#define PROC_H

#include <signal.h>

#include "buf.h"
#include "err.h"

struct sched {
	int pid;
	char **argv;		/* the scheduler's flags only, after its main class */
	int argc;
	double started;		/* epoch seconds, 0 when unknown */
};

/* *found 0 when no scheduler runs. */
int proc_find_scheduler(const char *procdir, const char *root,
    struct sched *s, int *found, struct err *e);
/* The last -name=value of the running scheduler: 1 found (value may be
 * NULL for a bare -name), 0 absent. */
int proc_flag(const struct sched *s, const char *name, const char **value);
void proc_free(struct sched *s);

/* The helper limit in seconds: 0, or EXIT_USAGE for a value of
 * AURORA_RESTORE_HELPER_LIMIT that is not seconds above 0 or a time. */
int proc_helper_limit(double *limit, struct err *e);
/* Run argv (argv[0] looked up in PATH) with input (or nothing) on stdin,
 * stdout into out if given (its first 4 MiB; the rest is read and
 * dropped, as is stderr after 16 KiB: the pipes are read together, so a
 * chatty program never stalls). Returns the exit status, or -1 when it
 * could not run; a non-zero status also fills e with the first line of
 * the program's stderr, for callers that treat it as a failure. It runs in
 * its own process group, which is killed when the program still runs
 * after 120 s (AURORA_RESTORE_HELPER_LIMIT): -1. SIGINT, SIGTERM and
 * SIGHUP reach the group, then us (unless we ignore them). */
int run_command(char *const argv[], const char *input, struct buf *out,
    struct err *e);
/* The same, with the program named as name in messages (argv may be a
 * shell line that execs it). */
int run_command_as(const char *name, char *const argv[], const char *input,
    struct buf *out, struct err *e);

/* While a child's process group runs: SIGINT, SIGTERM and SIGHUP go to
 * that group instead of ending us (a child that inherited one ignored
 * still ignores it); proc_forward_off puts them back and says which came
 * meanwhile (0: none), for the caller to take. proc_forward_default, in a
 * child: the three at their default. */
struct proc_forward {
	struct sigaction was[3];
};
void proc_forward_on(pid_t pgrp, struct proc_forward *f);
int proc_forward_off(const struct proc_forward *f);
void proc_forward_default(void);

#endif
