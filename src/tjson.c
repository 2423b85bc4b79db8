/*
 * tjson.c: TJSONProtocol calls and a streaming reply decoder.
 *
 * The decoder is a yajl callback state machine. A stack of frames says
 * where in the Thrift value the parser is; a table of the modeled fields
 * says which (struct, field id) pairs carry data we keep. Everything else
 * is checked for well-formedness and dropped. A ScheduledTask is gathered
 * in per-field scratch buffers, handed to the callback when its object
 * closes, and forgotten.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yajl/yajl_parse.h>
#include "tjson.h"
#include "yajlx.h"

#define MAX_DEPTH 64

/* ---- names ---- */

static const char *const status_names[] = {
	[0] = "PENDING", [1] = "STARTING", [2] = "RUNNING", [3] = "FINISHED",
	[4] = "FAILED", [5] = "KILLED", [6] = "KILLING", [7] = "LOST",
	[9] = "ASSIGNED", [11] = "INIT", [12] = "RESTARTING",
	[13] = "PREEMPTING", [16] = "THROTTLED", [17] = "DRAINING",
	[18] = "PARTITIONED",
};
#define NSTATUS (sizeof status_names / sizeof status_names[0])

const int tj_active_states[] = { 0, 1, 2, 6, 9, 12, 13, 16, 17, 18 };
const size_t tj_nactive_states =
    sizeof tj_active_states / sizeof tj_active_states[0];

static const char *const code_names[] = {
	"INVALID_REQUEST", "OK", "ERROR", "WARNING", "AUTH_FAILED",
	"JOB_UPDATING_ERROR", "ERROR_TRANSIENT",
};

const char *tj_status_name(int status)
{
	if (status < 0 || (size_t)status >= NSTATUS)
		return NULL;
	return status_names[status];
}

int tj_status_parse(const char *name)
{
	for (size_t i = 0; i < NSTATUS; i++)
		if (status_names[i] && strcasecmp(status_names[i], name) == 0)
			return (int)i;
	return -1;
}

const char *tj_code_name(int code)
{
	if (code < 0 || (size_t)code >= sizeof code_names / sizeof code_names[0])
		return "UNKNOWN";
	return code_names[code];
}

/* ---- the encoder ---- */

/* As TJSONProtocol writes a string: UTF-8 bytes as they are, '"' and
 * '\\' escaped, control characters as short escapes or \u00xx. */
static void put_str(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	buf_add(b, "\"", 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		const char *esc = NULL;

		switch (c) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		}
		if (esc)
			buf_adds(b, esc);
		else if (c < 0x20)
			buf_addf(b, "\\u00%c%c", hex[c >> 4], hex[c & 15]);
		else
			buf_add(b, s, 1);
	}
	buf_add(b, "\"", 1);
}

static void put_str_field(struct buf *b, int *n, int id, const char *s)
{
	if (!s)
		return;
	buf_addf(b, "%s\"%d\":{\"str\":", (*n)++ ? "," : "", id);
	put_str(b, s);
	buf_add(b, "}", 1);
}

static void put_query(struct buf *b, const struct tj_query *q)
{
	int n = 0;

	buf_add(b, "{", 1);
	if (q) {
		put_str_field(b, &n, 14, q->role);
		put_str_field(b, &n, 9, q->environment);
		put_str_field(b, &n, 2, q->job);
	}
	if (q && q->ntask_ids) {
		buf_addf(b, "%s\"4\":{\"set\":[\"str\",%zu", n++ ? "," : "",
		    q->ntask_ids);
		for (size_t i = 0; i < q->ntask_ids; i++) {
			buf_add(b, ",", 1);
			put_str(b, q->task_ids[i]);
		}
		buf_adds(b, "]}");
	}
	if (q && q->nstatuses) {
		buf_addf(b, "%s\"5\":{\"set\":[\"i32\",%zu", n++ ? "," : "",
		    q->nstatuses);
		for (size_t i = 0; i < q->nstatuses; i++)
			buf_addf(b, ",%d", q->statuses[i]);
		buf_adds(b, "]}");
	}
	buf_add(b, "}", 1);
}

