/* replica.c: classify, move aside and initialize a replicated-log replica. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>
#include "config.h"
#include "buf.h"
#include "fileio.h"
#include "replica.h"
#ifdef HAVE_LEVELDB
#include <leveldb/c.h>
#endif

const char *const replica_state_names[] = { "absent", "foreign", "corrupt",
	"unknown", "EMPTY", "VOTING", "RECOVERING", "STARTING" };

int replica_have_leveldb(void)
{
#ifdef HAVE_LEVELDB
	return 1;
#else
	return 0;
#endif
}

static int digits_then(const char *s, const char *suffix)
{
	size_t n = strspn(s, "0123456789");

	return n > 0 && strcmp(s + n, suffix) == 0;
}

static int leveldb_name(const char *name)
{
	return strcmp(name, "CURRENT") == 0 || strcmp(name, "LOCK") == 0 ||
	    strcmp(name, "LOG") == 0 || strcmp(name, "LOG.old") == 0 ||
	    (strncmp(name, "MANIFEST-", 9) == 0 && digits_then(name + 9, "")) ||
	    digits_then(name, ".log") || digits_then(name, ".ldb") ||
	    digits_then(name, ".sst") || digits_then(name, ".dbtmp");
}

int replica_is_aside_of(const char *name, const char *base)
{
	size_t n = strlen(base);
	const char *s = name + n;

	if (strncmp(name, base, n) != 0 || strncmp(s, ".aside-", 7) != 0)
		return 0;
	s += 7;
	if (strspn(s, "0123456789") != 8 || s[8] != 'T' ||
	    strspn(s + 9, "0123456789") != 6 || s[15] != 'Z')
		return 0;
	s += 16;
	return *s == '\0' || (*s == '-' && digits_then(s + 1, ""));
}

static const char *base_of(const char *path)
{
	const char *b = strrchr(path, '/');

	return b && b[1] ? b + 1 : path;
}

static char *parent_of(const char *path)
{
	const char *b = strrchr(path, '/');

	if (b == NULL)
		return xstrdup(".");
	return b == path ? xstrdup("/") : xstrndup(path, b - path);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Entry names of a directory, sorted; NULL on error (errno set). */
