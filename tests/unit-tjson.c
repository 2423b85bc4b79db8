/*
 * unit-tjson.c: TAP tests for src/tjson.c against python3-thrift.
 *
 *   gcc -std=c11 -D_GNU_SOURCE -Wall -Wextra -g -Isrc -o unit-tjson \
 *       tests/unit-tjson.c src/tjson.c src/err.c src/buf.c src/fileio.c \
 *       $(pkg-config --cflags --libs yajl) && ./unit-tjson .
 *
 * argv[1] is the source directory. The replies are written, and their
 * expected content decoded, by tests/scheduler/gen_fixtures.py with
 * Apache Thrift's Python library (Debian's /usr/bin/python3, python3-thrift
 * and thrift-compiler: their absence is a failure, not a skip); the calls
 * tj_call() encodes are decoded by the same library.
 *
 * min-checks: 188
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yajl/yajl_tree.h>
#include "buf.h"
#include "err.h"
#include "fileio.h"
#include "tjson.h"
#include "tap.h"

#define PYTHON "/usr/bin/python3"

static char T[256];
static const char *srcdir = ".";

/* ---- decoding with a collecting callback ---- */

struct tasks {
	char **v;
	size_t n, cap;
	int stop_after;		/* >0: fail on that task */
};

static int collect(void *ctx, const struct tj_task *t, struct err *e)
{
	struct tasks *ts = ctx;

	if (ts->stop_after && (int)ts->n + 1 == ts->stop_after)
		return errf(e, EXIT_FAIL, "callback said stop at %s", t->task_id);
	if (ts->n == ts->cap) {
		ts->cap = ts->cap ? 2 * ts->cap : 16;
		ts->v = xrealloc(ts->v, ts->cap * sizeof *ts->v);
	}
	ts->v[ts->n++] = xasprintf("%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%d\x1f%d",
	    t->task_id, t->slave_host, t->role, t->environment, t->job,
	    t->instance_id, t->status);
	return 0;
}

static void tasks_free(struct tasks *ts)
{
	for (size_t i = 0; i < ts->n; i++)
		free(ts->v[i]);
	free(ts->v);
	memset(ts, 0, sizeof *ts);
}

/* Feed data in chunks of `chunk` bytes (0: at once). */
static int decode(const char *data, size_t len, size_t chunk, size_t max,
    struct tasks *ts, struct tj_reply *r, struct err *e)
{
	struct tj_decoder *d = tj_decoder_new(ts ? collect : NULL, ts, max);
	int rc = 0;

	memset(e, 0, sizeof *e);
	memset(r, 0, sizeof *r);
	if (chunk == 0)
		chunk = len ? len : 1;
	for (size_t off = 0; off < len && rc == 0; off += chunk)
		rc = tj_decoder_feed(d, data + off, len - off < chunk ? len - off : chunk, e);
	if (rc == 0)
		rc = tj_decoder_finish(d, r, e);
	tj_decoder_free(d);
	return rc;
}

static int fails_clean(const char *data, size_t len, size_t chunk, size_t max,
    const char *want)
{
	struct tasks ts = { 0 };
	struct tj_reply r;
	struct err e;
	int rc = decode(data, len, chunk, max, &ts, &r, &e);
	int good = rc < 0 && e.code == EXIT_DATA && e.msg[0] &&
	    (!want || strstr(e.msg, want));

	if (!good)
		note("rc %d code %d msg '%s' (want '%s')", rc, e.code, e.msg,
		    want ? want : "");
	if (rc == 0)
		tj_reply_free(&r);
	tasks_free(&ts);
	return good;
}

/* ---- expectations (expect.json from the generator) ---- */

static const char *jstr(yajl_val o, const char *key)
{
	const char *path[] = { key, NULL };
	yajl_val v = yajl_tree_get(o, path, yajl_t_any);

	return YAJL_IS_STRING(v) ? YAJL_GET_STRING(v) : NULL;
}

static long long jint(yajl_val o, const char *key)
{
	const char *path[] = { key, NULL };
	yajl_val v = yajl_tree_get(o, path, yajl_t_number);

	return v && YAJL_IS_INTEGER(v) ? YAJL_GET_INTEGER(v) : -99999;
}

