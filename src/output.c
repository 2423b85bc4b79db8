#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "diff.h"
#include "output.h"

void result_init(struct result *r)
{
	memset(r, 0, sizeof *r);
	r->diff = json_array();
	r->extra = json_object();
}

void result_free(struct result *r)
{
	free(r->msg);
	buf_free(&r->text);
	json_decref(r->diff);
	json_decref(r->extra);
	memset(r, 0, sizeof *r);
}

void result_line(struct result *r, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	va_end(ap);
	if (r->stream)
		printf("%s\n", s);
	else
		buf_addf(&r->text, "%s\n", s);
	free(s);
}

void result_msg(struct result *r, const char *fmt, ...)
{
	va_list ap;

	free(r->msg);
	va_start(ap, fmt);
	if (vasprintf(&r->msg, fmt, ap) < 0)
		abort();
	va_end(ap);
}

/* A JSON string of text as it is, or with the bytes that are not UTF-8
 * as '?' (a file in Latin-1): never a missing key. */
static json_t *json_text(const char *s)
{
	json_t *j = json_string(s);
	char *c;

	if (j)
		return j;
	c = xstrdup(s);
	utf8_scrub(c);
	j = json_string(c);
	free(c);
	return j;
}

void result_diff(struct result *r, const char *path, const char *before,
    const char *after)
{
	json_t *d = json_object();
	struct buf u = BUF_INIT;
	char *a = xasprintf("a%s", path), *b = xasprintf("b%s", path);

	json_object_set_new(d, "before_header", json_text(path));
	json_object_set_new(d, "after_header", json_text(path));
	json_object_set_new(d, "before", json_text(before ? before : ""));
	json_object_set_new(d, "after", json_text(after ? after : ""));
	json_array_append_new(r->diff, d);
	if (r->show_diff) {
		diff_unified(before ? before : "", before ? strlen(before) : 0,
		    after ? after : "", after ? strlen(after) : 0, a, b, &u);
		if (u.len)
			buf_add(&r->text, u.s, u.len);
	}
	buf_free(&u);
	free(a);
	free(b);
}

void result_set(struct result *r, const char *key, json_t *value)
{
	json_object_set_new(r->extra, key, value);
}

void result_stream_list(struct result *r, const char *key)
{
	printf("{\"%s\":[", key);
	r->jstream = 1;
}

void result_stream_item(struct result *r, const char *json, size_t len)
{
	if (r->jstream++ > 1)
		putchar(',');
	fwrite(json, 1, len, stdout);
}

void result_print(const struct result *r, int json, int rc, const char *err)
{
	const char *msg = err ? err : r->msg ? r->msg : "";

	if (json) {
		json_t *o = json_object();
		char *s;
		json_object_set_new(o, "changed", json_boolean(r->changed));
		json_object_set_new(o, "failed", json_boolean(rc != 0 && rc != 2));
		json_object_set_new(o, "rc", json_integer(rc));
		json_object_set_new(o, "msg", json_text(msg));
		json_object_set_new(o, "comment", json_text(msg));
		json_object_set(o, "diff", r->diff);
		json_object_update(o, r->extra);
		s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
		if (r->jstream)
			printf("],%s\n", s + 1);
		else
			printf("%s\n", s);
		free(s);
		json_decref(o);
		if (err)
			fprintf(stderr, "aurora-restore: %s\n", err);
		return;
	}
	if (r->text.len)
		fwrite(r->text.s, 1, r->text.len, stdout);
	if (err)
		fprintf(stderr, "aurora-restore: %s\n", err);
	else if (*msg)
		printf("%s\n", msg);
}
