/*
 * unit-profile: TAP tests for timeamt, flagcat and profile.
 *
 *   unit-profile SRCDIR
 *
 * Loads SRCDIR/profiles/recovery.conf and every fixture in
 * SRCDIR/tests/profiles. A fixture's first line says what to expect:
 *
 *   # expect: LINE: FRAGMENT       (bad-*: fails, "FILE:LINE: ...FRAGMENT...")
 *   # expect: ok [warn LINE: FRAGMENT]...   (good-*: loads, with these warnings)
 *
 * min-checks: 258
 */
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "buf.h"
#include "err.h"
#include "flagcat.h"
#include "profile.h"
#include "timeamt.h"
#include "tap.h"

static void diag(const char *what, const char *s)
{
	printf("#   %s: %s\n", what, s ? s : "(null)");
}

static int streq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* "FILE:LINE: " starts msg and fragment is in it. */
static int placed(const char *msg, const char *file, int line,
    const char *fragment)
{
	char *prefix = xasprintf("%s:%d: ", file, line);
	int good = strncmp(msg, prefix, strlen(prefix)) == 0 &&
	    strstr(msg, fragment) != NULL;

	free(prefix);
	return good;
}

static void test_timeamt(void)
{
	static const struct {
		const char *s;
		double secs;
	} good[] = {
		{ "360mins", 21600 }, { "365days", 31536000 }, { "0secs", 0 },
		{ "4hrs", 14400 }, { "30secs", 30 }, { "250ms", 0.25 },
		{ "10us", 1e-5 }, { "7ns", 7e-9 }, { "007secs", 7 },
		{ "9223372036854775807ns", 9223372036.854775807 },
	};
	static const char *const bad[] = { "6h", "360min", "1.5hrs", "-1mins",
	    "+1mins", "mins", "360 mins", "360MINS", "360mins ", " 360mins",
	    "", "360", "1secs1", "9223372036854775808ns", "1 secs", "1Secs",
	    "1sec", "1d", "1day" };
	double secs;

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		int rc = timeamt_parse(good[i].s, &secs);
		double diff = rc == 0 ? secs - good[i].secs : 1;

		ok(rc == 0 && diff * diff <= 1e-18 * good[i].secs * good[i].secs,
		    "timeamt: \"%s\" is %g seconds", good[i].s, good[i].secs);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ok(timeamt_parse(bad[i], &secs) < 0,
		    "timeamt: \"%s\" is rejected", bad[i]);
}

static void test_flagcat_table(const char *top)
{
	char *path = xasprintf("%s/data/scheduler-flags-0.22.tsv", top);
	FILE *f = fopen(path, "r");
	char line[512];
	int rows = 0, found = 0, header = 0;

	if (!ok(f != NULL, "flagcat: read %s", path)) {
		free(path);
		return;
	}
	while (fgets(line, sizeof line, f)) {
		char *tab = strchr(line, '\t');
		if (line[0] == '#' || tab == NULL)
			continue;
		if (!header++)
			continue;
		*tab = '\0';
		rows++;
		if (line[0] == '-' && flagcat_find(line + 1) != NULL &&
		    streq(flagcat_find(line + 1)->name, line + 1))
			found++;
		else
			diag("not found", line);
	}
	fclose(f);
	free(path);
	ok(rows > 100 && found == rows,
	    "flagcat: all %d flags of the TSV are found (%d)", rows, found);
}

extern const struct flag_info flagcat_table[];
extern const size_t flagcat_count;

static size_t secret_flags(void)
{
	size_t n = 0;

	for (size_t i = 0; i < flagcat_count; i++)
		n += flagcat_table[i].secret != 0;
	return n;
}

