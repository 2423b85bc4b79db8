/* fileio.c: whole-file reads, atomic writes, mkdir -p and the run lock. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>
#include "fileio.h"
#include "timeamt.h"

void crash_point(const char *step, const char *path)
{
	static long after = -1, n;
	static const char *log;

	if (after < 0) {
		const char *v = getenv("AURORA_RESTORE_TEST_CRASH_AFTER");
		after = v && *v ? atol(v) : 0;
		log = getenv("AURORA_RESTORE_TEST_STEPS");
	}
	n++;
	if (log && *log) {
		FILE *f = fopen(log, "ae");
		if (f) {
			fprintf(f, "%ld %s %s\n", n, step, path);
			fclose(f);
		}
	}
	if (after > 0 && n == after)
		kill(getpid(), SIGKILL);
}

/* Drop the last component of a path relative to the root ("" stays ""). */
static void pop_component(struct buf *cur)
{
	while (cur->len > 0 && cur->s[cur->len - 1] != '/')
		cur->len--;
	if (cur->len > 0)
		cur->len--;
	cur->s[cur->len] = '\0';
}

/*
 * Resolve path as the host would see it with root as "/": every symlink
 * on the way is followed inside the root (an absolute target starts again
 * at the root; ".." never climbs above it), so nothing outside the root
 * is ever read or written.
 */
char *root_path(const char *root, const char *path)
{
	struct buf cur = BUF_INIT, rest = BUF_INIT;
	char link[PATH_MAX], *real;
	size_t n;
	int hops = 0;

	if (!root || !*root || strcmp(root, "/") == 0)
		return xstrdup(path);
	n = strlen(root);
	while (n > 0 && root[n - 1] == '/')
		n--;
	buf_add(&cur, "", 0);
	buf_adds(&rest, path);
	while (rest.len > 0) {
		size_t skip = strspn(rest.s, "/"), len = strcspn(rest.s + skip, "/");
		char *comp = xstrndup(rest.s + skip, len);
		char *tail = xstrdup(rest.s + skip + len);
		ssize_t l = -1;

		buf_reset(&rest);
		buf_adds(&rest, tail);
		free(tail);
		if (*comp == '\0' || strcmp(comp, ".") == 0) {
			free(comp);
			continue;
		}
		if (strcmp(comp, "..") == 0) {
			pop_component(&cur);
			free(comp);
			continue;
		}
		real = xasprintf("%.*s%s/%s", (int)n, root, cur.s, comp);
		if (hops < 40)
			l = readlink(real, link, sizeof link - 1);
		free(real);
		if (l > 0) {
			char *more = xstrdup(rest.s);
			link[l] = '\0';
			hops++;
			if (link[0] == '/')
				buf_reset(&cur), buf_add(&cur, "", 0);
			buf_reset(&rest);
			buf_addf(&rest, "%s/%s", link, more);
			free(more);
		} else
			buf_addf(&cur, "/%s", comp);
		free(comp);
	}
	real = xasprintf("%.*s%s", (int)n, root, cur.len ? cur.s : "/");
	buf_free(&cur);
	buf_free(&rest);
	return real;
}

int root_typed_path(const char *root, const char *path, const char *what,
    struct err *e)
{
	size_t n = root ? strlen(root) : 0;
	char *real;
	int there;

	while (n > 0 && root[n - 1] == '/')
		n--;
	if (n == 0 || strncmp(path, root, n) != 0 || (path[n] != '/' && path[n]))
		return 0;
	real = root_path(root, path);
	there = access(real, F_OK) == 0;
	free(real);
	return there ? 0 : errf(e, EXIT_USAGE,
	    "%s %s is already under --root %.*s; give the host path %s",
	    what, path, (int)n, root, path[n] ? path + n : "/");
}

/* "/etc/x" -> "/etc", "/x" -> "/", "x" -> "." */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t n;

	if (!slash)
		return xstrdup(".");
	n = (size_t)(slash - path);
	while (n > 0 && path[n - 1] == '/')
		n--;
	return n ? xstrndup(path, n) : xstrdup("/");
}

/* The file a write to path really replaces: a symlink's target. */
static char *resolve(const char *path, struct err *e)
{
	struct stat st;
	char *real;

	if (lstat(path, &st) < 0 || !S_ISLNK(st.st_mode))
		return xstrdup(path);
	real = realpath(path, NULL);
	if (!real)
		errf(e, EXIT_FAIL, "cannot resolve symlink %s: %s", path,
		    strerror(errno));
	return real;
}