static yajl_val jarr(yajl_val o, const char *key)
{
	const char *path[] = { key, NULL };

	return yajl_tree_get(o, path, yajl_t_array);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int same_strings(yajl_val want, char **got, size_t ngot, int sorted)
{
	size_t n = want ? YAJL_GET_ARRAY(want)->len : 0;
	char **v;
	int same = n == ngot;

	if (!same) {
		note("%zu strings, want %zu", ngot, n);
		return 0;
	}
	v = xmalloc((ngot ? ngot : 1) * sizeof *v);
	if (ngot)
		memcpy(v, got, ngot * sizeof *v);
	if (sorted)
		qsort(v, ngot, sizeof *v, cmp_str);
	for (size_t i = 0; i < n && same; i++) {
		const char *w = YAJL_GET_STRING(YAJL_GET_ARRAY(want)->values[i]);

		if (!w || strcmp(w, v[i]) != 0) {
			note("string %zu: got '%s' want '%s'", i, v[i], w ? w : "?");
			same = 0;
		}
	}
	free(v);
	return same;
}

/* The packed backup names (tjson.h) against want, in any order. */
static int same_packed(yajl_val want, const char *packed, size_t n)
{
	char **v = xcalloc(n + 1, sizeof *v);
	const char *p = packed;
	int same;

	for (size_t i = 0; i < n; i++, p += strlen(p) + 1)
		v[i] = (char *)p;
	same = same_strings(want, v, n, 1);
	free(v);
	return same;
}

static int same_tasks(yajl_val want, struct tasks *ts)
{
	size_t n = want ? YAJL_GET_ARRAY(want)->len : 0;
	char **w = xmalloc((n ? n : 1) * sizeof *w);
	int same;

	for (size_t i = 0; i < n; i++) {
		yajl_val t = YAJL_GET_ARRAY(want)->values[i];

		w[i] = xasprintf("%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%lld\x1f%lld",
		    jstr(t, "task_id"), jstr(t, "slave_host"), jstr(t, "role"),
		    jstr(t, "environment"), jstr(t, "job"),
		    jint(t, "instance_id"), jint(t, "status"));
	}
	qsort(w, n, sizeof *w, cmp_str);
	if (ts->n)
		qsort(ts->v, ts->n, sizeof *ts->v, cmp_str);
	same = n == ts->n;
	if (!same)
		note("%zu tasks, want %zu", ts->n, n);
	for (size_t i = 0; same && i < n; i++)
		if (strcmp(w[i], ts->v[i]) != 0) {
			note("task %zu:\n#  got  %s\n#  want %s", i, ts->v[i], w[i]);
			same = 0;
		}
	for (size_t i = 0; i < n; i++)
		free(w[i]);
	free(w);
	return same;
}

static int same_reply(yajl_val x, const struct tj_reply *r, struct tasks *ts)
{
	const char *cl = jstr(x, "cluster");
	const char *msg = jstr(x, "exc_message");
	int same = 1;

#define CHECK(c) do { if (!(c)) { note("differs: %s", #c); same = 0; } } while (0)
	CHECK(r->type == jint(x, "type"));
	CHECK(r->method && strcmp(r->method, jstr(x, "method")) == 0);
	CHECK(r->seqid == jint(x, "seqid"));
	if (r->type == TJ_EXCEPTION) {
		CHECK(r->exc_type == jint(x, "exc_type"));
		CHECK(msg ? r->exc_message && strcmp(r->exc_message, msg) == 0 :
		    r->exc_message == NULL);
		CHECK(ts->n == 0 && r->ntasks == 0);
		return same;
	}
	CHECK(r->code == jint(x, "code"));
	CHECK(cl ? r->cluster_name && strcmp(r->cluster_name, cl) == 0 :
	    r->cluster_name == NULL);
	CHECK(same_strings(jarr(x, "details"), r->details, r->ndetails, 0));
	CHECK(same_packed(jarr(x, "backups"), r->backups, r->nbackups));
	CHECK(r->ntasks == ts->n);
	CHECK(same_tasks(jarr(x, "tasks"), ts));
#undef CHECK
	return same;
}

static char *path_in(const char *dir, const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

static int slurp(const char *path, struct buf *b)
{
	struct err e = { 0 };

	if (file_read(path, b, NULL, 0, &e) < 0) {
		note("%s", e.msg);
		return -1;
	}
	return 0;
}

static int run(const char *cmd)
{
	int rc = system(cmd);

	if (rc != 0)
		note("command failed (%d): %s", rc, cmd);
	return rc;
}

/* ---- the tests ---- */

static yajl_val expect_tree;
static char R[300];		/* the replies directory */

static void test_fixtures(void)
{
	yajl_val obj = expect_tree;
	size_t chunks[] = { 0, 1, 7, 4096 };

	for (size_t i = 0; obj && i < YAJL_GET_OBJECT(obj)->len; i++) {
		const char *name = YAJL_GET_OBJECT(obj)->keys[i];
		yajl_val x = YAJL_GET_OBJECT(obj)->values[i];
		char *file = xasprintf("%s/%s.json", R, name);
		struct buf b = BUF_INIT;

		if (slurp(file, &b) < 0) {
			ok(0, "fixture %s", name);
			free(file);
			continue;
		}
		for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
			struct tasks ts = { 0 };
			struct tj_reply r;
			struct err e;
			int rc = decode(b.s, b.len, chunks[c], 0, &ts, &r, &e);

			ok(rc == 0 && same_reply(x, &r, &ts),
			    "%s decodes as python3-thrift reads it (chunks of %zu)",
			    name, chunks[c]);
			if (rc < 0)
				note("%s", e.msg);
			else
				tj_reply_free(&r);
			tasks_free(&ts);
		}
		buf_free(&b);
		free(file);
	}
}

static void test_prefixes(void)
{
	const char *names[] = { "query-1", "query-0", "list-backups", "list-backups-none",
		"error-details", "error-transient", "exception", "exception-unicode",
		"auth-failed", "ok-bare", "reencoded-error", "warning" };

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char *file = xasprintf("%s/%s.json", R, names[i]);
		struct buf b = BUF_INIT;
		size_t bad = 0, at = 0;

		if (slurp(file, &b) == 0)
			for (size_t n = 0; n < b.len; n++)
				if (!fails_clean(b.s, n, 0, 0, NULL) && !bad++)
					at = n;
		ok(b.len > 0 && bad == 0, "each of the %zu prefixes of %s fails with EXIT_DATA",
		    b.len, names[i]);
		if (bad)
			note("%zu prefixes decoded, the first of %zu bytes", bad, at);
		buf_free(&b);
		free(file);
	}
}

static void test_raw_control(void)
{
	char *file = path_in(R, "query-many.json");
	struct buf b = BUF_INIT;

	ok(slurp(file, &b) == 0 && fails_clean(b.s, b.len, 0, 0, "not JSON"),
	    "raw control characters in strings (python3-thrift's writer) are not JSON");
	buf_free(&b);
	free(file);
}

