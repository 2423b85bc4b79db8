/* impact [--backup FILE] [--mesos URL] [--framework-id ID] [--all]: which
 * tasks Mesos runs now the restored scheduler will kill (impact.h); and
 * the gate stage and commit pass before changing anything. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cmd.h"
#include "fileio.h"
#include "impact.h"
#include "recovery.h"
#include "snapshot.h"

/* The backup staged last on this host per the audit log (no unload or
 * commit since), or NULL. */
char *staged_name(const struct settings *set)
{
	char *path = root_path(set->root, JOURNAL_DIR "/audit.log"), *name = NULL;
	struct buf data = BUF_INIT;
	struct err e = { 0 };

	if (access(path, R_OK) == 0 && file_read(path, &data, NULL, 0, &e) == 0) {
		for (char *line = data.s, *nl; line && *line; line = nl ? nl + 1 : NULL) {
			json_t *o = json_loadb(line, (nl = strchr(line, '\n')) ?
			    (size_t)(nl - line) : strlen(line), 0, NULL);
			const char *call = json_string_value(json_object_get(o, "call"));
			const char *out = json_string_value(json_object_get(o, "outcome"));
			const char *b = json_string_value(json_object_get(o, "backup"));
			if (call && out && strcmp(out, "ok") == 0) {
				if (strcmp(call, "stageRecovery") == 0 && b) {
					free(name);
					name = xstrdup(b);
				} else if (strcmp(call, "unloadRecovery") == 0 ||
				    strcmp(call, "commitRecovery") == 0) {
					free(name);
					name = NULL;
				}
			}
			json_decref(o);
		}
	}
	buf_free(&data);
	free(path);
	return name;
}

/* The scheduler's real -mesos_master_address: the journal's original
 * while the profile is applied, else the flag. */
static const char *mesos_address(struct recovery *rc, const char **from)
{
	struct journal *j = &rc->s.j;

	*from = "--mesos";
	if (rc->s.set->mesos)
		return rc->s.set->mesos;
	for (size_t i = 0; rc->s.have_journal && i < j->nitems; i++)
		if (j->items[i].kind == ITEM_FLAG &&
		    strcmp(j->items[i].name, "mesos_master_address") == 0) {
			*from = "the journal's original -mesos_master_address (the profile is applied)";
			return j->items[i].original_present ? j->items[i].original : NULL;
		}
	*from = "-mesos_master_address";
	return rc->have_host ? host_flag_value(&rc->s.host, "mesos_master_address") : NULL;
}

/* The one framework named like the scheduler, or EXIT_DATA naming them. */
static int framework_by_name(struct recovery *rc, struct mesos *m,
    struct impact *im, struct result *r, struct err *e)
{
	const char *fn = rc->have_host ? host_flag_value(&rc->s.host, "framework_name") : NULL;
	struct mesos_frameworks fw;
	struct buf all = BUF_INIT;
	size_t hits = 0, hit = 0;
	int ret;

	fn = fn && *fn ? fn : "Aurora";
	if (mesos_frameworks(m, &fw, e) < 0)
		return -1;
	for (size_t i = 0; i < fw.n; i++) {
		buf_addf(&all, "%s%s (%s%s)", all.len ? ", " : "", fw.f[i].id, fw.f[i].name,
		    fw.f[i].active ? "" : ", inactive");
		if (strcmp(fw.f[i].name, fn) == 0) {
			hits++;
			hit = i;
		}
	}
	if (hits == 1) {
		im->framework_id = xstrdup(fw.f[hit].id);
		result_line(r, "framework %s: the only one named \"%s\" at %s", im->framework_id,
		    fn, m->url);
		ret = 0;
	} else
		ret = errf(e, EXIT_DATA, "%s: %s framework named \"%s\" (frameworks: %s): give --framework-id",
		    m->url, hits ? "more than one" : "no", fn, all.len ? all.s : "none");
	buf_free(&all);
	mesos_frameworks_free(&fw);
	return ret;
}

static int backup_side(struct recovery *rc, const char *file, int staged,
    const char *name, struct impact *im, struct result *r, struct err *e)
{
	struct tj_query q = { 0 };
	struct tj_reply rep = { 0 };
	int dropped, ret;

	if (!staged) {
		im->backup_name = xstrdup(name ? name : file);
		return impact_backup_file(im, file, e);
	}
	if (file) {
		struct impact scratch;
		impact_init(&scratch);
		if (impact_backup_file(&scratch, file, e) < 0) {
			impact_free(&scratch);
			return -1;
		}
		im->backup_framework_id = scratch.backup_framework_id;
		im->backup_ms = scratch.backup_ms;
		scratch.backup_framework_id = NULL;
		impact_free(&scratch);
	} else if (name && backup_time(name) >= 0)
		im->backup_ms = backup_time(name) * 1000;
	im->backup_name = name ? xstrdup(name) : xasprintf("the backup staged on %s", rc->url);
	ret = recovery_call(rc, "queryRecovery", NULL, &q, impact_backup_task, im, &rep,
	    &dropped, e);
	if (ret == 0)
		result_line(r, "%zu tasks in the backup staged on %s", rep.ntasks, rc->url);
	tj_reply_free(&rep);
	return ret;
}

