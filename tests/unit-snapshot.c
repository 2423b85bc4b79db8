/*
 * unit-snapshot.c: TAP tests for src/snapshot.c against python3-thrift.
 *
 *   gcc -std=c11 -D_GNU_SOURCE -Wall -Wextra -g -Isrc -o unit-snapshot \
 *       tests/unit-snapshot.c src/snapshot.c src/err.c src/buf.c \
 *       src/fileio.c $(pkg-config --cflags --libs yajl) && ./unit-snapshot .
 *
 * argv[1] is the source directory. The backups are written, and what they
 * hold recorded, by tests/scheduler/gen_fixtures.py with Apache Thrift's
 * Python library (Debian's /usr/bin/python3, python3-thrift and
 * thrift-compiler: their absence is a failure, not a skip).
 *
 * min-checks: 48
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
#include "snapshot.h"
#include "tap.h"

#define PYTHON "/usr/bin/python3"

static char T[256], S[300], F[300];	/* scratch, backups, a test file */
static const char *srcdir = ".";

static int slurp(const char *path, struct buf *b)
{
	struct err e = { 0 };

	if (file_read(path, b, NULL, 0, &e) < 0) {
		note("%s", e.msg);
		return -1;
	}
	return 0;
}

static void spit(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "w");

	if (!f || (len && fwrite(data, 1, len, f) != len))
		note("cannot write %s", path);
	if (f)
		fclose(f);
}

/* Read data as a backup file: 0, or -1 with e filled. */
static int read_data(const void *data, size_t len, struct snapshot_info *si,
    struct err *e)
{
	memset(e, 0, sizeof *e);
	spit(F, data, len);
	return snapshot_read(F, si, e);
}

/* Corrupt data is EXIT_DATA, "F: corrupt backup at byte N: ..." with want. */
static int corrupt(const void *data, size_t len, const char *want)
{
	struct snapshot_info si;
	struct err e;
	char prefix[400];
	int rc = read_data(data, len, &si, &e);
	int good;

	snprintf(prefix, sizeof prefix, "%s: corrupt backup at byte ", F);
	good = rc < 0 && e.code == EXIT_DATA &&
	    strncmp(e.msg, prefix, strlen(prefix)) == 0 &&
	    (!want || strstr(e.msg, want)) && si.ntasks == 0 && si.roles == NULL;
	if (!good)
		note("rc %d code %d msg '%s' (want '%s')", rc, e.code, e.msg,
		    want ? want : "");
	if (rc == 0)
		snapshot_free(&si);
	return good;
}

/* ---- comparing with expect.json ---- */

static yajl_val get(yajl_val o, const char *key)
{
	const char *path[] = { key, NULL };

	return yajl_tree_get(o, path, yajl_t_any);
}

static long long jint(yajl_val o, const char *key)
{
	yajl_val v = get(o, key);

	return v && YAJL_IS_INTEGER(v) ? YAJL_GET_INTEGER(v) : -99999;
}

static int same_info(yajl_val x, const struct snapshot_info *si)
{
	yajl_val bs = get(x, "by_status"), roles = get(x, "roles");
	int same = 1;

#define CHECK(c) do { if (!(c)) { note("differs: %s", #c); same = 0; } } while (0)
	CHECK(si->timestamp_ms == jint(x, "timestamp"));
	CHECK((long long)si->ntasks == jint(x, "ntasks"));
	CHECK((long long)si->njobs == jint(x, "njobs"));
	for (int s = 0; s < SNAPSHOT_NSTATUS; s++) {
		char key[16];
		yajl_val v;

		snprintf(key, sizeof key, "%d", s);
		v = get(bs, key);
		CHECK(si->by_status[s] == (size_t)(v ? YAJL_GET_INTEGER(v) : 0));
	}
	CHECK(YAJL_IS_ARRAY(roles) && si->nroles == YAJL_GET_ARRAY(roles)->len);
	for (size_t i = 0; same && i < si->nroles; i++) {
		const char *r = YAJL_GET_STRING(YAJL_GET_ARRAY(roles)->values[i]);

		CHECK(r && strcmp(si->roles[i], r) == 0);
	}
#undef CHECK
	return same;
}

static yajl_val expect_tree;

