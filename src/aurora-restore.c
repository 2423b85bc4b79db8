/*
 * aurora-restore: put Apache Aurora scheduler hosts into the state a
 * restore from backup needs, verify it, and put them back exactly.
 * main() reads the command line against the global options and the
 * command's own (cmd.h), runs the command and prints its result once.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "cmd.h"
#include "fileio.h"

const struct cmd_entry *const cmd_table[] = {
	&cmd_apply_entry, &cmd_revert_entry, &cmd_status_entry,
	&cmd_verify_entry, &cmd_diff_entry, &cmd_leader_entry,
	&cmd_backups_entry, &cmd_backup_info_entry, &cmd_backup_now_entry,
	&cmd_stage_entry, &cmd_tasks_entry, &cmd_delete_tasks_entry,
	&cmd_commit_entry, &cmd_unload_entry, &cmd_log_status_entry,
	&cmd_log_reinit_entry, &cmd_log_restore_aside_entry, &cmd_impact_entry,
	&cmd_log_recover_entry, &cmd_help_entry, NULL
};

const struct opt global_options[] = {
	OPT_S("root", "DIR", "take every path the tool reads or writes under DIR (default /)", root),
	OPT_P("proc", "DIR", "read running processes from DIR (default /proc, not under the root)", proc),
	OPT_P("config", "FILE", "the tool's settings (default /etc/aurora-restore.conf under the root)", config),
	OPT_S("layout", "debian|rpm|systemd|upstart|argfile", "where the scheduler's flags live (default: found)", layout),
	OPT_S("flags-file", "PATH", "the file that holds the scheduler's flags", flags_file),
	OPT_S("clusters-file", "PATH", "use this clusters.json only", clusters_file),
	OPT_S("cluster", "NAME", "the cluster's name (default: the scheduler's -cluster_name)", cluster),
	OPT_F("json", "print one JSON object on stdout, nothing else there", json),
	OPT_F("check", "change nothing; say what would change", check),
	OPT_F("diff", "show unified diffs of what changes", diff),
	OPT_F("detailed-exitcode", "exit 2 when something changed or would change", detailed_exitcode),
	OPT_S("reason", "TEXT", "recorded in the journal and shown by status", reason),
	OPT_K("wait", "TIME", "wait up to TIME for the lock instead of exiting 75", OPT_TIME, wait),
	OPT_F("verbose", "say more", verbose),
	{ "help", NULL, "print this, or with a command its usage", OPT_HELP, 0 },
	{ "version", NULL, "print the version", OPT_VERSION, 0 },
	OPT_END
};

static const struct cmd_entry *cmd_find(const char *name)
{
	for (int i = 0; cmd_table[i]; i++)
		if (strcmp(cmd_table[i]->name, name) == 0)
			return cmd_table[i];
	return NULL;
}

/* The command line, read but not yet applied: the command, each option
 * given with its value, the command's arguments, and the first error. */
struct given {
	const struct opt *opt;
	const char *value;
};
struct cmdline {
	const struct cmd_entry *cmd;
	struct given *given;
	int ngiven;
	char **args;
	int nargs;
	int help, version, json;
	char *error;		/* the first usage error, with its "(see ...)" */
};

/* msg ends with "(see aurora-restore help CMD)" for an error of command
 * c's own, else with the global usage's. */
static void see_help(char *msg, size_t size, const struct cmd_entry *c)
{
	size_t n = strlen(msg);

	if (c)
		snprintf(msg + n, size - n, " (see aurora-restore help %s)", c->name);
	else
		snprintf(msg + n, size - n, " (see aurora-restore --help)");
}

