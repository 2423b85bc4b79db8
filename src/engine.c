#include <netdb.h>
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include "clusters.h"
#include "engine.h"
#include "etchosts.h"
#include "firewall.h"
#include "output.h"

static char *resolve_ip(const char *host)
{
	struct addrinfo hints = { 0 }, *res = NULL;
	char buf[INET6_ADDRSTRLEN] = "";

	hints.ai_family = AF_INET;
	if (getaddrinfo(host, NULL, &hints, &res) == 0 && res) {
		inet_ntop(AF_INET, &((struct sockaddr_in *)res->ai_addr)->sin_addr,
		    buf, sizeof buf);
		freeaddrinfo(res);
	}
	return buf[0] ? xstrdup(buf) : NULL;
}

/* Does any template of p say var ("${ip}")? Only then is the host name
 * looked up for ${ip} (a lookup can wait on DNS). */
static int uses(const struct profile *p, const char *var)
{
	const struct profile_kv *kv[] = { p->flag_set, p->cluster_set };
	size_t n[] = { p->nflag_set, p->ncluster_set };

	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < n[k]; i++)
			if (strstr(kv[k][i].value, var))
				return 1;
	return p->hosts_enabled && (strstr(p->hosts_address, var) ||
	    strstr(p->hosts_names, var));
}

/* Every value the profile expands, checked before anything is planned. */
static int check_vars(const struct host *h, const struct profile *p,
    const struct profile_vars *v, struct err *e)
{
	const char *name[] = { "http_port", "host", "hostname", "ip", "cluster" };
	const char *val[] = { v->http_port, v->host, v->hostname, v->ip, v->cluster };

	for (int i = 0; i < 5; i++) {
		char *var = xasprintf("${%s}", name[i]);
		int used = uses(p, var);
		free(var);
		if (used && host_check_var(h, name[i], val[i], e) < 0)
			return -1;
	}
	return 0;
}

static void engine_vars(const struct host *h, const struct profile *p,
    struct profile_vars *v, char **ip)
{
	const char *hn = host_flag_value(h, "hostname");
	const char *fip = host_flag_value(h, "ip");

	memset(v, 0, sizeof *v);
	*ip = NULL;
	v->hostname = h->hostname;
	if (fip && *fip)
		v->ip = fip;
	else
		v->ip = *ip = uses(p, "${ip}") ? resolve_ip(h->hostname) : NULL;
	if (h->set->advertised_host)
		v->host = h->set->advertised_host;
	else if (hn && *hn)
		v->host = hn;
	else if (fip && *fip)
		v->host = fip;
	else
		v->host = h->hostname;
	v->http_port = host_flag_value(h, "http_port");
	v->cluster = h->cluster;
}

static struct jitem *add_item(struct jitem **items, size_t *n, int kind,
    const char *name)
{
	struct jitem *it;

	*items = xrealloc(*items, (*n + 1) * sizeof **items);
	it = &(*items)[(*n)++];
	memset(it, 0, sizeof *it);
	it->kind = kind;
	it->name = xstrdup(name);
	return it;
}

static const char *flag_file(const struct host *h, const struct flag *f)
{
	if (f && f->list)
		return f->list->file->path;
	if (h->layout == LAYOUT_DEBIAN || h->nlists == 0)
		return h->files[0]->path;
	return h->lists[0]->file->path;
}

static void record_flag(const struct host *h, struct jitem *it)
{
	const struct flag *f = host_flag(h, it->name);

	it->file = xstrdup(flag_file(h, f));
	it->original_present = f && (f->var == NULL || f->raw != NULL);
	if (it->original_present) {
		it->original = f->value ? xstrdup(f->value) : NULL;
		it->original_raw = f->raw ? xstrdup(f->raw) : NULL;
	}
	it->after = host_flag_before(h, it->name);
}

