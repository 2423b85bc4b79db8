/*
 * unit-util.c: TAP tests for err, buf, fileio, sha256 and diff.
 *
 *   gcc -std=c11 -D_GNU_SOURCE -Wall -Wextra -O2 -Isrc -o unit-util \
 *       tests/unit-util.c src/err.c src/buf.c src/fileio.c src/sha256.c \
 *       src/diff.c && ./unit-util
 *
 * Works in a private directory under $TMPDIR (or /tmp). The diff tests
 * compare with GNU diff -u; the permission tests drop to uid 65534 in a
 * child when run as root.
 *
 * min-checks: 185
 * allow-skip: not root -- owners and modes of other users can be set only as root
 * allow-skip: cannot mount a read-only tmpfs here -- a container without mount namespaces
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "buf.h"
#include "diff.h"
#include "err.h"
#include "fileio.h"
#include "sha256.h"
#include "tap.h"

#define NOBODY 65534

static char T[256];		/* the scratch directory */

static char *P(const char *name)
{
	static char path[8][512];
	static int n;

	n = (n + 1) % 8;
	snprintf(path[n], sizeof path[n], "%s/%s", T, name);
	return path[n];
}

static void put(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || (len && fwrite(data, 1, len, f) != len) || fclose(f) != 0) {
		printf("Bail out! cannot write %s\n", path);
		exit(1);
	}
}

static void puts_file(const char *path, const char *s)
{
	put(path, s, strlen(s));
}

/* The file's content, or NULL when it cannot be read. */
static char *get(const char *path, size_t *len)
{
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	if (len)
		*len = b.len;
	return buf_detach(&b);
}

static int same_content(const char *path, const char *want)
{
	char *got = get(path, NULL);
	int same = got && strcmp(got, want) == 0;

	free(got);
	return same;
}

/* Files in dir whose name starts with prefix (temp files left behind). */
static int count_prefixed(const char *dir, const char *prefix)
{
	char cmd[1024], line[512];
	int n = 0;
	FILE *f;

	snprintf(cmd, sizeof cmd, "ls -a '%s'", dir);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		n += strncmp(line, prefix, strlen(prefix)) == 0;
	pclose(f);
	return n;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/*
 * Run fn in a child without root powers (uid/gid 65534 when we are root)
 * and return its exit status; the child prints its own diagnostics.
 */
static int as_nobody(int (*fn)(void))
{
	pid_t pid;
	int status;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (geteuid() == 0 && (setgroups(0, NULL) < 0 ||
		    setgid(NOBODY) < 0 || setuid(NOBODY) < 0))
			_exit(99);
		int rc = fn();
		fflush(stdout);
		_exit(rc);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* ---- err ---- */

static void test_err(void)
{
	struct err e = { 0 };
	char longs[3000];

	ok(errf(&e, EXIT_DATA, "bad %s at line %d", "reply", 3) == -1,
	    "errf returns -1");
	ok(e.code == EXIT_DATA, "errf sets the code");
	is(e.msg, "bad reply at line 3", "errf formats the message");
	ok(errf(&e, EXIT_FAIL, "second") == -1 && e.code == EXIT_DATA &&
	    strcmp(e.msg, "bad reply at line 3") == 0,
	    "errf: the first error wins");
	ok(errf(NULL, EXIT_FAIL, "nowhere %d", 1) == -1, "errf accepts e == NULL");

	memset(&e, 0, sizeof e);
	memset(longs, 'x', sizeof longs - 1);
	longs[sizeof longs - 1] = '\0';
	errf(&e, EXIT_FAIL, "%s", longs);
	ok(strlen(e.msg) == sizeof e.msg - 1, "errf truncates a long message");

	memset(&e, 0, sizeof e);
	errf(&e, 0, "no code");
	ok(e.code == EXIT_FAIL, "errf with code 0 records EXIT_FAIL");
}

/* ---- buf ---- */

/* Run fn in a child; 1 when it aborted with "out of memory" on stderr. */
static int dies_of_oom(void (*fn)(void))
{
	int fds[2], status;
	char out[4096];
	ssize_t n, len = 0;
	pid_t pid;

	if (pipe(fds) < 0)
		return 0;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		signal(SIGABRT, SIG_DFL);
		dup2(fds[1], 2);
		close(fds[0]);
		fn();
		_exit(0);
	}
	close(fds[1]);
	while ((n = read(fds[0], out + len, sizeof out - 1 - (size_t)len)) > 0)
		len += n;
	out[len] = '\0';
	close(fds[0]);
	waitpid(pid, &status, 0);
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT &&
	    strstr(out, "out of memory") != NULL;
}

static void huge_malloc(void)
{
	free(xmalloc(SIZE_MAX - 16));
}

static void huge_buf_add(void)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, "x");
	buf_add(&b, "y", SIZE_MAX - 1);
}

static void test_buf(void)
{
	struct buf b = BUF_INIT;
	char big[10000], *s, *p;
	size_t i;
	int allok;

	ok(b.s == NULL && b.len == 0 && b.cap == 0, "BUF_INIT is empty");
	buf_add(&b, "", 0);
	ok(b.s && b.s[0] == '\0' && b.len == 0, "buf_add of nothing gives \"\"");
	buf_adds(&b, "abc");
	buf_add(&b, "defgh", 2);
	buf_addf(&b, "-%d-%s", 42, "x");
	is(b.s, "abcde-42-x", "buf_adds, buf_add, buf_addf append");
	ok(b.len == 10 && b.cap > b.len, "buf length and capacity");

	buf_reset(&b);
	ok(b.len == 0 && b.s && b.s[0] == '\0' && b.cap > 0,
	    "buf_reset empties but keeps the storage");
	buf_add(&b, "a\0b\0", 4);
	ok(b.len == 4 && memcmp(b.s, "a\0b\0", 4) == 0 && b.s[4] == '\0',
	    "buf_add is binary-safe and NUL-terminates");

	buf_reset(&b);
	memset(big, 'q', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	buf_addf(&b, "<%s>", big);
	ok(b.len == sizeof big + 1 && b.s[0] == '<' && b.s[b.len - 1] == '>' &&
	    b.s[b.len] == '\0', "buf_addf grows for a long result");

	buf_reset(&b);
	for (i = 0; i < 300000; i++)
		buf_add(&b, "0123456789", i % 11);
	allok = b.s[b.len] == '\0';
	for (i = 0, p = b.s; allok && i < 300000; p += i % 11, i++)
		allok = memcmp(p, "0123456789", i % 11) == 0;
	ok(allok && (size_t)(p - b.s) == b.len, "many appends keep every byte");

	s = buf_detach(&b);
	ok(s && b.s == NULL && b.len == 0 && b.cap == 0,
	    "buf_detach hands over the string and resets the buffer");
	free(s);
	s = buf_detach(&b);
	ok(s && s[0] == '\0', "buf_detach of an empty buffer gives a malloc'd \"\"");
	free(s);
	buf_add(&b, "", 0);
	s = buf_detach(&b);
	ok(s && s[0] == '\0', "buf_detach after buf_add(\"\", 0) gives \"\"");
	free(s);

	buf_adds(&b, "x");
	buf_free(&b);
	ok(b.s == NULL && b.len == 0 && b.cap == 0, "buf_free resets");
	buf_free(&b);
	note("buf_free twice: no crash (a crash stops the program before its plan)");

	s = xstrdup("hello");
	is(s, "hello", "xstrdup");
	free(s);
	s = xstrndup("hello", 3);
	is(s, "hel", "xstrndup cuts");
	free(s);
	s = xstrndup("hi", 10);
	is(s, "hi", "xstrndup of a shorter string");
	free(s);
	s = xasprintf("%s=%04d", "n", 7);
	is(s, "n=0007", "xasprintf");
	free(s);
	p = xcalloc(100, 3);
	for (i = 0, allok = 1; i < 300; i++)
		allok &= p[i] == 0;
	ok(allok, "xcalloc zeroes");
	memcpy(p, "keep", 4);
	p = xrealloc(p, 100000);
	ok(memcmp(p, "keep", 4) == 0, "xrealloc keeps the content");
	free(p);
	p = xmalloc(0);
	ok(p != NULL, "xmalloc(0) returns a pointer");
	free(p);

	ok(dies_of_oom(huge_malloc), "xmalloc aborts with a message when out of memory");
	ok(dies_of_oom(huge_buf_add), "buf_add aborts on a size overflow");
}

/* ---- root_path ---- */

static void test_root_path(void)
{
	static const char *cases[][3] = {
		{ "/srv/root", "/etc/x", "/srv/root/etc/x" },
		{ "/srv/root/", "/etc/x", "/srv/root/etc/x" },
		{ "/srv/root//", "//etc/x", "/srv/root/etc/x" },
		{ "rel", "/etc/x", "rel/etc/x" },
		{ "/srv/root", "etc/x", "/srv/root/etc/x" },
		{ "", "/etc/x", "/etc/x" },
		{ "/", "/etc/x", "/etc/x" },
	};
	size_t i;
	char *s;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char desc[200];

		s = root_path(cases[i][0], cases[i][1]);
		snprintf(desc, sizeof desc, "root_path(\"%s\", \"%s\")",
		    cases[i][0], cases[i][1]);
		is(s, cases[i][2], desc);
		free(s);
	}
	s = root_path(NULL, "/etc/x");
	is(s, "/etc/x", "root_path(NULL, \"/etc/x\")");
	free(s);
}

