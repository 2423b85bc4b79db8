/* revert: put back what the applied profile changed, exactly. */
#include <stdlib.h>
#include <string.h>
#include "cmd.h"
#include "diff.h"
#include "engine.h"
#include "session.h"
#include "sha256.h"

struct restore {
	struct jfile *jf;
	char *real;
	struct buf current;
	struct file_meta meta;
	int untouched;		/* still as apply left it: restore the bytes */
	char *newtext;		/* otherwise: our changes taken out of it */
};

static struct hfile *host_file(struct host *h, const char *path)
{
	for (size_t i = 0; i < h->nfiles; i++)
		if (strcmp(h->files[i]->path, path) == 0)
			return h->files[i];
	return NULL;
}

/* Someone edited the file elsewhere: take our changes out as text when
 * they do not touch theirs, which keeps every byte of both. */
static int merge(struct restore *rs)
{
	struct jfile *jf = rs->jf;
	struct buf out = BUF_INIT;

	if (jf->applied.s == NULL ||
	    diff_merge(jf->applied.s, jf->applied.len, jf->original.s ?
	    jf->original.s : "", jf->original.len, rs->current.s ?
	    rs->current.s : "", rs->current.len, &out) < 0) {
		buf_free(&out);
		return 0;
	}
	buf_add(&out, "", 0);
	rs->newtext = buf_detach(&out);
	return 1;
}

static int read_current(struct session *s, struct restore *rs, size_t n,
    int *all_untouched, struct err *e)
{
	*all_untouched = 1;
	for (size_t i = 0; i < n; i++) {
		char sha[65];
		rs[i].jf = &s->j.files[i];
		rs[i].real = root_path(s->set->root, rs[i].jf->path);
		if (file_read(rs[i].real, &rs[i].current, &rs[i].meta, 0, e) < 0)
			return -1;
		sha256_hex(rs[i].current.s ? rs[i].current.s : "",
		    rs[i].current.len, sha);
		rs[i].untouched = s->j.completed && strcmp(sha, rs[i].jf->sha_after) == 0;
		if (!rs[i].untouched && !merge(&rs[i]))
			*all_untouched = 0;
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
		if (rs[i].untouched || rs[i].newtext)
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

static int revert_exec(struct cmd_ctx *ctx, struct err *e)
{
	struct settings *set = ctx->set;
	struct result *r = ctx->res;
	struct session s;
	struct restore *rs = NULL;
	size_t n = 0, nchanged = 0;
	int rc = -1, all_untouched, units = 0, unit_change = 0;
	struct buf names = BUF_INIT;

	if (session_open(&s, set, !set->check, e) < 0)
		goto out;
	if (!s.have_journal) {
		result_msg(r, "no profile is applied; nothing to revert");
		rc = 0;
		goto out;
	}
	n = s.j.nfiles;
	rs = xcalloc(n + 1, sizeof *rs);
	if (read_current(&s, rs, n, &all_untouched, e) < 0 ||
	    (!all_untouched && three_way(&s, rs, n, r, e) < 0))
		goto out;
	for (size_t i = 0; i < n; i++) {
		const char *after = rs[i].untouched ? rs[i].jf->original.s : rs[i].newtext;
		if (after == NULL)
			after = "";
		if (rs[i].current.len == strlen(after) &&
		    memcmp(rs[i].current.s ? rs[i].current.s : "", after, strlen(after)) == 0 &&
		    !rs[i].untouched)
			continue;
		result_diff(r, rs[i].jf->path, rs[i].current.s, after);
		buf_addf(&names, "%s%s", nchanged++ ? ", " : "", rs[i].jf->path);
		unit_change |= rs[i].jf->unit;
		if (!set->check && file_writable(rs[i].real, e) < 0)
			goto out;
	}
	r->changed = nchanged > 0;
	if (set->check) {
		if (engine_actions(s.j.items, s.j.nitems, 1, 1, r, e) < 0)
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
		struct jfile *jf = rs[i].jf;
		int written = 0;
		rc = 0;
		if (rs[i].untouched)
			rc = file_write_atomic(rs[i].real, jf->original.s ? jf->original.s : "",
			    jf->original.len, &jf->meta, 1, &written, e);
		else if (rs[i].newtext)
			rc = file_write_atomic(rs[i].real, rs[i].newtext,
			    strlen(rs[i].newtext), &rs[i].meta, 0, &written, e);
		if (rc < 0)
			goto out;
		units += written && jf->unit;
	}
	if ((units || s.j.reload_pending) && reload_units(&s, r, e) < 0) {
		rc = -1;
		goto out;
	}
	if (engine_actions(s.j.items, s.j.nitems, 1, 0, r, e) < 0) {
		rc = -1;
		goto out;
	}
	rc = r->changed && set->detailed_exitcode ? EXIT_DRIFT : 0;
	if (journal_retire(set->root, e) < 0) {
		rc = -1;
		goto out;
	}
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
	session_close(&s);
	return rc;
}

const struct cmd_entry cmd_revert_entry = {
	"revert", "revert [--force]", 0, 0, "force", revert_exec
};
