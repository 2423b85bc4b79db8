#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "augx.h"
#include "clusters.h"
#include "flagcat.h"
#include "host.h"
#include "hostfile.h"
#include "output.h"
#include "shell.h"
#include "unit.h"

/* The Debian launcher's variables, in the order it passes them. */
static const struct { const char *var, *flag; } debian_vars[] = {
	{ "CLUSTER_NAME", "cluster_name" },
	{ "HTTP_PORT", "http_port" },
	{ "QUORUM_SIZE", "native_log_quorum_size" },
	{ "ZK_ENDPOINTS", "zk_endpoints" },
	{ "MESOS_MASTER", "mesos_master_address" },
	{ "ZK_SERVERSET_PATH", "serverset_path" },
	{ "ZK_LOGDB_PATH", "native_log_zk_group_path" },
	{ "LOGDB_FILE_PATH", "native_log_file_path" },
	{ "BACKUP_DIR", "backup_dir" },
	{ "THERMOS_EXECUTOR_PATH", "thermos_executor_path" },
	{ "THERMOS_EXECUTOR_RESOURCES", "thermos_executor_resources" },
	{ "THERMOS_EXECUTOR_FLAGS", "thermos_executor_flags" },
	{ "ALLOWED_CONTAINER_TYPES", "allowed_container_types" },
};
#define NDEBIAN_VARS (sizeof debian_vars / sizeof debian_vars[0])
#define EXTRA_VAR "EXTRA_SCHEDULER_ARGS"

static const char *const layout_names[] = { "debian", "rpm", "systemd",
	"upstart", "argfile" };

const char *layout_name(enum layout l)
{
	return layout_names[l];
}

int layout_parse(const char *s, enum layout *l)
{
	for (int i = 0; i < 5; i++)
		if (strcmp(s, layout_names[i]) == 0) {
			*l = i;
			return 0;
		}
	return -1;
}

static const char *debian_var_of(const char *flag)
{
	for (size_t i = 0; i < NDEBIAN_VARS; i++)
		if (strcmp(debian_vars[i].flag, flag) == 0)
			return debian_vars[i].var;
	return NULL;
}

static int is_comment_label(const char *l)
{
	return l == NULL || l[0] == '#';
}

/* ---- files ---- */

/* NUL, or a byte Augeas keeps for itself (\001-\004): a file holding one
 * would parse, but could never be written back. The line of the first
 * one, or 0. */
static int binary(const struct buf *b)
{
	int line = 1;

	for (size_t i = 0; i < b->len; i++) {
		if ((unsigned char)b->s[i] <= 4)
			return line;
		line += b->s[i] == '\n';
	}
	return 0;
}

/* Every line ends in CR LF (a file written on Windows). */
static int all_crlf(const struct buf *b)
{
	size_t lines = 0;

	for (size_t i = 0; i < b->len; i++)
		if (b->s[i] == '\n' && (i == 0 || b->s[i - 1] != '\r'))
			return 0;
		else if (b->s[i] == '\n')
			lines++;
	return lines > 0;
}

/* s with "\r\n" as "\n" (to_lf), or "\n" as "\r\n"; malloc'd. */
static char *convert_eol(const char *s, int to_lf)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, "");
	for (; *s; s++)
		if (to_lf && s[0] == '\r' && s[1] == '\n')
			continue;
		else if (!to_lf && *s == '\n')
			buf_add(&b, "\r\n", 2);
		else
			buf_add(&b, s, 1);
	return buf_detach(&b);
}

int host_file_parse(struct host *h, struct hfile *f, struct err *e)
{
	char *lf = f->crlf ? convert_eol(f->text.s, 1) : NULL;
	int rc = augx_parse(h->aug, f->lens, lf ? lf : f->text.s, &f->added_nl,
	    f->tree, f->path, e);

	if (rc < 0 && (strncmp(f->lens, "AuroraDefault", 13) == 0 ||
	    strncmp(f->lens, "AuroraShell", 11) == 0)) {
		int q = shell_open_quote_line(lf ? lf : f->text.s);
		if (q) {
			char *why = xstrdup(e->msg + strlen(f->path) + 2);
			e->code = 0;
			errf(e, EXIT_DATA, "%s: line %d: unterminated quote (%s)", f->path, q, why);
			free(why);
		}
	}
	free(lf);
	return rc;
}

static int utf8_text(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int n;

	for (; *p; p += n)
		if ((n = *p < 0x80 ? 1 : utf8_len(p)) == 0)
			return 0;
	return 1;
}

/* A file read, not parsed yet. */
struct hfile *host_file_new(struct host *h, const char *path,
    enum hfile_role role, const char *lens, struct err *e)
{
	struct hfile *f;
	char *tree;
	int line;

	if (!utf8_text(path))
		return errf(e, EXIT_DATA, "%s: a file name that is not UTF-8 cannot be recorded in the journal (rename the file)", path), NULL;
	h->files = xrealloc(h->files, (h->nfiles + 1) * sizeof *h->files);
	f = h->files[h->nfiles] = xcalloc(1, sizeof *f);
	f->path = xstrdup(path);
	f->real = root_path(h->set->root, path);
	f->role = role;
	f->lens = lens;
	tree = xasprintf("/h/%zu", h->nfiles + 1);
	f->tree = tree;
	h->nfiles++;
	if (file_read(f->real, &f->text, &f->meta, 0, e) < 0)
		return NULL;
	if ((line = binary(&f->text)) > 0)
		return errf(e, EXIT_DATA, "%s: line %d: binary data in a text file", path, line), NULL;
	return f;
}

struct hfile *host_file_add(struct host *h, const char *path,
    enum hfile_role role, const char *lens, struct err *e)
{
	struct hfile *f = host_file_new(h, path, role, lens, e);