static void record_cluster(const struct host *h, struct jitem *it)
{
	it->file = xstrdup(h->clusters->path);
	it->original = host_cluster_get(h, it->name);
	it->original_present = it->original != NULL;
}

static void copy_original(struct jitem *it, const struct journal *prev)
{
	for (size_t i = 0; prev && i < prev->nitems; i++) {
		const struct jitem *p = &prev->items[i];
		if (p->kind != it->kind || strcmp(p->name, it->name) != 0)
			continue;
		free(it->original);
		free(it->original_raw);
		free(it->after);
		free(it->renamed_from);
		it->original_present = p->original_present;
		it->original = p->original ? xstrdup(p->original) : NULL;
		it->original_raw = p->original_raw ? xstrdup(p->original_raw) : NULL;
		it->after = p->after ? xstrdup(p->after) : NULL;
		it->renamed_from = p->renamed_from ? xstrdup(p->renamed_from) : NULL;
		return;
	}
}

static int plan_kv(struct host *h, const struct profile_kv *kv, size_t n,
    int kind, int removal, const struct profile_vars *v,
    const struct journal *prev, struct jitem **items, size_t *nitems,
    struct err *e)
{
	for (size_t i = 0; i < n; i++) {
		struct jitem *it = add_item(items, nitems, kind, kv[i].name);
		if (!removal) {
			it->want = profile_expand(kv[i].value, v, e);
			if (it->want == NULL)
				return -1;
		}
		if (kind == ITEM_FLAG)
			record_flag(h, it);
		else
			record_cluster(h, it);
		copy_original(it, prev);
	}
	return 0;
}

/* A cluster key set where a removed key stands is renamed in place. */
static void plan_renames(struct jitem *items, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct jitem *s = &items[i];
		if (s->kind != ITEM_CLUSTER || s->want == NULL ||
		    s->original_present || s->renamed_from)
			continue;
		for (size_t k = 0; k < n; k++) {
			struct jitem *r = &items[k];
			if (r->kind == ITEM_CLUSTER && r->want == NULL &&
			    r->original_present) {
				s->renamed_from = xstrdup(r->name);
				break;
			}
		}
	}
}

static int plan_hosts(struct host *h, const struct profile *p,
    const struct profile_vars *v, const struct journal *prev,
    struct jitem **items, size_t *n, struct err *e)
{
	char *addr = profile_expand(p->hosts_address, v, e);
	char *names = addr ? profile_expand(p->hosts_names, v, e) : NULL;
	struct jitem *it;
	int present;

	if (names == NULL) {
		free(addr);
		return -1;
	}
	it = add_item(items, n, ITEM_HOSTS, "/etc/hosts");
	it->file = xstrdup("/etc/hosts");
	it->want = xasprintf("%s %s", addr, names);
	free(addr);
	free(names);
	if (host_hosts_has(h, it->want, &present, e) < 0)
		return -1;
	it->original_present = present;
	it->original = present ? xstrdup(it->want) : NULL;
	copy_original(it, prev);
	return 0;
}

static int plan_firewall(struct host *h, const struct profile *p,
    const struct journal *prev, struct jitem **items, size_t *n,
    struct err *e)
{
	const char *port = host_flag_value(h, "http_port");
	char *spec = port && *port && strcmp(port, "0") &&
	    host_check_var(h, "http_port", port, e) < 0 ? NULL :
	    firewall_spec(p->firewall_backend, port, p->firewall_peers,
	    p->nfirewall_peers, e);
	struct jitem *it;
	int present;

	if (spec == NULL)
		return -1;
	it = add_item(items, n, ITEM_FIREWALL, "firewall");
	it->want = spec;
	if (firewall_present(spec, &present, e) < 0)
		return -1;
	it->original_present = present;
	it->original = present ? xstrdup(spec) : NULL;
	copy_original(it, prev);
	return 0;
}

int engine_plan(struct host *h, const struct profile *p,
    const struct journal *prev, struct jitem **items, size_t *n,
    struct err *e)
{
	struct profile_vars v;
	char *ip;
	int rc;