/* ---- unroot, errf under a root, root_typed_path ---- */

static void test_unroot(void)
{
	static const char *cases[][3] = {
		{ "/srv/r", "cannot read /srv/r/etc/x: Is a directory", "cannot read /etc/x: Is a directory" },
		{ "/srv/r/", "/srv/r/a and /srv/r/b", "/a and /b" },
		{ "/srv/r", "--path=/srv/r/db", "--path=/db" },
		{ "/srv/r", "/x/srv/r/etc", "/x/srv/r/etc" },
		{ "/srv/r", "/srv/rr/etc /srv/r", "/srv/rr/etc /srv/r" },
		{ "/", "/etc/x", "/etc/x" },
	};
	char buf[1200];
	struct err e = { 0 };
	char *p;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char desc[300];

		snprintf(buf, sizeof buf, "%s", cases[i][1]);
		snprintf(desc, sizeof desc, "unroot(\"%s\", \"%s\")", cases[i][1], cases[i][0]);
		is(unroot(buf, cases[i][0]), cases[i][2], desc);
	}
	ok(unroot(NULL, "/srv/r") == NULL, "unroot(NULL) is NULL");
	err_show_root("/srv/r");
	errf(&e, EXIT_FAIL, "cannot read %s", "/srv/r/etc/x");
	is(e.msg, "cannot read /etc/x", "errf under a root names the host path");
	memset(&e, 0, sizeof e);
	errf(&e, EXIT_USAGE, "%s is under --root %s", "/srv/r/etc/x", "/srv/r");
	is(e.msg, "/srv/r/etc/x is under --root /srv/r", "errf keeps a message that talks of --root");
	err_show_root(NULL);

	memset(&e, 0, sizeof e);
	p = P("r/var/lib/db");
	ok(root_typed_path(P("r"), p, "PATH", &e) == -1 && e.code == EXIT_USAGE,
	    "root_typed_path: the root typed twice is a usage error");
	snprintf(buf, sizeof buf, "PATH %s is already under --root %s; give the host path /var/lib/db",
	    p, P("r"));
	is(e.msg, buf, "root_typed_path: the hint names the host path");
	memset(&e, 0, sizeof e);
	ok(root_typed_path(P("r"), "/var/lib/db", "PATH", &e) == 0 && e.code == 0,
	    "root_typed_path: a host path is fine");
	ok(root_typed_path(P("r"), P("rr/x"), "PATH", &e) == 0 && e.code == 0,
	    "root_typed_path: a path that only shares a prefix is fine");
	ok(root_typed_path("/", "/var/lib/db", "PATH", &e) == 0 && e.code == 0,
	    "root_typed_path: root / takes everything");
}

/* ---- file_read ---- */

static int read_denied(void)
{
	struct buf b = BUF_INIT;
	struct err e = { 0 };
	char want[600];
	int rc;

	rc = file_read(P("secret"), &b, NULL, 1, &e);
	snprintf(want, sizeof want, "cannot read %s: Permission denied", P("secret"));
	buf_free(&b);
	if (rc == -1 && e.code == EXIT_FAIL && strcmp(e.msg, want) == 0)
		return 0;
	printf("# got rc %d, '%s'\n", rc, e.msg);
	return 1;
}

static void test_file_read(void)
{
	struct buf b = BUF_INIT;
	struct file_meta m;
	struct err e = { 0 };
	struct timespec ts[2] = { { 1000, 0 }, { 1234567890, 123456789 } };
	struct stat st;
	char want[600], *data;
	size_t i, big = 3 * 1024 * 1024 + 17;

	puts_file(P("plain"), "one\ntwo\n");
	chmod(P("plain"), 0640);
	utimensat(AT_FDCWD, P("plain"), ts, 0);
	stat(P("plain"), &st);
	ok(file_read(P("plain"), &b, &m, 0, &e) == 0 && e.code == 0,
	    "file_read of a regular file");
	ok(b.len == 8 && strcmp(b.s, "one\ntwo\n") == 0, "file_read content");
	ok(m.exists == 1 && m.mode == 0640 && m.uid == st.st_uid &&
	    m.gid == st.st_gid, "file_read meta: mode, uid, gid");
	ok(m.mtime.tv_sec == 1234567890 && m.mtime.tv_nsec == 123456789,
	    "file_read meta: mtime with nanoseconds");

	ok(file_read(P("plain"), &b, NULL, 0, &e) == 0 && b.len == 8,
	    "file_read replaces the buffer and takes meta == NULL");

	chmod(P("plain"), 04755);
	file_read(P("plain"), &b, &m, 0, &e);
	ok(m.mode == 04755, "file_read meta keeps the setuid bit, no type bits");

	data = xmalloc(big);
	for (i = 0; i < big; i++)
		data[i] = (char)(i * 7 + i / 251);
	put(P("big"), data, big);
	ok(file_read(P("big"), &b, NULL, 0, &e) == 0 && b.len == big &&
	    memcmp(b.s, data, big) == 0 && b.s[big] == '\0',
	    "file_read of a 3 MB binary file");
	free(data);

	put(P("empty"), "", 0);
	ok(file_read(P("empty"), &b, &m, 0, &e) == 0 && b.len == 0 && b.s &&
	    b.s[0] == '\0' && m.exists, "file_read of an empty file");

	ok(file_read(P("missing"), &b, &m, 1, &e) == 0 && e.code == 0 &&
	    m.exists == 0 && b.len == 0, "file_read: missing_ok and no file");

	ok(file_read(P("missing"), &b, &m, 0, &e) == -1 && e.code == EXIT_FAIL,
	    "file_read: a missing file is an error without missing_ok");
	snprintf(want, sizeof want, "cannot read %s: No such file or directory",
	    P("missing"));
	is(e.msg, want, "file_read: message for a missing file");

	memset(&e, 0, sizeof e);
	mkdir(P("adir"), 0755);
	ok(file_read(P("adir"), &b, NULL, 1, &e) == -1 && e.code == EXIT_FAIL,
	    "file_read refuses a directory");
	snprintf(want, sizeof want, "cannot read %s: Is a directory", P("adir"));
	is(e.msg, want, "file_read: message for a directory");

	memset(&e, 0, sizeof e);
	mkfifo(P("fifo"), 0644);
	ok(file_read(P("fifo"), &b, NULL, 0, &e) == -1, "file_read refuses a fifo");
	snprintf(want, sizeof want, "cannot read %s: not a regular file", P("fifo"));
	is(e.msg, want, "file_read: message for a fifo");

	memset(&e, 0, sizeof e);
	ok(file_read(P("plain/x"), &b, NULL, 1, &e) == -1 &&
	    strstr(e.msg, "Not a directory"), "file_read: ENOTDIR is an error even with missing_ok");

	buf_free(&b);
	puts_file(P("secret"), "s\n");
	chmod(P("secret"), 0);
	ok(as_nobody(read_denied) == 0, "file_read: permission denied");
}

