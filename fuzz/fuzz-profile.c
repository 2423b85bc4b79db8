/*
 * fuzz-profile.c: the profile loader (src/profile.c) and, on the same
 * libconfig text, the tool's own configuration file (src/settings.c).
 *
 * Input: the file. Checks: a refused file is EXIT_CONFIG and the message
 * starts with the file's name; a loaded profile changes something, sets
 * only catalogued flags, and a value without variables passes the
 * catalogue's type check; templates expand, or fail as EXIT_CONFIG.
 */
#include <stdlib.h>
#include <string.h>
#include "buf.h"
#include "flagcat.h"
#include "fuzz.h"
#include "profile.h"
#include "settings.h"

static char *path;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	path = fuzz_path("/etc/aurora-restore/profiles/fuzz.conf");
	fuzz_write("/etc/aurora-restore/profiles/fuzz.conf", "", 0);
	return 0;
}

static void check_refused(const struct err *e, int rc)
{
	fuzz_check_err(e, rc);
	FUZZ_CHECK(e->code == EXIT_CONFIG, "status %d: %s", e->code, e->msg);
	FUZZ_CHECK(strncmp(e->msg, path, strlen(path)) == 0 || strstr(e->msg, path),
	    "the message does not name the file: %s", e->msg);
}

static void expand_all(const struct profile_kv *kv, size_t n,
    const struct profile_vars *v)
{
	for (size_t i = 0; i < n; i++) {
		struct err e = { 0 };
		char *s;
		if (kv[i].value == NULL)
			continue;
		s = profile_expand(kv[i].value, v, &e);
		fuzz_check_err(&e, s ? 0 : -1);
		FUZZ_CHECK(s || e.code == EXIT_CONFIG, "expanding %s: %d %s",
		    kv[i].name, e.code, e.msg);
		FUZZ_CHECK(s == NULL || strchr(kv[i].value, '$') ||
		    strcmp(s, kv[i].value) == 0, "%s: \"%s\" expands to \"%s\"",
		    kv[i].name, kv[i].value, s);
		free(s);
	}
}

static void check_profile(const struct profile *p)
{
	static const struct profile_vars v = { "sched1.example.com", "sched1",
		"10.0.0.1", "8081", "devcluster" };
	static const struct profile_vars empty = { "", "", NULL, NULL, "" };

	FUZZ_CHECK(p->name && p->path && p->hosts_address && p->hosts_names &&
	    p->firewall_backend, "a loaded profile without its defaults");
	FUZZ_CHECK(p->nflag_set + p->nflag_remove + p->ncluster_set +
	    p->ncluster_remove > 0 || p->hosts_enabled || p->firewall_enabled,
	    "a profile that changes nothing was loaded");
	for (size_t i = 0; i < p->nflag_set; i++) {
		const struct flag_info *f = flagcat_find(p->flag_set[i].name);
		struct err e = { 0 };
		FUZZ_CHECK(f != NULL, "unknown flag %s loaded", p->flag_set[i].name);
		FUZZ_CHECK(p->flag_set[i].line > 0, "flag %s without a line", f->name);
		if (strchr(p->flag_set[i].value, '$') == NULL)
			FUZZ_CHECK(flagcat_check_value(f, p->flag_set[i].value, &e) == 0,
			    "-%s=%s loaded, but %s", f->name, p->flag_set[i].value, e.msg);
	}
	expand_all(p->flag_set, p->nflag_set, &v);
	expand_all(p->cluster_set, p->ncluster_set, &v);
	expand_all(p->flag_set, p->nflag_set, &empty);
	expand_all(p->cluster_set, p->ncluster_set, &empty);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct profile p;
	struct settings s;
	struct err e = { 0 };
	int rc;

	/* libconfig's @include would read whatever file it names */
	if (memmem(data, size, "@include", 8))
		return 0;
	fuzz_write("/etc/aurora-restore/profiles/fuzz.conf", data, size);
	rc = profile_load(path, NULL, &p, &e);
	if (rc < 0)
		check_refused(&e, rc);
	else {
		fuzz_check_err(&e, rc);
		check_profile(&p);
		profile_free(&p);
	}

	memset(&e, 0, sizeof e);
	settings_init(&s);
	rc = settings_load_file(&s, path, 0, &e);
	if (rc < 0)
		check_refused(&e, rc);
	else
		fuzz_check_err(&e, rc);
	settings_free(&s);
	return 0;
}