#define OKR "[1,\"m\",2,0,{\"0\":{\"rec\":{\"1\":{\"i32\":1}"
#define TASK_PRE OKR ",\"3\":{\"rec\":{\"9\":{\"rec\":{\"1\":{\"set\":[\"rec\",1,"
#define TASK_POST "]}}}}}}}}]"

struct bad_case {
	const char *json;
	const char *want;	/* in the message */
	const char *desc;
};

static const struct bad_case bad_cases[] = {
	{ "", "empty reply", "empty input" },
	{ "   ", "truncated", "only whitespace" },
	{ "{}", "not a Thrift message", "an object, not a message" },
	{ "\"x\"", "not a Thrift message", "a string, not a message" },
	{ "[2,\"m\",2,0,{}]", "version 1", "version 2" },
	{ "[1,\"m\",1,0,{}]", "REPLY (2) or EXCEPTION (3)", "a CALL" },
	{ "[1,\"m\",4,0,{}]", "REPLY (2) or EXCEPTION (3)", "a ONEWAY" },
	{ "[1,\"m\",2.0,0,{}]", "REPLY (2)", "a type that is a float" },
	{ "[1,\"m\",\"2\",0,{}]", "REPLY (2)", "a type that is a string" },
	{ "[1,2,2,0,{}]", "not a string", "a method name that is a number" },
	{ "[1,\"m\",2,2147483648,{}]", "sequence id", "seqid beyond i32" },
	{ "[1,\"m\",2,0]", "not [1, name, type, seqid", "no result struct" },
	{ "[1,\"m\",2,0,{},1]", "not [1, name, type, seqid", "six elements" },
	{ "[1,\"m\",2,0,[]]", "not [1, name, type, seqid", "result struct is an array" },
	{ "[1,\"m\",2,0,{}]", "no result (field 0)", "a REPLY without field 0" },
	{ "[1,\"m\",2,0,{}] x", "not JSON", "trailing garbage" },
	{ "[1,\"m\",2,0,{}][1]", "not JSON", "two values" },
	{ "[1,\"m\",2,0,{\"0\":{\"rec\":{}}}]", "without a responseCode", "Response without code" },
	{ OKR ",\"1\":{\"str\":\"1\"}}}}]", "field 1 of Response is a str, not a i32",
	  "responseCode tagged str" },
	{ OKR "}}}]x", "not JSON", "garbage after a reply" },
	{ "[1,\"m\",2,0,{\"0\":{\"rec\":{\"1\":{\"i32\":\"1\"}}}}]", "not a valid i32",
	  "i32 tag with a string" },
	{ "[1,\"m\",2,0,{\"0\":{\"rec\":{\"1\":{\"i32\":1.5}}}}]", "not a valid i32",
	  "i32 tag with a float" },
	{ "[1,\"m\",2,0,{\"0\":{\"rec\":{\"1\":{\"i32\":2147483648}}}}]", "not a valid i32",
	  "i32 out of range" },
	{ "[1,\"m\",2,0,{\"0\":{\"rec\":{\"1\":{\"i32\":1e3}}}}]", "not a valid i32",
	  "i32 in exponent form" },
	{ "[1,\"m\",2,0,{\"0\":{\"rec\":{\"1\":{\"i32\":true}}}}]", "JSON boolean",
	  "a JSON boolean" },
	{ "[1,\"m\",2,0,{\"0\":{\"rec\":{\"1\":{\"i32\":null}}}}]", "JSON null", "a JSON null" },
	{ "[1,\"m\",2,0,{\"0\":{\"rec\":{\"1\":{\"i32\":1,\"i32\":1}}}}]", "more than one value",
	  "two type tags" },
	{ "[1,\"m\",2,0,{\"0\":{\"rec\":{\"1\":{}}}}]", "empty", "an empty value object" },
	{ "[1,\"m\",2,0,{\"0\":{\"rec\":{\"1\":1}}}]", "not a {\"type\": value} object",
	  "a bare value" },
	{ "[1,\"m\",2,0,{\"0\":{\"rec\":{\"x\":{\"i32\":1}}}}]", "not an i16", "field id not a number" },
	{ "[1,\"m\",2,0,{\"0\":{\"rec\":{\"1.0\":{\"i32\":1}}}}]", "not an i16", "field id 1.0" },
	{ "[1,\"m\",2,0,{\"0\":{\"rec\":{\"\":{\"i32\":1}}}}]", "not an i16", "empty field id" },
	{ "[1,\"m\",2,0,{\"0\":{\"rec\":{\"40000\":{\"i32\":1}}}}]", "not an i16",
	  "field id beyond i16" },
	{ "[1,\"m\",2,0,{\"0\":{\"rec\":{\"1\":{\"int\":1}}}}]", "unknown type tag", "unknown tag" },
	{ OKR ",\"77\":{\"i8\":128}}}}]", "not a valid i8", "i8 out of range (skipped field)" },
	{ OKR ",\"77\":{\"i16\":-32769}}}}]", "not a valid i16", "i16 out of range" },
	{ OKR ",\"77\":{\"i64\":9223372036854775808}}}}]", "not a valid i64", "i64 out of range" },
	{ OKR ",\"77\":{\"i64\":-9223372036854775809}}}}]", "not a valid i64", "i64 below range" },
	{ OKR ",\"77\":{\"tf\":2}}}}]", "not a valid tf", "tf 2" },
	{ OKR ",\"77\":{\"dbl\":\"x\"}}}}]", "not a valid dbl", "dbl string" },
	{ OKR ",\"77\":{\"str\":1}}}}]", "where a str", "str with a number" },
	{ OKR ",\"77\":{\"rec\":[]}}}}]", "array where a rec", "rec with an array" },
	{ OKR ",\"77\":{\"rec\":1}}}}]", "number where a rec", "rec with a number" },
	{ OKR ",\"77\":{\"lst\":{}}}}}]", "object where a lst", "lst with an object" },
	{ OKR ",\"77\":{\"lst\":[\"i32\",2,1]}}}}]", "of 1 elements announced as 2",
	  "list shorter than its count" },
	{ OKR ",\"77\":{\"lst\":[\"i32\",1,1,2]}}}}]", "more than the 1 elements",
	  "list longer than its count" },
	{ OKR ",\"77\":{\"lst\":[\"i32\",-1]}}}}]", "count", "negative count" },
	{ OKR ",\"77\":{\"lst\":[\"i32\",1.0,1]}}}}]", "count", "float count" },
	{ OKR ",\"77\":{\"lst\":[\"i32\",\"1\",1]}}}}]", "count", "count as a string" },
	{ OKR ",\"77\":{\"lst\":[\"i32\"]}}}}]", "header", "list without a count" },
	{ OKR ",\"77\":{\"lst\":[]}}}}]", "header", "empty list array" },
	{ OKR ",\"77\":{\"lst\":[5,0]}}}}]", "unknown type tag", "element tag a number" },
	{ OKR ",\"77\":{\"lst\":[\"str\",1,2]}}}}]", "where a str", "element of the wrong kind" },
	{ OKR ",\"77\":{\"set\":[\"xyz\",0]}}}}]", "unknown type tag", "unknown element tag" },
	{ OKR ",\"77\":{\"map\":[\"str\",\"i32\",1,{}]}}}}]", "of 0 entries announced as 1",
	  "map shorter than its count" },
	{ OKR ",\"77\":{\"map\":[\"str\",\"i32\",0,{\"a\":1}]}}}}]", "more than the 0 entries",
	  "map longer than its count" },
	{ OKR ",\"77\":{\"map\":[\"str\",\"i32\",1,{\"a\":\"b\"}]}}}}]", "not a valid i32",
	  "map value of the wrong kind" },
	{ OKR ",\"77\":{\"map\":[\"str\",\"i32\",1]}}}}]", "not [ktype, vtype, count, {...}]",
	  "map without its object" },
	{ OKR ",\"77\":{\"map\":[\"str\",\"i32\",0,{},1]}}}}]", "out of place",
	  "map with an extra element" },
	{ OKR ",\"77\":{\"map\":[\"str\",\"i32\",{}]}}}}]", "map header", "map without a count" },
	{ OKR ",\"6\":{\"lst\":[\"str\",0]}}}}]", "a lst of str where a lst of rec",
	  "details as a list of strings" },
	{ OKR ",\"3\":{\"rec\":{\"9\":{\"rec\":{\"1\":{\"lst\":[\"rec\",0]}}}}}}}}]",
	  "is a lst, not a set", "queryRecoveryResult.tasks as a list" },
	{ OKR ",\"3\":{\"rec\":{\"3\":{\"rec\":{\"1\":{\"set\":[\"rec\",0]}}}}}}}}]",
	  "is a set, not a lst", "scheduleStatusResult.tasks as a set" },
	{ OKR ",\"5\":{\"rec\":{\"1\":{\"str\":\"a\\u0000b\"}}}}}}]", "NUL", "a NUL in a kept string" },
	{ OKR ",\"5\":{\"rec\":{\"1\":{\"str\":\"\\ud800\\u\"}}}}}}]", "not JSON", "a bad \\u escape" },
	{ OKR ",\"5\":{\"rec\":{\"1\":{\"str\":\"\xff\xfe\"}}}}}}]", "not JSON", "invalid UTF-8" },
	{ TASK_PRE "{\"2\":{\"i32\":\"RUNNING\"}}" TASK_POST, "not a valid i32", "status as a name" },
	{ TASK_PRE "{\"1\":{\"rec\":{\"1\":{\"i64\":5}}}}" TASK_POST,
	  "field 1 of AssignedTask is a i64, not a str", "taskId as i64" },
	{ TASK_PRE "{\"1\":{\"rec\":{\"4\":{\"rec\":{\"28\":{\"str\":\"x\"}}}}}}" TASK_POST,
	  "field 28 of TaskConfig is a str, not a rec", "job key as a string" },
	{ TASK_PRE "1" TASK_POST, "number where a rec", "a task that is a number" },
	{ TASK_PRE "{},{}" TASK_POST, "more than the 1 elements", "two tasks counted as one" },
	{ "[1,\"m\",3,0,{\"1\":{\"i32\":1}}]", "field 1 of TApplicationException is a i32",
	  "exception message as i32" },
	{ "[1,\"m\",3,0,{\"2\":{\"i32\":4294967296}}]", "not a valid i32", "exception type too big" },
	{ "[1,\"m\",2,0,{\"0\":{\"rec\":{\"1\":{\"i32\":1},}}}]", "not JSON", "trailing comma" },
	{ "[1,\"m\",2,0,{\"0\":{\"rec\":{\"1\":{\"i32\":01}}}}]", "not JSON", "leading zero" },
	{ "[1,\"m\",2,0,{\"0\":{\"rec\":{/*c*/\"1\":{\"i32\":1}}}}]", "not JSON", "a comment" },
	{ "[1,\"m\",2,0,{'0':{}}]", "not JSON", "single quotes" },
};

