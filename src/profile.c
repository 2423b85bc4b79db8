#include <arpa/inet.h>
#include <errno.h>
#include <libconfig.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "buf.h"
#include "flagcat.h"
#include "profile.h"
#include "settings.h"

static const char *const vars[] = { "host", "hostname", "ip", "http_port",
    "cluster", NULL };
static const char *const cluster_keys[] = { "name", "zk", "zk_port",
    "scheduler_zk_path", "scheduler_uri", "proxy_url", "auth_mechanism",
    "slave_root", "slave_run_directory", "docker_registry", NULL };
static const char *const backends[] = { "auto", "nftables", "iptables", NULL };

/* The profile being loaded, and the text it was parsed from. */
struct ctx {
	struct profile *p;
	struct err *e;
	const char *text;
};

static int one_of(const char *s, size_t len, const char *const *list)
{
	for (int i = 0; list[i]; i++)
		if (strlen(list[i]) == len && strncmp(list[i], s, len) == 0)
			return i;
	return -1;
}

static int line_has(const char *text, int line, const char *needle)
{
	const char *end;

	for (; line > 1 && text; line--)
		if ((text = strchr(text, '\n')) != NULL)
			text++;
	if (text == NULL)
		return 0;
	end = text + strcspn(text, "\n");
	return memmem(text, (size_t)(end - text), needle, strlen(needle)) != NULL;
}

/*
 * The line of a setting. libconfig dates a string in a list by the token
 * after it (another string might follow and be joined to it), so the last
 * entry of a list closed on a later line gets the bracket's line: look
 * back for the quoted string, no further than the entry before it.
 */
static int line_of(struct ctx *c, const config_setting_t *s)
{
	int line = config_setting_source_line(s);
	const config_setting_t *parent = config_setting_parent(s);
	const char *v = config_setting_get_string(s);
	int floor, i = config_setting_index(s);
	char *quoted;

	if (v == NULL || parent == NULL || config_setting_is_group(parent) ||
	    config_setting_source_file(s) != NULL)
		return line;
	floor = config_setting_source_line(i > 0 ?
	    config_setting_get_elem(parent, (unsigned)i - 1) : parent);
	quoted = xasprintf("\"%s\"", v);
	for (int l = line; l >= floor && l > 0; l--) {
		if (line_has(c->text, l, quoted)) {
			line = l;
			break;
		}
	}
	free(quoted);
	return line;
}

static char *place(struct ctx *c, const config_setting_t *s)
{
	const char *file = config_setting_source_file(s);

	return xasprintf("%s:%d", file ? file : c->p->path, line_of(c, s));
}

