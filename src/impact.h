/*
 * impact.h: what a restore kills (aurora-facts.md, section 8b). The
 * backup's tasks (a backup file, or the backup staged on the leader) are
 * joined on the task id with the tasks Mesos runs for the framework
 * (TASK_STAGING, TASK_STARTING, TASK_RUNNING):
 *
 *   the task's state in the backup        outcome
 *   absent, FINISHED FAILED KILLED LOST   killed
 *     KILLING (and any other state)
 *   PREEMPTING RESTARTING DRAINING        killed, then rescheduled
 *   ASSIGNED STARTING RUNNING PARTITIONED kept
 *   PENDING THROTTLED                     conflict (not killed at once)
 *
 * and the backup's active tasks (but KILLING) that Mesos does not run
 * come back. struct impact owns everything in it; impact_free() frees.
 */
#ifndef IMPACT_H
#define IMPACT_H

#include <stddef.h>
#include "mesos.h"
#include "output.h"
#include "tjson.h"

/* Harshest first (a task the backup holds twice keeps the harsher). */
enum impact_kind { IMPACT_KILLED, IMPACT_RESCHEDULED, IMPACT_CONFLICT,
	IMPACT_KEPT, IMPACT_COME_BACK };

/* The outcome for a task Mesos runs whose backup state is status (-1:
 * absent from the backup). */
enum impact_kind impact_classify(int status);

struct impact_task {
	char *task_id;
	char *role, *env, *job;	/* "" when unknown */
	int instance;		/* -1 when unknown */
	int backup_state;	/* -1: absent */
	char *mesos_state;	/* NULL for come_back */
};

struct impact_list {
	struct impact_task *t;
	size_t n, cap;
};

struct btable;

struct impact {
	struct btable *backup;		/* the backup's tasks by id */
	char *framework_id;
	int keep_kept;			/* --all: list the kept tasks too */
	struct impact_list killed;	/* every killed task, rescheduled ones too */
	struct impact_list conflicts;
	struct impact_list come_back;
	struct impact_list kept;	/* keep_kept only */
	size_t nrescheduled, nkept, running;
	char *backup_name;		/* a path, a backup id, or a description */
	long long backup_ms;		/* its timestamp, -1 unknown */
	char *backup_framework_id;	/* schedulerMetadata.frameworkId, or NULL */
};

void impact_init(struct impact *im);
void impact_free(struct impact *im);

/* Feed the backup's tasks (tj_task_fn: snapshot_read_tasks, queryRecovery). */
int impact_backup_task(void *ctx, const struct tj_task *t, struct err *e);
/* Read a backup file into im (its tasks, timestamp and framework id). */
int impact_backup_file(struct impact *im, const char *path, struct err *e);
/* Then Mesos's tasks of im->framework_id (mesos_task_fn). */
int impact_mesos_task(void *ctx, const struct mesos_task *t, struct err *e);
/* After the last Mesos task: the tasks that come back, lists sorted. */
void impact_finish(struct impact *im);

/* "restoring NAME (written 2h10m ago) kills 153 of the 290 tasks Mesos
 * runs for framework ID (12 jobs); 3 of them are rescheduled; 2
 * conflicts; 20 tasks come back" (malloc'd). */
char *impact_summary(const struct impact *im);
/* The report: text lines grouped by job (all: every task); with json,
 * the JSON keys instead (the lists are built only then). */
void impact_report(const struct impact *im, struct result *r, int all, int json);

#endif
