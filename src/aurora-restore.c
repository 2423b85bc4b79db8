/*
 * aurora-restore: put Apache Aurora scheduler hosts into the state a
 * restore from backup needs, verify it, and put them back exactly.
 * main() parses the global options, runs one command from the table
 * and prints its result once.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "cmd.h"
#include "fileio.h"
#include "timeamt.h"

static const struct cmd_entry *const commands[] = {
	&cmd_apply_entry, &cmd_revert_entry, &cmd_status_entry,
	&cmd_verify_entry, &cmd_diff_entry, &cmd_leader_entry,
	&cmd_backups_entry, &cmd_backup_info_entry, &cmd_backup_now_entry,
	&cmd_stage_entry, &cmd_tasks_entry, &cmd_delete_tasks_entry,
	&cmd_commit_entry, &cmd_unload_entry, &cmd_log_status_entry,
	&cmd_log_reinit_entry, &cmd_log_restore_aside_entry, &cmd_impact_entry,
	&cmd_log_recover_entry, NULL
};

enum {
	OPT_ROOT = 256, OPT_PROC, OPT_CONFIG, OPT_LAYOUT, OPT_FLAGS_FILE,
	OPT_CLUSTERS_FILE, OPT_CLUSTER, OPT_JSON, OPT_CHECK, OPT_DIFF,
	OPT_DETAILED, OPT_REASON, OPT_WAIT, OPT_VERBOSE, OPT_HELP, OPT_VERSION,
	OPT_FORCE, OPT_LIVE, OPT_HOSTS, OPT_ZK, OPT_SERVERSET, OPT_HTTP_PORT,
	OPT_COPY, OPT_MAX_AGE, OPT_ROLE, OPT_ENV, OPT_JOB, OPT_STATUS,
	OPT_TASK_ID, OPT_ALL_STATES, OPT_YES, OPT_SCHEDULER, OPT_TIMEOUT,
	OPT_MAX_REPLY, OPT_INSECURE, OPT_NATIVE, OPT_MESOS_LOG, OPT_USER,
	OPT_ASIDE, OPT_MESOS, OPT_FRAMEWORK_ID, OPT_BACKUP, OPT_MAX_KILL, OPT_ALL,
	OPT_RECOVERY_TOOL
};

static const struct option options[] = {
	{ "root", required_argument, NULL, OPT_ROOT },
	{ "proc", required_argument, NULL, OPT_PROC },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "layout", required_argument, NULL, OPT_LAYOUT },
	{ "flags-file", required_argument, NULL, OPT_FLAGS_FILE },
	{ "clusters-file", required_argument, NULL, OPT_CLUSTERS_FILE },
	{ "cluster", required_argument, NULL, OPT_CLUSTER },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "diff", no_argument, NULL, OPT_DIFF },
	{ "detailed-exitcode", no_argument, NULL, OPT_DETAILED },
	{ "reason", required_argument, NULL, OPT_REASON },
	{ "wait", required_argument, NULL, OPT_WAIT },
	{ "verbose", no_argument, NULL, OPT_VERBOSE },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "live", no_argument, NULL, OPT_LIVE },
	{ "hosts", required_argument, NULL, OPT_HOSTS },
	{ "zk", required_argument, NULL, OPT_ZK },
	{ "serverset-path", required_argument, NULL, OPT_SERVERSET },
	{ "http-port", required_argument, NULL, OPT_HTTP_PORT },
	{ "copy", required_argument, NULL, OPT_COPY },
	{ "max-age", required_argument, NULL, OPT_MAX_AGE },
	{ "role", required_argument, NULL, OPT_ROLE },
	{ "env", required_argument, NULL, OPT_ENV },
	{ "job", required_argument, NULL, OPT_JOB },
	{ "status", required_argument, NULL, OPT_STATUS },
	{ "task-id", required_argument, NULL, OPT_TASK_ID },
	{ "all-states", no_argument, NULL, OPT_ALL_STATES },
	{ "yes", no_argument, NULL, OPT_YES },
	{ "scheduler", required_argument, NULL, OPT_SCHEDULER },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "max-reply", required_argument, NULL, OPT_MAX_REPLY },
	{ "insecure", no_argument, NULL, OPT_INSECURE },
	{ "native", no_argument, NULL, OPT_NATIVE },
	{ "mesos-log", required_argument, NULL, OPT_MESOS_LOG },
	{ "user", required_argument, NULL, OPT_USER },
	{ "aside", required_argument, NULL, OPT_ASIDE },
	{ "mesos", required_argument, NULL, OPT_MESOS },
	{ "framework-id", required_argument, NULL, OPT_FRAMEWORK_ID },
	{ "backup", required_argument, NULL, OPT_BACKUP },
	{ "max-kill", required_argument, NULL, OPT_MAX_KILL },
	{ "all", no_argument, NULL, OPT_ALL },
	{ "recovery-tool", required_argument, NULL, OPT_RECOVERY_TOOL },
	{ NULL, 0, NULL, 0 }
};

static void usage(FILE *out)
{
	fprintf(out,
	    "usage: aurora-restore [--root DIR] [--proc DIR] [--config FILE]\n"
	    "                      [--layout debian|rpm|systemd|upstart|argfile] [--flags-file PATH]\n"
	    "                      [--clusters-file PATH] [--cluster NAME] [--json] [--check] [--diff]\n"
	    "                      [--detailed-exitcode] [--reason TEXT] [--wait TIME] [--verbose]\n"
	    "                      COMMAND [ARGS]\n"
	    "commands:\n");
	for (int i = 0; commands[i]; i++)
		fprintf(out, "       aurora-restore %s\n", commands[i]->usage);
	fprintf(out, "backups, backup-now, stage, tasks, delete-tasks, commit, unload, impact also take: [--scheduler URL] [--timeout TIME] [--max-reply BYTES] [--insecure]\n");
	fprintf(out, "       aurora-restore --help | --version\n");
}

static int json_output;

/* An error before any command ran: one line, and with --json the object. */
static int fail(int rc, const char *msg)
{
	struct result r;

	result_init(&r);
	result_print(&r, json_output, rc, msg);
	result_free(&r);
	return rc;
}

