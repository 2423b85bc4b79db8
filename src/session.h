/*
 * session.h: what every profile command starts with: the lock, the
 * journal, the profile, the Augeas handle and the host model, owned by
 * struct session and released by session_close(). Also the writing of
 * changed files, shared by apply and revert.
 */
#ifndef SESSION_H
#define SESSION_H

#include "buf.h"
#include "host.h"
#include "journal.h"
#include "output.h"
#include "profile.h"
#include "settings.h"

#define LOCK_PATH "/run/aurora-restore.lock"

struct session {
	struct settings *set;
	int lockfd;
	struct journal j;
	int have_journal;
	struct profile p;
	int have_profile;
	augeas *aug;
	struct host host;
	int have_host;
};

int session_open(struct session *s, struct settings *set, int lock,
    struct err *e);
/* name NULL: the applied profile, else "recovery". */
int session_profile(struct session *s, const char *name, struct err *e);
int session_host(struct session *s, struct err *e);
void session_close(struct session *s);
/* Where the flags and the cluster's entry were found: JSON keys layout,
 * flags_files, cluster, clusters_file; with text, two lines too. */
void session_describe(struct session *s, struct result *r, int text);

/*
 * Why the service manager is left alone, or NULL: "--root" under a root
 * other than / (unless live_root says the configured systemctl manages
 * that root), "systemd is not running" when the machine (/, or the live
 * root) has no /run/systemd/system.
 */
const char *session_no_systemd(const struct settings *set);
/* "systemctl daemon-reload", reported in r, and the journal's
 * reload_pending cleared; or "not reloaded: WHY", reload_pending kept
 * for a later run on the live machine. */
int reload_units(struct session *s, struct result *r, struct err *e);

/* Who runs us: "root" or "root (sudo from alice)". malloc'd. */
char *session_user(void);
/* ISO 8601 UTC of an epoch time, in a static buffer. */
const char *iso_time(long long t);

#endif