	if (f == NULL)
		return NULL;
	f->crlf = all_crlf(&f->text);
	return host_file_parse(h, f, e) < 0 ? NULL : f;
}

int host_file_exists(const struct host *h, const char *path)
{
	char *real = root_path(h->set->root, path);
	int ok = access(real, F_OK) == 0;

	free(real);
	return ok;
}

/* ---- word lists ---- */

static struct wordlist *add_list(struct host *h, struct hfile *f,
    const char *tree, const char *holder, int style, struct err *e)
{
	struct wordlist *w;

	h->lists = xrealloc(h->lists, (h->nlists + 1) * sizeof *h->lists);
	w = h->lists[h->nlists++] = xcalloc(1, sizeof *w);
	w->file = f;
	w->style = style;
	if (holder == NULL) {
		w->tree = xstrdup(tree);
		return w;
	}
	w->holder = xstrdup(holder);
	w->tree = xasprintf("/w/%zu", h->nlists);
	{
		const char *raw = augx_get(h->aug, holder);
		char *inner = shell_strip_outer(raw ? raw : "", &w->outer);
		char *name = xasprintf("%s: %s", f->path, augx_label(h->aug, holder));
		int rc = augx_parse(h->aug, "AuroraArgs.lns", inner, NULL,
		    w->tree, name, e);
		free(inner);
		free(name);
		if (rc < 0)
			return NULL;
	}
	return w;
}

/* Put a word list's text back into its holder node. */
static int store_list(struct host *h, struct wordlist *w, struct err *e)
{
	char *text, *raw, q;
	int rc;

	if (w->holder == NULL)
		return 0;
	if (augx_render(h->aug, "AuroraArgs.lns", w->tree, 0, w->file->path,
	    &text, e) < 0)
		return -1;
	if (w->created && *text == '\0') {
		free(text);
		aug_rm(h->aug, w->holder);
		return 0;
	}
	/* Words as they were: the holder keeps its text and quoting. */
	raw = shell_strip_outer(augx_get(h->aug, w->holder) ?
	    augx_get(h->aug, w->holder) : "", &q);
	if (q == w->outer && strcmp(raw, text) == 0) {
		free(raw);
		free(text);
		return 0;
	}
	free(raw);
	if (w->outer == 0 && w->style == WORDS_EXTRA && strpbrk(text, " \t"))
		w->outer = '"';
	if (w->outer)
		raw = xasprintf("%c%s%c", w->outer, text, w->outer);
	else
		raw = xstrdup(text);
	rc = augx_set(h->aug, w->holder, raw, e);
	free(text);
	free(raw);
	return rc;
}

/* ---- variables of a shell file, as bash sees them after sourcing ---- */

struct vars {
	char **name;
	char **value;
	size_t n;
};

static const char *vars_lookup(void *ctx, const char *name)
{
	struct vars *v = ctx;

	for (size_t i = v->n; i-- > 0;)
		if (strcmp(v->name[i], name) == 0)
			return v->value[i];
	return NULL;
}

static void vars_free(struct vars *v)
{
	for (size_t i = 0; i < v->n; i++) {
		free(v->name[i]);
		free(v->value[i]);
	}
	free(v->name);
	free(v->value);
	memset(v, 0, sizeof *v);
}

static int vars_read(struct host *h, struct hfile *f, struct vars *v,
    struct err *e)
{
	struct augx_node *m;
	char *q = xasprintf("%s/*", f->tree);
	int n = augx_nodes(h->aug, q, &m), rc = 0;

	free(q);
	for (int i = 0; i < n && rc == 0; i++) {
		char *val;
		if (is_comment_label(m[i].label) || m[i].value == NULL)
			continue;
		val = shell_unquote(m[i].value, vars_lookup, v);
		if (val == NULL) {
			rc = errf(e, EXIT_DATA, "%s: %s: unbalanced quotes in %s",
			    f->path, m[i].label, m[i].value);
			break;
		}
		v->name = xrealloc(v->name, (v->n + 1) * sizeof *v->name);
		v->value = xrealloc(v->value, (v->n + 1) * sizeof *v->value);
		v->name[v->n] = xstrdup(m[i].label);
		v->value[v->n++] = val;
	}
	augx_free_nodes(m, n);
	return rc;
}

/* A launcher variable: a scalar as bash sees it after sourcing, an
 * array's words joined by blanks as "${NAME[*]}" gives them. */
char *host_shell_var(struct host *h, const char *name)
{
	struct vars v = { 0 };
	struct err e = { 0 };
	struct augx_node *m;
	struct buf b = BUF_INIT;
	char *q, *out = NULL;
	int n;

	if ((h->layout != LAYOUT_DEBIAN && h->layout != LAYOUT_RPM) ||
	    vars_read(h, h->files[0], &v, &e) < 0) {
		vars_free(&v);
		return NULL;
	}
	q = xasprintf("%s/%s/*", h->files[0]->tree, name);
	n = augx_nodes(h->aug, q, &m);
	for (int i = 0; i < n; i++) {
		char *raw, *word;
		if (m[i].label == NULL || strcmp(m[i].label, "#comment") == 0)
			continue;
		raw = strcmp(m[i].label, "#arg") == 0 ? xstrdup(m[i].value) :
		    xasprintf("-%s%s%s", m[i].label, m[i].value ? "=" : "",
		    m[i].value ? m[i].value : "");
		word = shell_unquote(raw, vars_lookup, &v);
		buf_addf(&b, "%s%s", b.len ? " " : "", word ? word : raw);
		free(word);
		free(raw);
	}
	if (n > 0)
		out = buf_detach(&b);
	else if (vars_lookup(&v, name))
		out = xstrdup(vars_lookup(&v, name));
	augx_free_nodes(m, n);
	free(q);
	vars_free(&v);
	return out;
}

