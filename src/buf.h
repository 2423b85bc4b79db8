/*
 * buf.h: a growable byte buffer, always NUL-terminated.
 * The buffer owns s; buf_free() releases it. Allocation failure aborts.
 */
#ifndef BUF_H
#define BUF_H

#include <stddef.h>

struct buf {
	char *s;
	size_t len;
	size_t cap;
};

#define BUF_INIT { NULL, 0, 0 }

void buf_add(struct buf *b, const void *data, size_t len);
void buf_adds(struct buf *b, const char *s);
void buf_addf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void buf_reset(struct buf *b);
void buf_free(struct buf *b);
/* Hand the string to the caller (never NULL) and reset b. */
char *buf_detach(struct buf *b);

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Length of the UTF-8 sequence at s (NUL-terminated) as JSON takes it (no
 * overlong forms, surrogates or code points past U+10FFFF), or 0. */
int utf8_len(const unsigned char *s);
/* Replace each byte that is not part of valid UTF-8 with '?' (JSON text,
 * and so --json, must be UTF-8). */
void utf8_scrub(char *s);
/* Name real paths under root as the host under root sees them: every
 * "ROOT/..." in s that starts a path (at the start of s or after a
 * character that cannot be part of one) loses its ROOT, in place. root
 * NULL or "/" leaves s as it is. Returns s (NULL for NULL). */
char *unroot(char *s, const char *root);
/* The same, except for the paths of keep (NULL-ended, may be NULL): a
 * path that is one of them, or lies in one, stays as it is (unless the
 * root is longer: a kept /srv does not keep ROOT=/srv/h's paths). */
char *unroot_keep(char *s, const char *root, const char *const *keep);

#endif
