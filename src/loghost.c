#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "journal.h"
#include "loghost.h"
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

	if (session_no_systemd(set))
		return;
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

static int log_path(struct settings *set, const char *path, char **out,
    struct err *e)
{
	struct session s;
	const char *v;
	int rc = -1;

	if (path) {
		*out = xstrdup(path);
		return root_typed_path(set->root, path, "log-status", e);
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
	unroot(lh->rep.reason, set->root);
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

int log_soft_guard(const struct settings *set, struct result *r,
    struct err *why, const char *doing, struct err *e)
{
	if (!set->force)
		return errf(e, why->code, "%s (--force to %s anyway)", why->msg, doing);
	result_line(r, "warning (--force): %s", why->msg);
	return 0;
}

/* The last successful recovery in the journal's log list (of the log
 * at path, when given), or NULL. */
json_t *log_journal_recovered(json_t *log, const char *path)
{
	json_t *v, *found = NULL;
	size_t i;

	json_array_foreach(log, i, v) {
		const char *a = json_string_value(json_object_get(v, "action"));
		const char *p = json_string_value(json_object_get(v, "path"));
		const char *r = json_string_value(json_object_get(v, "result"));
		if (a && p && r && !strcmp(a, "recover") && !strcmp(r, "ok") &&
		    (!path || !strcmp(p, path)))
			found = v;
	}
	return found;
}

void log_recover_report(void *log, struct result *r)
{
	json_t *v = log_journal_recovered(log, NULL), *o;

	if (v == NULL) {
		result_set(r, "recovered", json_null());
		return;
	}
	o = json_object();
	json_object_set(o, "path", json_object_get(v, "path"));
	json_object_set(o, "backup", json_object_get(v, "backup"));
	json_object_set_new(o, "at", json_string(iso_time(json_integer_value(json_object_get(v, "at")))));
	json_object_set(o, "entries", json_object_get(v, "entries"));
	result_line(r, "log %s recovered from %s at %s (%lld entries)",
	    json_string_value(json_object_get(v, "path")),
	    json_string_value(json_object_get(v, "backup")),
	    json_string_value(json_object_get(o, "at")),
	    json_integer_value(json_object_get(v, "entries")));
	result_set(r, "recovered", o);
}