/* ---- flags ---- */

static void add_flag(struct host *h, const char *name, char *value,
    const char *raw, const char *node, const char *var, struct wordlist *w)
{
	struct flag *fl;

	h->flags = xrealloc(h->flags, (h->nflags + 1) * sizeof *h->flags);
	fl = &h->flags[h->nflags++];
	fl->name = xstrdup(name);
	fl->value = value;
	fl->raw = raw ? xstrdup(raw) : NULL;
	fl->node = node ? xstrdup(node) : NULL;
	fl->var = var;
	fl->list = w;
	fl->name_node = NULL;
}

static void free_flags(struct host *h)
{
	for (size_t i = 0; i < h->nflags; i++) {
		free(h->flags[i].name);
		free(h->flags[i].value);
		free(h->flags[i].raw);
		free(h->flags[i].node);
		free(h->flags[i].name_node);
	}
	free(h->flags);
	h->flags = NULL;
	h->nflags = 0;
}

static char *word_value(struct wordlist *w, const char *raw, struct vars *v)
{
	switch (w->style) {
	case WORDS_ARGFILE:
		return xstrdup(raw);
	case WORDS_EXTRA:
		if (w->outer == '\'')
			return xstrdup(raw);
		if (w->outer == '"')
			return shell_expand(raw, vars_lookup, v);
		return shell_unquote(raw, vars_lookup, v);
	case WORDS_SYSTEMD:
		return shell_unquote(raw, NULL, NULL);
	default:
		return shell_unquote(raw, vars_lookup, v);
	}
}

static int collect_list(struct host *h, struct wordlist *w, struct vars *v,
    struct err *e)
{
	struct augx_node *m;
	char *q = xasprintf("%s/*", w->tree);
	int n = augx_nodes(h->aug, q, &m), rc = 0;

	free(q);
	for (int i = 0; i < n && rc == 0; i++) {
		struct augx_node *vn = &m[i];
		char *val = NULL;
		if (is_comment_label(m[i].label))
			continue;
		/* "-name value": the scheduler takes the next word as the value */
		if (m[i].value == NULL && i + 1 < n &&
		    strcmp(m[i + 1].label, "#arg") == 0)
			vn = &m[i + 1];
		if (vn->value && (val = word_value(w, vn->value, v)) == NULL) {
			rc = errf(e, EXIT_DATA, "%s: -%s: unbalanced quotes in %s",
			    w->file->path, m[i].label, vn->value);
			break;
		}
		add_flag(h, m[i].label, val, vn->value, vn->path, NULL, w);
		if (vn != &m[i]) {
			struct flag *fl = &h->flags[h->nflags - 1];
			fl->name_node = xstrdup(m[i].path);
			i++;
		}
	}
	augx_free_nodes(m, n);
	return rc;
}

static struct hfile *file_of_flag(const struct host *h, const struct flag *fl)
{
	if (fl && fl->list)
		return fl->list->file;
	if (h->layout == LAYOUT_DEBIAN || h->nlists == 0)
		return h->files[0];
	return h->lists[0]->file;
}

static int starts_word(const char *line, const char *at)
{
	return at == line || strchr(" \t\"'(", at[-1]) != NULL;
}

/* The line of the nth use (from 0) of word in f outside comment lines,
 * followed by one of ends or the line's end; 0 when there is none. */
static int word_line(const struct hfile *f, const char *word,
    const char *ends, int nth)
{
	size_t n = strlen(word);
	int line = 1;

	for (const char *p = f->text.s; p && *p; line++) {
		const char *end = strchrnul(p, '\n');
		if (p[strspn(p, " \t")] != '#')
			for (const char *q = p; q + n <= end; q++)
				if (strncmp(q, word, n) == 0 && starts_word(p, q) &&
				    (q + n == end || strchr(ends, q[n])) && nth-- == 0)
					return line;
		p = *end ? end + 1 : NULL;
	}
	return 0;
}

/* The line where a flag stands in its file (its variable's assignment
 * for a Debian variable), or 0. */
static int flag_line(const struct host *h, const struct flag *fl)
{
	const struct hfile *f = file_of_flag(h, fl);
	char *word;
	int nth = 0, line;

	if (fl->var)
		return word_line(f, fl->var, "=", 0);
	for (const struct flag *p = h->flags; p < fl; p++)
		nth += !p->var && file_of_flag(h, p) == f && strcmp(p->name, fl->name) == 0;
	word = xasprintf("-%s", fl->name);
	line = word_line(f, word, "= \t\"'\\", nth);
	free(word);
	return line;
}

/* "PATH: line N" (or "PATH" when the line is not known), malloc'd. */
static char *file_line(const struct hfile *f, int line)
{
	return line > 0 ? xasprintf("%s: line %d", f->path, line) : xstrdup(f->path);
}

static int dup_error(struct host *h, const struct flag *fl, struct err *e)
{
	char *at = file_line(file_of_flag(h, fl), flag_line(h, fl));

	errf(e, EXIT_DATA,
	    "%s: flag -%s is given twice (the scheduler refuses to start); remove one copy first",
	    at, fl->name);
	free(at);
	return -1;
}

static int check_duplicates(struct host *h, struct err *e)
{
	for (size_t i = 0; i < h->nflags; i++)
		for (size_t j = i + 1; j < h->nflags; j++) {
			const struct flag_info *fi;
			if (strcmp(h->flags[i].name, h->flags[j].name) != 0)
				continue;
			fi = flagcat_find(h->flags[i].name);
			if (fi && fi->list)
				continue;
			return dup_error(h, &h->flags[j], e);
		}
	return 0;
}

