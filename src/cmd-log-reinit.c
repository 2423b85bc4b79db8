/* log-reinit [--native] [--mesos-log PATH] [--user NAME] [--aside DIR]
 * [--force]: move the replicated log aside and initialize a new one,
 * once per restore, only on a partially disabled host whose scheduler is
 * stopped. --force lifts the profile guard and the once-per-restore
 * guard, never the others (in use, foreign, a symlink, a mount point
 * without --aside). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "cmd.h"
#include "loghost.h"
#include "proc.h"
#include "session.h"
#include "verify.h"

static int check_profile(struct cmd_ctx *ctx, struct session *s, struct err *e)
{
	struct result scratch;
	struct err why = { 0 };
	int drift = 0;

	if (!s->have_journal)
		errf(&why, EXIT_REFUSED, "no profile is applied: a scheduler started on a fresh log without the recovery profile registers with Mesos and kills every task (run aurora-restore apply)");
	result_init(&scratch);
	if (!why.code && verify_host(ctx->set, NULL, &scratch, &drift, &why) < 0)
		errf(&why, EXIT_REFUSED, "this host cannot be verified: %s", why.msg);
	else if (!why.code && drift)
		errf(&why, EXIT_REFUSED, "this host is not in the %s state (%d item%s out of place: run aurora-restore verify)",
		    s->j.profile, drift, drift == 1 ? "" : "s");
	result_free(&scratch);
	return why.code ? log_soft_guard(ctx->set, ctx->res, &why, "re-initialize", e) : 0;
}

/* mesos-log: --mesos-log, else from PATH; NULL when there is none. */
static char *find_mesos_log(struct settings *set, struct err *e)
{
	const char *path = getenv("PATH");
	char *copy, *dir, *save = NULL, *found = NULL;

	if (set->mesos_log) {
		if (access(set->mesos_log, X_OK) != 0)
			errf(e, EXIT_USAGE, "--mesos-log %s: not an executable: %m", set->mesos_log);
		return e->code ? NULL : xstrdup(set->mesos_log);
	}
	copy = xstrdup(path ? path : "/usr/bin:/bin");
	for (dir = strtok_r(copy, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
		char *p = xasprintf("%s/mesos-log", *dir ? dir : ".");
		if (access(p, X_OK) == 0)
			found = p;
		else
			free(p);
	}
	free(copy);
	return found;
}

static int run_mesos_log(const char *prog, const char *real, struct err *e)
{
	char *arg = xasprintf("--path=%s", real);
	char *argv[] = { "/bin/sh", "-c",
		"LIBPROCESS_IP=127.0.0.1 exec \"$0\" initialize \"$1\" 2>&1",
		(char *)prog, arg, NULL };
	char *name = xasprintf("%s initialize %s", prog, arg);
	struct buf out = BUF_INIT;
	struct err why = { 0 };
	int rc = run_command_as(name, argv, NULL, &out, &why);
	char *last = out.s ? out.s : "";

	free(name);
	for (char *p = out.s ? strtok(out.s, "\n") : NULL; p; p = strtok(NULL, "\n"))
		last = p;
	if (rc < 0)
		errf(e, EXIT_FAIL, "%s", why.msg);
	else if (out.s && strstr(last, "The log is not empty"))
		errf(e, EXIT_FAIL, "%s initialize %s: The log is not empty (something wrote to it since it was moved aside: is a scheduler starting?)",
		    prog, arg);
	else if (rc != 0)
		errf(e, EXIT_FAIL, "%s initialize %s failed (exit %d)%s%s", prog,
		    arg, rc, *last ? ": " : "", last);
	buf_free(&out);
	free(arg);
	return rc == 0 ? 0 : -1;
}

struct plan {
	char *mesos_log;	/* NULL: natively */
	struct replica_user u;
	char *aside_dir;	/* --aside under the root */
	mode_t mode;
};

static int make_plan(struct cmd_ctx *ctx, struct log_host *lh, struct plan *p,
    struct err *e)
{
	struct settings *set = ctx->set;
	struct replica *rep = &lh->rep;
	double limit;

	if (!set->native && (p->mesos_log = find_mesos_log(set, e)) == NULL && e->code)
		return -1;
	if (p->mesos_log && proc_helper_limit(&limit, e) < 0)
		return -1;
	if (p->mesos_log == NULL && !replica_have_leveldb())
		return errf(e, set->native ? EXIT_USAGE : EXIT_FAIL,
		    "%s: this build has no libleveldb: install mesos-log or give --mesos-log",
		    set->native ? "--native" : "no mesos-log in PATH");
	if (replica_user_lookup(set->root, lh->user, &p->u, e) < 0)
		return -1;
	p->aside_dir = set->aside ? root_path(set->root, set->aside) : NULL;
	p->mode = rep->state == RS_ABSENT ? 0750 : (rep->st.st_mode & 07777) | 0700;
	if (rep->state == RS_ABSENT || rep->nfiles == 0)
		result_line(ctx->res, "%s is %s: nothing to move aside", lh->path,
		    rep->state == RS_ABSENT ? "absent" : rep->mount_point ?
		    "an empty mount point" : "an empty folder");
	else if (rep->mount_point && p->aside_dir == NULL)
		return errf(e, EXIT_REFUSED, "%s is a mount point and cannot be renamed: give --aside DIR, a directory on its filesystem (e.g. %s itself), to move its files into",
		    lh->path, lh->path);
	else if (rep->mount_point)
		result_line(ctx->res, "%s (%s) is a mount point: its files move into %s/%s.aside-<time>",
		    lh->path, replica_state_names[rep->state], set->aside, strrchr(lh->path, '/') + 1);
	else
		result_line(ctx->res, "%s (%s) moves aside to %s.aside-<time>",
		    lh->path, replica_state_names[rep->state], lh->path);
	result_line(ctx->res, "initialize it %s%s, for user %s (%d:%d, %s), mode %04o",
	    p->mesos_log ? "with " : "natively (libleveldb)",
	    p->mesos_log ? p->mesos_log : "", p->u.name, (int)p->u.uid,
	    (int)p->u.gid, lh->user_from, (unsigned)p->mode);
	return 0;
}

static void plan_free(struct plan *p)
{
	free(p->mesos_log);
	free(p->aside_dir);
	replica_user_free(&p->u);
}

/* Make the new folder, initialize it, give it to the user, and prove it:
 * VOTING, no entries. */
static int initialize(struct log_host *lh, struct plan *p, struct err *e)
{
	struct replica now;
	char *parent = xstrndup(lh->real, strrchr(lh->real, '/') - lh->real);
	int rc = -1;

	if (mkdir_p(*parent ? parent : "/", 0755, e) < 0)
		goto out;
	if (mkdir(lh->real, 0700) < 0 && !(errno == EEXIST &&
	    (lh->rep.mount_point || lh->rep.nfiles == 0))) {
		errf(e, EXIT_FAIL, "cannot create %s: %m", lh->real);
		goto out;
	}
	if ((p->mesos_log ? run_mesos_log(p->mesos_log, lh->real, e) :
	    replica_init_native(lh->real, e)) < 0 ||
	    replica_chown(lh->real, &p->u, p->mode, e) < 0 ||
	    replica_fsync_dir(lh->real, e) < 0 ||
	    replica_fsync_dir(*parent ? parent : "/", e) < 0 ||
	    replica_classify(lh->real, &now, e) < 0)
		goto out;
	if (now.state == RS_UNKNOWN)
		rc = 0;
	else if (now.state != RS_VOTING || now.entries || now.legacy)
		errf(e, EXIT_FAIL, "%s after initializing: %s, %llu entries%s%s, want VOTING, no entries",
		    lh->path, replica_state_names[now.state], now.entries,
		    now.reason ? ": " : "", now.reason ? now.reason : "");
	else
		rc = 0;
	replica_free(&now);
out:
	free(parent);
	return rc;
}

static int record(struct cmd_ctx *ctx, struct session *s, struct log_host *lh,
    struct plan *p, const char *aside, struct err *e)
{
	json_t *o = json_object();

	json_object_set_new(o, "action", json_string("reinit"));
	json_object_set_new(o, "path", out_json_str(lh->path));
	json_object_set_new(o, "aside", aside ? out_json_str(aside) : json_null());
	json_object_set_new(o, "was", out_json_str(replica_state_names[lh->rep.state]));
	json_object_set_new(o, "with", out_json_str(p->mesos_log ? p->mesos_log : "libleveldb"));
	json_object_set_new(o, "user", out_json_str(p->u.name));
	json_object_set_new(o, "restore_started", json_integer(s->j.started));
	return log_journal_note(ctx->set, s->have_journal, o, ctx->res, e);
}

static int log_reinit_exec(struct cmd_ctx *ctx, struct err *e)
{
	struct settings *set = ctx->set;
	struct session s;
	struct log_host lh;
	struct plan p = { 0 };
	json_t *before;
	char *aside = NULL, *shown = NULL;
	int rc = -1;

	memset(&lh, 0, sizeof lh);
	if (session_open(&s, set, !set->check, e) < 0 ||
	    (set->aside && root_typed_path(set->root, set->aside, "--aside", e) < 0) ||
	    log_host_load(set, NULL, &lh, e) < 0)
		goto out;
	result_set(ctx->res, "path", out_json_str(lh.path));
	result_set(ctx->res, "was", out_json_str(replica_state_names[lh.rep.state]));
	before = s.have_journal ? log_journal_find(s.j.log, "reinit", "path", lh.path) : NULL;
	if (before && !set->force) {
		const char *old = json_string_value(json_object_get(before, "aside"));
		result_set(ctx->res, "aside", old ? out_json_str(old) : json_null());
		result_msg(ctx->res, "%s was already re-initialized in this restore, at %s%s%s; nothing done (a scheduler may be using it: --force to do it again)",
		    lh.path, iso_time(json_integer_value(json_object_get(before, "at"))),
		    old ? ", the old log is in " : "", old ? old : "");
		rc = 0;
		goto out;
	}
	if (before)
		result_line(ctx->res, "warning (--force): %s was already re-initialized in this restore", lh.path);
	if (check_profile(ctx, &s, e) < 0 || log_host_refuse(&lh, e) < 0 ||
	    make_plan(ctx, &lh, &p, e) < 0)
		goto out;
	ctx->res->changed = 1;
	if (set->check) {
		result_msg(ctx->res, "would re-initialize %s (now %s)", lh.path,
		    replica_state_names[lh.rep.state]);
		rc = set->detailed_exitcode ? EXIT_DRIFT : 0;
		goto out;
	}
	if (lh.rep.state != RS_ABSENT && lh.rep.nfiles > 0) {
		if (replica_move_aside(lh.real, p.aside_dir, time(NULL), &aside, e) < 0) {
			ctx->res->changed = aside != NULL;
			goto out;
		}
		shown = unroot(xstrdup(aside), set->root);
		result_line(ctx->res, "moved %s aside to %s", lh.path, shown);
	} else if (lh.rep.state != RS_ABSENT && s.have_journal &&
	    (aside = replica_last_aside(lh.real, p.aside_dir, s.j.started)) != NULL) {
		shown = unroot(xstrdup(aside), set->root);
		result_line(ctx->res, "%s is an empty folder (left by an earlier try?): initialized where it is; the log it held before is in %s",
		    lh.path, shown);
	}
	result_set(ctx->res, "aside", shown ? out_json_str(shown) : json_null());
	if (initialize(&lh, &p, e) < 0 || record(ctx, &s, &lh, &p, shown, e) < 0)
		goto out;
	result_msg(ctx->res, "re-initialized %s %s: VOTING, no entries%s%s%s",
	    lh.path, p.mesos_log ? "with mesos-log" : "natively",
	    replica_have_leveldb() ? "" : " (mesos-log succeeded; not read back: no libleveldb)",
	    shown ? "; the old log is in " : "", shown ? shown : "");
	rc = set->detailed_exitcode ? EXIT_DRIFT : 0;
out:
	free(aside);
	free(shown);
	plan_free(&p);
	log_host_free(&lh);
	session_close(&s);
	return rc;
}

static const struct opt log_reinit_options[] = {
	OPT_F("native", "initialize through libleveldb, not mesos-log", native),
	OPT_P("mesos-log", "PATH", "the mesos-log program (default: found in PATH)", mesos_log),
	OPT_S("user", "NAME", "the user the new log belongs to (default: the unit's User=)", log_user),
	OPT_S("aside", "DIR", "where the files of a log that is a mount point go", aside),
	OPT_F("force", "without a verified profile, or a second time in this restore", force),
	OPT_END
};

const struct cmd_entry cmd_log_reinit_entry = {
	.name = "log-reinit", .args = "", .min_args = 0, .max_args = 0,
	.summary = "move the replicated log aside and initialize a new one",
	.example = "log-reinit --check",
	.options = { log_reinit_options },
	.exec = log_reinit_exec,
};