int file_read(const char *path, struct buf *out, struct file_meta *meta,
    int missing_ok, struct err *e)
{
	char chunk[65536];
	struct stat st;
	ssize_t n;
	int fd;

	buf_reset(out);
	buf_add(out, "", 0);
	if (meta)
		memset(meta, 0, sizeof *meta);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT && missing_ok)
			return 0;
		return errf(e, EXIT_FAIL, "cannot read %s: %s", path,
		    strerror(errno));
	}
	if (fstat(fd, &st) < 0) {
		int err = errno;

		close(fd);
		return errf(e, EXIT_FAIL, "cannot read %s: %s", path,
		    strerror(err));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return errf(e, EXIT_FAIL, "cannot read %s: %s", path,
		    S_ISDIR(st.st_mode) ? strerror(EISDIR) : "not a regular file");
	}
	while ((n = read(fd, chunk, sizeof chunk)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = errno;

			close(fd);
			buf_reset(out);
			return errf(e, EXIT_FAIL, "cannot read %s: %s", path,
			    strerror(err));
		}
		buf_add(out, chunk, (size_t)n);
	}
	close(fd);
	if (meta) {
		meta->exists = 1;
		meta->mode = st.st_mode & 07777;
		meta->uid = st.st_uid;
		meta->gid = st.st_gid;
		meta->mtime = st.st_mtim;
	}
	return 0;
}

static int write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

int file_sync_dir(const char *dir, struct err *e)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0 || (fsync(fd) < 0 && errno != EINVAL)) {
		int err = errno;

		if (fd >= 0)
			close(fd);
		return errf(e, EXIT_FAIL, "cannot fsync directory %s: %s", dir,
		    strerror(err));
	}
	close(fd);
	return 0;
}

/*
 * A meta that says "does not exist" carries no attributes and counts as
 * none. Ownership is only changed when it differs, so that a non-root
 * run can rewrite its own files.
 */
int file_write_atomic(const char *path, const char *data, size_t len,
    const struct file_meta *meta, int keep_mtime, int *written,
    struct err *e)
{
	struct buf old = BUF_INIT;
	struct file_meta cur;
	struct stat st;
	char *real, *dir = NULL, *tmp = NULL;
	const char *base;
	int fd = -1, created = 0, own, rc = -1;
	mode_t mode;
	uid_t uid;
	gid_t gid;

	if (written)
		*written = 0;
	if (meta && !meta->exists)
		meta = NULL;
	real = resolve(path, e);
	if (!real)
		return -1;

	if (stat(real, &st) == 0 && !S_ISREG(st.st_mode)) {
		errf(e, EXIT_FAIL, "cannot write %s: %s", real,
		    S_ISDIR(st.st_mode) ? strerror(EISDIR) : "not a regular file");
		goto out;
	}
	if (file_read(real, &old, &cur, 1, e) < 0)
		goto out;
	if (cur.exists && old.len == len && (len == 0 || !memcmp(old.s, data, len)) &&
	    (!meta || ((meta->mode & 07777) == cur.mode &&
	    meta->uid == cur.uid && meta->gid == cur.gid))) {
		rc = 0;
		goto out;
	}

	if (meta) {
		mode = meta->mode & 07777;
		uid = meta->uid;
		gid = meta->gid;
		own = 1;
	} else if (cur.exists) {
		mode = cur.mode;
		uid = cur.uid;
		gid = cur.gid;
		own = 1;
	} else {
		mode = 0644;
		uid = 0;
		gid = 0;
		own = geteuid() == 0;
	}

	dir = dir_of(real);
	base = strrchr(real, '/');
	base = base ? base + 1 : real;
	file_clean_temps(real);
	tmp = xasprintf("%.*s.%s" TEMP_TAG "XXXXXX", (int)(base - real), real, base);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		errf(e, EXIT_FAIL, "cannot create temporary file for %s: %s",
		    real, strerror(errno));
		goto out;
	}
	created = 1;

	if (write_all(fd, data, len) < 0) {
		errf(e, EXIT_FAIL, "cannot write %s: %s", real, strerror(errno));
		goto out;
	}
	crash_point("write", tmp);
	if (own && fstat(fd, &st) < 0) {
		errf(e, EXIT_FAIL, "cannot stat %s: %s", real, strerror(errno));
		goto out;
	}
	if (own && (st.st_uid != uid || st.st_gid != gid) &&
	    fchown(fd, uid, gid) < 0) {
		errf(e, EXIT_FAIL, "cannot change owner of %s to %lu:%lu: %s",
		    real, (unsigned long)uid, (unsigned long)gid, strerror(errno));
		goto out;
	}
	if (fchmod(fd, mode) < 0) {
		errf(e, EXIT_FAIL, "cannot change mode of %s to %04o: %s", real,
		    (unsigned)mode, strerror(errno));
		goto out;
	}
	if (keep_mtime && meta) {
		struct timespec ts[2] = { { 0, UTIME_OMIT }, meta->mtime };

		if (futimens(fd, ts) < 0) {
			errf(e, EXIT_FAIL, "cannot set the time of %s: %s", real,
			    strerror(errno));
			goto out;
		}
	}
	if (fsync(fd) < 0) {
		errf(e, EXIT_FAIL, "cannot fsync %s: %s", real, strerror(errno));
		goto out;
	}
	crash_point("fsync", tmp);
	if (close(fd) < 0) {
		fd = -1;
		errf(e, EXIT_FAIL, "cannot write %s: %s", real, strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, real) < 0) {
		errf(e, EXIT_FAIL, "cannot rename %s to %s: %s", tmp, real,
		    strerror(errno));
		goto out;
	}
	created = 0;
	crash_point("rename", real);
	if (written)
		*written = 1;
	if ((rc = file_sync_dir(dir, e)) == 0)
		crash_point("fsync-dir", dir);
