/* revert: put back what the applied profile changed, exactly. */
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "diff.h"
#include "engine.h"
#include "session.h"
#include "sha256.h"

/* What is known for certain about a journaled file, and so what to do. */
enum how {
	KEEP,		/* already the original: nothing to write */
	ORIGINAL,	/* exactly the bytes apply wrote: the original goes back */
	MERGED,		/* edited since: our changes taken out as text */
	TREE,		/* edited since: our values taken out of the tree */
	DELETED		/* gone since: a conflict; --force writes the original */
};

struct restore {
	struct jfile *jf;
	char *real;
	struct buf current;
	struct file_meta meta;
	enum how how;
	char *newtext;		/* MERGED and TREE */
};

static struct hfile *host_file(struct host *h, const char *path)
{
	for (size_t i = 0; i < h->nfiles; i++)
		if (strcmp(h->files[i]->path, path) == 0)
			return h->files[i];
	return NULL;
}

static int same_bytes(const struct buf *a, const char *b, size_t blen)
{
	return a->len == blen && (blen == 0 || memcmp(a->s, b, blen) == 0);
}

static size_t count_in(const char *s, size_t len, const char *needle)
{
	size_t n = 0, k = strlen(needle);
	const char *p;

	while (k && len >= k && (p = memmem(s, len, needle, k)) != NULL) {
		n++;
		len -= (size_t)(p - s) + k;
		s = p + k;
	}
	return n;
}

/* A profile value of this file more often in the merged text than in the
 * original: the operator's edit carries it (a second MESOS_MASTER= line,
 * say), and the text merge would leave it in force. */
static int keeps_ours(const struct journal *j, const struct jfile *jf,
    const struct buf *merged)
{
	for (size_t i = 0; i < j->nitems; i++) {
		const struct jitem *it = &j->items[i];
		if (it->want && it->file && strcmp(it->file, jf->path) == 0 &&
		    count_in(merged->s ? merged->s : "", merged->len, it->want) >
		    count_in(jf->original.s ? jf->original.s : "",
		    jf->original.len, it->want))
			return 1;
	}
	return 0;
}

/* Someone edited the file elsewhere: take our changes (applied, as
 * recorded before it was written) out as text when they do not touch
 * theirs, which keeps every byte of both. */
static int merge(const struct journal *j, struct restore *rs)
{
	struct jfile *jf = rs->jf;
	struct buf out = BUF_INIT;

	if (!journal_applied_known(jf) ||
	    diff_merge(jf->applied.s ? jf->applied.s : "", jf->applied.len,
	    jf->original.s ? jf->original.s : "", jf->original.len,
	    rs->current.s ? rs->current.s : "", rs->current.len, &out) < 0 ||
	    keeps_ours(j, jf, &out)) {
		buf_free(&out);
		return 0;
	}
	buf_add(&out, "", 0);
	rs->newtext = buf_detach(&out);
	return 1;
}

static enum how classify(const struct journal *j, struct restore *rs)
{
	struct jfile *jf = rs->jf;
	char sha[65];

	if (!rs->meta.exists)
		return jf->meta.exists ? DELETED : KEEP;
	if (same_bytes(&rs->current, jf->original.s, jf->original.len))
		return KEEP;
	sha256_hex(rs->current.s ? rs->current.s : "", rs->current.len, sha);
	if ((jf->sha_after[0] && strcmp(sha, jf->sha_after) == 0) ||
	    (jf->sha_prior[0] && strcmp(sha, jf->sha_prior) == 0))
		return ORIGINAL;
	return merge(j, rs) ? MERGED : TREE;
}

static int read_current(struct session *s, struct restore *rs, size_t n,
    struct err *e)
{
	for (size_t i = 0; i < n; i++) {
		rs[i].jf = &s->j.files[i];
		rs[i].real = root_path(s->set->root, rs[i].jf->path);
		if (file_read(rs[i].real, &rs[i].current, &rs[i].meta, 1, e) < 0)
			return -1;
		rs[i].how = classify(&s->j, &rs[i]);
	}
	return 0;
}

