/* tasks: the staged backup's tasks (queryRecovery), or with --live the
 * running scheduler's (getTasksWithoutConfigs). */
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "recovery.h"

struct listing {
	struct result *r;
	json_t *tasks;		/* --json only */
	size_t by_status[32];
};

static int print_task(void *ctx, const struct tj_task *t, struct err *e)
{
	struct listing *l = ctx;
	const char *st = tj_status_name(t->status);

	if (t->status >= 0 && t->status < 32)
		l->by_status[t->status]++;
	if (l->tasks) {
		json_t *o = json_object();
		json_object_set_new(o, "role", out_json_str(t->role ? t->role : ""));
		json_object_set_new(o, "environment", out_json_str(t->environment ? t->environment : ""));
		json_object_set_new(o, "job", out_json_str(t->job ? t->job : ""));
		json_object_set_new(o, "instance", json_integer(t->instance_id));
		json_object_set_new(o, "status", out_json_str(st ? st : "UNKNOWN"));
		json_object_set_new(o, "task_id", out_json_str(t->task_id ? t->task_id : ""));
		json_array_append_new(l->tasks, o);
	} else
		recovery_task_line(l->r, t);
	return 0;
}

static int tasks_exec(struct cmd_ctx *ctx, struct err *e)
{
	struct recovery rc;
	struct tj_query q = { 0 };
	struct tj_reply r = { 0 };
	struct listing l = { ctx->res, NULL, { 0 } };
	struct buf counts = BUF_INIT;
	json_t *by = json_object();
	int dropped, ret = -1;
	const char *method = ctx->set->live ? "getTasksWithoutConfigs" : "queryRecovery";

	if (recovery_open(&rc, ctx->set, 1, ctx->res, e) < 0 ||
	    recovery_query(ctx->set, &q, e) < 0)
		goto out;
	if (ctx->set->json)
		l.tasks = json_array();
	else {
		ctx->res->stream = 1;
		result_line(ctx->res, TASK_HEADER);
	}
	if (recovery_call(&rc, method, NULL, &q, print_task, &l, &r, &dropped, e) < 0)
		goto out;
	for (int s = 0; s < 32; s++)
		if (l.by_status[s]) {
			buf_addf(&counts, "%s%s %zu", counts.len ? ", " : "",
			    tj_status_name(s) ? tj_status_name(s) : "?", l.by_status[s]);
			json_object_set_new(by, tj_status_name(s) ? tj_status_name(s) : "UNKNOWN",
			    json_integer(l.by_status[s]));
		}
	result_msg(ctx->res, "%zu tasks %s %s%s%s%s", r.ntasks, ctx->set->live ?
	    "running on" : "in the backup staged on", rc.url, counts.len ? " (" : "",
	    counts.len ? counts.s : "", counts.len ? ")" : "");
	ret = 0;
out:
	if (l.tasks)
		result_set(ctx->res, "tasks", l.tasks);
	result_set(ctx->res, "tasks_by_status", by);
	buf_free(&counts);
	tj_reply_free(&r);
	recovery_query_free(&q);
	recovery_close(&rc);
	return ret;
}

const struct cmd_entry cmd_tasks_entry = {
	"tasks", "tasks [--role R] [--env E] [--job J] [--status S,...] [--task-id ID,...] [--all-states] [--live]",
	0, 0, "role,env,job,status,task-id,all-states,live,scheduler,timeout,max-reply,insecure,hosts,zk,serverset-path,http-port",
	tasks_exec
};
