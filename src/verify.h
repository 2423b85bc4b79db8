/*
 * verify.h: is the host in a profile's state? The checks of the verify
 * command, also for the commands that must refuse on an unsafe host
 * (stage, log-reinit): the files, the running scheduler's flags, the
 * unit's reload state, and with --live the scheduler's registration.
 */
#ifndef VERIFY_H
#define VERIFY_H

#include "err.h"
#include "output.h"
#include "settings.h"

/* Each item out of place as a line of r and in its "items"; 0 with
 * *drift the number of them, or -1. */
int verify_host(struct settings *set, const char *profile,
    struct result *r, int *drift, struct err *e);

#endif