static int fail(struct ctx *c, const config_setting_t *s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(struct ctx *c, const config_setting_t *s, const char *fmt, ...)
{
	char msg[900];
	char *at = place(c, s);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	errf(c->e, EXIT_CONFIG, "%s: %s", at, msg);
	free(at);
	return -1;
}

static void warn(struct ctx *c, const config_setting_t *s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void warn(struct ctx *c, const config_setting_t *s, const char *fmt, ...)
{
	struct profile *p = c->p;
	char msg[900];
	char *at = place(c, s);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	p->warnings = xrealloc(p->warnings, (p->nwarnings + 1) * sizeof *p->warnings);
	p->warnings[p->nwarnings++] = xasprintf("%s: %s", at, msg);
	free(at);
}

static void push_kv(struct profile_kv **kv, size_t *n, const char *name,
    char *value, int line)
{
	*kv = xrealloc(*kv, (*n + 1) * sizeof **kv);
	(*kv)[*n].name = xstrdup(name);
	(*kv)[*n].value = value;
	(*kv)[*n].line = line;
	(*n)++;
}

static const struct profile_kv *find_kv(const struct profile_kv *kv, size_t n,
    const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(kv[i].name, name) == 0)
			return &kv[i];
	return NULL;
}

static const char *var_value(const struct profile_vars *v, int i)
{
	const char *values[] = { v->host, v->hostname, v->ip, v->http_port,
	    v->cluster };

	return values[i];
}

/*
 * Walk a template, appending its expansion to out. Without v, variables are
 * only checked by name and copied as they are. Returns how many variables
 * the template uses, or -1.
 */
static int expand(const char *tmpl, const struct profile_vars *v,
    struct buf *out, struct err *e)
{
	int nvars = 0;

	for (const char *p = tmpl; *p; p++) {
		const char *name = p + 2, *end;
		const char *val;
		int i;

		if (*p != '$') {
			buf_add(out, p, 1);
			continue;
		}
		if (p[1] == '$') {
			buf_add(out, "$", 1);
			p++;
			continue;
		}
		if (p[1] != '{')
			return errf(e, EXIT_CONFIG, "\"%s\": a lone \"$\" (write \"$$\" for a dollar sign)", tmpl);
		if ((end = strchr(name, '}')) == NULL)
			return errf(e, EXIT_CONFIG, "\"%s\": \"${\" without \"}\"", tmpl);
		if ((i = one_of(name, (size_t)(end - name), vars)) < 0)
			return errf(e, EXIT_CONFIG, "unknown variable ${%.*s} (expected host, hostname, ip, http_port or cluster)", (int)(end - name), name);
		nvars++;
		if (v == NULL) {
			buf_add(out, p, (size_t)(end + 1 - p));
		} else {
			val = var_value(v, i);
			if (val == NULL || *val == '\0')
				return errf(e, EXIT_CONFIG, "${%s} has no value on this host", vars[i]);
			buf_adds(out, val);
		}
		p = end;
	}
	return nvars;
}

char *profile_expand(const char *tmpl, const struct profile_vars *v,
    struct err *e)
{
	struct buf out = BUF_INIT;

	if (expand(tmpl, v, &out, e) < 0) {
		buf_free(&out);
		return NULL;
	}
	return buf_detach(&out);
}

/* Check the template in s; *nvars (when asked) says how many variables it uses. */
static int check_template(struct ctx *c, const config_setting_t *s,
    const char *what, const char *tmpl, int *nvars)
{
	struct buf out = BUF_INIT;
	struct err e = { 0, "" };
	int n = expand(tmpl, NULL, &out, &e);

	buf_free(&out);
	if (n < 0)
		return fail(c, s, "%s: %s", what, e.msg);
	if (nvars)
		*nvars = n;
	return 0;
}

/* A scalar as the text a flag file or clusters.json would hold, else NULL. */
static char *scalar_text(const config_setting_t *s)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_STRING:
		return xstrdup(config_setting_get_string(s));
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		return xasprintf("%lld", config_setting_get_int64(s));
	case CONFIG_TYPE_BOOL:
		return xstrdup(config_setting_get_bool(s) ? "true" : "false");
	}
	return NULL;
}

static const char *get_string(struct ctx *c, const config_setting_t *s,
    const char *what)
{
	const char *v = config_setting_get_string(s);

	if (v == NULL)
		fail(c, s, "%s must be a string", what);
	return v;
}

static int get_bool(struct ctx *c, const config_setting_t *s,
    const char *what, int *out)
{
	if (config_setting_type(s) != CONFIG_TYPE_BOOL)
		return fail(c, s, "%s must be true or false (unquoted)", what);
	*out = config_setting_get_bool(s);
	return 0;
}

static int is_group(struct ctx *c, const config_setting_t *s, const char *what)
{
	if (!config_setting_is_group(s))
		return fail(c, s, "%s must be a group: { ... }", what);
	return 0;
}

static int is_list(struct ctx *c, const config_setting_t *s, const char *what)
{
	if (!config_setting_is_array(s) && !config_setting_is_list(s))
		return fail(c, s, "%s must be a list of strings: [ \"...\", ... ]", what);
	return 0;
}

static int is_word(const char *s)
{
	return *s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") == strlen(s);
}

