/*
 * mesos.c: the Mesos master's /master/tasks and /master/state, read as
 * they arrive (mesos.h).
 *
 * The decoder is a yajl callback state machine: a stack of frames says
 * where the parser is (the top object, the frameworks array, a framework,
 * a tasks array, a task); everything else is skipped by counting its
 * nesting. A task's fields are kept until its object closes, then it is
 * handed over and forgotten.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <yajl/yajl_parse.h>
#include "buf.h"
#include "curlx.h"
#include "mesos.h"
#include "yajlx.h"
#include "zk.h"
#include "timeamt.h"

#define MAX_DEPTH 64
#define PAGE 1000
#define MAX_REDIRECTS 3
#define OVERLAP 10
#define MAX_RESTARTS 3

enum frame { F_TOP, F_FWS, F_FW, F_TASKS, F_TASK };
enum key { K_OTHER, K_ID, K_NAME, K_FID, K_STATE, K_ACTIVE, K_TASKS, K_FRAMEWORKS };
enum { S_ID, S_NAME, S_FID, S_STATE, S_N };

struct mesos_decoder {
	struct yajlx_stream js;
	mesos_task_fn fn;
	void *ctx;
	enum frame stack[MAX_DEPTH];
	int depth;		/* frames on the stack */
	int skip;		/* nesting inside a skipped value */
	enum key key;
	int started, done;
	struct buf s[S_N];	/* the current task's strings */
	int have[S_N];
	struct buf fs[2];	/* the current framework's id and name */
	int fhave[2];
	int active;
	size_t ntasks;
	struct mesos_frameworks fw;
};

/* ---- the decoder ---- */

static int stop(struct mesos_decoder *d, const char *fmt, const char *arg)
{
	if (!d->js.why[0])
		snprintf(d->js.why, sizeof d->js.why, fmt, arg);
	return 0;
}

static enum frame top(const struct mesos_decoder *d)
{
	return d->stack[d->depth - 1];
}

static int push(struct mesos_decoder *d, enum frame f)
{
	if (d->depth + d->skip >= MAX_DEPTH)
		return stop(d, "nested deeper than %s levels", "64");
	d->stack[d->depth++] = f;
	return 1;
}

/* Enter a value nobody wants: count its nesting. */
static int skip_in(struct mesos_decoder *d)
{
	if (d->depth + d->skip >= MAX_DEPTH)
		return stop(d, "nested deeper than %s levels", "64");
	d->skip++;
	return 1;
}

static void clear_fields(struct buf *s, int *have, int n)
{
	for (int i = 0; i < n; i++) {
		buf_reset(&s[i]);
		have[i] = 0;
	}
}

static const char *field(struct buf *s, const int *have, int i)
{
	return have[i] ? s[i].s ? s[i].s : "" : NULL;
}

/* Tasks of frameworks[].tasks without framework_id belong to it. */
static int end_task(struct mesos_decoder *d)
{
	int in_fw = d->depth >= 2 && d->stack[d->depth - 2] == F_FW;
	struct mesos_task t = { field(d->s, d->have, S_ID), field(d->s, d->have, S_NAME),
	    field(d->s, d->have, S_FID), field(d->s, d->have, S_STATE) };

	if (!t.framework_id && in_fw)
		t.framework_id = field(d->fs, d->fhave, 0);
	if (!t.id)
		return stop(d, "a task without an id%s", "");
	if (!t.state)
		return stop(d, "task %s has no state", t.id);
	d->ntasks++;
	if (d->fn && d->fn(d->ctx, &t, &d->js.err) != 0) {
		d->js.user_failed = 1;
		return 0;
	}
	return 1;
}

static int end_framework(struct mesos_decoder *d)
{
	struct mesos_framework *f;

	if (!d->fhave[0])
		return stop(d, "a framework without an id%s", "");
	d->fw.f = xrealloc(d->fw.f, (d->fw.n + 1) * sizeof *d->fw.f);
	f = &d->fw.f[d->fw.n++];
	f->id = xstrdup(field(d->fs, d->fhave, 0));
	f->name = xstrdup(d->fhave[1] ? field(d->fs, d->fhave, 1) : "");
	f->active = d->active;
	return 1;
}

