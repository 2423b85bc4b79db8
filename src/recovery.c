#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include "clusters.h"
#include "curlx.h"
#include "recovery.h"
#include "zk.h"

/* Split "a,b,c" (malloc'd words). */
static size_t split_list(const char *s, char ***out)
{
	size_t n = 0;
	const char *p = s;

	*out = NULL;
	while (p && *p) {
		size_t len = strcspn(p, ",");
		if (len) {
			*out = xrealloc(*out, (n + 1) * sizeof **out);
			(*out)[n++] = xstrndup(p, len);
		}
		p += len + (p[len] == ',');
	}
	return n;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static const char *flag(struct recovery *rc, const char *name)
{
	const char *v = rc->have_host ? host_flag_value(&rc->s.host, name) : NULL;

	return v && *v ? v : NULL;
}

static const char *http_port(struct recovery *rc)
{
	if (rc->s.set->http_port)
		return rc->s.set->http_port;
	return flag(rc, "http_port") ? flag(rc, "http_port") : "8081";
}

static char *host_url(struct recovery *rc, const char *h, int port)
{
	const char *close = h[0] == '[' ? strchr(h, ']') : NULL;
	int v6 = !close && strchr(h, ':') != strrchr(h, ':');
	int has_port = close ? close[1] == ':' : !v6 && strchr(h, ':');

	if (strstr(h, "://"))
		return xstrdup(h);
	if (port)
		return xasprintf(v6 ? "http://[%s]:%d" : "http://%s:%d", h, port);
	if (has_port)
		return xasprintf("http://%s", h);
	return xasprintf(v6 ? "http://[%s]:%s" : "http://%s:%s", h, http_port(rc));
}

/* A user name or password in a URL, as libcurl reads it (it would send
 * it, and it would reach messages, --json, the journal and the audit
 * log), or a URL libcurl cannot read: refused without echoing it.
 * Credentials belong in ~/.netrc. */
static int url_refused(const char *url, const char *where, int code,
    struct err *e)
{
	switch (curlx_url_check(url)) {
	case CURLX_URL_USERINFO:
		return errf(e, code, "%s: a scheduler address with a user name or password in it is refused (it would be printed and logged); put the credentials in ~/.netrc", where);
	case CURLX_URL_BAD:
		return errf(e, code, "%s: a scheduler address that is not a URL libcurl can read", where);
	}
	return 0;
}

/* Add u (taken) unless a candidate already has its scheme, address and
 * port. */
static void add_candidate(char ***urls, size_t *n, char *u)
{
	char *at = curlx_endpoint(u);
	int dup = 0;

	for (size_t j = 0; j < *n && !dup; j++) {
		char *other = curlx_endpoint((*urls)[j]);
		dup = at && other ? strcmp(at, other) == 0 : strcmp(u, (*urls)[j]) == 0;
		free(other);
	}
	free(at);
	if (dup) {
		free(u);
		return;
	}
	*urls = xrealloc(*urls, (*n + 1) * sizeof **urls);
	(*urls)[(*n)++] = u;
}

static int from_zookeeper(struct recovery *rc, char ***urls, size_t *n,
    struct result *r, struct err *e)
{
	struct settings *set = rc->s.set;
	const char *endpoints = set->zk ? set->zk : flag(rc, "zk_endpoints");
	const char *path = set->serverset_path ? set->serverset_path :
	    flag(rc, "serverset_path") ? flag(rc, "serverset_path") : "/aurora/scheduler";
	const char *chroot = flag(rc, "zk_chroot_path");
	struct zk_election el;

	if (endpoints == NULL)
		return errf(e, EXIT_USAGE, "no schedulers to ask: give --hosts or --zk (%s)",
		    rc->have_host ? "no -zk_endpoints on this host" : rc->host_err.msg);
	if (zk_read_election(endpoints, chroot ? chroot : "", path,
	    flag(rc, "zk_digest_credentials"), set->timeout, &el, e) < 0)
		return -1;
	for (size_t i = 0; i < el.n; i++) {
		const struct zk_candidate *c = &el.c[i];
		char *u = host_url(rc, c->host, c->kind == ZK_MEMBER ? c->port : 0);
		if (c == el.leader && rc->zk_leader == NULL)
			rc->zk_leader = xstrdup(u);
		add_candidate(urls, n, u);
	}
	result_line(r, "zookeeper %s%s%s: %zu election node%s%s%s", endpoints,
	    chroot ? chroot : "", path, el.n, el.n == 1 ? "" : "s",
	    el.leader ? ", leading: " : "", el.leader ? el.leader->host : "");
	zk_election_free(&el);
	if (*n == 0)
		return errf(e, EXIT_FAIL, "zookeeper %s: no scheduler under %s", endpoints, path);
	return 0;
}

int recovery_candidates(struct recovery *rc, char ***urls, size_t *n,
    struct result *r, struct err *e)
{
	char **hosts;
	size_t nh;

	*urls = NULL;
	*n = 0;
	if (rc->s.set->hosts == NULL)
		return from_zookeeper(rc, urls, n, r, e);
	nh = split_list(rc->s.set->hosts, &hosts);
	for (size_t i = 0; i < nh; i++) {
		char *u = host_url(rc, hosts[i], 0);
		if (url_refused(u, "--hosts", EXIT_USAGE, e) < 0) {
			free(u);
			free_list(hosts, nh);
			free_list(*urls, *n);
			*urls = NULL;
			*n = 0;
			return -1;
		}
		add_candidate(urls, n, u);
	}
	free_list(hosts, nh);
	return 0;
}

/* ZooKeeper's lowest sequence should be the one /vars calls the leader. */
static void zk_disagrees(struct recovery *rc, const char *leader,
    struct result *r)
{
	char *a, *b;

	if (rc->zk_leader == NULL)
		return;
	a = curlx_endpoint(rc->zk_leader);
	b = curlx_endpoint(leader);
	if (a && b && strcmp(a, b) != 0) {
		result_line(r, "zookeeper and /vars disagree on the leader: the lowest election node names %s, /vars says %s leads",
		    rc->zk_leader, leader);
		result_set(r, "zookeeper_leader", json_string(rc->zk_leader));
	}
	free(a);
	free(b);
}

char *recovery_find_leader(struct recovery *rc, struct result *r,
    struct err *e)
{
	char **urls, *leader = NULL;
	size_t n, nleaders = 0;
	struct live_probe *p;
	struct buf why = BUF_INIT;
	json_t *hosts;

	if (recovery_candidates(rc, &urls, &n, r, e) < 0)
		return NULL;
	hosts = json_array();
	p = xcalloc(n + 1, sizeof *p);
	live_probe_all(urls, n, rc->s.set->timeout, rc->admin.insecure, p, e);
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "url", json_string(p[i].url));
		json_object_set_new(o, "ok", json_boolean(p[i].ok));
		json_object_set_new(o, "lifecycle", p[i].state ? json_string(p[i].state) : json_null());
		json_object_set_new(o, "framework_registered", p[i].registered < 0 ?
		    json_null() : json_boolean(p[i].registered));
		json_object_set_new(o, "error", p[i].error ? json_string(p[i].error) : json_null());
		json_array_append_new(hosts, o);
		if (p[i].ok)
			result_line(r, "%-32s %-28s framework_registered %s", p[i].url,
			    p[i].state ? p[i].state : "(no lifecycle)",
			    p[i].registered < 0 ? "?" : p[i].registered ? "1" : "0");
		else
			result_line(r, "%-32s unreachable: %s", p[i].url, p[i].error);
		buf_addf(&why, "%s%s (%s)", i ? ", " : "", p[i].url,
		    p[i].ok ? (p[i].state ? p[i].state : "no lifecycle") : p[i].error);
		if (live_is_leader(&p[i]) && nleaders++ == 0)
			leader = xstrdup(p[i].url);
	}
	result_set(r, "hosts", hosts);
	if (nleaders == 1)
		zk_disagrees(rc, leader, r);
	if (nleaders != 1) {
		free(leader);
		leader = NULL;
		errf(e, EXIT_FAIL, "%s leading scheduler: %s",
		    nleaders ? "more than one" : "no", why.s ? why.s : "no schedulers");
	}
	result_set(r, "leader", leader ? json_string(leader) : json_null());
	live_probes_free(p, n);
	free(p);
	free_list(urls, n);
	buf_free(&why);
	return leader;
}

