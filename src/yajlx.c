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
