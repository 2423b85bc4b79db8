#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "augx.h"
#include "buf.h"
#include "fileio.h"
#include "proc.h"
#include "recover.h"
#include "shell.h"
#include "timeamt.h"

const char *const recover_tool_places[] = {
	"/usr/share/aurora/bin/recovery-tool",	/* Debian packages */
	"/usr/lib/aurora/bin/recovery-tool",	/* RPM */
	NULL
};

/* Flags of the scheduler the tool takes too, passed when the host sets
 * them (aurora-facts.md 8a); the first three are required. */
static const char *const tool_flags[] = {
	"native_log_zk_group_path", "zk_endpoints", "zk_chroot_path",
	"zk_session_timeout", "zk_connection_timeout", "zk_digest_credentials",
	"native_log_election_timeout", "native_log_election_retries",
	"native_log_read_timeout", "native_log_write_timeout",
	"dlog_max_entry_size", NULL
};
#define NREQUIRED 2

/* The launcher variables the tool gets. */
static const char *const env_names[] = { "JAVA_OPTS", "LIBPROCESS_IP",
	"LIBPROCESS_PORT", NULL };

int recover_find_tool(const struct settings *set, char **tool, struct err *e)
{
	struct buf looked = BUF_INIT;

	*tool = NULL;
	if (set->recovery_tool) {
		if (access(set->recovery_tool, X_OK) != 0)
			return errf(e, EXIT_FAIL, "recovery tool %s: not an executable: %m",
			    set->recovery_tool);
		*tool = xstrdup(set->recovery_tool);
		return 0;
	}
	for (int i = 0; recover_tool_places[i] && !*tool; i++) {
		char *real = root_path(set->root, recover_tool_places[i]);
		if (access(real, X_OK) == 0)
			*tool = real;
		else
			free(real);
		buf_addf(&looked, "%s%s", i ? ", " : "", recover_tool_places[i]);
	}
	if (*tool == NULL)
		errf(e, EXIT_FAIL, "no recovery-tool found (looked at %s%s%s; give --recovery-tool PATH or set recovery_tool)",
		    looked.s, strcmp(set->root, "/") ? " under --root " : "",
		    strcmp(set->root, "/") ? set->root : "");
	buf_free(&looked);
	return *tool ? 0 : -1;
}

/* ---- the launcher's environment ---- */

struct envlist {
	char **name, **value;
	size_t n;
};

static void env_put(struct envlist *l, const char *name, const char *value)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->name[i], name) == 0) {
			free(l->value[i]);
			l->value[i] = xstrdup(value);
			return;
		}
	l->name = xrealloc(l->name, (l->n + 1) * sizeof *l->name);
	l->value = xrealloc(l->value, (l->n + 1) * sizeof *l->value);
	l->name[l->n] = xstrdup(name);
	l->value[l->n++] = xstrdup(value);
}

static void env_clear(struct envlist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->name[i]);
		free(l->value[i]);
	}
	free(l->name);
	free(l->value);
	memset(l, 0, sizeof *l);
}

/* "NAME=value" into l; anything else is ignored. */
static void env_assign(struct envlist *l, const char *word)
{
	const char *eq = strchr(word, '=');
	char *name;

	if (eq == NULL || eq == word)
		return;
	name = xstrndup(word, eq - word);
	env_put(l, name, eq + 1);
	free(name);
}

/* systemd's words of an Environment= value: blanks split, "..." and '...'
 * group, a backslash escapes the next character; a continued line is
 * joined with a blank in place of the backslash. */
static void systemd_assign(struct envlist *l, const char *raw)
{
	const char *s = raw;

	while (*s) {
		struct buf w = BUF_INIT;
		while (*s == ' ' || *s == '\t' || *s == '\n' || (*s == '\\' && s[1] == '\n'))
			s++;
		if (*s == '\0')
			break;
		buf_adds(&w, "");
		while (*s && *s != ' ' && *s != '\t' && *s != '\n') {
			if (*s == '"' || *s == '\'') {
				char q = *s++;
				for (; *s && *s != q; s++) {
					if (*s == '\\' && s[1] == '\n')
						s++, buf_adds(&w, " ");
					else if (*s == '\\' && q == '"' && s[1])
						buf_add(&w, ++s, 1);
					else
						buf_add(&w, s, 1);
				}
				s += *s != '\0';
			} else if (*s == '\\' && s[1] == '\n')
				break;
			else if (*s == '\\' && s[1])
				buf_add(&w, ++s, 1), s++;
			else
				buf_add(&w, s++, 1);
		}
		env_assign(l, w.s);
		buf_free(&w);
	}
}

/* An EnvironmentFile=: NAME=VALUE lines (a CR ends a line too, as in
 * systemd), quotes removed. */
static int env_file(struct envlist *l, const struct host *h, const char *spec,
    struct err *e)
{
	int optional = spec[0] == '-';
	char *real = root_path(h->set->root, spec + optional);
	struct buf b = BUF_INIT;
	struct file_meta m;
	int rc = file_read(real, &b, &m, 1, e);

