/*
 * fuzz-vars.c: a scheduler's /vars page (src/live.c, live_read_vars), as
 * leader, verify --live and commit read it.
 *
 * Input: the page. Checks: the state is one of Aurora's lifecycle states
 * and its gauge line "scheduler_lifecycle_STATE 1" is really there;
 * "registered" is unknown exactly when there is no framework_registered
 * line; only LEADER_AWAITING_REGISTRATION and ACTIVE lead.
 */
#include <stdlib.h>
#include <string.h>
#include "buf.h"
#include "fuzz.h"
#include "live.h"

/* Does text have a line starting with prefix (whole: equal to it)? */
static int has_line(const char *text, const char *prefix, int whole)
{
	size_t n = strlen(prefix);

	for (const char *p = text; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (strncmp(p, prefix, n) == 0 &&
		    (!whole || p[n] == '\n' || p[n] == '\0'))
			return 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const states[] = { "IDLE", "PREPARING_STORAGE",
		"STORAGE_PREPARED", "LEADER_AWAITING_REGISTRATION", "ACTIVE",
		"DEAD" };
	char *text = xstrndup((const char *)data, size);
	struct live_probe p;
	int known = 0, leads;

	memset(&p, 0, sizeof p);
	live_read_vars(&p, text);
	FUZZ_CHECK(p.ok == 1, "a page read is not ok");
	if (p.state) {
		char *line = xasprintf("scheduler_lifecycle_%s 1", p.state);
		for (size_t i = 0; i < sizeof states / sizeof states[0]; i++)
			known |= strcmp(p.state, states[i]) == 0;
		FUZZ_CHECK(known, "unknown state \"%s\"", p.state);
		FUZZ_CHECK(has_line(text, line, 1), "state %s without its gauge at 1", p.state);
		free(line);
	}
	FUZZ_CHECK((p.registered == -1) == !has_line(text, "framework_registered ", 0),
	    "registered %d", p.registered);
	leads = live_is_leader(&p);
	FUZZ_CHECK(leads == (p.state && (strcmp(p.state, "ACTIVE") == 0 ||
	    strcmp(p.state, "LEADER_AWAITING_REGISTRATION") == 0)),
	    "leader %d in state %s", leads, p.state ? p.state : "(none)");
	live_probes_free(&p, 1);
	free(text);
	return 0;
}