/* A usage error; only the first is kept. */
static void usage_error(struct cmdline *cl, const struct cmd_entry *c,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void usage_error(struct cmdline *cl, const struct cmd_entry *c,
    const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (cl->error)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	see_help(msg, sizeof msg, c);
	cl->error = xstrdup(msg);
}

static const struct opt *global_option(const char *name, size_t len)
{
	const struct opt *const globals[] = { global_options, NULL };

	return opt_find(globals, name, len);
}

/* The option named by word ("--name" or "--name=value") among the global
 * options and c's (c NULL: every command's). */
static const struct opt *lookup(const struct cmd_entry *c, const char *word)
{
	const char *name = word + 2;
	size_t len = strcspn(name, "=");
	const struct opt *o = global_option(name, len);

	for (int i = 0; !o && cmd_table[i]; i++)
		if (c == NULL || c == cmd_table[i])
			o = opt_find(cmd_table[i]->options, name, len);
	return o;
}

/* The command whose option o is, NULL for a global one. */
static const struct cmd_entry *owner(const struct cmdline *cl,
    const struct opt *o)
{
	return global_option(o->name, strlen(o->name)) ? NULL : cl->cmd;
}

static int is_option(const char *w)
{
	return w[0] == '-' && w[1] != '\0';
}

/* Where the command's name stands: the first word that is neither an
 * option nor an option's value; 0 when there is none. */
static int command_index(int argc, char **argv)
{
	const struct opt *o;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return i + 1 < argc ? i + 1 : 0;
		if (!is_option(argv[i]))
			return i;
		if (argv[i][1] == '-' && !strchr(argv[i], '=') &&
		    (o = lookup(NULL, argv[i])) != NULL && o->arg)
			i++;
	}
	return 0;
}

/* An option no table of cl's command holds: of another command, or of
 * none. */
static void refuse_option(struct cmdline *cl, const char *w)
{
	int len = (int)strcspn(w, "=");

	if (cl->cmd && w[1] == '-' && lookup(NULL, w))
		usage_error(cl, cl->cmd, "%.*s does not go with %s", len, w, cl->cmd->name);
	else if (cl->cmd)
		usage_error(cl, cl->cmd, "unknown option %.*s for %s", len, w, cl->cmd->name);
	else
		usage_error(cl, NULL, "unknown option %.*s", len, w);
}

/* The option word at argv[*i], checked against the global options and the
 * command's, with its value. */
static void read_option(struct cmdline *cl, int argc, char **argv, int *i)
{
	const char *w = argv[*i], *eq = strchr(w, '=');
	const struct opt *o = w[1] == '-' ? lookup(cl->cmd, w) : NULL;
	const char *value = NULL;

	if (o == NULL) {
		refuse_option(cl, w);
		return;
	}
	if (o->arg && (eq || *i + 1 < argc))
		value = eq ? eq + 1 : argv[++*i];
	if ((o->arg && (value == NULL || *value == '\0')) || (!o->arg && eq)) {
		usage_error(cl, owner(cl, o), o->arg ? "option --%s needs a value" :
		    "option --%s takes no value", o->name);
		return;
	}
	cl->help |= o->kind == OPT_HELP;
	cl->version |= o->kind == OPT_VERSION;
	cl->json |= o->off == offsetof(struct settings, json) && o->kind == OPT_FLAG;
	cl->given[cl->ngiven++] = (struct given){ o, value };
}

/* argv as a command, its options and its arguments; cl->error holds the
 * first usage error, and what was read up to it and after. */
static void read_cmdline(int argc, char **argv, struct cmdline *cl)
{
	int at = command_index(argc, argv), rest = 0;

	memset(cl, 0, sizeof *cl);
	cl->given = xcalloc(argc, sizeof *cl->given);
	cl->args = xcalloc(argc, sizeof *cl->args);
	if (at && (cl->cmd = cmd_find(argv[at])) == NULL)
		usage_error(cl, NULL, "unknown command \"%s\"", argv[at]);
	for (int i = 1; i < argc; i++) {
		if (i == at)
			continue;
		if (!rest && strcmp(argv[i], "--") == 0)
			rest = 1;
		else if (!rest && is_option(argv[i]))
			read_option(cl, argc, argv, &i);
		else
			cl->args[cl->nargs++] = argv[i];
	}
}