static void test_bad_cases(void)
{
	for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
		const struct bad_case *c = &bad_cases[i];

		ok(fails_clean(c->json, strlen(c->json), 0, 0, c->want) &&
		    fails_clean(c->json, strlen(c->json), 1, 0, c->want),
		    "refused: %s", c->desc);
	}
}

/* A reply with everything unknown we must step over, around one task. */
static const char skip_all[] =
    "[1,\"getTasksWithoutConfigs\",2,-2147483648,{\"1\":{\"rec\":{\"1\":{\"str\":\"declared exception\"}}},"
    "\"0\":{\"rec\":{\"-1\":{\"dbl\":\"NaN\"},\"2\":{\"dbl\":\"-Infinity\"},\"4\":{\"dbl\":-1.5e300},"
    "\"7\":{\"map\":[\"i64\",\"lst\",1,{\"-9223372036854775808\":[\"map\",0]}]},"
    "\"8\":{\"map\":[\"str\",\"rec\",2,{\"a\":{\"1\":{\"lst\":[\"lst\",1,[\"set\",1,[\"i8\",2,-128,127]]]}},\"b\":{}}]},"
    "\"3\":{\"rec\":{\"17\":{\"rec\":{\"1\":{\"set\":[\"rec\",1,{\"1\":{\"str\":\"www\"}}]}}},"
    "\"3\":{\"rec\":{\"2\":{\"tf\":1},\"1\":{\"lst\":[\"rec\",2,"
    "{\"99\":{\"rec\":{\"1\":{\"rec\":{}}}},\"2\":{\"i32\":18},\"1\":{\"rec\":{\"6\":{\"i32\":-1},\"5\":{\"map\":[\"str\",\"i32\",1,{\"http\":31000}]},"
    "\"4\":{\"rec\":{\"17\":{\"rec\":{\"1\":{\"str\":\"oldrole\"},\"2\":{\"str\":\"u\"}}},\"3\":{\"str\":\"oldjob\"},\"26\":{\"str\":\"oldenv\"},"
    "\"28\":{\"rec\":{\"1\":{\"str\":\"newrole\"},\"4\":{\"str\":\"?\"}}},\"32\":{\"set\":[\"rec\",1,{\"1\":{\"dbl\":1}}]}}},"
    "\"1\":{\"str\":\"t-1\"}}}},"
    "{\"1\":{\"rec\":{\"1\":{\"str\":\"t-2\"},\"4\":{\"rec\":{\"17\":{\"rec\":{\"1\":{\"str\":\"oldrole\"}}},\"3\":{\"str\":\"oldjob\"}}}}}}"
    "]}}}}},"
    "\"1\":{\"i32\":3},\"6\":{\"lst\":[\"rec\",2,{\"2\":{\"i32\":1}},{\"1\":{\"str\":\"careful\"}}]}}}}]";