static int takes_query(const char *method)
{
	return strcmp(method, "queryRecovery") == 0 ||
	    strcmp(method, "deleteRecoveryTasks") == 0 ||
	    strcmp(method, "getTasksWithoutConfigs") == 0;
}

void tj_call(struct buf *out, const char *method, int32_t seqid,
    const char *arg, const struct tj_query *query)
{
	buf_reset(out);
	buf_adds(out, "[1,");
	put_str(out, method);
	buf_addf(out, ",1,%" PRId32 ",{", seqid);
	if (arg) {
		buf_adds(out, "\"1\":{\"str\":");
		put_str(out, arg);
		buf_adds(out, "}");
	} else if (query || takes_query(method)) {
		buf_adds(out, "\"1\":{\"rec\":");
		put_query(out, query);
		buf_adds(out, "}");
	}
	buf_adds(out, "}]");
}

/* ---- the model: which fields of which structs we keep ---- */

enum ttype {
	T_ANY, T_TF, T_I8, T_I16, T_I32, T_I64, T_DBL, T_STR,
	T_REC, T_MAP, T_LST, T_SET
};
static const char *const type_names[] = {
	"?", "tf", "i8", "i16", "i32", "i64", "dbl", "str",
	"rec", "map", "lst", "set"
};
#define NTYPES (sizeof type_names / sizeof type_names[0])

enum kind {
	K_SKIP, K_RESULT_ARGS, K_EXCEPTION, K_RESPONSE, K_SERVER_INFO,
	K_DETAIL, K_RESULT, K_BACKUPS, K_TASK_SET, K_TASK_LIST, K_TASK,
	K_ASSIGNED, K_CONFIG, K_JOB_KEY, K_IDENTITY
};
static const char *const kind_names[] = {
	"struct", "result struct", "TApplicationException", "Response",
	"ServerInfo", "ResponseDetail", "Result", "ListBackupsResult",
	"QueryRecoveryResult", "ScheduleStatusResult", "ScheduledTask",
	"AssignedTask", "TaskConfig", "JobKey", "Identity"
};

/* Where a scalar goes. The string slots below X_NSTR are per-task (or
 * per-detail) scratch buffers. */
enum slot {
	X_NONE, X_TASK_ID, X_HOST, X_ROLE, X_ENV, X_JOB, X_OLD_ROLE,
	X_OLD_ENV, X_OLD_JOB, X_DETAIL, X_NSTR,
	X_CLUSTER = X_NSTR, X_BACKUP, X_EXC_MSG,
	X_CODE, X_INSTANCE, X_STATUS, X_EXC_TYPE
};

struct field {
	unsigned char kind;	/* the struct it belongs to */
	short id;
	unsigned char type;	/* its Thrift type */
	unsigned char elem;	/* lst/set: the element type */
	unsigned char child;	/* rec (or elements rec): its kind */
	unsigned char slot;	/* scalar (or scalar elements): where it goes */
};

static const struct field fields[] = {
	{ K_RESULT_ARGS, 0, T_REC, 0, K_RESPONSE, 0 },
	{ K_EXCEPTION, 1, T_STR, 0, 0, X_EXC_MSG },
	{ K_EXCEPTION, 2, T_I32, 0, 0, X_EXC_TYPE },
	{ K_RESPONSE, 1, T_I32, 0, 0, X_CODE },
	{ K_RESPONSE, 3, T_REC, 0, K_RESULT, 0 },
	{ K_RESPONSE, 5, T_REC, 0, K_SERVER_INFO, 0 },
	{ K_RESPONSE, 6, T_LST, T_REC, K_DETAIL, 0 },
	{ K_SERVER_INFO, 1, T_STR, 0, 0, X_CLUSTER },
	{ K_DETAIL, 1, T_STR, 0, 0, X_DETAIL },
	{ K_RESULT, 3, T_REC, 0, K_TASK_LIST, 0 },
	{ K_RESULT, 6, T_REC, 0, K_BACKUPS, 0 },
	{ K_RESULT, 9, T_REC, 0, K_TASK_SET, 0 },
	{ K_BACKUPS, 1, T_SET, T_STR, 0, X_BACKUP },
	{ K_TASK_SET, 1, T_SET, T_REC, K_TASK, 0 },
	{ K_TASK_LIST, 1, T_LST, T_REC, K_TASK, 0 },
	{ K_TASK, 1, T_REC, 0, K_ASSIGNED, 0 },
	{ K_TASK, 2, T_I32, 0, 0, X_STATUS },
	{ K_ASSIGNED, 1, T_STR, 0, 0, X_TASK_ID },
	{ K_ASSIGNED, 3, T_STR, 0, 0, X_HOST },
	{ K_ASSIGNED, 4, T_REC, 0, K_CONFIG, 0 },
	{ K_ASSIGNED, 6, T_I32, 0, 0, X_INSTANCE },
	{ K_CONFIG, 3, T_STR, 0, 0, X_OLD_JOB },
	{ K_CONFIG, 17, T_REC, 0, K_IDENTITY, 0 },
	{ K_CONFIG, 26, T_STR, 0, 0, X_OLD_ENV },
	{ K_CONFIG, 28, T_REC, 0, K_JOB_KEY, 0 },
	{ K_JOB_KEY, 1, T_STR, 0, 0, X_ROLE },
	{ K_JOB_KEY, 2, T_STR, 0, 0, X_ENV },
	{ K_JOB_KEY, 3, T_STR, 0, 0, X_JOB },
	{ K_IDENTITY, 1, T_STR, 0, 0, X_OLD_ROLE },
};