int recovery_check_leader(struct recovery *rc, const char *url, struct err *e)
{
	struct live_probe p;
	char *u = (char *)url;
	int rc2;

	live_probe_all(&u, 1, rc->s.set->timeout, rc->admin.insecure, &p, e);
	if (!p.answered)
		rc2 = errf(e, EXIT_FAIL, "%s: no answer (%s): check the address (--scheduler URL; aurora-restore leader finds the leader)",
		    url, p.error);
	else if (!p.ok)
		rc2 = errf(e, EXIT_REFUSED, "%s: cannot tell whether it leads: /vars: %s", url, p.error);
	else if (!live_is_leader(&p))
		rc2 = errf(e, EXIT_REFUSED, "%s is not the leading scheduler (lifecycle %s)",
		    url, p.state ? p.state : "unknown");
	else
		rc2 = 0;
	live_probes_free(&p, 1);
	return rc2;
}

static int kerberos(struct recovery *rc)
{
	char *m = rc->have_host ? host_cluster_get(&rc->s.host, "auth_mechanism") : NULL;
	int k = m && strcmp(m, "KERBEROS") == 0;

	free(m);
	return k;
}

int recovery_open(struct recovery *rc, struct settings *set, int need_target,
    struct result *r, struct err *e)
{
	char *netrc;