static void cmdline_free(struct cmdline *cl)
{
	free(cl->given);
	free(cl->args);
	free(cl->error);
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

/* --root, --config and --json (early 1), which decide the config file and
 * how errors are printed; or the others (early 0), over the config file's.
 * Each is set once: settings_use_root() has normalized the root, and
 * messages keep pointing at it. */
static int apply_options(const struct cmdline *cl, struct settings *s,
    int early, struct err *e)
{
	for (int i = 0; i < cl->ngiven; i++) {
		const struct opt *o = cl->given[i].opt;
		int is_early = o->off == offsetof(struct settings, root) ||
		    o->off == offsetof(struct settings, config) ||
		    o->off == offsetof(struct settings, json);
		if (o->kind == OPT_HELP || o->kind == OPT_VERSION || early != is_early)
			continue;
		if (opt_set(o, cl->given[i].value, s, e) < 0) {
			see_help(e->msg, sizeof e->msg, owner(cl, o));
			return -1;
		}
	}
	return 0;
}

/* The host paths given as options (from here or the config file) that
 * already start with the root: refused with the host path to give, unless
 * that host path exists (root_typed_path). */
static int typed_paths(const struct settings *set, struct err *e)
{
	const char *const paths[][2] = {
		{ "--flags-file", set->flags_file },
		{ "--clusters-file", set->clusters_file },
	};

	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
		if (paths[i][1] && root_typed_path(set->root, paths[i][1], paths[i][0], e) < 0)
			return -1;
	return 0;
}

/* help, COMMAND --help, --help, --version: printed before any file is
 * read. */
static int print_help(const struct cmdline *cl)
{
	const struct cmd_entry *c = cl->cmd;

	if (cl->version && !cl->help) {
		printf("%s\n", PACKAGE_STRING);
		return 0;
	}
	if (c == &cmd_help_entry && cl->nargs == 1)
		c = cmd_find(cl->args[0]);
	else if (c == &cmd_help_entry && !cl->help)
		c = NULL;
	if (c == NULL)
		help_global(stdout);
	else
		help_command(stdout, c);
	return 0;
}

/* Everything after the defaults: any return leaves set for main to free. */
static int run(struct settings *set, struct cmdline *cl)
{
	struct result res;
	struct err e = { 0 };
	struct cmd_ctx ctx;
	int rc;
	char *config;

	json_output = cl->json;
	if (cl->cmd == &cmd_help_entry && cl->nargs == 1 && cmd_find(cl->args[0]) == NULL)
		usage_error(cl, NULL, "unknown command \"%s\"", cl->args[0]);
	if (cl->cmd && !cl->help &&
	    (cl->nargs < cl->cmd->min_args || cl->nargs > cl->cmd->max_args))
		usage_error(cl, cl->cmd, "wrong number of arguments for %s", cl->cmd->name);
	if (cl->error)
		return fail(EXIT_USAGE, cl->error);
	if (cl->help || cl->version || cl->cmd == &cmd_help_entry)
		return print_help(cl);
	apply_options(cl, set, 1, &e);	/* strings and a flag: cannot fail */
	if (settings_use_root(set, &e) < 0)
		return fail(e.code, e.msg);
	config = set->config ? xstrdup(set->config) :
	    root_path(set->root, "/etc/aurora-restore.conf");
	rc = settings_load_file(set, config, set->config == NULL, &e);
	free(config);
	if (rc < 0 || apply_options(cl, set, 0, &e) < 0 || typed_paths(set, &e) < 0)
		return fail(e.code, e.msg);
	if (cl->cmd == NULL)
		return fail(EXIT_USAGE, "no command given (see aurora-restore --help)");

	for (int i = 0; cl->cmd->real_args && i < cl->nargs; i++)
		err_keep_path(cl->args[i]);
	result_init(&res);
	res.show_diff = set->diff;
	ctx.set = set;
	ctx.res = &res;
	ctx.argc = cl->nargs;
	ctx.argv = cl->args;
	rc = cl->cmd->exec(&ctx, &e);
	if (rc < 0)
		rc = e.code ? e.code : EXIT_FAIL;
	result_print(&res, set->json, rc, e.code ? e.msg : NULL);
	result_free(&res);
	return rc;
}

int main(int argc, char **argv)
{
	struct settings set;
	struct cmdline cl;
	int rc;

	settings_init(&set);
	read_cmdline(argc, argv, &cl);
	rc = run(&set, &cl);
	cmdline_free(&cl);
	settings_free(&set);
	return rc;
}