static const struct field *find_field(int kind, long long id)
{
	if (kind == K_SKIP)
		return NULL;
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (fields[i].kind == kind && fields[i].id == id)
			return &fields[i];
	return NULL;
}

static int is_container(int type)
{
	return type == T_LST || type == T_SET || type == T_MAP;
}

/* ---- the decoder ---- */

enum frame_type {
	F_MESSAGE,	/* [version, name, type, seqid, {struct}] */
	F_STRUCT,	/* {"id": {...}, ...}; state 1: after a key */
	F_VALUE,	/* {"tag": value}; state 0, 1 (tag read), 2 (value read) */
	F_LIST,		/* ["tag", count, ...]; state 0, 1, 2 (elements) */
	F_MAP,		/* ["ktag", "vtag", count, {...}]; state 0..4 */
	F_ENTRIES	/* the map's object; state 1: after a key */
};

struct frame {
	unsigned char type, state, kind;
	unsigned char vtype;	/* F_VALUE: the tag; F_LIST: elements;
				 * F_MAP, F_ENTRIES: values */
	const struct field *f;	/* the modeled field this is, or NULL */
	long long count, n;	/* F_VALUE: count is the field id;
				 * F_STRUCT: n is the id after a key */
};

/* What the next value must be and where it goes. */
struct want {
	int type, child, slot;
	const struct field *f;	/* a modeled lst/set field */
};

struct tj_decoder {
	struct yajlx_stream js;
	tj_task_fn fn;
	void *ctx;
	struct frame st[MAX_DEPTH];
	int depth;
	int done;
	struct tj_reply r;
	size_t cap_details;
	struct buf backups;	/* r.backups as it grows */
	int have_result, have_code;
	unsigned results;	/* 1 << kind of the structs seen */
	struct buf s[X_NSTR];	/* task / detail scratch, by slot */
	unsigned seen;		/* slots set in the current task / detail */
	int instance, status;
};