static int collect_flags(struct host *h, struct err *e)
{
	struct vars v = { 0 };
	int rc = 0;

	free_flags(h);
	if (h->layout == LAYOUT_DEBIAN || h->layout == LAYOUT_RPM)
		rc = vars_read(h, h->files[0], &v, e);
	if (rc == 0 && h->layout == LAYOUT_DEBIAN)
		for (size_t i = 0; i < NDEBIAN_VARS; i++) {
			char *node = xasprintf("%s/%s", h->files[0]->tree,
			    debian_vars[i].var);
			const char *val = vars_lookup(&v, debian_vars[i].var);
			const char *raw = augx_get(h->aug, node);
			add_flag(h, debian_vars[i].flag, xstrdup(val ? val : ""),
			    raw, raw ? node : NULL, debian_vars[i].var, NULL);
			free(node);
		}
	for (size_t i = 0; rc == 0 && i < h->nlists; i++)
		rc = collect_list(h, h->lists[i], &v, e);
	vars_free(&v);
	if (rc == 0)
		rc = check_duplicates(h, e);
	return rc;
}

/* ---- layouts ---- */

/* A variable the flags come from, assigned twice: bash keeps the last
 * value, which may use the first ("$EXTRA_SCHEDULER_ARGS -x"); edits could
 * go to the wrong one or add a fatal duplicate. */
static int assigned_once(struct host *h, struct hfile *f, struct err *e)
{
	for (size_t i = 0; i <= NDEBIAN_VARS; i++) {
		const char *var = h->layout != LAYOUT_DEBIAN ? "AURORA_FLAGS" :
		    i < NDEBIAN_VARS ? debian_vars[i].var : EXTRA_VAR;
		char **m, *q = xasprintf("%s/%s", f->tree, var);
		int n = augx_match(h->aug, q, &m);

		augx_free_matches(m, n);
		free(q);
		if (n > 1) {
			char *at = file_line(f, word_line(f, var, "=", 1));
			errf(e, EXIT_DATA, "%s: %s is assigned %d times; keep one (bash uses the last)",
			    at, var, n);
			free(at);
			return -1;
		}
		if (h->layout != LAYOUT_DEBIAN)
			break;
	}
	return 0;
}

static int load_shell(struct host *h, const char *path, struct err *e)
{
	struct hfile *f = host_file_add(h, path, ROLE_FLAGS, h->layout == LAYOUT_DEBIAN ?
	    "AuroraDefault.lns" : "AuroraShell.lns", e);
	struct wordlist *w;
	char *node;
	int created = 0;

	if (f == NULL || assigned_once(h, f, e) < 0)
		return -1;
	if (h->layout == LAYOUT_DEBIAN) {
		node = xasprintf("%s/%s", f->tree, EXTRA_VAR);
		if (augx_get(h->aug, node) == NULL) {
			char **m;
			int n = augx_match(h->aug, node, &m);
			augx_free_matches(m, n);
			if (n == 0)
				augx_set(h->aug, node, "\"\"", e);
			created = n == 0;
		}
		if ((w = add_list(h, f, NULL, node, WORDS_EXTRA, e)) == NULL) {
			free(node);
			return -1;
		}
		w->created = created;
	} else {
		node = xasprintf("%s/AURORA_FLAGS", f->tree);
		if (add_list(h, f, node, NULL, WORDS_SHELL, e) == NULL) {
			free(node);
			return -1;
		}
	}
	free(node);
	return 0;
}

/* The last ExecStart= node of the file the unit's command comes from. */
static char *exec_node(struct host *h, struct hfile *f)
{
	char **m, *q = xasprintf("%s/Service/ExecStart", f->tree), *node = NULL;
	int n = augx_match(h->aug, q, &m);

	free(q);
	for (int j = 0; j < n; j++) {
		const char *v = augx_get(h->aug, m[j]);
		if (v && *v) {
			free(node);
			node = xstrdup(m[j]);
		}
	}
	augx_free_matches(m, n);
	return node;
}

static int load_unit(struct host *h, const char *path, struct unit *u,
    struct err *e)
{
	if (path)
		return unit_load_file(u, h->set->root, path, e);
	if (unit_load(u, h->set->root, h->set->unit, e) < 0)
		return -1;
	if (u->nfiles == 0)
		return errf(e, EXIT_DATA, "no unit file %s found", h->set->unit);
	return 0;
}

/* A comment line inside ExecStart='s continued lines: systemd skips it,
 * the word lists would take it for flags. The line of the first, or 0. */
static int exec_comment_line(const char *raw, int first_line)
{
	int line = first_line;

	for (const char *p = raw ? raw : ""; (p = strchr(p, '\n')) != NULL; ) {
		p++;
		line++;
		if (strchr("#;", p[strspn(p, " \t")]) && p[strspn(p, " \t")])
			return line;
	}
	return 0;
}

static int load_systemd(struct host *h, const char *path, struct err *e)
{
	struct unit u;
	size_t first = h->nfiles;
	struct hfile *holder;
	char *exec = NULL;
	int cl, rc = load_unit(h, path, &u, e);

	for (size_t i = 0; rc == 0 && i < u.nfiles; i++)
		if (host_file_add(h, u.files[i], ROLE_UNIT, "AuroraSystemd.lns", e) == NULL)
			rc = -1;
	holder = rc == 0 ? h->files[first + u.exec_file] : NULL;
	if (rc == 0 && u.nexec > 0)
		exec = exec_node(h, holder);
	if (rc == 0 && (u.nexec == 0 || exec == NULL))
		rc = errf(e, EXIT_DATA, "%s: no ExecStart= line", h->files[first]->path);
	else if (rc == 0 && u.nexec > 1)
		rc = errf(e, EXIT_DATA,
		    "%s: line %d: %d ExecStart= lines add up (a drop-in must reset with an empty ExecStart= first)",
		    holder->path, u.exec_line, u.nexec);
	if (rc == 0 && (cl = exec_comment_line(augx_get(h->aug, exec), u.exec_line)))
		rc = errf(e, EXIT_DATA,
		    "%s: line %d: a comment line inside ExecStart='s continued lines (systemd skips it, so its words are no flags); move it out of the command",
		    holder->path, cl);
	if (rc == 0 && add_list(h, holder, NULL, exec, WORDS_SYSTEMD, e) == NULL)
		rc = -1;
	free(exec);
	unit_free(&h->sd);
	h->sd = u;
	h->unit = xstrdup(h->set->unit);
	return rc;
}