	memset(rc, 0, sizeof *rc);
	if (session_open(&rc->s, set, 0, e) < 0)
		return -1;
	rc->have_host = session_host(&rc->s, &rc->host_err) == 0;
	if (set->home) {
		char *p = xasprintf("%s/.netrc", set->home);
		netrc = root_path(set->root, p);
		free(p);
		if (access(netrc, R_OK) == 0)
			rc->netrc = netrc;
		else
			free(netrc);
	}
	rc->admin.timeout = set->timeout;
	rc->admin.max_reply = (size_t)set->max_reply;
	rc->admin.insecure = set->insecure;
	rc->admin.bypass = 1;
	rc->admin.negotiate = kerberos(rc);
	rc->admin.netrc = rc->netrc;
	if (!need_target)
		return 0;
	if (set->scheduler && url_refused(set->scheduler, "--scheduler", EXIT_USAGE, e) < 0)
		return -1;
	if (set->scheduler)
		rc->url = xstrdup(set->scheduler);
	else if (set->hosts || set->zk || flag(rc, "zk_endpoints")) {
		struct result scratch;
		result_init(&scratch);
		rc->url = recovery_find_leader(rc, &scratch, e);
		result_free(&scratch);
		if (rc->url == NULL)
			return -1;
	} else if (rc->have_host && (rc->url = host_cluster_get(&rc->s.host,
	    "scheduler_uri")) != NULL)
		;
	else
		return errf(e, EXIT_USAGE, "no scheduler to talk to: give --scheduler URL (%s)",
		    rc->have_host ? "the cluster has no scheduler_uri" : rc->host_err.msg);
	if (!set->scheduler && url_refused(rc->url, "scheduler_uri", EXIT_DATA, e) < 0)
		return -1;
	rc->admin.url = rc->url;
	result_set(r, "scheduler", json_string(rc->url));
	return 0;
}

void recovery_close(struct recovery *rc)
{
	free(rc->url);
	free(rc->netrc);
	free(rc->zk_leader);
	free(rc->cluster_seen);
	session_close(&rc->s);
}

int recovery_call(struct recovery *rc, const char *method, const char *arg,
    const struct tj_query *q, tj_task_fn fn, void *ctx, struct tj_reply *r,
    int *dropped, struct err *e)
{
	char *msg;

	if (admin_call(&rc->admin, method, arg, q, fn, ctx, r, dropped, e) < 0)
		return -1;
	free(rc->cluster_seen);
	rc->cluster_seen = r->cluster_name ? xstrdup(r->cluster_name) : NULL;
	if (r->code == 1)
		return 0;
	msg = admin_reply_message(r);
	errf(e, EXIT_FAIL, "%s: %s: %s%s", rc->url, method, msg,
	    r->code == 6 ? " (not the leading scheduler, or storage not ready)" : "");
	free(msg);
	return -1;
}

#define JOURNAL_MAX_IDS 1000	/* more: the journal has the count, audit.log all */

/* The audit line: o as JSON, then every task id and the outcome, written
 * as they go (no JSON tree of a million ids). */
