/* yajlx.c: see yajlx.h. */
#include <stdlib.h>
#include <string.h>
#include "buf.h"
#include "yajlx.h"

static void *y_malloc(void *ctx, size_t n)
{
	(void)ctx;
	return xmalloc(n);
}

static void *y_realloc(void *ctx, void *p, size_t n)
{
	(void)ctx;
	return xrealloc(p, n);
}

static void y_free(void *ctx, void *p)
{
	(void)ctx;
	free(p);
}

yajl_alloc_funcs yajlx_allocs = { y_malloc, y_realloc, y_free, NULL };

void yajlx_syntax_error(yajl_handle h, const char *data, size_t len,
    size_t at, struct err *e)
{
	unsigned char *msg = yajl_get_error(h, 0, (const unsigned char *)data, len);
	size_t n = msg ? strlen((char *)msg) : 0;

	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		n--;
	errf(e, EXIT_DATA, "bad reply at byte %zu: not JSON (%.*s)", at,
	    (int)n, msg ? (char *)msg : "");
	if (msg)
		yajl_free_error(h, msg);
}

void yajlx_open(struct yajlx_stream *s, const yajl_callbacks *cb,
    void *ctx, size_t max)
{
	memset(s, 0, sizeof *s);
	s->h = yajl_alloc(cb, &yajlx_allocs, ctx);
	s->max = max;
	s->held = (struct buf)BUF_INIT;
}

/* Turn a stopped parse into s->err (once). */
static void parse_failed(struct yajlx_stream *s, yajl_status st,
    const char *data, size_t len)
{
	size_t at = s->chunk_start + yajl_get_bytes_consumed(s->h);

	at = at < s->total ? at : s->total;	/* at the end, yajl counts its last chunk */
	if (s->failed)
		return;
	s->failed = 1;
	if (s->user_failed)
		return;
	if (st == yajl_status_client_canceled) {
		errf(&s->err, EXIT_DATA, "bad reply at byte %zu: %s", at, s->why);
		return;
	}
	yajlx_syntax_error(s->h, data, len, at, &s->err);
}

int yajlx_failure(const struct yajlx_stream *s, struct err *e)
{
	return errf(e, s->err.code ? s->err.code : EXIT_DATA, "%s", s->err.msg);
}

/* Give yajl len bytes that end between tokens. */
static int parse(struct yajlx_stream *s, const char *p, size_t len)
{
	yajl_status st;

	if (len == 0)
		return 0;
	s->chunk_start = s->fed;
	s->fed += len;
	st = yajl_parse(s->h, (const unsigned char *)p, len);
	if (st == yajl_status_ok)
		return 0;
	parse_failed(s, st, p, len);
	return -1;
}

enum { L_OUT, L_STR, L_ESC, L_BARE };

static int is_bare(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') || c == '-' || c == '+' || c == '.';
}

/* How much of data ends between tokens. */
static size_t token_end(struct yajlx_stream *s, const char *data, size_t len)
{
	size_t cut = 0;
	int st = s->lex;

	for (size_t i = 0; i < len; i++) {
		if (st == L_STR) {
			while (i < len && data[i] != '"' && data[i] != '\\')
				i++;
			if (i == len)
				break;
			st = data[i] == '"' ? L_OUT : L_ESC;
		} else if (st == L_ESC)
			st = L_STR;
		else if (data[i] == '"')
			st = L_STR;
		else
			st = is_bare((unsigned char)data[i]) ? L_BARE : L_OUT;
		if (st == L_OUT)
			cut = i + 1;
	}
	s->lex = st;
	return cut;
}

int yajlx_feed(struct yajlx_stream *s, const char *data, size_t len,
    struct err *e)
{
	size_t cut;
	int rc;

	if (s->failed)
		return yajlx_failure(s, e);
	if (s->max && (len > s->max || s->total > s->max - len)) {
		s->failed = 1;
		errf(&s->err, EXIT_DATA, "reply larger than %zu bytes (--max-reply)", s->max);
		return yajlx_failure(s, e);
	}
	if (len == 0)
		return 0;
	s->total += len;
	cut = token_end(s, data, len);
	if (cut && s->held.len) {
		buf_add(&s->held, data, cut);
		rc = parse(s, s->held.s, s->held.len);
		buf_free(&s->held);
	} else
		rc = parse(s, data, cut);
	if (rc < 0)
		return yajlx_failure(s, e);
	buf_add(&s->held, data + cut, len - cut);
	return 0;
}

int yajlx_finish(struct yajlx_stream *s, const int *done, struct err *e)
{
	yajl_status st;

	if (s->failed)
		return yajlx_failure(s, e);
	if (s->total == 0)
		return errf(e, EXIT_DATA, "empty reply");
	if (s->held.len && parse(s, s->held.s, s->held.len) < 0)
		return yajlx_failure(s, e);
	buf_free(&s->held);
	s->chunk_start = s->fed;
	st = yajl_complete_parse(s->h);
	if (st == yajl_status_client_canceled)
		parse_failed(s, st, NULL, 0);
	if (s->failed)
		return yajlx_failure(s, e);
	if (!*done)
		return errf(e, EXIT_DATA, "reply truncated after %zu bytes", s->total);
	if (st != yajl_status_ok) {
		parse_failed(s, st, NULL, 0);
		return yajlx_failure(s, e);
	}
	return 0;
}

void yajlx_close(struct yajlx_stream *s)
{
	if (s->h)
		yajl_free(s->h);
	s->h = NULL;
	buf_free(&s->held);
}
