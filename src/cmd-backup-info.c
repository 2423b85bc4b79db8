/* backup-info FILE: what a backup file holds, read offline. */
#include <stdlib.h>
#include <time.h>
#include "cmd.h"
#include "session.h"
#include "snapshot.h"
#include "tjson.h"

static int backup_info_exec(struct cmd_ctx *ctx, struct err *e)
{
	struct snapshot_info si;
	struct result *r = ctx->res;
	json_t *by, *roles;
	long long now = time(NULL);

	if (snapshot_read(ctx->argv[0], &si, e) < 0)
		return -1;
	by = json_object();
	roles = json_array();
	if (si.timestamp_ms >= 0) {
		long long t = si.timestamp_ms / 1000;
		result_line(r, "written %s (UTC), %lldh%02lldm ago", iso_time(t),
		    (now - t) / 3600, (now - t) % 3600 / 60);
		result_set(r, "timestamp_ms", json_integer(si.timestamp_ms));
		result_set(r, "written", out_json_str(iso_time(t)));
	} else
		result_line(r, "no timestamp in the backup");
	result_line(r, "%zu tasks, %zu cron jobs, %zu roles", si.ntasks, si.njobs, si.nroles);
	for (int s = 0; s < SNAPSHOT_NSTATUS; s++)
		if (si.by_status[s]) {
			const char *name = tj_status_name(s);
			result_line(r, "  %-12s %zu", name ? name : "?", si.by_status[s]);
			json_object_set_new(by, name ? name : "UNKNOWN", json_integer(si.by_status[s]));
		}
	for (size_t i = 0; i < si.nroles; i++)
		json_array_append_new(roles, out_json_str(si.roles[i]));
	result_set(r, "tasks", json_integer(si.ntasks));
	result_set(r, "tasks_by_status", by);
	result_set(r, "cron_jobs", json_integer(si.njobs));
	result_set(r, "roles", roles);
	result_msg(r, "%s: %zu tasks%s", ctx->argv[0], si.ntasks,
	    si.ntasks ? "" : " (empty snapshot)");
	snapshot_free(&si);
	return 0;
}

const struct cmd_entry cmd_backup_info_entry = {
	.name = "backup-info", .args = "FILE", .min_args = 1, .max_args = 1,
	.real_args = 1,
	.summary = "a backup file read offline: when, its tasks, jobs, roles",
	.example = "backup-info /var/lib/aurora/backups/scheduler-backup-2026-11-27-02-00",
	.options = { NULL },
	.exec = backup_info_exec,
};