static char **list_dir(const char *path, size_t *n)
{
	DIR *d = opendir(path);
	struct dirent *de;
	char **v = NULL;

	*n = 0;
	if (d == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		v = xrealloc(v, (*n + 2) * sizeof *v);
		v[(*n)++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (v == NULL)
		v = xcalloc(1, sizeof *v);
	v[*n] = NULL;
	qsort(v, *n, sizeof *v, cmp_str);
	return v;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* A directory inside a mount point that is not LevelDB's but ours or
 * the filesystem's: lost+found, and files moved aside into it. */
static int ignorable(const char *path, const char *name, const struct stat *st)
{
	return S_ISDIR(st->st_mode) && (strcmp(name, "lost+found") == 0 ||
	    replica_is_aside_of(name, base_of(path)));
}

static int scan(const char *path, struct replica *r, struct err *e)
{
	size_t n;
	char **names = list_dir(path, &n);

	if (names == NULL)
		return errf(e, EXIT_FAIL, "cannot read %s: %m", path);
	for (size_t i = 0; i < n; i++) {
		char *p = xasprintf("%s/%s", path, names[i]);
		struct stat st;
		if (lstat(p, &st) < 0) {
			errf(e, EXIT_FAIL, "cannot read %s: %m", p);
			free(p);
			free_list(names, n);
			return -1;
		}
		if (S_ISREG(st.st_mode) && leveldb_name(names[i])) {
			r->files = xrealloc(r->files, (r->nfiles + 1) * sizeof *r->files);
			r->files[r->nfiles++] = xstrdup(names[i]);
		} else if (!(r->mount_point && ignorable(path, names[i], &st)) &&
		    r->state != RS_FOREIGN) {
			r->state = RS_FOREIGN;
			r->reason = xstrdup(p);
		}
		free(p);
	}
	free_list(names, n);
	return 0;
}

static void test_lock(const char *path, struct replica *r)
{
	char *lock = xasprintf("%s/LOCK", path);
	int fd = open(lock, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };

	if (fd >= 0 && fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK) {
		r->locked = 1;
		r->lock_pid = fl.l_pid;
	}
	if (fd >= 0)
		close(fd);
	free(lock);
}

#ifdef HAVE_LEVELDB
/* The protobuf wire format, as much as Mesos's Record needs. */
struct pb {
	const unsigned char *p, *end;
};

static int pb_varint(struct pb *b, uint64_t *v)
{
	*v = 0;
	for (int shift = 0; shift < 64; shift += 7) {
		if (b->p >= b->end)
			return -1;
		*v |= (uint64_t)(*b->p & 0x7f) << shift;
		if (!(*b->p++ & 0x80))
			return 0;
	}
	return -1;
}

/* The next field: its number and wire type, its varint or its bytes. */
static int pb_next(struct pb *b, int *field, int *wire, uint64_t *v,
    struct pb *sub)
{
	uint64_t key, len;

	if (pb_varint(b, &key) < 0)
		return -1;
	*field = (int)(key >> 3);
	*wire = key & 7;
	switch (*wire) {
	case 0:
		return pb_varint(b, v);
	case 1: case 5:
		len = *wire == 1 ? 8 : 4;
		break;
	case 2:
		if (pb_varint(b, &len) < 0)
			return -1;
		break;
	default:
		return -1;
	}
	if (len > (uint64_t)(b->end - b->p))
		return -1;
	sub->p = b->p;
	sub->end = b->p + len;
	b->p += len;
	return 0;
}

/* Varint fields 1..7 of a message (an enum out of range counts as
 * absent, as protobuf does) and its message fields 1..8. */
struct msg {
	uint64_t v[8];
	int has[8];
	struct pb sub[9];
	int has_sub[9];
};

static int pb_parse(struct pb b, struct msg *m)
{
	int field, wire;
	uint64_t v;
	struct pb sub;

	memset(m, 0, sizeof *m);
	while (b.p < b.end) {
		if (pb_next(&b, &field, &wire, &v, &sub) < 0)
			return -1;
		if (wire == 0 && field > 0 && field < 8) {
			m->v[field] = v;
			m->has[field] = 1;
		} else if (wire == 2 && field > 0 && field < 9) {
			m->sub[field] = sub;
			m->has_sub[field] = 1;
		}
	}
	return 0;
}

static int action(struct replica *r, struct pb b)
{
	struct msg a, t;

	if (pb_parse(b, &a) < 0 || !a.has[1] || !a.has[2])
		return -1;
	if (a.has_sub[8] && (pb_parse(a.sub[8], &t) < 0 || !t.has[1]))
		return -1;
	if (r->entries == 0 || a.v[1] < r->first)
		r->first = a.v[1];
	if (r->entries == 0 || a.v[1] > r->last)
		r->last = a.v[1];
	r->entries++;
	return 0;
}

/* One record as Mesos's LevelDBStorage::restore() reads it: -1 when
 * Mesos would fail on it. */
static int record(struct replica *r, const char *v, size_t n)
{
	struct pb b = { (const unsigned char *)v, (const unsigned char *)v + n };
	struct msg rec, m;

	if (pb_parse(b, &rec) < 0 || !rec.has[1])
		return -1;
	switch (rec.v[1]) {
	case 1:		/* PROMISE, before Mesos 0.17 */
		if (!rec.has_sub[2] || pb_parse(rec.sub[2], &m) < 0 || !m.has[1])
			return -1;
		r->legacy = 1;
		r->promised = m.v[1];
		r->state = RS_VOTING;
		return 0;
	case 2:
		return rec.has_sub[3] ? action(r, rec.sub[3]) : -1;
	case 3:
		if (!rec.has_sub[4] || pb_parse(rec.sub[4], &m) < 0 ||
		    !m.has[1] || m.v[1] < 1 || m.v[1] > 4 || !m.has[2])
			return -1;
		r->promised = m.v[2];
		r->state = m.v[1] == 1 ? RS_VOTING : m.v[1] == 2 ? RS_RECOVERING :
		    m.v[1] == 3 ? RS_STARTING : RS_EMPTY;
		return 0;
	}
	return -1;
}

static leveldb_options_t *options(void)
{
	leveldb_options_t *o = leveldb_options_create();

	leveldb_options_set_create_if_missing(o, 1);
	leveldb_options_set_compression(o, leveldb_no_compression);
	return o;
}

/* LevelDB's message about the scratch copy, naming the replica instead. */
static void corrupt(struct replica *r, const char *msg, const char *scratch,
    const char *path)
{
	struct buf b = BUF_INIT;
	size_t n = strlen(scratch);
	const char *p;

	for (p = msg; (p = strstr(msg, scratch)) != NULL; msg = p + n) {
		buf_add(&b, msg, p - msg);
		buf_adds(&b, path);
	}
	buf_adds(&b, msg);
	r->state = RS_CORRUPT;
	free(r->reason);
	r->reason = buf_detach(&b);
}

static void iterate(leveldb_t *db, struct replica *r, const char *scratch,
    const char *path)
{
	leveldb_readoptions_t *ro = leveldb_readoptions_create();
	leveldb_iterator_t *it;
	char *err = NULL;
	int bad = 0;

	leveldb_readoptions_set_verify_checksums(ro, 1);
	leveldb_readoptions_set_fill_cache(ro, 0);
	it = leveldb_create_iterator(db, ro);
	r->state = RS_EMPTY;
	for (leveldb_iter_seek_to_first(it); !bad && leveldb_iter_valid(it);
	    leveldb_iter_next(it)) {
		size_t kn, vn;
		const char *k = leveldb_iter_key(it, &kn);
		const char *v = leveldb_iter_value(it, &vn);
		if (record(r, v, vn) < 0) {
			char *m = xasprintf("record %.*s: not a Mesos log record (Mesos: Failed to deserialize record)",
			    (int)(kn > 40 ? 40 : kn), k);
			corrupt(r, m, scratch, path);
			free(m);
			bad = 1;
		}
	}
	leveldb_iter_get_error(it, &err);
	if (err && !bad)
		corrupt(r, err, scratch, path);
	leveldb_free(err);
	leveldb_iter_destroy(it);
	leveldb_readoptions_destroy(ro);
}

static int copy_file(const char *from, const char *to, struct err *e)
{
	int in = open(from, O_RDONLY | O_CLOEXEC | O_NOFOLLOW), out = -1;
	char chunk[65536];
	ssize_t n = 0;

	if (in < 0)
		return errf(e, EXIT_FAIL, "cannot read %s: %m", from);
	out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	while (out >= 0 && (n = read(in, chunk, sizeof chunk)) > 0)
		if (write(out, chunk, n) != n) {
			n = -2;
			break;
		}
	if (out < 0 || n == -2)
		errf(e, EXIT_FAIL, "cannot copy %s to %s: %m", from, to);
	else if (n < 0)
		errf(e, EXIT_FAIL, "cannot read %s: %m", from);
	close(in);
	if (out >= 0)
		close(out);
	return out < 0 || n < 0 ? -1 : 0;
}

/* Empty and remove a scratch folder: a real folder (never a link to one),
 * and with only_ours one of this user's (a leftover in a shared $TMPDIR
 * could be anyone's). */
static void remove_scratch(const char *dir, int only_ours)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	struct dirent *de;
	DIR *d;

	if (fd < 0)
		return;
	if (fstat(fd, &st) < 0 || (only_ours && st.st_uid != geteuid()) ||
	    (d = fdopendir(fd)) == NULL) {
		close(fd);
		return;
	}
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			unlinkat(fd, de->d_name, 0);
	closedir(d);
	rmdir(dir);
}

/*
 * LevelDB opens a scratch folder, never the replica: it would take LOCK
 * and write. Tables (*.ldb, *.sst) are immutable and LevelDB only reads
 * them, so they are hard-linked when the scratch folder is on the
 * replica's filesystem ($TMPDIR, else a private folder beside the
 * replica); the rest (CURRENT, MANIFEST, the logs) is copied. Scratch
 * folders are ".aurora-restore-scratch.<pid>.XXXXXX": one whose process
 * is gone is a crash leftover and goes.
 */
#define SCRATCH ".aurora-restore-scratch."

static void clean_stale_scratch(const char *dir)
{
	size_t n;
	char **names = list_dir(dir, &n);
	size_t len = strlen(SCRATCH);

	for (size_t i = 0; names && i < n; i++) {
		char *p, *end;
		long pid;
		if (strncmp(names[i], SCRATCH, len) != 0)
			continue;
		pid = strtol(names[i] + len, &end, 10);
		if (pid <= 0 || *end != '.' || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		p = xasprintf("%s/%s", dir, names[i]);
		remove_scratch(p, 1);
		free(p);
	}
	if (names)
		free_list(names, n);
}

static char *scratch_in(const char *where)
{
	char *dir = xasprintf("%s/" SCRATCH "%ld.XXXXXX", where, (long)getpid());

	clean_stale_scratch(where);
	if (mkdtemp(dir) != NULL)
		return dir;
	free(dir);
	return NULL;
}

/* The scratch folder; *linkable when it is on the replica's filesystem. */
static char *make_scratch(const char *path, const struct stat *st,
    int *linkable)
{
	const char *tmp = getenv("TMPDIR");
	char *parent = parent_of(path), *dir = NULL;
	const char *where[] = { tmp && *tmp ? tmp : "/tmp", parent };
	struct stat w;

	*linkable = 1;
	for (int i = 0; i < 2 && dir == NULL; i++)
		if (stat(where[i], &w) == 0 && w.st_dev == st->st_dev)
			dir = scratch_in(where[i]);
	if (dir == NULL) {
		*linkable = 0;
		dir = scratch_in(where[0]);
	}
	free(parent);
	return dir;
}

static int is_table(const char *name)
{
	return digits_then(name, ".ldb") || digits_then(name, ".sst");
}

/* Bytes free for an unprivileged writer in dir. */
static unsigned long long free_bytes(const char *dir)
{
	struct statvfs v;

	if (statvfs(dir, &v) < 0)
		return 0;
	return (unsigned long long)v.f_bavail * v.f_frsize;
}

#define MB(x) (((x) + (1 << 20) - 1) >> 20)

/* Link or copy the replica's files into dir. On failure *why says what
 * stopped it and what to do. */
static int fill_scratch(const char *path, const struct replica *r,
    const char *dir, int linkable, char **why)
{
	char **copy = xcalloc(r->nfiles + 1, sizeof *copy);
	unsigned long long need = 0, have;
	size_t ncopy = 0;
	struct err e = { 0 };
	int rc = 0;

	for (size_t i = 0; i < r->nfiles; i++) {
		const char *f = r->files[i];
		char *from = xasprintf("%s/%s", path, f), *to = xasprintf("%s/%s", dir, f);
		struct stat st;
		if (strcmp(f, "LOCK") == 0 || strncmp(f, "LOG", 3) == 0 ||
		    (linkable && is_table(f) && link(from, to) == 0)) {
			free(from);
			free(to);
			continue;
		}
		if (stat(from, &st) == 0)
			need += st.st_size;
		copy[ncopy++] = from;
		free(to);
	}
	have = free_bytes(dir);
	if (need + (1 << 20) > have) {
		char *parent = parent_of(path);
		*why = xasprintf("the records were not read: that needs %llu MB in %s, which has %llu MB free (set TMPDIR to a folder with room, best on the replica's filesystem, e.g. %s, where nothing is copied)",
		    MB(need), dir, have >> 20, parent);
		free(parent);
		rc = -1;
	}
	for (size_t i = 0; rc == 0 && i < ncopy; i++) {
		char *to = xasprintf("%s%s", dir, strrchr(copy[i], '/'));
		if ((rc = copy_file(copy[i], to, &e)) < 0)
			*why = xasprintf("the records were not read: %s", e.msg);
		free(to);
	}
	for (size_t i = 0; i < ncopy; i++)
		free(copy[i]);
	free(copy);
	return rc;
}

static void open_scratch(const char *dir, const char *path, struct replica *r)
{
	leveldb_options_t *o = options();
	leveldb_t *db;
	char *err = NULL;

	db = leveldb_open(o, dir, &err);
	if (err)
		corrupt(r, err, dir, path);
	else {
		iterate(db, r, dir, path);
		leveldb_close(db);
	}
	leveldb_free(err);
	leveldb_options_destroy(o);
}

/* A scratch folder made and removed in parent changed its times: put
 * them back, log-status changes nothing. */
static void keep_times(const char *parent, const struct stat *was,
    const char *dir)
{
	size_t n = strlen(parent);
	struct timespec t[2] = { was->st_atim, was->st_mtim };

	if (dir && strncmp(dir, parent, n) == 0 && dir[n] == '/' &&
	    strchr(dir + n + 1, '/') == NULL)
		utimensat(AT_FDCWD, parent, t, AT_SYMLINK_NOFOLLOW);
}

/* The records, through a scratch folder. What keeps them from being read
 * (no room, no scratch folder) leaves the state unknown, with the reason. */
static int read_contents(const char *path, struct replica *r, struct err *e)
{
	int linkable;
	char *parent = parent_of(path);
	struct stat pst;
	int had = lstat(parent, &pst) == 0;
	char *dir = make_scratch(path, &r->st, &linkable), *why = NULL;

	(void)e;
	if (dir == NULL) {
		const char *tmp = getenv("TMPDIR");
		why = xasprintf("the records were not read: cannot make a scratch folder in %s: %m (set TMPDIR to a writable folder)",
		    tmp && *tmp ? tmp : "/tmp");
	} else if (fill_scratch(path, r, dir, linkable, &why) == 0)
		open_scratch(dir, path, r);
	if (why) {
		r->state = RS_UNKNOWN;
		free(r->reason);
		r->reason = why;
	}
	if (dir)
		remove_scratch(dir, 0);
	if (had)
		keep_times(parent, &pst, dir);
	free(parent);
	free(dir);
	return 0;
}
#else
static int read_contents(const char *path, struct replica *r, struct err *e)
{
	r->state = RS_UNKNOWN;
	r->reason = xstrdup("built without libleveldb: the records were not read");
	return 0;
}
#endif

int replica_classify(const char *path, struct replica *r, struct err *e)
{
	struct stat up;
	char *parent = parent_of(path);
	int rc;

	memset(r, 0, sizeof *r);
	rc = stat(path, &r->st);
	if (rc == 0 && stat(parent, &up) == 0)
		r->mount_point = up.st_dev != r->st.st_dev;
	free(parent);
	if (rc < 0 && errno == ENOENT) {
		r->state = RS_ABSENT;
		return 0;
	}
	if (rc < 0)
		return errf(e, EXIT_FAIL, "cannot read %s: %m", path);
	if (!S_ISDIR(r->st.st_mode))
		return errf(e, EXIT_DATA, "%s is not a directory", path);
	if (scan(path, r, e) < 0)
		return -1;
	test_lock(path, r);
	if (r->state == RS_FOREIGN)
		return 0;
	for (size_t i = 0; i < r->nfiles; i++)
		if (strcmp(r->files[i], "LOCK") && strcmp(r->files[i], "LOG") &&
		    strcmp(r->files[i], "LOG.old"))
			return read_contents(path, r, e);
	r->state = RS_EMPTY;
	r->reason = xstrdup(r->nfiles ? "no LevelDB data files" : "no files");
	return 0;
}

void replica_free(struct replica *r)
{
	free(r->reason);
	free(r->link);
	free_list(r->files, r->nfiles);
	memset(r, 0, sizeof *r);
}

/* A numeric User= (systemd takes a UID as well as a name). */
static int is_uid_of(const char *name, uid_t uid)
{
	char *end;
	unsigned long long n;

	if (*name < '0' || *name > '9')
		return 0;
	n = strtoull(name, &end, 10);
	return *end == '\0' && n == (unsigned long long)uid;
}

int replica_user_lookup(const char *root, const char *name,
    struct replica_user *u, struct err *e)
{
	char *pwpath = root_path(root, "/etc/passwd");
	char *grpath = root_path(root, "/etc/group");
	FILE *f = fopen(pwpath, "re");
	struct passwd *pw;
	struct group *gr;
	int rc = -1;

	memset(u, 0, sizeof *u);
	if (f == NULL) {
		errf(e, EXIT_DATA, "cannot read %s to find user %s: %m", pwpath, name);
		goto out;
	}
	while ((pw = fgetpwent(f)) != NULL && strcmp(pw->pw_name, name) != 0 &&
	    !is_uid_of(name, pw->pw_uid))
		;
	if (pw == NULL) {
		errf(e, EXIT_DATA, "%s: no user %s (give the scheduler's user with --user)", pwpath, name);
		fclose(f);
		goto out;
	}
	u->name = xstrdup(pw->pw_name);
	u->uid = pw->pw_uid;
	u->gid = pw->pw_gid;
	fclose(f);
	if ((f = fopen(grpath, "re")) != NULL) {
		while ((gr = fgetgrent(f)) != NULL)
			for (char **m = gr->gr_mem; m && *m; m++)
				if (strcmp(*m, u->name) == 0 && u->ngroups < 32)
					u->groups[u->ngroups++] = gr->gr_gid;
		fclose(f);
	}
	rc = 0;
out:
	free(pwpath);
	free(grpath);
	return rc;
}

void replica_user_free(struct replica_user *u)
{
	free(u->name);
	memset(u, 0, sizeof *u);
}

static int may(const struct stat *st, const struct replica_user *u, int want)
{
	int bits, group = st->st_gid == u->gid;

	if (u->uid == 0)
		return 1;
	for (int i = 0; i < u->ngroups; i++)
		group = group || st->st_gid == u->groups[i];
	if (st->st_uid == u->uid)
		bits = st->st_mode >> 6 & 7;
	else if (group)
		bits = st->st_mode >> 3 & 7;
	else
		bits = st->st_mode & 7;
	return (bits & want) == want;
}

char *replica_access_problem(const char *path, const struct replica *r,
    const struct replica_user *u)
{
	struct stat st;

	if (r->state == RS_ABSENT)
		return NULL;
	if (!may(&r->st, u, 7))
		return xasprintf("%s: owner %d:%d mode %04o: %s cannot create files in it",
		    path, (int)r->st.st_uid, (int)r->st.st_gid,
		    (unsigned)(r->st.st_mode & 07777), u->name);
	for (size_t i = 0; i < r->nfiles; i++) {
		char *p = xasprintf("%s/%s", path, r->files[i]);
		if (lstat(p, &st) == 0 && !may(&st, u, 6)) {
			char *s = xasprintf("%s: owner %d:%d mode %04o: %s cannot open it for writing",
			    p, (int)st.st_uid, (int)st.st_gid,
			    (unsigned)(st.st_mode & 07777), u->name);
			free(p);
			return s;
		}
		free(p);
	}
	return NULL;
}

int replica_chown(const char *path, const struct replica_user *u,
    mode_t dirmode, struct err *e)
{
	size_t n;
	char **names = list_dir(path, &n);
	int rc = 0;

	if (names == NULL)
		return errf(e, EXIT_FAIL, "cannot read %s: %m", path);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		char *p = xasprintf("%s/%s", path, names[i]);
		struct stat st;
		if (lstat(p, &st) == 0 && S_ISREG(st.st_mode) &&
		    lchown(p, u->uid, u->gid) < 0)
			rc = errf(e, EXIT_FAIL, "cannot give %s to %s: %m", p, u->name);
		free(p);
	}
	free_list(names, n);
	if (rc == 0 && chown(path, u->uid, u->gid) < 0)
		rc = errf(e, EXIT_FAIL, "cannot give %s to %s: %m", path, u->name);
	if (rc == 0 && chmod(path, dirmode) < 0)
		rc = errf(e, EXIT_FAIL, "cannot chmod %s: %m", path);
	return rc;
}

char *replica_aside_name(const char *path, time_t now)
{
	struct tm tm;
	char stamp[32];

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
	return xasprintf("%s.aside-%s", path, stamp);
}

char *replica_real_path(const char *root, const char *path)
{
	char *parent = parent_of(path), *rp = root_path(root, parent);
	char *real = xasprintf("%s%s%s", rp, rp[strlen(rp) - 1] == '/' ? "" :
	    "/", base_of(path));

	free(parent);
	free(rp);
	return real;
}

static char *replica_link(const char *real)
{
	char target[4096];
	struct stat st;
	ssize_t n;

	if (lstat(real, &st) < 0 || !S_ISLNK(st.st_mode))
		return NULL;
	n = readlink(real, target, sizeof target - 1);
	return xstrndup(target, n > 0 ? (size_t)n : 0);
}

int replica_classify_under(const char *root, const char *path,
    struct replica *r, struct err *e)
{
	char *real = replica_real_path(root, path);
	char *link = replica_link(real), *resolved = root_path(root, path);
	int rc = replica_classify(resolved, r, e);

	r->link = link;
	free(real);
	free(resolved);
	return rc;
}

/* The time in an aside's name, or -1. */
static time_t aside_time(const char *name)
{
	const char *s = strstr(name, ".aside-");
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	if (s == NULL || strptime(s + 7, "%Y%m%dT%H%M%SZ", &tm) == NULL)
		return -1;
	return timegm(&tm);
}

static char *last_aside_in(const char *dir, const char *base, time_t since)
{
	size_t n, m;
	char **names = list_dir(dir, &n), *found = NULL;

	for (size_t i = n; names && i-- > 0 && !found;) {
		char *p = xasprintf("%s/%s", dir, names[i]), **in;
		if (replica_is_aside_of(names[i], base) &&
		    aside_time(names[i]) >= since && (in = list_dir(p, &m)) != NULL) {
			if (m > 0)
				found = xstrdup(p);
			free_list(in, m);
		}
		free(p);
	}
	if (names)
		free_list(names, n);
	return found;
}

char *replica_last_aside(const char *path, const char *aside_dir,
    time_t since)
{
	char *parent = parent_of(path);
	char *a = last_aside_in(parent, base_of(path), since);

	if (a == NULL && aside_dir)
		a = last_aside_in(aside_dir, base_of(path), since);
	free(parent);
	return a;
}

int replica_fsync_dir(const char *path, struct err *e)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc = 0;

	if (fd < 0 || fsync(fd) < 0)
		rc = errf(e, EXIT_FAIL, "cannot fsync %s: %m", path);
	if (fd >= 0)
		close(fd);
	return rc;
}

static int fsync_parent(const char *path, struct err *e)
{
	char *p = parent_of(path);
	int rc = replica_fsync_dir(p, e);

	free(p);
	return rc;
}

/* Rename or mkdir to name, else name-2 ... name-9 when taken; *out gets
 * the name used. -1 with errno. */
static int take_name(const char *from, const char *name, char **out)
{
	for (int i = 1; i < 10; i++) {
		char *n = i == 1 ? xstrdup(name) : xasprintf("%s-%d", name, i);
		int rc = from ? renameat2(AT_FDCWD, from, AT_FDCWD, n, RENAME_NOREPLACE) :
		    mkdir(n, 0700);
		if (rc == 0) {
			*out = n;
			return 0;
		}
		free(n);
		if (errno != EEXIST)
			return -1;
	}
	return -1;
}

/* Move every entry of from (but the asides and lost+found of a mount
 * point) into the directory to. */
static int move_entries(const char *from, const char *to, int skip_ours,
    struct err *e)
{
	size_t n;
	char **names = list_dir(from, &n);
	int rc = 0;

	if (names == NULL)
		return errf(e, EXIT_FAIL, "cannot read %s: %m", from);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		char *a = xasprintf("%s/%s", from, names[i]);
		char *b = xasprintf("%s/%s", to, names[i]);
		struct stat st;
		if (lstat(a, &st) == 0 && skip_ours && ignorable(from, names[i], &st))
			;
		else if (renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_NOREPLACE) < 0)
			rc = errf(e, EXIT_FAIL, "cannot move %s to %s: %m (what moved so far is in %s)",
			    a, b, to);
		free(a);
		free(b);
	}
	free_list(names, n);
	if (rc == 0)
		rc = replica_fsync_dir(to, e);
	if (rc == 0)
		rc = replica_fsync_dir(from, e);
	return rc;
}

