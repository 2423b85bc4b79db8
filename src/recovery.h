/*
 * recovery.h: what every recovery command starts with. The host model
 * is loaded when this machine has one (for -http_port, ZooKeeper, the
 * backup directory and clusters.json); the target scheduler is
 * --scheduler, else the leader found by probing the known schedulers
 * (--hosts, the hosts setting, or ZooKeeper), else the cluster's
 * scheduler_uri. struct recovery owns all of it; recovery_close() frees.
 * Every call that changes the scheduler's state is audited: a line in
 * /var/lib/aurora-restore/audit.log, the journal's "audit" list when a
 * profile is applied, and syslog.
 */
#ifndef RECOVERY_H
#define RECOVERY_H

#include "admin.h"
#include "live.h"
#include "output.h"
#include "session.h"

struct recovery {
	struct session s;
	int have_host;
	struct err host_err;	/* why the host model is missing */
	char *url;		/* the target scheduler */
	struct admin admin;
	char *netrc;
	char *zk_leader;	/* the URL of ZooKeeper's lowest sequence */
	char *cluster_seen;	/* serverInfo.clusterName of the last reply */
	const char *impact;	/* the impact summary, for the audit record */
};

/* need_target 0: only the host model (leader, backup-info). */
int recovery_open(struct recovery *rc, struct settings *set, int need_target,
    struct result *r, struct err *e);
void recovery_close(struct recovery *rc);

/* The schedulers to probe, as base URLs; n set. From --hosts, the hosts
 * setting, else ZooKeeper with the host's flags; one per scheme, address
 * and port; a --hosts URL with user info is refused (64). */
int recovery_candidates(struct recovery *rc, char ***urls, size_t *n,
    struct result *r, struct err *e);
/* Probe every candidate; the one leader's URL (malloc'd), or an error
 * naming each host (none, several, or unreachable). A line says so when
 * ZooKeeper's lowest sequence names another scheduler. */
char *recovery_find_leader(struct recovery *rc, struct result *r,
    struct err *e);
/* Is url the leader per its /vars? EXIT_REFUSED when not, or when /vars
 * answers but cannot be read; EXIT_FAIL when nothing answers. */
int recovery_check_leader(struct recovery *rc, const char *url,
    struct err *e);

/* Call method on the target; a reply that is not OK is EXIT_FAIL with
 * the scheduler's message (ERROR_TRANSIENT: not the leader). */
int recovery_call(struct recovery *rc, const char *method, const char *arg,
    const struct tj_query *q, tj_task_fn fn, void *ctx, struct tj_reply *r,
    int *dropped, struct err *e);

/* A call that changes the scheduler's state, audited whatever happens:
 * outcome "ok", "connection dropped" (*dropped set), or the error.
 * Refused (EXIT_REFUSED, no call made) when the scheduler serves another
 * cluster than the one restored (the host's -cluster_name or --cluster),
 * as its last reply said, or a read-only call made to ask it. */
/* Does the target serve the cluster restored here (EXIT_REFUSED when
 * not)? A read-only call asks, unless a reply already said. */
int recovery_check_cluster(struct recovery *rc, struct err *e);
int recovery_change(struct recovery *rc, const char *method, const char *arg,
    const struct tj_query *q, struct tj_reply *r, int *dropped,
    struct err *e);

/* --check: say what would be done (changed set, msg "would WHAT") and
 * make no call; 1 when so, else 0. Callers ask before any change. */
int recovery_would(struct recovery *rc, struct result *r, const char *what);

/* One task as a line: Role Environment Job Shard Status "Task ID". */
void recovery_task_line(struct result *res, const struct tj_task *t);
#define TASK_HEADER "Role\tEnvironment\tJob\tShard\tStatus\tTask ID"
/* The same task as a JSON object, and a string as JSON (ASCII; bytes that
 * are not UTF-8 as the text \xNN, as out_json_str), appended to b: --json
 * output is written as it comes. */
void recovery_task_json(struct buf *b, const struct tj_task *t);
void recovery_json_str(struct buf *b, const char *s);
/* Does t match q (role, environment, job, statuses, task ids)? A
 * scheduler's answer is checked: what was not asked for is dropped. */
int recovery_task_matches(const struct tj_query *q, const struct tj_task *t);

/* A command that is one audited call without arguments (performBackup,
 * unloadRecovery): done is what to say when it worked. */
int recovery_one_call(struct settings *set, struct result *res,
    const char *method, const char *done, struct err *e);

/* The task query of --role --env --job --status --task-id, active states
 * unless --all-states, --status or --task-id; free with
 * recovery_query_free. */
int recovery_query(const struct settings *set, struct tj_query *q,
    struct err *e);
void recovery_query_free(struct tj_query *q);

/* --yes, or "yes" typed at a terminal; otherwise EXIT_REFUSED naming
 * what was not done. */
int recovery_confirm(const struct settings *set, const char *what,
    struct err *e);

/* The backup staged last on this host per the audit log (no unload or
 * commit since), or NULL (malloc'd). */
char *recovery_staged_name(const struct settings *set);
/* The backup file named name to look into: --copy, else this host's copy
 * in its -backup_dir when it has one (malloc'd, or NULL). */
char *recovery_local_backup(struct recovery *rc, const char *name);

#endif
