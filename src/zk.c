/*
 * zk.c: read the scheduler election from ZooKeeper (zk.h).
 *
 * Everything goes through libzookeeper_mt's asynchronous calls, whose
 * completions and session events land in one struct zk_wait guarded by a
 * mutex; this thread waits on its condition variable against a single
 * deadline, so the whole read (connect, auth, children, their data) takes
 * at most the timeout. Contexts the library may still call back into stay
 * allocated until zookeeper_close() has returned.
 */
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zookeeper/zookeeper.h>
#include "buf.h"
#include "zk.h"

#define SEQ_DIGITS 10
#define MAX_HOST 255

struct zk_wait;

struct zk_get {			/* one child's name, then its data */
	struct zk_wait *w;
	char *name;
	enum zk_kind kind;
	long long seq;
	int done, rc;
	char *data;
	int len;
};

struct zk_wait {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int state;		/* the last session state seen, 0 before any */
	int auth_done, auth_rc;
	int kids_done, kids_rc;
	char **kids;
	int nkids;
	struct zk_get *gets;
	size_t ngets, pending;
	int lost;		/* a call failed for a dropped connection */
};

struct zk_ctx {			/* what error messages name */
	const char *endpoints;
	char *where;		/* chroot + path */
	const char *digest;
	double timeout;
	struct timespec deadline;
};

enum { W_OK, W_TIMEOUT, W_EXPIRED, W_AUTH };

/* ---- callbacks, run on the library's completion thread ---- */

static void note_lost(struct zk_wait *w, int rc)
{
	if (rc == ZCONNECTIONLOSS || rc == ZOPERATIONTIMEOUT)
		w->lost = 1;
}

