/* apply [PROFILE]: put the host into a profile's state, journaled. */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cmd.h"
#include "diff.h"
#include "engine.h"
#include "session.h"
#include "sha256.h"

static int check_other_profile(struct session *s, struct err *e)
{
	if (!s->have_journal || strcmp(s->j.profile, s->p.name) == 0)
		return 0;
	return errf(e, EXIT_REFUSED,
	    "profile \"%s\" is applied since %s by %s; revert it before applying \"%s\"",
	    s->j.profile, iso_time(s->j.started), s->j.user ? s->j.user : "?",
	    s->p.name);
}

static int same_text(const struct buf *b, const char *s, size_t len)
{
	return b->len == len && (len == 0 || memcmp(b->s, s, len) == 0);
}

/* A journaled file the operator edited since the last apply, beyond the
 * values this run sets again: its original takes the edits (our changes
 * taken out as text), so that restoring it keeps them. When the text
 * merge cannot, no bytes are certain: revert takes our values out of the
 * tree (sha_after left empty). The bytes on disk, ours over the
 * original, are kept as prior: a kill before the rewrite leaves them. */
static int rebase_original(struct jfile *jf, const struct hfile *f)
{
	struct buf out = BUF_INIT;
	char sha[65];

	sha256_hex(f->text.s ? f->text.s : "", f->text.len, sha);
	if (same_text(&jf->original, f->text.s, f->text.len) ||
	    (jf->sha_prior[0] && strcmp(sha, jf->sha_prior) == 0))
		return 1;
	if (jf->sha_after[0] && strcmp(sha, jf->sha_after) == 0) {
		memcpy(jf->sha_prior, jf->sha_after, sizeof jf->sha_prior);
		return 1;
	}
	if (journal_applied_known(jf) &&
	    same_text(&jf->applied, f->newtext, strlen(f->newtext)))
		return 1;
	if (!journal_applied_known(jf) ||
	    diff_merge(jf->applied.s ? jf->applied.s : "", jf->applied.len,
	    jf->original.s ? jf->original.s : "", jf->original.len,
	    f->text.s ? f->text.s : "", f->text.len, &out) < 0) {
		buf_free(&out);
		return 0;
	}
	buf_free(&jf->original);
	jf->original = out;
	jf->meta = f->meta;
	memcpy(jf->sha_prior, sha, sizeof jf->sha_prior);
	return 1;
}

/* Before anything is written: each file's original (kept from an earlier
 * run) and the exact bytes this run will leave in it. */
static void record_files(struct session *s)
{
	struct journal *j = &s->j;

	for (size_t i = 0; i < s->host.nfiles; i++) {
		struct hfile *f = s->host.files[i];
		struct jfile *jf;
		int certain = 1;
		if (f->newtext == NULL)
			continue;
		if ((jf = journal_file(j, f->path)) == NULL) {
			j->files = xrealloc(j->files, (j->nfiles + 1) * sizeof *j->files);
			jf = &j->files[j->nfiles++];
			memset(jf, 0, sizeof *jf);
			jf->path = xstrdup(f->path);
			jf->unit = f->role == ROLE_UNIT;
			buf_add(&jf->original, f->text.s ? f->text.s : "", f->text.len);
			jf->meta = f->meta;
		} else
			certain = rebase_original(jf, f);
		buf_reset(&jf->applied);
		buf_add(&jf->applied, f->newtext, strlen(f->newtext));
		if (certain)
			sha256_hex(f->newtext, strlen(f->newtext), jf->sha_after);
		else
			jf->sha_after[0] = '\0';
	}
}

static void start_journal(struct session *s, struct jitem *items, size_t n)
{
	struct journal *j = &s->j;

	if (!s->have_journal) {
		j->profile = xstrdup(s->p.name);
		j->profile_path = xstrdup(s->p.path);
		j->user = session_user();
		j->reason = s->set->reason ? xstrdup(s->set->reason) : NULL;
		j->host = xstrdup(s->host.hostname);
		j->started = time(NULL);
	}
	engine_free_items(j->items, j->nitems);
	j->items = items;
	j->nitems = n;
	j->completed = 0;
}

/* A unit will change: the journal says so before, so that a run killed
 * before daemon-reload is finished by the next one. */
static int units_change(struct session *s)
{
	for (size_t i = 0; i < s->host.nfiles; i++)
		if (s->host.files[i]->newtext && s->host.files[i]->role == ROLE_UNIT)
			return 1;
	return 0;
}

