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

/* A suicide timer of the running scheduler: its flag (else Aurora's
 * default), counted from the process start (it leads then at the
 * earliest). */
struct timer {
	const char *flag, *dflt;
	const char *value;	/* as the process has it, or NULL */
	double until;
};

static long long seconds_left(const struct timer *t)
{
	double left = t->until - (double)time(NULL);

	return left > 0 ? (long long)left : 0;
}

static int timer_read(const struct sched *sc, struct timer *t)
{
	double secs;

	if (!proc_flag(sc, t->flag, &t->value) || t->value == NULL)
		t->value = NULL;
	if (timeamt_parse(t->value ? t->value : t->dflt, &secs) < 0)
		return -1;
	t->until = sc->started + secs;
	return 0;
}

/* One timer's line; first: it is the one that stops the scheduler. */
static void timer_line(struct result *r, const struct timer *t, int first)
{
	long long left = seconds_left(t);
	const char *shown = t->value ? t->value : t->dflt;
	const char *dflt = t->value ? "" : " (the default)";

	if (left == 0)
		result_line(r, "  -%s=%s%s ran out at %s", t->flag, shown, dflt,
		    iso_time((long long)t->until));
	else
		result_line(r, "  -%s=%s%s: %lldh%02lldm left (until %s)%s", t->flag,
		    shown, dflt, left / 3600, left % 3600 / 60,
		    iso_time((long long)t->until),
		    first ? ", then it stops itself" : ", later");
}

static void timer_json(json_t *o, const struct timer *t)
{
	json_t *j = json_object();

	json_object_set_new(j, "value", jstr(t->value ? t->value : t->dflt));
	json_object_set_new(j, "default", json_boolean(t->value == NULL));
	json_object_set_new(j, "deadline", jstr(iso_time((long long)t->until)));
	json_object_set_new(j, "seconds_left", json_integer(seconds_left(t)));
	json_object_set_new(o, t->flag, j);
}

/* The two timers that stop a scheduler not registered with Mesos (the
 * first to run out wins); the keys registration_deadline and seconds_left
 * keep max_registration_delay's. */
static void report_timers(const struct sched *sc, struct result *r, json_t *o)
{
	struct timer t[2] = {
		{ "max_registration_delay", "1mins", NULL, 0 },
		{ "max_leading_duration", "1days", NULL, 0 },
	};
	int first;

	if (sc->started <= 0 || timer_read(sc, &t[0]) < 0 || timer_read(sc, &t[1]) < 0)
		return;
	first = t[1].until < t[0].until;
	json_object_set_new(o, "registration_deadline", jstr(iso_time((long long)t[0].until)));
	json_object_set_new(o, "seconds_left", json_integer(seconds_left(&t[0])));
	json_object_set_new(o, "stops_at", jstr(iso_time((long long)t[first].until)));
	result_line(r, "  unless it registers with Mesos, the first of these stops it (counted from its start):");
	for (int i = 0; i < 2; i++) {
		timer_json(o, &t[i]);
		timer_line(r, &t[i], i == first);
	}
}

/* The running scheduler, and the time its suicide timers leave it. */
static void report_scheduler(struct session *s, struct result *r)
{
	struct sched sc;
	int found;
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
	report_timers(&sc, r, o);
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
	int heading = 0;

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		const char *v = host_flag_value(&s->host, names[i]);
		json_object_set_new(o, names[i], jstr(v));
		if (v && !heading++)
			result_line(r, "the scheduler's flags a restore uses (as its files set them now):");
		if (v)
			result_line(r, "  -%s=%s", names[i], v);
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
	report_flags(&s, r);
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
	.name = "status", .args = "", .min_args = 0, .max_args = 0,
	.summary = "the applied profile, its values, and the scheduler's flags",
	.example = "status",
	.options = { NULL },
	.exec = status_exec,
};
