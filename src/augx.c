#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "augx.h"
#include "buf.h"
#include "settings.h"

static char lensdir[4096];

static int has_lenses(const char *dir)
{
	char p[4200];

	snprintf(p, sizeof p, "%s/aurorashell.aug", dir);
	return access(p, R_OK) == 0;
}

static const char *find_lensdir(void)
{
	const char *env = getenv("AURORA_RESTORE_LENSDIR");

	if (env && *env)
		return env;
	if (run_from_build_tree() && has_lenses(ABS_SRCDIR "/lenses"))
		return ABS_SRCDIR "/lenses";
	return LENSDIR;
}

const char *augx_lensdir(void)
{
	if (!lensdir[0])
		snprintf(lensdir, sizeof lensdir, "%s", find_lensdir());
	return lensdir;
}

augeas *augx_open(struct err *e)
{
	char path[8400];
	augeas *aug;

	snprintf(path, sizeof path, "%s:%s", augx_lensdir(), AUGEAS_DIST_LENSDIR);
	aug = aug_init(NULL, path, AUG_NO_MODL_AUTOLOAD | AUG_NO_LOAD |
	    AUG_NO_ERR_CLOSE | AUG_NO_STDINC);
	if (aug == NULL || aug_error(aug) != AUG_NOERROR) {
		errf(e, EXIT_FAIL, "cannot start augeas with lenses from %s: %s",
		    path, aug ? aug_error_message(aug) : "out of memory");
		aug_close(aug);
		return NULL;
	}
	return aug;
}

void augx_close(augeas *aug)
{
	aug_close(aug);
}

static void lens_error(augeas *aug, const char *path, const char *name,
    struct err *e)
{
	char q[512];
	const char *msg = NULL, *line = NULL, *ch = NULL;

	snprintf(q, sizeof q, "/augeas/text%s/error/message", path);
	aug_get(aug, q, &msg);
	snprintf(q, sizeof q, "/augeas/text%s/error/line", path);
	aug_get(aug, q, &line);
	snprintf(q, sizeof q, "/augeas/text%s/error/char", path);
	aug_get(aug, q, &ch);
	if (line)
		errf(e, EXIT_DATA, "%s: parse error at line %s, char %s: %s",
		    name, line, ch ? ch : "?", msg ? msg : "unparsable");
	else if (aug_error(aug) != AUG_NOERROR) {
		const char *minor = aug_error_minor_message(aug);
		int n = minor ? (int)strcspn(minor, "\n") : 0;
		errf(e, EXIT_DATA, "%s: %s%s%.*s", name, aug_error_message(aug),
		    n ? ": " : "", n, minor ? minor : "");
	}
	else {
		int n = msg ? (int)strcspn(msg, "\n") : 0;
		errf(e, EXIT_DATA, "%s: cannot be parsed%s%.*s", name,
		    n ? ": " : "", n, msg ? msg : "");
	}
}

int augx_parse(augeas *aug, const char *lens, const char *text, int *added_nl,
    const char *path, const char *name, struct err *e)
{
	char in[512];
	size_t n = strlen(text);
	char *t = NULL;
	int rc;

	aug_rm(aug, path);
	snprintf(in, sizeof in, "/text%s", path);
	if (added_nl) {
		*added_nl = n > 0 && text[n - 1] != '\n';
		if (*added_nl)
			text = t = xasprintf("%s\n", text);
	}
	rc = aug_set(aug, in, text);
	free(t);
	if (rc < 0)
		return errf(e, EXIT_FAIL, "%s: cannot hand the text to augeas", name);
	if (aug_text_store(aug, lens, in, path) < 0) {
		lens_error(aug, path, name, e);
		aug_rm(aug, path);
		return -1;
	}
	return 0;
}

int augx_render(augeas *aug, const char *lens, const char *path, int strip_nl,
    const char *name, char **out, struct err *e)
{
	char in[512], q[520];
	const char *res = "/text/.out";
	const char *v = NULL, *orig = NULL;
	size_t n;

	snprintf(in, sizeof in, "/text%s", path);
	if (aug_text_retrieve(aug, lens, in, path, res) < 0) {
		lens_error(aug, path, name, e);
		return -1;
	}
	aug_get(aug, res, &v);
	/* Augeas renders an empty tree as "", dropping blank lines that made
	 * no node: text of blanks only stays as it was while nothing is added. */
	if ((v == NULL || *v == '\0') && aug_get(aug, in, &orig) == 1 && orig &&
	    orig[strspn(orig, " \t\n")] == '\0') {
		snprintf(q, sizeof q, "%s/*", path);
		if (aug_match(aug, q, NULL) == 0)
			v = orig;
	}
	*out = xstrdup(v ? v : "");
	n = strlen(*out);
	if (strip_nl && n > 0 && (*out)[n - 1] == '\n')
		(*out)[n - 1] = '\0';
	aug_rm(aug, res);
	return 0;
}

const char *augx_get(augeas *aug, const char *path)
{
	const char *v = NULL;

	if (aug_get(aug, path, &v) != 1)
		return NULL;
	return v;
}

int augx_set(augeas *aug, const char *path, const char *value, struct err *e)
{
	if (aug_set(aug, path, value) < 0)
		return errf(e, EXIT_FAIL, "cannot set %s: %s", path,
		    aug_error_message(aug));
	return 0;
}

int augx_match(augeas *aug, const char *expr, char ***paths)
{
	int n = aug_match(aug, expr, paths);

	if (n < 0) {
		*paths = NULL;
		return 0;
	}
	return n;
}

void augx_free_matches(char **paths, int n)
{
	for (int i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}

const char *augx_label(augeas *aug, const char *path)
{
	const char *l = NULL;

	if (aug_label(aug, path, &l) != 1)
		return NULL;
	return l;
}

int augx_nodes(augeas *aug, const char *expr, struct augx_node **nodes)
{
	int n;

	*nodes = NULL;
	if (aug_defvar(aug, "nodes", expr) < 0 ||
	    (n = aug_ns_count(aug, "nodes")) <= 0)
		return 0;
	*nodes = xcalloc(n, sizeof **nodes);
	for (int i = 0; i < n; i++) {
		const char *label = NULL, *value = NULL;
		char *path = NULL;
		aug_ns_attr(aug, "nodes", i, &value, &label, NULL);
		aug_ns_path(aug, "nodes", i, &path);
		(*nodes)[i].path = path ? path : xstrdup("");
		(*nodes)[i].label = label ? xstrdup(label) : NULL;
		(*nodes)[i].value = value ? xstrdup(value) : NULL;
	}
	aug_defvar(aug, "nodes", NULL);
	return n;
}

void augx_free_nodes(struct augx_node *nodes, int n)
{
	for (int i = 0; i < n; i++) {
		free(nodes[i].path);
		free(nodes[i].label);
		free(nodes[i].value);
	}
	free(nodes);
}
