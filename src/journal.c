#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "journal.h"
#include "sha256.h"

const char *const item_kinds[] = { "flag", "cluster", "hosts", "firewall", NULL };

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static char *b64_encode(const char *s, size_t n)
{
	struct buf out = BUF_INIT;

	buf_add(&out, "", 0);
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned char)s[i] << 16;
		char q[4];
		if (i + 1 < n)
			v |= (unsigned char)s[i + 1] << 8;
		if (i + 2 < n)
			v |= (unsigned char)s[i + 2];
		q[0] = b64[v >> 18 & 63];
		q[1] = b64[v >> 12 & 63];
		q[2] = i + 1 < n ? b64[v >> 6 & 63] : '=';
		q[3] = i + 2 < n ? b64[v & 63] : '=';
		buf_add(&out, q, 4);
	}
	return buf_detach(&out);
}

static int b64_decode(const char *s, struct buf *out)
{
	size_t n = strlen(s);
	unsigned v;
	int k;

	if (n % 4)
		return -1;
	buf_add(out, "", 0);
	for (size_t i = 0; i < n; i += 4) {
		int pad = 0;
		v = 0;
		for (k = 0; k < 4; k++) {
			const char *p = strchr(b64, s[i + k]);
			if (s[i + k] == '=' && i + 4 == n && k >= 2) {
				pad++;
				v <<= 6;
				continue;
			}
			if (p == NULL || s[i + k] == '\0' || pad)
				return -1;
			v = v << 6 | (unsigned)(p - b64);
		}
		char c[3] = { v >> 16 & 255, v >> 8 & 255, v & 255 };
		buf_add(out, c, 3 - pad);
	}
	return 0;
}

/* A JSON string when s is UTF-8, else {"base64": ...}: every byte kept. */
static json_t *jstr(const char *s)
{
	json_t *v;
	char *enc;

	if (s == NULL)
		return json_null();
	if ((v = json_string(s)) != NULL)
		return v;
	enc = b64_encode(s, strlen(s));
	v = json_pack("{s:s}", "base64", enc);
	free(enc);
	return v;
}

static char *get_str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	const char *enc = json_string_value(json_object_get(v, "base64"));
	struct buf b = BUF_INIT;

	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	if (!json_is_object(v) || enc == NULL || b64_decode(enc, &b) < 0 ||
	    memchr(b.s, '\0', b.len)) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b);
}

/* What "content_sha256" covers: the files and items lists. */
static void content_digest(json_t *files, json_t *items, char out[65])
{
	json_t *c = json_pack("{s:O,s:O}", "files", files, "items", items);
	char *text = json_dumps(c, JSON_COMPACT | JSON_SORT_KEYS);

	sha256_hex(text ? text : "", text ? strlen(text) : 0, out);
	free(text);
	json_decref(c);
}

static json_t *save_file(const struct jfile *f)
{
	json_t *jf = json_object();
	char *orig = b64_encode(f->original.s ? f->original.s : "", f->original.len);
	char *applied = b64_encode(f->applied.s ? f->applied.s : "", f->applied.len);
	char sha_orig[65], sha_after[65] = "";

	sha256_hex(f->original.s ? f->original.s : "", f->original.len, sha_orig);
	if (f->sha_after[0])
		sha256_hex(f->applied.s ? f->applied.s : "", f->applied.len, sha_after);
	json_object_set_new(jf, "path", jstr(f->path));
	json_object_set_new(jf, "unit", json_boolean(f->unit));
	json_object_set_new(jf, "existed", json_boolean(f->meta.exists));
	json_object_set_new(jf, "original_base64", json_string(orig));
	json_object_set_new(jf, "original_sha256", json_string(sha_orig));
	json_object_set_new(jf, "applied_base64", json_string(applied));
	json_object_set_new(jf, "mode", json_integer(f->meta.mode));
	json_object_set_new(jf, "uid", json_integer(f->meta.uid));
	json_object_set_new(jf, "gid", json_integer(f->meta.gid));
	json_object_set_new(jf, "mtime_sec", json_integer(f->meta.mtime.tv_sec));
	json_object_set_new(jf, "mtime_nsec", json_integer(f->meta.mtime.tv_nsec));
	json_object_set_new(jf, "sha256_after", json_string(sha_after));
	if (f->sha_prior[0])
		json_object_set_new(jf, "prior_sha256", json_string(f->sha_prior));
	free(orig);
	free(applied);
	return jf;
}

