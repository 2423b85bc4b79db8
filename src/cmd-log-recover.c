/* log-recover FILE [--recovery-tool PATH] [--user NAME] [--max-age TIME]
 * [--force] [--max-kill N]: Aurora 0.21+'s offline restore. Aurora's own
 * recovery-tool copies the backup FILE into this host's freshly
 * initialized replicated log, started as the scheduler's launcher starts
 * the scheduler and as its user, once per restore. The guards (log in
 * use, log not freshly initialized, backup empty, unreadable or old) run
 * before the tool; --force lifts only the age and once-per-restore
 * guards. */
#include <dirent.h>
#include <fcntl.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cmd.h"
#include "impactgate.h"
#include "loghost.h"
#include "recover.h"
#include "recovery.h"
#include "session.h"
#include "snapshot.h"

#define TAIL 20

/* The tool's output: streamed with the seconds since its start, the last
 * TAIL lines kept for the journal and the error message. */
struct tail {
	struct result *res;
	int json;
	char *line[TAIL];
	int n;
};

static void on_line(void *ctx, const char *line, double t)
{
	struct tail *tl = ctx;

	if (tl->json)
		fprintf(stderr, "recovery-tool [%7.1fs] %s\n", t, line);
	else {
		result_line(tl->res, "recovery-tool [%7.1fs] %s", t, line);
		fflush(stdout);
	}
	free(tl->line[tl->n % TAIL]);
	tl->line[tl->n++ % TAIL] = xstrdup(line);
}

static json_t *tail_json(struct tail *tl)
{
	json_t *a = json_array();

	for (int i = tl->n > TAIL ? tl->n - TAIL : 0; i < tl->n; i++)
		json_array_append_new(a, json_string(tl->line[i % TAIL]));
	return a;
}

static const char *tail_last(const struct tail *tl)
{
	return tl->n ? tl->line[(tl->n - 1) % TAIL] : "no output";
}

static void tail_free(struct tail *tl)
{
	for (int i = 0; i < TAIL; i++)
		free(tl->line[i]);
}

static int check_log(const struct log_host *lh, const struct replica_user *u,
    struct err *e)
{
	const struct replica *rep = &lh->rep;
	char *problem;

	if (log_host_refuse(lh, e) < 0)
		return -1;
	if (rep->state != RS_VOTING || rep->entries || rep->legacy)
		return errf(e, EXIT_REFUSED, "%s is %s%s%s, not a freshly initialized log (VOTING, no entries): run aurora-restore log-reinit first",
		    lh->path, replica_state_names[rep->state],
		    rep->entries ? " with entries" : "", rep->legacy ? " (legacy)" : "");
	if ((problem = replica_access_problem(lh->real, rep, u)) != NULL) {
		errf(e, EXIT_REFUSED, "%s: %s (run aurora-restore log-reinit, which gives it to %s)",
		    lh->path, problem, u->name);
		free(problem);
		return -1;
	}
	return 0;
}

static int check_backup(struct cmd_ctx *ctx, const char *file,
    long long *written, struct err *e)
{
	struct snapshot_info si;
	struct err why = { 0 };

	if (snapshot_read(file, &si, &why) < 0)
		return errf(e, EXIT_REFUSED, "%s (not a backup the recovery tool can restore)", why.msg);
	*written = si.timestamp_ms >= 0 ? si.timestamp_ms / 1000 : -1;
	result_line(ctx->res, "%s: %zu tasks, %zu cron jobs, written %s (UTC)", file,
	    si.ntasks, si.njobs, *written >= 0 ? iso_time(*written) : "at an unknown time");
	if (si.ntasks == 0)
		errf(e, EXIT_REFUSED, "%s holds no tasks: an empty snapshot", file);
	snapshot_free(&si);
	if (e->code)
		return -1;
	if (backup_too_old(file, *written, ctx->set->max_age, &why) < 0)
		return log_soft_guard(ctx->set, ctx->res, &why, "recover", e);
	return 0;
}

/* What restoring file kills of what Mesos runs now: the summary line, and
 * --max-kill refusing before the tool starts (impact_gate, impactgate.h). */
static int check_impact(struct cmd_ctx *ctx, const char *file, struct err *e)
{
	struct recovery rc;
	char *summary = NULL;
	int ret = recovery_open(&rc, ctx->set, 0, ctx->res, e);

	if (ret == 0)
		ret = impact_gate(&rc, ctx->res, file, 0, NULL, &summary, e);
	free(summary);
	recovery_close(&rc);
	return ret;
}

