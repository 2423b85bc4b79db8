/*
 * fuzz-vars.c: a scheduler's /vars page (src/live.c, live_read_vars), as
 * leader, verify --live and commit read it.
 *
 * Input: the page. Checks: the state is one of Aurora's lifecycle states
 * and its gauge line "scheduler_lifecycle_STATE 1" is really there;
 * framework_registered lines are counted, and "registered" is known only
 * when there is exactly one; only LEADER_AWAITING_REGISTRATION and ACTIVE
 * lead, and only when one gauge is at 1; "not registered" (verify --live)
 * only when /vars positively says so.
 */
#include <stdlib.h>
#include <string.h>
#include "buf.h"
#include "fuzz.h"
#include "live.h"

/* How many lines of text start with prefix (whole: equal to it, a CR
 * allowed at the end)? */
static int lines(const char *text, const char *prefix, int whole)
{
	size_t n = strlen(prefix);
	int count = 0;

	for (const char *p = text; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (strncmp(p, prefix, n) == 0 && (!whole || p[n] == '\n' ||
		    p[n] == '\0' || (p[n] == '\r' && (p[n + 1] == '\n' || p[n + 1] == '\0'))))
			count++;
	return count;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const states[] = { "IDLE", "PREPARING_STORAGE",
		"STORAGE_PREPARED", "LEADER_AWAITING_REGISTRATION", "ACTIVE",
		"DEAD" };
	char *text = xstrndup((const char *)data, size);
	struct live_probe p;
	int known = 0, leads, nreg;
	char *why;

	memset(&p, 0, sizeof p);
	live_read_vars(&p, text);
	FUZZ_CHECK(p.ok == 1, "a page read is not ok");
	if (p.state) {
		char *line = xasprintf("scheduler_lifecycle_%s 1", p.state);
		for (size_t i = 0; i < sizeof states / sizeof states[0]; i++)
			known |= strcmp(p.state, states[i]) == 0;
		FUZZ_CHECK(known, "unknown state \"%s\"", p.state);
		FUZZ_CHECK(lines(text, line, 1) == 1, "state %s without its gauge at 1 once", p.state);
		free(line);
	}
	FUZZ_CHECK((p.state == NULL) == (p.nstates == 0), "state %s, %d gauges at 1",
	    p.state ? p.state : "(none)", p.nstates);
	nreg = lines(text, "framework_registered ", 0);
	FUZZ_CHECK(p.nregistered == nreg, "%d framework_registered lines counted, %d there",
	    p.nregistered, nreg);
	FUZZ_CHECK(p.registered == -1 || (nreg == 1 && (lines(text, "framework_registered 0", 1) +
	    lines(text, "framework_registered 1", 1)) == 1), "registered %d", p.registered);
	leads = live_is_leader(&p);
	FUZZ_CHECK(leads == (p.nstates == 1 && (strcmp(p.state, "ACTIVE") == 0 ||
	    strcmp(p.state, "LEADER_AWAITING_REGISTRATION") == 0)),
	    "leader %d in state %s", leads, p.state ? p.state : "(none)");
	why = live_not_registered(&p);
	FUZZ_CHECK(why != NULL || (p.nstates == 1 && strcmp(p.state, "ACTIVE") != 0 &&
	    p.nregistered == 1 && p.registered == 0 &&
	    lines(text, "framework_registered 0", 1) == 1), "not registered without saying so");
	free(why);
	live_probes_free(&p, 1);
	free(text);
	return 0;
}