static int cb_start_map(void *ctx)
{
	struct mesos_decoder *d = ctx;

	if (d->skip)
		return skip_in(d);
	if (!d->started) {
		d->started = 1;
		return push(d, F_TOP);
	}
	if (top(d) == F_FWS) {
		clear_fields(d->fs, d->fhave, 2);
		d->active = 0;
		return push(d, F_FW);
	}
	if (top(d) == F_TASKS) {
		clear_fields(d->s, d->have, S_N);
		return push(d, F_TASK);
	}
	return skip_in(d);
}

static int cb_end_map(void *ctx)
{
	struct mesos_decoder *d = ctx;
	enum frame f;

	if (d->skip) {
		d->skip--;
		return 1;
	}
	f = top(d);
	if (f == F_TASK && !end_task(d))
		return 0;
	if (f == F_FW && !end_framework(d))
		return 0;
	d->done |= f == F_TOP;
	d->depth--;
	return 1;
}

static int cb_start_array(void *ctx)
{
	struct mesos_decoder *d = ctx;

	if (d->skip)
		return skip_in(d);
	if (!d->started)
		return stop(d, "not a Mesos master's reply (a JSON %s, not an object)", "array");
	if (top(d) == F_TOP && d->key == K_FRAMEWORKS)
		return push(d, F_FWS);
	if ((top(d) == F_TOP || top(d) == F_FW) && d->key == K_TASKS)
		return push(d, F_TASKS);
	if (top(d) == F_FWS || top(d) == F_TASKS)
		return stop(d, "%s holds an array, not an object", top(d) == F_FWS ?
		    "frameworks" : "tasks");
	return skip_in(d);
}

static int cb_end_array(void *ctx)
{
	struct mesos_decoder *d = ctx;

	if (d->skip) {
		d->skip--;
		return 1;
	}
	d->depth--;
	return 1;
}

static enum key key_of(enum frame f, const unsigned char *k, size_t n)
{
	static const struct { enum frame f; const char *name; enum key key; } keys[] = {
		{ F_TOP, "tasks", K_TASKS }, { F_TOP, "frameworks", K_FRAMEWORKS },
		{ F_FW, "id", K_ID }, { F_FW, "name", K_NAME },
		{ F_FW, "active", K_ACTIVE }, { F_FW, "tasks", K_TASKS },
		{ F_TASK, "id", K_ID }, { F_TASK, "name", K_NAME },
		{ F_TASK, "framework_id", K_FID }, { F_TASK, "state", K_STATE },
	};

	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (keys[i].f == f && strlen(keys[i].name) == n &&
		    memcmp(keys[i].name, k, n) == 0)
			return keys[i].key;
	return K_OTHER;
}

static int cb_map_key(void *ctx, const unsigned char *k, size_t n)
{
	struct mesos_decoder *d = ctx;

	if (!d->skip)
		d->key = key_of(top(d), k, n);
	return 1;
}

/* A scalar where an object was expected: the top, or an array element. */
static int scalar(struct mesos_decoder *d, const char *what)
{
	if (d->skip)
		return 1;
	if (!d->started)
		return stop(d, "not a Mesos master's reply (a JSON %s, not an object)", what);
	if (top(d) == F_FWS)
		return stop(d, "a framework is a %s, not an object", what);
	if (top(d) == F_TASKS)
		return stop(d, "a task is a %s, not an object", what);
	if ((top(d) == F_TASK || top(d) == F_FW) && (d->key == K_ID ||
	    d->key == K_STATE || d->key == K_FID || d->key == K_NAME))
		return stop(d, "a task or framework field is a %s, not a string", what);
	return 1;
}

