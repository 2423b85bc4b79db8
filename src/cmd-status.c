/* status: which profile is applied, since when, by whom, each value, and
 * the effective flags a restore needs (-backup_dir, -native_log_file_path). */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cmd.h"
#include "loghost.h"
#include "engine.h"
#include "proc.h"
#include "session.h"
#include "timeamt.h"

static json_t *jstr(const char *s)
{
	return out_json_str(s);
}

/* An item's value for --json: a secret flag's masked. */
static json_t *jvalue(const struct jitem *it, const char *v)
{
	char *m;
	json_t *j;

	if (v == NULL || it->kind != ITEM_FLAG)
		return jstr(v);
	m = out_flag_value(it->name, v);
	j = jstr(m);
	free(m);
	return j;
}

/* The running scheduler, and the time max_registration_delay leaves it. */
static void report_scheduler(struct session *s, struct result *r)
{
	struct sched sc;
	int found;
	const char *delay = NULL;
	double secs, left;
	json_t *o = json_object();
	struct err e = { 0 };

	if (proc_find_scheduler(s->set->proc, s->set->root, &sc, &found, &e) < 0 ||
	    !found) {
		if (e.code)
			result_line(r, "scheduler: unknown (%s)", e.msg);
		else
			result_line(r, "scheduler: not running");
		json_object_set_new(o, "running", json_false());
		result_set(r, "scheduler", o);
		return;
	}
	json_object_set_new(o, "running", json_true());
	json_object_set_new(o, "pid", json_integer(sc.pid));
	if (sc.started > 0)
		json_object_set_new(o, "started", jstr(iso_time((long long)sc.started)));
	result_line(r, "scheduler: pid %d, started %s", sc.pid,
	    sc.started > 0 ? iso_time((long long)sc.started) : "at an unknown time");
	if (proc_flag(&sc, "max_registration_delay", &delay) && delay &&
	    timeamt_parse(delay, &secs) == 0 && sc.started > 0) {
		left = sc.started + secs - (double)time(NULL);
		json_object_set_new(o, "registration_deadline",
		    jstr(iso_time((long long)(sc.started + secs))));
		json_object_set_new(o, "seconds_left", json_integer(left > 0 ? (long long)left : 0));
		if (left > 0)
			result_line(r, "  -max_registration_delay=%s: %lldh%02lldm left (until %s), then it stops itself",
			    delay, (long long)left / 3600, (long long)left % 3600 / 60,
			    iso_time((long long)(sc.started + secs)));
		else
			result_line(r, "  -max_registration_delay=%s ran out at %s",
			    delay, iso_time((long long)(sc.started + secs)));
	}
	result_set(r, "scheduler", o);
	proc_free(&sc);
}

/* The effective flags a restore needs to know of: where backups go, where
 * the replicated log is, where the scheduler listens. */
static void report_flags(struct session *s, struct result *r)
{
	static const char *const names[] = { "backup_dir",
		"native_log_file_path", "http_port", "cluster_name" };
	json_t *o = json_object();

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		const char *v = host_flag_value(&s->host, names[i]);
		json_object_set_new(o, names[i], jstr(v));
		if (v)
			result_line(r, "-%s=%s", names[i], v);
	}
	result_set(r, "flags", o);
}

static int status_exec(struct cmd_ctx *ctx, struct err *e)
{
	struct result *r = ctx->res;
	struct session s;
	json_t *items = json_array();
	int rc = -1;

	if (session_open(&s, ctx->set, 0, e) < 0)
		goto out;
	if (!s.have_journal) {
		struct err why = { 0 };
		if (session_host(&s, &why) == 0)
			report_flags(&s, r);
		else
			result_set(r, "flags", json_null());
		result_msg(r, "no profile is applied");
		result_set(r, "profile", json_null());
		rc = 0;
		goto out;
	}
	result_set(r, "profile", jstr(s.j.profile));
	result_set(r, "since", jstr(iso_time(s.j.started)));
	result_set(r, "user", jstr(s.j.user));
	result_set(r, "reason", jstr(s.j.reason));
	result_set(r, "complete", json_boolean(s.j.completed != 0));
	result_line(r, "profile %s applied %s by %s%s%s%s", s.j.profile,
	    iso_time(s.j.started), s.j.user ? s.j.user : "?",
	    s.j.reason ? " (reason: " : "", s.j.reason ? s.j.reason : "",
	    s.j.reason ? ")" : "");
	if (!s.j.completed)
		result_line(r, "the run that applied it did not finish: run apply again");
	if (session_host(&s, e) < 0)
		goto out;
	session_describe(&s, r, 1);
	report_flags(&s, r);
	for (size_t i = 0; i < s.j.nitems; i++) {
		struct jitem *it = &s.j.items[i];
		int present;
		char *cur = engine_current(&s.host, it, &present);
		char *o = engine_describe(it, it->original, it->original_present);
		char *w = engine_describe(it, it->want, it->want != NULL);
		char *c = engine_describe(it, cur, present);
		json_t *ji = json_object();
		json_object_set_new(ji, "kind", jstr(item_kinds[it->kind]));
		json_object_set_new(ji, "name", jstr(it->name));
		json_object_set_new(ji, "file", jstr(it->file));
		json_object_set_new(ji, "original", it->original_present ? jvalue(it, it->original) : json_null());
		json_object_set_new(ji, "profile", jvalue(it, it->want));
		json_object_set_new(ji, "current", present ? jvalue(it, cur) : json_null());
		json_object_set_new(ji, "in_state", json_boolean(engine_in_state(&s.host, it)));
		json_array_append_new(items, ji);
		result_line(r, "  %s\n    original: %s\n    profile:  %s\n    current:  %s",
		    it->name, o, w, c);
		free(cur);
		free(o);
		free(w);
		free(c);
	}
	report_scheduler(&s, r);
	log_recover_report(s.j.log, r);
	result_msg(r, "profile %s is applied", s.j.profile);
	rc = 0;
out:
	result_set(r, "items", items);
	session_close(&s);
	return rc;
}

const struct cmd_entry cmd_status_entry = {
	"status", "status", 0, 0, "", status_exec
};
