/* delete-tasks: take tasks out of the staged backup (deleteRecoveryTasks). */
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "recovery.h"

struct doomed {
	struct result *r;
	const struct tj_query *q;
	int json;
	struct buf ids;		/* the task ids, each ended by a NUL */
	struct buf item;	/* --json: the id at hand */
	size_t n, dropped;
};

static int collect(void *ctx, const struct tj_task *t, struct err *e)
{
	struct doomed *d = ctx;
	const char *id = t->task_id ? t->task_id : "";

	(void)e;
	if (!recovery_task_matches(d->q, t)) {
		d->dropped++;
		return 0;
	}
	if (d->json) {
		buf_reset(&d->item);
		recovery_json_str(&d->item, id);
		result_stream_item(d->r, d->item.s, d->item.len);
	} else
		recovery_task_line(d->r, t);
	buf_add(&d->ids, id, strlen(id) + 1);
	d->n++;
	return 0;
}

/* The ids collected, as the array a query takes. */
static char **id_list(const struct doomed *d)
{
	char **v = xcalloc(d->n + 1, sizeof *v);
	char *p = d->ids.s;

	for (size_t i = 0; i < d->n; i++, p += strlen(p) + 1)
		v[i] = p;
	return v;
}

static int delete_exec(struct cmd_ctx *ctx, struct err *e)
{
	struct settings *set = ctx->set;
	struct recovery rc;
	struct tj_query q = { 0 };
	struct tj_reply r = { 0 }, r2 = { 0 };
	struct doomed d = { ctx->res, &q, set->json, BUF_INIT, BUF_INIT, 0, 0 };
	char **ids = NULL;
	int dropped = 0, ret = -1;
	char *what = NULL;

	if (!set->task_id && !set->role && !set->env && !set->job && !set->status)
		return errf(e, EXIT_USAGE, "delete-tasks needs --task-id or a filter (--role, --env, --job, --status)");
	if (recovery_open(&rc, set, 1, ctx->res, e) < 0 ||
	    recovery_query(set, &q, e) < 0)
		goto out;
	if (d.json)
		result_stream_list(ctx->res, "task_ids");
	else {
		ctx->res->stream = 1;
		result_line(ctx->res, TASK_HEADER);
	}
	if (recovery_call(&rc, "queryRecovery", NULL, &q, collect, &d, &r,
	    &dropped, e) < 0)
		goto out;
	if (d.dropped)
		result_line(ctx->res, "left out: %zu task%s the scheduler returned that do not match the query (never deleted)",
		    d.dropped, d.dropped == 1 ? "" : "s");
	if (d.n == 0) {
		result_msg(ctx->res, "no staged task matches; nothing to delete");
		ret = 0;
		goto out;
	}
	what = xasprintf("delete these %zu tasks from the backup staged on %s", d.n, rc.url);
	if (recovery_would(&rc, ctx->res, what)) {
		ret = 0;
		goto out;
	}
	if (recovery_confirm(set, what, e) < 0)
		goto out;
	/* Delete exactly the tasks shown, by id. */
	recovery_query_free(&q);
	q.task_ids = ids = id_list(&d);
	q.ntask_ids = d.n;
	ret = recovery_change(&rc, "deleteRecoveryTasks", NULL, &q, &r2, &dropped, e);
	q.task_ids = NULL;
	q.ntask_ids = 0;
	if (ret == 0) {
		ctx->res->changed = 1;
		result_msg(ctx->res, "deleted %zu tasks from the staged backup", d.n);
	}
out:
	if (!ctx->res->jstream)
		result_set(ctx->res, "task_ids", json_array());
	result_set(ctx->res, "tasks_left_out", json_integer((json_int_t)d.dropped));
	free(what);
	free(ids);
	buf_free(&d.ids);
	buf_free(&d.item);
	tj_reply_free(&r);
	tj_reply_free(&r2);
	recovery_query_free(&q);
	recovery_close(&rc);
	return ret;
}

static const struct opt delete_options[] = {
	OPT_F("yes", "go ahead without asking", yes),
	OPT_END
};

const struct cmd_entry cmd_delete_tasks_entry = {
	.name = "delete-tasks", .args = "", .min_args = 0, .max_args = 0,
	.summary = "delete the staged tasks given by --task-id or the filters",
	.example = "delete-tasks --task-id 1234-www-data-prod-hello-0-abcd --yes",
	.options = { opts_task_filters, delete_options, OPTS_RECOVERY },
	.exec = delete_exec,
};
