/*
 * fileio.h: whole-file reads, atomic writes and the run lock.
 *
 * Paths given here are real paths (already joined with --root by the
 * caller, see root_path()). Returned strings and buffers belong to the
 * caller. Errors name the file and use the contract's exit classes:
 * EXIT_FAIL for I/O, EXIT_LOCKED for a held lock.
 */
#ifndef FILEIO_H
#define FILEIO_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>
#include "buf.h"
#include "err.h"

struct file_meta {
	int exists;
	mode_t mode;		/* permission bits only */
	uid_t uid;
	gid_t gid;
	struct timespec mtime;
};

/* "/root" + "/etc/x" -> "/root/etc/x"; root NULL or "/" -> copy of path. */
char *root_path(const char *root, const char *path);

/* Read a whole file. A missing file is not an error when missing_ok:
 * meta->exists is 0 and out is empty. */
int file_read(const char *path, struct buf *out, struct file_meta *meta,
    int missing_ok, struct err *e);

/*
 * Replace path with data: temp file in the same directory, write, fsync,
 * chmod/chown to meta (or keep the current file's, or 0644 root for a new
 * file when meta is NULL), rename, fsync the directory. When keep_mtime is
 * set and meta is given, the new file gets meta->mtime.
 * Writing content equal to the current content is skipped entirely
 * (*written = 0), so a no-op never touches mtime.
 */
int file_write_atomic(const char *path, const char *data, size_t len,
    const struct file_meta *meta, int keep_mtime, int *written,
    struct err *e);

/* mkdir -p with mode for the directories it creates. */
int mkdir_p(const char *path, mode_t mode, struct err *e);

/* Check that path's directory would accept a new file (for --check). */
int file_writable(const char *path, struct err *e);

/*
 * Take an exclusive flock on path (created 0600). wait_secs 0: fail at
 * once with EXIT_LOCKED; otherwise retry until that many seconds passed.
 * *fd stays open while the lock is held; lock_release() closes it.
 */
int lock_acquire(const char *path, double wait_secs, int *fd, struct err *e);
void lock_release(int fd);

#endif