static char *audit_line(json_t *o, char *const *ids, size_t n,
    const char *outcome)
{
	char *head = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	struct buf b = BUF_INIT;

	buf_add(&b, head, strlen(head) - 1);
	buf_adds(&b, ",\"task_ids\":[");
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_add(&b, ",", 1);
		recovery_json_str(&b, ids[i]);
	}
	buf_adds(&b, "],\"outcome\":");
	recovery_json_str(&b, outcome);
	buf_adds(&b, "}");
	free(head);
	return buf_detach(&b);
}

/* The task ids for the journal's copy: all, or their number. */
static json_t *audit_ids(char *const *ids, size_t n)
{
	json_t *a;

	if (n > JOURNAL_MAX_IDS)
		return json_integer((json_int_t)n);
	a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, out_json_str(ids[i]));
	return a;
}

/* An audit record: who, when, the call, the scheduler, the backup, the
 * outcome and the task ids. */
static void recovery_audit(struct recovery *rc, const char *what,
    const char *backup, char *const *task_ids, size_t ntask_ids,
    const char *outcome)
{
	struct settings *set = rc->s.set;
	json_t *o = json_object();
	char *user = session_user(), *line, *dir, *path, *lock;
	int fd, lockfd;

	json_object_set_new(o, "time", json_string(iso_time(time(NULL))));
	json_object_set_new(o, "user", out_json_str(user));
	json_object_set_new(o, "call", json_string(what));
	json_object_set_new(o, "scheduler", out_json_str(rc->url));
	json_object_set_new(o, "backup", out_json_str(backup));
	if (rc->impact)
		json_object_set_new(o, "impact", out_json_str(rc->impact));
	line = audit_line(o, task_ids, ntask_ids, outcome);
	json_object_set_new(o, "task_ids", audit_ids(task_ids, ntask_ids));
	json_object_set_new(o, "outcome", json_string(outcome));
	dir = root_path(set->root, JOURNAL_DIR);
	path = root_path(set->root, JOURNAL_DIR "/audit.log");
	if (path_private(set->root, JOURNAL_DIR "/audit.log", 1, NULL) == 0 &&
	    mkdir_p(dir, 0700, NULL) == 0 &&
	    (fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600)) >= 0) {
		struct buf b = BUF_INIT;
		buf_addf(&b, "%s\n", line);
		if (write(fd, b.s, b.len) == (ssize_t)b.len)
			fsync(fd);
		close(fd);
		buf_free(&b);
	}
	/* Under the run lock, or an apply or revert running now could lose
	 * the entry or find a reverted journal written back. */
	lock = root_path(set->root, LOCK_PATH);
	if (path_private(set->root, LOCK_PATH, 0, NULL) == 0 &&
	    lock_acquire(lock, set->wait > 0 ? set->wait : 5, &lockfd, NULL) == 0) {
		journal_audit(set->root, o, NULL);
		lock_release(lockfd);
	}
	free(lock);
	openlog("aurora-restore", LOG_PID, LOG_USER);
	syslog(LOG_NOTICE, "%s", line);
	closelog();
	json_decref(o);
	free(line);
	free(dir);
	free(path);
	free(user);
}

/* A filter given empty ("", ",") filters nothing: delete-tasks --task-id
 * "$IDS" with IDS empty would take every staged task. */
static int empty_filter(const struct settings *set, struct err *e)
{
	const struct { const char *name, *v; int list; } f[] = {
		{ "--role", set->role, 0 }, { "--env", set->env, 0 },
		{ "--job", set->job, 0 }, { "--task-id", set->task_id, 1 },
		{ "--status", set->status, 1 },
	};

	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		if (f[i].v && (f[i].list ? strspn(f[i].v, ",") : 0) == strlen(f[i].v))
			return errf(e, EXIT_USAGE, "%s: an empty value is no filter (delete-tasks would take every task)",
			    f[i].name);
	return 0;
}

int recovery_query(const struct settings *set, struct tj_query *q,
    struct err *e)
{
	char **ids = NULL, **names = NULL;
	size_t nnames = 0;
	int *st = NULL;