static json_t *save_item(const struct jitem *it)
{
	json_t *ji = json_object();

	json_object_set_new(ji, "kind", json_string(item_kinds[it->kind]));
	json_object_set_new(ji, "name", jstr(it->name));
	json_object_set_new(ji, "file", jstr(it->file));
	json_object_set_new(ji, "original_present", json_boolean(it->original_present));
	json_object_set_new(ji, "original", jstr(it->original));
	json_object_set_new(ji, "original_raw", jstr(it->original_raw));
	json_object_set_new(ji, "after", jstr(it->after));
	json_object_set_new(ji, "renamed_from", jstr(it->renamed_from));
	json_object_set_new(ji, "want", jstr(it->want));
	return ji;
}

int journal_save(const char *root, const struct journal *j, struct err *e)
{
	json_t *o = json_object(), *files = json_array(), *items = json_array();
	char *dir = root_path(root, JOURNAL_DIR);
	char *path = root_path(root, JOURNAL_PATH);
	struct file_meta meta = { 1, 0600, getuid(), getgid(), { 0, 0 } };
	char digest[65], *text;
	int rc;

	for (size_t i = 0; i < j->nfiles; i++)
		json_array_append_new(files, save_file(&j->files[i]));
	for (size_t i = 0; i < j->nitems; i++)
		json_array_append_new(items, save_item(&j->items[i]));
	content_digest(files, items, digest);
	json_object_set_new(o, "format", json_string(JOURNAL_FORMAT));
	json_object_set_new(o, "profile", jstr(j->profile));
	json_object_set_new(o, "profile_path", jstr(j->profile_path));
	json_object_set_new(o, "user", jstr(j->user));
	json_object_set_new(o, "reason", jstr(j->reason));
	json_object_set_new(o, "host", jstr(j->host));
	json_object_set_new(o, "started", json_integer(j->started));
	json_object_set_new(o, "completed", j->completed ?
	    json_integer(j->completed) : json_null());
	json_object_set_new(o, "reload_pending", json_boolean(j->reload_pending));
	json_object_set_new(o, "content_sha256", json_string(digest));
	json_object_set_new(o, "files", files);
	json_object_set_new(o, "items", items);
	if (j->audit)
		json_object_set(o, "audit", j->audit);
	if (j->log)
		json_object_set(o, "log", j->log);
	text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	rc = text ? mkdir_p(dir, 0700, e) :
	    errf(e, EXIT_FAIL, "cannot write %s: the journal does not serialize", path);
	if (rc == 0 && chmod(dir, 0700) < 0)
		rc = errf(e, EXIT_FAIL, "cannot make %s private: %m", dir);
	if (rc == 0) {
		struct buf b = BUF_INIT;
		buf_addf(&b, "%s\n", text);
		rc = file_write_atomic(path, b.s, b.len, &meta, 0, NULL, e);
		buf_free(&b);
	}
	free(text);
	free(dir);
	free(path);
	return rc;
}

static int corrupt(struct err *e, const char *path, const char *why)
{
	return errf(e, EXIT_DATA, "%s: corrupt journal: %s (move it aside only if no profile is applied)", path, why);
}

static int tampered(struct err *e, const char *path, const char *why)
{
	return errf(e, EXIT_DATA, "%s: the journal does not check out: %s; nothing was written and it is kept (restore the files from a backup before moving it aside)", path, why);
}

static int digest_is(json_t *o, json_t *files, json_t *items)
{
	const char *want = json_string_value(json_object_get(o, "content_sha256"));
	char sha[65];

	content_digest(files, items, sha);
	return want && strcmp(want, sha) == 0;
}

static int sha_is(const char *want, const struct buf *b)
{
	char sha[65];

	sha256_hex(b->s ? b->s : "", b->len, sha);
	return want && strcmp(want, sha) == 0;
}