static int write_back(struct restore *rs, int *written, struct err *e)
{
	struct jfile *jf = rs->jf;

	*written = 0;
	if (rs->how == ORIGINAL || rs->how == DELETED)
		return file_write_atomic(rs->real, jf->original.s ? jf->original.s : "",
		    jf->original.len, &jf->meta, 1, written, e);
	if (rs->newtext)
		return file_write_atomic(rs->real, rs->newtext, strlen(rs->newtext),
		    &rs->meta, 0, written, e);
	return 0;
}

/* The deleted files (names), and with --force their originals written
 * back first, so that the host's files can be read. */
static int deleted_files(struct restore *rs, size_t n, int write,
    struct buf *names, struct err *e)
{
	int written;

	for (size_t i = 0; i < n; i++) {
		if (rs[i].how != DELETED)
			continue;
		buf_addf(names, "%s%s", names->len ? ", " : "", rs[i].jf->path);
		if (write && write_back(&rs[i], &written, e) < 0)
			return -1;
	}
	return 0;
}

/* Someone edited a file since apply: take our values out of the tree. */
static int three_way(struct session *s, struct restore *rs, size_t n,
    struct result *r, struct err *e)
{
	struct buf conflicts = BUF_INIT;
	int rc = -1;

	if (session_host(s, e) < 0 ||
	    engine_revert(&s->host, s->j.items, s->j.nitems, s->set->force,
	    &conflicts, e) < 0)
		goto out;
	if (conflicts.len && !s->set->force) {
		errf(e, EXIT_REFUSED,
		    "changed since profile %s was applied, not reverting: %s; use --force to put the originals back anyway",
		    s->j.profile, conflicts.s);
		goto out;
	}
	if (conflicts.len)
		result_line(r, "--force: putting originals back over changes made since: %s",
		    conflicts.s);
	if (host_render(&s->host, e) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		struct hfile *f = host_file(&s->host, rs[i].jf->path);
		if (rs[i].how != TREE)
			continue;
		if (f == NULL) {
			errf(e, EXIT_REFUSED,
			    "%s changed since apply and is not among this host's files with the options given now (--flags-file, --clusters-file, HOME?): nothing reverted",
			    rs[i].jf->path);
			goto out;
		}
		rs[i].newtext = xstrdup(f->newtext ? f->newtext :
		    f->text.s ? f->text.s : "");
	}
	rc = 0;
out:
	buf_free(&conflicts);
	return rc;
}

/* Our changes taken out leave exactly the original bytes: the original
 * goes back whole, with its mode, owner and mtime. */
static void settle(struct restore *rs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((rs[i].how == MERGED || rs[i].how == TREE) && rs[i].newtext &&
		    same_bytes(&rs[i].jf->original, rs[i].newtext,
		    strlen(rs[i].newtext)))
			rs[i].how = ORIGINAL;
}

/* The bytes a file gets back, or NULL when it is left as it is. */
static const char *target(const struct restore *rs, int force)
{
	if (rs->how == ORIGINAL || (rs->how == DELETED && force))
		return rs->jf->original.s ? rs->jf->original.s : "";
	if (rs->how == MERGED || rs->how == TREE)
		return rs->newtext;
	return NULL;
}

static int any(const struct restore *rs, size_t n, enum how how)
{
	for (size_t i = 0; i < n; i++)
		if (rs[i].how == how)
			return 1;
	return 0;
}

static int refuse_deleted(struct session *s, const char *deleted,
    const char *restored, const struct restore *rs, size_t n, struct err *e)
{
	struct buf left = BUF_INIT;

	for (size_t i = 0; i < n; i++)
		if (rs[i].how == TREE)
			buf_addf(&left, "%s%s", left.len ? ", " : "", rs[i].jf->path);
	errf(e, EXIT_REFUSED,
	    "%s deleted since profile %s was applied; %s%s%s%s%s%skept the journal; use --force to write the original back",
	    deleted, s->j.profile, *restored ? "restored " : "", restored,
	    *restored ? "; " : "",
	    left.len ? "left as they are (changed since apply too): " : "",
	    left.len ? left.s : "", left.len ? "; " : "");
	buf_free(&left);
	return -1;
}