/* ---- file_write_atomic ---- */

static struct stat st_of(const char *path)
{
	struct stat st;

	memset(&st, 0, sizeof st);
	lstat(path, &st);
	return st;
}

static int write_unprivileged(void)
{
	struct file_meta m = { 1, 0640, NOBODY, NOBODY, { 0, 0 } };
	struct err e = { 0 };
	char want[600];
	int w = -1, bad = 0;

	if (geteuid() != 0) {
		m.uid = geteuid();
		m.gid = getegid();
	}
	if (file_write_atomic(P("own/f"), "mine\n", 5, &m, 0, &w, &e) != 0 || w != 1) {
		printf("# own file with own meta: %s\n", e.msg);
		bad = 1;
	}
	m.uid = 0;
	memset(&e, 0, sizeof e);
	if (geteuid() != 0 &&
	    (file_write_atomic(P("own/f"), "root\n", 5, &m, 0, &w, &e) != -1 ||
	    !strstr(e.msg, "cannot change owner of") ||
	    !same_content(P("own/f"), "mine\n") ||
	    count_prefixed(P("own"), ".f.") != 0)) {
		printf("# chown to root: '%s'\n", e.msg);
		bad = 1;
	}
	memset(&e, 0, sizeof e);
	snprintf(want, sizeof want,
	    "cannot create temporary file for %s: Permission denied", P("locked/f"));
	if (file_write_atomic(P("locked/f"), "x", 1, NULL, 0, &w, &e) != -1 ||
	    strcmp(e.msg, want) != 0 || w != 0) {
		printf("# unwritable directory: '%s'\n", e.msg);
		bad = 1;
	}
	return bad;
}