static int load_upstart(struct host *h, const char *path, struct err *e)
{
	struct hfile *f = host_file_add(h, path, ROLE_FLAGS, "AuroraUpstart.lns", e);
	char *node;
	int rc = 0;

	if (f == NULL)
		return -1;
	node = xasprintf("%s/exec", f->tree);
	if (augx_get(h->aug, node) == NULL)
		rc = errf(e, EXIT_DATA, "%s: no exec stanza", path);
	else if (add_list(h, f, NULL, node, WORDS_SHELL, e) == NULL)
		rc = -1;
	free(node);
	return rc;
}

static int load_argfile(struct host *h, const char *path, struct err *e)
{
	struct hfile *f = host_file_add(h, path, ROLE_ARGFILE, "AuroraArgfile.lns", e);

	if (f == NULL || add_list(h, f, f->tree, NULL, WORDS_ARGFILE, e) == NULL)
		return -1;
	return 0;
}

/* How many of an ExecStart='s first words are the command, not the
 * scheduler's arguments: the executable with its prefixes (-@:+!|), and
 * the argv[0] that follows when the prefixes hold "@". */
static int command_words(const struct host *h, const struct wordlist *w,
    char **m, int n)
{
	const char *first;
	size_t pre;

	if (w->style != WORDS_SYSTEMD || n == 0)
		return 0;
	first = augx_get(h->aug, m[0]);
	pre = first ? strspn(first, "-@:+!|") : 0;
	return first && memchr(first, '@', pre) ? 2 : 1;
}