static int compute(struct cmd_ctx *ctx, struct recovery *rc, const char *file,
    int staged, const char *name, struct impact *im, struct err *e)
{
	struct settings *set = ctx->set;
	struct mesos m = { NULL, set->timeout, (size_t)set->max_reply, set->insecure,
	    rc->netrc, 0, 0 };
	const char *from, *addr;
	char *shown;
	size_t n;
	int ret = -1;

	if ((addr = mesos_address(rc, &from)) == NULL || *addr == '\0')
		return errf(e, EXIT_USAGE, "no Mesos master to ask: give --mesos URL (%s)",
		    rc->have_host ? "no -mesos_master_address on this host" : rc->host_err.msg);
	if (mesos_open(&m, addr, e) < 0 ||
	    backup_side(rc, file, staged, name, im, ctx->res, e) < 0)
		goto out;
	shown = mesos_shown(addr);
	result_line(ctx->res, "mesos master %s (from %s%s%s)", m.url, from,
	    strcmp(addr, m.url) ? ": " : "", strcmp(addr, m.url) ? shown : "");
	free(shown);
	if (set->framework_id || im->backup_framework_id) {
		im->framework_id = xstrdup(set->framework_id ? set->framework_id :
		    im->backup_framework_id);
		result_line(ctx->res, "framework %s (from %s)", im->framework_id,
		    set->framework_id ? "--framework-id" : "the backup");
	} else if (framework_by_name(rc, &m, im, ctx->res, e) < 0)
		goto out;
	if (mesos_framework_tasks(&m, im->framework_id, impact_mesos_task, im, &n, e) < 0)
		goto out;
	if (m.redirects)
		result_line(ctx->res, "followed the redirect to the leading master %s", m.url);
	impact_finish(im);
	ret = 0;
out:
	mesos_close(&m);
	return ret;
}

int impact_gate(struct cmd_ctx *ctx, struct recovery *rc, const char *file,
    int staged, const char *name, char **summary, struct err *e)
{
	struct impact im;
	struct err why = { 0 };
	long long max = ctx->set->max_kill;
	int ret = 0;

	impact_init(&im);
	*summary = NULL;
	if (!staged && file == NULL)
		errf(&why, EXIT_FAIL, "the backup file is not on this host (give --copy FILE)");
	else
		compute(ctx, rc, file, staged, name, &im, &why);
	if (why.code) {
		*summary = xasprintf("impact unknown: %s", why.msg);
		result_set(ctx->res, "impact", json_string(*summary));
		if (max >= 0 && !ctx->set->force)
			ret = errf(e, EXIT_REFUSED, "the restore's impact is unknown, so --max-kill %lld cannot be checked: %s (--force to go on)",
			    max, why.msg);
		else
			result_line(ctx->res, "warning: %s", *summary);
	} else {
		*summary = impact_summary(&im);
		result_line(ctx->res, "%s", *summary);
		result_set(ctx->res, "impact", json_string(*summary));
		if (max >= 0 && (long long)im.killed.n > max)
			ret = errf(e, EXIT_REFUSED, "%zu running tasks would be killed, more than --max-kill %lld: nothing done (%s)",
			    im.killed.n, max, *summary);
	}
	impact_free(&im);
	return ret;
}

static int impact_exec(struct cmd_ctx *ctx, struct err *e)
{
	struct recovery rc;
	struct impact im;
	const char *file = ctx->set->backup;
	char *name = NULL, *local = NULL, *summary;
	int ret = -1;

	impact_init(&im);
	im.keep_kept = ctx->set->all;
	if (recovery_open(&rc, ctx->set, file == NULL, ctx->res, e) < 0)
		goto out;
	if (file == NULL) {
		name = staged_name(ctx->set);
		local = name ? local_backup(&rc, name) : NULL;
	}
	if (compute(ctx, &rc, file ? file : local, file == NULL, name, &im, e) < 0)
		goto out;
	impact_report(&im, ctx->res, ctx->set->all, ctx->set->json);
	summary = impact_summary(&im);
	result_msg(ctx->res, "%s", summary);
	free(summary);
	ret = 0;
out:
	free(name);
	free(local);
	impact_free(&im);
	recovery_close(&rc);
	return ret;
}

const struct cmd_entry cmd_impact_entry = {
	"impact", "impact [--backup FILE] [--mesos URL] [--framework-id ID] [--all]", 0, 0,
	"backup,mesos,framework-id,all,scheduler,timeout,max-reply,insecure,hosts,zk,serverset-path,http-port",
	impact_exec
};
