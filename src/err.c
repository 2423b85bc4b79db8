/* err.c: fill a struct err once; the first error wins. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "buf.h"
#include "err.h"

/* Messages quote files and replies: keep them one printable line of valid
 * UTF-8 (--json refuses anything else), other bytes become '?'. */
static void clean(char *msg)
{
	utf8_scrub(msg);
	for (unsigned char *s = (unsigned char *)msg; *s; s++)
		if (*s < 0x20 || *s == 0x7f)
			*s = '?';
}

static const char *shown_root;
static const char *kept[17];

void err_show_root(const char *root)
{
	shown_root = root;
}

void err_keep_path(const char *path)
{
	size_t i = 0;

	while (i < sizeof kept / sizeof kept[0] - 1 && kept[i])
		i++;
	if (i < sizeof kept / sizeof kept[0] - 1)
		kept[i] = path;
}

int errf(struct err *e, int code, const char *fmt, ...)
{
	va_list ap;

	if (!e || e->code)
		return -1;
	e->code = code ? code : EXIT_FAIL;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	if (strstr(e->msg, "--root") == NULL)
		unroot_keep(e->msg, shown_root, kept);
	clean(e->msg);
	return -1;
}
