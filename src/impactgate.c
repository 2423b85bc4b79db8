#include <stdlib.h>
#include <string.h>
#include "impactgate.h"
#include "snapshot.h"

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

int impact_compute(struct recovery *rc, struct result *r, const char *file,
    int staged, const char *name, struct impact *im, struct err *e)
{
	struct settings *set = rc->s.set;
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
	    backup_side(rc, file, staged, name, im, r, e) < 0)
		goto out;
	shown = mesos_shown(addr);
	result_line(r, "mesos master %s (from %s%s%s)", m.url, from,
	    strcmp(addr, m.url) ? ": " : "", strcmp(addr, m.url) ? shown : "");
	free(shown);
	if (set->framework_id || im->backup_framework_id) {
		im->framework_id = xstrdup(set->framework_id ? set->framework_id :
		    im->backup_framework_id);
		result_line(r, "framework %s (from %s)", im->framework_id,
		    set->framework_id ? "--framework-id" : "the backup");
	} else if (framework_by_name(rc, &m, im, r, e) < 0)
		goto out;
	if (mesos_framework_tasks(&m, im->framework_id, impact_mesos_task, im, &n, e) < 0)
		goto out;
	if (m.redirects)
		result_line(r, "followed the redirect to the leading master %s", m.url);
	impact_finish(im);
	ret = 0;
out:
	mesos_close(&m);
	return ret;
}

int impact_gate(struct recovery *rc, struct result *r, const char *file,
    int staged, const char *name, char **summary, struct err *e)
{
	struct impact im;
	struct err why = { 0 };
	long long max = rc->s.set->max_kill;
	int ret = 0;

	impact_init(&im);
	*summary = NULL;
	if (!staged && file == NULL)
		errf(&why, EXIT_FAIL, "the backup file is not on this host (give --copy FILE)");
	else
		impact_compute(rc, r, file, staged, name, &im, &why);
	if (why.code) {
		*summary = xasprintf("impact unknown: %s", why.msg);
		result_set(r, "impact", json_string(*summary));
		if (max >= 0 && !rc->s.set->force)
			ret = errf(e, EXIT_REFUSED, "the restore's impact is unknown, so --max-kill %lld cannot be checked: %s (--force to go on)",
			    max, why.msg);
		else
			result_line(r, "warning: %s", *summary);
	} else {
		*summary = impact_summary(&im);
		result_line(r, "%s", *summary);
		result_set(r, "impact", json_string(*summary));
		if (max >= 0 && (long long)im.killed.n > max)
			ret = errf(e, EXIT_REFUSED, "%zu running tasks would be killed, more than --max-kill %lld: nothing done (%s)",
			    im.killed.n, max, *summary);
	}
	impact_free(&im);
	return ret;
}