static void test_write(void)
{
	struct file_meta m;
	struct err e = { 0 };
	struct stat st, st2;
	struct timespec old[2] = { { 100, 0 }, { 200, 0 } };
	char want[600], cwd[512];
	int w;

	mkdir(P("w"), 0755);
	ok(file_write_atomic(P("w/new"), "hello\n", 6, NULL, 0, &w, &e) == 0 &&
	    w == 1 && e.code == 0, "file_write_atomic creates a new file");
	st = st_of(P("w/new"));
	ok(same_content(P("w/new"), "hello\n") && (st.st_mode & 07777) == 0644,
	    "new file: content and mode 0644");
	ok(count_prefixed(P("w"), ".new.") == 0, "new file: no temp file left");

	utimensat(AT_FDCWD, P("w/new"), old, 0);
	st = st_of(P("w/new"));
	ok(file_write_atomic(P("w/new"), "hello\n", 6, NULL, 0, &w, &e) == 0 &&
	    w == 0, "same content: nothing written");
	st2 = st_of(P("w/new"));
	ok(st2.st_ino == st.st_ino && st2.st_mtim.tv_sec == 200 &&
	    st2.st_ctim.tv_sec == st.st_ctim.tv_sec &&
	    st2.st_ctim.tv_nsec == st.st_ctim.tv_nsec,
	    "same content: file untouched, mtime kept");

	chmod(P("w/new"), 0600);
	ok(file_write_atomic(P("w/new"), "bye\n", 4, NULL, 0, &w, &e) == 0 &&
	    w == 1, "new content: written");
	st2 = st_of(P("w/new"));
	ok(same_content(P("w/new"), "bye\n") && (st2.st_mode & 07777) == 0600 &&
	    st2.st_ino != st.st_ino, "new content: replaced by rename, mode kept");
	ok(file_write_atomic(P("w/new"), "bye again\n", 10, NULL, 0, NULL, &e) == 0 &&
	    same_content(P("w/new"), "bye again\n"), "written may be NULL");

	m = (struct file_meta){ 1, 0640, getuid(), getgid(), { 1000000000, 5 } };
	ok(file_write_atomic(P("w/new"), "bye again\n", 10, &m, 0, &w, &e) == 0 &&
	    w == 1 && (st_of(P("w/new")).st_mode & 07777) == 0640,
	    "same content, other mode in meta: rewritten with that mode");
	ok(file_write_atomic(P("w/new"), "bye again\n", 10, &m, 0, &w, &e) == 0 &&
	    w == 0, "same content and meta: nothing written");
	ok(file_write_atomic(P("w/new"), "kept\n", 5, &m, 1, &w, &e) == 0 && w == 1,
	    "keep_mtime with meta");
	st = st_of(P("w/new"));
	ok(st.st_mtim.tv_sec == 1000000000 && st.st_mtim.tv_nsec == 5,
	    "keep_mtime: the file gets meta's mtime");
	ok(file_write_atomic(P("w/new"), "now\n", 4, NULL, 1, &w, &e) == 0 &&
	    st_of(P("w/new")).st_mtim.tv_sec > 1000000000,
	    "keep_mtime without meta: current time");

	m.exists = 0;
	m.mode = 0;
	chmod(P("w/new"), 0604);
	ok(file_write_atomic(P("w/new"), "nometa\n", 7, &m, 0, &w, &e) == 0 &&
	    (st_of(P("w/new")).st_mode & 07777) == 0604,
	    "a meta for a missing file counts as no meta");

	if (geteuid() == 0) {
		m = (struct file_meta){ 1, 02750, 1234, 2345, { 0, 0 } };
		ok(file_write_atomic(P("w/owned"), "o\n", 2, &m, 0, &w, &e) == 0,
		    "as root: write with another owner");
		st = st_of(P("w/owned"));
		ok(st.st_uid == 1234 && st.st_gid == 2345 &&
		    (st.st_mode & 07777) == 02750, "as root: owner and setgid mode applied");
		ok(file_write_atomic(P("w/owned"), "o2\n", 3, NULL, 0, &w, &e) == 0 &&
		    st_of(P("w/owned")).st_uid == 1234 &&
		    (st_of(P("w/owned")).st_mode & 07777) == 02750,
		    "as root: the existing owner and mode are kept");
	} else {
		skip("as root: write with another owner", "not root");
		skip("as root: owner and setgid mode applied", "not root");
		skip("as root: the existing owner and mode are kept", "not root");
	}

	ok(file_write_atomic(P("w/bin"), "a\0b\0c", 5, NULL, 0, &w, &e) == 0,
	    "binary content");
	{
		size_t len;
		char *got = get(P("w/bin"), &len);

		ok(got && len == 5 && memcmp(got, "a\0b\0c", 5) == 0,
		    "binary content round trip");
		free(got);
	}
	ok(file_write_atomic(P("w/empty"), "", 0, NULL, 0, &w, &e) == 0 && w == 1 &&
	    st_of(P("w/empty")).st_size == 0, "empty content creates an empty file");
	ok(file_write_atomic(P("w/empty"), "", 0, NULL, 0, &w, &e) == 0 && w == 0,
	    "empty content over an empty file: nothing written");

	puts_file(P("w/target"), "old\n");
	chmod(P("w/target"), 0640);
	symlink("target", P("w/link"));
	ok(file_write_atomic(P("w/link"), "via link\n", 9, NULL, 0, &w, &e) == 0 &&
	    w == 1, "write through a symlink");
	ok(S_ISLNK(st_of(P("w/link")).st_mode) &&
	    same_content(P("w/target"), "via link\n") &&
	    (st_of(P("w/target")).st_mode & 07777) == 0640,
	    "symlink: the link stays, its target gets the content");
	ok(count_prefixed(P("w"), ".target.") == 0 && count_prefixed(P("w"), ".link.") == 0,
	    "symlink: no temp file left");

	symlink("nowhere/x", P("w/dangling"));
	ok(file_write_atomic(P("w/dangling"), "x", 1, NULL, 0, &w, &e) == -1 &&
	    strstr(e.msg, "cannot resolve symlink") && w == 0,
	    "a dangling symlink is an error");

	memset(&e, 0, sizeof e);
	mkdir(P("w/dir"), 0755);
	snprintf(want, sizeof want, "cannot write %s: Is a directory", P("w/dir"));
	ok(file_write_atomic(P("w/dir"), "x", 1, NULL, 0, &w, &e) == -1 &&
	    e.code == EXIT_FAIL, "a directory target is an error");
	is(e.msg, want, "message for a directory target");

	memset(&e, 0, sizeof e);
	snprintf(want, sizeof want,
	    "cannot create temporary file for %s: No such file or directory",
	    P("w/nodir/f"));
	ok(file_write_atomic(P("w/nodir/f"), "x", 1, NULL, 0, &w, &e) == -1,
	    "a missing directory is an error");
	is(e.msg, want, "message for a missing directory");

	memset(&e, 0, sizeof e);
	puts_file(P("w/keep"), "untouched\n");
	m = (struct file_meta){ 1, 0644, getuid(), getgid(), { 0, 2000000000 } };
	ok(file_write_atomic(P("w/keep"), "new\n", 4, &m, 1, &w, &e) == -1 &&
	    w == 0 && strstr(e.msg, "cannot set the time of"),
	    "a failure after the temp file was made is reported");
	ok(same_content(P("w/keep"), "untouched\n") &&
	    count_prefixed(P("w"), ".keep.") == 0,
	    "after a failure: target untouched, temp file removed");

	memset(&e, 0, sizeof e);
	if (getcwd(cwd, sizeof cwd) && chdir(P("w")) == 0) {
		ok(file_write_atomic("rel", "r\n", 2, NULL, 0, &w, &e) == 0 &&
		    w == 1 && same_content(P("w/rel"), "r\n") &&
		    count_prefixed(".", ".rel.") == 0,
		    "a relative path without a directory");
		if (chdir(cwd) != 0)
			note("cannot go back to %s", cwd);
	}

	mkdir(P("own"), 0755);
	mkdir(P("locked"), 0755);
	if (geteuid() == 0) {
		chown(P("own"), NOBODY, NOBODY);
		puts_file(P("own/f"), "theirs\n");
		chown(P("own/f"), NOBODY, NOBODY);
	} else {
		puts_file(P("own/f"), "theirs\n");
		chmod(P("locked"), 0555);
	}
	ok(as_nobody(write_unprivileged) == 0,
	    "unprivileged: own file, foreign owner, unwritable directory");
}

/* ---- mkdir_p ---- */

static void test_mkdir_p(void)
{
	struct err e = { 0 };
	struct stat st;
	char want[600];

	ok(mkdir_p(P("m/a/b/c"), 0750, &e) == 0 && stat(P("m/a/b/c"), &st) == 0 &&
	    S_ISDIR(st.st_mode), "mkdir_p creates nested directories");
	ok((st.st_mode & 07777) == (0750 & ~022u) ||
	    (st.st_mode & 07777) == 0750, "mkdir_p uses the mode");
	ok(mkdir_p(P("m/a/b/c"), 0750, &e) == 0, "mkdir_p: existing directories are fine");
	ok(mkdir_p(P("m//x/y/"), 0755, &e) == 0 && stat(P("m/x/y"), &st) == 0,
	    "mkdir_p: doubled and trailing slashes");
	ok(mkdir_p("/", 0755, &e) == 0, "mkdir_p /");
	puts_file(P("m/file"), "f");
	ok(mkdir_p(P("m/file/sub"), 0755, &e) == -1 && e.code == EXIT_FAIL,
	    "mkdir_p through a file is an error");
	snprintf(want, sizeof want, "cannot create directory %s: Not a directory",
	    P("m/file"));
	is(e.msg, want, "mkdir_p: message names the blocking path");
	memset(&e, 0, sizeof e);
	ok(mkdir_p("", 0755, &e) == -1 && e.code == EXIT_FAIL, "mkdir_p of \"\"");
}

/* ---- file_writable ---- */

static int writable_denied(void)
{
	struct err e = { 0 };
	char want[600];

	snprintf(want, sizeof want, "cannot write %s: Permission denied",
	    P("ro/file"));
	if (file_writable(P("ro/file"), &e) == -1 && strcmp(e.msg, want) == 0)
		return 0;
	printf("# got '%s'\n", e.msg);
	return 1;
}

static int writable_ro(void)
{
	struct err e = { 0 };
	char want[600];

	snprintf(want, sizeof want, "cannot write %s: Read-only file system",
	    P("romnt/file"));
	if (file_writable(P("romnt/file"), &e) == -1 && strcmp(e.msg, want) == 0)
		return 0;
	printf("# got '%s'\n", e.msg);
	return 1;
}

/*
 * Run fn in a child with a private mount namespace where P("romnt") is a
 * read-only tmpfs; 77 when that cannot be set up (not root, no
 * CAP_SYS_ADMIN).
 */