	memset(q, 0, sizeof *q);
	if (empty_filter(set, e) < 0)
		return -1;
	q->role = set->role;
	q->environment = set->env;
	q->job = set->job;
	if (set->task_id)
		q->ntask_ids = split_list(set->task_id, &ids);
	q->task_ids = ids;
	if (set->status) {
		nnames = split_list(set->status, &names);
		st = xcalloc(nnames + 1, sizeof *st);
		for (size_t i = 0; i < nnames; i++)
			if ((st[i] = tj_status_parse(names[i])) < 0) {
				errf(e, EXIT_USAGE, "--status: unknown task status \"%s\" (e.g. RUNNING, PENDING, KILLED)", names[i]);
				free_list(names, nnames);
				free(st);
				return -1;
			}
		free_list(names, nnames);
		q->statuses = st;
		q->nstatuses = nnames;
	} else if (!set->all_states && set->task_id == NULL) {
		st = xcalloc(tj_nactive_states, sizeof *st);
		memcpy(st, tj_active_states, tj_nactive_states * sizeof *st);
		q->statuses = st;
		q->nstatuses = tj_nactive_states;
	}
	return 0;
}

void recovery_query_free(struct tj_query *q)
{
	free_list((char **)q->task_ids, q->ntask_ids);
	free((int *)q->statuses);
	memset(q, 0, sizeof *q);
}

int recovery_confirm(const struct settings *set, const char *what,
    struct err *e)
{
	char line[16];

	if (set->yes)
		return 0;
	if (!set->json && isatty(0) && isatty(2)) {
		char *shown = out_text(what);
		fprintf(stderr, "%s? Type yes to go on: ", shown);
		free(shown);
		if (fgets(line, sizeof line, stdin) && strcmp(line, "yes\n") == 0)
			return 0;
	}
	return errf(e, EXIT_REFUSED, "not done without confirmation: %s (give --yes)", what);
}

/* The cluster this restore is for: the host's, else --cluster. */
static const char *cluster_wanted(struct recovery *rc)
{
	if (rc->have_host && rc->s.host.cluster)
		return rc->s.host.cluster;
	return rc->s.set->cluster;
}

int recovery_check_cluster(struct recovery *rc, struct err *e)
{
	const char *want = cluster_wanted(rc);
	struct tj_reply r;
	int dropped;

	if (want == NULL)
		return 0;
	if (rc->cluster_seen == NULL) {
		int ret = recovery_call(rc, "listBackups", NULL, NULL, NULL,
		    NULL, &r, &dropped, e);
		tj_reply_free(&r);
		if (ret < 0)
			return -1;
	}
	if (rc->cluster_seen == NULL)
		return errf(e, EXIT_REFUSED, "%s does not say which cluster it serves (no serverInfo.clusterName); nothing changed on it (the restore is for %s)",
		    rc->url, want);
	if (strcmp(rc->cluster_seen, want) != 0)
		return errf(e, EXIT_REFUSED, "%s serves cluster \"%s\", not \"%s\" (the cluster restored here): nothing changed on it",
		    rc->url, rc->cluster_seen, want);
	return 0;
}

int recovery_change(struct recovery *rc, const char *method, const char *arg,
    const struct tj_query *q, struct tj_reply *r, int *dropped,
    struct err *e)
{
	char *unknown;
	int ret;

	*dropped = 0;
	memset(r, 0, sizeof *r);
	if (recovery_check_cluster(rc, e) < 0)
		return -1;
	ret = recovery_call(rc, method, arg, q, NULL, NULL, r, dropped, e);
	unknown = ret < 0 && *dropped ? xasprintf("outcome unknown: %s", e->msg) : NULL;
	recovery_audit(rc, method, strcmp(method, "stageRecovery") == 0 ? arg : NULL,
	    q ? q->task_ids : NULL, q ? q->ntask_ids : 0, ret == 0 ? "ok" :
	    unknown ? unknown : e->msg);
	free(unknown);
	return ret;
}

int recovery_would(struct recovery *rc, struct result *r, const char *what)
{
	if (!rc->s.set->check)
		return 0;
	r->changed = 1;
	result_msg(r, "would %s (--check: nothing done)", what);
	return 1;
}

void recovery_task_line(struct result *res, const struct tj_task *t)
{
	const char *st = tj_status_name(t->status);

	result_line(res, "%s\t%s\t%s\t%d\t%s\t%s", t->role ? t->role : "",
	    t->environment ? t->environment : "", t->job ? t->job : "",
	    t->instance_id, st ? st : "UNKNOWN", t->task_id ? t->task_id : "");
}