static int revert_exec(struct cmd_ctx *ctx, struct err *e)
{
	struct settings *set = ctx->set;
	struct result *r = ctx->res;
	struct session s;
	struct restore *rs = NULL;
	size_t n = 0, nchanged = 0;
	int rc = -1, units = 0, unit_change = 0;
	struct buf names = BUF_INIT, deleted = BUF_INIT;

	if (session_open(&s, set, !set->check, e) < 0)
		goto out;
	if (!s.have_journal) {
		result_msg(r, "no profile is applied; nothing to revert");
		rc = 0;
		goto out;
	}
	n = s.j.nfiles;
	rs = xcalloc(n + 1, sizeof *rs);
	if (read_current(&s, rs, n, e) < 0 ||
	    deleted_files(rs, n, set->force && !set->check && any(rs, n, TREE),
	    &deleted, e) < 0)
		goto out;
	if (any(rs, n, TREE) && (!deleted.len || set->force) &&
	    three_way(&s, rs, n, r, e) < 0)
		goto out;
	settle(rs, n);
	for (size_t i = 0; i < n; i++) {
		const char *after = target(&rs[i], set->force);
		if (after == NULL || (rs[i].how != ORIGINAL && rs[i].how != DELETED &&
		    same_bytes(&rs[i].current, after, strlen(after))))
			continue;
		result_diff(r, rs[i].jf->path, rs[i].current.s, after);
		buf_addf(&names, "%s%s", nchanged++ ? ", " : "", rs[i].jf->path);
		unit_change |= rs[i].jf->unit;
		if (!set->check && file_writable(rs[i].real, e) < 0)
			goto out;
	}
	r->changed = nchanged > 0;
	if (set->check) {
		if ((deleted.len && !set->force &&
		    refuse_deleted(&s, deleted.s, "", rs, n, e) < 0) ||
		    engine_actions(s.j.items, s.j.nitems, 1, 1, r, e) < 0)
			goto out;
		rc = r->changed && set->detailed_exitcode ? EXIT_DRIFT : 0;
		result_msg(r, "revert of profile %s would restore %s", s.j.profile,
		    nchanged ? names.s : "nothing");
		goto out;
	}
	if (unit_change && !s.j.reload_pending) {
		s.j.reload_pending = 1;	/* a run killed before daemon-reload: the next one does it */
		if (journal_save(set->root, &s.j, e) < 0)
			goto out;
	}
	for (size_t i = 0; i < n; i++) {
		int written = 0;
		if ((rs[i].how != DELETED || set->force) &&
		    write_back(&rs[i], &written, e) < 0)
			goto out;
		units += written && rs[i].jf->unit;
	}
	if ((units || s.j.reload_pending) && reload_units(&s, r, e) < 0)
		goto out;
	if (deleted.len && !set->force) {
		refuse_deleted(&s, deleted.s, names.len ? names.s : "", rs, n, e);
		goto out;
	}
	if (engine_actions(s.j.items, s.j.nitems, 1, 0, r, e) < 0 ||
	    journal_retire(set->root, e) < 0)
		goto out;
	rc = r->changed && set->detailed_exitcode ? EXIT_DRIFT : 0;
	result_msg(r, "reverted profile %s: restored %s", s.j.profile,
	    nchanged ? names.s : "nothing (already as before)");
out:
	for (size_t i = 0; rs && i < n; i++) {
		free(rs[i].real);
		buf_free(&rs[i].current);
		free(rs[i].newtext);
	}
	free(rs);
	buf_free(&names);
	buf_free(&deleted);
	session_close(&s);
	return rc;
}

static const struct opt revert_options[] = {
	OPT_F("force", "put originals back over values someone changed since", force),
	OPT_END
};

const struct cmd_entry cmd_revert_entry = {
	.name = "revert", .args = "", .min_args = 0, .max_args = 0,
	.summary = "put back exactly what the applied profile changed",
	.example = "revert",
	.options = { revert_options },
	.exec = revert_exec,
};