static int cb_string(void *ctx, const unsigned char *s, size_t n)
{
	struct mesos_decoder *d = ctx;
	struct buf *into;
	int i, *have;

	if (d->skip || !d->started || (top(d) != F_TASK && top(d) != F_FW))
		return scalar(d, "string");
	i = d->key == K_ID ? S_ID : d->key == K_NAME ? S_NAME :
	    d->key == K_FID ? S_FID : d->key == K_STATE ? S_STATE : -1;
	if (i < 0 || (top(d) == F_FW && i != S_ID && i != S_NAME))
		return 1;
	if (memchr(s, '\0', n))
		return stop(d, "a task or framework field holds a NUL%s", "");
	into = top(d) == F_FW ? d->fs : d->s;
	have = top(d) == F_FW ? d->fhave : d->have;
	buf_reset(&into[i]);
	buf_add(&into[i], (const char *)s, n);
	have[i] = 1;
	return 1;
}

static int cb_boolean(void *ctx, int v)
{
	struct mesos_decoder *d = ctx;

	if (!d->skip && d->started && top(d) == F_FW && d->key == K_ACTIVE) {
		d->active = v;
		return 1;
	}
	return scalar(d, "boolean");
}

static int cb_null(void *ctx)
{
	return scalar(ctx, "null");
}

static int cb_number(void *ctx, const char *s, size_t n)
{
	(void)s;
	(void)n;
	return scalar(ctx, "number");
}

static int checked(struct mesos_decoder *d, int ok)
{
	return ok && !d->js.why[0] && !d->js.user_failed;
}

static int c_null(void *c) { return checked(c, cb_null(c)); }
static int c_boolean(void *c, int v) { return checked(c, cb_boolean(c, v)); }
static int c_number(void *c, const char *s, size_t n) { return checked(c, cb_number(c, s, n)); }
static int c_string(void *c, const unsigned char *s, size_t n) { return checked(c, cb_string(c, s, n)); }
static int c_start_map(void *c) { return checked(c, cb_start_map(c)); }
static int c_map_key(void *c, const unsigned char *k, size_t n) { return checked(c, cb_map_key(c, k, n)); }
static int c_end_map(void *c) { return checked(c, cb_end_map(c)); }
static int c_start_array(void *c) { return checked(c, cb_start_array(c)); }
static int c_end_array(void *c) { return checked(c, cb_end_array(c)); }

static const yajl_callbacks callbacks = {
	.yajl_null = c_null,
	.yajl_boolean = c_boolean,
	.yajl_number = c_number,
	.yajl_string = c_string,
	.yajl_start_map = c_start_map,
	.yajl_map_key = c_map_key,
	.yajl_end_map = c_end_map,
	.yajl_start_array = c_start_array,
	.yajl_end_array = c_end_array,
};


struct mesos_decoder *mesos_decoder_new(mesos_task_fn fn, void *ctx,
    size_t max_bytes)
{
	struct mesos_decoder *d = xcalloc(1, sizeof *d);

	yajlx_open(&d->js, &callbacks, d, max_bytes);
	d->fn = fn;
	d->ctx = ctx;
	return d;
}

int mesos_decoder_feed(struct mesos_decoder *d, const char *data, size_t len,
    struct err *e)
{
	return yajlx_feed(&d->js, data, len, e);
}

int mesos_decoder_finish(struct mesos_decoder *d, struct mesos_frameworks *fw,
    size_t *ntasks, struct err *e)
{
	if (yajlx_finish(&d->js, &d->done, e) < 0)
		return -1;
	if (fw) {
		*fw = d->fw;
		memset(&d->fw, 0, sizeof d->fw);
	}
	if (ntasks)
		*ntasks = d->ntasks;
	return 0;
}

void mesos_frameworks_free(struct mesos_frameworks *fw)
{
	for (size_t i = 0; i < fw->n; i++) {
		free(fw->f[i].id);
		free(fw->f[i].name);
	}
	free(fw->f);
	memset(fw, 0, sizeof *fw);
}