static int in_mount_ns(int (*fn)(void))
{
	pid_t pid;
	int status;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return 77;
	if (pid == 0) {
		if (unshare(CLONE_NEWNS) < 0 ||
		    mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) < 0 ||
		    mount("tmpfs", P("romnt"), "tmpfs", MS_RDONLY, NULL) < 0)
			_exit(77);
		int rc = fn();
		fflush(stdout);
		_exit(rc);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static void test_writable(void)
{
	struct err e = { 0 };
	char want[600];
	int rc;

	mkdir(P("fw"), 0755);
	puts_file(P("fw/file"), "x");
	ok(file_writable(P("fw/file"), &e) == 0 && e.code == 0,
	    "file_writable: existing file");
	ok(file_writable(P("fw/new"), &e) == 0, "file_writable: new file");
	ok(file_writable(P("fw/not/yet/there"), &e) == 0,
	    "file_writable: missing directories are judged by the nearest one");
	symlink("file", P("fw/link"));
	ok(file_writable(P("fw/link"), &e) == 0, "file_writable: symlink to a file");

	mkdir(P("fw/dir"), 0755);
	ok(file_writable(P("fw/dir"), &e) == -1 && e.code == EXIT_FAIL,
	    "file_writable: a directory is refused");
	snprintf(want, sizeof want, "cannot write %s: Is a directory", P("fw/dir"));
	is(e.msg, want, "file_writable: message for a directory");

	memset(&e, 0, sizeof e);
	ok(file_writable(P("fw/file/x"), &e) == -1 && strstr(e.msg, "Not a directory"),
	    "file_writable: a path under a file");

	mkdir(P("ro"), 0755);
	if (geteuid() != 0)
		chmod(P("ro"), 0555);
	ok(as_nobody(writable_denied) == 0, "file_writable: permission denied");

	mkdir(P("romnt"), 0755);
	rc = in_mount_ns(writable_ro);
	if (rc == 77)
		skip("file_writable: read-only file system",
		    "cannot mount a read-only tmpfs here");
	else
		ok(rc == 0, "file_writable: read-only file system");
}

/* ---- lock ---- */

static void test_lock(void)
{
	struct err e = { 0 };
	char want[600];
	int fd, fd2, sync[2], status;
	double t;
	pid_t pid;

	ok(lock_acquire(P("lk/run/lock"), 0, &fd, &e) == 0 && fd >= 0,
	    "lock_acquire creates the directories and takes the lock");
	ok((st_of(P("lk/run/lock")).st_mode & 07777) == 0600 &&
	    (st_of(P("lk/run")).st_mode & 07777) == 0755,
	    "lock file 0600, directories 0755");

	ok(lock_acquire(P("lk/run/lock"), 0, &fd2, &e) == -1 &&
	    e.code == EXIT_LOCKED && fd2 == -1, "a held lock: EXIT_LOCKED at once");
	snprintf(want, sizeof want,
	    "another aurora-restore run holds the lock %s", P("lk/run/lock"));
	is(e.msg, want, "message for a held lock");

	memset(&e, 0, sizeof e);
	t = now();
	ok(lock_acquire(P("lk/run/lock"), 0.2, &fd2, &e) == -1 &&
	    e.code == EXIT_LOCKED && now() - t >= 0.2 && now() - t < 2,
	    "a held lock: waits, then EXIT_LOCKED");
	snprintf(want, sizeof want,
	    "another aurora-restore run holds the lock %s (waited 0.2 s)",
	    P("lk/run/lock"));
	is(e.msg, want, "message after waiting");

	lock_release(fd);
	memset(&e, 0, sizeof e);
	ok(lock_acquire(P("lk/run/lock"), 0, &fd, &e) == 0, "lock again after release");
	lock_release(fd);
	lock_release(-1);

	if (pipe(sync) == 0) {
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			struct err ce = { 0 };
			int cfd;

			if (lock_acquire(P("lk/run/lock"), 0, &cfd, &ce) < 0)
				_exit(1);
			if (write(sync[1], "x", 1) != 1)
				_exit(1);
			usleep(300000);
			_exit(0);
		}
		close(sync[1]);
		if (read(sync[0], want, 1) != 1)
			note("child did not take the lock");
		close(sync[0]);
		memset(&e, 0, sizeof e);
		t = now();
		ok(lock_acquire(P("lk/run/lock"), 5, &fd, &e) == 0 &&
		    now() - t > 0.1 && now() - t < 4,
		    "lock_acquire waits for the holder to go");
		lock_release(fd);
		waitpid(pid, &status, 0);
	}

	memset(&e, 0, sizeof e);
	puts_file(P("lk/plain"), "x");
	ok(lock_acquire(P("lk/plain/lock"), 0, &fd, &e) == -1 &&
	    e.code == EXIT_FAIL && strstr(e.msg, "cannot create directory"),
	    "lock under a file: EXIT_FAIL");
	memset(&e, 0, sizeof e);
	ok(lock_acquire(P("lk/run"), 0, &fd, &e) == -1 && e.code == EXIT_FAIL &&
	    strstr(e.msg, "cannot open lock file"), "lock path is a directory: EXIT_FAIL");
}

/* ---- sha256 ---- */

