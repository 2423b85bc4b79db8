#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "buf.h"
#include "fileio.h"
#include "unit.h"

static const char *const unit_dirs[] = { "/etc/systemd/system",
	"/run/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system",
	NULL };

static void list_add(char ***v, size_t *n, char *s)
{
	*v = xrealloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = s;
}

static void list_free(char ***v, size_t *n)
{
	for (size_t i = 0; i < *n; i++)
		free((*v)[i]);
	free(*v);
	*v = NULL;
	*n = 0;
}

/* ---- finding the files ---- */

/* Is the entry dir/name under root there, and does it mask (a link to
 * /dev/null, or empty)? 0: absent, 1: there, 2: masks. */
static int entry_state(const char *root, const char *dir, const char *name)
{
	char *rdir = root_path(root, dir);
	char *lpath = xasprintf("%s/%s", rdir, name);
	char *p = xasprintf("%s/%s", dir, name);
	char *real = root_path(root, p);
	char link[PATH_MAX] = "";
	ssize_t l = readlink(lpath, link, sizeof link - 1);
	struct stat st;
	int state = 0;

	if (l > 0)
		link[l] = '\0';
	if (strcmp(link, "/dev/null") == 0)
		state = 2;
	else if (stat(real, &st) == 0)
		state = st.st_size == 0 ? 2 : 1;
	free(rdir);
	free(lpath);
	free(p);
	free(real);
	return state;
}

static int is_conf(const char *name)
{
	size_t l = strlen(name);

	return l > 5 && strcmp(name + l - 5, ".conf") == 0;
}

static int has_name(char **v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], name) == 0)
			return 1;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The drop-ins' file names in every folder, once each, sorted. */
static void dropin_names(const char *root, const char *name, char ***v,
    size_t *n)
{
	for (int i = 0; unit_dirs[i]; i++) {
		char *d = xasprintf("%s/%s.d", unit_dirs[i], name);
		char *real = root_path(root, d);
		DIR *dir = opendir(real);
		struct dirent *de;
		while (dir && (de = readdir(dir)) != NULL)
			if (is_conf(de->d_name) && !has_name(*v, *n, de->d_name))
				list_add(v, n, xstrdup(de->d_name));
		if (dir)
			closedir(dir);
		free(d);
		free(real);
	}
	if (*n > 1)
		qsort(*v, *n, sizeof **v, cmp_str);
}

/* The drop-in file name as the first folder holding it has it, unless
 * that one masks. */
static void add_dropin(struct unit *u, const char *root, const char *name,
    const char *file)
{
	for (int i = 0; unit_dirs[i]; i++) {
		char *d = xasprintf("%s/%s.d", unit_dirs[i], name);
		int state = entry_state(root, d, file);
		if (state == 1)
			list_add(&u->files, &u->nfiles, xasprintf("%s/%s", d, file));
		free(d);
		if (state)
			return;
	}
}

static void find_files(struct unit *u, const char *root, const char *name)
{
	char **drop = NULL;
	size_t ndrop = 0;
	int state = 0;

	for (int i = 0; unit_dirs[i] && state == 0; i++)
		if ((state = entry_state(root, unit_dirs[i], name)) == 1)
			list_add(&u->files, &u->nfiles,
			    xasprintf("%s/%s", unit_dirs[i], name));
	if (u->nfiles == 0)
		return;
	dropin_names(root, name, &drop, &ndrop);
	for (size_t i = 0; i < ndrop; i++)
		add_dropin(u, root, name, drop[i]);
	list_free(&drop, &ndrop);
}

/* ---- reading the settings ---- */

static void set_str(char **dst, const char *value)
{
	free(*dst);
	*dst = *value ? xstrdup(value) : NULL;
}

static void accumulate(char ***v, size_t *n, const char *value)
{
	if (*value == '\0')
		list_free(v, n);
	else
		list_add(v, n, xstrdup(value));
}

static void assign(struct unit *u, size_t file, int line, const char *key,
    const char *value)
{
	if (strcmp(key, "User") == 0)
		set_str(&u->user, value);
	else if (strcmp(key, "Group") == 0)
		set_str(&u->group, value);
	else if (strcmp(key, "Environment") == 0) {
		accumulate(&u->env, &u->nenv, value);
		list_add(&u->env_from, &u->nenv_from, xstrdup(u->files[file]));
	} else if (strcmp(key, "EnvironmentFile") == 0) {
		accumulate(&u->env_files, &u->nenv_files, value);
		list_add(&u->env_from, &u->nenv_from, xstrdup(u->files[file]));
	}	else if (strcmp(key, "ExecStart") == 0) {
		u->nexec = *value ? u->nexec + 1 : 0;
		set_str(&u->exec, value);
		u->exec_file = file;
		u->exec_line = line;
	}
}