static void on_session(zhandle_t *zh, int type, int state, const char *path,
    void *ctx)
{
	struct zk_wait *w = ctx;

	(void)zh;
	(void)path;
	if (type != ZOO_SESSION_EVENT)
		return;
	pthread_mutex_lock(&w->mu);
	w->state = state;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

static void on_auth(int rc, const void *data)
{
	struct zk_wait *w = (struct zk_wait *)data;

	pthread_mutex_lock(&w->mu);
	w->auth_rc = rc;
	w->auth_done = 1;
	note_lost(w, rc);
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

static void on_children(int rc, const struct String_vector *sv,
    const void *data)
{
	struct zk_wait *w = (struct zk_wait *)data;

	pthread_mutex_lock(&w->mu);
	w->kids_rc = rc;
	note_lost(w, rc);
	if (rc == ZOK && sv && sv->count > 0) {
		w->kids = xcalloc((size_t)sv->count, sizeof *w->kids);
		for (int i = 0; i < sv->count; i++)
			w->kids[i] = xstrdup(sv->data[i]);
		w->nkids = sv->count;
	}
	w->kids_done = 1;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

static void on_data(int rc, const char *value, int len,
    const struct Stat *stat, const void *data)
{
	struct zk_get *g = (struct zk_get *)data;
	struct zk_wait *w = g->w;

	(void)stat;
	pthread_mutex_lock(&w->mu);
	g->rc = rc;
	note_lost(w, rc);
	if (rc == ZOK && value && len > 0) {
		g->data = xmalloc((size_t)len + 1);
		memcpy(g->data, value, (size_t)len);
		g->data[len] = '\0';
		g->len = len;
	}
	g->done = 1;
	w->pending--;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

/* ---- waiting ---- */

static void zk_wait_init(struct zk_wait *w)
{
	pthread_condattr_t ca;

	memset(w, 0, sizeof *w);
	pthread_mutex_init(&w->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->cv, &ca);
	pthread_condattr_destroy(&ca);
}

/* Forget the children read so far (no call is outstanding). */
static void zk_wait_clear(struct zk_wait *w)
{
	for (int i = 0; i < w->nkids; i++)
		free(w->kids[i]);
	free(w->kids);
	for (size_t i = 0; i < w->ngets; i++) {
		free(w->gets[i].name);
		free(w->gets[i].data);
	}
	free(w->gets);
	w->kids = NULL;
	w->gets = NULL;
	w->nkids = w->kids_done = w->kids_rc = w->lost = 0;
	w->ngets = w->pending = 0;
}

static void zk_wait_free(struct zk_wait *w)
{
	zk_wait_clear(w);
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
}

static int bad_state(const struct zk_wait *w)
{
	if (w->state == ZOO_EXPIRED_SESSION_STATE)
		return W_EXPIRED;
	if (w->state == ZOO_AUTH_FAILED_STATE)
		return W_AUTH;
	return W_OK;
}

/* Wait until *flag (or, with want_connected, the connected state) is
 * reached, the session dies, or the deadline passes. */
static int wait_for(struct zk_wait *w, const int *flag, int want_connected,
    const struct timespec *deadline)
{
	int r = W_OK;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		if (want_connected ? w->state == ZOO_CONNECTED_STATE : *flag)
			break;
		if ((r = bad_state(w)) != W_OK)
			break;
		if (pthread_cond_timedwait(&w->cv, &w->mu, deadline) == ETIMEDOUT) {
			if (!(want_connected ? w->state == ZOO_CONNECTED_STATE : *flag))
				r = W_TIMEOUT;
			break;
		}
	}
	pthread_mutex_unlock(&w->mu);
	return r;
}

static int wait_gets(struct zk_wait *w, const struct timespec *deadline)
{
	int r = W_OK;

	pthread_mutex_lock(&w->mu);
	while (w->pending > 0 && (r = bad_state(w)) == W_OK)
		if (pthread_cond_timedwait(&w->cv, &w->mu, deadline) == ETIMEDOUT) {
			r = w->pending > 0 ? W_TIMEOUT : W_OK;
			break;
		}
	pthread_mutex_unlock(&w->mu);
	return r;
}

/* ---- errors ---- */

static int wait_error(const struct zk_ctx *c, int r, const char *doing,
    struct err *e)
{
	if (r == W_EXPIRED)
		return errf(e, EXIT_FAIL, "zookeeper %s: session expired while %s %s",
		    c->endpoints, doing, c->where);
	if (r == W_AUTH)
		return errf(e, EXIT_FAIL, "zookeeper %s: authentication failed while %s %s",
		    c->endpoints, doing, c->where);
	return errf(e, EXIT_FAIL, "zookeeper %s: no answer within %g s while %s %s",
	    c->endpoints, c->timeout, doing, c->where);
}

static int rc_error(const struct zk_ctx *c, int rc, const char *node,
    struct err *e)
{
	if (rc == ZNONODE)
		return errf(e, EXIT_FAIL, "zookeeper %s: %s does not exist",
		    c->endpoints, node);
	if (rc == ZNOAUTH)
		return errf(e, EXIT_FAIL, "zookeeper %s: not allowed to read %s %s",
		    c->endpoints, node, c->digest ?
		    "with the digest credentials given" : "without digest credentials");
	if (rc == ZAUTHFAILED)
		return errf(e, EXIT_FAIL, "zookeeper %s: authentication failed reading %s",
		    c->endpoints, node);
	if (rc == ZSESSIONEXPIRED)
		return errf(e, EXIT_FAIL, "zookeeper %s: session expired reading %s",
		    c->endpoints, node);
	if (rc == ZCONNECTIONLOSS || rc == ZOPERATIONTIMEOUT)
		return errf(e, EXIT_FAIL, "zookeeper %s: lost the connection reading %s (%s)",
		    c->endpoints, node, zerror(rc));
	return errf(e, EXIT_FAIL, "zookeeper %s: reading %s: %s", c->endpoints,
	    node, zerror(rc));
}

/* The data as it may be shown: printable ASCII, at most 60 bytes. */
static char *shown(const char *s, int len)
{
	struct buf b = BUF_INIT;

	for (int i = 0; i < len && i < 60; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch >= 0x20 && ch < 0x7f && ch != '\\')
			buf_add(&b, &s[i], 1);
		else
			buf_addf(&b, "\\x%02x", ch);
	}
	if (len > 60)
		buf_adds(&b, "...");
	return buf_detach(&b);
}

static int data_error(const struct zk_ctx *c, const struct zk_get *g,
    const char *what, struct err *e)
{
	char *s = shown(g->data ? g->data : "", g->len);
	char *name = shown(g->name, (int)strlen(g->name));

	errf(e, EXIT_DATA, "zookeeper %s: %s/%s: %s: \"%s\"", c->endpoints,
	    c->where, name, what, s);
	free(s);
	free(name);
	return -1;
}

/* ---- child names and data ---- */

static int seq_of(const char *s, long long *seq)
{
	if (strlen(s) != SEQ_DIGITS)
		return -1;
	*seq = 0;
	for (int i = 0; i < SEQ_DIGITS; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		*seq = *seq * 10 + (s[i] - '0');
	}
	return 0;
}

/* Curator's protected names: "_c_" UUID "-" LOCK_NAME seq, with the
 * lock name "latch-" (LeaderLatch) or "lock-" (locks, LeaderSelector). */
static int curator_seq(const char *name, long long *seq)
{
	static const char *const marks[] = { "-latch-", "-lock-" };
	size_t len = strlen(name);

	if (strncmp(name, "_c_", 3) != 0 || len < 3 + 1 + SEQ_DIGITS)
		return -1;
	for (size_t i = 0; i < 2; i++) {
		size_t m = strlen(marks[i]);
		if (len < 3 + 1 + m + SEQ_DIGITS)
			continue;
		if (strncmp(name + len - SEQ_DIGITS - m, marks[i], m) == 0)
			return seq_of(name + len - SEQ_DIGITS, seq);
	}
	return -1;
}

static int classify(const char *name, enum zk_kind *kind, long long *seq)
{
	if (curator_seq(name, seq) == 0) {
		*kind = ZK_CURATOR;
		return 0;
	}
	if (strncmp(name, "singleton_candidate_", 20) == 0 &&
	    seq_of(name + 20, seq) == 0) {
		*kind = ZK_SINGLETON;
		return 0;
	}
	if (strncmp(name, "member_", 7) == 0 && seq_of(name + 7, seq) == 0) {
		*kind = ZK_MEMBER;
		return 0;
	}
	if (strncmp(name, "json.info_", 10) == 0 && seq_of(name + 10, seq) == 0) {
		*kind = ZK_MESOS;
		return 0;
	}
	return -1;
}

static int host_ok(const char *s, size_t len)
{
	if (len == 0 || len > MAX_HOST || strlen(s) != len)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr(".-_:[]%", s[i]))
			return 0;
	return 1;
}

/* An endpoint object {"host": ..., "port": ...}; 1 when usable. */
static int endpoint(json_t *ep, const char **host, int *port)
{
	json_t *h = json_object_get(ep, "host"), *p = json_object_get(ep, "port");

	if (!json_is_string(h) || !json_is_integer(p))
		return 0;
	*host = json_string_value(h);
	*port = (int)json_integer_value(p);
	return json_integer_value(p) > 0 && json_integer_value(p) <= 65535 &&
	    host_ok(*host, json_string_length(h));
}

static int parse_member(const struct zk_ctx *c, const struct zk_get *g,
    struct zk_candidate *cand, struct err *e)
{
	json_t *j = g->data ? json_loadb(g->data, (size_t)g->len, 0, NULL) : NULL;
	const char *host = NULL;
	int port = 0, ok;

	if (!json_is_object(j)) {
		json_decref(j);
		return data_error(c, g, "member data is not a JSON object", e);
	}
	ok = endpoint(json_object_get(j, "serviceEndpoint"), &host, &port) ||
	    endpoint(json_object_get(json_object_get(j, "additionalEndpoints"),
	    "http"), &host, &port);
	if (ok) {
		cand->host = xstrdup(host);
		cand->port = port;
	}
	json_decref(j);
	if (!ok)
		return data_error(c, g, "member data has no usable serviceEndpoint", e);
	return 0;
}

/* A Mesos MasterInfo: address {hostname, ip, port}, else hostname/ip, port. */
static int parse_mesos(const struct zk_ctx *c, const struct zk_get *g,
    struct zk_candidate *cand, struct err *e)
{
	json_t *j = g->data ? json_loadb(g->data, (size_t)g->len, 0, NULL) : NULL;
	json_t *a = json_object_get(j, "address"), *o = json_is_object(a) ? a : j;
	json_t *h = json_object_get(o, "hostname"), *p = json_object_get(o, "port");
	int ok;

	if (!json_is_string(h) || !json_string_length(h))
		h = json_object_get(o, "ip");
	ok = json_is_string(h) && host_ok(json_string_value(h), json_string_length(h)) &&
	    json_is_integer(p) && json_integer_value(p) > 0 && json_integer_value(p) <= 65535;
	if (ok) {
		cand->host = xstrdup(json_string_value(h));
		cand->port = (int)json_integer_value(p);
	}
	json_decref(j);
	return ok ? 0 : data_error(c, g, "not a Mesos MasterInfo with an address and port", e);
}

static int to_candidate(const struct zk_ctx *c, const struct zk_get *g,
    struct zk_candidate *cand, struct err *e)
{
	memset(cand, 0, sizeof *cand);
	if (g->kind == ZK_MEMBER && parse_member(c, g, cand, e) < 0)
		return -1;
	if (g->kind == ZK_MESOS && parse_mesos(c, g, cand, e) < 0)
		return -1;
	if (g->kind != ZK_MEMBER && g->kind != ZK_MESOS) {
		if (!g->data || !host_ok(g->data, (size_t)g->len))
			return data_error(c, g, "not a host name or address", e);
		cand->host = xstrdup(g->data);
	}
	cand->node = xstrdup(g->name);
	cand->kind = g->kind;
	cand->seq = g->seq;
	return 0;
}

int zk_decode_child(const char *endpoints, const char *where,
    const char *name, const char *data, int len, struct zk_candidate *cand,
    struct err *e)
{
	struct zk_ctx c = { endpoints, (char *)where, NULL, 0, { 0, 0 } };
	struct zk_get g = { NULL, (char *)name, 0, 0, 1, ZOK, NULL, 0 };
	int rc;

	memset(cand, 0, sizeof *cand);
	if (classify(name, &g.kind, &g.seq) < 0)
		return 1;
	if (data && len > 0) {
		g.data = xmalloc((size_t)len + 1);
		memcpy(g.data, data, (size_t)len);
		g.data[len] = '\0';
		g.len = len;
	}
	rc = to_candidate(&c, &g, cand, e);
	free(g.data);
	return rc;
}

static int by_order(const void *a, const void *b)
{
	const struct zk_candidate *x = a, *y = b;
	int xm = x->kind == ZK_MEMBER, ym = y->kind == ZK_MEMBER;

	if (xm != ym)
		return xm - ym;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* ---- the conversation ---- */

static void deadline_in(struct timespec *t, double seconds)
{
	clock_gettime(CLOCK_MONOTONIC, t);
	t->tv_sec += (time_t)seconds;
	t->tv_nsec += (long)((seconds - (double)(time_t)seconds) * 1e9);
	if (t->tv_nsec >= 1000000000L) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000L;
	}
}

static int count_hosts(const char *endpoints)
{
	int n = 1;

	for (const char *p = endpoints; *p; p++)
		n += *p == ',';
	return n;
}

static zhandle_t *connect_zk(const struct zk_ctx *c, const char *chroot,
    struct zk_wait *w, struct err *e)
{
	char *hosts = xasprintf("%s%s", c->endpoints, chroot);
	double ms = c->timeout * 1000 / count_hosts(c->endpoints);
	zhandle_t *zh;

	zoo_set_debug_level(0);
	errno = 0;
	zh = zookeeper_init(hosts, on_session,
	    ms < 1000 ? 1000 : ms > 60000 ? 60000 : (int)ms, NULL, w, 0);
	free(hosts);
	if (!zh)
		errf(e, EXIT_FAIL, "zookeeper %s: cannot use these endpoints (%s) for %s",
		    c->endpoints, errno ? strerror(errno) : "bad host list", c->where);
	return zh;
}

static int authenticate(zhandle_t *zh, const struct zk_ctx *c,
    struct zk_wait *w, struct err *e)
{
	int rc, r;

	rc = zoo_add_auth(zh, "digest", c->digest, (int)strlen(c->digest),
	    on_auth, w);
	if (rc != ZOK)
		return rc_error(c, rc, c->where, e);
	if ((r = wait_for(w, &w->auth_done, 0, &c->deadline)) != W_OK)
		return wait_error(c, r, "authenticating for", e);
	if (w->lost)
		return rc_error(c, w->auth_rc, c->where, e);
	if (w->auth_rc != ZOK)
		return errf(e, EXIT_FAIL, "zookeeper %s: digest authentication failed for %s: %s",
		    c->endpoints, c->where, zerror(w->auth_rc));
	return 0;
}

static int list_children(zhandle_t *zh, const struct zk_ctx *c,
    const char *path, struct zk_wait *w, struct err *e)
{
	int rc, r;

	if ((rc = zoo_aget_children(zh, path, 0, on_children, w)) != ZOK)
		return rc_error(c, rc, c->where, e);
	if ((r = wait_for(w, &w->kids_done, 0, &c->deadline)) != W_OK)
		return wait_error(c, r, "listing", e);
	if (w->kids_rc != ZOK)
		return rc_error(c, w->kids_rc, c->where, e);
	return 0;
}

static int fetch_data(zhandle_t *zh, const struct zk_ctx *c,
    const char *path, struct zk_wait *w, struct err *e)
{
	int r;

	w->gets = xcalloc((size_t)w->nkids + 1, sizeof *w->gets);
	for (int i = 0; i < w->nkids; i++) {
		struct zk_get *g = &w->gets[w->ngets];
		if (classify(w->kids[i], &g->kind, &g->seq) < 0)
			continue;
		g->w = w;
		g->name = xstrdup(w->kids[i]);
		w->ngets++;
	}
	for (size_t i = 0; i < w->ngets; i++) {
		char *child = xasprintf("%s%s%s", path,
		    path[strlen(path) - 1] == '/' ? "" : "/", w->gets[i].name);
		int rc;
		pthread_mutex_lock(&w->mu);
		w->pending++;
		pthread_mutex_unlock(&w->mu);
		rc = zoo_aget(zh, child, 0, on_data, &w->gets[i]);
		free(child);
		if (rc != ZOK)
			return rc_error(c, rc, c->where, e);
	}
	if ((r = wait_gets(w, &c->deadline)) != W_OK)
		return wait_error(c, r, "reading the children of", e);
	return 0;
}

static int collect(const struct zk_ctx *c, struct zk_wait *w,
    struct zk_election *el, struct err *e)
{
	el->c = xcalloc(w->ngets + 1, sizeof *el->c);
	for (size_t i = 0; i < w->ngets; i++) {
		const struct zk_get *g = &w->gets[i];
		if (g->rc == ZNONODE)
			continue;	/* gone since the listing: its owner left */
		if (g->rc != ZOK) {
			char *node = xasprintf("%s/%s", c->where, g->name);
			rc_error(c, g->rc, node, e);
			free(node);
			return -1;
		}
		if (to_candidate(c, g, &el->c[el->n], e) < 0)
			return -1;
		el->n++;
	}
	qsort(el->c, el->n, sizeof *el->c, by_order);
	if (el->n > 0 && el->c[0].kind != ZK_MEMBER)
		el->leader = &el->c[0];
	return 0;
}

/*
 * Connect, authenticate, read. When the connection drops under a call the
 * library reconnects (to another server of the ensemble, maybe) and the
 * session lives on unless it expired: read again, within the deadline.
 * The digest is sent once; the library sends it again on reconnecting.
 */
static int read_all(zhandle_t *zh, const struct zk_ctx *c, const char *p,
    struct zk_wait *w, struct zk_election *el, struct err *e)
{
	int authed = 0, r, again;

	for (;;) {
		struct err tmp = { 0 };

		if ((r = wait_for(w, NULL, 1, &c->deadline)) != W_OK)
			return wait_error(c, r, "connecting to read", e);
		if ((!c->digest || authed++ || authenticate(zh, c, w, &tmp) == 0) &&
		    list_children(zh, c, p, w, &tmp) == 0 &&
		    fetch_data(zh, c, p, w, &tmp) == 0 &&
		    collect(c, w, el, &tmp) == 0)
			return 0;
		zk_election_free(el);
		pthread_mutex_lock(&w->mu);
		again = w->lost && w->pending == 0;
		pthread_mutex_unlock(&w->mu);
		if (!again)
			return errf(e, tmp.code, "%s", tmp.msg);
		zk_wait_clear(w);
	}
}

/* s without trailing slashes, "/" staying "/". */
static char *trimmed(const char *s)
{
	char *t = xstrdup(s);

	for (size_t n = strlen(t); n > 1 && t[n - 1] == '/'; n--)
		t[n - 1] = '\0';
	return t;
}

static int check_args(const char *chroot, const char *path,
    const char *digest, double timeout, struct err *e)
{
	if (!path || path[0] != '/')
		return errf(e, EXIT_CONFIG, "zookeeper path \"%s\" does not start with /",
		    path ? path : "");
	if (chroot[0] && chroot[0] != '/')
		return errf(e, EXIT_CONFIG, "zookeeper chroot \"%s\" does not start with /",
		    chroot);
	if (digest && !strchr(digest, ':'))
		return errf(e, EXIT_CONFIG, "zookeeper digest credentials must be user:password");
	if (!(timeout > 0))
		return errf(e, EXIT_CONFIG, "zookeeper timeout must be positive");
	return 0;
}

int zk_read_election(const char *endpoints, const char *chroot,
    const char *path, const char *digest, double timeout,
    struct zk_election *el, struct err *e)
{
	struct zk_ctx c = { endpoints, NULL, digest, timeout, { 0, 0 } };
	struct zk_wait w;
	zhandle_t *zh;
	char *p, *root;
	int ret = -1;

	memset(el, 0, sizeof *el);
	if (check_args(chroot ? chroot : "", path, digest, timeout, e) < 0)
		return -1;
	p = trimmed(path);
	root = trimmed(chroot ? chroot : "");
	if (strcmp(root, "/") == 0)
		root[0] = '\0';
	c.where = xasprintf("%s%s", root, p);
	deadline_in(&c.deadline, timeout);
	zk_wait_init(&w);
	zh = connect_zk(&c, root, &w, e);
	if (zh) {
		ret = read_all(zh, &c, p, &w, el, e);
		zookeeper_close(zh);
	}
	zk_wait_free(&w);
	free(c.where);
	free(p);
	free(root);
	if (ret < 0)
		zk_election_free(el);
	return ret;
}

void zk_election_free(struct zk_election *el)
{
	if (!el)
		return;
	for (size_t i = 0; i < el->n; i++) {
		free(el->c[i].node);
		free(el->c[i].host);
	}
	free(el->c);
	memset(el, 0, sizeof *el);
}
