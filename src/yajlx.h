/*
 * yajlx.h: what the streaming JSON decoders (tjson.c, mesos.c) share
 * around yajl: its allocator (buf.h's wrappers: out of memory aborts
 * there), the message of a syntax error, and the stream that feeds yajl.
 */
#ifndef YAJLX_H
#define YAJLX_H

#include <stddef.h>
#include <yajl/yajl_parse.h>
#include "buf.h"
#include "err.h"

extern yajl_alloc_funcs yajlx_allocs;

/* EXIT_DATA "bad reply at byte AT: not JSON (yajl's words)" into e. */
void yajlx_syntax_error(yajl_handle h, const char *data, size_t len,
    size_t at, struct err *e);

/*
 * A yajl parse fed in chunks of any size, bounded by max bytes (0: no
 * bound). Input is held back until its token ends: yajl lexes a token cut
 * by the end of a chunk again from its start with every chunk, which is
 * quadratic in a long string's length. The decoder's callbacks put why
 * they stopped in why (first reason kept) and set user_failed when the
 * caller's own callback refused (its error already in err). The first
 * failure is kept in err and given again. Owns h and held.
 */
struct yajlx_stream {
	yajl_handle h;
	size_t max, total, chunk_start, fed;
	int failed, user_failed;
	int lex;		/* where the input ends: inside a string, ... */
	char why[600];
	struct err err;
	struct buf held;	/* input held back: a token not ended yet */
};

void yajlx_open(struct yajlx_stream *s, const yajl_callbacks *cb,
    void *ctx, size_t max);
int yajlx_feed(struct yajlx_stream *s, const char *data, size_t len,
    struct err *e);
/* The end of the input: 0 when it parsed whole and *done (the decoder's
 * "one complete value was read", looked at once the last callbacks ran),
 * else -1 with e: "empty reply", "reply truncated after N bytes", ... */
int yajlx_finish(struct yajlx_stream *s, const int *done, struct err *e);
/* The failure kept, into e: -1. */
int yajlx_failure(const struct yajlx_stream *s, struct err *e);
void yajlx_close(struct yajlx_stream *s);

#endif
