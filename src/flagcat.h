/*
 * flagcat.h: the catalogue of Aurora 0.22 scheduler flags (generated from
 * data/scheduler-flags-0.22.tsv into flagcat-table.c). Entries are static.
 */
#ifndef FLAGCAT_H
#define FLAGCAT_H

#include "err.h"

struct flag_info {
	const char *name;	/* without the dash */
	const char *type;	/* TimeAmount, int, boolean, string, ... */
	int list;		/* may repeat */
	int bool_needs_value;
	int required;
	int secret;		/* a credential: output shows it masked */
};

const struct flag_info *flagcat_find(const char *name);

/* Check a value against the flag's type: time amounts, booleans that need
 * true/false, integers. On error the message is "VALUE is not ..." and the
 * caller prefixes the place. */
int flagcat_check_value(const struct flag_info *f, const char *value,
    struct err *e);

#endif
