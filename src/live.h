/*
 * live.h: a scheduler's /vars page over HTTP (libcurl). /vars is never
 * redirected by the scheduler and needs no authentication. The caller
 * owns struct live_vars.
 */
#ifndef LIVE_H
#define LIVE_H

#include "buf.h"
#include "err.h"

struct live_vars {
	struct buf text;	/* "name value" lines */
};

/* GET base_url + "/vars" within timeout seconds. EXIT_FAIL on network
 * errors or a non-200 answer, naming the URL. */
int live_fetch_vars(const char *base_url, double timeout,
    struct live_vars *v, struct err *e);
/* The value of a var as text, or NULL (malloc'd). */
char *live_var(const struct live_vars *v, const char *name);
/* The lifecycle state whose gauge is 1 (malloc'd), or NULL. */
char *live_lifecycle(const struct live_vars *v);
void live_free(struct live_vars *v);

#endif
