/*
 * impactgate.h: the restore's impact (impact.h) computed for this host:
 * the backup's tasks (a backup file, or the backup staged on rc's
 * scheduler) against what the Mesos master (--mesos, else the scheduler's
 * real -mesos_master_address) runs for the framework (--framework-id,
 * the backup's, or the one named like the scheduler).
 */
#ifndef IMPACTGATE_H
#define IMPACTGATE_H

#include "err.h"
#include "impact.h"
#include "output.h"
#include "recovery.h"

/* The impact of backup file (staged 0: read it) or of the backup staged
 * on rc's scheduler (staged 1; file, when known, only gives the
 * framework id) into im; name is the backup's id or NULL. */
int impact_compute(struct recovery *rc, struct result *r, const char *file,
    int staged, const char *name, struct impact *im, struct err *e);
/* stage, commit and log-recover: the same, as the summary line in r and
 * *summary (malloc'd, for the audit); EXIT_REFUSED past --max-kill, or
 * unknown with --max-kill and no --force. */
int impact_gate(struct recovery *rc, struct result *r, const char *file,
    int staged, const char *name, char **summary, struct err *e);

#endif
