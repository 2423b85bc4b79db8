/* delete-tasks: take tasks out of the staged backup (deleteRecoveryTasks). */
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "recovery.h"

struct doomed {
	struct result *r;
	char **ids;
	size_t n;
};

static int collect(void *ctx, const struct tj_task *t, struct err *e)
{
	struct doomed *d = ctx;

	recovery_task_line(d->r, t);
	d->ids = xrealloc(d->ids, (d->n + 1) * sizeof *d->ids);
	d->ids[d->n++] = xstrdup(t->task_id ? t->task_id : "");
	return 0;
}

static int delete_exec(struct cmd_ctx *ctx, struct err *e)
{
	struct settings *set = ctx->set;
	struct recovery rc;
	struct tj_query q = { 0 };
	struct tj_reply r = { 0 }, r2 = { 0 };
	struct doomed d = { ctx->res, NULL, 0 };
	json_t *ids;
	int dropped = 0, ret = -1;
	char *what = NULL;

	if (!set->task_id && !set->role && !set->env && !set->job && !set->status)
		return errf(e, EXIT_USAGE, "delete-tasks needs --task-id or a filter (--role, --env, --job, --status)");
	ids = json_array();
	if (recovery_open(&rc, set, 1, ctx->res, e) < 0 ||
	    recovery_query(set, &q, e) < 0)
		goto out;
	result_line(ctx->res, TASK_HEADER);
	if (recovery_call(&rc, "queryRecovery", NULL, &q, collect, &d, &r,
	    &dropped, e) < 0)
		goto out;
	for (size_t i = 0; i < d.n; i++)
		json_array_append_new(ids, out_json_str(d.ids[i]));
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
	q.task_ids = d.ids;
	q.ntask_ids = d.n;
	ret = recovery_change(&rc, "deleteRecoveryTasks", NULL, &q, &r2, &dropped, e);
	q.task_ids = NULL;
	q.ntask_ids = 0;
	if (ret == 0) {
		ctx->res->changed = 1;
		result_msg(ctx->res, "deleted %zu tasks from the staged backup", d.n);
	}
out:
	result_set(ctx->res, "task_ids", ids);
	free(what);
	free_list(d.ids, d.n);
	tj_reply_free(&r);
	tj_reply_free(&r2);
	recovery_query_free(&q);
	recovery_close(&rc);
	return ret;
}

const struct cmd_entry cmd_delete_tasks_entry = {
	"delete-tasks", "delete-tasks (--task-id ID,... | filters) [--yes]", 0, 0,
	"role,env,job,status,task-id,all-states,yes,scheduler,timeout,max-reply,insecure,hosts,zk,serverset-path,http-port",
	delete_exec
};
