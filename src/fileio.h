/*
 * fileio.h: whole-file reads, atomic writes, the run lock, the checks on
 * the tool's private state, and the crash test hook.
 *
 * Paths given here are real paths (already joined with --root by the
 * caller, see root_path()). Returned strings and buffers belong to the
 * caller. Errors name the file and use the contract's exit classes:
 * EXIT_FAIL for I/O, EXIT_LOCKED for a held lock, EXIT_REFUSED for state
 * someone else could have written.
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

/* A path the operator typed, meant as a path on the host under root:
 * one that starts with root and does not exist under it (root typed
 * twice) is EXIT_USAGE with the host path to give instead; what: how it
 * was given ("PATH", "--aside"). */
int root_typed_path(const char *root, const char *path, const char *what,
    struct err *e);

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

/*
 * State only root may touch: the file path under root (its directory
 * resolved inside root, the file itself never followed) and, with
 * with_dir, the directory holding it. Missing is fine. A symlink, an
 * owner other than us or root, or group/world write permission is
 * EXIT_REFUSED naming the path: someone else could have written it.
 */
int path_private(const char *root, const char *path, int with_dir,
    struct err *e);

/*
 * Why path is missing under root when it is a symlink there whose target,
 * resolved inside root, does not exist (an absolute target meant for
 * another root, or a ".." climbing out of it): "; PATH is a symlink to
 * TARGET, which is REAL under --root ROOT and does not exist" (malloc'd),
 * else NULL. The target is never followed out of root.
 */
char *root_link_note(const char *root, const char *path);

/*
 * Remove what a killed write left: the temporary files
 * ".BASE.aurora-restore.XXXXXX" beside path (beside its target when it is
 * a symlink) that file_write_atomic creates for it. Only names with this
 * tag are touched: an editor's or another tool's ".BASE.XXXXXX" stays.
 * Call it only with the run lock held.
 */
#define TEMP_TAG ".aurora-restore."
void file_clean_temps(const char *path);

/* fsync a directory, so that a rename in it lasts. */
int file_sync_dir(const char *dir, struct err *e);

/*
 * Test hook, like git's GIT_TEST_* variables, never set in production.
 * Every durable step (a temporary file written, fsynced, renamed into
 * place, a directory created or fsynced, the journal moved aside) calls
 * crash_point(). With AURORA_RESTORE_TEST_CRASH_AFTER=N in the environment
 * the process kills itself with SIGKILL right after its Nth step; with
 * AURORA_RESTORE_TEST_STEPS=FILE each step appends "N STEP PATH" to FILE.
 */
void crash_point(const char *step, const char *path);

#endif