static int load_flag_set(struct ctx *c, config_setting_t *s)
{
	const char *name = config_setting_name(s);
	const struct flag_info *f = flagcat_find(name);
	struct err e = { 0, "" };
	char *value, *plain;
	int nvars, rc;

	if (f == NULL)
		return fail(c, s, "unknown scheduler flag \"%s\"", name);
	if ((value = scalar_text(s)) == NULL)
		return fail(c, s, "%s: a flag's value must be a string, an integer or a boolean", name);
	push_kv(&c->p->flag_set, &c->p->nflag_set, name, value, line_of(c, s));
	if (strchr(value, '\n'))
		return fail(c, s, "%s: a flag's value may not hold a newline", name);
	if (check_template(c, s, name, value, &nvars) < 0)
		return -1;
	if (nvars > 0)
		return 0;
	plain = profile_expand(value, NULL, &e);
	rc = flagcat_check_value(f, plain, &e);
	if (rc == 0 && strcmp(name, "http_port") == 0 && !settings_port_ok(plain))
		rc = errf(&e, EXIT_CONFIG, "\"%s\" is not a port number (1 to 65535)", plain);
	free(plain);
	if (rc < 0)
		return fail(c, s, "%s: %s", name, e.msg);
	return 0;
}

/* "http://...": a letter, then letters, digits, "+", "-" or ".", then "://". */
static int has_scheme(const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");

	return n > 0 && strchr("0123456789+.-", s[0]) == NULL &&
	    strncmp(s + n, "://", 3) == 0;
}

/* A key of clusters.json that a profile may set or remove. */
static int check_cluster_key(struct ctx *c, const config_setting_t *s,
    const char *name)
{
	if (strcmp(name, "name") == 0)
		return fail(c, s, "cluster: \"name\" may not be set or removed (it picks the cluster)");
	if (one_of(name, strlen(name), cluster_keys) < 0)
		return fail(c, s, "unknown cluster key \"%s\" (expected zk, zk_port, scheduler_zk_path, scheduler_uri, proxy_url, auth_mechanism, slave_root, slave_run_directory or docker_registry)", name);
	return 0;
}

static int load_cluster_set(struct ctx *c, config_setting_t *s)
{
	const char *name = config_setting_name(s);
	char *value;

	if (check_cluster_key(c, s, name) < 0)
		return -1;
	if (strcmp(name, "zk_port") == 0) {
		if (config_setting_type(s) != CONFIG_TYPE_INT &&
		    config_setting_type(s) != CONFIG_TYPE_INT64)
			return fail(c, s, "cluster: zk_port must be an integer");
	} else if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		return fail(c, s, "cluster: %s must be a string", name);
	}
	value = scalar_text(s);
	push_kv(&c->p->cluster_set, &c->p->ncluster_set, name, value,
	    line_of(c, s));
	if (strcmp(name, "zk_port") == 0 && !settings_port_ok(value))
		return fail(c, s, "cluster: zk_port %s is not a port number (1 to 65535)", value);
	if (strcmp(name, "scheduler_uri") == 0 && !has_scheme(value))
		return fail(c, s, "cluster: scheduler_uri \"%s\" does not start with a scheme (http:// or https://)", value);
	return check_template(c, s, name, value, NULL);
}

/* Removing a flag outside the catalogue is allowed, with a warning. */
static int check_flag_removal(struct ctx *c, const config_setting_t *s,
    const char *name)
{
	const struct flag_info *f;

	if (!is_word(name))
		return fail(c, s, "flags.remove: \"%s\" is not a flag name (write it without the dash)", name);
	if ((f = flagcat_find(name)) == NULL)
		warn(c, s, "unknown scheduler flag \"%s\" (not in Aurora 0.22), removing it anyway", name);
	else if (f->required)
		warn(c, s, "removing \"%s\", which the scheduler requires: it will not start without it", name);
	return 0;
}

