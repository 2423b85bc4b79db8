/*
 * live.h: schedulers' /vars pages over HTTP (libcurl). /vars is never
 * redirected by the scheduler and needs no authentication.
 */
#ifndef LIVE_H
#define LIVE_H

#include "buf.h"
#include "err.h"

/* One scheduler's answer to a probe of /vars. */
struct live_probe {
	char *url;		/* base URL, e.g. http://127.0.0.2:8081 */
	int ok;			/* /vars was read */
	int answered;		/* an HTTP answer came, whatever its status */
	char *state;		/* lifecycle state, or NULL */
	int nstates;		/* how many lifecycle gauges are 1 */
	int registered;		/* framework_registered: 1, 0, or -1 unknown */
	int nregistered;	/* how many framework_registered lines */
	char *error;		/* why not ok */
};

/*
 * Read /vars of every url at once (libcurl multi): a dead or black-holed
 * scheduler costs one timeout in total, not one each. Fills p[0..n-1]
 * (url copied); free with live_probes_free.
 */
int live_probe_all(char *const *urls, size_t n, double timeout,
    int insecure, struct live_probe *p, struct err *e);
void live_probes_free(struct live_probe *p, size_t n);
/* Fill p's state and registered from the text of a /vars page (what
 * live_probe_all does with each answer); p->ok is set. */
void live_read_vars(struct live_probe *p, const char *text);
/* The lifecycle states a leader is in: LEADER_AWAITING_REGISTRATION
 * (during a restore) and ACTIVE; exactly one gauge at 1. */
int live_is_leader(const struct live_probe *p);
/* Does /vars positively say "not registered with Mesos": one lifecycle
 * gauge at 1, not ACTIVE, and framework_registered 0 exactly once? Else
 * why not, as seen (malloc'd). */
char *live_not_registered(const struct live_probe *p);

#endif