/* Follow @argfile words of the lists loaded so far. */
static int load_argfile_refs(struct host *h, struct err *e)
{
	for (size_t i = 0; i < h->nlists; i++) {
		char **m, *q = xasprintf("%s/#arg", h->lists[i]->tree);
		int n = augx_match(h->aug, q, &m), rc = 0;

		free(q);
		for (int j = command_words(h, h->lists[i], m, n); rc == 0 && j < n; j++) {
			char *word = shell_unquote(augx_get(h->aug, m[j]), NULL, NULL);
			if (word && word[0] == '@' && word[1] == '/')
				rc = load_argfile(h, word + 1, e);
			free(word);
		}
		augx_free_matches(m, n);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* A unit whose command takes flags. */
static int unit_has_flags(struct host *h, struct err *e)
{
	struct unit u;
	int found;

	if (unit_load(&u, h->set->root, h->set->unit, e) < 0)
		return -1;
	found = u.exec && strstr(u.exec, " -") != NULL;
	unit_free(&u);
	return found;
}

static int discover(struct host *h, const char **path, struct err *e)
{
	static const struct { enum layout l; const char *path; } probe[] = {
		{ LAYOUT_DEBIAN, "/etc/default/aurora-scheduler" },
		{ LAYOUT_RPM, "/etc/sysconfig/aurora-scheduler" },
		{ LAYOUT_RPM, "/etc/sysconfig/aurora" },
		{ LAYOUT_UPSTART, "/etc/init/aurora-scheduler.conf" },
	};
	char *note = NULL;
	int unit = unit_has_flags(h, e);

	if (unit < 0)
		return -1;
	if (unit) {
		h->layout = LAYOUT_SYSTEMD;
		*path = NULL;
		return 0;
	}
	for (size_t i = 0; i < sizeof probe / sizeof probe[0]; i++)
		if (host_file_exists(h, probe[i].path)) {
			h->layout = probe[i].l;
			*path = probe[i].path;
			return 0;
		}
	for (size_t i = 0; !note && i < sizeof probe / sizeof probe[0]; i++)
		note = root_link_note(h->set->root, probe[i].path);
	errf(e, EXIT_DATA,
	    "no scheduler flags file found (looked for /etc/default/aurora-scheduler, /etc/sysconfig/aurora-scheduler, /etc/sysconfig/aurora, %s %s unit with flags, /etc/init/aurora-scheduler.conf%s); use --layout and --flags-file",
	    *h->set->unit && strchr("aeiouAEIOU", *h->set->unit) ? "an" : "a", h->set->unit,
	    note ? note : "");
	free(note);
	return -1;
}

static const char *default_path(enum layout l)
{
	static const char *const p[] = { "/etc/default/aurora-scheduler",
		"/etc/sysconfig/aurora-scheduler", NULL,
		"/etc/init/aurora-scheduler.conf", NULL };
	return p[l];
}

static int load_flags(struct host *h, struct err *e)
{
	const char *path = h->set->flags_file;
	int rc;

	if (h->set->layout) {
		if (layout_parse(h->set->layout, &h->layout) < 0)
			return errf(e, EXIT_USAGE, "unknown layout \"%s\" (debian, rpm, systemd, upstart or argfile)", h->set->layout);
		if (path == NULL)
			path = default_path(h->layout);
		if (path == NULL && h->layout == LAYOUT_ARGFILE)
			return errf(e, EXIT_USAGE, "--layout argfile needs --flags-file");
	} else if (path) {
		const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
		size_t n = strlen(base);
		if (n > 8 && strcmp(base + n - 8, ".service") == 0)
			h->layout = LAYOUT_SYSTEMD;
		else if (strncmp(path, "/etc/sysconfig/", 15) == 0)
			h->layout = LAYOUT_RPM;
		else if (strncmp(path, "/etc/init/", 10) == 0)
			h->layout = LAYOUT_UPSTART;
		else if (strncmp(path, "/etc/default/", 13) == 0)
			h->layout = LAYOUT_DEBIAN;
		else
			h->layout = LAYOUT_ARGFILE;
	} else if (discover(h, &path, e) < 0)
		return -1;

	switch (h->layout) {
	case LAYOUT_DEBIAN:
	case LAYOUT_RPM:
		rc = load_shell(h, path, e);
		break;
	case LAYOUT_SYSTEMD:
		rc = load_systemd(h, path, e);
		break;
	case LAYOUT_UPSTART:
		rc = load_upstart(h, path, e);
		break;
	default:
		rc = load_argfile(h, path, e);
	}
	if (rc == 0)
		rc = load_argfile_refs(h, e);
	if (rc == 0)
		rc = collect_flags(h, e);
	return rc;
}

/* ---- values that swallowed other lines ---- */

static int line_of(const struct hfile *f, const char *raw)
{
	const char *at = raw && *raw && f->text.s ? strstr(f->text.s, raw) : NULL;
	int line = 1;

	if (at == NULL)
		return 0;
	for (const char *p = f->text.s; p < at; p++)
		line += *p == '\n';
	return line;
}

/* A line that looks like a flag (-name=..., -name value) or a shell
 * assignment (NAME=...): its length of name, else 0. */
static size_t looks_assigned(const char *line)
{
	size_t n;

	line += strspn(line, " \t");
	if (line[0] == '-' && islower((unsigned char)line[1])) {
		n = 1 + strspn(line + 1, "abcdefghijklmnopqrstuvwxyz0123456789_");
		return line[n] == '=' || line[n] == ' ' || line[n] == '\0' ||
		    line[n] == '\n' ? n : 0;
	}
	n = strspn(line, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
	return n > 0 && !isdigit((unsigned char)line[0]) && line[n] == '=' ? n : 0;
}

/* A quote left open runs over the lines after it: the flags there become
 * part of one value and seem absent, and an edit would add them again. */
static int check_swallowed(const struct host *h, struct err *e)
{
	for (size_t i = 0; i < h->nflags; i++) {
		const struct flag *fl = &h->flags[i];
		const char *nl = fl->raw ? strchr(fl->raw, '\n') : NULL;
		size_t n = 0;

		while (nl && (n = looks_assigned(nl + 1)) == 0)
			nl = strchr(nl + 1, '\n');
		if (nl) {
			const char *w = nl + 1 + strspn(nl + 1, " \t");
			struct hfile *f = file_of_flag(h, fl);
			return errf(e, EXIT_DATA,
			    "%s: line %d: the value of -%s runs on over the next lines and takes in %.*s (a quote left open?)",
			    f->path, line_of(f, fl->raw), fl->name, (int)n, w);
		}
	}
	return 0;
}

/* ---- values a profile expands (${http_port}, ${host}, ...) ---- */

static char *shown(const char *value)
{
	size_t n = 0;

	while (value[n] && n < 60 && (unsigned char)value[n] >= 0x20 &&
	    value[n] != 0x7f)
		n++;
	return xasprintf("\"%.*s%s\"", (int)n, value, value[n] ? "..." : "");
}

static int valid_port(const char *v)
{
	char *end;
	long n;

	if (!isdigit((unsigned char)*v))
		return 0;
	n = strtol(v, &end, 10);
	return *end == '\0' && n >= 1 && n <= 65535;
}

static int valid_address(const char *v)
{
	struct in_addr a4;
	struct in6_addr a6;

	return inet_pton(AF_INET, v, &a4) == 1 || inet_pton(AF_INET6, v, &a6) == 1;
}

/* A name of labels of 1 to 63 letters, digits, '-' or '_' (no '-' at
 * either end), or an IPv4 address: an IPv6 one would need brackets in
 * the URIs the profile builds. */
static int valid_hostname(const char *v)
{
	struct in_addr a4;
	size_t n = strlen(v), l;

	if (inet_pton(AF_INET, v, &a4) == 1)
		return 1;
	if (n == 0 || n > 254 || (n == 254 && v[n - 1] != '.'))
		return 0;
	for (; *v; v += l + (v[l] == '.')) {
		l = strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
		if (l == 0 || l > 63 || v[0] == '-' || v[l - 1] == '-' ||
		    (v[l] != '.' && v[l] != '\0'))
			return 0;
	}
	return 1;
}

static int valid_cluster(const char *v)
{
	for (const char *p = v; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f || strchr("\"'\\$`", *p))
			return 0;
	return *v != '\0';
}

/* Where ${var} takes its value on this host, for messages. */
static char *var_source(const struct host *h, const char *var)
{
	const char *flag = NULL;
	const char *hn = host_flag_value(h, "hostname"), *ip = host_flag_value(h, "ip");
	const struct flag *fl;
	char *at, *s;

	if (strcmp(var, "http_port") == 0)
		flag = "http_port";
	else if (strcmp(var, "cluster") == 0 && h->set->cluster)
		return xstrdup("--cluster");
	else if (strcmp(var, "cluster") == 0)
		flag = "cluster_name";
	else if (strcmp(var, "host") == 0 && h->set->advertised_host)
		return xasprintf("%s: advertised_host", h->set->config ?
		    h->set->config : "the configuration");
	else if (strcmp(var, "host") == 0 && hn && *hn)
		flag = "hostname";
	else if ((strcmp(var, "host") == 0 || strcmp(var, "ip") == 0) && ip && *ip)
		flag = "ip";
	else if (strcmp(var, "ip") == 0)
		return xasprintf("the address of this machine's name %s", h->hostname);
	else
		return xstrdup("this machine's name");
	fl = host_flag(h, flag);
	at = file_line(file_of_flag(h, fl), fl ? flag_line(h, fl) : 0);
	if (fl && fl->var)
		s = xasprintf("%s: %s (-%s)", at, fl->var, flag);
	else
		s = xasprintf("%s: -%s", at, flag);
	free(at);
	return s;
}

int host_check_var(const struct host *h, const char *var, const char *value,
    struct err *e)
{
	int ok;
	char *src, *v;

	if (strcmp(var, "http_port") == 0)
		ok = value && valid_port(value);
	else if (strcmp(var, "ip") == 0)
		ok = value && valid_address(value);
	else if (strcmp(var, "cluster") == 0)
		ok = value && valid_cluster(value);
	else
		ok = value && valid_hostname(value);
	if (ok)
		return 0;
	src = var_source(h, var);
	if (value == NULL || *value == '\0')
		errf(e, EXIT_DATA, "%s: not set, and the profile's ${%s} needs it%s; nothing written",
		    src, var, strcmp(var, "ip") == 0 ? " (give -ip)" : "");
	else {
		v = shown(value);
		errf(e, EXIT_DATA, "%s: %s is not %s, which the profile needs; nothing written",
		    src, v, strcmp(var, "http_port") == 0 ? "a port (1 to 65535)" :
		    strcmp(var, "ip") == 0 ? "an IP address" :
		    strcmp(var, "cluster") == 0 ? "a cluster name" : "a host name");
		free(v);
	}
	free(src);
	return -1;
}

int host_load(struct host *h, struct settings *set, augeas *aug,
    struct err *e)
{
	char name[256];

	memset(h, 0, sizeof *h);
	h->set = set;
	h->aug = aug;
	if (gethostname(name, sizeof name) < 0)
		snprintf(name, sizeof name, "localhost");
	name[sizeof name - 1] = '\0';
	h->hostname = xstrdup(name);
	aug_rm(aug, "/h");
	aug_rm(aug, "/w");
	aug_rm(aug, "/text");
	if (load_flags(h, e) < 0 || check_swallowed(h, e) < 0 ||
	    clusters_load(h, e) < 0)
		return -1;
	return 0;
}

void host_free(struct host *h)
{
	free_flags(h);
	for (size_t i = 0; i < h->nfiles; i++) {
		free(h->files[i]->path);
		free(h->files[i]->real);
		free(h->files[i]->tree);
		buf_free(&h->files[i]->text);
		free(h->files[i]->newtext);
		free(h->files[i]);
	}
	free(h->files);
	for (size_t i = 0; i < h->nlists; i++) {
		free(h->lists[i]->tree);
		free(h->lists[i]->holder);
		free(h->lists[i]);
	}
	free(h->lists);
	free(h->unit);
	unit_free(&h->sd);
	free(h->cluster);
	free(h->centry);
	free(h->hostname);
	memset(h, 0, sizeof *h);
}

/* ---- queries ---- */

const struct flag *host_flag(const struct host *h, const char *name)
{
	for (size_t i = h->nflags; i-- > 0;)
		if (strcmp(h->flags[i].name, name) == 0)
			return &h->flags[i];
	return NULL;
}

const char *host_flag_value(const struct host *h, const char *name)
{
	const struct flag *f = host_flag(h, name);

	return f ? f->value : NULL;
}

char *host_flag_before(const struct host *h, const char *name)
{
	const struct flag *f = host_flag(h, name);

	if (f == NULL || f->list == NULL)
		return xstrdup("");
	for (const struct flag *p = f; p-- > h->flags;)
		if (p->list == f->list)
			return xstrdup(p->name);
	return xstrdup("");
}

/* ---- edits ---- */

/* The error for a value that cannot be written in a place; a secret
 * flag's value shown masked. */
static char *unquotable(const char *name, const char *value,
    const char *place, const char *file, const char *why, struct err *e)
{
	char *shown = out_flag_value(name, value);

	errf(e, EXIT_CONFIG, "-%s: \"%s\" cannot go into %s%s%s", name, shown,
	    place, file, why);
	free(shown);
	return NULL;
}

static char *quote_for(struct wordlist *w, const char *value,
    const char *old_raw, const char *name, struct err *e)
{
	switch (w->style) {
	case WORDS_ARGFILE:
		if (strchr(value, '\n'))
			return errf(e, EXIT_CONFIG, "-%s: a value with a newline cannot go into %s", name, w->file->path), NULL;
		return xstrdup(value);
	case WORDS_EXTRA:
		if (strpbrk(value, " \t\n'\"\\$`") || *value == '\0')
			return unquotable(name, value, EXTRA_VAR " in ", w->file->path,
			    " (the launcher splits it into words)", e);
		return xstrdup(value);
	case WORDS_SYSTEMD:
		if (strpbrk(value, "$%\n"))
			return unquotable(name, value, "a unit's ExecStart", "",
			    " ($ and % are expanded there)", e);
		/* fall through */
	default:
		return shell_quote_like(value, old_raw);
	}
}

static struct wordlist *primary_list(struct host *h)
{
	return h->nlists ? h->lists[0] : NULL;
}

static int set_node(struct host *h, struct flag *fl, const char *raw,
    struct err *e)
{
	return augx_set(h->aug, fl->node, raw, e);
}

static int append_flag(struct host *h, struct wordlist *w, const char *name,
    const char *raw, const char *after, struct err *e)
{
	char *path = NULL, **m;
	int n, rc;

	if (after) {
		char *q = *after ? xasprintf("%s/%s[last()]", w->tree, after) :
		    xasprintf("%s/*[label() != '#comment' and label() != '#arg'][1]", w->tree);
		n = augx_match(h->aug, q, &m);
		free(q);
		if (n > 0 && aug_insert(h->aug, m[0], name, *after == '\0') == 0) {
			char *q2 = xasprintf("%s/%s", w->tree, name);
			char **m2;
			int n2 = augx_match(h->aug, q2, &m2);
			for (int i = 0; i < n2 && !path; i++)
				if (augx_get(h->aug, m2[i]) == NULL && raw)
					path = xstrdup(m2[i]);
			augx_free_matches(m2, n2);
			free(q2);
		}
		augx_free_matches(m, n);
	}
	if (path == NULL) {
		path = xasprintf("%s/%s[last()+1]", w->tree, name);
		rc = aug_set(h->aug, path, raw);
	} else
		rc = aug_set(h->aug, path, raw);
	if (rc < 0)
		errf(e, EXIT_FAIL, "cannot add -%s to %s", name, w->file->path);
	free(path);
	return rc < 0 ? -1 : 0;
}

static int store_all(struct host *h, struct err *e)
{
	for (size_t i = 0; i < h->nlists; i++)
		if (store_list(h, h->lists[i], e) < 0)
			return -1;
	return 0;
}

static int set_debian_var(struct host *h, const char *var, const char *raw,
    struct err *e)
{
	char *node = xasprintf("%s/%s", h->files[0]->tree, var);
	int rc = augx_set(h->aug, node, raw, e);

	free(node);
	return rc;
}

int host_flag_set(struct host *h, const char *name, const char *value,
    struct err *e)
{
	const char *var = h->layout == LAYOUT_DEBIAN ? debian_var_of(name) : NULL;
	struct wordlist *w;
	int found = 0, rc = 0;
	char *raw;

	if (var) {
		const struct flag *fl = host_flag(h, name);
		raw = shell_quote_like(value, fl && fl->raw ? fl->raw : "\"");
		rc = set_debian_var(h, var, raw, e);
		free(raw);
		return rc < 0 ? -1 : host_refresh(h, e);
	}
	for (size_t i = h->nflags; i-- > 0 && rc == 0;) {
		struct flag *fl = &h->flags[i];
		if (strcmp(fl->name, name) != 0)
			continue;
		if (found++) {
			aug_rm(h->aug, fl->node);
			if (fl->name_node)
				aug_rm(h->aug, fl->name_node);
			continue;
		}
		raw = quote_for(fl->list, value, fl->raw, name, e);
		rc = raw ? set_node(h, fl, raw, e) : -1;
		free(raw);
	}
	if (rc == 0 && !found) {
		w = primary_list(h);
		raw = quote_for(w, value, NULL, name, e);
		rc = raw ? append_flag(h, w, name, raw, NULL, e) : -1;
		free(raw);
	}
	return rc < 0 ? -1 : host_refresh(h, e);
}

int host_flag_set_raw(struct host *h, const char *name, const char *raw,
    const char *after, struct err *e)
{
	const char *var = h->layout == LAYOUT_DEBIAN ? debian_var_of(name) : NULL;
	const struct flag *fl = host_flag(h, name);
	int rc;

	if (var) {
		if (raw == NULL) {
			char *node = xasprintf("%s/%s", h->files[0]->tree, var);
			aug_rm(h->aug, node);
			free(node);
			return host_refresh(h, e);
		}
		rc = set_debian_var(h, var, raw, e);
	} else if (fl)
		rc = augx_set(h->aug, fl->node, raw, e);
	else
		rc = append_flag(h, primary_list(h), name, raw, after ? after : "", e);
	return rc < 0 ? -1 : host_refresh(h, e);
}

int host_flag_remove(struct host *h, const char *name, struct err *e)
{
	const char *var = h->layout == LAYOUT_DEBIAN ? debian_var_of(name) : NULL;

	if (var)
		return errf(e, EXIT_CONFIG,
		    "-%s cannot be removed on a Debian host: the launcher always passes it from %s",
		    name, var);
	return host_flag_unset(h, name, e);
}

int host_flag_unset(struct host *h, const char *name, struct err *e)
{
	const char *var = h->layout == LAYOUT_DEBIAN ? debian_var_of(name) : NULL;

	if (var)
		return host_flag_set_raw(h, name, NULL, NULL, e);
	for (size_t i = h->nflags; i-- > 0;)
		if (strcmp(h->flags[i].name, name) == 0) {
			aug_rm(h->aug, h->flags[i].node);
			if (h->flags[i].name_node)
				aug_rm(h->aug, h->flags[i].name_node);
		}
	return host_refresh(h, e);
}

int host_refresh(struct host *h, struct err *e)
{
	return collect_flags(h, e);
}

/* ---- rendering ---- */

static char *convert_eol_free(char *text)
{
	char *crlf = convert_eol(text, 0);

	free(text);
	return crlf;
}

/* The file's text with its slice replaced by obj (taken). */
static char *splice(const struct hfile *f, char *obj)
{
	struct buf b = BUF_INIT;

	buf_add(&b, f->text.s, f->slice);
	buf_adds(&b, obj);
	buf_adds(&b, f->text.s + f->slice + f->slice_len);
	free(obj);
	return buf_detach(&b);
}

int host_render(struct host *h, struct err *e)
{
	if (store_all(h, e) < 0)
		return -1;
	for (size_t i = 0; i < h->nfiles; i++) {
		struct hfile *f = h->files[i];
		char *text;
		if (f->role == ROLE_CLUSTERS && !f->sliced)
			continue;
		if (augx_render(h->aug, f->lens, f->tree, f->added_nl, f->path,
		    &text, e) < 0)
			return -1;
		if (f->crlf)
			text = convert_eol_free(text);
		if (f->sliced)
			text = splice(f, text);
		free(f->newtext);
		f->newtext = NULL;
		if (strcmp(text, f->text.s ? f->text.s : "") != 0)
			f->newtext = text;
		else
			free(text);
	}
	return 0;
}
