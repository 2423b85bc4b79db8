#include <stdlib.h>
#include <string.h>
#include "augx.h"
#include "etchosts.h"
#include "hostfile.h"
#include "shell.h"

/* ---- /etc/hosts ---- */

#define HOSTS_PATH "/etc/hosts"

static struct hfile *hosts_file(struct host *h, struct err *e)
{
	for (size_t i = 0; i < h->nfiles; i++)
		if (h->files[i]->role == ROLE_HOSTS)
			return h->files[i];
	return host_file_add(h, HOSTS_PATH, ROLE_HOSTS, "Hosts.lns", e);
}

/* The entry nodes whose address and first name are those of line. */
static int hosts_match(struct host *h, const char *line, char ***m,
    char ***words, int *nwords, struct err *e)
{
	struct hfile *f = hosts_file(h, e);
	char *q;
	int n;

	if (f == NULL)
		return -1;
	*nwords = shell_split(line, words);
	if (*nwords < 2 || strchr(line, '\'') != NULL) {
		shell_free_words(*words, *nwords);
		return errf(e, EXIT_CONFIG, "bad /etc/hosts line \"%s\"", line);
	}
	q = xasprintf("%s/*[ipaddr = '%s'][canonical = '%s']", f->tree,
	    (*words)[0], (*words)[1]);
	n = augx_match(h->aug, q, m);
	free(q);
	return n;
}

int host_hosts_has(struct host *h, const char *line, int *present,
    struct err *e)
{
	char **m, **w;
	int nw, n = hosts_match(h, line, &m, &w, &nw, e);

	if (n < 0)
		return -1;
	*present = n > 0;
	augx_free_matches(m, n);
	shell_free_words(w, nw);
	return 0;
}

int host_hosts_add(struct host *h, const char *line, struct err *e)
{
	struct hfile *f = hosts_file(h, e);
	char **m, **w, *q, *node;
	int nw, n, rc = 0;

	if (f == NULL)
		return -1;
	q = xasprintf("%s/*", f->tree);
	n = augx_match(h->aug, q, &m);
	free(q);
	augx_free_matches(m, n);
	node = xasprintf("%s/%d", f->tree, 1000 + n);
	nw = shell_split(line, &w);
	for (int i = 0; rc == 0 && i < nw; i++) {
		char *p = xasprintf("%s/%s", node, i == 0 ? "ipaddr" :
		    i == 1 ? "canonical" : "alias[last()+1]");
		rc = augx_set(h->aug, p, w[i], e);
		free(p);
	}
	shell_free_words(w, nw);
	free(node);
	return rc;
}

int host_hosts_remove(struct host *h, const char *line, struct err *e)
{
	char **m, **w;
	int nw, n = hosts_match(h, line, &m, &w, &nw, e);

	if (n < 0)
		return -1;
	for (int i = 0; i < n; i++)
		aug_rm(h->aug, m[i]);
	augx_free_matches(m, n);
	shell_free_words(w, nw);
	return 0;
}