static int setup(void)
{
	char *cmd, *file;
	struct buf b = BUF_INIT;
	char errbuf[200];

	snprintf(S, sizeof S, "%s/backups", T);
	snprintf(F, sizeof F, "%s/test-backup", T);
	mkdir(S, 0755);
	cmd = xasprintf(PYTHON " '%s/tests/scheduler/gen_fixtures.py' snapshots '%s'",
	    srcdir, S);
	ok(system(cmd) == 0, "gen_fixtures.py wrote the backups (thrift, python3-thrift)");
	free(cmd);
	file = xasprintf("%s/expect.json", S);
	if (slurp(file, &b) == 0)
		expect_tree = yajl_tree_parse(b.s, errbuf, sizeof errbuf);
	ok(expect_tree && YAJL_IS_OBJECT(expect_tree) &&
	    YAJL_GET_OBJECT(expect_tree)->len >= 5, "expect.json read");
	buf_free(&b);
	free(file);
	return expect_tree ? 0 : -1;
}

static void test_fixtures(void)
{
	for (size_t i = 0; i < YAJL_GET_OBJECT(expect_tree)->len; i++) {
		const char *name = YAJL_GET_OBJECT(expect_tree)->keys[i];
		yajl_val x = YAJL_GET_OBJECT(expect_tree)->values[i];
		char *path = xasprintf("%s/%s.bin", S, name);
		struct snapshot_info si;
		struct err e = { 0 };
		int rc = snapshot_read(path, &si, &e);

		ok(rc == 0 && same_info(x, &si), "%s reads as python3-thrift wrote it "
		    "(%lld tasks, %lld cron jobs)", name, jint(x, "ntasks"), jint(x, "njobs"));
		if (rc < 0)
			note("%s", e.msg);
		else
			snapshot_free(&si);
		free(path);
	}
}

static void test_prefixes(void)
{
	const char *names[] = { "snap-no-tasks", "snap-old", "snap-tasks" };

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char *path = xasprintf("%s/%s.bin", S, names[i]);
		struct buf b = BUF_INIT;
		size_t bad = 0, tried = 0, step;

		if (slurp(path, &b) < 0)
			buf_adds(&b, "x");
		step = b.len > 12000 ? 37 : 1;
		for (size_t n = 1; n < b.len; n += n + 80 > b.len ? 1 : step, tried++)
			if (!corrupt(b.s, n, NULL) && !bad++)
				note("prefix of %zu bytes", n);
		ok(bad == 0, "%zu prefixes of %s (%zu bytes) are corrupt", tried,
		    names[i], b.len);
		buf_free(&b);
		free(path);
	}
}

/* ---- hand-made backups ---- */

static void u8(struct buf *b, int v)
{
	unsigned char c = (unsigned char)v;

	buf_add(b, &c, 1);
}

static void i16(struct buf *b, int v)
{
	u8(b, v >> 8);
	u8(b, v);
}

static void i32(struct buf *b, int64_t v)
{
	for (int s = 24; s >= 0; s -= 8)
		u8(b, (int)(v >> s));
}

static void i64(struct buf *b, int64_t v)
{
	for (int s = 56; s >= 0; s -= 8)
		u8(b, (int)(v >> s));
}

static void fld(struct buf *b, int type, int id)
{
	u8(b, type);
	i16(b, id);
}

static void str(struct buf *b, const char *s, size_t len)
{
	i32(b, (int64_t)len);
	buf_add(b, s, len);
}

/* A ScheduledTask {1: {4: {28: {1: role}}}, 2: status}, or with the role
 * in TaskConfig 17 owner when old. */
static void task(struct buf *b, const char *role, int status, int old)
{
	fld(b, 12, 1);
	fld(b, 11, 1), str(b, "id", 2);
	fld(b, 12, 4);
	fld(b, 12, old ? 17 : 28);
	fld(b, 11, 1), str(b, role, strlen(role));
	u8(b, 0);
	u8(b, 0);
	u8(b, 0);
	fld(b, 8, 2), i32(b, status);
	u8(b, 0);
}

static void tasks_header(struct buf *b, int n)
{
	fld(b, 14, 4);
	u8(b, 12);
	i32(b, n);
}