static void test_skipping(void)
{
	struct tasks ts = { 0 };
	struct tj_reply r;
	struct err e;
	int rc = decode(skip_all, strlen(skip_all), 0, 0, &ts, &r, &e);

	ok(rc == 0, "unknown fields of every type and depth are stepped over");
	if (rc < 0) {
		note("%s", e.msg);
		tasks_free(&ts);
		return;
	}
	is(r.method, "getTasksWithoutConfigs", "method name");
	ok(r.seqid == INT32_MIN && r.code == 3, "seqid INT32_MIN, code WARNING");
	ok(r.ndetails == 1 && strcmp(r.details[0], "careful") == 0,
	    "a detail without a message is left out");
	ok(ts.n == 2 && r.ntasks == 2, "two tasks from scheduleStatusResult");
	if (ts.n == 2) {
		is(ts.v[0], "t-1\x1f\x1fnewrole\x1foldenv\x1foldjob\x1f-1\x1f" "18",
		    "JobKey first, older TaskConfig fields as fallback");
		is(ts.v[1], "t-2\x1f\x1foldrole\x1f\x1foldjob\x1f-1\x1f-1",
		    "a task with role in owner only, no status or instance");
	}
	tj_reply_free(&r);
	tasks_free(&ts);
}

static void test_limits(void)
{
	char *file = path_in(R, "query-1.json");
	struct buf b = BUF_INIT, deep = BUF_INIT;
	struct tasks ts = { 0 };
	struct tj_reply r;
	struct err e;
	char want[100];
	int rc;

	if (slurp(file, &b) < 0)
		buf_adds(&b, "x");
	rc = decode(b.s, b.len, 0, b.len, &ts, &r, &e);
	ok(rc == 0 && ts.n == 1, "a reply of exactly --max-reply bytes is accepted");
	if (rc == 0)
		tj_reply_free(&r);
	tasks_free(&ts);
	snprintf(want, sizeof want, "reply larger than %zu bytes (--max-reply)", b.len - 1);
	rc = decode(b.s, b.len, 0, b.len - 1, &ts, &r, &e);
	ok(rc < 0 && e.code == EXIT_DATA, "one byte more is refused");
	is(e.msg, want, "the --max-reply message");
	tasks_free(&ts);
	rc = decode(b.s, b.len, 100, b.len - 1, &ts, &r, &e);
	ok(rc < 0 && strcmp(e.msg, want) == 0, "also when it arrives in pieces");
	tasks_free(&ts);
	ok(fails_clean(b.s, b.len, 0, 10, "larger than 10 bytes"), "a small --max-reply");

	buf_adds(&deep, OKR ",\"77\":");
	for (int i = 0; i < 70; i++)
		buf_adds(&deep, "{\"rec\":{\"1\":");
	ok(fails_clean(deep.s, deep.len, 0, 0, "nested deeper than 64"),
	    "nesting is bounded (skipped structs)");
	buf_reset(&deep);
	for (int i = 0; i < 100000; i++)
		buf_add(&deep, "[", 1);
	ok(fails_clean(deep.s, deep.len, 0, 0, "not [1, name, type"),
	    "100000 nested arrays stop at the second");
	buf_reset(&deep);
	buf_adds(&deep, OKR ",\"77\":{\"lst\":[\"lst\",1,");
	for (int i = 0; i < 100; i++)
		buf_adds(&deep, "[\"lst\",1,");
	ok(fails_clean(deep.s, deep.len, 0, 0, "nested deeper than 64"),
	    "nesting is bounded (lists of lists)");
	buf_free(&deep);
	buf_free(&b);
	free(file);
}