static int fail(struct tj_decoder *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int fail(struct tj_decoder *d, const char *fmt, ...)
{
	va_list ap;

	if (d->js.why[0])
		return 0;
	va_start(ap, fmt);
	vsnprintf(d->js.why, sizeof d->js.why, fmt, ap);
	va_end(ap);
	return 0;
}

/* A short printable rendering of hostile text for messages. */
static const char *shown(const char *s, size_t len, char out[24])
{
	size_t i;

	for (i = 0; i < len && i < 16; i++)
		out[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	if (len > 16)
		out[i++] = '.', out[i++] = '.', out[i++] = '.';
	out[i] = '\0';
	return out;
}

static int parse_int(const char *s, size_t len, long long lo, long long hi,
    long long *out)
{
	unsigned long long v = 0, lim;
	int neg = len > 0 && s[0] == '-';
	size_t i = neg;

	if (i == len)
		return -1;
	lim = neg ? (unsigned long long)LLONG_MAX + 1 : (unsigned long long)LLONG_MAX;
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (v > (lim - (unsigned)(s[i] - '0')) / 10)
			return -1;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (neg)
		*out = v == lim ? LLONG_MIN : -(long long)v;
	else
		*out = (long long)v;
	return *out < lo || *out > hi ? -1 : 0;
}

static int parse_tag(const char *s, size_t len)
{
	for (size_t i = 1; i < NTYPES; i++)
		if (strlen(type_names[i]) == len && memcmp(type_names[i], s, len) == 0)
			return (int)i;
	return T_ANY;
}

static struct frame *top(struct tj_decoder *d)
{
	return d->depth ? &d->st[d->depth - 1] : NULL;
}

static struct frame *push(struct tj_decoder *d, int type, int kind,
    const struct field *f)
{
	struct frame *fr;

	if (d->depth == MAX_DEPTH) {
		fail(d, "nested deeper than %d levels", MAX_DEPTH);
		return NULL;
	}
	fr = &d->st[d->depth++];
	memset(fr, 0, sizeof *fr);
	fr->type = (unsigned char)type;
	fr->kind = (unsigned char)kind;
	fr->f = f;
	return fr;
}

static int str_slot(int slot)
{
	return slot > X_NONE && slot < X_NSTR;
}

static void start_task(struct tj_decoder *d)
{
	for (int i = 0; i < X_NSTR; i++)
		buf_reset(&d->s[i]);
	d->seen = 0;
	d->instance = -1;
	d->status = -1;
}

static const char *got(struct tj_decoder *d, int slot, int fallback)
{
	if (d->seen & 1u << slot)
		return d->s[slot].s;
	if (fallback && d->seen & 1u << fallback)
		return d->s[fallback].s;
	return "";
}

static int end_task(struct tj_decoder *d)
{
	struct tj_task t = {
		.task_id = got(d, X_TASK_ID, 0),
		.slave_host = got(d, X_HOST, 0),
		.role = got(d, X_ROLE, X_OLD_ROLE),
		.environment = got(d, X_ENV, X_OLD_ENV),
		.job = got(d, X_JOB, X_OLD_JOB),
		.instance_id = d->instance,
		.status = d->status,
	};

	d->r.ntasks++;
	if (!d->fn || d->fn(d->ctx, &t, &d->js.err) == 0)
		return 1;
	if (!d->js.err.code)
		errf(&d->js.err, EXIT_FAIL, "stopped at task %s", t.task_id);
	d->js.user_failed = 1;
	return fail(d, "%s", d->js.err.msg);
}

static void add_string(char ***v, size_t *n, size_t *cap, const char *s,
    size_t len)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		*v = xrealloc(*v, *cap * sizeof **v);
	}
	(*v)[(*n)++] = xstrndup(s, len);
}

static int end_struct(struct tj_decoder *d, int kind)
{
	struct buf *m = &d->s[X_DETAIL];

	if (kind == K_TASK)
		return end_task(d);
	if (kind == K_DETAIL && d->seen & 1u << X_DETAIL)
		add_string(&d->r.details, &d->r.ndetails, &d->cap_details,
		    m->s, m->len);
	if (kind == K_RESPONSE && !d->have_code)
		return fail(d, "Response without a responseCode");
	return 1;
}

static void start_struct(struct tj_decoder *d, int kind)
{
	d->results |= 1u << kind;
	if (kind == K_TASK)
		start_task(d);
	else if (kind == K_DETAIL) {
		buf_reset(&d->s[X_DETAIL]);
		d->seen &= ~(1u << X_DETAIL);
	} else if (kind == K_RESPONSE)
		d->have_result = 1;
}

static void set_string(char **p, const char *s, size_t len)
{
	free(*p);
	*p = xstrndup(s, len);
}

static int store_string(struct tj_decoder *d, int slot, const char *s,
    size_t len)
{
	if (slot == X_NONE)
		return 1;
	if (memchr(s, '\0', len))
		return fail(d, "a string with a NUL character");
	if (str_slot(slot)) {
		buf_reset(&d->s[slot]);
		buf_add(&d->s[slot], s, len);
		d->seen |= 1u << slot;
	} else if (slot == X_CLUSTER)
		set_string(&d->r.cluster_name, s, len);
	else if (slot == X_EXC_MSG)
		set_string(&d->r.exc_message, s, len);
	else if (slot == X_BACKUP) {
		buf_add(&d->backups, s, len);
		buf_add(&d->backups, "", 1);
		d->r.nbackups++;
	}
	return 1;
}