/* 0, -1 incomplete, -2 its bytes do not match their SHA-256 (format 2). */
static int load_file(json_t *jf, struct jfile *f, int checked)
{
	const char *enc = json_string_value(json_object_get(jf, "original_base64"));
	const char *sha = json_string_value(json_object_get(jf, "sha256_after"));
	const char *sha_orig = json_string_value(json_object_get(jf, "original_sha256"));
	const char *applied = json_string_value(json_object_get(jf, "applied_base64"));
	const char *prior = json_string_value(json_object_get(jf, "prior_sha256"));

	f->path = get_str(jf, "path");
	if (f->path == NULL || f->path[0] != '/' || enc == NULL || sha == NULL ||
	    strlen(sha) > 64 || (prior && strlen(prior) != 64) ||
	    b64_decode(enc, &f->original) < 0)
		return -1;
	if (applied && b64_decode(applied, &f->applied) < 0)
		return -1;
	if (checked && (!sha_is(sha_orig, &f->original) ||
	    (*sha && !sha_is(sha, &f->applied))))
		return -2;
	snprintf(f->sha_after, sizeof f->sha_after, "%s", sha);
	snprintf(f->sha_prior, sizeof f->sha_prior, "%s", prior ? prior : "");
	f->unit = json_is_true(json_object_get(jf, "unit"));
	f->meta.exists = json_is_true(json_object_get(jf, "existed"));
	f->meta.mode = json_integer_value(json_object_get(jf, "mode"));
	f->meta.uid = json_integer_value(json_object_get(jf, "uid"));
	f->meta.gid = json_integer_value(json_object_get(jf, "gid"));
	f->meta.mtime.tv_sec = json_integer_value(json_object_get(jf, "mtime_sec"));
	f->meta.mtime.tv_nsec = json_integer_value(json_object_get(jf, "mtime_nsec"));
	return 0;
}

static int load_item(json_t *ji, struct jitem *it)
{
	const char *kind = json_string_value(json_object_get(ji, "kind"));

	it->kind = -1;
	for (int k = 0; kind && item_kinds[k]; k++)
		if (strcmp(kind, item_kinds[k]) == 0)
			it->kind = k;
	if (it->kind < 0)
		return -1;
	it->name = get_str(ji, "name");
	it->file = get_str(ji, "file");
	it->original_present = json_is_true(json_object_get(ji, "original_present"));
	it->original = get_str(ji, "original");
	it->original_raw = get_str(ji, "original_raw");
	it->after = get_str(ji, "after");
	it->renamed_from = get_str(ji, "renamed_from");
	it->want = get_str(ji, "want");
	return it->name ? 0 : -1;
}

int journal_load(const char *root, struct journal *j, int *found,
    struct err *e)
{
	char *path = root_path(root, JOURNAL_PATH);
	struct buf text = BUF_INIT;
	struct file_meta meta;
	json_error_t je;
	json_t *o = NULL, *files, *items;
	const char *fmt;
	int rc = -1, checked;

	memset(j, 0, sizeof *j);
	*found = 0;
	if (path_private(root, JOURNAL_PATH, 1, e) < 0 ||
	    file_read(path, &text, &meta, 1, e) < 0)
		goto out;
	if (!meta.exists) {
		rc = 0;
		goto out;
	}
	*found = 1;
	o = json_loadb(text.s, text.len, 0, &je);
	if (o == NULL) {
		errf(e, EXIT_DATA, "%s:%d: corrupt journal: %s (move it aside only if no profile is applied)", path, je.line, je.text);
		goto out;
	}
	fmt = json_string_value(json_object_get(o, "format"));
	checked = fmt && strcmp(fmt, JOURNAL_FORMAT) == 0;
	if (!checked && (fmt == NULL || strcmp(fmt, JOURNAL_FORMAT_1) != 0)) {
		errf(e, EXIT_DATA, "%s: not an aurora-restore journal (format %s%s%s)",
		    path, fmt ? "\"" : "", fmt ? fmt : "missing", fmt ? "\"" : "");
		goto out;
	}
	files = json_object_get(o, "files");
	items = json_object_get(o, "items");
	j->profile = get_str(o, "profile");
	if (!json_is_array(files) || !json_is_array(items) || j->profile == NULL ||
	    !json_is_integer(json_object_get(o, "started"))) {
		corrupt(e, path, "missing profile, started, files or items");
		goto out;
	}
	if (checked && !digest_is(o, files, items)) {
		tampered(e, path, "its files and items are not what was written (content_sha256)");
		goto out;
	}
	j->profile_path = get_str(o, "profile_path");
	j->user = get_str(o, "user");
	j->reason = get_str(o, "reason");
	j->host = get_str(o, "host");
	j->started = json_integer_value(json_object_get(o, "started"));
	j->completed = json_integer_value(json_object_get(o, "completed"));
	j->reload_pending = json_is_true(json_object_get(o, "reload_pending"));
	if (json_is_array(json_object_get(o, "audit")))
		j->audit = json_incref(json_object_get(o, "audit"));
	if (json_is_array(json_object_get(o, "log")))
		j->log = json_incref(json_object_get(o, "log"));
	j->nfiles = json_array_size(files);
	j->files = xcalloc(j->nfiles + 1, sizeof *j->files);
	for (size_t i = 0; i < j->nfiles; i++) {
		int bad = load_file(json_array_get(files, i), &j->files[i], checked);
		if (bad == -2)
			tampered(e, path, "the recorded bytes of a file do not match their SHA-256");
		else if (bad < 0)
			corrupt(e, path, "a file entry is incomplete");
		if (bad < 0)
			goto out;
	}
	j->nitems = json_array_size(items);
	j->items = xcalloc(j->nitems + 1, sizeof *j->items);
	for (size_t i = 0; i < j->nitems; i++)
		if (load_item(json_array_get(items, i), &j->items[i]) < 0) {
			corrupt(e, path, "an item is incomplete");
			goto out;
		}
	rc = 0;
out:
	json_decref(o);
	buf_free(&text);
	free(path);
	return rc;
}