void mesos_decoder_free(struct mesos_decoder *d)
{
	if (!d)
		return;
	yajlx_close(&d->js);
	for (int i = 0; i < S_N; i++)
		buf_free(&d->s[i]);
	buf_free(&d->fs[0]);
	buf_free(&d->fs[1]);
	mesos_frameworks_free(&d->fw);
	free(d);
}

int mesos_state_running(const char *state)
{
	return strcmp(state, "TASK_STAGING") == 0 ||
	    strcmp(state, "TASK_STARTING") == 0 || strcmp(state, "TASK_RUNNING") == 0;
}

/* ---- HTTP ---- */

struct get {
	struct mesos_decoder *dec;
	struct err de;
	int failed;
	size_t got;
	long status;
	char location[512];
};

static size_t on_body(char *p, size_t size, size_t n, void *ctx)
{
	struct get *g = ctx;

	g->got += size * n;
	if (g->failed)
		return 0;
	if (g->status != 200)
		return size * n;
	if (mesos_decoder_feed(g->dec, p, size * n, &g->de) < 0) {
		g->failed = 1;
		return 0;
	}
	return size * n;
}

static size_t on_header(char *p, size_t size, size_t n, void *ctx)
{
	struct get *g = ctx;

	curlx_header(p, size * n, &g->status, g->location, sizeof g->location);
	return size * n;
}

/* The leader's base URL from a Location ("//host:port/...", or absolute). */
static char *leader_base(const char *cur, const char *loc)
{
	const char *p = strstr(loc, "://");
	size_t scheme = strstr(cur, "://") ? (size_t)(strstr(cur, "://") - cur) : 4;
	const char *auth;

	if (p)
		auth = p + 3;
	else if (strncmp(loc, "//", 2) == 0)
		auth = loc + 2;
	else
		return NULL;
	if (strcspn(auth, "/?#") == 0 || memchr(auth, '@', strcspn(auth, "/?#")))
		return NULL;
	if (p)
		return xasprintf("%.*s://%.*s", (int)(p - loc), loc, (int)strcspn(auth, "/?#"), auth);
	return xasprintf("%.*s://%.*s", (int)scheme, cur, (int)strcspn(auth, "/?#"), auth);
}

static int downgrade(const char *from, const char *to)
{
	return strncasecmp(from, "https://", 8) == 0 && strncasecmp(to, "https://", 8) != 0;
}

static void set_options(struct mesos *m, CURL *h, const char *url,
    struct get *g, double left)
{
	curlx_common(h, url, left, m->insecure);
	curlx.easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curlx.easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curlx.easy_setopt(h, CURLOPT_WRITEDATA, g);
	curlx.easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curlx.easy_setopt(h, CURLOPT_HEADERDATA, g);
	curlx.easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
	curlx_netrc(h, m->netrc);
}

static int http_error(const char *url, const struct get *g, struct err *e)
{
	switch (g->status) {
	case 401:
	case 403:
		return errf(e, EXIT_FAIL, "%s: authentication failed (HTTP %ld): check ~/.netrc",
		    url, g->status);
	case 404:
		return errf(e, EXIT_FAIL, "%s: HTTP 404: not a Mesos master (1.x) endpoint", url);
	case 307: {
		char *to = curlx_shown(g->location[0] ? g->location : "nowhere");
		errf(e, EXIT_FAIL, "%s: redirected more than %d times (to %s)", url,
		    MAX_REDIRECTS, to);
		free(to);
		return -1;
	}
	default:
		return errf(e, EXIT_FAIL, "%s: HTTP %ld", url, g->status);
	}
}