static char *trim(char *s)
{
	size_t n;

	s += strspn(s, " \t\r");
	n = strlen(s);
	while (n > 0 && strchr(" \t\r", s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* One logical line (continuations joined) in section: a key=value. */
static void parse_line(struct unit *u, size_t file, int line, char *s,
    int in_service)
{
	char *eq = strchr(s, '=');

	if (!in_service || eq == NULL)
		return;
	*eq = '\0';
	assign(u, file, line, trim(s), trim(eq + 1));
}

/* An odd run of backslashes at the end: the line goes on. */
static int continues(const struct buf *b)
{
	size_t k = 0;

	while (k < b->len && b->s[b->len - 1 - k] == '\\')
		k++;
	return k % 2;
}

/* The next line of the text up to end, cut as systemd's read_line()
 * cuts it: \n, \r and \0 each end a line, and so do \r\n, \n\0, \r\0
 * and \r\n\0 taken together. */
static char *cut_line(char **p, char *end)
{
	char *l = *p, *s = l + strcspn(l, "\n\r");
	size_t k = 0;

	if (s < end) {
		k = s[0] == '\r' && s[1] == '\n' ? 2 : 1;
		if (s[0] != '\0' && s + k < end && s[k] == '\0')
			k++;
	}
	*s = '\0';
	*p = s + k;
	return l;
}

/* The file's lines as systemd's parser reads them: '#' and ';' start
 * comment lines (also inside a continued line), [Section] headers, and a
 * line ending in a backslash goes on with the next line as written, the
 * backslash a blank. */
static void parse_text(struct unit *u, size_t file, char *text, size_t len)
{
	struct buf cont = BUF_INIT;
	int in_service = 0, lineno = 0, start = 0;

	for (char *p = text, *end = text + len, *l; p < end;) {
		char *lead;
		l = cut_line(&p, end);
		lineno++;
		lead = l + strspn(l, " \t");
		if (*lead == '#' || *lead == ';' || (cont.len == 0 && *lead == '\0'))
			continue;
		if (cont.len == 0 && *lead == '[') {
			in_service = strcmp(trim(lead), "[Service]") == 0;
			continue;
		}
		if (cont.len == 0)
			start = lineno;
		buf_adds(&cont, cont.len ? l : lead);
		if (continues(&cont)) {
			cont.s[cont.len - 1] = ' ';
			continue;
		}
		parse_line(u, file, start, cont.s, in_service);
		buf_reset(&cont);
	}
	if (cont.len)
		parse_line(u, file, start, cont.s, in_service);
	buf_free(&cont);
}

static int read_settings(struct unit *u, const char *root, struct err *e)
{
	for (size_t i = 0; i < u->nfiles; i++) {
		char *real = root_path(root, u->files[i]);
		struct buf b = BUF_INIT;
		struct file_meta m;
		int rc = file_read(real, &b, &m, 1, e);
		free(real);
		if (rc == 0 && b.s)
			parse_text(u, i, b.s, b.len);
		buf_free(&b);
		if (rc < 0) {
			unit_free(u);
			return -1;
		}
	}
	return 0;
}

int unit_load(struct unit *u, const char *root, const char *name,
    struct err *e)
{
	memset(u, 0, sizeof *u);
	find_files(u, root, name);
	return read_settings(u, root, e);
}

int unit_load_file(struct unit *u, const char *root, const char *path,
    struct err *e)
{
	memset(u, 0, sizeof *u);
	list_add(&u->files, &u->nfiles, xstrdup(path));
	return read_settings(u, root, e);
}

void unit_free(struct unit *u)
{
	list_free(&u->files, &u->nfiles);
	list_free(&u->env, &u->nenv);
	list_free(&u->env_files, &u->nenv_files);
	list_free(&u->env_from, &u->nenv_from);
	free(u->user);
	free(u->group);
	free(u->exec);
	memset(u, 0, sizeof *u);
}
