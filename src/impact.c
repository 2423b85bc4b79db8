/*
 * impact.c: the join of a backup's tasks with what Mesos runs (impact.h).
 * The backup's tasks sit in an open-addressing table keyed by task id,
 * one allocation a task ("id\0role\0env\0job"); Mesos's tasks stream
 * through it, each marked as seen, so a task listed twice (pages that
 * shifted) counts once. A task id the backup holds twice keeps the state
 * with the harsher outcome: a kill is announced rather than missed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "impact.h"
#include "snapshot.h"

enum { ST_ABSENT = -1 };

struct bentry {
	char *blob;		/* id \0 role \0 env \0 job \0; NULL: free slot */
	uint32_t hash;		/* of the id */
	int instance;
	short status;		/* ST_ABSENT: a Mesos task the backup lacks */
	char seen;		/* Mesos runs it */
};

struct btable {
	struct bentry *e;
	size_t n, cap;
};

enum impact_kind impact_classify(int status)
{
	switch (status) {
	case 12: case 13: case 17:		/* RESTARTING PREEMPTING DRAINING */
		return IMPACT_RESCHEDULED;
	case 9: case 1: case 2: case 18:	/* ASSIGNED STARTING RUNNING PARTITIONED */
		return IMPACT_KEPT;
	case 0: case 16:			/* PENDING THROTTLED */
		return IMPACT_CONFLICT;
	}
	return IMPACT_KILLED;	/* absent, FINISHED FAILED KILLED LOST KILLING, other */
}

/* Active in the backup, not KILLING: rescheduled when Mesos lacks it. */
static int comes_back(int status)
{
	for (size_t i = 0; i < tj_nactive_states; i++)
		if (tj_active_states[i] == status)
			return status != 6;
	return 0;
}

/* ---- the table ---- */

static uint32_t hash(const char *s)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (uint32_t)(h ^ h >> 32);
}

static struct bentry *slot(struct btable *b, const char *id, uint32_t h)
{
	size_t i = h & (b->cap - 1);

	while (b->e[i].blob && (b->e[i].hash != h || strcmp(b->e[i].blob, id) != 0))
		i = (i + 1) & (b->cap - 1);
	return &b->e[i];
}

static void grow(struct btable *b)
{
	struct btable old = *b;

	b->cap = old.cap ? old.cap * 2 : 1024;
	b->e = xcalloc(b->cap, sizeof *b->e);
	for (size_t i = 0; i < old.cap; i++)
		if (old.e[i].blob)
			*slot(b, old.e[i].blob, old.e[i].hash) = old.e[i];
	free(old.e);
}

/* The entry of id, added (blob NULL until the caller fills it) if new. */
static struct bentry *lookup(struct btable *b, const char *id, int add)
{
	struct bentry *s;
	uint32_t h = hash(id);

	if (add && (b->n + 1) * 2 > b->cap)
		grow(b);
	if (b->cap == 0)
		return NULL;
	s = slot(b, id, h);
	if (s->blob || !add)
		return s->blob ? s : NULL;
	s->hash = h;
	b->n++;
	return s;
}

static char *blob(const char *id, const char *role, const char *env,
    const char *job)
{
	const char *part[4] = { id, role ? role : "", env ? env : "", job ? job : "" };
	size_t len[4], total = 0;
	char *b, *p;

	for (int i = 0; i < 4; i++)
		total += (len[i] = strlen(part[i])) + 1;
	p = b = xmalloc(total);
	for (int i = 0; i < 4; i++) {
		memcpy(p, part[i], len[i] + 1);
		p += len[i] + 1;
	}
	return b;
}

/* The role, env and job of a blob. */
static const char *blob_part(const char *b, int i)
{
	while (i-- > 0)
		b += strlen(b) + 1;
	return b;
}

/* ---- feeding ---- */

void impact_init(struct impact *im)
{
	memset(im, 0, sizeof *im);
	im->backup = xcalloc(1, sizeof *im->backup);
	im->backup_ms = -1;
}

static void list_free(struct impact_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->t[i].task_id);
		free(l->t[i].role);
		free(l->t[i].env);
		free(l->t[i].job);
		free(l->t[i].mesos_state);
	}
	free(l->t);
	memset(l, 0, sizeof *l);
}