	if (rc == 0 && !m.exists && !optional)
		rc = errf(e, EXIT_DATA, "EnvironmentFile=%s: no such file (the unit cannot start)", spec);
	for (char *line = rc == 0 ? strtok(b.s, "\r\n") : NULL; line; line = strtok(NULL, "\r\n")) {
		char *v;
		line += strspn(line, " \t");
		if (*line == '#' || *line == ';' || strchr(line, '=') == NULL)
			continue;
		v = strchr(line, '=');
		*v++ = '\0';
		line[strcspn(line, " \t")] = '\0';
		v += strspn(v, " \t");
		{
			char *val = shell_unquote(v, NULL, NULL);
			env_put(l, line, val ? val : v);
			free(val);
		}
	}
	buf_free(&b);
	free(real);
	return rc;
}

/* Environment= and EnvironmentFile= of the unit as systemd reads it
 * (unit.h); the files' variables win over Environment=, as in systemd. */
static int env_systemd(struct host *h, struct envlist *l, struct buf *from,
    struct err *e)
{
	const struct unit *u = &h->sd;
	int rc = 0;

	for (size_t i = 0; i < u->nenv; i++)
		systemd_assign(l, u->env[i]);
	for (size_t i = 0; rc == 0 && i < u->nenv_files; i++)
		rc = env_file(l, h, u->env_files[i], e);
	for (size_t i = 0; i < u->nenv_from; i++)
		buf_addf(from, "%s%s", from->len ? ", " : "", u->env_from[i]);
	return rc;
}

/* upstart: "env NAME=VALUE" stanzas; a quoted value may span lines. */
static void env_upstart(struct host *h, struct envlist *l)
{
	char *text = xstrdup(h->files[0]->text.s ? h->files[0]->text.s : "");
	char *save = NULL;

	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct buf v = BUF_INIT;
		char *word;
		line += strspn(line, " \t");
		if (strncmp(line, "env", 3) != 0 || (line[3] != ' ' && line[3] != '\t'))
			continue;
		buf_adds(&v, line + 4 + strspn(line + 4, " \t"));
		while ((word = shell_unquote(v.s, NULL, NULL)) == NULL &&
		    (line = strtok_r(NULL, "\n", &save)) != NULL)
			buf_addf(&v, "\n%s", line);
		if (word)
			env_assign(l, word);
		free(word);
		buf_free(&v);
	}
	free(text);
}

static int launcher_env(struct host *h, struct envlist *l, char **from,
    struct err *e)
{
	struct buf b = BUF_INIT;
	int rc = 0;

	if (h->layout == LAYOUT_DEBIAN || h->layout == LAYOUT_RPM) {
		for (int i = 0; env_names[i]; i++) {
			char *v = host_shell_var(h, env_names[i]);
			if (v)
				env_put(l, env_names[i], v);
			free(v);
		}
		buf_adds(&b, h->files[0]->path);
	} else if (h->layout == LAYOUT_SYSTEMD)
		rc = env_systemd(h, l, &b, e);
	else if (h->layout == LAYOUT_UPSTART) {
		env_upstart(h, l);
		buf_adds(&b, h->files[0]->path);
	}
	*from = b.len ? buf_detach(&b) : NULL;
	buf_free(&b);
	return rc;
}

/* ---- argv and environment ---- */

static void push(char ***v, int *n, char *s)
{
	*v = xrealloc(*v, (*n + 2) * sizeof **v);
	(*v)[(*n)++] = s;
	(*v)[*n] = NULL;
}