static void test_flagcat(const char *top)
{
	static const struct {
		const char *flag, *value, *fragment;	/* fragment NULL: valid */
	} cases[] = {
		{ "max_registration_delay", "360mins", NULL },
		{ "max_registration_delay", "6h", "\"6h\" is not a time amount (digits then ns, us, ms, secs, mins, hrs or days)" },
		{ "reconciliation_initial_delay", "365days", NULL },
		{ "reconciliation_initial_delay", "", "is not a time amount" },
		{ "enable_preemptor", "true", NULL },
		{ "enable_preemptor", "false", NULL },
		{ "enable_preemptor", "", "needs true or false" },
		{ "enable_preemptor", "TRUE", "needs true or false" },
		{ "enable_preemptor", "1", "is not a boolean" },
		{ "http_port", "8081", NULL },
		{ "http_port", "-1", NULL },
		{ "http_port", "2147483648", "is not an integer" },
		{ "http_port", "80 81", "is not an integer" },
		{ "http_port", "", "is not an integer" },
		{ "http_port", "-", "is not an integer" },
		{ "max_parallel_coordinated_maintenance", "x", "is not an integer" },
		{ "offer_static_ban_cache_max_size", "9223372036854775807", NULL },
		{ "offer_static_ban_cache_max_size", "9223372036854775808", "is not an integer" },
		{ "dlog_max_entry_size", "512KB", NULL },
		{ "dlog_max_entry_size", "1Gb", NULL },
		{ "dlog_max_entry_size", "1kb", "is not a data amount" },
		{ "dlog_max_entry_size", "5", "is not a data amount" },
		{ "http_authentication_mechanism", "NEGOTIATE", NULL },
		{ "http_authentication_mechanism", "basic", NULL },
		{ "http_authentication_mechanism", "KERBEROS", "is not one of NONE,BASIC,NEGOTIATE" },
		{ "http_authentication_mechanism", "NON", "is not one of" },
		{ "mesos_master_address", "zk://localhost:1111/mesos/master", NULL },
		{ "mesos_master_address", "", NULL },
		{ "thermos_executor_cpu", "0.25", NULL },
		{ "zk_endpoints", "localhost:2181", NULL },
	};
	const struct flag_info *f;

	test_flagcat_table(top);
	f = flagcat_find("max_registration_delay");
	ok(f && streq(f->type, "TimeAmount") && !f->list && !f->required,
	    "flagcat: max_registration_delay is a single TimeAmount");
	f = flagcat_find("zk_endpoints");
	ok(f && f->list && f->required, "flagcat: zk_endpoints is a required list");
	f = flagcat_find("enable_preemptor");
	ok(f && f->bool_needs_value, "flagcat: enable_preemptor needs a value");
	ok(secret_flags() == 1 && flagcat_find("zk_digest_credentials")->secret,
	    "flagcat: zk_digest_credentials is the one secret flag");
	ok(flagcat_find("max_registraton_delay") == NULL,
	    "flagcat: a typo is not found");
	ok(flagcat_find("-max_registration_delay") == NULL,
	    "flagcat: names are without the dash");
	ok(flagcat_find("") == NULL && flagcat_find("zzz") == NULL &&
	    flagcat_find("aaa") == NULL, "flagcat: nothing before or after");

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct err e = { 0, "" };
		int rc;

		f = flagcat_find(cases[i].flag);
		rc = f ? flagcat_check_value(f, cases[i].value, &e) : -2;
		if (cases[i].fragment == NULL)
			ok(rc == 0, "flagcat: %s=%s is valid", cases[i].flag,
			    cases[i].value);
		else if (!ok(rc == -1 && e.code == EXIT_CONFIG &&
		    strstr(e.msg, cases[i].fragment) != NULL,
		    "flagcat: %s=%s is rejected", cases[i].flag, cases[i].value))
			diag("got", e.msg);
	}
}

static int kv_is(const struct profile_kv *kv, const char *name,
    const char *value, int line)
{
	if (!streq(kv->name, name) || kv->line != line)
		return 0;
	return value ? streq(kv->value, value) : kv->value == NULL;
}