static void test_handmade(void)
{
	struct buf b = BUF_INIT;
	struct snapshot_info si;
	struct err e;
	int rc;

	fld(&b, 10, 1), i64(&b, INT64_MIN);
	fld(&b, 14, 5), u8(&b, 12), i32(&b, 0);
	tasks_header(&b, 0);
	tasks_header(&b, 4);
	task(&b, "b", 2, 0);
	task(&b, "a", 2, 1);
	task(&b, "b", 31, 0);
	fld(&b, 12, 1), u8(&b, 0), u8(&b, 0);	/* a task with nothing */
	fld(&b, 13, 99), u8(&b, 11), u8(&b, 15), i32(&b, 1), str(&b, "k", 1),
	    u8(&b, 8), i32(&b, 1), i32(&b, 7);
	fld(&b, 13, 98), u8(&b, 0), u8(&b, 0), i32(&b, 0);
	fld(&b, 15, 97), u8(&b, 200), i32(&b, 0);
	fld(&b, 4, 96), i64(&b, 0);
	fld(&b, 2, 95), u8(&b, 1);
	fld(&b, 3, 94), u8(&b, 1);
	fld(&b, 6, 93), i16(&b, 1);
	fld(&b, 14, 5), u8(&b, 12), i32(&b, 2), u8(&b, 0), u8(&b, 0);
	u8(&b, 0);
	rc = read_data(b.s, b.len, &si, &e);
	ok(rc == 0, "a hand-made backup with every type reads");
	if (rc == 0) {
		ok(si.timestamp_ms == INT64_MIN, "timestamp INT64_MIN");
		ok(si.ntasks == 4 && si.by_status[2] == 2 && si.by_status[31] == 1,
		    "tasks counted by status (a task without status counts once)");
		ok(si.njobs == 2, "cron jobs of two sets add up");
		ok(si.nroles == 2 && strcmp(si.roles[0], "a") == 0 &&
		    strcmp(si.roles[1], "b") == 0, "roles distinct and sorted (owner.role of old tasks)");
		snapshot_free(&si);
	} else
		note("%s", e.msg);
	ok(si.ntasks == 0 && si.roles == NULL && si.timestamp_ms == -1,
	    "snapshot_free leaves an empty info");

	buf_reset(&b);
	tasks_header(&b, 1);
	fld(&b, 12, 1);
	fld(&b, 12, 4);
	fld(&b, 12, 17), fld(&b, 11, 1), str(&b, "owner", 5), u8(&b, 0);
	fld(&b, 12, 28), fld(&b, 11, 2), str(&b, "env", 3), fld(&b, 11, 1),
	    str(&b, "jobrole", 7), u8(&b, 0);
	u8(&b, 0), u8(&b, 0), u8(&b, 0), u8(&b, 0);
	rc = read_data(b.s, b.len, &si, &e);
	ok(rc == 0 && si.nroles == 1 && strcmp(si.roles[0], "jobrole") == 0 &&
	    si.timestamp_ms == -1, "the JobKey's role wins over owner's; no timestamp is -1");
	if (rc == 0)
		snapshot_free(&si);
	buf_free(&b);
}

struct bad {
	const char *desc, *want;
	void (*make)(struct buf *);
};

