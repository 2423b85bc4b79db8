/*
 * snapshot.c: read a scheduler backup, one Thrift Snapshot struct in the
 * binary protocol (TBinaryProtocol, no message header).
 *
 * Kept: Snapshot 1 timestamp, 4 tasks (ScheduledTask 2 status and the
 * role of 1 assignedTask . 4 task . 28 job, or of 17 owner in backups
 * older than JobKey), 5 cronJobs (counted), 6 schedulerMetadata . 1
 * frameworkId. snapshot_read_tasks() also hands each task (id, instance,
 * JobKey, or 17/26/3 before JobKey) to a callback. Everything else is skipped,
 * but still read through: every length and count is checked against the
 * bytes left, and nesting is bounded.
 */
#include <stdarg.h>
#include <time.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fileio.h"
#include "snapshot.h"

#define MAX_DEPTH 64

enum {
	TT_STOP = 0, TT_BOOL = 2, TT_BYTE = 3, TT_DOUBLE = 4, TT_I16 = 6,
	TT_I32 = 8, TT_I64 = 10, TT_STRING = 11, TT_STRUCT = 12, TT_MAP = 13,
	TT_SET = 14, TT_LIST = 15
};

struct slice {
	const unsigned char *p;
	size_t len;
};

struct rd {
	const unsigned char *p;
	size_t len, pos;
	int depth;
	size_t bad_at;
	char why[256];
	struct slice *roles;	/* one per task with a role */
	size_t nroles, cap;
	tj_task_fn fn;		/* snapshot_read_tasks() */
	void *ctx;
	struct err *fn_err;
};

/* What read_task keeps of one task: slices into the file. */
struct stask {
	struct slice id, role, env, job;
	struct slice old_role, old_env, old_job;	/* before JobKey */
	int instance;
};

