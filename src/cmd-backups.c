/* backups: the scheduler's backups, newest first (listBackups). */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cmd.h"
#include "recovery.h"
#include "snapshot.h"

static int newest_first(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	const char *bx = strncmp(x, "temp_", 5) == 0 ? x + 5 : x;
	const char *by = strncmp(y, "temp_", 5) == 0 ? y + 5 : y;

	int c = strcmp(by, bx);

	return c ? c : (x == bx) - (y == by);	/* temp_ (being written) first */
}

/* The names of r, packed one after the other, as an array to sort. */
static const char **name_list(const struct tj_reply *r)
{
	const char **v = xcalloc(r->nbackups + 1, sizeof *v);
	const char *p = r->backups;

	for (size_t i = 0; i < r->nbackups; i++, p += strlen(p) + 1)
		v[i] = p;
	return v;
}

static void show(struct result *res, int json, const char *name, long long since,
    struct buf *item)
{
	long long t = backup_time(name);
	int incomplete = strncmp(name, "temp_", 5) == 0;
	int during = since && t >= 0 && t >= since - 60;

	if (!json) {
		result_line(res, "  %s%s%s", name, incomplete ? "  (incomplete: still being written)" : "",
		    during ? "  (written during the restore, probably empty)" : "");
		return;
	}
	buf_reset(item);
	buf_adds(item, "{\"name\":");
	recovery_json_str(item, name);
	buf_addf(item, ",\"incomplete\":%s,\"during_restore\":%s}",
	    incomplete ? "true" : "false", during ? "true" : "false");
	result_stream_item(res, item->s, item->len);
}

static int backups_exec(struct cmd_ctx *ctx, struct err *e)
{
	struct recovery rc;
	struct tj_reply r = { 0 };
	struct result *res = ctx->res;
	struct buf item = BUF_INIT;
	const char **names = NULL;
	int dropped, ret = -1;
	long long since;

	if (recovery_open(&rc, ctx->set, 1, res, e) < 0 ||
	    recovery_call(&rc, "listBackups", NULL, NULL, NULL, NULL, &r,
	    &dropped, e) < 0)
		goto out;
	since = rc.s.have_journal ? rc.s.j.started : 0;
	names = name_list(&r);
	if (r.nbackups > 1)
		qsort(names, r.nbackups, sizeof *names, newest_first);
	if (ctx->set->json)
		result_stream_list(res, "backups");
	else {
		res->stream = 1;
		result_line(res, "%zu backups on %s (times are the scheduler's local time):",
		    r.nbackups, rc.url);
	}
	for (size_t i = 0; i < r.nbackups; i++)
		show(res, ctx->set->json, names[i], since, &item);
	result_msg(res, "%zu backups", r.nbackups);
	ret = 0;
out:
	if (!res->jstream)
		result_set(res, "backups", json_array());
	free(names);
	buf_free(&item);
	tj_reply_free(&r);
	recovery_close(&rc);
	return ret;
}

const struct cmd_entry cmd_backups_entry = {
	.name = "backups", .args = "", .min_args = 0, .max_args = 0,
	.summary = "the scheduler's backups, newest first",
	.example = "backups --scheduler http://sched1:8081",
	.options = { OPTS_RECOVERY },
	.exec = backups_exec,
};