	*items = NULL;
	*n = 0;
	engine_vars(h, p, &v, &ip);
	rc = check_vars(h, p, &v, e);
	if (rc == 0)
		rc = plan_kv(h, p->flag_set, p->nflag_set, ITEM_FLAG, 0, &v, prev,
	    items, n, e);
	if (rc == 0)
		rc = plan_kv(h, p->flag_remove, p->nflag_remove, ITEM_FLAG, 1, &v,
		    prev, items, n, e);
	if (rc == 0)
		rc = plan_kv(h, p->cluster_set, p->ncluster_set, ITEM_CLUSTER, 0,
		    &v, prev, items, n, e);
	if (rc == 0)
		rc = plan_kv(h, p->cluster_remove, p->ncluster_remove,
		    ITEM_CLUSTER, 1, &v, prev, items, n, e);
	if (rc == 0)
		plan_renames(*items, *n);
	if (rc == 0 && p->hosts_enabled)
		rc = plan_hosts(h, p, &v, prev, items, n, e);
	if (rc == 0 && p->firewall_enabled)
		rc = plan_firewall(h, p, prev, items, n, e);
	free(ip);
	return rc;
}

void engine_free_items(struct jitem *items, size_t n)
{
	struct journal j = { 0 };

	j.items = items;
	j.nitems = n;
	journal_free(&j);
}

char *engine_current(const struct host *h, const struct jitem *it,
    int *present)
{
	const struct flag *f;
	char *v;

	if (it->kind == ITEM_CLUSTER) {
		v = host_cluster_get(h, it->name);
		*present = v != NULL;
		return v;
	}
	if (it->kind == ITEM_HOSTS || it->kind == ITEM_FIREWALL) {
		const char *line = it->want ? it->want : it->original;
		struct err ignore = { 0 };
		*present = 0;
		if (line == NULL)
			return NULL;
		if (it->kind == ITEM_HOSTS)
			host_hosts_has((struct host *)h, line, present, &ignore);
		else
			firewall_present(line, present, &ignore);
		return *present ? xstrdup(line) : NULL;
	}
	f = host_flag(h, it->name);
	*present = f && (f->var == NULL || f->raw != NULL);
	return *present && f->value ? xstrdup(f->value) : NULL;
}

static int same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

int engine_in_state(const struct host *h, const struct jitem *it)
{
	int present;
	char *cur = engine_current(h, it, &present);
	int ok = it->want ? present && same(cur, it->want) : !present;

	free(cur);
	return ok;
}

int engine_apply(struct host *h, const struct jitem *items, size_t n,
    struct err *e)
{
	for (size_t pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n; i++) {
			const struct jitem *it = &items[i];
			int rc = 0;
			if ((it->want == NULL) != (pass == 1) ||
			    it->kind == ITEM_FIREWALL || engine_in_state(h, it))
				continue;
			if (it->kind == ITEM_HOSTS)
				rc = host_hosts_add(h, it->want, e);
			else if (it->kind == ITEM_FLAG)
				rc = it->want ? host_flag_set(h, it->name, it->want, e) :
				    host_flag_remove(h, it->name, e);
			else
				rc = it->want ? host_cluster_set(h, it->name, it->want,
				    it->renamed_from, e) :
				    host_cluster_remove(h, it->name, e);
			if (rc < 0)
				return -1;
		}
	return 0;
}

static const char *renamed_into(const struct jitem *items, size_t n,
    const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (items[i].kind == ITEM_CLUSTER && items[i].renamed_from &&
		    strcmp(items[i].renamed_from, key) == 0)
			return items[i].name;
	return NULL;
}