static void test_recovery(const char *top)
{
	char *dir = xasprintf("%s/profiles", top);
	char *path = xasprintf("%s/recovery.conf", dir);
	char *notfound = xasprintf("profile \"nope\" not found in /nonexistent, %s", dir);
	const char *dirs[] = { "/nonexistent", dir, NULL };
	struct profile p, q;
	struct err e = { 0, "" };

	if (!ok(profile_load("recovery", dirs, &p, &e) == 0,
	    "recovery: loads by name")) {
		diag("error", e.msg);
		goto out;
	}
	ok(streq(p.name, "recovery") && streq(p.path, path),
	    "recovery: name and path");
	ok(p.description && strstr(p.description, "restore"),
	    "recovery: description");
	ok(p.nflag_set == 3 &&
	    kv_is(&p.flag_set[0], "mesos_master_address", "zk://localhost:1111/mesos/master", 13) &&
	    kv_is(&p.flag_set[1], "max_registration_delay", "360mins", 14) &&
	    kv_is(&p.flag_set[2], "reconciliation_initial_delay", "365days", 15),
	    "recovery: the three flags to set, in file order, with lines");
	ok(p.nflag_remove == 1 &&
	    kv_is(&p.flag_remove[0], "http_authentication_mechanism", NULL, 17),
	    "recovery: http_authentication_mechanism is removed");
	ok(p.ncluster_set == 1 &&
	    kv_is(&p.cluster_set[0], "scheduler_uri", "http://${host}:${http_port}", 20),
	    "recovery: scheduler_uri is set, as a template");
	ok(p.ncluster_remove == 1 && kv_is(&p.cluster_remove[0], "zk", NULL, 21),
	    "recovery: zk is removed");
	ok(!p.hosts_enabled && streq(p.hosts_address, "${ip}") &&
	    streq(p.hosts_names, "${hostname}"), "recovery: hosts off");
	ok(!p.firewall_enabled && p.nfirewall_peers == 0 &&
	    streq(p.firewall_backend, "auto"), "recovery: firewall off");
	ok(p.nwarnings == 0, "recovery: no warnings");
	profile_free(&p);
	ok(p.name == NULL && p.flag_set == NULL && p.nflag_set == 0,
	    "profile_free: clears the profile");

	ok(profile_load(path, NULL, &q, &e) == 0 && streq(q.name, "recovery"),
	    "recovery: loads by path");
	profile_free(&q);

	ok(profile_load("nope", dirs, &p, &e) == -1 && e.code == EXIT_CONFIG &&
	    streq(e.msg, notfound), "profile_load: a missing name is named with the directories");
	if (!streq(e.msg, notfound))
		diag("got", e.msg);
	ok(p.path == NULL && p.name == NULL, "profile_load: failure leaves the profile empty");
	e.code = 0;
	ok(profile_load("/nonexistent/recovery.conf", dirs, &p, &e) == -1 &&
	    e.code == EXIT_CONFIG && strstr(e.msg, "/nonexistent/recovery.conf"),
	    "profile_load: a missing path is an error");
	e.code = 0;
	ok(profile_load("recovery", NULL, &p, &e) == -1 && e.code == EXIT_CONFIG &&
	    strstr(e.msg, "not found"), "profile_load: no directories");
out:
	free(notfound);
	free(path);
	free(dir);
}