void impact_free(struct impact *im)
{
	for (size_t i = 0; im->backup && i < im->backup->cap; i++)
		free(im->backup->e[i].blob);
	if (im->backup)
		free(im->backup->e);
	free(im->backup);
	list_free(&im->killed);
	list_free(&im->conflicts);
	list_free(&im->come_back);
	list_free(&im->kept);
	free(im->framework_id);
	free(im->backup_name);
	free(im->backup_framework_id);
	memset(im, 0, sizeof *im);
}

int impact_backup_task(void *ctx, const struct tj_task *t, struct err *e)
{
	struct impact *im = ctx;
	struct bentry *s;

	if (t->task_id == NULL || *t->task_id == '\0')
		return errf(e, EXIT_DATA, "a task of the backup has no task id");
	s = lookup(im->backup, t->task_id, 1);
	if (s->blob && impact_classify(s->status) <= impact_classify(t->status))
		return 0;
	free(s->blob);
	s->blob = blob(t->task_id, t->role, t->environment, t->job);
	s->instance = t->instance_id;
	s->status = (short)t->status;
	s->seen = 0;
	return 0;
}

static int backup_file_task(void *ctx, const struct tj_task *t, struct err *e)
{
	return impact_backup_task(ctx, t, e);
}

int impact_backup_file(struct impact *im, const char *path, struct err *e)
{
	struct snapshot_info si;

	if (snapshot_read_tasks(path, &si, backup_file_task, im, e) < 0)
		return -1;
	im->backup_ms = si.timestamp_ms;
	free(im->backup_framework_id);
	im->backup_framework_id = si.framework_id ? xstrdup(si.framework_id) : NULL;
	snapshot_free(&si);
	return 0;
}

/* Aurora's task id role-env-job-INSTANCE-UUID: the instance, or -1. */
static int instance_of(const char *id)
{
	size_t n = strlen(id);
	const char *p;
	char *end;
	long v;

	if (n < 38 || id[n - 37] != '-')
		return -1;
	for (p = id + n - 38; p > id && p[-1] != '-'; p--)
		;
	v = strtol(p, &end, 10);
	return end == id + n - 37 && end > p && v >= 0 && v < 1000000 ? (int)v : -1;
}

static void add(struct impact_list *l, const char *id, const char *b,
    const char *name, int instance, int bstate, const char *mstate)
{
	struct impact_task *t;
	char *parts = NULL;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->t = xrealloc(l->t, l->cap * sizeof *l->t);
	}
	t = &l->t[l->n++];
	t->task_id = xstrdup(id);
	if (b) {
		t->role = xstrdup(blob_part(b, 1));
		t->env = xstrdup(blob_part(b, 2));
		t->job = xstrdup(blob_part(b, 3));
	} else {
		char *s1, *s2;
		parts = xstrdup(name ? name : "");
		s1 = strchr(parts, '/');
		s2 = s1 ? strchr(s1 + 1, '/') : NULL;
		if (s2 && !strchr(s2 + 1, '/')) {
			*s1 = *s2 = '\0';
			t->role = xstrdup(parts);
			t->env = xstrdup(s1 + 1);
			t->job = xstrdup(s2 + 1);
		} else {
			t->role = xstrdup("");
			t->env = xstrdup("");
			t->job = xstrdup("");
		}
		free(parts);
		instance = instance_of(id);
	}
	t->instance = instance;
	t->backup_state = bstate;
	t->mesos_state = mstate ? xstrdup(mstate) : NULL;
}

