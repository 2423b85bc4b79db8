#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "augx.h"
#include "clusters.h"
#include "hostfile.h"

/* ---- clusters.json ---- */

static char *json_decode(const char *escaped)
{
	char *q = xasprintf("\"%s\"", escaped);
	json_t *j = json_loads(q, JSON_DECODE_ANY, NULL);
	char *s = j && json_is_string(j) ? xstrdup(json_string_value(j)) : NULL;

	json_decref(j);
	free(q);
	return s;
}

/* The JSON text of a string, without its quotes; NULL when the value is
 * not UTF-8 (JSON cannot hold it). */
static char *json_encode(const char *value)
{
	json_t *j = json_string(value);
	char *s = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
	char *r = s ? xstrndup(s + 1, strlen(s) - 2) : NULL;

	free(s);
	json_decref(j);
	return r;
}

/* ---- the cluster's object in clusters.json, found without Augeas ---- */

static const char *skip_ws(const char *p)
{
	return p + strspn(p, " \t\r\n");
}

static const char *skip_string(const char *p)
{
	for (p++; *p && *p != '"'; p++)
		if (*p == '\\' && p[1])
			p++;
	return *p ? p + 1 : p;
}

/* The end of the value at p, in text already found to be valid JSON. */
static const char *skip_value(const char *p)
{
	int depth = 0;

	do {
		p = skip_ws(p);
		if (*p == '"')
			p = skip_string(p);
		else if (*p == '{' || *p == '[')
			depth++, p++;
		else if (*p == '}' || *p == ']')
			depth--, p++;
		else if (*p == ',' || *p == ':')
			p++;
		else if (*p)
			p += strcspn(p, " \t\r\n,:]}");
	} while (depth > 0 && *p);
	return p;
}