static void store_int(struct tj_decoder *d, int slot, long long v)
{
	switch (slot) {
	case X_CODE: d->r.code = (int)v; d->have_code = 1; break;
	case X_INSTANCE: d->instance = (int)v; break;
	case X_STATUS: d->status = (int)v; break;
	case X_EXC_TYPE: d->r.exc_type = (int)v; break;
	}
}

static const long long int_min[] = {
	[T_TF] = 0, [T_I8] = INT8_MIN, [T_I16] = INT16_MIN,
	[T_I32] = INT32_MIN, [T_I64] = LLONG_MIN
};
static const long long int_max[] = {
	[T_TF] = 1, [T_I8] = INT8_MAX, [T_I16] = INT16_MAX,
	[T_I32] = INT32_MAX, [T_I64] = LLONG_MAX
};

static int is_special_double(const char *s, size_t len)
{
	return (len == 3 && memcmp(s, "NaN", 3) == 0) ||
	    (len == 8 && memcmp(s, "Infinity", 8) == 0) ||
	    (len == 9 && memcmp(s, "-Infinity", 9) == 0);
}

/* "field 2 of ScheduledTask: " for messages about the value at hand. */
static const char *where(struct tj_decoder *d, char out[96])
{
	int i = d->depth - 1;
	const char *elem = "";

	out[0] = '\0';
	if (i >= 0 && d->st[i].type == F_LIST) {
		elem = "an element of ";
		i--;
	}
	if (i >= 1 && d->st[i].type == F_VALUE && d->st[i - 1].type == F_STRUCT)
		snprintf(out, 96, "%sfield %lld of %s: ", elem, d->st[i].count,
		    kind_names[d->st[i - 1].kind]);
	return out;
}

/* A number (is_num) or string value, checked against w->type. */
static int scalar(struct tj_decoder *d, const struct want *w, int is_num,
    const char *s, size_t len)
{
	char sh[24], at[96];
	long long v;

	switch (w->type) {
	case T_TF: case T_I8: case T_I16: case T_I32: case T_I64:
		if (!is_num || parse_int(s, len, int_min[w->type],
		    int_max[w->type], &v) < 0)
			return fail(d, "%s%s is not a valid %s value", where(d, at),
			    is_num ? shown(s, len, sh) : "a string",
			    type_names[w->type]);
		store_int(d, w->slot, v);
		return 1;
	case T_DBL:
		if (!is_num && !is_special_double(s, len))
			return fail(d, "%sa string is not a valid dbl value",
			    where(d, at));
		return 1;
	case T_STR:
		if (is_num)
			return fail(d, "%sa number where a str was expected",
			    where(d, at));
		return store_string(d, w->slot, s, len);
	default:
		return fail(d, "%sa %s where a %s was expected", where(d, at),
		    is_num ? "number" : "string", type_names[w->type]);
	}
}

/* Is a value allowed here, and what must it be? */
static int value_begin(struct tj_decoder *d, struct want *w)
{
	struct frame *fr = top(d);
	const struct field *f;

	memset(w, 0, sizeof *w);
	if (!fr)
		return fail(d, "not a Thrift message");
	f = fr->f;
	if (fr->type == F_VALUE && fr->state == 1) {
		w->type = fr->vtype;
		if (f && is_container(f->type))
			w->f = f;
		else if (f) {
			w->child = f->child;
			w->slot = f->slot;
		}
		return 1;
	}
	if (fr->type == F_LIST && fr->state == 2) {
		if (fr->n >= fr->count)
			return fail(d, "a %s with more than the %lld elements announced",
			    type_names[fr->f ? fr->f->type : T_LST], fr->count);
		w->type = fr->vtype;
		if (f) {
			w->child = f->child;
			w->slot = f->slot;
		}
		return 1;
	}
	if (fr->type == F_ENTRIES && fr->state == 1) {
		w->type = fr->vtype;
		return 1;
	}
	if (fr->type == F_STRUCT)
		return fail(d, "a field of %s that is not a {\"type\": value} object",
		    kind_names[fr->kind]);
	if (fr->type == F_VALUE)
		return fail(d, "a {\"type\": value} object with more than one value");
	if (fr->type == F_MESSAGE)
		return fail(d, "a message that is not [1, name, type, seqid, {...}]");
	return fail(d, "a value out of place");
}

