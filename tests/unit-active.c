/*
 * unit-active: the ScheduleStatus table and the exact active set, written
 * here from the facts sheet (aurora-facts.md section 5), not from the code:
 * PENDING 0 ... PARTITIONED 18; active 0 1 2 6 9 12 13 16 17 18, which is
 * what tasks and delete-tasks query when no --status is given.
 *
 * min-checks: 33
 */
#include <stdio.h>
#include <string.h>
#include "tjson.h"
#include "tap.h"

static const struct {
	const char *name;
	int code;
	int active;
} facts[] = {
	{ "PENDING", 0, 1 }, { "STARTING", 1, 1 }, { "RUNNING", 2, 1 },
	{ "FINISHED", 3, 0 }, { "FAILED", 4, 0 }, { "KILLED", 5, 0 },
	{ "KILLING", 6, 1 }, { "LOST", 7, 0 }, { "ASSIGNED", 9, 1 },
	{ "INIT", 11, 0 }, { "RESTARTING", 12, 1 }, { "PREEMPTING", 13, 1 },
	{ "THROTTLED", 16, 1 }, { "DRAINING", 17, 1 }, { "PARTITIONED", 18, 1 },
};
#define NFACTS (sizeof facts / sizeof facts[0])

static int in_active_set(int code)
{
	for (size_t i = 0; i < tj_nactive_states; i++)
		if (tj_active_states[i] == code)
			return 1;
	return 0;
}

int main(void)
{
	size_t nactive = 0;

	for (size_t i = 0; i < NFACTS; i++) {
		ok(tj_status_parse(facts[i].name) == facts[i].code &&
		    tj_status_name(facts[i].code) != NULL &&
		    strcmp(tj_status_name(facts[i].code), facts[i].name) == 0,
		    "%s is %d, both ways", facts[i].name, facts[i].code);
		ok(in_active_set(facts[i].code) == facts[i].active, "%s is %s",
		    facts[i].name, facts[i].active ? "active" : "not active");
		nactive += facts[i].active;
	}
	ok(tj_nactive_states == nactive, "the active set has %zu states (%zu)",
	    nactive, tj_nactive_states);
	ok(tj_status_name(8) == NULL && tj_status_name(10) == NULL &&
	    tj_status_name(-1) == NULL && tj_status_name(19) == NULL,
	    "8, 10, -1 and 19 are no status");
	ok(tj_status_parse("BOGUS") < 0 && tj_status_parse("") < 0,
	    "an unknown or empty name is no status");
	for (size_t i = 0; i < tj_nactive_states; i++)
		for (size_t j = i + 1; j < tj_nactive_states; j++)
			if (tj_active_states[i] == tj_active_states[j])
				ok(0, "%d is in the active set twice", tj_active_states[i]);
	return tap_done();
}
