/*
 * replica.h: one replica of the Mesos replicated log on disk (the folder
 * of -native_log_file_path), a LevelDB database.
 *
 * replica_classify() never changes the folder: it reads the file names,
 * tests LOCK with F_GETLK on a read-only descriptor, and lets LevelDB
 * open a scratch folder outside the replica, where the table files are
 * hard links when it can be on the replica's filesystem ($TMPDIR, else
 * beside the replica) and copies only otherwise (after a free-space check).
 * The moves (replica_move_aside, replica_move_back) only rename: nothing
 * is copied or deleted. replica_init_native() writes the record that
 * "mesos-log initialize" writes, through libleveldb with compression off.
 * Paths are real paths (already under --root). struct replica and struct
 * replica_user own their strings; the _free functions release them.
 */
#ifndef REPLICA_H
#define REPLICA_H

#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include "err.h"

enum replica_state {
	RS_ABSENT, RS_FOREIGN, RS_CORRUPT, RS_UNKNOWN,
	RS_EMPTY, RS_VOTING, RS_RECOVERING, RS_STARTING
};
/* "absent", "foreign", "corrupt", "unknown", "EMPTY", "VOTING", ... */
extern const char *const replica_state_names[];

struct replica {
	enum replica_state state;
	char *reason;		/* corrupt: LevelDB's message; foreign: the file */
	int locked;		/* LOCK is locked by a process */
	long lock_pid;
	int mount_point;	/* on another filesystem than its parent */
	int legacy;		/* PROMISE records only (counted as VOTING) */
	unsigned long long promised;
	unsigned long long entries, first, last;	/* ACTION records */
	struct stat st;		/* of the folder, when it exists */
	char *link;		/* _under: the folder is a symbolic link to this */
	char **files;		/* LevelDB's files in it, sorted */
	size_t nfiles;
};

/* The folder path names under root: its parents resolved inside root,
 * the folder itself not, so that a symbolic link stays one (malloc'd). */
char *replica_real_path(const char *root, const char *path);
/* replica_classify() of path under root, the link followed inside root;
 * r->link says first whether the folder itself is a symbolic link. */
int replica_classify_under(const char *root, const char *path,
    struct replica *r, struct err *e);

/* 0 with r filled (records that cannot be read leave it unknown, with
 * the reason and what to do); -1: EXIT_DATA when path is not a directory, EXIT_FAIL
 * when it cannot be read. */
int replica_classify(const char *path, struct replica *r, struct err *e);
void replica_free(struct replica *r);
/* Built with libleveldb: the records can be read and written natively. */
int replica_have_leveldb(void);

/* The scheduler's user, from passwd and group under root (fgetpwent). */
struct replica_user {
	char *name;
	uid_t uid;
	gid_t gid;
	gid_t groups[32];
	int ngroups;
};
/* EXIT_DATA naming the passwd file when there is no such user. */
int replica_user_lookup(const char *root, const char *name,
    struct replica_user *u, struct err *e);
void replica_user_free(struct replica_user *u);
/* NULL when u may open the folder and every file for reading and
 * writing, else what stops it (malloc'd). */
char *replica_access_problem(const char *path, const struct replica *r,
    const struct replica_user *u);
/* Give the folder and everything in it to u; the folder gets dirmode. */
int replica_chown(const char *path, const struct replica_user *u,
    mode_t dirmode, struct err *e);

/* "<path>.aside-20261127T051500Z" (malloc'd). */
char *replica_aside_name(const char *path, time_t now);
/* Does name look like an aside of the folder named base? */
int replica_is_aside_of(const char *name, const char *base);
/* The newest aside of path made at or after since that holds files,
 * beside it or in aside_dir (may be NULL); NULL when none (malloc'd). */
char *replica_last_aside(const char *path, const char *aside_dir,
    time_t since);

/*
 * Move the folder at path aside, by rename only; *aside gets where it
 * went (malloc'd). A mount point cannot be renamed: then its files go
 * into a new "<name>.aside-<time>" directory inside aside_dir, which must
 * be on the same filesystem; without aside_dir that is EXIT_REFUSED with
 * the advice. The parents are fsynced.
 */
int replica_move_aside(const char *path, const char *aside_dir, time_t now,
    char **aside, struct err *e);
/* Put an aside back at path: by rename when path is absent, else (a
 * mount point) its files one by one, then the emptied aside goes. */
int replica_move_back(const char *aside, const char *path, struct err *e);

/* Initialize the empty or absent folder path as "mesos-log initialize"
 * would: key 0000000000, Metadata VOTING, promised 0; synced,
 * uncompressed. EXIT_FAIL with LevelDB's message. */
int replica_init_native(const char *path, struct err *e);

int replica_fsync_dir(const char *path, struct err *e);

#endif