static int write_files(struct session *s, struct err *e)
{
	for (size_t i = 0; i < s->host.nfiles; i++) {
		struct hfile *f = s->host.files[i];
		if (f->newtext == NULL)
			continue;
		if (file_write_atomic(f->real, f->newtext, strlen(f->newtext),
		    &f->meta, 0, NULL, e) < 0)
			return -1;
	}
	return 0;
}

static int apply_exec(struct cmd_ctx *ctx, struct err *e)
{
	struct settings *set = ctx->set;
	struct result *r = ctx->res;
	struct session s;
	struct jitem *items = NULL;
	size_t nitems = 0, nchanged = 0, pending = 0;
	int rc = -1;
	struct buf names = BUF_INIT;

	if (session_open(&s, set, !set->check, e) < 0 ||
	    session_profile(&s, ctx->argc ? ctx->argv[0] : NULL, e) < 0 ||
	    check_other_profile(&s, e) < 0 || session_host(&s, e) < 0 ||
	    engine_plan(&s.host, &s.p, s.have_journal ? &s.j : NULL, &items,
	    &nitems, e) < 0 ||
	    engine_apply(&s.host, items, nitems, e) < 0 ||
	    host_render(&s.host, e) < 0)
		goto out;
	session_describe(&s, r, set->verbose);
	for (size_t i = 0; i < s.p.nwarnings; i++)
		result_line(r, "warning: %s", s.p.warnings[i]);
	for (size_t i = 0; i < s.host.nfiles; i++) {
		struct hfile *f = s.host.files[i];
		if (f->newtext == NULL)
			continue;
		result_diff(r, f->path, f->text.s, f->newtext);
		buf_addf(&names, "%s%s", nchanged++ ? ", " : "", f->path);
		if (!set->check && file_writable(f->real, e) < 0)
			goto out;
	}
	for (size_t i = 0; i < nitems; i++)
		if (items[i].kind == ITEM_FIREWALL && !engine_in_state(&s.host, &items[i]))
			pending++;
	if (nchanged == 0 && pending == 0) {
		if (s.have_journal && !set->check && (!s.j.completed ||
		    (s.j.reload_pending && !session_no_systemd(set)))) {
			start_journal(&s, items, nitems);
			items = NULL;
			if (s.j.reload_pending && reload_units(&s, r, e) < 0)
				goto out;
			s.j.completed = time(NULL);
			if (journal_save(set->root, &s.j, e) < 0)
				goto out;
			result_msg(r, "profile %s: finished the interrupted run; nothing left to change", s.p.name);
		} else
			result_msg(r, "profile %s is already applied; nothing to change", s.p.name);
		rc = 0;
		goto out;
	}
	r->changed = 1;
	rc = set->detailed_exitcode ? EXIT_DRIFT : 0;
	if (set->check) {
		if (engine_actions(items, nitems, 0, 1, r, e) < 0)
			rc = -1;
		result_msg(r, "profile %s would change %s", s.p.name,
		    nchanged ? names.s : "the firewall");
		goto out;
	}
	start_journal(&s, items, nitems);
	items = NULL;
	record_files(&s);
	s.j.reload_pending = s.j.reload_pending || units_change(&s);
	if (journal_save(set->root, &s.j, e) < 0 || write_files(&s, e) < 0) {
		rc = -1;
		goto out;
	}
	if ((s.j.reload_pending && reload_units(&s, r, e) < 0) ||
	    engine_actions(s.j.items, s.j.nitems, 0, 0, r, e) < 0) {
		rc = -1;
		goto out;
	}
	s.j.completed = time(NULL);
	if (journal_save(set->root, &s.j, e) < 0) {
		rc = -1;
		goto out;
	}
	result_msg(r, "applied profile %s: changed %s", s.p.name,
	    nchanged ? names.s : "the firewall");
out:
	if (items)
		engine_free_items(items, nitems);
	buf_free(&names);
	session_close(&s);
	return rc;
}

const struct cmd_entry cmd_apply_entry = {
	.name = "apply", .args = "[PROFILE]", .min_args = 0, .max_args = 1,
	.real_args = 1,
	.summary = "put this host into a profile's state (default recovery)",
	.example = "apply --reason \"restore of 2026-11-27, ticket 4711\"",
	.options = { NULL },
	.exec = apply_exec,
};