/* A long string, escapes and numbers cut anywhere by the chunking: the
 * decoder holds a cut token back, and gives it to yajl whole. */
static void test_held_tokens(void)
{
	const char *head = "[1,\"listBackups\",2,0,{\"0\":{\"rec\":{\"1\":{\"i32\":1},"
	    "\"3\":{\"rec\":{\"6\":{\"rec\":{\"1\":{\"set\":[\"str\",2,\"";
	struct buf in = BUF_INIT, want = BUF_INIT;
	size_t chunks[] = { 1, 2, 3, 5, 4096 };
	struct tj_reply r;
	struct err e;
	int good = 1;

	buf_adds(&in, head);
	for (int i = 0; i < 65536; i++) {
		buf_adds(&in, i % 1000 == 7 ? "\\\"" : "ab");
		buf_adds(&want, i % 1000 == 7 ? "\\\"" + 1 : "ab");
	}
	buf_adds(&in, "\",\"short\"]}}}}},\"5\":{\"rec\":{\"1\":{\"str\":\"c\"},\"77\":{\"i64\":12345678901}}}}}}]");
	for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
		int rc = decode(in.s, in.len, chunks[c], 0, NULL, &r, &e);
		if (rc < 0 || r.nbackups != 2 || strcmp(r.backups, want.s) != 0 ||
		    strcmp(r.backups + want.len + 1, "short") != 0) {
			note("chunks of %zu: rc %d %s", chunks[c], rc, e.msg);
			good = 0;
		}
		if (rc == 0)
			tj_reply_free(&r);
	}
	ok(good, "a 130 kB string with escapes, fed 1, 2, 3, 5 and 4096 bytes at a time: decoded the same");
	buf_free(&in);
	buf_free(&want);
}

/* An OK answer to a read without its result is not "nothing". */
static void test_no_result(void)
{
	static const char *const replies[] = {
		"[1,\"listBackups\",2,0,{\"0\":{\"rec\":{\"1\":{\"i32\":1}}}}]",
		"[1,\"queryRecovery\",2,0,{\"0\":{\"rec\":{\"1\":{\"i32\":1},\"3\":{\"rec\":{}}}}}]",
		"[1,\"getTasksWithoutConfigs\",2,0,{\"0\":{\"rec\":{\"1\":{\"i32\":1},\"3\":{\"rec\":{\"6\":{\"rec\":{}}}}}}}]",
	};

	for (size_t i = 0; i < sizeof replies / sizeof replies[0]; i++)
		ok(fails_clean(replies[i], strlen(replies[i]), 0, 0, "without its result"),
		    "an OK reply without its result is EXIT_DATA (%zu)", i);
}

static void test_callback(void)
{
	char *file = path_in(R, "status-list.json");
	struct buf b = BUF_INIT;
	struct tasks ts = { .stop_after = 3 };
	struct tj_reply r;
	struct err e;
	int rc;

	if (slurp(file, &b) < 0)
		buf_adds(&b, "x");
	rc = decode(b.s, b.len, 0, 0, &ts, &r, &e);
	ok(rc < 0 && e.code == EXIT_FAIL && ts.n == 2 &&
	    strncmp(e.msg, "callback said stop at ", 22) == 0,
	    "a callback's error stops decoding and is kept as it is");
	note("%s", e.msg);
	tasks_free(&ts);
	rc = decode(b.s, b.len, 0, 0, NULL, &r, &e);
	ok(rc == 0 && r.ntasks == 12, "without a callback the tasks are counted");
	if (rc == 0)
		tj_reply_free(&r);
	buf_free(&b);
	free(file);
}

static void test_names(void)
{
	is(tj_status_name(2), "RUNNING", "status 2 is RUNNING");
	is(tj_status_name(18), "PARTITIONED", "status 18 is PARTITIONED");
	is(tj_status_name(0), "PENDING", "status 0 is PENDING");
	ok(tj_status_name(8) == NULL && tj_status_name(-1) == NULL &&
	    tj_status_name(19) == NULL && tj_status_name(1000) == NULL,
	    "unknown statuses have no name");
	ok(tj_status_parse("KILLED") == 5 && tj_status_parse("running") == 2 &&
	    tj_status_parse("THROTTLED") == 16 && tj_status_parse("INIT") == 11,
	    "status names parse (any case)");
	ok(tj_status_parse("NOPE") == -1 && tj_status_parse("") == -1,
	    "unknown names are -1");
	ok(tj_nactive_states == 10, "ten active states");
	for (size_t i = 0; i < tj_nactive_states; i++)
		if (!tj_status_name(tj_active_states[i]))
			ok(0, "active state %d has a name", tj_active_states[i]);
	is(tj_code_name(1), "OK", "code 1 is OK");
	is(tj_code_name(6), "ERROR_TRANSIENT", "code 6 is ERROR_TRANSIENT");
	is(tj_code_name(0), "INVALID_REQUEST", "code 0 is INVALID_REQUEST");
	is(tj_code_name(7), "UNKNOWN", "code 7 is UNKNOWN");
	is(tj_code_name(-1), "UNKNOWN", "code -1 is UNKNOWN");
}

/* ---- calls: encoded here, read back by python3-thrift ---- */

struct call_case {
	const char *name, *method, *arg;
	int32_t seqid;
	struct tj_query q;
	int use_q;
};