/* The contents of the good fixtures, beyond loading. */
static void check_good(const char *base, const struct profile *p)
{
	if (strcmp(base, "good-remove-only.conf") == 0) {
		ok(streq(p->name, "good-remove-only") && p->description == NULL,
		    "%s: name from the basename", base);
		ok(p->nflag_set == 0 && p->nflag_remove == 3 &&
		    kv_is(&p->flag_remove[0], "http_authentication_mechanism", NULL, 5) &&
		    kv_is(&p->flag_remove[1], "enable_h2_console", NULL, 6) &&
		    kv_is(&p->flag_remove[2], "backup_dir", NULL, 7),
		    "%s: removals in order", base);
	} else if (strcmp(base, "good-hosts.conf") == 0) {
		ok(streq(p->name, "kerberos-hosts") && p->hosts_enabled &&
		    streq(p->hosts_address, "${ip}") &&
		    streq(p->hosts_names, "${hostname}") && !p->firewall_enabled,
		    "%s: hosts on, with default templates", base);
	} else if (strcmp(base, "good-firewall.conf") == 0) {
		ok(p->firewall_enabled && p->nfirewall_peers == 4 &&
		    streq(p->firewall_peers[0], "10.0.0.7") &&
		    streq(p->firewall_peers[1], "192.168.10.0/24") &&
		    streq(p->firewall_peers[2], "2001:db8::1") &&
		    streq(p->firewall_peers[3], "fd00::/8") &&
		    streq(p->firewall_backend, "nftables") && !p->hosts_enabled,
		    "%s: firewall on, peers in order, nftables", base);
	} else if (strcmp(base, "good-values.conf") == 0) {
		ok(p->nflag_set == 10 &&
		    kv_is(&p->flag_set[0], "http_port", "8081", 6) &&
		    kv_is(&p->flag_set[1], "enable_preemptor", "false", 7) &&
		    kv_is(&p->flag_set[2], "zk_in_proc", "true", 8) &&
		    kv_is(&p->flag_set[3], "max_registration_delay", "${http_port}mins", 9) &&
		    kv_is(&p->flag_set[4], "framework_name", "price: $$5", 10) &&
		    kv_is(&p->flag_set[9], "cluster_name", "${cluster}", 15),
		    "%s: integers, booleans and templates as text", base);
		ok(p->ncluster_set == 3 &&
		    kv_is(&p->cluster_set[0], "zk_port", "2181", 21) &&
		    kv_is(&p->cluster_set[1], "scheduler_uri", "https://${hostname}:${http_port}", 22) &&
		    p->ncluster_remove == 2 &&
		    kv_is(&p->cluster_remove[1], "scheduler_zk_path", NULL, 25),
		    "%s: cluster keys", base);
		ok(p->hosts_enabled && streq(p->hosts_address, "127.0.1.1") &&
		    streq(p->hosts_names, "${hostname} ${host}"),
		    "%s: hosts address and names", base);
	} else if (strcmp(base, "good-integers.conf") == 0) {
		ok(p->nflag_set == 6 &&
		    kv_is(&p->flag_set[0], "offer_static_ban_cache_max_size", "9223372036854775807", 5) &&
		    kv_is(&p->flag_set[1], "max_tasks_per_job", "-2147483648", 6) &&
		    kv_is(&p->flag_set[2], "max_saved_backups", "2147483647", 7) &&
		    kv_is(&p->flag_set[3], "http_port", "8081", 8) &&
		    kv_is(&p->flag_set[5], "framework_name", "4294967297", 10),
		    "%s: integers at the edges of their range, kept exactly", base);
		ok(p->ncluster_set == 1 && kv_is(&p->cluster_set[0], "zk_port", "65535", 13),
		    "%s: zk_port 65535", base);
	} else {
		ok(0, "%s: no content checks for this fixture", base);
	}
}

/* Check the warnings against "warn LINE: FRAGMENT..." clauses. */
static int check_warnings(const struct profile *p, const char *path,
    const char *clauses)
{
	size_t n = 0;
	const char *w = strstr(clauses, "warn ");

	while (w != NULL) {
		const char *next = strstr(w + 5, " warn ");
		char *frag;
		int line = atoi(w + 5);
		const char *colon = strchr(w, ':');

		if (colon == NULL || n >= p->nwarnings)
			return 0;
		frag = next ? xstrndup(colon + 2, (size_t)(next - colon - 2)) :
		    xstrdup(colon + 2);
		if (!placed(p->warnings[n], path, line, frag)) {
			diag("warning", p->warnings[n]);
			diag("expected", frag);
			free(frag);
			return 0;
		}
		free(frag);
		n++;
		w = next ? next + 1 : NULL;
	}
	return n == p->nwarnings;
}