/* Is the object text[0..n) the entry of cluster (its "name")? */
static int names(const char *text, size_t n, const char *cluster)
{
	json_t *o = json_loadb(text, n, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	const char *name = json_string_value(json_object_get(o, "name"));
	int yes = name && strcmp(name, cluster) == 0;

	json_decref(o);
	return yes;
}

/* The cluster's objects, as the client finds them: elements of a top
 * list, or values of a top object, whose "name" is the cluster. The first
 * one's byte range in *off, *len, the second one's start in *again; the
 * count is returned. */
static int find_objects(const char *text, const char *cluster, size_t *off,
    size_t *len, size_t *again)
{
	const char *p = skip_ws(text), *v, *end;
	char top = *p;
	int n = 0;

	if (top != '[' && top != '{')
		return 0;
	for (p = skip_ws(p + 1); *p && *p != ']' && *p != '}'; p = skip_ws(p)) {
		v = p;
		if (top == '{')
			v = skip_ws(skip_ws(skip_string(p)) + 1);
		end = skip_value(v);
		if (*v == '{' && names(v, end - v, cluster)) {
			if (n == 0) {
				*off = v - text;
				*len = end - v;
			} else if (n == 1)
				*again = v - text;
			n++;
		}
		p = skip_ws(end);
		if (*p == ',')
			p++;
	}
	return n;
}

/* The entry's parse error again, with the entry preceded by blanks where
 * the file has text, so that its line and char are the file's. */
static int parse_error_in_place(struct host *h, struct hfile *f, struct err *e)
{
	struct buf b = BUF_INIT;
	struct err first = *e;

	for (size_t i = 0; i < f->slice; i++)
		buf_add(&b, f->text.s[i] == '\n' ? "\n" : " ", 1);
	buf_add(&b, f->text.s + f->slice, f->slice_len);
	buf_adds(&b, "");
	e->code = 0;
	if (augx_parse(h->aug, f->lens, b.s, NULL, f->tree, f->path, e) == 0)
		*e = first;
	aug_rm(h->aug, f->tree);
	buf_free(&b);
	return -1;
}

/* The line of byte off in text. */
static int line_at(const char *text, size_t off)
{
	int line = 1;

	for (size_t i = 0; i < off; i++)
		line += text[i] == '\n';
	return line;
}

static int find_entry(struct host *h, struct hfile *f, char **entry,
    struct err *e)
{
	size_t off = 0, len = 0, again = 0;
	int n = find_objects(f->text.s ? f->text.s : "", h->cluster, &off, &len,
	    &again);
	char *obj;

	*entry = NULL;
	if (n > 1)
		return errf(e, EXIT_DATA, "%s: line %d: cluster \"%s\" is defined %d times",
		    f->path, line_at(f->text.s, again), h->cluster, n);
	if (n == 0)
		return 0;
	f->sliced = 1;
	f->slice = off;
	f->slice_len = len;
	obj = xstrndup(f->text.s + off, len);
	n = augx_parse(h->aug, f->lens, obj, NULL, f->tree, f->path, e);
	free(obj);
	if (n < 0)
		return parse_error_in_place(h, f, e);
	*entry = xasprintf("%s/dict", f->tree);
	return 0;
}

/* The Aurora client reads clusters.json with a strict JSON parser; our
 * lens takes a little more (bytes that are not UTF-8, bad \u escapes,
 * leading zeros), which could not be written back faithfully. */
static int check_json(const struct hfile *f, struct err *e)
{
	json_error_t je;
	json_t *j = json_loadb(f->text.s ? f->text.s : "", f->text.len,
	    JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL | JSON_ALLOW_NUL, &je);
	char *near;

	if (j) {
		json_decref(j);
		return 0;
	}
	if ((near = strstr(je.text, " near '")) != NULL)
		*near = '\0';
	return errf(e, EXIT_DATA, "%s: line %d: not valid JSON: %s", f->path,
	    je.line, je.text);
}

/* Strict JSON, or the error the lens gives for the whole file (it names
 * the place as Json.lns does), else the JSON parser's. */
static int check_clusters(struct host *h, struct hfile *f, struct err *e)
{
	struct err le = { 0, "" };

	if (check_json(f, e) == 0)
		return 0;
	if (host_file_parse(h, f, &le) < 0)
		*e = le;
	aug_rm(h->aug, f->tree);
	return -1;
}

int clusters_load(struct host *h, struct err *e)
{
	char *paths[2] = { NULL, NULL };
	int np = 0, rc = 0;
	const char *flag;

	if (h->set->cluster)
		h->cluster = xstrdup(h->set->cluster);
	else if ((flag = host_flag_value(h, "cluster_name")) != NULL && *flag)
		h->cluster = xstrdup(flag);
	else
		return errf(e, EXIT_DATA, "%s: no -cluster_name; give --cluster",
		    h->files[0]->path);

	if (h->set->clusters_file)
		paths[np++] = xstrdup(h->set->clusters_file);
	else {
		paths[np++] = xasprintf("%s/clusters.json",
		    h->set->aurora_config_root ? h->set->aurora_config_root : "/etc/aurora");
		if (h->set->home)
			paths[np++] = xasprintf("%s/.aurora/clusters.json", h->set->home);
	}
	for (int i = 0; rc == 0 && i < np; i++) {
		struct hfile *f;
		char *entry = NULL;
		if (!host_file_exists(h, paths[i]) && !h->set->clusters_file)
			continue;
		f = host_file_new(h, paths[i], ROLE_CLUSTERS, "AuroraClusters.lns", e);
		if (f == NULL || check_clusters(h, f, e) < 0 ||
		    find_entry(h, f, &entry, e) < 0) {
			rc = -1;
			break;
		}
		if (entry) {
			free(h->centry);
			h->centry = entry;
			h->clusters = f;
		}
	}
	if (rc == 0 && h->clusters == NULL) {
		char *note = root_link_note(h->set->root, paths[0]);
		if (!note && np == 2)
			note = root_link_note(h->set->root, paths[1]);
		if (np == 2)
			rc = errf(e, EXIT_DATA, "cluster \"%s\" is not in %s nor %s%s",
			    h->cluster, paths[0], paths[1], note ? note : "");
		else
			rc = errf(e, EXIT_DATA, "cluster \"%s\" is not in %s%s",
			    h->cluster, paths[0], note ? note : "");
		free(note);
	}
	for (int i = 0; i < np; i++)
		free(paths[i]);
	return rc;
}

/* ---- cluster entry ---- */

static char *entry_node(const struct host *h, const char *key)
{
	char **m, *q = xasprintf("%s/entry[. = '%s']", h->centry, key);
	int n = augx_match(h->aug, q, &m);
	char *r = n > 0 ? xstrdup(m[n - 1]) : NULL;

	free(q);
	augx_free_matches(m, n);
	return r;
}

char *host_cluster_get(const struct host *h, const char *key)
{
	char *node = entry_node(h, key), *q, *r = NULL;
	const char *v;

	if (node == NULL)
		return NULL;
	q = xasprintf("%s/string", node);
	if ((v = augx_get(h->aug, q)) != NULL)
		r = json_decode(v);
	free(q);
	if (r == NULL) {
		q = xasprintf("%s/*", node);
		v = augx_get(h->aug, q);
		r = xstrdup(v ? v : "");
		free(q);
	}
	free(node);
	return r;
}

static int set_entry_string(struct host *h, const char *node,
    const char *value, struct err *e)
{
	char *q, *enc = json_encode(value), **m, *all;
	int n, rc;

	if (enc == NULL)
		return errf(e, EXIT_DATA, "%s: \"%s\" is not UTF-8 text: it cannot go into JSON",
		    h->clusters->path, value);
	q = xasprintf("%s/string", node);
	all = xasprintf("%s/*", node);
	n = augx_match(h->aug, all, &m);
	for (int i = 0; i < n; i++)
		if (strcmp(augx_label(h->aug, m[i]), "string") != 0)
			aug_rm(h->aug, m[i]);
	augx_free_matches(m, n);
	rc = augx_set(h->aug, q, enc, e);
	free(q);
	free(all);
	free(enc);
	return rc;
}

int host_cluster_set(struct host *h, const char *key, const char *value,
    const char *rename_from, struct err *e)
{
	char *node = entry_node(h, key);
	int rc;

	if (node == NULL && rename_from && (node = entry_node(h, rename_from)))
		aug_set(h->aug, node, key);
	if (node == NULL) {
		node = xasprintf("%s/entry[last()+1]", h->centry);
		if (augx_set(h->aug, node, key, e) < 0) {
			free(node);
			return -1;
		}
		free(node);
		node = entry_node(h, key);
	}
	rc = set_entry_string(h, node, value, e);
	free(node);
	return rc;
}

int host_cluster_remove(struct host *h, const char *key, struct err *e)
{
	char *node;

	while ((node = entry_node(h, key)) != NULL) {
		aug_rm(h->aug, node);
		free(node);
	}
	return 0;
}