static int move_files_aside(const char *path, const char *aside_dir,
    time_t now, char **aside, struct err *e)
{
	struct stat a, p;
	char *base = xasprintf("%s/%s", aside_dir, base_of(path));
	char *name = replica_aside_name(base, now);
	int rc = -1;

	if (stat(aside_dir, &a) < 0 || !S_ISDIR(a.st_mode))
		errf(e, EXIT_DATA, "--aside %s: not a directory", aside_dir);
	else if (stat(path, &p) < 0)
		errf(e, EXIT_FAIL, "cannot read %s: %m", path);
	else if (a.st_dev != p.st_dev)
		errf(e, EXIT_REFUSED, "--aside %s is on another filesystem than %s: files are only renamed, never copied (give a directory inside %s)",
		    aside_dir, path, path);
	else if (take_name(NULL, name, aside) < 0)
		errf(e, EXIT_FAIL, "cannot make %s: %m", name);
	else
		rc = move_entries(path, *aside, 1, e);
	free(base);
	free(name);
	return rc;
}

int replica_move_aside(const char *path, const char *aside_dir, time_t now,
    char **aside, struct err *e)
{
	char *name = replica_aside_name(path, now);
	int rc = take_name(path, name, aside);

	free(name);
	*aside = rc == 0 ? *aside : NULL;
	if (rc == 0)
		return fsync_parent(path, e);
	if (errno != EBUSY && errno != EXDEV)
		return errf(e, EXIT_FAIL, "cannot move %s aside: %m", path);
	if (aside_dir == NULL)
		return errf(e, EXIT_REFUSED, "%s is a mount point (rename: %m): give --aside DIR, a directory on its filesystem (e.g. %s itself), to move its files into",
		    path, path);
	return move_files_aside(path, aside_dir, now, aside, e);
}

