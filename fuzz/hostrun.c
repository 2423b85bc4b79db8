/*
 * hostrun.c: apply and revert the shipped recovery profile on a scratch
 * host, the way apply, verify and revert use the host model and the
 * engine, for the flags and clusters targets (fuzz.h).
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "buf.h"
#include "engine.h"
#include "fuzz.h"
#include "host.h"
#include "profile.h"

#define CLUSTERS "/etc/aurora/clusters.json"

static struct profile prof;

static void load_profile(void)
{
	static const char *const none[] = { NULL };
	struct err e = { 0 };

	if (prof.path)
		return;
	FUZZ_CHECK(profile_load(ABS_SRCDIR "/profiles/recovery.conf", none,
	    &prof, &e) == 0, "%s", e.msg);
}

static void settings_for(struct settings *s, const char *layout,
    const char *flags_path)
{
	settings_init(s);
	settings_set(&s->root, fuzz_root());
	settings_set(&s->layout, layout);
	settings_set(&s->flags_file, flags_path);
	settings_set(&s->clusters_file, CLUSTERS);
	settings_set(&s->cluster, "devcluster");
	settings_set(&s->advertised_host, "sched1.example.com");
	settings_set(&s->home, NULL);
	settings_set(&s->aurora_config_root, NULL);
}

static int load(struct host *h, struct settings *s, struct err *e)
{
	memset(e, 0, sizeof *e);
	return host_load(h, s, fuzz_aug(), e);
}

static int render(struct host *h, struct err *e)
{
	int rc = host_render(h, e);

	fuzz_check_err(e, rc);
	return rc;
}

static int is_json(const char *text)
{
	json_t *j = json_loads(text ? text : "", JSON_DECODE_ANY, NULL);

	json_decref(j);
	return j != NULL;
}

/* Write the rendered files in place; the names go to written. */
static void write_back(struct host *h, struct buf *written)
{
	const char *root = fuzz_root();

	for (size_t i = 0; i < h->nfiles; i++) {
		struct hfile *f = h->files[i];
		FILE *out;
		if (f->newtext == NULL)
			continue;
		FUZZ_CHECK(strncmp(f->real, root, strlen(root)) == 0,
		    "a file outside --root would be written: %s", f->real);
		FUZZ_CHECK(f->role != ROLE_CLUSTERS || !is_json(f->text.s) ||
		    is_json(f->newtext), "%s: JSON in, not JSON out:\n%s",
		    f->path, f->newtext);
		out = fopen(f->real, "w");
		FUZZ_CHECK(out && fputs(f->newtext, out) >= 0 && fclose(out) == 0,
		    "cannot write %s", f->real);
		buf_addf(written, "%s\n", f->real);
	}
}

static void unchanged(struct host *h, const char *after)
{
	struct err e = { 0 };

	FUZZ_CHECK(render(h, &e) == 0, "%s: %s", after, e.msg);
	for (size_t i = 0; i < h->nfiles; i++)
		FUZZ_CHECK(h->files[i]->newtext == NULL,
		    "%s: %s changes it:\n--- was\n%s\n--- now\n%s", h->files[i]->path,
		    after, h->files[i]->text.s, h->files[i]->newtext);
}

/* With FUZZ_VERBOSE set, how far the run went (for the replay logs). */
static void say(const char *fmt, ...)
{
	va_list ap;

	if (!getenv("FUZZ_VERBOSE"))
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void check_reverted(struct host *h, const struct jitem *items, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int present;
		char *cur = engine_current(h, &items[i], &present);
		FUZZ_CHECK(present == items[i].original_present &&
		    (!present || same(cur, items[i].original)),
		    "revert left %s as \"%s\" (present %d), was \"%s\" (present %d)",
		    items[i].name, cur ? cur : "", present,
		    items[i].original ? items[i].original : "", items[i].original_present);
		free(cur);
	}
}

/* After a load error: the contract's kind of message, naming a file. */
static void check_load_error(const struct err *e)
{
	fuzz_check_err(e, -1);
	FUZZ_CHECK(e->code == EXIT_DATA || e->code == EXIT_FAIL || e->code == EXIT_CONFIG,
	    "status %d: %s", e->code, e->msg);
	FUZZ_CHECK(strchr(e->msg, '/') != NULL, "the message names no file: %s", e->msg);
}

void fuzz_host_run(const char *layout, const char *flags_path,
    const void *flags, size_t nflags, const void *clusters, size_t nclusters)
{
	struct settings set;
	struct host h;
	struct err e = { 0 };
	struct jitem *items = NULL;
	struct buf written = BUF_INIT, conflicts = BUF_INIT;
	size_t n = 0;
	int rc;

	load_profile();
	fuzz_write(flags_path, flags, nflags);
	fuzz_write(CLUSTERS, clusters, nclusters);
	settings_for(&set, layout, flags_path);
	if (load(&h, &set, &e) < 0) {
		check_load_error(&e);
		say("not loaded: %s", e.msg);
		goto out;
	}
	fuzz_check_err(&e, 0);
	unchanged(&h, "reading and rendering without an edit");

	rc = engine_plan(&h, &prof, NULL, &items, &n, &e);
	if (rc == 0)
		rc = engine_apply(&h, items, n, &e);
	if (rc == 0)
		rc = render(&h, &e);
	fuzz_check_err(&e, rc);
	if (rc < 0) {
		FUZZ_CHECK(e.code == EXIT_DATA || e.code == EXIT_CONFIG,
		    "apply failed with status %d: %s", e.code, e.msg);
		say("not applied: %s", e.msg);
		goto out;
	}
	write_back(&h, &written);
	host_free(&h);

	/* What apply wrote reads back, in the profile's state (verify). */
	rc = load(&h, &set, &e);
	FUZZ_CHECK(rc == 0, "apply wrote what it cannot read back: %s", e.msg);
	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK(engine_in_state(&h, &items[i]), "%s not in state after apply",
		    items[i].name);
	/* A second apply changes nothing. */
	FUZZ_CHECK(engine_apply(&h, items, n, &e) == 0, "apply again: %s", e.msg);
	unchanged(&h, "applying again");
	host_free(&h);

	/* Revert gives every value back, and reads back. */
	FUZZ_CHECK(load(&h, &set, &e) == 0, "%s", e.msg);
	rc = engine_revert(&h, items, n, 0, &conflicts, &e);
	FUZZ_CHECK(rc == 0 && conflicts.len == 0, "revert: %s%s", e.msg,
	    conflicts.s ? conflicts.s : "");
	FUZZ_CHECK(render(&h, &e) == 0, "rendering the revert: %s", e.msg);
	write_back(&h, &written);
	host_free(&h);
	rc = load(&h, &set, &e);
	FUZZ_CHECK(rc == 0, "revert wrote what it cannot read back: %s", e.msg);
	check_reverted(&h, items, n);
	say("applied, verified, applied again, reverted: %zu items", n);
out:
	host_free(&h);
	engine_free_items(items, n);
	settings_free(&set);
	buf_free(&conflicts);
	/* Files the run wrote besides the two inputs go, for the next run. */
	for (char *p = written.s, *nl; p && (nl = strchr(p, '\n')); p = nl + 1) {
		*nl = '\0';
		unlink(p);
	}
	buf_free(&written);
}
