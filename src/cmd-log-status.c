/* log-status [PATH]: classify the replicated log without changing it.
 * Also the view of the log that log-reinit and log-restore-aside share. */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "cmd.h"
#include "proc.h"
#include "session.h"
#include "unit.h"

/* A JSON string from a format (json_sprintf needs jansson 2.11). */
static json_t *jfmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static json_t *jfmt(const char *fmt, ...)
{
	va_list ap;
	char *s;
	json_t *j;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	va_end(ap);
	j = out_json_str(s);
	free(s);
	return j;
}

/* User= of the unit as systemd reads it under --root, or NULL. */
static int unit_user(const struct settings *set, char **user, struct err *e)
{
	struct unit u;

	if (unit_load(&u, set->root, set->unit, e) < 0)
		return -1;
	*user = u.user ? xstrdup(u.user) : NULL;
	unit_free(&u);
	return 0;
}

/* Is the unit stopped? systemctl is-active prints its state: only
 * inactive, failed and unknown mean stopped (a Restart=always unit in
 * activating comes back by itself). No systemctl, or a machine not booted
 * with systemd, means no service manager to start it. */
static void check_unit(const struct settings *set, json_t *in_use)
{
	char *argv[] = { set->systemctl, "is-active", set->unit, NULL };
	struct buf out = BUF_INIT;
	struct err e = { 0 };
	char *state;

	if (run_command(argv, NULL, &out, &e) < 0) {
		buf_free(&out);
		return;
	}
	state = xstrndup(out.s ? out.s : "", out.s ? strcspn(out.s, " \t\r\n") : 0);
	if (*state == '\0' && strstr(e.msg, "not been booted with systemd"))
		;
	else if (*state == '\0')
		json_array_append_new(in_use, jfmt("unit %s: state unknown (%s)",
		    set->unit, e.code ? e.msg : "systemctl is-active printed nothing"));
	else if (strcmp(state, "inactive") && strcmp(state, "failed") &&
	    strcmp(state, "unknown"))
		json_array_append_new(in_use, jfmt("unit %s is %.64s%s", set->unit,
		    state, strlen(state) > 64 ? "..." : ""));
	free(state);
	buf_free(&out);
}

char *log_unroot(const struct settings *set, const char *real)
{
	size_t n = strlen(set->root);
	struct buf b = BUF_INIT;
	const char *p;

	while (n > 0 && set->root[n - 1] == '/')
		n--;
	buf_adds(&b, "");
	for (p = real; n > 0 && (p = strstr(real, set->root)) != NULL; real = p + n) {
		buf_add(&b, real, p - real);
		if (strncmp(p, set->root, n) != 0 || p[n] != '/')
			buf_add(&b, p, n);
	}
	buf_adds(&b, real);
	return buf_detach(&b);
}

static int log_path(struct settings *set, const char *path, char **out,
    struct err *e)
{
	struct session s;
	const char *v;
	int rc = -1;

	if (path) {
		*out = xstrdup(path);
		return 0;
	}
	if (session_open(&s, set, 0, e) < 0 || session_host(&s, e) < 0)
		goto out;
	v = host_flag_value(&s.host, "native_log_file_path");
	if (v == NULL || *v == '\0')
		errf(e, EXIT_DATA, "%s: no -native_log_file_path among the scheduler's flags (give the log's PATH)",
		    s.host.files[0]->path);
	else if (*v != '/')
		errf(e, EXIT_DATA, "%s: -native_log_file_path=%s is not an absolute path",
		    s.host.files[0]->path, v);
	else {
		*out = xstrdup(v);
		rc = 0;
	}
out:
	session_close(&s);
	return rc;
}

int log_host_load(struct settings *set, const char *path, struct log_host *lh,
    struct err *e)
{
	struct sched sc;
	int found;
	char *u;

