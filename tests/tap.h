/*
 * tap.h: TAP output for the C unit tests: include once per program.
 *
 * ok() prints "ok N - desc" or "not ok N - desc" and returns cond; note()
 * prints "# ..."; is() compares strings and notes both when they differ;
 * skip() counts a check as "ok N - desc # SKIP why"; bail_out() stops the
 * program with "Bail out! why" when a setup step fails (setup is not a
 * check); tap_done() prints the plan "1..N" and returns the exit status.
 * Each line is flushed, so that output stays in order around fork() and
 * child processes. A check that cannot fail (ok(1, ...)) is a note().
 *
 * tests/run reads "min-checks: N" and "allow-skip: REASON -- why" from the
 * test's comment lines: fewer checks, or a skip whose reason is not
 * declared, fails the program.
 */
#ifndef TAP_H
#define TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TAP_UNUSED __attribute__((unused))

static int ntests, nfailed;

static int ok(int cond, const char *fmt, ...)
    __attribute__((format(printf, 2, 3))) TAP_UNUSED;
static int ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++ntests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!cond)
		nfailed++;
	fflush(stdout);
	return cond;
}

static void note(const char *fmt, ...)
    __attribute__((format(printf, 1, 2))) TAP_UNUSED;
static void note(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* ok() for strings, showing both when they differ. */
static TAP_UNUSED int is(const char *got, const char *want, const char *desc)
{
	int same = got && strcmp(got, want) == 0;

	ok(same, "%s", desc);
	if (!same)
		note("got:  '%s'\n# want: '%s'", got ? got : "(null)", want);
	return same;
}

static TAP_UNUSED void skip(const char *desc, const char *why)
{
	printf("ok %d - %s # SKIP %s\n", ++ntests, desc, why);
	fflush(stdout);
}

static void bail_out(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn)) TAP_UNUSED;
static void bail_out(const char *fmt, ...)
{
	va_list ap;

	fputs("Bail out! ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	exit(1);
}

/* The plan, last; the exit status for main() to return. */
static TAP_UNUSED int tap_done(void)
{
	printf("1..%d\n", ntests);
	fflush(stdout);
	return nfailed ? 1 : 0;
}

#endif
