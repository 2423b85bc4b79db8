/* stage BACKUP [--copy FILE] [--max-age TIME] [--force]: load a backup
 * into the leader's memory (stageRecovery), after the safety checks. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "cmd.h"
#include "impactgate.h"
#include "recovery.h"
#include "snapshot.h"
#include "verify.h"

/* A guard said no: with --force it is only a warning. */
static int guard(struct cmd_ctx *ctx, struct err *why, struct err *e)
{
	if (!ctx->set->force)
		return errf(e, why->code, "%s (--force to stage anyway)", why->msg);
	result_line(ctx->res, "warning (--force): %s", why->msg);
	return 0;
}

/* The target must lead: --force lifts that guard, but not an address
 * that does not answer. */
static int check_leader(struct cmd_ctx *ctx, struct recovery *rc, struct err *e)
{
	struct err why = { 0 };

	if (recovery_check_leader(rc, rc->url, &why) == 0)
		return 0;
	if (why.code != EXIT_REFUSED)
		return errf(e, why.code, "%s", why.msg);
	return guard(ctx, &why, e);
}

static int check_host(struct cmd_ctx *ctx, struct err *e)
{
	struct result scratch;
	struct err why = { 0 };
	int drift = 0, rc;

	result_init(&scratch);
	if (verify_host(ctx->set, NULL, &scratch, &drift, &why) < 0)
		errf(&why, EXIT_REFUSED, "this host cannot be verified: %s", why.msg);
	else if (drift)
		errf(&why, EXIT_REFUSED, "this host is not in the partially disabled state (%d item%s out of place: run aurora-restore verify)",
		    drift, drift == 1 ? "" : "s");
	result_free(&scratch);
	rc = why.code ? guard(ctx, &why, e) : 0;
	return rc;
}

static int check_age(struct cmd_ctx *ctx, struct recovery *rc, const char *name,
    struct err *e)
{
	struct err why = { 0 };
	struct snapshot_info si;
	long long t = -1;
	char *file = recovery_local_backup(rc, name);

	if (file) {
		if (snapshot_read(file, &si, e) < 0) {
			free(file);
			return -1;
		}
		t = si.timestamp_ms >= 0 ? si.timestamp_ms / 1000 : -1;
		result_line(ctx->res, "%s: %zu tasks, written %s (UTC)", file,
		    si.ntasks, t >= 0 ? iso_time(t) : "at an unknown time");
		if (si.ntasks == 0)
			errf(&why, EXIT_REFUSED, "%s holds no tasks: an empty snapshot", file);
		snapshot_free(&si);
		free(file);
	} else
		t = backup_time(name);
	if (!why.code)
		backup_too_old(name, t, ctx->set->max_age, &why);
	return why.code ? guard(ctx, &why, e) : 0;
}

/* Copy FILE into the scheduler's -backup_dir as name, owned like the dir. */
static int copy_in(struct recovery *rc, const char *name, struct result *r,
    struct err *e)
{
	const char *dir = rc->have_host ? host_flag_value(&rc->s.host, "backup_dir") : NULL;
	struct buf data = BUF_INIT;
	struct file_meta src, meta;
	struct stat st;
	char *path, *real, *realdir;
	int written = 0, ret = -1;

	if (dir == NULL || *dir == '\0')
		return errf(e, EXIT_DATA, "no -backup_dir on this host to copy %s into", name);
	if (strchr(name, '/'))
		return errf(e, EXIT_USAGE, "backup name \"%s\" must not contain '/'", name);
	path = xasprintf("%s/%s", dir, name);
	real = root_path(rc->s.set->root, path);
	realdir = root_path(rc->s.set->root, dir);
	if (stat(realdir, &st) < 0) {
		errf(e, EXIT_FAIL, "cannot use backup directory %s: %m", dir);
		goto out;
	}
	if (file_read(rc->s.set->copy, &data, &src, 0, e) < 0)
		goto out;
	meta = (struct file_meta){ 1, 0644, st.st_uid, st.st_gid, { 0, 0 } };
	if (file_write_atomic(real, data.s, data.len, &meta, 0, &written, e) < 0)
		goto out;
	result_line(r, "%s %s to %s", written ? "copied" : "already there:",
	    rc->s.set->copy, path);
	ret = 0;
out:
	buf_free(&data);
	free(path);
	free(real);
	free(realdir);
	return ret;
}

static int stage_exec(struct cmd_ctx *ctx, struct err *e)
{
	const char *name = ctx->argv[0];
	struct recovery rc;
	struct tj_reply r = { 0 };
	char *what = NULL, *file = NULL, *summary = NULL;
	int dropped = 0, ret = -1;

	if (recovery_open(&rc, ctx->set, 1, ctx->res, e) < 0)
		goto out;
	if (check_leader(ctx, &rc, e) < 0 || check_host(ctx, e) < 0 ||
	    check_age(ctx, &rc, name, e) < 0)
		goto out;
	file = recovery_local_backup(&rc, name);
	if (impact_gate(&rc, ctx->res, file, 0, name, &summary, e) < 0)
		goto out;
	rc.impact = summary;
	what = ctx->set->copy ? xasprintf("copy %s into -backup_dir and stage %s on %s",
	    ctx->set->copy, name, rc.url) : xasprintf("stage %s on %s", name, rc.url);
	if (recovery_would(&rc, ctx->res, what)) {
		ret = 0;
		goto out;
	}
	if (recovery_check_cluster(&rc, e) < 0 ||
	    (ctx->set->copy && copy_in(&rc, name, ctx->res, e) < 0))
		goto out;
	ret = recovery_change(&rc, "stageRecovery", name, NULL, &r, &dropped, e);
	if (ret == 0) {
		ctx->res->changed = 1;
		result_msg(ctx->res, "staged %s on %s: inspect with tasks, then commit", name, rc.url);
	}
out:
	free(what);
	free(file);
	free(summary);
	tj_reply_free(&r);
	recovery_close(&rc);
	return ret;
}

static const struct opt stage_options[] = {
	OPT_S("copy", "FILE", "copy FILE into this host's -backup_dir first", copy),
	OPT_K("max-age", "TIME", "refuse a backup older than TIME (default 4hrs)", OPT_TIME, max_age),
	OPT_K("max-kill", "N", "refuse when more than N running tasks would be killed", OPT_COUNT, max_kill),
	OPT_F("force", "stage although a guard refuses", force),
	OPT_END
};

const struct cmd_entry cmd_stage_entry = {
	.name = "stage", .args = "BACKUP", .min_args = 1, .max_args = 1,
	.summary = "load a backup into the leader's memory",
	.example = "stage scheduler-backup-2026-11-27-02-00 --max-kill 0",
	.options = { stage_options, opts_mesos, OPTS_RECOVERY },
	.exec = stage_exec,
};