static int value_done(struct tj_decoder *d)
{
	struct frame *fr = top(d);

	if (!fr)
		return 1;
	switch (fr->type) {
	case F_MESSAGE: fr->state = 5; break;
	case F_VALUE: fr->state = 2; break;
	case F_LIST: fr->n++; break;
	case F_ENTRIES: fr->n++; fr->state = 0; break;
	}
	return 1;
}

static int message_header(struct tj_decoder *d, struct frame *fr, int is_num,
    const char *s, size_t len)
{
	long long v;

	switch (fr->state) {
	case 0:
		if (!is_num || parse_int(s, len, 1, 1, &v) < 0)
			return fail(d, "not a TJSONProtocol message (version 1)");
		break;
	case 1:
		if (is_num)
			return fail(d, "the method name is not a string");
		if (memchr(s, '\0', len))
			return fail(d, "a method name with a NUL character");
		set_string(&d->r.method, s, len);
		break;
	case 2:
		if (!is_num || parse_int(s, len, TJ_REPLY, TJ_EXCEPTION, &v) < 0)
			return fail(d, "message type is not REPLY (2) or EXCEPTION (3)");
		d->r.type = (int)v;
		break;
	case 3:
		if (!is_num || parse_int(s, len, INT32_MIN, INT32_MAX, &v) < 0)
			return fail(d, "the sequence id is not an i32");
		d->r.seqid = (int32_t)v;
		break;
	default:
		return fail(d, "a message that is not [1, name, type, seqid, {...}]");
	}
	fr->state++;
	return 1;
}

static int read_tag(struct tj_decoder *d, int is_num, const char *s,
    size_t len, int *type)
{
	char sh[24];

	*type = is_num ? T_ANY : parse_tag(s, len);
	if (*type == T_ANY)
		return fail(d, "unknown type tag \"%s\"",
		    is_num ? "(a number)" : shown(s, len, sh));
	return 1;
}

static int read_count(struct tj_decoder *d, int is_num, const char *s,
    size_t len, long long *count)
{
	if (!is_num || parse_int(s, len, 0, INT32_MAX, count) < 0)
		return fail(d, "a container count that is not a number 0..2^31-1");
	return 1;
}

/* The header elements of lst/set/map arrays. */
static int container_header(struct tj_decoder *d, struct frame *fr,
    int is_num, const char *s, size_t len)
{
	int t;

	if (fr->type == F_LIST && fr->state == 0) {
		if (!read_tag(d, is_num, s, len, &t))
			return 0;
		if (fr->f && t != fr->f->elem)
			return fail(d, "a %s of %s where a %s of %s was expected",
			    type_names[fr->f->type], type_names[t],
			    type_names[fr->f->type], type_names[fr->f->elem]);
		fr->vtype = (unsigned char)t;
	} else if (fr->type == F_MAP && fr->state < 2) {
		if (!read_tag(d, is_num, s, len, &t))
			return 0;
		if (fr->state == 1)
			fr->vtype = (unsigned char)t;
	} else if (!read_count(d, is_num, s, len, &fr->count))
		return 0;
	fr->state++;
	return 1;
}

static int on_scalar(struct tj_decoder *d, int is_num, const char *s,
    size_t len)
{
	struct frame *fr = top(d);
	struct want w;

	if (fr && fr->type == F_MESSAGE)
		return message_header(d, fr, is_num, s, len);
	if (fr && ((fr->type == F_LIST && fr->state < 2) ||
	    (fr->type == F_MAP && fr->state < 3)))
		return container_header(d, fr, is_num, s, len);
	if (!value_begin(d, &w) || !scalar(d, &w, is_num, s, len))
		return 0;
	return value_done(d);
}

static int cb_null(void *ctx)
{
	return fail(ctx, "a JSON null, which TJSONProtocol never writes");
}

static int cb_boolean(void *ctx, int b)
{
	(void)b;
	return fail(ctx, "a JSON boolean, which TJSONProtocol never writes");
}