int recovery_one_call(struct settings *set, struct result *res,
    const char *method, const char *done, struct err *e)
{
	struct recovery rc;
	struct tj_reply r = { 0 };
	char *what = NULL;
	int dropped = 0, ret = -1;

	if (recovery_open(&rc, set, 1, res, e) < 0)
		goto out;
	what = xasprintf("call %s on %s", method, rc.url);
	if (recovery_would(&rc, res, what)) {
		ret = 0;
		goto out;
	}
	ret = recovery_change(&rc, method, NULL, NULL, &r, &dropped, e);
	if (ret == 0) {
		res->changed = 1;
		result_msg(res, "%s: %s", rc.url, done);
	}
out:
	free(what);
	tj_reply_free(&r);
	recovery_close(&rc);
	return ret;
}

/* s as a JSON string in ASCII, as --json prints every string (out_json_str:
 * bytes that are not UTF-8 as the text \xNN). */
void recovery_json_str(struct buf *b, const char *s)
{
	json_t *j = out_json_str(s);
	char *t = json_dumps(j, JSON_ENCODE_ANY | JSON_ENSURE_ASCII);

	buf_adds(b, t);
	free(t);
	json_decref(j);
}

void recovery_task_json(struct buf *b, const struct tj_task *t)
{
	const char *st = tj_status_name(t->status);

	buf_adds(b, "{\"role\":");
	recovery_json_str(b, t->role ? t->role : "");
	buf_adds(b, ",\"environment\":");
	recovery_json_str(b, t->environment ? t->environment : "");
	buf_adds(b, ",\"job\":");
	recovery_json_str(b, t->job ? t->job : "");
	buf_addf(b, ",\"instance\":%d,\"status\":\"%s\",\"task_id\":", t->instance_id,
	    st ? st : "UNKNOWN");
	recovery_json_str(b, t->task_id ? t->task_id : "");
	buf_add(b, "}", 1);
}

int recovery_task_matches(const struct tj_query *q, const struct tj_task *t)
{
	int in = q->nstatuses == 0, id = q->ntask_ids == 0;

	if ((q->role && strcmp(q->role, t->role ? t->role : "") != 0) ||
	    (q->environment && strcmp(q->environment, t->environment ? t->environment : "") != 0) ||
	    (q->job && strcmp(q->job, t->job ? t->job : "") != 0))
		return 0;
	for (size_t i = 0; i < q->nstatuses && !in; i++)
		in = q->statuses[i] == t->status;
	for (size_t i = 0; i < q->ntask_ids && !id; i++)
		id = strcmp(q->task_ids[i], t->task_id ? t->task_id : "") == 0;
	return in && id;
}

/* The backup staged last on this host per the audit log (no unload or
 * commit since), or NULL. */
char *recovery_staged_name(const struct settings *set)
{
	char *path = root_path(set->root, JOURNAL_DIR "/audit.log"), *name = NULL;
	struct buf data = BUF_INIT;
	struct err e = { 0 };

	if (access(path, R_OK) == 0 && file_read(path, &data, NULL, 0, &e) == 0) {
		for (char *line = data.s, *nl; line && *line; line = nl ? nl + 1 : NULL) {
			json_t *o = json_loadb(line, (nl = strchr(line, '\n')) ?
			    (size_t)(nl - line) : strlen(line), 0, NULL);
			const char *call = json_string_value(json_object_get(o, "call"));
			const char *out = json_string_value(json_object_get(o, "outcome"));
			const char *b = json_string_value(json_object_get(o, "backup"));
			if (call && out && strcmp(out, "ok") == 0) {
				if (strcmp(call, "stageRecovery") == 0 && b) {
					free(name);
					name = xstrdup(b);
				} else if (strcmp(call, "unloadRecovery") == 0 ||
				    strcmp(call, "commitRecovery") == 0) {
					free(name);
					name = NULL;
				}
			}
			json_decref(o);
		}
	}
	buf_free(&data);
	free(path);
	return name;
}

/* The backup file to look into: --copy, else this host's copy in its
 * -backup_dir when it has one (malloc'd, or NULL). */
char *recovery_local_backup(struct recovery *rc, const char *name)
{
	const char *dir = rc->have_host ? host_flag_value(&rc->s.host, "backup_dir") : NULL;
	char *path, *real;

	if (rc->s.set->copy)
		return xstrdup(rc->s.set->copy);
	if (dir == NULL || *dir == '\0' || strchr(name, '/'))
		return NULL;
	path = xasprintf("%s/%s", dir, name);
	real = root_path(rc->s.set->root, path);
	free(path);
	if (access(real, R_OK) == 0)
		return real;
	free(real);
	return NULL;
}
