/*
 * loghost.h: what the log commands (log-status, log-reinit,
 * log-restore-aside, log-recover) share about this host's replicated log.
 */
#ifndef LOGHOST_H
#define LOGHOST_H

#include <jansson.h>
#include "err.h"
#include "output.h"
#include "replica.h"
#include "settings.h"

/* The log commands' view of this host's replicated log:
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
/* The last log-recover run in the list that succeeded (on the log at
 * path, when path is not NULL), or NULL. status: that run as the key
 * "recovered" (null when none) and a line. */
json_t *log_journal_recovered(json_t *list, const char *path);
void log_recover_report(void *log, struct result *r);
/* A guard --force may lift (why): an error "... (--force to DOING
 * anyway)", or with --force a warning line and 0. */
int log_soft_guard(const struct settings *set, struct result *r,
    struct err *why, const char *doing, struct err *e);

#endif