static int usage_error(const char *fmt, const char *arg)
{
	char msg[512];

	snprintf(msg, sizeof msg, fmt, arg);
	strncat(msg, " (see aurora-restore --help)", sizeof msg - strlen(msg) - 1);
	return fail(EXIT_USAGE, msg);
}

static const struct cmd_entry *find_command(const char *name)
{
	for (int i = 0; commands[i]; i++)
		if (strcmp(commands[i]->name, name) == 0)
			return commands[i];
	return NULL;
}

static int allowed(const struct cmd_entry *c, const char *opt)
{
	size_t n = strlen(opt);

	for (const char *p = c->options; (p = strstr(p, opt)) != NULL; p += n)
		if ((p == c->options || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
			return 1;
	return 0;
}

/* First pass, on a copy (getopt reorders): --root, --config and --json,
 * which decide the config file and how errors are printed. */
static void early_options(int argc, char **argv0, struct settings *s)
{
	char **argv = xcalloc(argc + 1, sizeof *argv);
	int c;

	memcpy(argv, argv0, argc * sizeof *argv);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", options, NULL)) != -1)
		if (c == OPT_ROOT)
			settings_set(&s->root, optarg);
		else if (c == OPT_CONFIG)
			settings_set(&s->config, optarg);
		else if (c == OPT_JSON)
			json_output = 1;
	optind = 0;
	free(argv);
}

/* Command options given, by name, to check against the command's list. */
static const char *used[32];
static int nused;

static void use(const char *name)
{
	if (nused < 32)
		used[nused++] = name;
}

static int time_option(const char *name, const char *v, double *out)
{
	char msg[256];

	if (strcmp(name, "--timeout") == 0 ? timeamt_timeout(v, out) == 0 :
	    timeamt_parse(v, out) == 0)
		return 0;
	snprintf(msg, sizeof msg, "%s: \"%s\" is not a %s (e.g. 30secs)", name, v,
	    strcmp(name, "--timeout") == 0 ? "usable timeout: more than 0 and under 2^63 ms" : "time amount");
	return usage_error("%s", msg);
}

static int parse_options(int argc, char **argv, struct settings *s)
{
	int c, rc = 0;
	char *end;

	while ((c = getopt_long(argc, argv, ":", options, NULL)) != -1) {
		switch (c) {
		case OPT_ROOT: case OPT_CONFIG: break;
		case OPT_PROC: settings_set(&s->proc, optarg); break;
		case OPT_LAYOUT: settings_set(&s->layout, optarg); break;
		case OPT_FLAGS_FILE: settings_set(&s->flags_file, optarg); break;
		case OPT_CLUSTERS_FILE: settings_set(&s->clusters_file, optarg); break;
		case OPT_CLUSTER: settings_set(&s->cluster, optarg); break;
		case OPT_REASON: settings_set(&s->reason, optarg); break;
		case OPT_JSON: s->json = 1; break;
		case OPT_CHECK: s->check = 1; break;
		case OPT_DIFF: s->diff = 1; break;
		case OPT_DETAILED: s->detailed_exitcode = 1; break;
		case OPT_VERBOSE: s->verbose = 1; break;
		case OPT_FORCE: s->force = 1; use("force"); break;
		case OPT_LIVE: s->live = 1; use("live"); break;
		case OPT_HOSTS: settings_set(&s->hosts, optarg); use("hosts"); break;
		case OPT_ZK: settings_set(&s->zk, optarg); use("zk"); break;
		case OPT_SERVERSET: settings_set(&s->serverset_path, optarg); use("serverset-path"); break;
		case OPT_HTTP_PORT:
			if (strspn(optarg, "0123456789") != strlen(optarg) || !*optarg ||
			    atoi(optarg) < 1 || atoi(optarg) > 65535)
				return usage_error("--http-port: \"%s\" is not a port number", optarg);
			settings_set(&s->http_port, optarg);
			use("http-port");
			break;
		case OPT_COPY: settings_set(&s->copy, optarg); use("copy"); break;
		case OPT_ROLE: settings_set(&s->role, optarg); use("role"); break;
		case OPT_ENV: settings_set(&s->env, optarg); use("env"); break;
		case OPT_JOB: settings_set(&s->job, optarg); use("job"); break;
		case OPT_STATUS: settings_set(&s->status, optarg); use("status"); break;
		case OPT_TASK_ID: settings_set(&s->task_id, optarg); use("task-id"); break;
		case OPT_ALL_STATES: s->all_states = 1; use("all-states"); break;
		case OPT_YES: s->yes = 1; use("yes"); break;
		case OPT_SCHEDULER: settings_set(&s->scheduler, optarg); use("scheduler"); break;
		case OPT_INSECURE: s->insecure = 1; use("insecure"); break;
		case OPT_NATIVE: s->native = 1; use("native"); break;
		case OPT_MESOS_LOG: settings_set(&s->mesos_log, optarg); use("mesos-log"); break;
		case OPT_USER: settings_set(&s->log_user, optarg); use("user"); break;
		case OPT_ASIDE: settings_set(&s->aside, optarg); use("aside"); break;
		case OPT_MESOS: settings_set(&s->mesos, optarg); use("mesos"); break;
		case OPT_FRAMEWORK_ID: settings_set(&s->framework_id, optarg); use("framework-id"); break;
		case OPT_BACKUP: settings_set(&s->backup, optarg); use("backup"); break;
		case OPT_ALL: s->all = 1; use("all"); break;
		case OPT_RECOVERY_TOOL: settings_set(&s->recovery_tool, optarg); use("recovery-tool"); break;
		case OPT_MAX_KILL:
			s->max_kill = strtoll(optarg, &end, 10);
			if (*optarg == '\0' || *end || s->max_kill < 0)
				return usage_error("--max-kill: \"%s\" is not a number of tasks", optarg);
			use("max-kill");
			break;
		case OPT_MAX_AGE: rc = time_option("--max-age", optarg, &s->max_age); use("max-age"); break;
		case OPT_TIMEOUT: rc = time_option("--timeout", optarg, &s->timeout); use("timeout"); break;
		case OPT_WAIT: rc = time_option("--wait", optarg, &s->wait); break;
		case OPT_MAX_REPLY:
			s->max_reply = strtoll(optarg, &end, 10);
			if (*optarg == '\0' || *end || s->max_reply <= 0)
				return usage_error("--max-reply: \"%s\" is not a number of bytes", optarg);
			use("max-reply");
			break;
		case OPT_HELP:
			usage(stdout);
			exit(0);
		case OPT_VERSION:
			printf("%s\n", PACKAGE_STRING);
			exit(0);
		case ':':
			return usage_error("option %s needs a value", argv[optind - 1]);
		default:
			return usage_error("unknown option %s", argv[optind - 1]);
		}
		if (rc)
			return rc;
	}
	return 0;
}

/* Everything after the defaults: any return leaves set for main to free. */
static int run(struct settings *set, int argc, char **argv)
{
	struct result res;
	struct err e = { 0 };
	const struct cmd_entry *cmd;
	struct cmd_ctx ctx;
	int rc;
	char *config;

	early_options(argc, argv, set);
	if (settings_use_root(set, &e) < 0)
		return fail(e.code, e.msg);
	config = set->config ? xstrdup(set->config) :
	    root_path(set->root, "/etc/aurora-restore.conf");
	rc = settings_load_file(set, config, set->config == NULL, &e);
	free(config);
	if (rc < 0)
		return fail(e.code, e.msg);
	if ((rc = parse_options(argc, argv, set)) != 0)
		return rc;
	if (optind >= argc)
		return usage_error("%s", "no command given");
	if ((cmd = find_command(argv[optind])) == NULL)
		return usage_error("unknown command \"%s\"", argv[optind]);
	ctx.argc = argc - optind - 1;
	ctx.argv = argv + optind + 1;
	if (ctx.argc < cmd->min_args || ctx.argc > cmd->max_args)
		return usage_error("wrong number of arguments for %s", cmd->name);
	for (int i = 0; i < nused; i++)
		if (!allowed(cmd, used[i])) {
			char what[128];
			snprintf(what, sizeof what, "--%s does not go with %%s", used[i]);
			return usage_error(what, cmd->name);
		}

	result_init(&res);
	res.show_diff = set->diff;
	ctx.set = set;
	ctx.res = &res;
	rc = cmd->exec(&ctx, &e);
	if (rc < 0)
		rc = e.code ? e.code : EXIT_FAIL;
	result_print(&res, set->json, rc, e.code ? e.msg : NULL);
	result_free(&res);
	return rc;
}

int main(int argc, char **argv)
{
	struct settings set;
	int rc;

	settings_init(&set);
	rc = run(&set, argc, argv);
	settings_free(&set);
	return rc;
}
