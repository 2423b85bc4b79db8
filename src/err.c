/* err.c: fill a struct err once; the first error wins. */
#include <stdarg.h>
#include <stdio.h>
#include "err.h"

int errf(struct err *e, int code, const char *fmt, ...)
{
	va_list ap;

	if (!e || e->code)
		return -1;
	e->code = code ? code : EXIT_FAIL;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return -1;
}