static char *const ids[] = { "t-1", "t \"2\"\\\n\x01\x1f", "t-\xc3\xa9\xf0\x9f\x98\x80" };
static const int sts[] = { 2, 0, 18 };

static const struct call_case calls[] = {
	{ "a-perform", "performBackup", NULL, 0, { 0 }, 0 },
	{ "b-list", "listBackups", NULL, 1, { 0 }, 0 },
	{ "c-stage", "stageRecovery", "scheduler-backup-2016-03-01-12-00", 2, { 0 }, 0 },
	{ "d-stage-odd", "stageRecovery", "a\"b\\c/d\b\f\n\r\t\x01\x7f \xc3\xa9\xf0\x9f\x98\x80", -7,
	  { 0 }, 0 },
	{ "e-query-empty", "queryRecovery", NULL, 2147483647, { 0 }, 0 },
	{ "f-query", "queryRecovery", NULL, 3,
	  { "www-data", "prod", "hello", NULL, 0, sts, 3 }, 1 },
	{ "g-delete", "deleteRecoveryTasks", NULL, 4,
	  { NULL, NULL, NULL, ids, 3, NULL, 0 }, 1 },
	{ "h-delete-all", "deleteRecoveryTasks", NULL, INT32_MIN,
	  { "r\xc3\xb4le \"x\"", "e\\", "j\n", ids, 1, sts, 1 }, 1 },
	{ "i-commit", "commitRecovery", NULL, 5, { 0 }, 0 },
	{ "j-unload", "unloadRecovery", NULL, 6, { 0 }, 0 },
	{ "k-tasks", "getTasksWithoutConfigs", NULL, 7,
	  { "www-data", NULL, NULL, NULL, 0, tj_active_states, 10 }, 1 },
};

static void hexline(struct buf *b, const char *key, const char *s)
{
	buf_addf(b, "%s ", key);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		buf_addf(b, "%02x", *p);
}

static char *line(struct buf *b)
{
	char *s = buf_detach(b);

	return s;
}

/* The lines gen_fixtures.py prints for what it read, sorted. */
static void expected_lines(const struct call_case *c, struct buf *out)
{
	char *v[64];
	size_t n = 0;
	struct buf b = BUF_INIT;
	const struct tj_query *q = &c->q;

	buf_addf(&b, "method %s", c->method), v[n++] = line(&b);
	buf_addf(&b, "type 1"), v[n++] = line(&b);
	buf_addf(&b, "seqid %d", c->seqid), v[n++] = line(&b);
	if (c->arg)
		hexline(&b, "backupId", c->arg), v[n++] = line(&b);
	if (!c->arg && strstr("queryRecovery deleteRecoveryTasks getTasksWithoutConfigs",
	    c->method)) {
		buf_adds(&b, "query set"), v[n++] = line(&b);
		if (q->role)
			hexline(&b, "query.role", q->role), v[n++] = line(&b);
		if (q->environment)
			hexline(&b, "query.environment", q->environment), v[n++] = line(&b);
		if (q->job)
			hexline(&b, "query.jobName", q->job), v[n++] = line(&b);
		for (size_t i = 0; i < q->ntask_ids; i++)
			hexline(&b, "query.taskIds", q->task_ids[i]), v[n++] = line(&b);
		for (size_t i = 0; i < q->nstatuses; i++)
			buf_addf(&b, "query.statuses %d", q->statuses[i]), v[n++] = line(&b);
	}
	qsort(v, n, sizeof *v, cmp_str);
	buf_addf(out, "== %s\n", c->name);
	for (size_t i = 0; i < n; i++) {
		buf_addf(out, "%s\n", v[i]);
		free(v[i]);
	}
}

static void test_calls(void)
{
	struct buf want = BUF_INIT, got = BUF_INIT, body = BUF_INIT;
	char *dir = path_in(T, "calls"), *cmd;
	FILE *p;
	char chunk[4096];
	size_t n;

	mkdir(dir, 0755);
	tj_call(&body, "stageRecovery", 0, "scheduler-backup-2016-03-01-12-00", NULL);
	is(body.s, "[1,\"stageRecovery\",1,0,{\"1\":{\"str\":\"scheduler-backup-2016-03-01-12-00\"}}]",
	    "stageRecovery as the facts sheet shows it");
	tj_call(&body, "performBackup", 9, NULL, NULL);
	is(body.s, "[1,\"performBackup\",1,9,{}]", "a call without arguments");
	tj_call(&body, "stageRecovery", 0, "\"\\/\b\f\n\r\t\x01\x1f\x7f\xc3\xa9", NULL);
	is(body.s, "[1,\"stageRecovery\",1,0,{\"1\":{\"str\":\"\\\"\\\\/\\b\\f\\n\\r\\t\\u0001\\u001f\x7f\xc3\xa9\"}}]",
	    "strings escaped as Java's TJSONProtocol escapes them");
	{
		struct tj_query q = { "r", NULL, NULL, ids, 1, sts, 2 };

		tj_call(&body, "queryRecovery", 1, NULL, &q);
		is(body.s, "[1,\"queryRecovery\",1,1,{\"1\":{\"rec\":{\"14\":{\"str\":\"r\"},"
		    "\"4\":{\"set\":[\"str\",1,\"t-1\"]},\"5\":{\"set\":[\"i32\",2,2,0]}}}}]",
		    "a TaskQuery");
	}
	for (size_t i = 0; i < sizeof calls / sizeof calls[0]; i++) {
		const struct call_case *c = &calls[i];
		char *f = xasprintf("%s/%s.call", dir, c->name);
		FILE *fp = fopen(f, "w");

		tj_call(&body, c->method, c->seqid, c->arg, c->use_q ? &c->q : NULL);
		if (fp) {
			fwrite(body.s, 1, body.len, fp);
			fclose(fp);
		}
		expected_lines(c, &want);
		free(f);
	}
	cmd = xasprintf(PYTHON " '%s/tests/scheduler/gen_fixtures.py' calls '%s' '%s/gen'",
	    srcdir, dir, T);
	p = popen(cmd, "r");
	while (p && (n = fread(chunk, 1, sizeof chunk, p)) > 0)
		buf_add(&got, chunk, n);
	ok(p && pclose(p) == 0, "python3-thrift read the calls");
	is(got.s, want.s, "python3-thrift reads in each call what tj_call() was given");
	buf_free(&want);
	buf_free(&got);
	buf_free(&body);
	free(cmd);
	free(dir);
}

