/* log-status [PATH]: classify the replicated log without changing it.
 * Also the view of the log that log-reinit and log-restore-aside share. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "buf.h"
#include "cmd.h"
#include "loghost.h"

static const char *state_of(const struct log_host *lh)
{
	if (lh->rep.state == RS_ABSENT || lh->rep.state == RS_FOREIGN)
		return replica_state_names[lh->rep.state];
	return json_array_size(lh->in_use) ? "in use" : replica_state_names[lh->rep.state];
}

static void describe(struct settings *set, struct log_host *lh, struct result *r)
{
	struct replica *rep = &lh->rep;
	struct replica_user u;
	struct err ue = { 0 };
	char *problem = NULL;
	json_t *files = json_array();
	size_t i;

	result_set(r, "path", out_json_str(lh->path));
	result_set(r, "state", out_json_str(state_of(lh)));
	result_set(r, "contents", out_json_str(replica_state_names[rep->state]));
	result_set(r, "reason", rep->reason ? out_json_str(rep->reason) : json_null());
	result_set(r, "entries", json_integer(rep->entries));
	result_set(r, "first", rep->entries ? json_integer(rep->first) : json_null());
	result_set(r, "last", rep->entries ? json_integer(rep->last) : json_null());
	result_set(r, "promised", json_integer(rep->promised));
	result_set(r, "legacy", json_boolean(rep->legacy));
	result_set(r, "in_use", json_incref(lh->in_use));
	result_set(r, "mount_point", json_boolean(rep->mount_point));
	for (i = 0; i < rep->nfiles; i++)
		json_array_append_new(files, out_json_str(rep->files[i]));
	result_set(r, "files", files);
	result_set(r, "user", out_json_str(lh->user));
	if (rep->state == RS_ABSENT) {
		result_set(r, "owner", json_null());
		result_set(r, "mode", json_null());
	} else {
		char owner[48], mode[16];
		snprintf(owner, sizeof owner, "%d:%d", (int)rep->st.st_uid, (int)rep->st.st_gid);
		snprintf(mode, sizeof mode, "%04o", (unsigned)(rep->st.st_mode & 07777));
		result_set(r, "owner", out_json_str(owner));
		result_set(r, "mode", out_json_str(mode));
		result_line(r, "owner %d:%d, mode %04o, %zu LevelDB file%s%s",
		    (int)rep->st.st_uid, (int)rep->st.st_gid,
		    (unsigned)(rep->st.st_mode & 07777), rep->nfiles,
		    rep->nfiles == 1 ? "" : "s", rep->mount_point ? ", a mount point" : "");
	}
	if (replica_user_lookup(set->root, lh->user, &u, &ue) < 0) {
		result_set(r, "user_can_open", json_null());
		result_set(r, "user_problem", out_json_str(ue.msg));
		result_line(r, "user %s (%s): %s", lh->user, lh->user_from, ue.msg);
	} else {
		problem = unroot(replica_access_problem(lh->real, rep, &u), set->root);
		result_set(r, "user_can_open", json_boolean(problem == NULL));
		result_set(r, "user_problem", problem ? out_json_str(problem) : json_null());
		if (rep->state != RS_ABSENT)
			result_line(r, "user %s (%s): %s", lh->user, lh->user_from,
			    problem ? problem : "can open every file");
		free(problem);
		replica_user_free(&u);
	}
	if (rep->link)
		result_line(r, "%s is a symbolic link to %s: log-reinit and log-restore-aside refuse it",
		    lh->path, rep->link);
	for (i = 0; i < json_array_size(lh->in_use); i++)
		result_line(r, "in use: %s", json_string_value(json_array_get(lh->in_use, i)));
}

static int log_status_exec(struct cmd_ctx *ctx, struct err *e)
{
	struct log_host lh;
	struct replica *rep = &lh.rep;
	struct buf msg = BUF_INIT;
	int rc = -1;

	if (log_host_load(ctx->set, ctx->argc ? ctx->argv[0] : NULL, &lh, e) < 0)
		goto out;
	describe(ctx->set, &lh, ctx->res);
	buf_addf(&msg, "%s: %s", lh.path, state_of(&lh));
	if (strcmp(state_of(&lh), replica_state_names[rep->state]))
		buf_addf(&msg, "; contents %s", replica_state_names[rep->state]);
	if (rep->entries)
		buf_addf(&msg, ", %llu entr%s (positions %llu to %llu)", rep->entries,
		    rep->entries == 1 ? "y" : "ies", rep->first, rep->last);
	else if (rep->state == RS_VOTING && !rep->legacy)
		buf_addf(&msg, ", no entries");
	if (rep->legacy)
		buf_addf(&msg, ", legacy PROMISE record");
	if (rep->reason && rep->state != RS_EMPTY)
		buf_addf(&msg, " (%s)", rep->reason);
	result_msg(ctx->res, "%s", msg.s);
	buf_free(&msg);
	rc = 0;
out:
	log_host_free(&lh);
	return rc;
}

const struct cmd_entry cmd_log_status_entry = {
	.name = "log-status", .args = "[PATH]", .min_args = 0, .max_args = 1,
	.summary = "classify this host's replicated log without changing it",
	.example = "log-status /var/lib/aurora/scheduler/db",
	.options = { NULL },
	.exec = log_status_exec,
};
