/* commit [--yes] [--timeout TIME]: make the staged backup the scheduler's
 * state (commitRecovery). The scheduler shuts down inside the call, so the
 * answer may never come: then /vars is watched until it is back. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cmd.h"
#include "impactgate.h"
#include "recovery.h"
#include "timeamt.h"

/* Watch /vars until the scheduler went away and answers again (a page
 * without exactly one lifecycle gauge at 1 is no answer). */
static int watch(struct recovery *rc, struct result *r, double deadline,
    char **state)
{
	int seen_down = 0;
	double start = timeamt_now();

	*state = NULL;
	while (timeamt_now() < deadline) {
		struct live_probe p;
		char *u = rc->url;
		double left = deadline - timeamt_now();
		live_probe_all(&u, 1, left < 2 ? left : 2, rc->admin.insecure, &p, NULL);
		if (!p.ok || p.nstates != 1)
			seen_down = 1;
		else if (seen_down) {
			*state = p.state ? xstrdup(p.state) : xstrdup("no lifecycle");
			result_line(r, "%s is back after %.0f s: %s, framework_registered %s",
			    rc->url, timeamt_now() - start, *state,
			    p.registered < 0 ? "?" : p.registered ? "1" : "0");
			live_probes_free(&p, 1);
			return 1;
		}
		live_probes_free(&p, 1);
		usleep(500 * 1000);
	}
	result_line(r, "%s %s within the timeout", rc->url,
	    seen_down ? "did not come back" : "did not restart");
	return 0;
}

static int commit_exec(struct cmd_ctx *ctx, struct err *e)
{
	struct recovery rc;
	struct tj_reply r = { 0 };
	struct err why = { 0 };
	double deadline;
	char *what = NULL, *state = NULL, *summary = NULL, *name = NULL, *file = NULL;
	int dropped = 0, ret = -1, back;

	if (recovery_open(&rc, ctx->set, 1, ctx->res, e) < 0 ||
	    recovery_check_leader(&rc, rc.url, e) < 0)
		goto out;
	name = recovery_staged_name(ctx->set);
	file = name ? recovery_local_backup(&rc, name) : NULL;
	if (impact_gate(&rc, ctx->res, file, 1, name, &summary, e) < 0)
		goto out;
	rc.impact = summary;
	what = xasprintf("commit the staged backup on %s (it replaces the scheduler's state)", rc.url);
	if (recovery_would(&rc, ctx->res, what)) {
		ret = 0;
		goto out;
	}
	if (recovery_confirm(ctx->set, what, e) < 0)
		goto out;
	ret = recovery_change(&rc, "commitRecovery", NULL, NULL, &r, &dropped, &why);
	if (ret < 0 && !dropped) {
		errf(e, why.code, "%s", why.msg);
		goto out;
	}
	ctx->res->changed = 1;
	deadline = timeamt_now() + ctx->set->timeout;
	result_line(ctx->res, ret == 0 ? "%s answered OK: committed; it shuts itself down now" :
	    "%s did not answer: probably committed (it shuts down inside the call)", rc.url);
	back = watch(&rc, ctx->res, deadline, &state);
	result_set(ctx->res, "confirmed", json_boolean(ret == 0 || back));
	result_set(ctx->res, "lifecycle", state ? out_json_str(state) : json_null());
	if (ret == 0 || back) {
		result_msg(ctx->res, "committed on %s%s%s", rc.url, back ? "; it is back: " : "",
		    back ? state : "");
		ret = 0;
	} else
		ret = errf(e, EXIT_UNKNOWN, "%s; it did not come back within %g s: commit outcome unknown, check its log and /vars",
		    why.msg, ctx->set->timeout);
out:
	free(what);
	free(state);
	free(summary);
	free(name);
	free(file);
	tj_reply_free(&r);
	recovery_close(&rc);
	return ret;
}

static const struct opt commit_options[] = {
	OPT_F("yes", "go ahead without asking", yes),
	OPT_K("max-kill", "N", "refuse when more than N running tasks would be killed", OPT_COUNT, max_kill),
	OPT_F("force", "with --max-kill: go on when the impact is unknown", force),
	OPT_END
};

const struct cmd_entry cmd_commit_entry = {
	.name = "commit", .args = "", .min_args = 0, .max_args = 0,
	.summary = "make the staged backup the scheduler's state",
	.example = "commit --max-kill 0 --yes",
	.options = { commit_options, opts_mesos, OPTS_RECOVERY },
	.exec = commit_exec,
};