int recover_build(struct host *h, const char *tool, const char *backup,
    const char *log, struct recover_cmd *c, struct err *e)
{
	struct envlist l = { 0 };

	memset(c, 0, sizeof *c);
	c->tool = xstrdup(tool);
	for (int i = 0; i < NREQUIRED; i++) {
		const char *v = host_flag_value(h, tool_flags[i]);
		if (v == NULL || *v == '\0')
			return errf(e, EXIT_DATA, "%s: no -%s among the scheduler's flags (the recovery tool needs it)",
			    h->files[0]->path, tool_flags[i]);
	}
	push(&c->argv, &c->argc, xstrdup(tool));
	push(&c->argv, &c->argc, xstrdup("-from=BACKUP"));
	push(&c->argv, &c->argc, xstrdup("-to=LOG"));
	push(&c->argv, &c->argc, xasprintf("-backup=%s", backup));
	push(&c->argv, &c->argc, xasprintf("-native_log_file_path=%s", log));
	for (int i = 0; tool_flags[i]; i++) {
		const char *v = host_flag_value(h, tool_flags[i]);
		if (v && *v)
			push(&c->argv, &c->argc, xasprintf("-%s=%s", tool_flags[i], v));
	}
	push(&c->argv, &c->argc, xstrdup("-native_log_quorum_size=1"));
	if (launcher_env(h, &l, &c->env_from, e) < 0) {
		env_clear(&l);
		return -1;
	}
	for (int i = 0; env_names[i]; i++) {
		const char *v = NULL;
		for (size_t k = 0; k < l.n; k++)
			if (strcmp(l.name[k], env_names[i]) == 0)
				v = l.value[k];
		if (v == NULL && strcmp(env_names[i], "LIBPROCESS_IP") == 0)
			v = "127.0.0.1";
		if (v)
			push(&c->env, &c->nenv, xasprintf("%s=%s", env_names[i], v));
	}
	push(&c->env, &c->nenv, xstrdup("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
	env_clear(&l);
	return 0;
}

const char *recover_env(const struct recover_cmd *c, const char *name)
{
	size_t n = strlen(name);

	for (int i = 0; i < c->nenv; i++)
		if (strncmp(c->env[i], name, n) == 0 && c->env[i][n] == '=')
			return c->env[i] + n + 1;
	return NULL;
}

char *recover_argv_line(const struct recover_cmd *c)
{
	struct buf b = BUF_INIT;

	for (int i = 0; i < c->argc; i++)
		buf_addf(&b, "%s%s", i ? " " : "", c->argv[i]);
	return buf_detach(&b);
}

void recover_cmd_free(struct recover_cmd *c)
{
	for (int i = 0; i < c->argc; i++)
		free(c->argv[i]);
	for (int i = 0; i < c->nenv; i++)
		free(c->env[i]);
	free(c->argv);
	free(c->env);
	free(c->tool);
	free(c->env_from);
	memset(c, 0, sizeof *c);
}

/* ---- running as the scheduler's user ---- */

/* In a child: drop to u's groups (its own group among them, as
 * initgroups gives a service), group and user, or die. */
static void become(const struct replica_user *u)
{
	gid_t groups[33];
	int n = 0;

	groups[n++] = u->gid;
	for (int i = 0; i < u->ngroups && i < 32; i++)
		if (u->groups[i] != u->gid)
			groups[n++] = u->groups[i];
	if (setgroups(n, groups) < 0 || setgid(u->gid) < 0 || setuid(u->uid) < 0)
		_exit(126);
}

static int wait_child(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* In the child, after become() (a change of ids clears the setting); a
 * signal ignored by whoever started us is not ignored by the tool. */
static void die_with(pid_t parent)
{
	proc_forward_default();
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		_exit(126);
}

int recover_user_can_read(const char *path, const struct replica_user *u)
{
	pid_t pid = fork();

	if (pid == 0) {
		become(u);
		_exit(open(path, O_RDONLY) < 0);
	}
	return pid > 0 && wait_child(pid) == 0;
}

/* Hand every complete line of b to fn, keep the rest. */
static void lines_out(struct buf *b, int last, double t0,
    recover_line_fn fn, void *ctx)
{
	char *start = b->s, *nl;
	size_t rest;

	while (start && (nl = memchr(start, '\n', b->len - (start - b->s))) != NULL) {
		*nl = '\0';
		fn(ctx, start, timeamt_now() - t0);
		start = nl + 1;
	}
	rest = start ? b->len - (start - b->s) : 0;
	if (last && rest) {
		fn(ctx, start, timeamt_now() - t0);
		rest = 0;
	}
	memmove(b->s, start, rest);
	b->len = rest;
	if (b->s)
		b->s[rest] = '\0';
}

/* While the tool runs, SIGINT, SIGTERM and SIGHUP go to its process
 * group instead of killing us (proc_forward_on), so it never outlives us
 * (and a killed run is still recorded as failed); PR_SET_PDEATHSIG covers
 * SIGKILL. */
int recover_run(const struct recover_cmd *c, const struct replica_user *u,
    recover_line_fn fn, void *ctx, struct err *e)
{
	double t0;
	struct proc_forward fw;
	struct buf b = BUF_INIT;
	char chunk[4096];
	ssize_t n;
	int p[2], nul, status;
	pid_t pid, parent = getpid();

	if (pipe2(p, O_CLOEXEC) < 0)
		return errf(e, EXIT_FAIL, "cannot run %s: %m", c->tool);
	fflush(stdout);
	fflush(stderr);
	t0 = timeamt_now();
	if ((pid = fork()) < 0) {
		close(p[0]);
		close(p[1]);
		return errf(e, EXIT_FAIL, "cannot run %s: %m", c->tool);
	}
	if (pid == 0) {
		if ((nul = open("/dev/null", O_RDONLY)) < 0 || dup2(nul, 0) < 0 ||
		    dup2(p[1], 1) < 0 || dup2(p[1], 2) < 0)
			_exit(126);
		setpgid(0, 0);
		become(u);
		die_with(parent);
		if (chdir("/") < 0)
			_exit(126);
		execve(c->tool, c->argv, c->env);
		dprintf(2, "cannot run %s: %s\n", c->tool, strerror(errno));
		_exit(127);
	}
	close(p[1]);
	setpgid(pid, pid);
	proc_forward_on(pid, &fw);
	while ((n = read(p[0], chunk, sizeof chunk)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		buf_add(&b, chunk, n);
		lines_out(&b, 0, t0, fn, ctx);
	}
	lines_out(&b, 1, t0, fn, ctx);
	close(p[0]);
	buf_free(&b);
	status = wait_child(pid);
	proc_forward_off(&fw);
	return status;
}