static int cb_number(void *ctx, const char *s, size_t len)
{
	return on_scalar(ctx, 1, s, len);
}

static int cb_string(void *ctx, const unsigned char *s, size_t len)
{
	return on_scalar(ctx, 0, (const char *)s, len);
}

static int cb_start_map(void *ctx)
{
	struct tj_decoder *d = ctx;
	struct frame *fr = top(d);
	struct want w;
	char at[96];

	if (fr && fr->type == F_MESSAGE) {
		if (fr->state != 4)
			return fail(d, "a message header that is not [1, name, type, seqid]");
		return push(d, F_STRUCT, d->r.type == TJ_REPLY ? K_RESULT_ARGS :
		    K_EXCEPTION, NULL) != NULL;
	}
	if (fr && fr->type == F_STRUCT && fr->state == 1) {
		long long id = fr->n;

		if (!(fr = push(d, F_VALUE, 0, fr->f)))
			return 0;
		fr->count = id;
		return 1;
	}
	if (fr && fr->type == F_MAP) {
		if (fr->state != 3)
			return fail(d, "a map header that is not [ktype, vtype, count]");
		fr->state = 4;
		if (!(fr = push(d, F_ENTRIES, 0, NULL)))
			return 0;
		fr->count = d->st[d->depth - 2].count;
		fr->vtype = d->st[d->depth - 2].vtype;
		return 1;
	}
	if (!value_begin(d, &w))
		return 0;
	if (w.type != T_REC)
		return fail(d, "%san object where a %s was expected", where(d, at),
		    type_names[w.type]);
	start_struct(d, w.child);
	return push(d, F_STRUCT, w.child, NULL) != NULL;
}

static int cb_map_key(void *ctx, const unsigned char *key, size_t len)
{
	struct tj_decoder *d = ctx;
	struct frame *fr = top(d);
	const char *s = (const char *)key;
	char sh[24];
	long long id;
	int t;

	if (!fr)
		return fail(d, "an object out of place");
	switch (fr->type) {
	case F_STRUCT:
		if (parse_int(s, len, INT16_MIN, INT16_MAX, &id) < 0)
			return fail(d, "field id \"%s\" of %s is not an i16",
			    shown(s, len, sh), kind_names[fr->kind]);
		fr->f = find_field(fr->kind, id);
		fr->n = id;
		fr->state = 1;
		return 1;
	case F_VALUE:
		if (fr->state != 0)
			return fail(d, "a {\"type\": value} object with more than one value");
		if (!read_tag(d, 0, s, len, &t))
			return 0;
		if (fr->f && t != fr->f->type)
			return fail(d, "field %d of %s is a %s, not a %s", fr->f->id,
			    kind_names[fr->f->kind], type_names[t],
			    type_names[fr->f->type]);
		fr->vtype = (unsigned char)t;
		fr->state = 1;
		return 1;
	case F_ENTRIES:
		if (fr->n >= fr->count)
			return fail(d, "a map with more than the %lld entries announced",
			    fr->count);
		fr->state = 1;
		return 1;
	}
	return fail(d, "an object out of place");
}

static int cb_end_map(void *ctx)
{
	struct tj_decoder *d = ctx;
	struct frame *fr = top(d);
	int kind;

	if (!fr)
		return fail(d, "an object out of place");
	kind = fr->kind;
	switch (fr->type) {
	case F_STRUCT:
		d->depth--;
		return end_struct(d, kind) && value_done(d);
	case F_VALUE:
		if (fr->state != 2)
			return fail(d, "an empty {\"type\": value} object");
		d->depth--;
		top(d)->state = 0;
		return 1;
	case F_ENTRIES:
		if (fr->n != fr->count)
			return fail(d, "a map of %lld entries announced as %lld",
			    fr->n, fr->count);
		d->depth--;
		return 1;
	}
	return fail(d, "an object out of place");
}

static int cb_start_array(void *ctx)
{
	struct tj_decoder *d = ctx;
	struct want w;
	char at[96];

	if (d->depth == 0)
		return push(d, F_MESSAGE, 0, NULL) != NULL;
	if (!value_begin(d, &w))
		return 0;
	if (w.type == T_LST || w.type == T_SET)
		return push(d, F_LIST, 0, w.f) != NULL;
	if (w.type == T_MAP)
		return push(d, F_MAP, 0, NULL) != NULL;
	return fail(d, "%san array where a %s was expected", where(d, at),
	    type_names[w.type]);
}