static void test_fixture(const char *dir, const char *base)
{
	char *path = xasprintf("%s/%s", dir, base);
	FILE *f = fopen(path, "r");
	char first[512] = "";
	const char *expect;
	struct profile p;
	struct err e = { 0, "" };
	int rc;

	if (f) {
		if (!fgets(first, sizeof first, f))
			first[0] = '\0';
		fclose(f);
	}
	first[strcspn(first, "\n")] = '\0';
	if (!ok(strncmp(first, "# expect: ", 10) == 0,
	    "%s: first line says what to expect", base)) {
		free(path);
		return;
	}
	expect = first + 10;
	rc = profile_load(path, NULL, &p, &e);
	if (strncmp(base, "good-", 5) == 0) {
		if (ok(rc == 0 && strncmp(expect, "ok", 2) == 0, "%s: loads", base)) {
			if (!ok(check_warnings(&p, path, expect), "%s: warnings as expected", base))
				for (size_t i = 0; i < p.nwarnings; i++)
					diag("warning", p.warnings[i]);
			check_good(base, &p);
			profile_free(&p);
		} else {
			diag("error", e.msg);
		}
	} else {
		int line = atoi(expect);
		const char *frag = strchr(expect, ':');

		if (!ok(rc == -1 && e.code == EXIT_CONFIG && frag &&
		    placed(e.msg, path, line, frag + 2),
		    "%s: fails at line %d: %s", base, line, frag ? frag + 2 : "?"))
			diag("got", e.msg);
		ok(p.path == NULL && p.nflag_set == 0 && p.warnings == NULL,
		    "%s: nothing is left allocated in the profile", base);
	}
	free(path);
}

static int is_conf(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 5 && strcmp(d->d_name + n - 5, ".conf") == 0 &&
	    (strncmp(d->d_name, "good-", 5) == 0 ||
	    strncmp(d->d_name, "bad-", 4) == 0);
}

static void test_fixtures(const char *top)
{
	char *dir = xasprintf("%s/tests/profiles", top);
	struct dirent **list;
	int n = scandir(dir, &list, is_conf, alphasort);

	ok(n >= 10, "fixtures: %d found in %s", n, dir);
	for (int i = 0; i < n; i++) {
		test_fixture(dir, list[i]->d_name);
		free(list[i]);
	}
	if (n >= 0)
		free(list);
	free(dir);
}

static void test_expand(void)
{
	static const struct profile_vars v = { "sched1.example.com", "sched1",
	    "10.0.0.1", "8081", "devcluster" };
	static const struct profile_vars empty = { "h", NULL, "", "8081", NULL };
	static const struct {
		const char *tmpl, *want;
	} good[] = {
		{ "http://${host}:${http_port}", "http://sched1.example.com:8081" },
		{ "${ip} ${hostname}", "10.0.0.1 sched1" },
		{ "/aurora/${cluster}/scheduler", "/aurora/devcluster/scheduler" },
		{ "no variables", "no variables" },
		{ "", "" },
		{ "$$", "$" },
		{ "a$$b$$$${host}", "a$b$${host}" },
		{ "$${host}", "${host}" },
		{ "${host}${host}", "sched1.example.com" "sched1.example.com" },
	};
	static const struct {
		const char *tmpl, *fragment;
		const struct profile_vars *v;
	} bad[] = {
		{ "${port}", "unknown variable ${port}", &v },
		{ "${HOST}", "unknown variable ${HOST}", &v },
		{ "${}", "unknown variable ${}", &v },
		{ "${host", "without \"}\"", &v },
		{ "a$b", "a lone \"$\"", &v },
		{ "price $", "a lone \"$\"", &v },
		{ "$host", "a lone \"$\"", &v },
		{ "${hostname}", "${hostname} has no value on this host", &empty },
		{ "${ip}", "${ip} has no value on this host", &empty },
		{ "x${cluster}", "${cluster} has no value on this host", &empty },
	};

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		struct err e = { 0, "" };
		char *s = profile_expand(good[i].tmpl, &v, &e);

		if (!ok(streq(s, good[i].want), "expand: \"%s\" is \"%s\"",
		    good[i].tmpl, good[i].want))
			diag("got", s ? s : e.msg);
		free(s);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct err e = { 0, "" };
		char *s = profile_expand(bad[i].tmpl, bad[i].v, &e);

		if (!ok(s == NULL && e.code == EXIT_CONFIG &&
		    strstr(e.msg, bad[i].fragment) != NULL,
		    "expand: \"%s\" fails: %s", bad[i].tmpl, bad[i].fragment))
			diag("got", s ? s : e.msg);
		free(s);
	}
	{
		struct err e = { 0, "" };
		char *s = profile_expand("${host}", &empty, &e);

		ok(streq(s, "h"), "expand: only the variables used need values");
		free(s);
	}
}