int impact_mesos_task(void *ctx, const struct mesos_task *t, struct err *e)
{
	struct impact *im = ctx;
	struct bentry *s;
	int status;
	enum impact_kind k;

	(void)e;
	if (!mesos_state_running(t->state) || (im->framework_id && t->framework_id &&
	    strcmp(t->framework_id, im->framework_id) != 0))
		return 0;
	s = lookup(im->backup, t->id, 0);
	if (s && s->seen)
		return 0;
	if (s == NULL) {
		s = lookup(im->backup, t->id, 1);
		s->blob = blob(t->id, NULL, NULL, NULL);
		s->status = ST_ABSENT;
		s->instance = -1;
	}
	s->seen = 1;
	status = s->status;
	im->running++;
	k = impact_classify(status);
	if (k == IMPACT_KEPT) {
		im->nkept++;
		if (im->keep_kept)
			add(&im->kept, t->id, s->blob, NULL, s->instance, status, t->state);
		return 0;
	}
	im->nrescheduled += k == IMPACT_RESCHEDULED;
	add(k == IMPACT_CONFLICT ? &im->conflicts : &im->killed, t->id,
	    status == ST_ABSENT ? NULL : s->blob, t->name, s->instance, status, t->state);
	return 0;
}

static int by_job(const void *a, const void *b)
{
	const struct impact_task *x = a, *y = b;
	int c;

	if ((c = strcmp(x->role, y->role)) || (c = strcmp(x->env, y->env)) ||
	    (c = strcmp(x->job, y->job)))
		return c;
	if (x->instance != y->instance)
		return x->instance < y->instance ? -1 : 1;
	return strcmp(x->task_id, y->task_id);
}

static void sort(struct impact_list *l)
{
	if (l->n > 1)
		qsort(l->t, l->n, sizeof *l->t, by_job);
}

void impact_finish(struct impact *im)
{
	for (size_t i = 0; i < im->backup->cap; i++) {
		const struct bentry *s = &im->backup->e[i];
		if (s->blob && !s->seen && s->status != ST_ABSENT && comes_back(s->status))
			add(&im->come_back, s->blob, s->blob, NULL, s->instance, s->status, NULL);
	}
	sort(&im->killed);
	sort(&im->conflicts);
	sort(&im->come_back);
	sort(&im->kept);
}

/* ---- the report ---- */

static int same_job(const struct impact_task *a, const struct impact_task *b)
{
	return strcmp(a->role, b->role) == 0 && strcmp(a->env, b->env) == 0 &&
	    strcmp(a->job, b->job) == 0;
}

static size_t njobs(const struct impact_list *l)
{
	size_t n = 0;

	for (size_t i = 0; i < l->n; i++)
		n += i == 0 || !same_job(&l->t[i - 1], &l->t[i]);
	return n;
}

char *impact_summary(const struct impact *im)
{
	struct buf b = BUF_INIT;
	long long ago = im->backup_ms >= 0 ? time(NULL) - im->backup_ms / 1000 : 0;
	size_t jobs = njobs(&im->killed);

	buf_addf(&b, "restoring %s ", im->backup_name ? im->backup_name : "the backup");
	if (im->backup_ms >= 0)
		buf_addf(&b, "(written %s%lldh%02lldm ago) ", ago < 0 ? "-" : "",
		    llabs(ago) / 3600, llabs(ago) % 3600 / 60);
	else
		buf_adds(&b, "(written at an unknown time) ");
	buf_addf(&b, "kills %zu of the %zu task%s Mesos runs for framework %s (%zu job%s); ",
	    im->killed.n, im->running, im->running == 1 ? "" : "s",
	    im->framework_id ? im->framework_id : "?", jobs, jobs == 1 ? "" : "s");
	buf_addf(&b, "%zu of them %s rescheduled; %zu conflict%s; %zu task%s come%s back",
	    im->nrescheduled, im->nrescheduled == 1 ? "is" : "are",
	    im->conflicts.n, im->conflicts.n == 1 ? "" : "s",
	    im->come_back.n, im->come_back.n == 1 ? "" : "s", im->come_back.n == 1 ? "s" : "");
	return buf_detach(&b);
}

static json_t *task_json(const struct impact_task *t)
{
	json_t *o = json_object();
	const char *bs = t->backup_state >= 0 ? tj_status_name(t->backup_state) : NULL;

	json_object_set_new(o, "task_id", json_string(t->task_id));
	json_object_set_new(o, "role", json_string(t->role));
	json_object_set_new(o, "environment", json_string(t->env));
	json_object_set_new(o, "job", json_string(t->job));
	json_object_set_new(o, "instance", t->instance >= 0 ? json_integer(t->instance) : json_null());
	json_object_set_new(o, "mesos_state", t->mesos_state ? json_string(t->mesos_state) : json_null());
	json_object_set_new(o, "backup_state", t->backup_state >= 0 ?
	    json_string(bs ? bs : "UNKNOWN") : json_null());
	return o;
}