int replica_move_back(const char *aside, const char *path, struct err *e)
{
	struct stat st;

	if (lstat(path, &st) < 0) {
		if (renameat2(AT_FDCWD, aside, AT_FDCWD, path, RENAME_NOREPLACE) < 0)
			return errf(e, EXIT_FAIL, "cannot move %s to %s: %m", aside, path);
		return fsync_parent(path, e);
	}
	if (move_entries(aside, path, 0, e) < 0)
		return -1;
	if (rmdir(aside) < 0)
		return errf(e, EXIT_FAIL, "cannot remove the emptied %s: %m", aside);
	return fsync_parent(aside, e);
}

int replica_init_native(const char *path, struct err *e)
{
#ifdef HAVE_LEVELDB
	static const char value[] = { 0x08, 0x03, 0x22, 0x04, 0x08, 0x01, 0x10, 0x00 };
	leveldb_options_t *o = options();
	leveldb_writeoptions_t *wo = leveldb_writeoptions_create();
	leveldb_t *db;
	char *err = NULL;
	int rc = 0;

	leveldb_options_set_error_if_exists(o, 1);
	leveldb_writeoptions_set_sync(wo, 1);
	db = leveldb_open(o, path, &err);
	if (err == NULL) {
		leveldb_put(db, wo, "0000000000", 10, value, sizeof value, &err);
		if (err == NULL)
			leveldb_compact_range(db, NULL, 0, NULL, 0);
		leveldb_close(db);
	}
	if (err)
		rc = errf(e, EXIT_FAIL, "cannot initialize %s: %s", path, err);
	leveldb_free(err);
	leveldb_writeoptions_destroy(wo);
	leveldb_options_destroy(o);
	return rc == 0 ? replica_fsync_dir(path, e) : rc;
#else
	return errf(e, EXIT_FAIL, "cannot initialize %s natively: built without libleveldb (install mesos-log or give --mesos-log)", path);
#endif
}
