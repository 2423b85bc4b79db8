#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include "timeamt.h"

static const struct {
	const char *name;
	double seconds;
} units[] = {
	{ "ns", 1e-9 }, { "us", 1e-6 }, { "ms", 1e-3 }, { "secs", 1 },
	{ "mins", 60 }, { "hrs", 3600 }, { "days", 86400 },
};

/* Aurora reads the digits with Long.parseLong, so they must fit in 63 bits. */
int timeamt_parse(const char *s, double *seconds)
{
	uint64_t n = 0;
	const char *p = s;

	for (; *p >= '0' && *p <= '9'; p++) {
		if (n > (INT64_MAX - (uint64_t)(*p - '0')) / 10)
			return -1;
		n = n * 10 + (uint64_t)(*p - '0');
	}
	if (p == s)
		return -1;
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (strcmp(p, units[i].name) == 0) {
			*seconds = (double)n * units[i].seconds;
			return 0;
		}
	}
	return -1;
}

int timeamt_timeout(const char *s, double *seconds)
{
	double v;

	if (timeamt_parse(s, &v) < 0 || !(v > 0) || v * 1000 >= (double)LONG_MAX)
		return -1;
	*seconds = v;
	return 0;
}

double timeamt_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}
