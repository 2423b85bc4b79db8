/*
 * options.c: the option tables' shared groups, finding an option by name
 * and turning its value into a field of struct settings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "options.h"
#include "timeamt.h"

const struct opt opts_scheduler[] = {
	OPT_S("scheduler", "URL", "the scheduler to call (default: the leader, else the cluster's scheduler_uri)", scheduler),
	OPT_K("max-reply", "BYTES", "the largest reply accepted (default 1 GiB)", OPT_BYTES, max_reply),
	OPT_END
};

const struct opt opts_net[] = {
	OPT_K("timeout", "TIME", "for connecting and for each call (default 10secs)", OPT_TIMEOUT, timeout),
	OPT_F("insecure", "do not check TLS certificates", insecure),
	OPT_END
};

const struct opt opts_mesos[] = {
	OPT_S("mesos", "URL", "the Mesos master (default: the scheduler's -mesos_master_address)", mesos),
	OPT_S("framework-id", "ID", "the framework whose tasks count (default: the backup's)", framework_id),
	OPT_END
};

const struct opt opts_task_filters[] = {
	OPT_S("role", "R", "only the tasks of this role", role),
	OPT_S("env", "E", "only the tasks of this environment", env),
	OPT_S("job", "J", "only the tasks of this job", job),
	OPT_S("status", "S,...", "only the tasks in these states, comma separated (RUNNING, LOST, ...)", status),
	OPT_S("task-id", "ID,...", "only these tasks, in any state", task_id),
	OPT_F("all-states", "tasks in every state, not only the active ones", all_states),
	OPT_END
};

const struct opt opts_find_leader[] = {
	OPT_S("hosts", "H1,H2,...", "the schedulers to ask, comma separated", hosts),
	OPT_S("zk", "HOST:PORT,...", "the ZooKeeper servers of the election (default: the host's -zk_endpoints)", zk),
	OPT_S("serverset-path", "P", "the election's path in ZooKeeper (default: the host's -serverset_path)", serverset_path),
	OPT_K("http-port", "N", "the schedulers' HTTP port where a host has none (default: the host's -http_port)", OPT_PORT, http_port),
	OPT_END
};

const struct opt *opt_find(const struct opt *const *tables, const char *name,
    size_t len)
{
	for (; *tables; tables++)
		for (const struct opt *o = *tables; o->name; o++)
			if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
				return o;
	return NULL;
}

static int set_time(const struct opt *o, const char *v, double *out,
    struct err *e)
{
	if (o->kind == OPT_TIMEOUT ? timeamt_timeout(v, out) == 0 :
	    timeamt_parse(v, out) == 0)
		return 0;
	return errf(e, EXIT_USAGE, "--%s: \"%s\" is not a %s (e.g. 30secs)", o->name, v,
	    o->kind == OPT_TIMEOUT ? "usable timeout: more than 0 and under 2^63 ms" :
	    "time amount");
}

static int set_number(const struct opt *o, const char *v, long long *out,
    struct err *e)
{
	char *end;
	long long n = strtoll(v, &end, 10);
	long long min = o->kind == OPT_BYTES;

	if (*v == '\0' || *end || n < min)
		return errf(e, EXIT_USAGE, "--%s: \"%s\" is not a number of %s", o->name, v,
		    o->kind == OPT_BYTES ? "bytes" : "tasks");
	*out = n;
	return 0;
}

/* Is v one of the words of choices ("debian|rpm|...")? */
static int one_of(const char *choices, const char *v)
{
	size_t n = strlen(v);

	for (const char *c = choices; *c; c += strcspn(c, "|"), c += *c == '|')
		if (strcspn(c, "|") == n && strncmp(c, v, n) == 0)
			return 1;
	return 0;
}

/* "unknown layout "x" (debian, rpm, ... or argfile)", as host.c says it
 * of the configuration file's. */
static int not_one_of(const struct opt *o, const char *v, struct err *e)
{
	char list[256] = "";
	const char *c = o->arg, *last = strrchr(c, '|');

	for (size_t n; *c; c += n + (c[n] == '|')) {
		n = strcspn(c, "|");
		snprintf(list + strlen(list), sizeof list - strlen(list), "%s%.*s",
		    c == o->arg ? "" : c == last + 1 ? " or " : ", ", (int)n, c);
	}
	return errf(e, EXIT_USAGE, "unknown %s \"%s\" (%s)", o->name, v, list);
}

int opt_set(const struct opt *o, const char *value, struct settings *s,
    struct err *e)
{
	void *field = (char *)s + o->off;

	switch (o->kind) {
	case OPT_FLAG:
		*(int *)field = 1;
		return 0;
	case OPT_PATH:
		err_keep_path(value);
		settings_set(field, value);
		return 0;
	case OPT_PORT:
		if (!settings_port_ok(value))
			return errf(e, EXIT_USAGE, "--%s: \"%s\" is not a port number", o->name, value);
		/* FALLTHROUGH */
	case OPT_STR:
		if (o->kind == OPT_STR && strchr(o->arg, '|') && !one_of(o->arg, value))
			return not_one_of(o, value, e);
		settings_set(field, value);
		return 0;
	case OPT_TIME:
	case OPT_TIMEOUT:
		return set_time(o, value, field, e);
	case OPT_COUNT:
	case OPT_BYTES:
		return set_number(o, value, field, e);
	case OPT_HELP:
	case OPT_VERSION:
		return 0;
	}
	return 0;
}