#define COPY_PREFIX "aurora-restore-backup."	/* then 6 characters (mkdtemp) */

/* A copy of file that u can read, in a private folder under the root's
 * /tmp; *dir gets the folder (both malloc'd), *held an open descriptor of
 * it with an exclusive flock, so that no other run sweeps it while ours
 * uses it. */
static int private_copy(struct settings *set, const char *file,
    const struct replica_user *u, char **dir, char **copy, int *held,
    struct err *e)
{
	char *tmp = root_path(set->root, "/tmp");
	struct buf data = BUF_INIT;
	struct file_meta meta = { 1, 0400, u->uid, u->gid, { 0, 0 } };
	const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
	int written, rc = -1;

	*copy = NULL;
	*dir = xasprintf("%s/" COPY_PREFIX "XXXXXX", tmp);
	if (mkdtemp(*dir) == NULL) {
		errf(e, EXIT_FAIL, "cannot make a private folder in %s for a copy %s can read: %m", tmp, u->name);
		free(*dir);
		*dir = NULL;
	} else if ((*held = open(*dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    flock(*held, LOCK_EX) < 0)
		errf(e, EXIT_FAIL, "cannot lock %s: %m", *dir);
	else if (chown(*dir, u->uid, u->gid) < 0)
		errf(e, EXIT_FAIL, "cannot give %s to %s: %m", *dir, u->name);
	else if (file_read(file, &data, NULL, 0, e) == 0) {
		*copy = xasprintf("%s/%s", *dir, base);
		rc = file_write_atomic(*copy, data.s, data.len, &meta, 0, &written, e);
	}
	buf_free(&data);
	free(tmp);
	return rc;
}

/* Whether every entry of dir is a plain file of uid (not followed); with
 * drop, each is also removed. */
static int users_files(DIR *dir, uid_t uid, int drop)
{
	struct dirent *d;
	struct stat st;
	int fd = dirfd(dir), all = 1;

	rewinddir(dir);
	while ((d = readdir(dir)) != NULL) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		if (fstatat(fd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(st.st_mode) || st.st_uid != uid ||
		    (drop && unlinkat(fd, d->d_name, 0) < 0))
			all = 0;
	}
	return all;
}

/* A private folder an interrupted run left (kill -9): remove it, when u
 * owns it, no run holds its flock, and it holds only u's plain files;
 * otherwise leave every file in it. */
static int sweep_one(int tmp, const char *name, const struct replica_user *u)
{
	struct stat st;
	DIR *dir;
	int fd, clean;

	if (fstatat(tmp, name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode) ||
	    st.st_uid != u->uid ||
	    (fd = openat(tmp, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return -1;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0 || (dir = fdopendir(fd)) == NULL) {
		close(fd);
		return -1;
	}
	clean = users_files(dir, u->uid, 0) && users_files(dir, u->uid, 1);
	closedir(dir);
	return clean && unlinkat(tmp, name, AT_REMOVEDIR) == 0 ? 0 : -1;
}

/* A name mkdtemp could have made from COPY_PREFIX "XXXXXX". */
static int copy_name(const char *name)
{
	size_t n = strlen(COPY_PREFIX);

	if (strncmp(name, COPY_PREFIX, n) != 0 || strlen(name) != n + 6)
		return 0;
	for (name += n; *name; name++)
		if (!isalnum((unsigned char)*name))
			return 0;
	return 1;
}

static void sweep_copies(struct cmd_ctx *ctx, const struct replica_user *u)
{
	char *tmp = root_path(ctx->set->root, "/tmp");
	struct dirent *d;
	DIR *dir = opendir(tmp);

	while (dir && (d = readdir(dir)) != NULL)
		if (copy_name(d->d_name) && sweep_one(dirfd(dir), d->d_name, u) == 0)
			result_line(ctx->res, "removed /tmp/%s, a private copy of a backup an interrupted run left",
			    d->d_name);
	if (dir)
		closedir(dir);
	free(tmp);
}

static void remove_copy(char *dir, char *copy, int held)
{
	if (copy)
		unlink(copy);
	if (dir)
		rmdir(dir);
	if (held >= 0)
		close(held);
	free(copy);
	free(dir);
}

/* Flush what is already said, then let lines go straight out. */
static void stream_on(struct cmd_ctx *ctx)
{
	if (ctx->set->json)
		return;
	fwrite(ctx->res->text.s ? ctx->res->text.s : "", 1, ctx->res->text.len, stdout);
	buf_reset(&ctx->res->text);
	ctx->res->stream = 1;
}

static void describe(struct cmd_ctx *ctx, struct log_host *lh,
    const struct recover_cmd *c, const struct replica_user *u)
{
	char *shown = unroot(recover_argv_line(c), ctx->set->root);
	const char *jo = recover_env(c, "JAVA_OPTS");
	json_t *argv = json_array(), *env = json_object();

	for (int i = 0; i < c->argc; i++)
		json_array_append_new(argv, out_json_str(c->argv[i]));
	for (int i = 0; i < c->nenv; i++) {
		char *name = xstrndup(c->env[i], strcspn(c->env[i], "="));
		json_object_set_new(env, name, out_json_str(c->env[i] + strlen(name) + 1));
		free(name);
	}
	result_set(ctx->res, "argv", argv);
	result_set(ctx->res, "env", env);
	result_set(ctx->res, "user", json_string(u->name));
	result_line(ctx->res, "run as %s (%d:%d, %s): %s", u->name, (int)u->uid,
	    (int)u->gid, lh->user_from, shown);
	result_line(ctx->res, "environment%s%s: JAVA_OPTS=%s LIBPROCESS_IP=%s%s%s",
	    c->env_from ? " from " : "", c->env_from ? c->env_from : "",
	    jo ? jo : "(unset)", recover_env(c, "LIBPROCESS_IP"),
	    recover_env(c, "LIBPROCESS_PORT") ? " LIBPROCESS_PORT=" : "",
	    recover_env(c, "LIBPROCESS_PORT") ? recover_env(c, "LIBPROCESS_PORT") : "");
	if (jo == NULL || strstr(jo, "-Djava.library.path=") == NULL)
		result_line(ctx->res, "warning: JAVA_OPTS sets no -Djava.library.path: libmesos may not load (the tool then fails with UnsatisfiedLinkError)");
	free(shown);
}

static int record(struct cmd_ctx *ctx, struct session *s, struct log_host *lh,
    const char *backup, long long written, const struct recover_cmd *c,
    const struct replica_user *u, int status, unsigned long long entries,
    struct tail *tl, struct err *e)
{
	json_t *o = json_object();

	json_object_set_new(o, "action", json_string("recover"));
	json_object_set_new(o, "path", json_string(lh->path));
	json_object_set_new(o, "backup", json_string(backup));
	json_object_set_new(o, "backup_written", json_integer(written));
	json_object_set_new(o, "tool", json_string(c->tool));
	json_object_set_new(o, "user", json_string(u->name));
	json_object_set_new(o, "result", json_string(status == 0 && entries ? "ok" : "failed"));
	json_object_set_new(o, "exit", json_integer(status));
	json_object_set_new(o, "entries", json_integer(entries));
	json_object_set_new(o, "output", tail_json(tl));
	json_object_set_new(o, "restore_started", json_integer(s->j.started));
	return log_journal_note(ctx->set, s->have_journal, o, ctx->res, e);
}

/* Run the tool, then prove the log holds entries. */
static int recover(struct cmd_ctx *ctx, struct session *s, struct log_host *lh,
    const char *backup, long long written, struct recover_cmd *c,
    const struct replica_user *u, struct err *e)
{
	struct tail tl = { ctx->res, ctx->set->json, { 0 }, 0 };
	struct replica now;
	struct err why = { 0 };
	unsigned long long entries = 0;
	int status, rc = -1;

	stream_on(ctx);
	ctx->res->changed = 1;
	status = recover_run(c, u, on_line, &tl, e);
	if (status < 0)
		goto out;
	if (replica_classify(lh->real, &now, &why) == 0) {
		entries = now.entries;
		result_set(ctx->res, "entries", json_integer(entries));
		replica_free(&now);
	}
	result_set(ctx->res, "output", tail_json(&tl));
	if (record(ctx, s, lh, backup, written, c, u, status, entries, &tl, e) < 0)
		goto out;
	if (status != 0)
		errf(e, EXIT_FAIL, "recovery-tool exited %d (%s); %s may hold part of the backup: run aurora-restore log-reinit --force, then log-recover again",
		    status, tail_last(&tl), lh->path);
	else if (entries == 0)
		errf(e, EXIT_FAIL, "recovery-tool exited 0 but the log holds no entries (%s); run aurora-restore log-reinit --force, then log-recover again",
		    why.code ? why.msg : lh->path);
	else {
		result_msg(ctx->res, "recovered %s into %s: %llu entries; start this scheduler, then enough blank ones for -native_log_quorum_size",
		    backup, lh->path, entries);
		rc = 0;
	}
out:
	tail_free(&tl);
	return rc;
}

static int log_recover_exec(struct cmd_ctx *ctx, struct err *e)
{
	struct settings *set = ctx->set;
	const char *file = ctx->argv[0];
	struct session s;
	struct log_host lh;
	struct replica_user u = { 0 };
	struct recover_cmd c = { 0 };
	char *tool = NULL, *backup = NULL, *dir = NULL, *copy = NULL;
	long long written = -1;
	json_t *before;
	int rc = -1, held = -1;

	memset(&lh, 0, sizeof lh);
	if (session_open(&s, set, !set->check, e) < 0 ||
	    log_host_load(set, NULL, &lh, e) < 0)
		goto out;
	result_set(ctx->res, "path", json_string(lh.path));
	before = s.have_journal ? log_journal_recovered(s.j.log, lh.path) : NULL;
	if (before && !set->force) {
		const char *from = json_string_value(json_object_get(before, "backup"));
		result_set(ctx->res, "backup", json_string(from));
		result_msg(ctx->res, "%s was already recovered in this restore, at %s, from %s; nothing done (--force to run the recovery tool again)",
		    lh.path, iso_time(json_integer_value(json_object_get(before, "at"))), from);
		rc = 0;
		goto out;
	}
	if (before)
		result_line(ctx->res, "warning (--force): %s was already recovered in this restore", lh.path);
	backup = realpath(file, NULL);	/* what is checked is what the tool reads */
	if (replica_user_lookup(set->root, lh.user, &u, e) < 0 ||
	    check_log(&lh, &u, e) < 0 ||
	    check_backup(ctx, backup ? backup : file, &written, e) < 0 ||
	    check_impact(ctx, backup ? backup : file, e) < 0 ||
	    recover_find_tool(set, &tool, e) < 0 || session_host(&s, e) < 0)
		goto out;
	if (backup == NULL) {
		errf(e, EXIT_FAIL, "%s: %m", file);
		goto out;
	}
	result_set(ctx->res, "backup", json_string(backup));
	if (!set->check)
		sweep_copies(ctx, &u);
	if (!recover_user_can_read(backup, &u)) {
		result_line(ctx->res, "%s cannot read %s: the tool gets a private copy", u.name, backup);
		if (!set->check && private_copy(set, backup, &u, &dir, &copy, &held, e) < 0)
			goto out;
	}
	if (recover_build(&s.host, tool, copy ? copy : backup, lh.real, &c, e) < 0)
		goto out;
	describe(ctx, &lh, &c, &u);
	if (set->check) {
		ctx->res->changed = 1;
		result_msg(ctx->res, "would recover %s into %s with %s", backup, lh.path, tool);
		rc = set->detailed_exitcode ? EXIT_DRIFT : 0;
		goto out;
	}
	if (recover(ctx, &s, &lh, backup, written, &c, &u, e) == 0)
		rc = set->detailed_exitcode ? EXIT_DRIFT : 0;
out:
	remove_copy(dir, copy, held);
	recover_cmd_free(&c);
	free(tool);
	free(backup);
	replica_user_free(&u);
	log_host_free(&lh);
	session_close(&s);
	return rc;
}

static const struct opt log_recover_options[] = {
	OPT_P("recovery-tool", "PATH", "Aurora's recovery-tool (default: the package's)", recovery_tool),
	OPT_S("user", "NAME", "the user the tool runs as (default: the unit's User=)", log_user),
	OPT_K("max-age", "TIME", "refuse a backup older than TIME (default 4hrs)", OPT_TIME, max_age),
	OPT_F("force", "go on although the backup is old or the impact unknown", force),
	OPT_K("max-kill", "N", "refuse when more than N running tasks would be killed", OPT_COUNT, max_kill),
	OPT_END
};

const struct cmd_entry cmd_log_recover_entry = {
	.name = "log-recover", .args = "FILE", .min_args = 1, .max_args = 1,
	.real_args = 1,
	.summary = "Aurora 0.21+: recovery-tool writes a backup into the log",
	.example = "log-recover /tmp/scheduler-backup-2026-11-27-02-00 --max-kill 0",
	.options = { log_recover_options, opts_mesos },
	.exec = log_recover_exec,
};