static void test_sha256(void)
{
	static const char *const vec[][2] = {
		{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	};
	char hex[65], *a, want[100], cmd[600];
	size_t i, len, bad = 0;
	unsigned char data[300];
	FILE *f;

	for (i = 0; i < 3; i++) {
		sha256_hex(vec[i][0], strlen(vec[i][0]), hex);
		is(hex, vec[i][1], "sha256 known vector");
	}
	a = xmalloc(1000000);
	memset(a, 'a', 1000000);
	sha256_hex(a, 1000000, hex);
	is(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
	    "sha256 of a million 'a'");
	free(a);

	for (i = 0; i < sizeof data; i++)
		data[i] = (unsigned char)(i * 131 + 7);
	snprintf(cmd, sizeof cmd, "sha256sum < '%s'", P("sha"));
	for (len = 0; len < sizeof data; len++) {
		put(P("sha"), data, len);
		f = popen(cmd, "r");
		if (!f || !fgets(want, sizeof want, f)) {
			bad++;
			if (f)
				pclose(f);
			continue;
		}
		pclose(f);
		want[64] = '\0';
		sha256_hex(data, len, hex);
		if (strcmp(hex, want) != 0 && bad++ < 3)
			note("length %zu: got %s, want %s", len, hex, want);
	}
	ok(bad == 0, "sha256 equals sha256sum for lengths 0 to 299");
}

/* ---- diff ---- */

static int have_diff;
static int gnu_identical;	/* random cases where ours equals diff -u */

static void gnu_diff(const char *a, size_t alen, const char *b, size_t blen,
    struct buf *out)
{
	char cmd[1200], chunk[8192];
	size_t n;
	FILE *f;

	put(P("da"), a, alen);
	put(P("db"), b, blen);
	snprintf(cmd, sizeof cmd, "diff -u --label a --label b '%s' '%s'",
	    P("da"), P("db"));
	buf_reset(out);
	f = popen(cmd, "r");
	if (!f)
		return;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(out, chunk, n);
	pclose(f);
}

/* 1 when our diff equals GNU diff -u for these texts. */
static int same_as_gnu(const char *a, size_t alen, const char *b, size_t blen,
    const char *desc)
{
	struct buf want = BUF_INIT, got = BUF_INIT;
	int same;

	gnu_diff(a, alen, b, blen, &want);
	diff_unified(a, alen, b, blen, "a", "b", &got);
	same = want.len == got.len && memcmp(want.s ? want.s : "", got.s ? got.s : "",
	    want.len) == 0;
	if (!same) {
		note("%s: ours differs from diff -u", desc);
		note("ours:\n%.*s# diff -u:\n%.*s", (int)(got.len > 2000 ? 2000 : got.len),
		    got.s ? got.s : "", (int)(want.len > 2000 ? 2000 : want.len),
		    want.s ? want.s : "");
	}
	buf_free(&want);
	buf_free(&got);
	return same;
}

/* Texts with a single minimal diff: ours must be byte for byte diff -u's. */
static void check_diff(const char *a, const char *b, const char *desc)
{
	ok(same_as_gnu(a, strlen(a), b, strlen(b), desc), "diff like diff -u: %s", desc);
}

/* Step *p over one line (with its '\n', if any); its start and length. */
static size_t next_line(const char **p, const char *end, const char **line)
{
	const char *nl = memchr(*p, '\n', (size_t)(end - *p));
	size_t n = nl ? (size_t)(nl + 1 - *p) : (size_t)(end - *p);

	*line = *p;
	*p += n;
	return n;
}

/* "-l" or "-l,s" as diff -u writes them; first is the 0-based first line. */
static int parse_range(const char **p, char sign, long *first, long *count)
{
	char *e;
	long l;

	if (**p != sign || (*p)[1] < '0' || (*p)[1] > '9')
		return -1;
	l = strtol(*p + 1, &e, 10);
	*count = 1;
	if (*e == ',') {
		if (e[1] < '0' || e[1] > '9')
			return -1;
		*count = strtol(e + 1, &e, 10);
		if (*count == 1)
			return -1;	/* one line is written "-l" */
	}
	*first = *count ? l - 1 : l;
	*p = e;
	return *first < 0 ? -1 : 0;
}

/*
 * Check d as a unified diff of a into b: the file headers, every hunk's
 * counts against its body, hunks in order at the lines they name, context
 * and deleted lines as they are in a, and applying the hunks to a by hand
 * gives b. *changed gets the number of - and + lines. NULL when all is
 * well, else what is wrong.
 */
static const char *check_unified(const char *d, size_t dlen, const char *a,
    size_t alen, const char *b, size_t blen, long *changed)
{
	static const char nonl[] = "\\ No newline at end of file\n";
	const char *p, *end = d + dlen, *ap = a, *aend = a + alen;
	const char *line, *al, *bad = NULL;
	struct buf got = BUF_INIT;
	long aline = 0, bline = 0, af, ac, bf, bc;
	size_t n, an;
	char c;

	*changed = 0;
	if (dlen < 12 || memcmp(d, "--- a\n+++ b\n", 12) != 0)
		return "bad file headers";
	for (p = d + 12; !bad && p < end;) {
		next_line(&p, end, &line);
		if (strncmp(line, "@@ ", 3) != 0) {
			bad = "expected a hunk header";
			break;
		}
		line += 3;
		if (parse_range(&line, '-', &af, &ac) != 0 || *line++ != ' ' ||
		    parse_range(&line, '+', &bf, &bc) != 0 ||
		    strncmp(line, " @@\n", 4) != 0) {
			bad = "malformed hunk header";
			break;
		}
		if (af < aline)
			bad = "hunks out of order or overlapping";
		for (; aline < af && ap < aend; aline++, bline++) {
			an = next_line(&ap, aend, &al);
			buf_add(&got, al, an);
		}
		if (!bad && aline != af)
			bad = "hunk starts past the end of a";
		if (!bad && bf != bline)
			bad = "hunk's + start does not match its - start";
		if (!bad && ac + bc == 0)
			bad = "empty hunk";
		while (!bad && (ac > 0 || bc > 0)) {
			if (p >= end) {
				bad = "hunk body shorter than its counts";
				break;
			}
			n = next_line(&p, end, &line);
			c = *line++;
			if (n-- < 2 || line[n - 1] != '\n')
				bad = "body line without a newline";
			else if ((size_t)(end - p) >= sizeof nonl - 1 &&
			    memcmp(p, nonl, sizeof nonl - 1) == 0) {
				p += sizeof nonl - 1;
				n--;
			}
			if (c != ' ' && c != '-' && c != '+')
				bad = "body line not ' ', '-' or '+'";
			if (!bad && c != '+') {
				an = next_line(&ap, aend, &al);
				if (ac-- == 0)
					bad = "more old lines than the header says";
				else if (an != n || memcmp(al, line, n) != 0)
					bad = "context or deleted line not as in a";
				aline++;
			}
			if (!bad && c != '-') {
				if (bc-- == 0)
					bad = "more new lines than the header says";
				buf_add(&got, line, n);
				bline++;
			}
			*changed += c != ' ';
		}
	}
	if (!bad) {
		buf_add(&got, ap, (size_t)(aend - ap));
		if (got.len != blen || (blen && memcmp(got.s, b, blen) != 0))
			bad = "applying the hunks to a does not give b";
	}
	buf_free(&got);
	return bad;
}

/* The - and + lines of a diff -u output (after its two header lines). */
static long changed_lines(const char *d, size_t len)
{
	const char *p = d, *end = d + len, *line;
	long n = 0;
	int headers = 2;

	while (p < end) {
		next_line(&p, end, &line);
		if (headers)
			headers--;
		else
			n += *line == '-' || *line == '+';
	}
	return n;
}

/*
 * Texts with more than one minimal diff: ours must be a well-formed
 * unified diff (check_unified) that GNU patch, without fuzz, applies to a
 * to give b; when minimal is set, with no more changed lines than diff -u.
 */
static int valid_diff(const char *a, size_t alen, const char *b, size_t blen,
    const char *desc, int minimal)
{
	struct buf want = BUF_INIT, got = BUF_INIT;
	const char *bad = NULL;
	long ours = 0, gnus;
	char cmd[1600], *patched;
	size_t plen = 0;

	gnu_diff(a, alen, b, blen, &want);
	diff_unified(a, alen, b, blen, "a", "b", &got);
	gnus = changed_lines(want.s ? want.s : "", want.len);
	if (want.len == 0 || got.len == 0) {
		if (want.len != got.len)
			bad = got.len ? "output for equal texts" : "no output, texts differ";
	} else if (!(bad = check_unified(got.s, got.len, a, alen, b, blen, &ours))) {
		if (minimal && ours > gnus)
			bad = "more changed lines than diff -u";
		put(P("dd"), got.s, got.len);
		unlink(P("dout"));
		snprintf(cmd, sizeof cmd,
		    "patch -f -s -F0 -o '%s' '%s' < '%s' >/dev/null 2>&1",
		    P("dout"), P("da"), P("dd"));
		patched = system(cmd) == 0 ? get(P("dout"), &plen) : NULL;
		if (!bad && (!patched || plen != blen || memcmp(patched, b, blen) != 0))
			bad = "patch does not turn a into b";
		free(patched);
	}
	if (bad) {
		note("%s: %s (ours %ld changed lines, diff -u %ld)", desc, bad, ours, gnus);
		note("ours:\n%.*s# diff -u:\n%.*s", (int)(got.len > 2000 ? 2000 : got.len),
		    got.s ? got.s : "", (int)(want.len > 2000 ? 2000 : want.len),
		    want.s ? want.s : "");
	}
	gnu_identical += want.len == got.len &&
	    (!got.len || memcmp(want.s, got.s, got.len) == 0);
	buf_free(&want);
	buf_free(&got);
	return !bad;
}

static void check_valid(const char *a, const char *b, const char *desc)
{
	ok(valid_diff(a, strlen(a), b, strlen(b), desc, 1),
	    "diff valid and minimal: %s", desc);
}

static uint64_t rng = 88172645463325252ULL;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

/* A text of n lines taken from vocab words. */
static void gen_lines(struct buf *b, unsigned n, unsigned vocab)
{
	unsigned i;

	for (i = 0; i < n; i++)
		buf_addf(b, "l%u\n", rnd(vocab));
}

/* Random small edits of a (line based), into b. */
static void gen_edit(const struct buf *a, struct buf *b, unsigned vocab)
{
	const char *lines[2000];
	struct buf tmp = BUF_INIT;
	char *copy = xstrndup(a->s ? a->s : "", a->len), *p, *nl;
	unsigned n = 0, i, edits = rnd(8), k;

	for (p = copy; *p && n < 2000; p = nl + 1) {
		nl = strchr(p, '\n');
		*nl = '\0';
		lines[n++] = p;
	}
	for (i = 0; i < n; i++)
		buf_addf(&tmp, "%s\n", lines[i]);
	for (k = 0; k < edits; k++) {
		unsigned op = rnd(3), pos, cnt = 1 + rnd(4), j;
		const char *s = tmp.s ? tmp.s : "";
		unsigned total = 0, off = 0;

		for (j = 0; j < tmp.len; j++)
			total += s[j] == '\n';
		pos = rnd(total + 1);
		for (j = 0; j < pos; j++)
			off = (unsigned)(strchr(s + off, '\n') - s) + 1;
		buf_reset(b);
		buf_add(b, s, off);
		if (op == 0) {
			for (j = 0; j < cnt; j++)
				buf_addf(b, "l%u\n", rnd(vocab));
		} else {
			unsigned skip_n = op == 1 ? cnt : 1;

			for (j = 0; j < skip_n && off < tmp.len; j++)
				off = (unsigned)(strchr(s + off, '\n') - s) + 1;
			if (op == 2)
				buf_addf(b, "x%u\n", rnd(vocab));
		}
		buf_add(b, s + off, tmp.len - off);
		buf_reset(&tmp);
		buf_add(&tmp, b->s, b->len);
	}
	buf_reset(b);
	buf_add(b, tmp.s ? tmp.s : "", tmp.len);
	buf_free(&tmp);
	free(copy);
}

static void test_diff_fixed(void)
{
	struct buf out = BUF_INIT;

	buf_adds(&out, "kept");
	diff_unified("a\nb\n", 4, "a\nb\n", 4, "x", "y", &out);
	is(out.s, "kept", "diff of equal texts appends nothing");
	diff_unified("", 0, "", 0, "x", "y", &out);
	is(out.s, "kept", "diff of two empty texts appends nothing");
	diff_unified("a\n", 2, "b\n", 2, "old", "new", &out);
	is(out.s, "kept--- old\n+++ new\n@@ -1 +1 @@\n-a\n+b\n",
	    "diff appends to out, labels without timestamps");

	buf_reset(&out);
	diff_unified("", 0, "a\nb\n", 4, "a", "b", &out);
	is(out.s, "--- a\n+++ b\n@@ -0,0 +1,2 @@\n+a\n+b\n", "diff from an empty text");
	buf_reset(&out);
	diff_unified("a\n", 2, "", 0, "a", "b", &out);
	is(out.s, "--- a\n+++ b\n@@ -1 +0,0 @@\n-a\n", "diff to an empty text");
	buf_reset(&out);
	diff_unified("a", 1, "a\n", 2, "a", "b", &out);
	is(out.s, "--- a\n+++ b\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+a\n",
	    "diff: only the final newline differs");
	buf_reset(&out);
	diff_unified("1\n2\n3\n4\n5\n6\n7\n8\n", 16, "1\n2\n3\n4\nX\n6\n7\n8\n", 16,
	    "a", "b", &out);
	is(out.s, "--- a\n+++ b\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+X\n 6\n 7\n 8\n",
	    "diff: three lines of context");
	buf_reset(&out);
	diff_unified("a\nb\nc\nd\n", 8, "a\nc\nd\n", 6, "a", "b", &out);
	is(out.s, "--- a\n+++ b\n@@ -1,4 +1,3 @@\n a\n-b\n c\n d\n",
	    "diff: hunk clipped at the start of the file");
	buf_free(&out);

	if (!have_diff)
		return;
	check_diff("", "x\n", "insert into empty");
	check_diff("x\n", "", "delete everything");
	check_diff("", "x", "empty to a line without newline");
	check_diff("x", "", "a line without newline to empty");
	check_diff("x", "y", "one line, no newlines");
	check_diff("x\n", "x", "newline removed");
	check_diff("x", "x\n", "newline added");
	check_diff("a\nb", "a\nc", "change of a last line without newline");
	check_diff("a\nb\nc", "a\nb\nc\nd\n", "append after an incomplete line");
	check_diff("a\nb\nc\nd\n", "a\nb\nc", "delete the last line, newline goes");
	check_diff("a\nb\nc", "a\nB\nc", "change before an incomplete common line");
	check_diff("a\nb\nc\nd\ne\nf\ng\nh\ni\n", "new\na\nb\nc\nd\ne\nf\ng\nh\ni\n",
	    "insert at start");
	check_diff("a\nb\nc\nd\ne\nf\ng\nh\ni\n", "a\nb\nc\nd\nnew\ne\nf\ng\nh\ni\n",
	    "insert in the middle");
	check_diff("a\nb\nc\nd\ne\nf\ng\nh\ni\n", "a\nb\nc\nd\ne\nf\ng\nh\ni\nnew\n",
	    "insert at end");
	check_diff("a\nb\nc\nd\ne\nf\ng\nh\ni\n", "b\nc\nd\ne\nf\ng\nh\ni\n",
	    "delete at start");
	check_diff("a\nb\nc\nd\ne\nf\ng\nh\ni\n", "a\nb\nc\nd\nf\ng\nh\ni\n",
	    "delete in the middle");
	check_diff("a\nb\nc\nd\ne\nf\ng\nh\ni\n", "a\nb\nc\nd\ne\nf\ng\nh\n",
	    "delete at end");
	check_diff("a\nb\nc\nd\ne\nf\ng\nh\ni\n", "X\nY\nc\nd\ne\nf\ng\nh\ni\n",
	    "change at start");
	check_diff("a\nb\nc\nd\ne\nf\ng\nh\ni\n", "a\nb\nc\nd\nE\nf\ng\nh\ni\n",
	    "change in the middle");
	check_diff("a\nb\nc\nd\ne\nf\ng\nh\ni\n", "a\nb\nc\nd\ne\nf\ng\nH\nI",
	    "change at end, new text without final newline");
	check_diff("a\nb\nc\nd\ne\nf\ng\nh\ni\n", "A\nb\nc\nd\ne\nf\ng\nh\nI\n",
	    "change at both ends");
	check_diff("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n",
	    "1\nX\n3\n4\n5\n6\n7\n8\n9\nY\n11\n12\n13\n14\n15\n16\n",
	    "changes 7 lines apart: two hunks");
	check_diff("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n",
	    "1\nX\n3\n4\n5\n6\n7\n8\nY\n10\n11\n12\n13\n14\n15\n16\n",
	    "changes 6 lines apart: one hunk");
	check_diff("a\r\nb\r\n", "a\r\nc\r\n", "CRLF lines");
	check_diff("a \nb\n", "a\nb\n", "trailing space differs");

	/* Repeated lines: several minimal diffs, any of them will do. */
	check_valid("x\nx\nx\nx\n", "x\nx\nx\n", "delete one of equal lines");
	check_valid("x\ny\nx\ny\nx\ny\n", "x\ny\nx\ny\n", "delete a repeated pair");
	check_valid("}\n\n}\n\n}\n", "}\n\n}\n\nnew\n}\n\n}\n", "insert among repeats");
	check_valid("\n\n\n", "\n\n\n\n", "blank lines only");
	check_valid("a\nb\nc\n", "c\nb\na\n", "reversed lines");
	check_valid("a\nb\na\nb", "b\na\nb\na", "swapped, no final newlines");
}

static void test_diff_random(void)
{
	static const unsigned vocabs[] = { 3, 5, 10, 50, 1000 };
	static const unsigned sizes[] = { 0, 1, 2, 5, 10, 30, 100 };
	struct buf a = BUF_INIT, b = BUF_INIT;
	int i, bad = 0;

	gnu_identical = 0;
	for (i = 0; i < 200; i++) {
		unsigned vocab = vocabs[rnd(5)];
		char desc[100];

		buf_reset(&a);
		gen_lines(&a, sizes[rnd(7)], vocab);
		gen_edit(&a, &b, vocab);
		if (rnd(5) == 0 && a.len)
			a.s[--a.len] = '\0';
		if (rnd(5) == 0 && b.len)
			b.s[--b.len] = '\0';
		snprintf(desc, sizeof desc, "random case %d (%zu vs %zu bytes)",
		    i, a.len, b.len);
		bad += !valid_diff(a.s ? a.s : "", a.len, b.s ? b.s : "", b.len,
		    desc, 1);
	}
	ok(bad == 0, "diff valid, applies with patch, minimal: 200 random cases");
	note("%d of 200 random cases byte for byte as diff -u", gnu_identical);
	buf_free(&a);
	buf_free(&b);
}

/* Time our diff of a and b; then check it against diff -u and patch. */
static void large_case(const struct buf *a, const struct buf *b,
    const char *desc, int minimal, double limit)
{
	struct buf out = BUF_INIT;
	double t = now();

	diff_unified(a->s, a->len, b->s ? b->s : "", b->len, "a", "b", &out);
	t = now() - t;
	ok(t < limit, "diff in %.3f s (limit %g s): %s", t, limit, desc);
	ok(valid_diff(a->s, a->len, b->s ? b->s : "", b->len, desc, minimal),
	    "diff valid%s: %s", minimal ? " and minimal" : "", desc);
	buf_free(&out);
}

static void test_diff_large(void)
{
	struct buf a = BUF_INIT, b = BUF_INIT, c = BUF_INIT;
	unsigned i, r;

	for (i = 0; i < 100000; i++) {
		r = rnd(1000);
		buf_addf(&a, "line %u %u\n", i, r);
		buf_addf(&c, "line %u %u\n", i, rnd(1000));
		if (rnd(200) == 0)
			buf_addf(&b, "changed %u\n", rnd(1000000));
		else if (rnd(300) != 0)
			buf_addf(&b, "line %u %u\n", i, r);
	}
	large_case(&a, &b, "100k lines, a few hundred edits", 1, 0.5);
	buf_reset(&b);
	large_case(&a, &b, "100k lines to nothing", 1, 0.5);
	ok(same_as_gnu(a.s, a.len, "", 0, "100k lines to nothing"),
	    "diff like diff -u: 100k lines to nothing");
	large_case(&a, &c, "100k lines, nearly all changed (past the edit limit)",
	    0, 3);

	buf_reset(&a);
	buf_reset(&b);
	for (i = 0; i < 20000; i++) {
		buf_addf(&a, "v%u\n", rnd(3));
		buf_addf(&b, "v%u\n", rnd(3));
	}
	large_case(&a, &b, "20k random lines of 3 kinds (past the edit limit)",
	    0, 3);
	buf_free(&a);
	buf_free(&b);
	buf_free(&c);
}

static void test_diff(void)
{
	have_diff = system("diff --version >/dev/null 2>&1") == 0 &&
	    system("patch --version >/dev/null 2>&1") == 0;
	test_diff_fixed();
	if (!have_diff) {
		skip("diff valid and minimal: random and large cases",
		    "no diff(1) or patch(1)");
		return;
	}
	test_diff_random();
	test_diff_large();
}

/* merge(base, ours, theirs): want NULL when the merge must refuse. */
static void check_merge(const char *base, const char *ours, const char *theirs,
    const char *want, const char *desc)
{
	struct buf out = BUF_INIT;
	int rc = diff_merge(base, strlen(base), ours, strlen(ours), theirs,
	    strlen(theirs), &out);

	buf_add(&out, "", 0);
	if (want == NULL)
		ok(rc < 0, "merge refuses: %s", desc);
	else {
		ok(rc == 0, "merge succeeds: %s", desc);
		is(rc == 0 ? out.s : "(refused)", want, desc);
	}
	buf_free(&out);
}

static void test_merge(void)
{
	const char *base = "a\nb=NEW\nc\nd\ne\n";
	const char *ours = "a\nb=OLD\nx=1\nc\nd\ne\n";

	check_merge(base, ours, base, ours, "theirs unchanged gives ours");
	check_merge(base, ours, "a\nb=NEW\nc\nd\nE!\n",
	    "a\nb=OLD\nx=1\nc\nd\nE!\n", "an edit two lines away is kept");
	check_merge(base, ours, "a\nb=NEW\nC!\nd\ne\n",
	    "a\nb=OLD\nx=1\nC!\nd\ne\n", "an edit on the next line is kept");
	check_merge(base, ours, "top\na\nb=NEW\nc\nd\ne\nend\n",
	    "top\na\nb=OLD\nx=1\nc\nd\ne\nend\n", "lines added at both ends are kept");
	check_merge(base, ours, "a\nb=THEIRS\nc\nd\ne\n", NULL,
	    "their edit of our own line");
	check_merge(base, ours, "a\nc\nd\ne\n", NULL, "our line deleted by them");
	check_merge("a\nb\n", "a\nmid\nb\n", "a\nb\n", "a\nmid\nb\n",
	    "a pure insertion between unchanged neighbours");
	check_merge("a\nb\n", "a\nmid\nb\n", "a\nnew\nb\n", NULL,
	    "an insertion where they inserted too");
	check_merge("a\nb\n", "a\nb\nz\n", "a\nb\nmore\n", NULL,
	    "an insertion at the end after their own");
	check_merge("a\nb", "a\nb\nc", "x\na\nb", "x\na\nb\nc",
	    "no final newline on the last line");
	check_merge("", "new\n", "", "new\n", "an empty base");
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");
	char cmd[600];

	umask(022);
	snprintf(T, sizeof T, "%s/unit-util.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(T)) {
		printf("Bail out! cannot create %s: %s\n", T, strerror(errno));
		return 1;
	}
	chmod(T, 0755);

	test_err();
	test_buf();
	test_root_path();
	test_unroot();
	test_file_read();
	test_write();
	test_mkdir_p();
	test_writable();
	test_lock();
	test_sha256();
	test_diff();
	test_merge();

	snprintf(cmd, sizeof cmd, "chmod -R u+w '%s'; rm -rf '%s'", T, T);
	if (system(cmd) != 0)
		note("cannot remove %s", T);
	return tap_done();
}
