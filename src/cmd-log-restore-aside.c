/* log-restore-aside DIR: put a log that log-reinit moved aside back in
 * its place; a live log in the way moves aside first, by the same rules. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "cmd.h"
#include "loghost.h"
#include "session.h"

/* dir must be "<log>.aside-<time>" beside the log, or inside it when
 * the log is a mount point. */
static int check_aside(struct log_host *lh, const char *dir, const char *real,
    const struct replica *old, struct err *e)
{
	struct stat a, b;
	char *pa = xstrndup(real, strrchr(real, '/') - real);
	char *pb = xstrndup(lh->real, strrchr(lh->real, '/') - lh->real);
	int beside = stat(*pa ? pa : "/", &a) == 0 && stat(*pb ? pb : "/", &b) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino;
	int rc = 0;

	if (!replica_is_aside_of(strrchr(real, '/') + 1, strrchr(lh->real, '/') + 1))
		rc = errf(e, EXIT_DATA, "%s is not an aside of %s (want %s.aside-<time>)",
		    dir, lh->path, lh->path);
	else if (!beside && !(lh->rep.mount_point && old->st.st_dev == lh->rep.st.st_dev))
		rc = errf(e, EXIT_DATA, "%s is not beside %s nor on its filesystem", dir, lh->path);
	else if (old->link)
		rc = errf(e, EXIT_REFUSED, "%s is a symbolic link (to %s): give the aside folder itself",
		    dir, old->link);
	else if (old->state == RS_FOREIGN)
		rc = errf(e, EXIT_REFUSED, "%s is not a replicated log: %s is not a LevelDB file",
		    dir, old->reason);
	else if (old->locked)
		rc = errf(e, EXIT_REFUSED, "%s/LOCK is locked by process %ld", dir, old->lock_pid);
	free(pa);
	free(pb);
	return rc;
}

static int record(struct cmd_ctx *ctx, struct session *s, struct log_host *lh,
    const char *dir, const char *aside, struct err *e)
{
	json_t *o = json_object();

	json_object_set_new(o, "action", json_string("restore-aside"));
	json_object_set_new(o, "path", out_json_str(lh->path));
	json_object_set_new(o, "from", out_json_str(dir));
	json_object_set_new(o, "aside", aside ? out_json_str(aside) : json_null());
	return log_journal_note(ctx->set, s->have_journal, o, ctx->res, e);
}

static int log_restore_aside_exec(struct cmd_ctx *ctx, struct err *e)
{
	struct settings *set = ctx->set;
	struct session s;
	struct log_host lh;
	struct replica old, now;
	char *dir = xstrdup(ctx->argv[0]), *real = NULL, *aside = NULL, *shown = NULL;
	int rc = -1, move_live;

	memset(&lh, 0, sizeof lh);
	memset(&old, 0, sizeof old);
	memset(&now, 0, sizeof now);
	for (size_t n = strlen(dir); n > 1 && dir[n - 1] == '/'; n--)
		dir[n - 1] = '\0';
	if (session_open(&s, set, !set->check, e) < 0 ||
	    root_typed_path(set->root, dir, "log-restore-aside", e) < 0 ||
	    log_host_load(set, NULL, &lh, e) < 0)
		goto out;
	real = replica_real_path(set->root, dir);
	if (replica_classify_under(set->root, dir, &old, e) < 0)
		goto out;
	if (old.state == RS_ABSENT && s.have_journal &&
	    log_journal_find(s.j.log, "restore-aside", "from", dir)) {
		result_msg(ctx->res, "%s was already put back at %s in this restore; nothing to do", dir, lh.path);
		rc = 0;
		goto out;
	}
	if (old.state == RS_ABSENT) {
		errf(e, EXIT_DATA, "%s: no such folder", dir);
		goto out;
	}
	if (check_aside(&lh, dir, real, &old, e) < 0 || log_host_refuse(&lh, e) < 0)
		goto out;
	move_live = lh.rep.state != RS_ABSENT && !(lh.rep.mount_point && lh.rep.nfiles == 0);
	if (move_live)
		result_line(ctx->res, "%s (%s) is in the way: it moves aside first", lh.path,
		    replica_state_names[lh.rep.state]);
	ctx->res->changed = 1;
	if (set->check) {
		result_msg(ctx->res, "would put %s (%s) back at %s", dir,
		    replica_state_names[old.state], lh.path);
		rc = set->detailed_exitcode ? EXIT_DRIFT : 0;
		goto out;
	}
	if (move_live) {
		char *pdir = xstrndup(real, strrchr(real, '/') - real);
		int m = replica_move_aside(lh.real, pdir, time(NULL), &aside, e);
		free(pdir);
		if (m < 0)
			goto out;
		shown = unroot(xstrdup(aside), set->root);
		result_line(ctx->res, "moved %s aside to %s", lh.path, shown);
	}
	if (replica_move_back(real, lh.real, e) < 0 ||
	    replica_classify(lh.real, &now, e) < 0 ||
	    record(ctx, &s, &lh, dir, shown, e) < 0)
		goto out;
	result_set(ctx->res, "path", out_json_str(lh.path));
	result_set(ctx->res, "state", out_json_str(replica_state_names[now.state]));
	result_set(ctx->res, "entries", json_integer(now.entries));
	result_set(ctx->res, "aside", shown ? out_json_str(shown) : json_null());
	result_msg(ctx->res, "put %s back at %s: %s, %llu entries%s%s", dir, lh.path,
	    replica_state_names[now.state], now.entries,
	    shown ? "; the log that was there is in " : "", shown ? shown : "");
	rc = set->detailed_exitcode ? EXIT_DRIFT : 0;
out:
	replica_free(&old);
	replica_free(&now);
	log_host_free(&lh);
	session_close(&s);
	free(dir);
	free(real);
	free(aside);
	free(shown);
	return rc;
}

const struct cmd_entry cmd_log_restore_aside_entry = {
	.name = "log-restore-aside", .args = "DIR", .min_args = 1, .max_args = 1,
	.summary = "put a log that log-reinit moved aside back in place",
	.example = "log-restore-aside /var/lib/aurora/scheduler/db.aside-20261127T020000Z",
	.options = { NULL },
	.exec = log_restore_aside_exec,
};
