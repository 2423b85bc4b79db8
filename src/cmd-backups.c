/* backups: the scheduler's backups, newest first (listBackups). */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cmd.h"
#include "recovery.h"

#define PREFIX "scheduler-backup-"

static int newest_first(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	const char *bx = strncmp(x, "temp_", 5) == 0 ? x + 5 : x;
	const char *by = strncmp(y, "temp_", 5) == 0 ? y + 5 : y;

	int c = strcmp(by, bx);

	return c ? c : (x == bx) - (y == by);	/* temp_ (being written) first */
}

/* The local time a backup's name gives, or -1. */
long long backup_time(const char *name)
{
	struct tm tm = { 0 };
	const char *p = strncmp(name, "temp_", 5) == 0 ? name + 5 : name;

	if (strncmp(p, PREFIX, strlen(PREFIX)) != 0 ||
	    sscanf(p + strlen(PREFIX), "%4d-%2d-%2d-%2d-%2d", &tm.tm_year,
	    &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min) != 5)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_isdst = -1;
	return (long long)mktime(&tm);
}

static int backups_exec(struct cmd_ctx *ctx, struct err *e)
{
	struct recovery rc;
	struct tj_reply r = { 0 };
	struct result *res = ctx->res;
	json_t *list = json_array();
	int dropped, ret = -1;
	long long since;

	if (recovery_open(&rc, ctx->set, 1, res, e) < 0 ||
	    recovery_call(&rc, "listBackups", NULL, NULL, NULL, NULL, &r,
	    &dropped, e) < 0)
		goto out;
	since = rc.s.have_journal ? rc.s.j.started : 0;
	if (r.nbackups > 1)
		qsort(r.backups, r.nbackups, sizeof *r.backups, newest_first);
	result_line(res, "%zu backups on %s (times are the scheduler's local time):",
	    r.nbackups, rc.url);
	for (size_t i = 0; i < r.nbackups; i++) {
		const char *name = r.backups[i];
		long long t = backup_time(name);
		int incomplete = strncmp(name, "temp_", 5) == 0;
		int during = since && t >= 0 && t >= since - 60;
		json_t *o = json_object();
		json_object_set_new(o, "name", out_json_str(name));
		json_object_set_new(o, "incomplete", json_boolean(incomplete));
		json_object_set_new(o, "during_restore", json_boolean(during));
		json_array_append_new(list, o);
		result_line(res, "  %s%s%s", name, incomplete ? "  (incomplete: still being written)" : "",
		    during ? "  (written during the restore, probably empty)" : "");
	}
	result_msg(res, "%zu backups", r.nbackups);
	ret = 0;
out:
	result_set(res, "backups", list);
	tj_reply_free(&r);
	recovery_close(&rc);
	return ret;
}

const struct cmd_entry cmd_backups_entry = {
	"backups", "backups", 0, 0,
	"scheduler,timeout,max-reply,insecure,hosts,zk,serverset-path,http-port", backups_exec
};