int journal_retire(const char *root, struct err *e)
{
	char *path = root_path(root, JOURNAL_PATH);
	char *old = root_path(root, JOURNAL_DIR "/last-reverted.json");
	char *dir = root_path(root, JOURNAL_DIR);
	int rc = 0;

	if (rename(path, old) < 0)
		rc = errf(e, EXIT_FAIL, "cannot move %s aside: %m", path);
	else {
		crash_point("rename", old);
		rc = file_sync_dir(dir, e);
	}
	file_clean_temps(path);
	free(path);
	free(old);
	free(dir);
	return rc;
}

void journal_free(struct journal *j)
{
	free(j->profile);
	free(j->profile_path);
	free(j->user);
	free(j->reason);
	free(j->host);
	for (size_t i = 0; i < j->nfiles; i++) {
		free(j->files[i].path);
		buf_free(&j->files[i].original);
		buf_free(&j->files[i].applied);
	}
	free(j->files);
	for (size_t i = 0; i < j->nitems; i++) {
		struct jitem *it = &j->items[i];
		free(it->name);
		free(it->file);
		free(it->original);
		free(it->original_raw);
		free(it->after);
		free(it->renamed_from);
		free(it->want);
	}
	free(j->items);
	json_decref(j->audit);
	json_decref(j->log);
	memset(j, 0, sizeof *j);
}

struct jfile *journal_file(struct journal *j, const char *path)
{
	for (size_t i = 0; i < j->nfiles; i++)
		if (strcmp(j->files[i].path, path) == 0)
			return &j->files[i];
	return NULL;
}

int journal_applied_known(const struct jfile *f)
{
	return f->sha_after[0] && sha_is(f->sha_after, &f->applied);
}

int journal_audit(const char *root, void *entry, struct err *e)
{
	return journal_append(root, "audit", entry, e);
}

int journal_append(const char *root, const char *list, void *entry,
    struct err *e)
{
	char *path = root_path(root, JOURNAL_PATH);
	struct buf text = BUF_INIT;
	struct file_meta meta;
	json_t *o = NULL, *audit;
	char *out = NULL;
	int rc = -1;

	if (file_read(path, &text, &meta, 1, e) < 0 || !meta.exists ||
	    (o = json_loadb(text.s, text.len, 0, NULL)) == NULL)
		goto done;
	audit = json_object_get(o, list);
	if (!json_is_array(audit)) {
		audit = json_array();
		json_object_set_new(o, list, audit);
	}
	json_array_append(audit, entry);
	out = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	buf_reset(&text);
	buf_addf(&text, "%s\n", out);
	rc = file_write_atomic(path, text.s, text.len, &meta, 0, NULL, e);
done:
	json_decref(o);
	free(out);
	buf_free(&text);
	free(path);
	return rc;
}