static int load_remove(struct ctx *c, config_setting_t *list, int cluster)
{
	struct profile *p = c->p;
	const char *what = cluster ? "cluster.remove" : "flags.remove";
	struct profile_kv **kv = cluster ? &p->cluster_remove : &p->flag_remove;
	size_t *n = cluster ? &p->ncluster_remove : &p->nflag_remove;

	if (is_list(c, list, what) < 0)
		return -1;
	for (int i = 0; i < config_setting_length(list); i++) {
		config_setting_t *s = config_setting_get_elem(list, i);
		const char *name = config_setting_get_string(s);

		if (name == NULL)
			return fail(c, s, "%s: entry %d is not a string", what, i + 1);
		if (find_kv(*kv, *n, name))
			return fail(c, s, "%s: \"%s\" is listed twice", what, name);
		if ((cluster ? check_cluster_key(c, s, name) :
		    check_flag_removal(c, s, name)) < 0)
			return -1;
		push_kv(kv, n, name, NULL, line_of(c, s));
	}
	return 0;
}

/* flags: { set: {...}; remove = [...]; } and the same for cluster. */
static int load_section(struct ctx *c, config_setting_t *g, int cluster)
{
	struct profile *p = c->p;
	const char *what = cluster ? "cluster" : "flags";
	const struct profile_kv *set, *remove, *kv;
	size_t nset, nremove;

	if (is_group(c, g, what) < 0)
		return -1;
	for (int i = 0; i < config_setting_length(g); i++) {
		config_setting_t *s = config_setting_get_elem(g, i);
		const char *key = config_setting_name(s);

		if (strcmp(key, "set") == 0) {
			if (is_group(c, s, cluster ? "cluster.set" : "flags.set") < 0)
				return -1;
			for (int j = 0; j < config_setting_length(s); j++) {
				config_setting_t *e = config_setting_get_elem(s, j);
				if ((cluster ? load_cluster_set(c, e) : load_flag_set(c, e)) < 0)
					return -1;
			}
		} else if (strcmp(key, "remove") == 0) {
			if (load_remove(c, s, cluster) < 0)
				return -1;
		} else {
			return fail(c, s, "unknown key \"%s\" in %s (expected set or remove)", key, what);
		}
	}
	set = cluster ? p->cluster_set : p->flag_set;
	nset = cluster ? p->ncluster_set : p->nflag_set;
	remove = cluster ? p->cluster_remove : p->flag_remove;
	nremove = cluster ? p->ncluster_remove : p->nflag_remove;
	for (size_t i = 0; i < nremove; i++)
		if ((kv = find_kv(set, nset, remove[i].name)) != NULL)
			return errf(c->e, EXIT_CONFIG, "%s:%d: %s: \"%s\" is both set (line %d) and removed",
			    p->path, remove[i].line, what, kv->name, kv->line);
	return 0;
}

static int load_hosts(struct ctx *c, config_setting_t *g)
{
	struct profile *p = c->p;
	const char *v;
	int nvars;
	unsigned char addr[16];

	if (is_group(c, g, "hosts") < 0)
		return -1;
	for (int i = 0; i < config_setting_length(g); i++) {
		config_setting_t *s = config_setting_get_elem(g, i);
		const char *key = config_setting_name(s);

		if (strcmp(key, "enable") == 0) {
			if (get_bool(c, s, "hosts.enable", &p->hosts_enabled) < 0)
				return -1;
		} else if (strcmp(key, "address") == 0) {
			if ((v = get_string(c, s, "hosts.address")) == NULL ||
			    check_template(c, s, "hosts.address", v, &nvars) < 0)
				return -1;
			if (nvars == 0 && inet_pton(AF_INET, v, addr) != 1 &&
			    inet_pton(AF_INET6, v, addr) != 1)
				return fail(c, s, "hosts.address: \"%s\" is not an IPv4 or IPv6 address", v);
			p->hosts_address = xstrdup(v);
		} else if (strcmp(key, "names") == 0) {
			if ((v = get_string(c, s, "hosts.names")) == NULL ||
			    check_template(c, s, "hosts.names", v, NULL) < 0)
				return -1;
			if (v[strspn(v, " \t")] == '\0')
				return fail(c, s, "hosts.names is empty");
			if (strpbrk(v, "\n#"))
				return fail(c, s, "hosts.names may not hold a newline or \"#\"");
			p->hosts_names = xstrdup(v);
		} else {
			return fail(c, s, "unknown key \"%s\" in hosts (expected enable, address or names)", key);
		}
	}
	return 0;
}

