/* tasks: the staged backup's tasks (queryRecovery), or with --live the
 * running scheduler's (getTasksWithoutConfigs). In text mode every line is
 * held back until the call has succeeded, so a call that fails (an
 * unreachable scheduler, an error reply, a reply cut off late) prints
 * nothing on stdout: the first HOLD_TEXT bytes in memory, the rest in an
 * unlinked temporary file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "recovery.h"

#define HOLD_TEXT (1 << 20)

struct listing {
	struct result *r;
	const struct tj_query *q;
	int json;
	struct result held;	/* text mode: the lines not printed yet */
	FILE *spill;		/* and those past HOLD_TEXT, or NULL */
	struct buf item;	/* --json: the task at hand */
	size_t shown, dropped;
	size_t by_status[32];
};

/* Text mode: the header with the first task, every line held. */
static int text_line(struct listing *l, const struct tj_task *t,
    struct err *e)
{
	struct result *h = &l->held;

	if (l->shown == 1)
		result_line(h, TASK_HEADER);
	recovery_task_line(h, t);
	if (h->text.len <= HOLD_TEXT)
		return 0;
	if (l->spill == NULL && (l->spill = tmpfile()) == NULL)
		return errf(e, EXIT_FAIL, "tasks: cannot hold the listing in a temporary file: %m");
	if (fwrite(h->text.s, 1, h->text.len, l->spill) != h->text.len)
		return errf(e, EXIT_FAIL, "tasks: cannot hold the listing in a temporary file: %m");
	buf_reset(&h->text);
	return 0;
}

/* Text mode, the call done: what is held goes out, the spilled lines
 * first, the rest with the result. */
static int text_end(struct listing *l, struct err *e)
{
	char chunk[65536];
	size_t n;

	if (l->shown == 0)
		result_line(&l->held, TASK_HEADER);
	if (l->spill && (fflush(l->spill) != 0 || fseek(l->spill, 0, SEEK_SET) != 0))
		return errf(e, EXIT_FAIL, "tasks: cannot read back the held listing: %m");
	while (l->spill && (n = fread(chunk, 1, sizeof chunk, l->spill)) > 0)
		fwrite(chunk, 1, n, stdout);
	if (l->spill && ferror(l->spill))
		return errf(e, EXIT_FAIL, "tasks: cannot read back the held listing: %m");
	if (l->held.text.len)
		buf_add(&l->r->text, l->held.text.s, l->held.text.len);
	return 0;
}

static int print_task(void *ctx, const struct tj_task *t, struct err *e)
{
	struct listing *l = ctx;

	if (!recovery_task_matches(l->q, t)) {
		l->dropped++;
		return 0;
	}
	l->shown++;
	if (t->status >= 0 && t->status < 32)
		l->by_status[t->status]++;
	if (l->json) {
		buf_reset(&l->item);
		recovery_task_json(&l->item, t);
		result_stream_item(l->r, l->item.s, l->item.len);
		return 0;
	}
	return text_line(l, t, e);
}

static int tasks_exec(struct cmd_ctx *ctx, struct err *e)
{
	struct recovery rc;
	struct tj_query q = { 0 };
	struct tj_reply r = { 0 };
	struct listing l = { .r = ctx->res, .q = &q, .json = ctx->set->json, .item = BUF_INIT,
	    .spill = NULL };
	struct buf counts = BUF_INIT;
	json_t *by = json_object();
	int dropped, ret = -1;
	const char *method = ctx->set->live ? "getTasksWithoutConfigs" : "queryRecovery";

	result_init(&l.held);
	if (recovery_open(&rc, ctx->set, 1, ctx->res, e) < 0 ||
	    recovery_query(ctx->set, &q, e) < 0)
		goto out;
	if (l.json)
		result_stream_list(ctx->res, "tasks");
	if (recovery_call(&rc, method, NULL, &q, print_task, &l, &r, &dropped, e) < 0)
		goto out;
	if (!l.json && text_end(&l, e) < 0)
		goto out;
	for (int s = 0; s < 32; s++)
		if (l.by_status[s]) {
			buf_addf(&counts, "%s%s %zu", counts.len ? ", " : "",
			    tj_status_name(s) ? tj_status_name(s) : "?", l.by_status[s]);
			json_object_set_new(by, tj_status_name(s) ? tj_status_name(s) : "UNKNOWN",
			    json_integer(l.by_status[s]));
		}
	if (l.dropped)
		buf_addf(&counts, "%s%zu more returned that do not match the query, left out",
		    counts.len ? "; " : "", l.dropped);
	result_msg(ctx->res, "%zu tasks %s %s%s%s%s", l.shown, ctx->set->live ?
	    "running on" : "in the backup staged on", rc.url, counts.len ? " (" : "",
	    counts.len ? counts.s : "", counts.len ? ")" : "");
	ret = 0;
out:
	if (!ctx->res->jstream)
		result_set(ctx->res, "tasks", json_array());
	result_set(ctx->res, "tasks_by_status", by);
	result_set(ctx->res, "tasks_left_out", json_integer((json_int_t)l.dropped));
	buf_free(&counts);
	buf_free(&l.item);
	result_free(&l.held);
	if (l.spill)
		fclose(l.spill);
	tj_reply_free(&r);
	recovery_query_free(&q);
	recovery_close(&rc);
	return ret;
}

static const struct opt tasks_options[] = {
	OPT_F("live", "the running scheduler's tasks instead of the staged backup's", live),
	OPT_END
};

const struct cmd_entry cmd_tasks_entry = {
	.name = "tasks", .args = "", .min_args = 0, .max_args = 0,
	.summary = "the staged backup's tasks (active ones unless filtered)",
	.example = "tasks --role www-data --status RUNNING,PENDING",
	.options = { opts_task_filters, tasks_options, OPTS_RECOVERY },
	.exec = tasks_exec,
};