/* One GET of path, decoded; *moved set (and m->url changed) on a 307. */
static int get_once(struct mesos *m, const char *path, struct mesos_decoder *dec,
    int *moved, struct err *e)
{
	struct get g = { .dec = dec };
	char *url = xasprintf("%s%s", m->url, path);
	double left = m->deadline - timeamt_now();
	CURL *h;
	CURLcode rc;
	int ret = -1;

	*moved = 0;
	if (left <= 0) {
		errf(e, EXIT_FAIL, "%s: no answer within %g s", url, m->timeout);
		free(url);
		return -1;
	}
	if ((h = curlx.easy_init()) == NULL) {
		free(url);
		return errf(e, EXIT_FAIL, "cannot start libcurl");
	}
	set_options(m, h, url, &g, left < 0.001 ? 0.001 : left);
	rc = curlx.easy_perform(h);
	if (g.failed)
		errf(e, g.de.code, "%s: %s", url, g.de.msg);
	else if (rc == CURLE_COULDNT_CONNECT)
		errf(e, EXIT_FAIL, "%s: connection refused", url);
	else if (rc == CURLE_OPERATION_TIMEDOUT)
		errf(e, EXIT_FAIL, "%s: no answer within %g s", url, m->timeout);
	else if (rc == CURLE_PARTIAL_FILE || rc == CURLE_RECV_ERROR || rc == CURLE_GOT_NOTHING)
		errf(e, EXIT_DATA, "%s: reply cut off after %zu bytes (%s)", url, g.got,
		    curlx.easy_strerror(rc));
	else if (rc != CURLE_OK)
		errf(e, EXIT_FAIL, "%s: %s", url, curlx.easy_strerror(rc));
	else if (g.status == 307 && m->redirects < MAX_REDIRECTS) {
		char *base = leader_base(m->url, g.location);
		char *to = curlx_shown(g.location);
		if (base == NULL)
			errf(e, EXIT_DATA, "%s: redirected to \"%s\", not a master's address", url, to);
		else if (downgrade(m->url, base)) {
			errf(e, EXIT_FAIL, "%s: redirected from https to plain http (%s): refused (credentials would go in clear)",
			    url, to);
			free(base);
		} else {
			free(m->url);
			m->url = base;
			m->redirects++;
			*moved = 1;
			ret = 0;
		}
		free(to);
	} else if (g.status != 200)
		http_error(url, &g, e);
	else
		ret = 0;
	curlx.easy_cleanup(h);
	free(url);
	return ret;
}

/* GET path from the leader, following 307s; tasks to fn. */
static int get(struct mesos *m, const char *path, mesos_task_fn fn, void *ctx,
    struct mesos_frameworks *fw, size_t *ntasks, struct err *e)
{
	int moved = 1, ret = 0;

	if (curlx_load(e) < 0)
		return -1;
	while (ret == 0 && moved) {
		struct mesos_decoder *dec = mesos_decoder_new(fn, ctx, m->max_reply);
		struct err de = { 0 };
		ret = get_once(m, path, dec, &moved, e);
		if (ret == 0 && !moved && mesos_decoder_finish(dec, fw, ntasks, &de) < 0)
			ret = errf(e, de.code, "%s%s: %s", m->url, path, de.msg);
		mesos_decoder_free(dec);
	}
	return ret;
}

/* Paging through a list that may change between pages: each page starts
 * OVERLAP tasks before the end of the last one, and must hold that page's
 * last task (the anchor). Missing, the tasks moved up more than the
 * overlap (some may have been skipped): start over. The walk ends on a
 * page that brings nothing past the anchor, where the anchor was expected.
 * Start-overs and pages that cannot move on are counted: a few, then fail. */
struct pager {
	mesos_task_fn fn;
	void *ctx;
	char *anchor;		/* the last task of the page before, or NULL */
	long anchor_at;		/* its last index in this page, -1: not seen */
	size_t index;		/* tasks of this page so far */
	struct buf last;	/* this page's last task id */
};

static int paged_task(void *ctx, const struct mesos_task *t, struct err *e)
{
	struct pager *p = ctx;

	if (p->anchor && strcmp(t->id, p->anchor) == 0)
		p->anchor_at = (long)p->index;
	p->index++;
	buf_reset(&p->last);
	buf_adds(&p->last, t->id);
	return p->fn(p->ctx, t, e);
}