out:
	if (fd >= 0)
		close(fd);
	if (created)
		unlink(tmp);
	buf_free(&old);
	free(tmp);
	free(dir);
	free(real);
	return rc;
}

/* mkdir that is happy with an existing directory. */
static int make_dir(const char *path, mode_t mode)
{
	struct stat st;
	int err;

	if (mkdir(path, mode) == 0) {
		crash_point("mkdir", path);
		return 0;
	}
	err = errno;
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return 0;
		if (err == EEXIST)
			err = ENOTDIR;
	}
	errno = err;
	return -1;
}

int mkdir_p(const char *path, mode_t mode, struct err *e)
{
	char *p, *s;
	int rc = 0;

	if (!*path)
		return errf(e, EXIT_FAIL, "cannot create directory '': %s",
		    strerror(ENOENT));
	p = xstrdup(path);
	for (s = p + 1;; s++) {
		char c = *s;

		if (c != '/' && c != '\0')
			continue;
		*s = '\0';
		if (make_dir(p, mode) < 0) {
			rc = errf(e, EXIT_FAIL, "cannot create directory %s: %s",
			    p, strerror(errno));
			break;
		}
		*s = c;
		if (!c)
			break;
	}
	free(p);
	return rc;
}

/*
 * The directory that will get the new file is the nearest existing one:
 * missing directories are created by the write.
 */