	memset(lh, 0, sizeof *lh);
	lh->in_use = json_array();
	if (log_path(set, path, &lh->path, e) < 0)
		return -1;
	if (replica_classify_under(set->root, lh->path, &lh->rep, e) < 0)
		return -1;
	lh->real = replica_real_path(set->root, lh->path);
	if (lh->rep.reason) {
		u = log_unroot(set, lh->rep.reason);
		free(lh->rep.reason);
		lh->rep.reason = u;
	}
	if (lh->rep.locked)
		json_array_append_new(lh->in_use, jfmt("%s/LOCK is locked by process %ld",
		    lh->path, lh->rep.lock_pid));
	if (proc_find_scheduler(set->proc, set->root, &sc, &found, e) < 0)
		return -1;
	if (found)
		json_array_append_new(lh->in_use, jfmt("scheduler process %d runs", sc.pid));
	proc_free(&sc);
	check_unit(set, lh->in_use);
	if (set->log_user) {
		lh->user = xstrdup(set->log_user);
		lh->user_from = "--user";
	} else if (unit_user(set, &u, e) < 0)
		return -1;
	else if (u != NULL) {
		lh->user = u;
		lh->user_from = "the unit's User=";
	} else {
		lh->user = xstrdup("aurora");
		lh->user_from = "the default";
	}
	return 0;
}

void log_host_free(struct log_host *lh)
{
	free(lh->path);
	free(lh->real);
	free(lh->user);
	json_decref(lh->in_use);
	replica_free(&lh->rep);
	memset(lh, 0, sizeof *lh);
}

int log_host_refuse(const struct log_host *lh, struct err *e)
{
	struct stat st;
	struct buf b = BUF_INIT;
	int rc = 0;

	for (size_t i = 0; i < json_array_size(lh->in_use); i++)
		buf_addf(&b, "%s%s", i ? "; " : "", json_string_value(json_array_get(lh->in_use, i)));
	if (b.len)
		rc = errf(e, EXIT_REFUSED, "%s is in use: %s (stop the scheduler first)", lh->path, b.s);
	else if (lh->rep.state == RS_FOREIGN)
		rc = errf(e, EXIT_REFUSED, "%s is not a replicated log: %s is not a LevelDB file (is -native_log_file_path right?)",
		    lh->path, lh->rep.reason);
	else if (lstat(lh->real, &st) == 0 && S_ISLNK(st.st_mode))
		rc = errf(e, EXIT_REFUSED, "%s is a symbolic link (to %s): set -native_log_file_path to the folder itself",
		    lh->path, lh->rep.link ? lh->rep.link : "?");
	buf_free(&b);
	return rc;
}

json_t *log_journal_find(json_t *list, const char *action, const char *key,
    const char *value)
{
	json_t *v;
	size_t i;

	json_array_foreach(list, i, v) {
		const char *a = json_string_value(json_object_get(v, "action"));
		const char *k = json_string_value(json_object_get(v, key));
		if (a && k && strcmp(a, action) == 0 && strcmp(k, value) == 0)
			return v;
	}
	return NULL;
}

int log_journal_note(struct settings *set, int have_journal, json_t *o,
    struct result *r, struct err *e)
{
	int rc = 0;

	json_object_set_new(o, "at", json_integer(time(NULL)));
	if (have_journal)
		rc = journal_append(set->root, "log", o, e);
	else
		result_line(r, "warning: no profile is applied, so this is not journaled");
	json_decref(o);
	return rc;
}

int log_soft_guard(struct cmd_ctx *ctx, struct err *why, const char *doing,
    struct err *e)
{
	if (!ctx->set->force)
		return errf(e, why->code, "%s (--force to %s anyway)", why->msg, doing);
	result_line(ctx->res, "warning (--force): %s", why->msg);
	return 0;
}

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
		result_set(r, "owner", jfmt("%d:%d", (int)rep->st.st_uid, (int)rep->st.st_gid));
		result_set(r, "mode", jfmt("%04o", (unsigned)(rep->st.st_mode & 07777)));
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
		char *p = replica_access_problem(lh->real, rep, &u);
		problem = p ? log_unroot(set, p) : NULL;
		free(p);
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
	"log-status", "log-status [PATH]", 0, 1, "", log_status_exec
};