static void tasks_path(struct buf *path, const char *id, size_t offset)
{
	buf_reset(path);
	buf_adds(path, "/master/tasks?framework_id=");
	for (const char *p = id; *p; p++)
		buf_addf(path, strchr("-._~", *p) || (*p >= '0' && *p <= '9') ||
		    (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ? "%c" : "%%%02X",
		    (unsigned char)*p);
	buf_addf(path, "&limit=%d&offset=%zu", PAGE, offset);
}

int mesos_framework_tasks(struct mesos *m, const char *id, mesos_task_fn fn,
    void *ctx, size_t *ntasks, struct err *e)
{
	struct buf path = BUF_INIT;
	struct pager p = { fn, ctx, NULL, -1, 0, BUF_INIT };
	size_t offset = 0, got, overlap = 0;
	int ret = 0, restarts = 0;

	*ntasks = 0;
	while (ret == 0) {
		tasks_path(&path, id, offset);
		p.index = 0;
		p.anchor_at = -1;
		if ((ret = get(m, path.s, paged_task, &p, NULL, &got, e)) < 0)
			break;
		*ntasks += got;
		if (p.anchor && (p.anchor_at < 0 || (p.index == (size_t)p.anchor_at + 1 &&
		    (size_t)p.anchor_at >= overlap))) {
			if (++restarts > MAX_RESTARTS)
				ret = errf(e, EXIT_FAIL, "%s: its task list changed or repeated while paging (%d times; a master ignoring offset?): the impact is unknown",
				    m->url, restarts);
			free(p.anchor);
			p.anchor = NULL;
			offset = 0;
			continue;
		}
		if (p.index == 0 || (p.anchor && p.index == (size_t)p.anchor_at + 1))
			break;
		overlap = p.index < OVERLAP ? p.index : OVERLAP;
		if (p.anchor && p.index == overlap && ++restarts > MAX_RESTARTS)
			ret = errf(e, EXIT_FAIL, "%s: its task list kept growing while paging: the impact is unknown",
			    m->url);
		offset += p.index - overlap;
		free(p.anchor);
		p.anchor = xstrdup(p.last.s);
	}
	free(p.anchor);
	buf_free(&p.last);
	buf_free(&path);
	return ret;
}

int mesos_frameworks(struct mesos *m, struct mesos_frameworks *fw,
    struct err *e)
{
	memset(fw, 0, sizeof *fw);
	return get(m, "/master/state", NULL, NULL, fw, NULL, e);
}

/* Start a non-blocking connect to "host:port"; the socket, or -1. */
static int dial(const char *endpoint)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai;
	const char *colon = strrchr(endpoint, ':');
	char *host;
	int fd = -1;

	if (colon == NULL)
		return -1;
	host = xstrndup(endpoint, (size_t)(colon - endpoint));
	if (getaddrinfo(host, colon + 1, &hints, &ai) == 0) {
		fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) < 0 &&
		    errno != EINPROGRESS) {
			close(fd);
			fd = -1;
		}
		freeaddrinfo(ai);
	}
	free(host);
	return fd;
}

/* Can any endpoint of the ensemble be connected to? The ZooKeeper client
 * retries a refused connection until its deadline: an ensemble that is
 * down is told at once here instead. */
