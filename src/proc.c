#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "buf.h"
#include "fileio.h"
#include "proc.h"
#include "timeamt.h"

extern char **environ;

static int is_main(const char *arg, int first)
{
	size_t n = strlen(arg);
	const char *base = strrchr(arg, '/') ? strrchr(arg, '/') + 1 : arg;

	if (n >= 13 && strcmp(arg + n - 13, "SchedulerMain") == 0)
		return 1;
	return first && strcmp(base, "aurora-scheduler") == 0;
}

static void push(struct sched *s, const char *a, size_t n)
{
	s->argv = xrealloc(s->argv, (s->argc + 1) * sizeof *s->argv);
	s->argv[s->argc++] = xstrndup(a, n);
}

static void expand_argfile(struct sched *s, const char *root, const char *path)
{
	char *real = root_path(root, path);
	struct buf b = BUF_INIT;
	struct file_meta m;
	const char *p, *nl;

	if (file_read(real, &b, &m, 1, NULL) == 0 && m.exists)
		for (p = b.s; p && *p; p = nl ? nl + 1 : NULL) {
			const char *t = p;
			nl = strchr(p, '\n');
			size_t n = nl ? (size_t)(nl - p) : strlen(p);
			while (t < p + n && isspace((unsigned char)*t))
				t++;
			if (t == p + n || *t == '#')
				continue;
			push(s, p, n);
		}
	buf_free(&b);
	free(real);
}

static int read_cmdline(const char *procdir, const char *pid, struct buf *b)
{
	char *path = xasprintf("%s/%s/cmdline", procdir, pid);
	struct file_meta m;
	int rc = file_read(path, b, &m, 1, NULL);

	free(path);
	return rc == 0 && m.exists && b->len > 0 ? 0 : -1;
}

static double boot_time(const char *procdir)
{
	char *path = xasprintf("%s/stat", procdir);
	struct buf b = BUF_INIT;
	struct file_meta m;
	double bt = 0;
	const char *p;

	if (file_read(path, &b, &m, 1, NULL) == 0 && m.exists &&
	    (p = strstr(b.s, "btime ")) != NULL)
		bt = strtod(p + 6, NULL);
	buf_free(&b);
	free(path);
	return bt;
}

static double start_time(const char *procdir, const char *pid)
{
	char *path = xasprintf("%s/%s/stat", procdir, pid);
	struct buf b = BUF_INIT;
	struct file_meta m;
	double t = 0, bt = boot_time(procdir);
	const char *p;

	if (bt > 0 && file_read(path, &b, &m, 1, NULL) == 0 && m.exists &&
	    (p = strrchr(b.s, ')')) != NULL) {
		int field = 2;
		for (; *p && field < 22; p++)
			if (*p == ' ')
				field++;
		if (field == 22)
			t = bt + strtod(p, NULL) / sysconf(_SC_CLK_TCK);
	}
	buf_free(&b);
	free(path);
	return t;
}

static int scan(const char *procdir, const char *root, const char *pid,
    struct sched *s)
{
	struct buf b = BUF_INIT;
	int found = 0, first = 1;

	if (read_cmdline(procdir, pid, &b) < 0) {
		buf_free(&b);
		return 0;
	}
	for (const char *a = b.s; a < b.s + b.len; a += strlen(a) + 1) {
		if (found && a[0] == '@')
			expand_argfile(s, root, a + 1);
		else if (found)
			push(s, a, strlen(a));
		else if (is_main(a, first))
			found = 1;
		first = 0;
	}
	buf_free(&b);
	if (found) {
		s->pid = atoi(pid);
		s->started = start_time(procdir, pid);
	}
	return found;
}

static int cmp_pid(const void *a, const void *b)
{
	return atoi(*(char *const *)a) - atoi(*(char *const *)b);
}

int proc_find_scheduler(const char *procdir, const char *root,
    struct sched *s, int *found, struct err *e)
{
	DIR *d = opendir(procdir);
	struct dirent *de;
	char **pids = NULL;
	size_t n = 0;