/* An IPv4 or IPv6 address, optionally with a /prefix length. */
static int is_peer(const char *s)
{
	char a[INET6_ADDRSTRLEN];
	unsigned char bin[16];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	int v4, bits;

	if (n >= sizeof a)
		return 0;
	memcpy(a, s, n);
	a[n] = '\0';
	v4 = inet_pton(AF_INET, a, bin) == 1;
	if (!v4 && inet_pton(AF_INET6, a, bin) != 1)
		return 0;
	if (slash == NULL)
		return 1;
	slash++;
	if (*slash == '\0' || strlen(slash) > 3 ||
	    strspn(slash, "0123456789") != strlen(slash))
		return 0;
	bits = atoi(slash);
	return bits <= (v4 ? 32 : 128);
}

static int load_firewall(struct ctx *c, config_setting_t *g)
{
	struct profile *p = c->p;
	const char *v;

	if (is_group(c, g, "firewall") < 0)
		return -1;
	for (int i = 0; i < config_setting_length(g); i++) {
		config_setting_t *s = config_setting_get_elem(g, i);
		const char *key = config_setting_name(s);

		if (strcmp(key, "enable") == 0) {
			if (get_bool(c, s, "firewall.enable", &p->firewall_enabled) < 0)
				return -1;
		} else if (strcmp(key, "backend") == 0) {
			if ((v = get_string(c, s, "firewall.backend")) == NULL)
				return -1;
			if (one_of(v, strlen(v), backends) < 0)
				return fail(c, s, "firewall.backend \"%s\" is not auto, nftables or iptables", v);
			p->firewall_backend = xstrdup(v);
		} else if (strcmp(key, "peers") == 0) {
			if (is_list(c, s, "firewall.peers") < 0)
				return -1;
			for (int j = 0; j < config_setting_length(s); j++) {
				config_setting_t *e = config_setting_get_elem(s, j);
				if ((v = config_setting_get_string(e)) == NULL)
					return fail(c, e, "firewall.peers: entry %d is not a string", j + 1);
				if (!is_peer(v))
					return fail(c, e, "firewall.peers: \"%s\" is not an IPv4 or IPv6 address or CIDR", v);
				p->firewall_peers = xrealloc(p->firewall_peers,
				    (p->nfirewall_peers + 1) * sizeof *p->firewall_peers);
				p->firewall_peers[p->nfirewall_peers++] = xstrdup(v);
			}
		} else {
			return fail(c, s, "unknown key \"%s\" in firewall (expected enable, peers or backend)", key);
		}
	}
	return 0;
}

