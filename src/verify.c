#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine.h"
#include "live.h"
#include "proc.h"
#include "session.h"
#include "verify.h"

struct drift {
	struct result *r;
	json_t *items;
	int n;
};

static void drift(struct drift *d, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void drift(struct drift *d, const char *where, const char *fmt, ...)
{
	va_list ap;
	char *s;
	json_t *o = json_object();

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	va_end(ap);
	json_object_set_new(o, "where", out_json_str(where));
	json_object_set_new(o, "problem", out_json_str(s));
	json_array_append_new(d->items, o);
	result_line(d->r, "out of place: %s: %s", where, s);
	free(s);
	d->n++;
}

static void check_files(struct session *s, struct jitem *items, size_t n,
    struct drift *d)
{
	for (size_t i = 0; i < n; i++) {
		struct jitem *it = &items[i];
		int present;
		char *cur, *have, *want;
		if (engine_in_state(&s->host, it))
			continue;
		cur = engine_current(&s->host, it, &present);
		have = engine_describe(it, cur, present);
		want = engine_describe(it, it->want, it->want != NULL);
		drift(d, it->file, "%s, want %s", have, want);
		free(cur);
		free(have);
		free(want);
	}
}

static void check_process(struct session *s, struct jitem *items, size_t n,
    struct drift *d)
{
	struct sched sc;
	int found;
	struct err e = { 0 };
	char *where;

	if (proc_find_scheduler(s->set->proc, s->set->root, &sc, &found, &e) < 0) {
		drift(d, s->set->proc, "%s", e.msg);
		return;
	}
	if (!found) {
		result_line(d->r, "scheduler process: not running (nothing to compare)");
		return;
	}
	where = xasprintf("scheduler process %d", sc.pid);
	for (size_t i = 0; i < n; i++) {
		const char *v = NULL;
		int present;
		if (items[i].kind != ITEM_FLAG)
			continue;
		present = proc_flag(&sc, items[i].name, &v);
		if (items[i].want && (!present || !v || strcmp(v, items[i].want))) {
			char *have = out_flag_value(items[i].name, present && v ? v : "");
			char *want = out_flag_value(items[i].name, items[i].want);
			drift(d, where, "runs with %s%s%s%s, want -%s=%s (restart it)",
			    present ? "-" : "no -", items[i].name,
			    present && v ? "=" : "", present && v ? have : "",
			    items[i].name, want);
			free(have);
			free(want);
		} else if (!items[i].want && present)
			drift(d, where, "runs with -%s (restart it)", items[i].name);
	}
	free(where);
	proc_free(&sc);
}

static void check_unit(struct session *s, struct drift *d)
{
	char *argv[] = { s->set->systemctl, "show", "--property=NeedDaemonReload",
		"--value", s->set->unit, NULL };
	struct buf out = BUF_INIT;
	struct err e = { 0 };
	const char *why = session_no_systemd(s->set);
	int rc;

	if (why) {
		result_line(d->r, "%s: reload state not checked: %s%s", s->set->unit, why,
		    s->j.reload_pending ? " (changed on disk since the last daemon-reload)" : "");
		return;
	}
	if (s->j.reload_pending)
		drift(d, s->set->unit, "changed on disk but %s daemon-reload did not run",
		    s->set->systemctl);
	rc = run_command(argv, NULL, &out, &e);
	if (rc == 0 && out.s && strncmp(out.s, "yes", 3) == 0)
		drift(d, s->set->unit, "changed on disk but not reloaded (run %s daemon-reload)",
		    s->set->systemctl);
	else if (rc != 0)
		result_line(d->r, "could not ask %s whether %s needs a reload: %s",
		    s->set->systemctl, s->set->unit, e.msg);
	buf_free(&out);
}

static void check_live(struct session *s, struct drift *d)
{
	struct live_probe p;
	const char *port = host_flag_value(&s->host, "http_port");
	char *url = s->set->scheduler ? xstrdup(s->set->scheduler) :
	    xasprintf("http://127.0.0.1:%s", port && *port ? port : "8081");

	char *why;

	live_probe_all(&url, 1, s->set->timeout, s->set->insecure, &p, NULL);
	if ((why = live_not_registered(&p)) != NULL)
		drift(d, url, "%s (lifecycle %s)", why, p.state ? p.state : "unknown");
	else
		result_line(d->r, "live: %s: not registered with Mesos (lifecycle %s)",
		    url, p.state ? p.state : "unknown");
	result_set(d->r, "lifecycle", p.state ? out_json_str(p.state) : json_null());
	live_probes_free(&p, 1);
	free(why);
	free(url);
}

int verify_host(struct settings *set, const char *profile,
    struct result *r, int *ndrift, struct err *e)
{
	struct session s;
	struct jitem *items = NULL;
	size_t n = 0;
	struct drift d = { r, json_array(), 0 };
	int rc = -1;

	if (session_open(&s, set, 0, e) < 0 ||
	    session_profile(&s, profile, e) < 0 ||
	    session_host(&s, e) < 0 ||
	    engine_plan(&s.host, &s.p, NULL, &items, &n, e) < 0)
		goto out;
	session_describe(&s, r, 1);
	check_files(&s, items, n, &d);
	check_process(&s, items, n, &d);
	if (s.host.unit)
		check_unit(&s, &d);
	if (set->live)
		check_live(&s, &d);
	if (d.n)
		result_msg(r, "host is not in the %s state: %d item%s out of place",
		    s.p.name, d.n, d.n == 1 ? "" : "s");
	else
		result_msg(r, "host is in the %s state", s.p.name);
	result_set(r, "profile", out_json_str(s.p.name));
	*ndrift = d.n;
	rc = 0;
out:
	result_set(r, "items", d.items);
	engine_free_items(items, n);
	session_close(&s);
	return rc;
}