static void m_type(struct buf *b) { fld(b, 99, 1); }
static void m_type1(struct buf *b) { fld(b, 1, 1); }
static void m_neg_str(struct buf *b) { fld(b, 11, 7), i32(b, -1); }
static void m_long_str(struct buf *b) { fld(b, 11, 7), i32(b, 100), buf_add(b, "abc", 3); }
static void m_huge_list(struct buf *b) { fld(b, 15, 7), u8(b, 8), i32(b, INT32_MAX), i32(b, 1); }
static void m_neg_list(struct buf *b) { fld(b, 15, 7), u8(b, 8), i32(b, -5); }
static void m_list_type(struct buf *b) { fld(b, 15, 7), u8(b, 0), i32(b, 1), u8(b, 0); }
static void m_neg_map(struct buf *b) { fld(b, 13, 7), u8(b, 11), u8(b, 11), i32(b, -1); }
static void m_map_type(struct buf *b) { fld(b, 13, 7), u8(b, 11), u8(b, 77), i32(b, 1); }
static void m_huge_map(struct buf *b) { fld(b, 13, 7), u8(b, 8), u8(b, 8), i32(b, 1000), i64(b, 0); }
static void m_tasks_type(struct buf *b) { fld(b, 8, 4), i32(b, 0), u8(b, 0); }
static void m_tasks_list(struct buf *b) { fld(b, 15, 4), u8(b, 12), i32(b, 0), u8(b, 0); }
static void m_tasks_elem(struct buf *b) { fld(b, 14, 4), u8(b, 11), i32(b, 1), str(b, "x", 1), u8(b, 0); }
static void m_ts_type(struct buf *b) { fld(b, 8, 1), i32(b, 5), u8(b, 0); }
static void m_status(struct buf *b) { tasks_header(b, 1), task(b, "r", 32, 0), u8(b, 0); }
static void m_status_neg(struct buf *b) { tasks_header(b, 1), task(b, "r", -1, 0), u8(b, 0); }
static void m_status_type(struct buf *b)
{
	tasks_header(b, 1), fld(b, 11, 2), str(b, "RUNNING", 7), u8(b, 0), u8(b, 0);
}
static void m_role_nul(struct buf *b)
{
	tasks_header(b, 1), fld(b, 12, 1), fld(b, 12, 4), fld(b, 12, 28);
	fld(b, 11, 1), str(b, "r\0x", 3), u8(b, 0), u8(b, 0), u8(b, 0), u8(b, 0), u8(b, 0);
}
static void m_job_type(struct buf *b)
{
	tasks_header(b, 1), fld(b, 12, 1), fld(b, 12, 4), fld(b, 11, 28), str(b, "j", 1);
}
static void m_trailing(struct buf *b) { fld(b, 10, 1), i64(b, 1), u8(b, 0), u8(b, 0); }
static void m_no_stop(struct buf *b) { fld(b, 10, 1), i64(b, 1); }
static void m_deep(struct buf *b)
{
	for (int i = 0; i < 100; i++)
		fld(b, 12, 7);
}
static void m_deep_lists(struct buf *b)
{
	fld(b, 15, 9);
	for (int i = 0; i < 100; i++)
		u8(b, 15), i32(b, 1);
}
static void m_deep_tasks(struct buf *b)
{
	tasks_header(b, 1), fld(b, 12, 1), fld(b, 12, 4);
	for (int i = 0; i < 100; i++)
		fld(b, 12, 5);
}
static void m_cron_elem(struct buf *b) { fld(b, 14, 5), u8(b, 8), i32(b, 1), i32(b, 1), u8(b, 0); }

static const struct bad bads[] = {
	{ "an unknown field type", "unknown field type 99", m_type },
	{ "field type 1 (VOID)", "unknown field type 1", m_type1 },
	{ "a negative string length", "negative string length -1", m_neg_str },
	{ "a string longer than the file", "truncated", m_long_str },
	{ "a list count beyond the file", "cannot fit", m_huge_list },
	{ "a negative list count", "negative element count", m_neg_list },
	{ "a list of an unknown type", "unknown element type 0", m_list_type },
	{ "a negative map size", "negative map size", m_neg_map },
	{ "a map of an unknown value type", "unknown map key or value type", m_map_type },
	{ "a map size beyond the file", "cannot fit", m_huge_map },
	{ "tasks of the wrong type", "Snapshot.tasks is a i32, not a set", m_tasks_type },
	{ "tasks as a list", "Snapshot.tasks is a list, not a set", m_tasks_list },
	{ "tasks that are strings", "tasks are strings, not structs", m_tasks_elem },
	{ "a timestamp of the wrong type", "Snapshot.timestamp is a i32, not a i64", m_ts_type },
	{ "a status beyond the statuses", "task status 32 out of range", m_status },
	{ "a negative status", "task status -1 out of range", m_status_neg },
	{ "a status of the wrong type", "ScheduledTask.status is a string", m_status_type },
	{ "a role with a NUL", "JobKey.role has a NUL byte", m_role_nul },
	{ "a job key of the wrong type", "TaskConfig.job is a string, not a struct", m_job_type },
	{ "bytes after the Snapshot", "1 bytes after the end of the Snapshot", m_trailing },
	{ "no STOP", "truncated", m_no_stop },
	{ "100 nested structs", "nested deeper than 64", m_deep },
	{ "100 nested lists", "nested deeper than 64", m_deep_lists },
	{ "100 nested structs in a TaskConfig", "nested deeper than 64", m_deep_tasks },
	{ "cron jobs that are i32s", "cron jobs are i32s, not structs", m_cron_elem },
};