/* ---- fuzz ---- */

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return n ? (uint32_t)(rng % n) : 0;
}

static void mutate(struct buf *b)
{
	static const char tokens[] = "{}[]\",:0123456789-.eE\\u tfn";
	int k = 1 + (int)rnd(4);

	while (k-- > 0 && b->len > 0) {
		size_t at = rnd((uint32_t)b->len), n;

		switch (rnd(6)) {
		case 0:
			b->s[at] = (char)rnd(256);
			break;
		case 1:
			b->s[at] = tokens[rnd(sizeof tokens - 1)];
			break;
		case 2:
			memmove(b->s + at, b->s + at + 1, b->len - at - 1);
			b->len--;
			break;
		case 3:
			buf_add(b, "", 1);
			memmove(b->s + at + 1, b->s + at, b->len - at - 1);
			b->s[at] = tokens[rnd(sizeof tokens - 1)];
			break;
		case 4:
			b->len = at;
			break;
		default:
			n = rnd(40);
			if (at + n <= b->len) {
				char *copy = xstrndup(b->s + at, n);

				buf_add(b, copy, n);
				free(copy);
			}
		}
	}
}

static void test_fuzz(void)
{
	const char *names[] = { "query-1", "error-details", "list-backups", "exception",
		"warning", "reencoded-error", "auth-failed" };
	struct buf src[7];
	size_t bad = 0, decoded = 0, cases = 0;

	for (size_t i = 0; i < 7; i++) {
		char *f = xasprintf("%s/%s.json", R, names[i]);

		src[i] = (struct buf)BUF_INIT;
		if (slurp(f, &src[i]) < 0)
			buf_adds(&src[i], "[]");
		free(f);
	}
	for (int i = 0; i < 4000; i++) {
		struct buf b = BUF_INIT;
		struct tasks ts = { 0 };
		struct tj_reply r;
		struct err e;
		int rc;

		if (i % 4 == 3)
			for (uint32_t n = rnd(300); n > 0; n--) {
				char c = (char)rnd(256);

				buf_add(&b, &c, 1);
			}
		else {
			const struct buf *s = &src[rnd(7)];

			buf_add(&b, s->s, s->len);
			mutate(&b);
		}
		rc = decode(b.s, b.len, rnd(3) ? 0 : 1 + rnd(64), rnd(5) ? 0 : 1 + rnd(4096),
		    &ts, &r, &e);
		cases++;
		if (rc == 0) {
			decoded++;
			tj_reply_free(&r);
		} else if (e.code != EXIT_DATA || !e.msg[0]) {
			if (!bad++)
				note("case %d: code %d msg '%s'", i, e.code, e.msg);
		}
		tasks_free(&ts);
		buf_free(&b);
	}
	ok(bad == 0, "fuzz: %zu mutated or random replies, %zu decoded, the rest EXIT_DATA",
	    cases, decoded);
	for (size_t i = 0; i < 7; i++)
		buf_free(&src[i]);
}

static int setup(void)
{
	char *cmd, *file, *gen = path_in(T, "gen");
	struct buf b = BUF_INIT;
	char errbuf[200];

	snprintf(R, sizeof R, "%s/replies", T);
	mkdir(R, 0755);
	mkdir(gen, 0755);
	free(gen);
	cmd = xasprintf("thrift --gen py -out '%s/gen' '%s/tests/scheduler/aurora_test.thrift' && "
	    PYTHON " '%s/tests/scheduler/gen_fixtures.py' replies '%s' '%s/gen'",
	    T, srcdir, srcdir, R, T);
	ok(run(cmd) == 0, "gen_fixtures.py wrote the replies (thrift, python3-thrift)");
	free(cmd);
	file = path_in(R, "expect.json");
	if (slurp(file, &b) == 0)
		expect_tree = yajl_tree_parse(b.s, errbuf, sizeof errbuf);
	ok(expect_tree && YAJL_IS_OBJECT(expect_tree) &&
	    YAJL_GET_OBJECT(expect_tree)->len >= 10, "expect.json read");
	buf_free(&b);
	free(file);
	return expect_tree ? 0 : -1;
}

int main(int argc, char **argv)
{
	const char *tmp = getenv("TMPDIR");
	char *cmd;

	if (argc > 1)
		srcdir = argv[1];
	snprintf(T, sizeof T, "%s/unit-tjson.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(T)) {
		printf("Bail out! cannot create %s: %s\n", T, strerror(errno));
		return 1;
	}
	test_names();
	if (setup() == 0) {
		test_fixtures();
		test_prefixes();
		test_raw_control();
		test_skipping();
		test_limits();
		test_callback();
		test_held_tokens();
		test_no_result();
		test_fuzz();
	}
	test_bad_cases();
	test_calls();
	yajl_tree_free(expect_tree);
	cmd = xasprintf("rm -rf '%s'", T);
	if (system(cmd) != 0)
		note("cannot remove %s", T);
	free(cmd);
	return tap_done();
}
