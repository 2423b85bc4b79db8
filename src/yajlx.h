/*
 * yajlx.h: what the streaming JSON decoders (tjson.c, mesos.c) share
 * around yajl: its allocator (buf.h's wrappers: out of memory aborts
 * there) and the message of a syntax error.
 */
#ifndef YAJLX_H
#define YAJLX_H

#include <stddef.h>
#include <yajl/yajl_parse.h>
#include "err.h"

extern yajl_alloc_funcs yajlx_allocs;

/* EXIT_DATA "bad reply at byte AT: not JSON (yajl's words)" into e. */
void yajlx_syntax_error(yajl_handle h, const char *data, size_t len,
    size_t at, struct err *e);

#endif