static int restore(struct host *h, const struct jitem *items, size_t n,
    const struct jitem *it, struct err *e)
{
	if (it->kind == ITEM_HOSTS)
		return it->original_present ? host_hosts_add(h, it->original, e) :
		    host_hosts_remove(h, it->want, e);
	if (it->kind == ITEM_FIREWALL)
		return 0;
	if (it->kind == ITEM_FLAG) {
		if (it->original_present)
			return host_flag_set_raw(h, it->name, it->original_raw,
			    it->after, e);
		return host_flag_unset(h, it->name, e);
	}
	if (it->original_present)
		return host_cluster_set(h, it->name, it->original ? it->original : "",
		    renamed_into(items, n, it->name), e);
	return host_cluster_remove(h, it->name, e);
}

/* 1 when it is back to the original, 0 when it has the wanted value,
 * -1 when someone else changed it since. */
static int revert_state(const struct host *h, const struct jitem *it,
    struct buf *conflicts)
{
	int present, is_orig, is_want;
	char *cur = engine_current(h, it, &present);

	is_orig = it->original_present ? present && same(cur, it->original) : !present;
	is_want = it->want ? present && same(cur, it->want) : !present;
	if (!is_orig && !is_want) {
		char *d = engine_describe(it, cur, present);
		buf_addf(conflicts, "%s%s (in %s)", conflicts->len ? "; " : "",
		    d, it->file ? it->file : "?");
		free(d);
	}
	free(cur);
	return is_orig ? 1 : is_want ? 0 : -1;
}

int engine_revert(struct host *h, const struct jitem *items, size_t n,
    int force, struct buf *conflicts, struct err *e)
{
	int *state = xcalloc(n + 1, sizeof *state);

	for (size_t i = 0; i < n; i++)
		if (items[i].kind != ITEM_FIREWALL)
			state[i] = revert_state(h, &items[i], conflicts);
	if (conflicts->len && !force) {
		free(state);
		return 0;
	}
	for (size_t pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n; i++) {
			const struct jitem *it = &items[i];
			if (it->original_present != (pass == 0) ||
			    it->kind == ITEM_FIREWALL || state[i] == 1)
				continue;
			if (restore(h, items, n, it, e) < 0) {
				free(state);
				return -1;
			}
		}
	free(state);
	return 0;
}

int engine_actions(const struct jitem *items, size_t n, int revert,
    int check, struct result *r, struct err *e)
{
	for (size_t i = 0; i < n; i++) {
		const struct jitem *it = &items[i];
		char *d;
		int present, rc = 0;
		if (it->kind != ITEM_FIREWALL)
			continue;
		if (firewall_present(it->want, &present, e) < 0)
			return -1;
		if (present == !revert || (revert && it->original_present))
			continue;
		d = firewall_describe(it->want);
		if (!check)
			rc = revert ? firewall_remove(it->want, e) :
			    firewall_add(it->want, e);
		result_line(r, "%s firewall rule (%s)", check ?
		    (revert ? "would remove" : "would add") :
		    (revert ? "removed" : "added"), d);
		r->changed = 1;
		free(d);
		if (rc < 0)
			return -1;
	}
	return 0;
}

char *engine_describe(const struct jitem *it, const char *value, int present)
{
	if (it->kind == ITEM_HOSTS || it->kind == ITEM_FIREWALL) {
		char *d = it->kind == ITEM_FIREWALL && value ?
		    firewall_describe(value) : xstrdup(value ? value : "");
		char *s = present ? xasprintf("%s: %s", it->name, d) :
		    xasprintf("%s (absent)", it->name);
		free(d);
		return s;
	}
	if (it->kind == ITEM_FLAG) {
		if (!present)
			return xasprintf("-%s (absent)", it->name);
		if (value == NULL)
			return xasprintf("-%s", it->name);
		char *shown = out_flag_value(it->name, value);
		char *d = xasprintf("-%s=%s", it->name, shown);
		free(shown);
		return d;
	}
	if (!present)
		return xasprintf("\"%s\" (absent)", it->name);
	return xasprintf("\"%s\": \"%s\"", it->name, value ? value : "");
}