static json_t *list_json(const struct impact_list *l, int only_rescheduled)
{
	json_t *a = json_array();

	for (size_t i = 0; i < l->n; i++)
		if (!only_rescheduled || impact_classify(l->t[i].backup_state) == IMPACT_RESCHEDULED)
			json_array_append_new(a, task_json(&l->t[i]));
	return a;
}

static const char *state_or(int s, const char *none)
{
	const char *n = s >= 0 ? tj_status_name(s) : NULL;

	return s < 0 ? none : n ? n : "UNKNOWN";
}

static void task_line(struct result *r, const char *kind, const struct impact_task *t)
{
	result_line(r, "  %-11s %s/%s/%s/%d  mesos %s, backup %s  %s", kind, t->role,
	    t->env, t->job, t->instance, t->mesos_state ? t->mesos_state : "-",
	    state_or(t->backup_state, "absent"), t->task_id);
}

/* One line a job: "role/env/job: N, instances 0 1 4", then up to 3 ids. */
static void groups(struct result *r, const char *title, const struct impact_list *l)
{
	struct buf b = BUF_INIT;

	if (l->n == 0)
		return;
	result_line(r, "%s (%zu task%s, %zu job%s):", title, l->n, l->n == 1 ? "" : "s",
	    njobs(l), njobs(l) == 1 ? "" : "s");
	for (size_t i = 0, j; i < l->n; i = j) {
		size_t resched = 0;
		buf_reset(&b);
		for (j = i; j < l->n && same_job(&l->t[i], &l->t[j]); j++) {
			resched += impact_classify(l->t[j].backup_state) == IMPACT_RESCHEDULED;
			if (l->t[j].instance >= 0)
				buf_addf(&b, " %d", l->t[j].instance);
		}
		result_line(r, "  %s/%s/%s: %zu%s%s%s", l->t[i].role, l->t[i].env, l->t[i].job,
		    j - i, resched ? " (rescheduled after the kill)" : "",
		    b.len ? ", instances" : "", b.len ? b.s : "");
		for (size_t k = i; k < j && k < i + 3; k++)
			result_line(r, "    %s (mesos %s, backup %s)", l->t[k].task_id,
			    l->t[k].mesos_state, state_or(l->t[k].backup_state, "absent"));
		if (j - i > 3)
			result_line(r, "    ... and %zu more (--all lists every task)", j - i - 3);
	}
	buf_free(&b);
}

void impact_report(const struct impact *im, struct result *r, int all, int json)
{
	const struct impact_list *ls[] = { &im->killed, &im->conflicts, &im->kept, &im->come_back };
	const char *names[] = { "killed", "conflict", "kept", "come-back" };
	json_t *b;

	if (!json && all)
		for (int i = 0; i < 4; i++)
			for (size_t j = 0; j < ls[i]->n; j++)
				task_line(r, i == 0 && impact_classify(ls[i]->t[j].backup_state) ==
				    IMPACT_RESCHEDULED ? "rescheduled" : names[i], &ls[i]->t[j]);
	if (!json && !all) {
		groups(r, "killed", &im->killed);
		groups(r, "conflicts: not killed at once, their state diverges", &im->conflicts);
	}
	if (!json)
		return;
	b = json_object();
	result_set(r, "killed", list_json(&im->killed, 0));
	result_set(r, "rescheduled", list_json(&im->killed, 1));
	result_set(r, "conflicts", list_json(&im->conflicts, 0));
	result_set(r, "come_back", list_json(&im->come_back, 0));
	result_set(r, "kept_count", json_integer((json_int_t)im->nkept));
	result_set(r, "mesos_running_count", json_integer((json_int_t)im->running));
	result_set(r, "framework_id", im->framework_id ? json_string(im->framework_id) : json_null());
	json_object_set_new(b, "name", json_string(im->backup_name ? im->backup_name : ""));
	json_object_set_new(b, "timestamp_ms", im->backup_ms >= 0 ? json_integer(im->backup_ms) : json_null());
	result_set(r, "backup", b);
}