static int zk_reachable(const char *endpoints, double timeout, struct err *e)
{
	char **ep = NULL;
	size_t n = 0, open = 0;
	struct pollfd *p;
	double end = timeamt_now() + timeout;
	int up = 0;

	for (const char *s = endpoints; *s; s += strcspn(s, ",") + (s[strcspn(s, ",")] == ',')) {
		ep = xrealloc(ep, (n + 1) * sizeof *ep);
		ep[n++] = xstrndup(s, strcspn(s, ","));
	}
	p = xcalloc(n + 1, sizeof *p);
	for (size_t i = 0; i < n; i++) {
		p[i].fd = dial(ep[i]);
		p[i].events = POLLOUT;
		open += p[i].fd >= 0;
	}
	while (!up && open > 0 && timeamt_now() < end) {
		if (poll(p, n, (int)((end - timeamt_now()) * 1000) + 1) <= 0)
			continue;
		for (size_t i = 0; i < n; i++) {
			int err = 0;
			socklen_t len = sizeof err;
			if (p[i].fd < 0 || !p[i].revents)
				continue;
			getsockopt(p[i].fd, SOL_SOCKET, SO_ERROR, &err, &len);
			up |= err == 0 && !(p[i].revents & (POLLERR | POLLHUP));
			close(p[i].fd);
			p[i].fd = -1;
			open--;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (p[i].fd >= 0)
			close(p[i].fd);
		free(ep[i]);
	}
	free(ep);
	free(p);
	if (up)
		return 0;
	if (open)
		return errf(e, EXIT_FAIL, "zookeeper %s: no answer within %g s", endpoints, timeout);
	return errf(e, EXIT_FAIL, "zookeeper %s: connection refused", endpoints);
}

char *mesos_shown(const char *address)
{
	const char *p = strstr(address, "://");
	const char *host = p ? p + 3 : address;
	const char *at = memchr(host, '@', strcspn(host, "/?#"));

	if (at == NULL)
		return xstrdup(address);
	return xasprintf("%.*s***%s", (int)(host - address), address, at);
}

/* zk://[user:password@]H:P,.../PATH: the leading master's http://host:port. */
static int from_zookeeper(struct mesos *m, const char *address, struct err *e)
{
	const char *rest = address + 5, *at, *slash = strchr(rest, '/');
	char *endpoints, *digest = NULL;
	struct zk_election el;
	int ret;

	if (slash == NULL || slash == rest) {
		char *shown = mesos_shown(address);
		errf(e, EXIT_DATA, "%s: not a zk://HOST:PORT,.../PATH address", shown);
		free(shown);
		return -1;
	}
	at = memchr(rest, '@', (size_t)(slash - rest));
	if (at) {
		digest = xstrndup(rest, (size_t)(at - rest));
		rest = at + 1;
	}
	endpoints = xstrndup(rest, (size_t)(slash - rest));
	memset(&el, 0, sizeof el);
	ret = zk_reachable(endpoints, m->timeout, e);
	if (ret == 0)
		ret = zk_read_election(endpoints, "", slash, digest, m->timeout, &el, e);
	if (ret == 0 && el.leader == NULL)
		ret = errf(e, EXIT_FAIL, "zookeeper %s: no Mesos master registered under %s (no json.info_ node)",
		    endpoints, slash);
	if (ret == 0)
		m->url = xasprintf(strchr(el.leader->host, ':') ? "http://[%s]:%d" :
		    "http://%s:%d", el.leader->host, el.leader->port);
	zk_election_free(&el);
	free(endpoints);
	free(digest);
	return ret;
}

int mesos_open(struct mesos *m, const char *address, struct err *e)
{
	const char *p = strstr(address, "://");
	size_t n;

	m->url = NULL;
	m->redirects = 0;
	m->deadline = timeamt_now() + m->timeout;
	if (strncmp(address, "zk://", 5) == 0)
		return from_zookeeper(m, address, e);
	p = p ? p + 3 : address;
	if (memchr(p, '@', strcspn(p, "/?#")))
		return errf(e, EXIT_USAGE, "a Mesos master address with a user name or password in it is refused (it would be printed and logged); put the credentials in ~/.netrc");
	if (*p == '\0')
		return errf(e, EXIT_USAGE, "\"%s\" is not a Mesos master address", address);
	m->url = strstr(address, "://") ? xstrdup(address) : xasprintf("http://%s", address);
	n = strlen(m->url);
	while (n > 0 && m->url[n - 1] == '/')
		m->url[--n] = '\0';
	return 0;
}

void mesos_close(struct mesos *m)
{
	free(m->url);
	m->url = NULL;
}
