/*
 * fuzz-journal.c: the journal reader (src/journal.c, journal_load), which
 * revert trusts to put the operator's files back.
 *
 * Input: the bytes of /var/lib/aurora-restore/journal.json. Checks: an
 * error is EXIT_DATA naming the journal; a journal that loads is saved
 * again (format 2) and that loads back to the same files (path, original
 * and applied bytes, meta) and items (every string byte for byte).
 */
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "journal.h"
#include "sha256.h"

static char *path;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	path = fuzz_path(JOURNAL_PATH);
	return 0;
}

static int same_str(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

static int same_buf(const struct buf *a, const struct buf *b)
{
	return a->len == b->len && (a->len == 0 || memcmp(a->s, b->s, a->len) == 0);
}

static void check_file(const struct jfile *a, const struct jfile *b)
{
	char sha[65];

	FUZZ_CHECK(a->path[0] == '/', "a relative path %s", a->path);
	FUZZ_CHECK(strcmp(a->path, b->path) == 0, "path %s came back %s", a->path, b->path);
	FUZZ_CHECK(same_buf(&a->original, &b->original), "the original of %s changed", a->path);
	FUZZ_CHECK(same_buf(&a->applied, &b->applied), "the applied bytes of %s changed", a->path);
	FUZZ_CHECK(!a->sha_after[0] == !b->sha_after[0], "sha256_after of %s", a->path);
	FUZZ_CHECK(strcmp(a->sha_prior, b->sha_prior) == 0, "prior_sha256 of %s", a->path);
	sha256_hex(b->applied.s ? b->applied.s : "", b->applied.len, sha);
	FUZZ_CHECK(!b->sha_after[0] || strcmp(sha, b->sha_after) == 0,
	    "a saved sha256_after is not the applied bytes' (%s)", a->path);
	FUZZ_CHECK(a->unit == b->unit && a->meta.exists == b->meta.exists &&
	    a->meta.mode == b->meta.mode && a->meta.uid == b->meta.uid &&
	    a->meta.gid == b->meta.gid && a->meta.mtime.tv_sec == b->meta.mtime.tv_sec &&
	    a->meta.mtime.tv_nsec == b->meta.mtime.tv_nsec, "the meta of %s changed", a->path);
}

static void check_item(const struct jitem *a, const struct jitem *b)
{
	FUZZ_CHECK(a->kind == b->kind && a->original_present == b->original_present &&
	    same_str(a->name, b->name) && same_str(a->file, b->file) &&
	    same_str(a->original, b->original) &&
	    same_str(a->original_raw, b->original_raw) &&
	    same_str(a->after, b->after) && same_str(a->renamed_from, b->renamed_from) &&
	    same_str(a->want, b->want), "item %s did not come back as it was", a->name);
}

/* Saved under another root and read back: the same journal. */
static void round_trip(const struct journal *j)
{
	char *root = fuzz_path("/again");
	struct journal k;
	struct err e = { 0 };
	int found = 0;

	FUZZ_CHECK(journal_save(root, j, &e) == 0, "cannot save what was read: %s", e.msg);
	FUZZ_CHECK(journal_load(root, &k, &found, &e) == 0 && found,
	    "cannot read what was saved: %s", e.msg);
	FUZZ_CHECK(k.nfiles == j->nfiles && k.nitems == j->nitems,
	    "%zu files and %zu items came back as %zu and %zu", j->nfiles, j->nitems,
	    k.nfiles, k.nitems);
	FUZZ_CHECK(same_str(j->profile, k.profile) && same_str(j->user, k.user) &&
	    same_str(j->reason, k.reason) && same_str(j->host, k.host) &&
	    j->started == k.started && j->completed == k.completed,
	    "the run's description changed");
	for (size_t i = 0; i < j->nfiles; i++)
		check_file(&j->files[i], &k.files[i]);
	for (size_t i = 0; i < j->nitems; i++)
		check_item(&j->items[i], &k.items[i]);
	journal_free(&k);
	free(root);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct journal j;
	struct err e = { 0 };
	int found = 0, rc;

	if (size > 1 << 20)
		return 0;
	fuzz_write(JOURNAL_PATH, data, size);
	rc = journal_load(fuzz_root(), &j, &found, &e);
	fuzz_check_err(&e, rc);
	if (rc < 0) {
		FUZZ_CHECK(e.code == EXIT_DATA, "status %d: %s", e.code, e.msg);
		FUZZ_CHECK(strncmp(e.msg, path, strlen(path)) == 0,
		    "the message does not name the journal: %s", e.msg);
	} else {
		FUZZ_CHECK(found, "a journal that is there was not found");
		round_trip(&j);
	}
	journal_free(&j);
	return 0;
}