static char *write_file(const char *dir, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
	return path;
}

/* load_fails PATH FILE LINE FRAGMENT: profile_load fails with EXIT_CONFIG,
 * "FILE:LINE: ...FRAGMENT...". */
static void load_fails(const char *path, const char *file, int line,
    const char *fragment, const char *what)
{
	struct profile p;
	struct err e = { 0, "" };
	int rc = profile_load(path, NULL, &p, &e);

	if (!ok(rc == -1 && e.code == EXIT_CONFIG &&
	    (file ? placed(e.msg, file, line, fragment) : strstr(e.msg, fragment) != NULL),
	    "include: %s", what))
		diag("got", e.msg);
}

/* @include of a directory or a FIFO: libconfig's scanner would exit the
 * process (a directory) or hang (a FIFO); both are errors naming the
 * including file and line. Numbers in included files are checked too. */
static void test_includes(void)
{
	char tmpl[] = "/tmp/unit-profile.XXXXXX";
	char *d = mkdtemp(tmpl), *sub, *fifo, *p, *nested, *inc, *text;
	struct profile prof;
	struct err e = { 0, "" };

	if (!ok(d != NULL, "include: a scratch directory"))
		return;
	sub = xasprintf("%s/sub", d);
	fifo = xasprintf("%s/fifo", d);
	mkdir(sub, 0700);
	mkfifo(fifo, 0600);

	text = xasprintf("@include \"%s\"\nflags: { set: { http_port = 8081; }; };\n", sub);
	p = write_file(d, "dir.conf", text);
	load_fails(p, p, 1, "@include \"", "a directory is refused, naming the file and line");
	load_fails(p, p, 1, "it is a directory", "... and saying why");
	free(text), free(p);

	text = xasprintf("name = \"f\";\n@include \"%s\"\n", fifo);
	p = write_file(d, "fifo.conf", text);
	load_fails(p, p, 2, "not a regular file", "a FIFO is refused");
	free(text), free(p);

	text = xasprintf("# nested\n@include \"%s\"\n", sub);
	nested = write_file(d, "nested.conf", text);
	free(text);
	text = xasprintf("@include \"%s\"\nflags: { set: { http_port = 8081; }; };\n", nested);
	p = write_file(d, "outer.conf", text);
	load_fails(p, nested, 2, "it is a directory", "a directory included by an included file");
	free(text), free(p), free(nested);

	inc = write_file(d, "int.conf", "\nflags: { set: { http_port = 4294967297; }; };\n");
	text = xasprintf("@include \"%s\"\n", inc);
	p = write_file(d, "int-outer.conf", text);
	load_fails(p, inc, 2, "4294967297 is out of range", "an integer out of range in an included file");
	free(text), free(p), free(inc);

	inc = write_file(d, "good.conf", "description = \"from an include\";\n");
	text = xasprintf("@include \"%s\"\nflags: { set: { http_port = 8081; }; };\n", inc);
	p = write_file(d, "good-outer.conf", text);
	if (ok(profile_load(p, NULL, &prof, &e) == 0 &&
	    streq(prof.description, "from an include"),
	    "include: a regular file still works"))
		profile_free(&prof);
	else
		diag("got", e.msg);
	free(text), free(p), free(inc);

	load_fails(sub, NULL, 0, "it is a directory", "a profile that is a directory");
	load_fails(fifo, NULL, 0, "not a regular file", "a profile that is a FIFO");

	text = xasprintf("rm -rf '%s'", d);
	if (system(text) != 0)
		note("could not remove %s", d);
	free(text), free(sub), free(fifo);
}

int main(int argc, char **argv)
{
	const char *top = argc > 1 ? argv[1] : getenv("SRCDIR");

	if (top == NULL) {
		fprintf(stderr, "usage: unit-profile SRCDIR\n");
		return 64;
	}
	test_timeamt();
	test_flagcat(top);
	test_recovery(top);
	test_fixtures(top);
	test_expand();
	test_includes();
	return tap_done();
}
