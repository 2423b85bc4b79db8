#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "flagcat.h"
#include "timeamt.h"

/* Generated from data/scheduler-flags-0.22.tsv by src/gen-flagcat.awk. */
extern const struct flag_info flagcat_table[];
extern const size_t flagcat_count;

static int by_name(const void *key, const void *elem)
{
	return strcmp(key, ((const struct flag_info *)elem)->name);
}

const struct flag_info *flagcat_find(const char *name)
{
	return bsearch(name, flagcat_table, flagcat_count,
	    sizeof flagcat_table[0], by_name);
}

/* Optional '-', then digits, within [min, max]: Java's parseInt/parseLong. */
static int is_integer(const char *v, long long min, long long max)
{
	const char *p = v[0] == '-' ? v + 1 : v;
	long long n;
	char *end;

	if (*p < '0' || *p > '9' || strspn(p, "0123456789") != strlen(p))
		return 0;
	errno = 0;
	n = strtoll(v, &end, 10);
	return errno == 0 && n >= min && n <= max;
}

/* Aurora's DataAmount: digits (an int) then a unit of its Data enum. */
static int is_data_amount(const char *v)
{
	static const char *const units[] = { "BITS", "Kb", "Mb", "Gb",
	    "BYTES", "KB", "MB", "GB", "TB", "PB" };
	size_t n = strspn(v, "0123456789");
	char digits[16];

	if (n == 0 || n >= sizeof digits)
		return 0;
	memcpy(digits, v, n);
	digits[n] = '\0';
	if (!is_integer(digits, 0, INT32_MAX))
		return 0;
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if (strcmp(v + n, units[i]) == 0)
			return 1;
	return 0;
}

/* "enum(NONE,BASIC,NEGOTIATE)": JCommander also tries the value upper-cased. */
static int is_enum_value(const char *type, const char *v)
{
	const char *p = type + strlen("enum(");
	size_t len = strlen(v);

	while (*p && *p != ')') {
		size_t n = strcspn(p, ",)");
		if (n == len && strncasecmp(p, v, n) == 0)
			return 1;
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

int flagcat_check_value(const struct flag_info *f, const char *value,
    struct err *e)
{
	const char *t = f->type;
	double secs;

	if (strcmp(t, "TimeAmount") == 0) {
		if (timeamt_parse(value, &secs) < 0)
			return errf(e, EXIT_CONFIG, "\"%s\" is not a time amount (digits then ns, us, ms, secs, mins, hrs or days)", value);
	} else if (strcmp(t, "boolean") == 0 || strcmp(t, "Boolean") == 0) {
		if (strcmp(value, "true") != 0 && strcmp(value, "false") != 0)
			return errf(e, EXIT_CONFIG, "\"%s\" is not a boolean (needs true or false)", value);
	} else if (strcmp(t, "int") == 0 || strcmp(t, "Integer") == 0) {
		if (!is_integer(value, INT32_MIN, INT32_MAX))
			return errf(e, EXIT_CONFIG, "\"%s\" is not an integer (optional - then digits, 32 bits)", value);
	} else if (strcmp(t, "long") == 0 || strcmp(t, "Long") == 0) {
		if (!is_integer(value, INT64_MIN, INT64_MAX))
			return errf(e, EXIT_CONFIG, "\"%s\" is not an integer (optional - then digits, 64 bits)", value);
	} else if (strcmp(t, "DataAmount") == 0) {
		if (!is_data_amount(value))
			return errf(e, EXIT_CONFIG, "\"%s\" is not a data amount (digits then BITS, Kb, Mb, Gb, BYTES, KB, MB, GB, TB or PB)", value);
	} else if (strncmp(t, "enum(", 5) == 0) {
		if (!is_enum_value(t, value))
			return errf(e, EXIT_CONFIG, "\"%s\" is not one of %.*s", value, (int)(strcspn(t + 5, ")")), t + 5);
	}
	return 0;
}