	memset(s, 0, sizeof *s);
	*found = 0;
	if (d == NULL)
		return errf(e, EXIT_FAIL, "cannot read %s: %m", procdir);
	while ((de = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		pids = xrealloc(pids, (n + 1) * sizeof *pids);
		pids[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n > 1)
		qsort(pids, n, sizeof *pids, cmp_pid);
	for (size_t i = 0; i < n; i++) {
		if (!*found && scan(procdir, root, pids[i], s))
			*found = 1;
		free(pids[i]);
	}
	free(pids);
	return 0;
}

int proc_flag(const struct sched *s, const char *name, const char **value)
{
	size_t n = strlen(name);
	int found = 0;

	for (int i = 0; i < s->argc; i++) {
		const char *a = s->argv[i];
		if (a[0] != '-' || strncmp(a + 1, name, n) != 0)
			continue;
		if (a[n + 1] == '=') {
			*value = a + n + 2;
			found = 1;
		} else if (a[n + 1] == '\0') {
			*value = i + 1 < s->argc && s->argv[i + 1][0] != '-' ?
			    s->argv[i + 1] : NULL;
			found = 1;
		}
	}
	return found;
}

void proc_free(struct sched *s)
{
	for (int i = 0; i < s->argc; i++)
		free(s->argv[i]);
	free(s->argv);
	memset(s, 0, sizeof *s);
}

#define KEEP_OUT (4u << 20)	/* of a helper's stdout */
#define KEEP_ERR (16u << 10)	/* of its stderr: the first line is what we show */

struct stream {
	int fd;
	struct buf *b;
	size_t cap;		/* bytes kept; the rest is read and dropped */
};

static void stream_close(struct pollfd *p)
{
	close(p->fd);
	p->fd = -1;
}

static void stream_read(struct pollfd *p, struct stream *s)
{
	char chunk[65536];
	ssize_t n = read(p->fd, chunk, sizeof chunk);

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		stream_close(p);
		return;
	}
	if (s->b && s->b->len < s->cap)
		buf_add(s->b, chunk, (size_t)n < s->cap - s->b->len ?
		    (size_t)n : s->cap - s->b->len);
}

#define DRAIN_ROUNDS 64	/* reads of what is left once the helper has exited */
#define HELPER_LIMIT 120	/* seconds a helper may take; AURORA_RESTORE_HELPER_LIMIT */

int proc_helper_limit(double *limit, struct err *e)
{
	const char *v = getenv("AURORA_RESTORE_HELPER_LIMIT");
	char *end;

	*limit = HELPER_LIMIT;
	if (v == NULL || *v == '\0' || (timeamt_parse(v, limit) == 0 && *limit > 0))
		return 0;
	*limit = strtod(v, &end);
	if (strspn(v, "0123456789.") == strlen(v) && *end == '\0' &&
	    *limit > 0 && isfinite(*limit))
		return 0;
	return errf(e, EXIT_USAGE, "AURORA_RESTORE_HELPER_LIMIT=%.40s: not a number of seconds above 0 (nor a time such as 90secs)",
	    v);
}

static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP };
#define NFORWARDED (sizeof forwarded / sizeof forwarded[0])
static volatile sig_atomic_t forward_pgrp, forward_sig;

static void forward(int sig)
{
	forward_sig = sig;
	if (forward_pgrp > 0)
		kill(-forward_pgrp, sig);
}

void proc_forward_on(pid_t pgrp, struct proc_forward *f)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = forward;
	sigemptyset(&sa.sa_mask);
	forward_pgrp = pgrp;
	forward_sig = 0;
	for (size_t i = 0; i < NFORWARDED; i++)
		sigaction(forwarded[i], &sa, &f->was[i]);
}

int proc_forward_off(const struct proc_forward *f)
{
	for (size_t i = 0; i < NFORWARDED; i++)
		sigaction(forwarded[i], &f->was[i], NULL);
	forward_pgrp = 0;
	return forward_sig;
}

void proc_forward_default(void)
{
	for (size_t i = 0; i < NFORWARDED; i++)
		signal(forwarded[i], SIG_DFL);
}

/*
 * Feed input to the child and read its stdout and stderr together until
 * all three pipes are closed, so that a helper filling one pipe while we
 * wait on another cannot stall us; or until the child has exited and what
 * it left in the pipes is read, so that a process it left behind holding
 * them cannot either. A child that exits without reading its input closes
 * the pipe: EPIPE, not SIGPIPE (ignored meanwhile). A child still running
 * at the deadline is killed (*killed set). 1 when the child was waited
 * for (its *status set).
 */