static int load_root(struct ctx *c, config_setting_t *root)
{
	struct profile *p = c->p;
	const char *v;
	int rc = 0;

	for (int i = 0; rc == 0 && i < config_setting_length(root); i++) {
		config_setting_t *s = config_setting_get_elem(root, i);
		const char *key = config_setting_name(s);

		if (strcmp(key, "name") == 0) {
			if ((v = get_string(c, s, "name")) == NULL)
				return -1;
			if (*v == '\0' || strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") != strlen(v))
				return fail(c, s, "name \"%s\" may only hold letters, digits, \".\", \"_\" and \"-\"", v);
			p->name = xstrdup(v);
		} else if (strcmp(key, "description") == 0) {
			if ((v = get_string(c, s, "description")) == NULL)
				return -1;
			p->description = xstrdup(v);
		} else if (strcmp(key, "flags") == 0) {
			rc = load_section(c, s, 0);
		} else if (strcmp(key, "cluster") == 0) {
			rc = load_section(c, s, 1);
		} else if (strcmp(key, "hosts") == 0) {
			rc = load_hosts(c, s);
		} else if (strcmp(key, "firewall") == 0) {
			rc = load_firewall(c, s);
		} else {
			return fail(c, s, "unknown key \"%s\" (expected name, description, flags, cluster, hosts or firewall)", key);
		}
	}
	return rc;
}

/* The file for a name (NAME.conf in the first of dirs holding one) or a path. */
static char *find_profile(const char *name, const char *const *dirs,
    struct err *e)
{
	struct buf tried = BUF_INIT;

	if (strchr(name, '/'))
		return xstrdup(name);
	if (*name == '\0') {
		errf(e, EXIT_CONFIG, "profile name is empty");
		return NULL;
	}
	for (int i = 0; dirs && dirs[i]; i++) {
		char *path = xasprintf("%s/%s.conf", dirs[i], name);
		if (access(path, F_OK) == 0) {
			buf_free(&tried);
			return path;
		}
		free(path);
		buf_addf(&tried, "%s%s", i ? ", " : "", dirs[i]);
	}
	errf(e, EXIT_CONFIG, "profile \"%s\" not found in %s", name,
	    tried.len ? tried.s : "(no profile directories)");
	buf_free(&tried);
	return NULL;
}

static char *basename_less_conf(const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t n = strlen(base);

	if (n > 5 && strcmp(base + n - 5, ".conf") == 0)
		n -= 5;
	return xstrndup(base, n);
}

static int syntax_error(struct ctx *c, config_t *cfg)
{
	const char *file = config_error_file(cfg) ? config_error_file(cfg) : c->p->path;
	const char *text = config_error_text(cfg);

	if (strcmp(text, "syntax error") == 0)
		return errf(c->e, EXIT_CONFIG, "%s:%d: syntax error", file,
		    config_error_line(cfg));
	return errf(c->e, EXIT_CONFIG, "%s:%d: syntax error: %s", file,
	    config_error_line(cfg), text);
}

int profile_load(const char *name_or_path, const char *const *dirs,
    struct profile *p, struct err *e)
{
	struct ctx c = { p, e, NULL };
	char *text;
	config_t cfg;
	int rc;

	memset(p, 0, sizeof *p);
	if ((p->path = find_profile(name_or_path, dirs, e)) == NULL)
		return -1;
	if ((text = conf_read_text(p->path, "profile ", e)) == NULL ||
	    conf_check(p->path, text, e) < 0) {
		free(text);
		profile_free(p);
		return -1;
	}
	c.text = text;
	config_init(&cfg);
	if (!config_read_string(&cfg, text))
		rc = syntax_error(&c, &cfg);
	else
		rc = load_root(&c, config_root_setting(&cfg));
	config_destroy(&cfg);
	free(text);
	if (rc == 0 && p->nflag_set + p->nflag_remove + p->ncluster_set +
	    p->ncluster_remove == 0 && !p->hosts_enabled && !p->firewall_enabled)
		rc = errf(e, EXIT_CONFIG, "%s:1: the profile changes nothing (set or remove flags or cluster keys, or enable hosts or firewall)", p->path);
	if (rc < 0) {
		profile_free(p);
		return -1;
	}
	if (p->name == NULL)
		p->name = basename_less_conf(p->path);
	if (p->hosts_address == NULL)
		p->hosts_address = xstrdup("${ip}");
	if (p->hosts_names == NULL)
		p->hosts_names = xstrdup("${hostname}");
	if (p->firewall_backend == NULL)
		p->firewall_backend = xstrdup("auto");
	return 0;
}

static void free_kvs(struct profile_kv *kv, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(kv[i].name);
		free(kv[i].value);
	}
	free(kv);
}

void profile_free(struct profile *p)
{
	free(p->name);
	free(p->path);
	free(p->description);
	free_kvs(p->flag_set, p->nflag_set);
	free_kvs(p->flag_remove, p->nflag_remove);
	free_kvs(p->cluster_set, p->ncluster_set);
	free_kvs(p->cluster_remove, p->ncluster_remove);
	free(p->hosts_address);
	free(p->hosts_names);
	for (size_t i = 0; i < p->nfirewall_peers; i++)
		free(p->firewall_peers[i]);
	free(p->firewall_peers);
	free(p->firewall_backend);
	for (size_t i = 0; i < p->nwarnings; i++)
		free(p->warnings[i]);
	free(p->warnings);
	memset(p, 0, sizeof *p);
}
