/*
 * snapshot.h: what a scheduler backup holds, read offline. A backup file
 * is one Thrift Snapshot struct in the binary protocol, no header
 * (aurora-facts.md, section 7); fields we do not model are skipped, and
 * every length and type is checked (EXIT_DATA names the file and offset).
 */
#ifndef SNAPSHOT_H
#define SNAPSHOT_H

#include <stddef.h>
#include "err.h"
#include "tjson.h"

#define SNAPSHOT_NSTATUS 32

struct snapshot_info {
	long long timestamp_ms;	/* field 1, UTC milliseconds; -1 if absent */
	size_t ntasks;
	size_t by_status[SNAPSHOT_NSTATUS];	/* indexed by ScheduleStatus */
	size_t njobs;		/* cron jobs stored */
	char **roles;		/* distinct task roles, sorted */
	size_t nroles;
	char *framework_id;	/* schedulerMetadata.frameworkId, or NULL */
};

int snapshot_read(const char *path, struct snapshot_info *si, struct err *e);
/* The same, and every task to fn (slave_host NULL, instance_id -1 and
 * other members NULL when absent); fn's error stops the read. */
int snapshot_read_tasks(const char *path, struct snapshot_info *si,
    tj_task_fn fn, void *ctx, struct err *e);
void snapshot_free(struct snapshot_info *si);
/* The local time a backup's name (scheduler-backup-YYYY-MM-DD-HH-MM,
 * temp_ while written) gives, or -1. */
long long backup_time(const char *name);
/* Seconds a backup may seem to come from the future before a clock is
 * called wrong. */
#define BACKUP_MAX_AHEAD (5 * 60)
/* The age guard of a backup named name written at t (epoch seconds, -1:
 * unknown): EXIT_REFUSED in why when its age is unknown, more than
 * max_age seconds, or it is stamped more than BACKUP_MAX_AHEAD ahead of
 * this host's clock; 0 when it is young enough. */
int backup_too_old(const char *name, long long t, double max_age,
    struct err *why);

#endif
