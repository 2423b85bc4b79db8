/*
 * journal.h: the state journal, /var/lib/aurora-restore/journal.json
 * (directory 0700, file 0600, JSON). It is written and fsynced before the
 * first edit of a run, with the original bytes, mode, owner and mtime of
 * every file the run changes, the exact bytes the run will leave in it,
 * and the original of every value it manages; it is marked complete after
 * the last edit. So a file on disk is its original or its applied bytes
 * unless someone else edited it, whenever the run stopped.
 *
 * Format 2 checks itself: each file's original and applied bytes carry
 * their SHA-256, and "content_sha256" covers the files and items lists;
 * a journal that does not check out is EXIT_DATA. Format 1 (no checks,
 * applied bytes only once complete) is still read. A file that a run
 * rewrites while it still holds an earlier run's bytes keeps their
 * checksum too ("prior_sha256"): a kill before the rewrite leaves them,
 * and they also mean "ours, over the original". Values that are not
 * UTF-8 are stored as {"base64": ...}. The journal owns everything in it;
 * journal_free() releases it.
 */
#ifndef JOURNAL_H
#define JOURNAL_H

#include <stddef.h>
#include "buf.h"
#include "err.h"
#include "fileio.h"

#define JOURNAL_DIR "/var/lib/aurora-restore"
#define JOURNAL_PATH JOURNAL_DIR "/journal.json"
#define JOURNAL_FORMAT "aurora-restore-journal/2"
#define JOURNAL_FORMAT_1 "aurora-restore-journal/1"

struct jfile {
	char *path;		/* as the operator names it */
	int unit;		/* a systemd unit or drop-in */
	struct buf original;
	struct file_meta meta;	/* of the original; exists 0: created by us */
	char sha_after[65];	/* of applied; "" unknown (format 1, unfinished) */
	struct buf applied;	/* the bytes apply writes, recorded before */
	char sha_prior[65];	/* of the bytes an earlier run left, on disk
				   when this run began; "" none */
};

enum { ITEM_FLAG, ITEM_CLUSTER, ITEM_HOSTS, ITEM_FIREWALL };
extern const char *const item_kinds[];	/* "flag", "cluster", "hosts", "firewall" */

struct jitem {
	int kind;
	char *name;
	char *file;		/* where it stands */
	int original_present;
	char *original;		/* the value before, decoded */
	char *original_raw;	/* flags: as written in the file */
	char *after;		/* flags: the flag before it, to re-insert */
	char *renamed_from;	/* cluster keys: entry renamed in place */
	char *want;		/* the profile's value; NULL: removed */
};

struct journal {
	char *profile;
	char *profile_path;
	char *user;
	char *reason;
	char *host;
	long long started;	/* epoch seconds */
	long long completed;	/* 0 while incomplete */
	struct jfile *files;
	size_t nfiles;
	struct jitem *items;
	size_t nitems;
	int reload_pending;	/* a unit changed and daemon-reload has not run */
	void *audit;		/* json_t list of recovery calls, kept as is */
	void *log;		/* json_t list of replicated-log changes
				 * (log-reinit, log-restore-aside), kept as is */
};

/* 0 with *found 0 when there is no journal; EXIT_DATA when it is corrupt
 * or not ours. */
int journal_load(const char *root, struct journal *j, int *found,
    struct err *e);
int journal_save(const char *root, const struct journal *j, struct err *e);
/* Move the journal aside as last-reverted.json after a revert. */
int journal_retire(const char *root, struct err *e);
void journal_free(struct journal *j);
/* Append entry (a JSON object) to the journal's "audit" list, if a
 * journal exists; the rest of the journal is kept as it is. */
int journal_audit(const char *root, void *entry, struct err *e);
/* The same for any list key ("audit", "log"). */
int journal_append(const char *root, const char *list, void *entry,
    struct err *e);

struct jfile *journal_file(struct journal *j, const char *path);
/* The bytes apply wrote are known, so they can be a merge base: recorded
 * and matching sha256_after (a format 1 journal of a tool before
 * applied_base64 has the checksum only). */
int journal_applied_known(const struct jfile *f);

#endif
