/* lensrt: round-trip a file through an Augeas lens, as aurora-restore does.
 *
 * usage: lensrt [-I LENSDIR] [-p] LENS FILE [SUBPATH SUBLENS]
 *
 * Reads FILE, adds a final "\n" when it lacks one (line lenses need it),
 * parses it with aug_text_store(LENS) into /tree, prints the tree with -p,
 * renders it back with aug_text_retrieve, strips the "\n" it added and
 * compares with FILE byte for byte.
 * With SUBPATH and SUBLENS, the value of every node matching SUBPATH is
 * round-tripped through SUBLENS too (for AuroraShell or AuroraDefault, with one
 * surrounding pair of quotes stripped first); nodes without a value are
 * skipped, and no node matching is an error.
 *
 * Exit: 0 identical, 1 output differs, 2 usage, I/O or lens loading error,
 *       65 parse error (message "FILE: parse error at line L char C: MSG").
 *
 * Build: gcc tests/lensrt.c $(pkg-config --cflags --libs augeas)
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <augeas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DIST_LENSES "/usr/share/augeas/lenses/dist"

static const char *prog = "lensrt";

static char *read_file(const char *name)
{
	FILE *f = fopen(name, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (f == NULL)
		return NULL;
	do {
		if (cap - len < 4096) {
			cap = cap ? 2 * cap : 8192;
			char *nb = realloc(buf, cap + 2);
			if (nb == NULL) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	if (ferror(f)) {
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[len] = '\0';
	if (strlen(buf) != len) {
		fprintf(stderr, "%s: %s: contains a NUL byte\n", prog, name);
		free(buf);
		return NULL;
	}
	return buf;
}

/* Report why aug_text_store into PATH (e.g. "/tree") failed; returns the
 * exit code: 65 for a parse error (Augeas leaves /augeas/text/PATH/error
 * with line, char and message), 2 for anything else (lens not found or
 * not loadable) */
static int store_error(augeas *aug, const char *what, const char *path)
{
	char p[256];
	const char *line = NULL, *chr = NULL, *msg = NULL;
	char *why = NULL;

	if (aug_error(aug) != AUG_NOERROR) {	/* aug_get would reset it */
		const char *d = aug_error_details(aug);
		if (asprintf(&why, "%s%s%s", aug_error_message(aug),
			     d ? ": " : "", d ? d : "") < 0)
			why = NULL;
	}
	snprintf(p, sizeof p, "/augeas/text%s/error/message", path);
	if (aug_get(aug, p, &msg) == 1 && msg != NULL) {
		snprintf(p, sizeof p, "/augeas/text%s/error/line", path);
		aug_get(aug, p, &line);
		snprintf(p, sizeof p, "/augeas/text%s/error/char", path);
		aug_get(aug, p, &chr);
		fprintf(stderr, "%s: parse error at line %s char %s: %s\n",
			what, line ? line : "?", chr ? chr : "?", msg);
		free(why);
		return 65;
	}
	fprintf(stderr, "%s: cannot parse: %s\n", what, why ? why : "?");
	free(why);
	return 2;
}

/* Parse TEXT with LENS into TREE and render it back; with ADDED, TEXT got
 * a final "\n" that the output loses again.  Returns the exit code. */
static int round_trip(augeas *aug, const char *lens, const char *text,
		      int added, const char *tree, const char *what, int print)
{
	const char *out = NULL;
	size_t olen, tlen = strlen(text) - (added ? 1 : 0);

	if (aug_set(aug, "/text/in", text) < 0) {
		fprintf(stderr, "%s: aug_set: %s\n", what, aug_error_message(aug));
		return 2;
	}
	if (aug_text_store(aug, lens, "/text/in", tree) < 0)
		return store_error(aug, what, tree);
	if (print)
		aug_print(aug, stdout, tree);
	if (aug_text_retrieve(aug, lens, "/text/in", tree, "/text/out") < 0
	    || aug_get(aug, "/text/out", &out) != 1 || out == NULL) {
		const char *d = aug_error_details(aug);
		fprintf(stderr, "%s: cannot render: %s%s%s\n", what,
			aug_error_message(aug), d ? ": " : "", d ? d : "");
		return 1;
	}
	olen = strlen(out);
	if (added && olen > 0 && out[olen - 1] == '\n')
		olen--;
	if (olen != tlen || memcmp(out, text, tlen) != 0) {
		size_t i = 0;
		while (i < olen && i < tlen && out[i] == text[i])
			i++;
		fprintf(stderr, "%s: round trip differs at byte %zu\n", what, i);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *lensdir = NULL, *lens, *file;
	char *loadpath, *text;
	int print = 0, i = 1, rc, added = 0;
	size_t len;
	augeas *aug;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-I") == 0 && i + 1 < argc)
			lensdir = argv[++i];
		else if (strcmp(argv[i], "-p") == 0)
			print = 1;
		else
			break;
	}
	if (argc - i != 2 && argc - i != 4) {
		fprintf(stderr, "usage: %s [-I LENSDIR] [-p] LENS FILE "
			"[SUBPATH SUBLENS]\n", prog);
		return 2;
	}
	lens = argv[i];
	file = argv[i + 1];

	text = read_file(file);
	if (text == NULL) {
		perror(file);
		return 2;
	}
	len = strlen(text);
	if (len > 0 && text[len - 1] != '\n') {
		strcpy(text + len, "\n");	/* read_file left room */
		added = 1;
	}

	if (lensdir != NULL) {
		loadpath = malloc(strlen(lensdir) + sizeof(DIST_LENSES) + 1);
		if (loadpath == NULL)
			return 2;
		sprintf(loadpath, "%s:%s", lensdir, DIST_LENSES);
	} else {
		loadpath = strdup(DIST_LENSES);
	}
	aug = aug_init(NULL, loadpath, AUG_NO_MODL_AUTOLOAD | AUG_NO_LOAD
		       | AUG_NO_ERR_CLOSE | AUG_NO_STDINC);
	if (aug == NULL || aug_error(aug) != AUG_NOERROR) {
		fprintf(stderr, "%s: aug_init failed\n", prog);
		return 2;
	}

	rc = round_trip(aug, lens, text, added, "/tree", file, print);

	if (rc == 0 && argc - i == 4) {
		const char *subpath = argv[i + 2], *sublens = argv[i + 3];
		/* a shell variable's words are inside its quotes */
		int shell = strncmp(lens, "AuroraShell.", 12) == 0 ||
		    strncmp(lens, "AuroraDefault.", 14) == 0;
		char **matches = NULL;
		int n = aug_match(aug, subpath, &matches);

		if (n <= 0) {
			fprintf(stderr, "%s: no node matches %s\n", file, subpath);
			rc = 1;
		}
		for (int k = 0; k < n; k++) {
			const char *v = NULL;
			char *val, what[1024];
			size_t vl;
			int r;

			if (rc == 0 && aug_get(aug, matches[k], &v) == 1 && v
			    && (val = strdup(v)) != NULL) {
				vl = strlen(val);
				if (shell && vl >= 2
				    && (val[0] == '"' || val[0] == '\'')
				    && val[vl - 1] == val[0]) {
					memmove(val, val + 1, vl - 2);
					val[vl - 2] = '\0';
				}
				snprintf(what, sizeof what, "%s:%s", file,
					 matches[k]);
				r = round_trip(aug, sublens, val, 0, "/subtree",
					       what, print);
				if (r != 0)
					rc = r;
				free(val);
			}
			free(matches[k]);
		}
		free(matches);
	}

	aug_close(aug);
	free(loadpath);
	free(text);
	return rc;
}