static void test_bad(void)
{
	struct buf b = BUF_INIT;
	struct snapshot_info si;
	struct err e;
	char want[400];

	for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++) {
		buf_reset(&b);
		bads[i].make(&b);
		ok(corrupt(b.s, b.len, bads[i].want), "corrupt: %s", bads[i].desc);
	}
	buf_reset(&b);
	m_trailing(&b);
	read_data(b.s, b.len, &si, &e);
	snprintf(want, sizeof want, "%s: corrupt backup at byte 12: 1 bytes after the end of the Snapshot", F);
	ok(strcmp(e.msg, want) == 0, "the message names the file and the offset");
	note("%s", e.msg);
	buf_reset(&b);
	m_neg_str(&b);
	read_data(b.s, b.len, &si, &e);
	ok(strstr(e.msg, "at byte 3: ") != NULL, "offset of a bad length: where it starts");

	memset(&e, 0, sizeof e);
	ok(snapshot_read("/nonexistent/backup", &si, &e) < 0 && e.code == EXIT_FAIL &&
	    strstr(e.msg, "/nonexistent/backup"), "a missing file is EXIT_FAIL");
	memset(&e, 0, sizeof e);
	ok(snapshot_read(T, &si, &e) < 0 && e.code == EXIT_FAIL, "a directory is EXIT_FAIL");
	ok(read_data("", 0, &si, &e) < 0 && e.code == EXIT_DATA && strstr(e.msg, F),
	    "a 0-byte file is not a Snapshot (even an empty one has a stop byte): EXIT_DATA naming it");
	note("%s", e.msg);
	buf_free(&b);
}

/* ---- fuzz ---- */

static uint64_t rng = 0x2545f4914f6cdd1dull;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return n ? (uint32_t)(rng % n) : 0;
}

static void mutate(struct buf *b)
{
	static const unsigned char hot[] = { 0, 1, 2, 3, 8, 10, 11, 12, 13, 14, 15,
		0x7f, 0x80, 0xff };
	int k = 1 + (int)rnd(4);

	while (k-- > 0 && b->len > 0) {
		size_t at = rnd((uint32_t)b->len);

		switch (rnd(5)) {
		case 0:
			b->s[at] = (char)rnd(256);
			break;
		case 1:
			b->s[at] = (char)hot[rnd(sizeof hot)];
			break;
		case 2:
			memmove(b->s + at, b->s + at + 1, b->len - at - 1);
			b->len--;
			break;
		case 3:
			b->len = at;
			break;
		default:
			b->s[at] ^= (char)(1 << rnd(8));
		}
	}
}

static void test_fuzz(void)
{
	const char *names[] = { "snap-no-tasks", "snap-old", "snap-empty-struct" };
	struct buf src[3];
	size_t bad = 0, decoded = 0, cases = 0;

	for (size_t i = 0; i < 3; i++) {
		char *path = xasprintf("%s/%s.bin", S, names[i]);

		src[i] = (struct buf)BUF_INIT;
		if (slurp(path, &src[i]) < 0)
			buf_adds(&src[i], "x");
		free(path);
	}
	for (int i = 0; i < 3000; i++) {
		struct buf b = BUF_INIT;
		struct snapshot_info si;
		struct err e;
		int rc;

		if (i % 4 == 3)
			for (uint32_t n = rnd(200); n > 0; n--)
				u8(&b, (int)rnd(256));
		else {
			const struct buf *s = &src[rnd(3)];

			buf_add(&b, s->s, s->len);
			mutate(&b);
		}
		rc = read_data(b.s, b.len, &si, &e);
		cases++;
		if (rc == 0) {
			decoded++;
			snapshot_free(&si);
		} else if (e.code != EXIT_DATA && !bad++)
			note("case %d: code %d msg '%s'", i, e.code, e.msg);
		buf_free(&b);
	}
	ok(bad == 0, "fuzz: %zu mutated or random backups, %zu read, the rest EXIT_DATA",
	    cases, decoded);
	for (size_t i = 0; i < 3; i++)
		buf_free(&src[i]);
}

int main(int argc, char **argv)
{
	const char *tmp = getenv("TMPDIR");
	char *cmd;

	if (argc > 1)
		srcdir = argv[1];
	snprintf(T, sizeof T, "%s/unit-snapshot.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(T)) {
		printf("Bail out! cannot create %s: %s\n", T, strerror(errno));
		return 1;
	}
	if (setup() == 0) {
		test_fixtures();
		test_prefixes();
		test_fuzz();
	}
	test_handmade();
	test_bad();
	yajl_tree_free(expect_tree);
	cmd = xasprintf("rm -rf '%s'", T);
	if (system(cmd) != 0)
		note("cannot remove %s", T);
	free(cmd);
	return tap_done();
}