static int cb_end_array(void *ctx)
{
	struct tj_decoder *d = ctx;
	struct frame *fr = top(d);

	if (!fr)
		return fail(d, "an array out of place");
	switch (fr->type) {
	case F_MESSAGE:
		if (fr->state != 5)
			return fail(d, "a message that is not [1, name, type, seqid, {...}]");
		d->depth--;
		d->done = 1;
		return 1;
	case F_LIST:
		if (fr->state != 2)
			return fail(d, "a %s without its [type, count] header",
			    type_names[fr->f ? fr->f->type : T_LST]);
		if (fr->n != fr->count)
			return fail(d, "a %s of %lld elements announced as %lld",
			    type_names[fr->f ? fr->f->type : T_LST], fr->n,
			    fr->count);
		break;
	case F_MAP:
		if (fr->state != 4)
			return fail(d, "a map that is not [ktype, vtype, count, {...}]");
		break;
	default:
		return fail(d, "an array out of place");
	}
	d->depth--;
	return value_done(d);
}

static const yajl_callbacks callbacks = {
	.yajl_null = cb_null,
	.yajl_boolean = cb_boolean,
	.yajl_number = cb_number,
	.yajl_string = cb_string,
	.yajl_start_map = cb_start_map,
	.yajl_map_key = cb_map_key,
	.yajl_end_map = cb_end_map,
	.yajl_start_array = cb_start_array,
	.yajl_end_array = cb_end_array,
};


struct tj_decoder *tj_decoder_new(tj_task_fn fn, void *ctx, size_t max_bytes)
{
	struct tj_decoder *d = xcalloc(1, sizeof *d);

	yajlx_open(&d->js, &callbacks, d, max_bytes);
	d->fn = fn;
	d->ctx = ctx;
	d->r.code = -1;
	return d;
}

int tj_decoder_feed(struct tj_decoder *d, const char *data, size_t len,
    struct err *e)
{
	return yajlx_feed(&d->js, data, len, e);
}

/* The Result member an OK answer to method must carry, or K_SKIP. */
static int result_kind(const char *method)
{
	if (strcmp(method, "listBackups") == 0)
		return K_BACKUPS;
	if (strcmp(method, "queryRecovery") == 0)
		return K_TASK_SET;
	if (strcmp(method, "getTasksWithoutConfigs") == 0)
		return K_TASK_LIST;
	return K_SKIP;
}

static void reply_clear(struct tj_reply *r)
{
	memset(r, 0, sizeof *r);
}

int tj_decoder_finish(struct tj_decoder *d, struct tj_reply *r,
    struct err *e)
{
	reply_clear(r);
	if (yajlx_finish(&d->js, &d->done, e) < 0)
		return -1;
	if (d->r.type == TJ_REPLY && !d->have_result)
		return errf(e, EXIT_DATA, "bad reply: no result (field 0) in %s's reply",
		    d->r.method);
	if (d->r.type == TJ_REPLY && d->r.code == 1 &&
	    result_kind(d->r.method) != K_SKIP &&
	    !(d->results & 1u << result_kind(d->r.method)))
		return errf(e, EXIT_DATA, "bad reply: an OK answer to %s without its result (%s)",
		    d->r.method, kind_names[result_kind(d->r.method)]);
	d->r.backups = d->r.nbackups ? buf_detach(&d->backups) : NULL;
	*r = d->r;
	reply_clear(&d->r);
	return 0;
}

void tj_reply_free(struct tj_reply *r)
{
	free(r->method);
	for (size_t i = 0; i < r->ndetails; i++)
		free(r->details[i]);
	free(r->details);
	free(r->cluster_name);
	free(r->backups);
	free(r->exc_message);
	reply_clear(r);
}

void tj_decoder_free(struct tj_decoder *d)
{
	if (!d)
		return;
	yajlx_close(&d->js);
	tj_reply_free(&d->r);
	for (int i = 0; i < X_NSTR; i++)
		buf_free(&d->s[i]);
	buf_free(&d->backups);
	free(d);
}