static int pump(int in, const char *input, int out_fd, struct buf *out,
    int err_fd, struct buf *err, pid_t pid, int *status, double deadline,
    int *killed)
{
	struct stream so = { out_fd, out, KEEP_OUT }, se = { err_fd, err, KEEP_ERR };
	struct pollfd p[3] = { { in, POLLOUT, 0 }, { out_fd, POLLIN, 0 },
		{ err_fd, POLLIN, 0 } };
	size_t off = 0, len = input ? strlen(input) : 0;
	void (*was)(int) = signal(SIGPIPE, SIG_IGN);
	int exited = 0, rounds = 0, n;

	fcntl(in, F_SETFL, O_NONBLOCK);
	fcntl(out_fd, F_SETFL, O_NONBLOCK);
	fcntl(err_fd, F_SETFL, O_NONBLOCK);
	if (len == 0)
		stream_close(&p[0]);
	while ((p[0].fd >= 0 || p[1].fd >= 0 || p[2].fd >= 0) &&
	    rounds < DRAIN_ROUNDS) {
		if ((n = poll(p, 3, exited ? 0 : 100)) < 0 && errno != EINTR)
			break;
		if (n == 0 && exited)
			break;
		rounds += exited;
		if (n > 0 && p[0].fd >= 0 && p[0].revents) {
			ssize_t w = write(p[0].fd, input + off, len - off);
			if (w > 0)
				off += w;
			if ((w < 0 && errno != EAGAIN && errno != EINTR) || off == len)
				stream_close(&p[0]);
		}
		if (n > 0 && p[1].fd >= 0 && p[1].revents)
			stream_read(&p[1], &so);
		if (n > 0 && p[2].fd >= 0 && p[2].revents)
			stream_read(&p[2], &se);
		if (!exited && pid > 0 && waitpid(pid, status, WNOHANG) == pid)
			exited = 1;
		if (!exited && pid > 0 && !*killed && timeamt_now() > deadline)
			*killed = kill(-pid, SIGKILL) == 0;
	}
	for (int i = 0; i < 3; i++)
		if (p[i].fd >= 0)
			close(p[i].fd);
	signal(SIGPIPE, was);
	return exited;
}

/* Wait for pid, killing its group at the deadline: 0, or -1 (errno set). */
static int reap(pid_t pid, int *status, double deadline, int *killed)
{
	pid_t w;

	while ((w = waitpid(pid, status, WNOHANG)) == 0 || (w < 0 && errno == EINTR)) {
		if (!*killed && timeamt_now() > deadline)
			*killed = kill(-pid, SIGKILL) == 0;
		usleep(20 * 1000);
	}
	return w == pid ? 0 : -1;
}

int run_command(char *const argv[], const char *input, struct buf *out,
    struct err *e)
{
	char *name = xasprintf("%s%s%s", argv[0], argv[1] ? " " : "", argv[1] ? argv[1] : "");
	int rc = run_command_as(name, argv, input, out, e);

	free(name);
	return rc;
}

int run_command_as(const char *name, char *const argv[], const char *input,
    struct buf *out, struct err *e)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	struct proc_forward fw;
	int in[2] = { -1, -1 }, o[2] = { -1, -1 }, er[2] = { -1, -1 };
	int status, rc, waited, killed = 0, sig;
	double limit, deadline;
	pid_t pid;
	struct buf errout = BUF_INIT;

	if (proc_helper_limit(&limit, e) < 0)
		return -1;
	deadline = timeamt_now() + limit;
	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(o, O_CLOEXEC) < 0 ||
	    pipe2(er, O_CLOEXEC) < 0)
		return errf(e, EXIT_FAIL, "cannot run %s: %m", argv[0]);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, o[1], 1);
	posix_spawn_file_actions_adddup2(&fa, er[1], 2);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
	posix_spawnattr_setpgroup(&attr, 0);
	rc = posix_spawnp(&pid, argv[0], &fa, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	close(in[0]);
	close(o[1]);
	close(er[1]);
	proc_forward_on(rc == 0 ? pid : 0, &fw);
	waited = pump(in[1], rc == 0 ? input : NULL, o[0], out, er[0], &errout,
	    rc == 0 ? pid : -1, &status, deadline, &killed);
	if (rc != 0) {
		proc_forward_off(&fw);
		buf_free(&errout);
		return errf(e, EXIT_FAIL, "cannot run %s: %s", argv[0], strerror(rc));
	}
	if (!waited && reap(pid, &status, deadline, &killed) < 0)
		rc = errf(e, EXIT_FAIL, "cannot wait for %s: %m", argv[0]);
	else if (killed)
		rc = errf(e, EXIT_FAIL, "%s did not finish within %g s: killed", name, limit);
	else
		rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	if ((sig = proc_forward_off(&fw)) != 0)
		raise(sig);
	if (rc > 0 && errout.len) {
		char *nl = strchr(errout.s, '\n');
		if (nl)
			*nl = '\0';
		errf(e, EXIT_FAIL, "%s failed (exit %d): %s", name, rc, errout.s);
	} else if (rc > 0)
		errf(e, EXIT_FAIL, "%s failed (exit %d)", name, rc);
	buf_free(&errout);
	return rc;
}