int file_writable(const char *path, struct err *e)
{
	struct statvfs vfs;
	struct stat st;
	char *real, *dir = NULL;
	int rc = -1;

	real = resolve(path, e);
	if (!real)
		return -1;
	if (stat(real, &st) == 0) {
		if (!S_ISREG(st.st_mode)) {
			errf(e, EXIT_FAIL, "cannot write %s: %s", path,
			    S_ISDIR(st.st_mode) ? strerror(EISDIR) :
			    "not a regular file");
			goto out;
		}
	} else if (errno != ENOENT) {
		errf(e, EXIT_FAIL, "cannot write %s: %s", path, strerror(errno));
		goto out;
	}

	dir = dir_of(real);
	while (stat(dir, &st) < 0 && errno == ENOENT &&
	    strcmp(dir, "/") != 0 && strcmp(dir, ".") != 0) {
		char *up = dir_of(dir);

		free(dir);
		dir = up;
	}
	if (statvfs(dir, &vfs) < 0) {
		errf(e, EXIT_FAIL, "cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	if (vfs.f_flag & ST_RDONLY) {
		errf(e, EXIT_FAIL, "cannot write %s: %s", path, strerror(EROFS));
		goto out;
	}
	if (faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS) < 0) {
		errf(e, EXIT_FAIL, "cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	free(dir);
	free(real);
	return rc;
}

int lock_acquire(const char *path, double wait_secs, int *fd, struct err *e)
{
	double t0;
	char *dir;
	int lfd, rc;

	*fd = -1;
	dir = dir_of(path);
	rc = mkdir_p(dir, 0755, e);
	free(dir);
	if (rc < 0)
		return -1;
	lfd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW, 0600);
	if (lfd < 0)
		return errf(e, EXIT_FAIL, "cannot open lock file %s: %s", path,
		    strerror(errno));

	t0 = timeamt_now();
	while (flock(lfd, LOCK_EX | LOCK_NB) < 0) {
		int err = errno;
		double left;

		if (err == EINTR)
			continue;
		left = wait_secs - (timeamt_now() - t0);
		if (err != EWOULDBLOCK || left <= 0) {
			close(lfd);
			if (err != EWOULDBLOCK)
				return errf(e, EXIT_FAIL, "cannot lock %s: %s",
				    path, strerror(err));
			if (wait_secs > 0)
				return errf(e, EXIT_LOCKED,
				    "another aurora-restore run holds the lock %s (waited %g s)",
				    path, wait_secs);
			return errf(e, EXIT_LOCKED,
			    "another aurora-restore run holds the lock %s", path);
		}
		if (left > 0.05)
			left = 0.05;
		nanosleep(&(struct timespec){ 0, (long)(left * 1e9) }, NULL);
	}
	*fd = lfd;
	return 0;
}

void lock_release(int fd)
{
	if (fd >= 0)
		close(fd);
}

char *root_link_note(const char *root, const char *path)
{
	char *dir, *rdir, *link, *real, target[PATH_MAX], *note = NULL;
	const char *base = strrchr(path, '/');
	ssize_t n;

	if (!root || !*root || strcmp(root, "/") == 0)
		return NULL;
	dir = dir_of(path);
	rdir = root_path(root, dir);
	link = xasprintf("%s/%s", rdir, base ? base + 1 : path);
	real = root_path(root, path);
	if ((n = readlink(link, target, sizeof target - 1)) > 0 &&
	    access(real, F_OK) != 0) {
		target[n] = '\0';
		note = xasprintf("; %s is a symlink to %s, which is %s under --root %s and does not exist",
		    path, target, real, root);
	}
	free(real);
	free(link);
	free(rdir);
	free(dir);
	return note;
}

/* ".BASE" TEMP_TAG and six letters or digits: a name mkostemp made for
 * BASE in file_write_atomic, and no other tool's. */
static int is_temp_of(const char *name, const char *base)
{
	size_t n = strlen(base), t = strlen(TEMP_TAG);

	if (name[0] != '.' || strncmp(name + 1, base, n) != 0 ||
	    strncmp(name + n + 1, TEMP_TAG, t) != 0 ||
	    strlen(name + n + 1 + t) != 6)
		return 0;
	for (const char *p = name + n + 1 + t; *p; p++)
		if (!isalnum((unsigned char)*p))
			return 0;
	return 1;
}

void file_clean_temps(const char *path)
{
	char *real = resolve(path, NULL), *dir;
	const char *base;
	struct dirent *d;
	struct stat st;
	DIR *dp;

	if (real == NULL)
		return;
	dir = dir_of(real);
	base = strrchr(real, '/');
	base = base ? base + 1 : real;
	if ((dp = opendir(dir)) != NULL) {
		while ((d = readdir(dp)) != NULL)
			if (is_temp_of(d->d_name, base) &&
			    fstatat(dirfd(dp), d->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
			    S_ISREG(st.st_mode))
				unlinkat(dirfd(dp), d->d_name, 0);
		closedir(dp);
	}
	free(dir);
	free(real);
}

static int check_private(const char *path, int want_dir, struct err *e)
{
	const char *what = want_dir ? "directory" : "file";
	struct stat st;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : errf(e, EXIT_FAIL, "cannot check %s: %s",
		    path, strerror(errno));
	if (S_ISLNK(st.st_mode))
		return errf(e, EXIT_REFUSED, "%s is a symlink; refusing to use it as aurora-restore's state %s",
		    path, what);
	if (want_dir ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode))
		return errf(e, EXIT_REFUSED, "%s is not a %s; refusing to use it as aurora-restore's state",
		    path, want_dir ? "directory" : "regular file");
	if (st.st_uid != 0 && st.st_uid != geteuid())
		return errf(e, EXIT_REFUSED, "%s is owned by uid %lu; refusing to use it as aurora-restore's state %s (it must be root's)",
		    path, (unsigned long)st.st_uid, what);
	if (st.st_mode & 022)
		return errf(e, EXIT_REFUSED, "%s is writable by group or others (mode %04o); refusing to use it as aurora-restore's state %s (chmod go-w)",
		    path, (unsigned)(st.st_mode & 07777), what);
	return 0;
}

int path_private(const char *root, const char *path, int with_dir,
    struct err *e)
{
	const char *slash = strrchr(path, '/');
	char *dir = dir_of(path), *parent = dir_of(dir), *real_parent, *rdir, *file;
	int rc;

	real_parent = root_path(root, parent);
	if (with_dir)
		rdir = xasprintf("%s%s%s", real_parent,
		    real_parent[strlen(real_parent) - 1] == '/' ? "" : "/",
		    strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir);
	else
		rdir = root_path(root, dir);
	file = xasprintf("%s/%s", rdir, slash ? slash + 1 : path);
	rc = with_dir ? check_private(rdir, 1, e) : 0;
	if (rc == 0)
		rc = check_private(file, 0, e);
	free(file);
	free(rdir);
	free(real_parent);
	free(parent);
	free(dir);
	return rc;
}