static int bad(struct rd *r, size_t at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int bad(struct rd *r, size_t at, const char *fmt, ...)
{
	va_list ap;

	if (r->why[0])
		return -1;
	r->bad_at = at;
	va_start(ap, fmt);
	vsnprintf(r->why, sizeof r->why, fmt, ap);
	va_end(ap);
	return -1;
}

static int need(struct rd *r, size_t n)
{
	if (r->len - r->pos < n)
		return bad(r, r->pos, "truncated: %zu bytes needed, %zu left", n,
		    r->len - r->pos);
	return 0;
}

static uint64_t be(const unsigned char *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

static int get_u8(struct rd *r, int *v)
{
	if (need(r, 1) < 0)
		return -1;
	*v = r->p[r->pos++];
	return 0;
}

static int get_i16(struct rd *r, int *v)
{
	if (need(r, 2) < 0)
		return -1;
	*v = (int16_t)be(r->p + r->pos, 2);
	r->pos += 2;
	return 0;
}

static int get_i32(struct rd *r, int32_t *v)
{
	if (need(r, 4) < 0)
		return -1;
	*v = (int32_t)be(r->p + r->pos, 4);
	r->pos += 4;
	return 0;
}

static int get_i64(struct rd *r, long long *v)
{
	if (need(r, 8) < 0)
		return -1;
	*v = (long long)(int64_t)be(r->p + r->pos, 8);
	r->pos += 8;
	return 0;
}

static int get_string(struct rd *r, struct slice *s)
{
	size_t at = r->pos;
	int32_t n;

	if (get_i32(r, &n) < 0)
		return -1;
	if (n < 0)
		return bad(r, at, "negative string length %d", (int)n);
	if (need(r, (size_t)n) < 0)
		return -1;
	s->p = r->p + r->pos;
	s->len = (size_t)n;
	r->pos += (size_t)n;
	return 0;
}

/* The fewest bytes a value of a type takes; 0 for an unknown type. */
static size_t min_size(int type)
{
	switch (type) {
	case TT_BOOL: case TT_BYTE: case TT_STRUCT: return 1;
	case TT_I16: return 2;
	case TT_I32: case TT_STRING: return 4;
	case TT_SET: case TT_LIST: return 5;
	case TT_MAP: return 6;
	case TT_DOUBLE: case TT_I64: return 8;
	}
	return 0;
}

static int enter(struct rd *r)
{
	if (r->depth == MAX_DEPTH)
		return bad(r, r->pos, "nested deeper than %d levels", MAX_DEPTH);
	r->depth++;
	return 0;
}

/* A field header; *type is TT_STOP at the end of the struct. */
static int field(struct rd *r, int *type, int *id)
{
	if (get_u8(r, type) < 0)
		return -1;
	if (*type == TT_STOP)
		return 0;
	if (!min_size(*type))
		return bad(r, r->pos - 1, "unknown field type %d", *type);
	return get_i16(r, id);
}

/* A list or set header: element type and count, checked. */
static int list_header(struct rd *r, int *etype, size_t *count)
{
	size_t at = r->pos;
	int32_t n;

	if (get_u8(r, etype) < 0 || get_i32(r, &n) < 0)
		return -1;
	if (n < 0)
		return bad(r, at, "negative element count %d", (int)n);
	if (n > 0 && !min_size(*etype))
		return bad(r, at, "unknown element type %d", *etype);
	if (n > 0 && (size_t)n > (r->len - r->pos) / min_size(*etype))
		return bad(r, at, "%d elements cannot fit in the %zu bytes left",
		    (int)n, r->len - r->pos);
	*count = (size_t)n;
	return 0;
}

static int skip(struct rd *r, int type);

static int skip_struct(struct rd *r)
{
	int type, id;

	if (enter(r) < 0)
		return -1;
	for (;;) {
		if (field(r, &type, &id) < 0)
			return -1;
		if (type == TT_STOP)
			break;
		if (skip(r, type) < 0)
			return -1;
	}
	r->depth--;
	return 0;
}

static int skip_map(struct rd *r)
{
	size_t at = r->pos, per;
	int kt, vt;
	int32_t n;

	if (get_u8(r, &kt) < 0 || get_u8(r, &vt) < 0 || get_i32(r, &n) < 0)
		return -1;
	if (n < 0)
		return bad(r, at, "negative map size %d", (int)n);
	if (n == 0)
		return 0;
	if (!min_size(kt) || !min_size(vt))
		return bad(r, at, "unknown map key or value type %d/%d", kt, vt);
	per = min_size(kt) + min_size(vt);
	if ((size_t)n > (r->len - r->pos) / per)
		return bad(r, at, "%d map entries cannot fit in the %zu bytes left",
		    (int)n, r->len - r->pos);
	if (enter(r) < 0)
		return -1;
	for (int32_t i = 0; i < n; i++)
		if (skip(r, kt) < 0 || skip(r, vt) < 0)
			return -1;
	r->depth--;
	return 0;
}

static int skip_list(struct rd *r)
{
	size_t count;
	int et;

	if (list_header(r, &et, &count) < 0 || enter(r) < 0)
		return -1;
	for (size_t i = 0; i < count; i++)
		if (skip(r, et) < 0)
			return -1;
	r->depth--;
	return 0;
}

static int skip(struct rd *r, int type)
{
	struct slice s;

	switch (type) {
	case TT_STRING:
		return get_string(r, &s);
	case TT_STRUCT:
		return skip_struct(r);
	case TT_MAP:
		return skip_map(r);
	case TT_SET:
	case TT_LIST:
		return skip_list(r);
	}
	if (!min_size(type))
		return bad(r, r->pos, "unknown type %d", type);
	if (need(r, min_size(type)) < 0)
		return -1;
	r->pos += min_size(type);
	return 0;
}

static const char *type_name(int type)
{
	switch (type) {
	case TT_BOOL: return "bool";
	case TT_BYTE: return "byte";
	case TT_DOUBLE: return "double";
	case TT_I16: return "i16";
	case TT_I32: return "i32";
	case TT_I64: return "i64";
	case TT_STRING: return "string";
	case TT_STRUCT: return "struct";
	case TT_MAP: return "map";
	case TT_SET: return "set";
	case TT_LIST: return "list";
	}
	return "unknown type";
}

/* A modeled field of another type than want is corrupt. */
static int expect(struct rd *r, int type, int want, const char *what)
{
	if (type == want)
		return 0;
	return bad(r, r->pos - 3, "%s is a %s, not a %s", what,
	    type_name(type), type_name(want));
}

static int read_text(struct rd *r, int type, struct slice *s, const char *what)
{
	if (expect(r, type, TT_STRING, what) < 0 || get_string(r, s) < 0)
		return -1;
	if (memchr(s->p, '\0', s->len))
		return bad(r, r->pos - s->len, "%s has a NUL byte", what);
	return 0;
}

/* JobKey (1 role, 2 environment, 3 name) or (old) Identity (1 role);
 * env and job NULL for Identity. */
static int read_role(struct rd *r, struct slice *role, struct slice *env,
    struct slice *job, const char *what)
{
	int type, id;

	if (enter(r) < 0)
		return -1;
	while (field(r, &type, &id) == 0 && type != TT_STOP) {
		struct slice *to = id == 1 ? role : id == 2 ? env : id == 3 ? job : NULL;
		char name[32];
		if (to == NULL) {
			if (skip(r, type) < 0)
				return -1;
			continue;
		}
		snprintf(name, sizeof name, "%s.%s", what, id == 1 ? "role" :
		    id == 2 ? "environment" : "name");
		if (read_text(r, type, to, name) < 0)
			return -1;
	}
	if (r->why[0])
		return -1;
	r->depth--;
	return 0;
}

static int read_config(struct rd *r, struct stask *t)
{
	int type, id, rc = 0;

	if (enter(r) < 0)
		return -1;
	while (rc == 0 && field(r, &type, &id) == 0 && type != TT_STOP) {
		if (id == 28)
			rc = expect(r, type, TT_STRUCT, "TaskConfig.job") < 0 ? -1 :
			    read_role(r, &t->role, &t->env, &t->job, "JobKey");
		else if (id == 17)
			rc = expect(r, type, TT_STRUCT, "TaskConfig.owner") < 0 ? -1 :
			    read_role(r, &t->old_role, NULL, NULL, "Identity");
		else if (id == 26 || id == 3)
			rc = read_text(r, type, id == 26 ? &t->old_env : &t->old_job,
			    "TaskConfig.environment or jobName");
		else
			rc = skip(r, type);
	}
	if (r->why[0])
		return -1;
	if (!t->role.p) {
		t->role = t->old_role;
		t->env = t->env.p ? t->env : t->old_env;
		t->job = t->job.p ? t->job : t->old_job;
	}
	r->depth--;
	return 0;
}

static int read_assigned(struct rd *r, struct stask *t)
{
	int type, id, rc = 0;
	int32_t v;

	if (enter(r) < 0)
		return -1;
	while (rc == 0 && field(r, &type, &id) == 0 && type != TT_STOP) {
		if (id == 4)
			rc = expect(r, type, TT_STRUCT, "AssignedTask.task") < 0 ? -1 :
			    read_config(r, t);
		else if (id == 1)
			rc = read_text(r, type, &t->id, "AssignedTask.taskId");
		else if (id == 6 && (rc = expect(r, type, TT_I32, "AssignedTask.instanceId")) == 0 &&
		    (rc = get_i32(r, &v)) == 0)
			t->instance = v;
		else if (id != 6)
			rc = skip(r, type);
	}
	if (r->why[0])
		return -1;
	r->depth--;
	return 0;
}

static void add_role(struct rd *r, struct slice role)
{
	if (r->nroles == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->roles = xrealloc(r->roles, r->cap * sizeof *r->roles);
	}
	r->roles[r->nroles++] = role;
}

/* The task as tjson.h's struct tj_task, to the callback. */
static int hand_task(struct rd *r, const struct stask *st, int status)
{
	char *s[4];
	const struct slice *from[4] = { &st->id, &st->role, &st->env, &st->job };
	struct tj_task t;
	int rc;

	for (int i = 0; i < 4; i++)
		s[i] = from[i]->p ? xstrndup((const char *)from[i]->p, from[i]->len) : NULL;
	t = (struct tj_task){ s[0], NULL, s[1], s[2], s[3], st->instance, status };
	rc = r->fn(r->ctx, &t, r->fn_err);
	for (int i = 0; i < 4; i++)
		free(s[i]);
	if (rc != 0)
		return bad(r, r->pos, "stopped");
	return 0;
}

static int read_task(struct rd *r, struct snapshot_info *si)
{
	struct stask st = { .instance = -1 };
	int type, id, rc = 0, status = -1;
	int32_t v;

	if (enter(r) < 0)
		return -1;
	while (rc == 0 && field(r, &type, &id) == 0 && type != TT_STOP) {
		if (id == 1)
			rc = expect(r, type, TT_STRUCT, "ScheduledTask.assignedTask") < 0 ?
			    -1 : read_assigned(r, &st);
		else if (id == 2) {
			rc = expect(r, type, TT_I32, "ScheduledTask.status") < 0 ? -1 :
			    get_i32(r, &v);
			status = rc == 0 ? v : -1;
			if (rc == 0 && (v < 0 || v >= SNAPSHOT_NSTATUS))
				return bad(r, r->pos - 4, "task status %d out of range", (int)v);
		} else
			rc = skip(r, type);
	}
	if (r->why[0])
		return -1;
	si->ntasks++;
	if (status >= 0)
		si->by_status[status]++;
	if (st.role.p)
		add_role(r, st.role);
	r->depth--;
	return r->fn ? hand_task(r, &st, status) : 0;
}

static int skip_job(struct rd *r, struct snapshot_info *si)
{
	si->njobs++;
	return skip_struct(r);
}

/* A set or list of structs, each read by fn. */
static int read_structs(struct rd *r, struct snapshot_info *si,
    const char *what, int (*fn)(struct rd *, struct snapshot_info *))
{
	size_t count;
	int et;

	if (list_header(r, &et, &count) < 0)
		return -1;
	if (count > 0 && et != TT_STRUCT)
		return bad(r, r->pos - 5, "%s are %ss, not structs", what, type_name(et));
	for (size_t i = 0; i < count; i++)
		if (fn(r, si) < 0)
			return -1;
	return 0;
}

/* SchedulerMetadata: 1 frameworkId. */
static int read_metadata(struct rd *r, struct snapshot_info *si)
{
	struct slice fid = { NULL, 0 };
	int type, id;

	if (enter(r) < 0)
		return -1;
	while (field(r, &type, &id) == 0 && type != TT_STOP)
		if ((id == 1 ? read_text(r, type, &fid, "SchedulerMetadata.frameworkId") :
		    skip(r, type)) < 0)
			return -1;
	if (r->why[0])
		return -1;
	free(si->framework_id);
	si->framework_id = fid.p ? xstrndup((const char *)fid.p, fid.len) : NULL;
	r->depth--;
	return 0;
}

static int read_snapshot(struct rd *r, struct snapshot_info *si)
{
	int type, id, rc = 0;

	while (rc == 0 && field(r, &type, &id) == 0 && type != TT_STOP) {
		if (id == 1)
			rc = expect(r, type, TT_I64, "Snapshot.timestamp") < 0 ? -1 :
			    get_i64(r, &si->timestamp_ms);
		else if (id == 4)
			rc = expect(r, type, TT_SET, "Snapshot.tasks") < 0 ? -1 :
			    read_structs(r, si, "tasks", read_task);
		else if (id == 5)
			rc = expect(r, type, TT_SET, "Snapshot.cronJobs") < 0 ? -1 :
			    read_structs(r, si, "cron jobs", skip_job);
		else if (id == 6)
			rc = expect(r, type, TT_STRUCT, "Snapshot.schedulerMetadata") < 0 ?
			    -1 : read_metadata(r, si);
		else
			rc = skip(r, type);
	}
	if (r->why[0])
		return -1;
	if (r->pos != r->len)
		return bad(r, r->pos, "%zu bytes after the end of the Snapshot",
		    r->len - r->pos);
	return 0;
}

static int cmp_slice(const void *a, const void *b)
{
	const struct slice *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = n ? memcmp(x->p, y->p, n) : 0;

	if (c)
		return c;
	return x->len < y->len ? -1 : x->len > y->len;
}

static void distinct_roles(struct rd *r, struct snapshot_info *si)
{
	if (r->nroles == 0)
		return;
	qsort(r->roles, r->nroles, sizeof *r->roles, cmp_slice);
	si->roles = xmalloc(r->nroles * sizeof *si->roles);
	for (size_t i = 0; i < r->nroles; i++)
		if (i == 0 || cmp_slice(&r->roles[i - 1], &r->roles[i]) != 0)
			si->roles[si->nroles++] = xstrndup((const char *)r->roles[i].p,
			    r->roles[i].len);
}

int snapshot_read(const char *path, struct snapshot_info *si, struct err *e)
{
	return snapshot_read_tasks(path, si, NULL, NULL, e);
}

int snapshot_read_tasks(const char *path, struct snapshot_info *si,
    tj_task_fn fn, void *ctx, struct err *e)
{
	struct buf data = BUF_INIT;
	struct err fe = { 0 };
	struct rd r;
	int rc = 0;

	memset(si, 0, sizeof *si);
	si->timestamp_ms = -1;
	if (file_read(path, &data, NULL, 0, e) < 0) {
		buf_free(&data);
		return -1;
	}
	memset(&r, 0, sizeof r);
	r.p = (const unsigned char *)data.s;
	r.len = data.len;
	r.fn = fn;
	r.ctx = ctx;
	r.fn_err = &fe;
	if (r.len == 0) {
		rc = errf(e, EXIT_DATA, "%s: not a backup: the file is empty (0 bytes; even a Snapshot without tasks has a stop byte)", path);
		snapshot_free(si);
	} else if (read_snapshot(&r, si) < 0) {
		if (fe.code)
			rc = errf(e, fe.code, "%s", fe.msg);
		else
			rc = errf(e, EXIT_DATA, "%s: corrupt backup at byte %zu: %s", path,
			    r.bad_at, r.why);
		snapshot_free(si);
	} else
		distinct_roles(&r, si);
	free(r.roles);
	buf_free(&data);
	return rc;
}

void snapshot_free(struct snapshot_info *si)
{
	for (size_t i = 0; i < si->nroles; i++)
		free(si->roles[i]);
	free(si->roles);
	free(si->framework_id);
	memset(si, 0, sizeof *si);
	si->timestamp_ms = -1;
}

int backup_too_old(const char *name, long long t, double max_age,
    struct err *why)
{
	long long now = time(NULL);

	if (t < 0)
		return errf(why, EXIT_REFUSED, "the age of %s is unknown", name);
	if (t - now > BACKUP_MAX_AHEAD) {
		char stamp[64], clock[64];
		struct tm tm;
		time_t tt = (time_t)t, nn = (time_t)now;
		strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&tt, &tm));
		strftime(clock, sizeof clock, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&nn, &tm));
		return errf(why, EXIT_REFUSED, "%s is stamped %s, %lld min ahead of this host's clock (%s): a clock is wrong",
		    name, stamp, (t - now) / 60, clock);
	}
	if (now - t > max_age)
		return errf(why, EXIT_REFUSED, "%s is %lldh%02lldm old, older than --max-age (%g s)",
		    name, (now - t) / 3600, (now - t) % 3600 / 60, max_age);
	return 0;
}

#define PREFIX "scheduler-backup-"

/* The local time a backup's name gives, or -1. */
long long backup_time(const char *name)
{
	struct tm tm = { 0 };
	const char *p = strncmp(name, "temp_", 5) == 0 ? name + 5 : name;

	if (strncmp(p, PREFIX, strlen(PREFIX)) != 0 ||
	    sscanf(p + strlen(PREFIX), "%4d-%2d-%2d-%2d-%2d", &tm.tm_year,
	    &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min) != 5)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_isdst = -1;
	return (long long)mktime(&tm);
}
