/* buf.c: growable NUL-terminated byte buffers and allocation wrappers. */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "buf.h"

static void oom(void)
{
	fputs("aurora-restore: out of memory\n", stderr);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = xmalloc(len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom();
	s = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

/* Make room for len more bytes plus the NUL. */
static void grow(struct buf *b, size_t len)
{
	size_t need;

	if (len > SIZE_MAX - b->len - 1)
		oom();
	need = b->len + len + 1;
	if (need <= b->cap)
		return;
	if (b->cap < 64)
		b->cap = 64;
	while (b->cap < need)
		b->cap = b->cap > SIZE_MAX / 2 ? need : b->cap * 2;
	b->s = xrealloc(b->s, b->cap);
}

void buf_add(struct buf *b, const void *data, size_t len)
{
	grow(b, len);
	if (len)
		memcpy(b->s + b->len, data, len);
	b->len += len;
	b->s[b->len] = '\0';
}

void buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom();
	grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
}

void buf_free(struct buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

char *buf_detach(struct buf *b)
{
	char *s = b->s ? b->s : xstrdup("");

	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

int utf8_len(const unsigned char *s)
{
	int n = s[0] >= 0xf5 ? 0 : s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 :
	    s[0] >= 0xc2 ? 2 : 0;

	for (int i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0) ||
	    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))
		return 0;
	return n;
}

void utf8_scrub(char *str)
{
	unsigned char *s = (unsigned char *)str;
	int n;

	while (*s) {
		if (*s < 0x80)
			s++;
		else if ((n = utf8_len(s)) > 0)
			s += n;
		else
			*s++ = '?';
	}
}

static int path_char(char c)
{
	return isalnum((unsigned char)c) || (c && strchr("/._-~", c));
}

/* The length of the path of keep that starts at p, 0 for none. */
static size_t kept_len(const char *p, const char *const *keep)
{
	for (; keep && *keep; keep++) {
		size_t n = strlen(*keep);
		if (n && strncmp(p, *keep, n) == 0 &&
		    (p[n] == '/' || p[n] == '.' || !path_char(p[n])))
			return n;
	}
	return 0;
}

char *unroot(char *s, const char *root)
{
	return unroot_keep(s, root, NULL);
}

char *unroot_keep(char *s, const char *root, const char *const *keep)
{
	size_t n = root ? strlen(root) : 0, k;
	char *r = s, *w = s, prev = '\0';

	while (n > 0 && root[n - 1] == '/')
		n--;
	while (n > 0 && r && *r) {
		int under = !path_char(prev) && strncmp(r, root, n) == 0 && r[n] == '/';
		if (!path_char(prev) && (k = kept_len(r, keep)) > (under ? n : 0)) {
			memmove(w, r, k);
			w += k, r += k;
			prev = r[-1];
			continue;
		}
		if (under)
			r += n;
		prev = *r;
		*w++ = *r++;
	}
	if (n > 0 && w)
		*w = '\0';
	return s;
}
