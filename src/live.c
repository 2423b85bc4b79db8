#include "curlx.h"
#include <stdlib.h>
#include <string.h>
#include "live.h"

#define MAX_VARS_BYTES (16 * 1024 * 1024)

static size_t on_data(char *p, size_t size, size_t n, void *ctx)
{
	struct buf *b = ctx;

	if (b->len + size * n > MAX_VARS_BYTES)
		return 0;
	buf_add(b, p, size * n);
	return size * n;
}

static char *vars_url(const char *base_url)
{
	size_t n = strlen(base_url);

	return xasprintf("%s%s", base_url, n && base_url[n - 1] == '/' ? "vars" : "/vars");
}

static void vars_options(CURL *c, const char *url, double timeout,
    int insecure, struct buf *out)
{
	curlx_common(c, url, timeout, insecure);
	curlx.easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curlx.easy_setopt(c, CURLOPT_WRITEDATA, out);
}

/* The text of one /vars page, "name value" lines. */
struct live_vars {
	struct buf text;
};

/* The value of a var (malloc'd), or NULL. */
static char *live_var(const struct live_vars *v, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = v->text.s; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (len > n && strncmp(p, name, n) == 0 && p[n] == ' ')
			return xstrndup(p + n + 1, len - n - 1);
		p = nl ? nl + 1 : p + len;
	}
	return NULL;
}

/* The lifecycle state whose gauge is 1 (malloc'd), or NULL. */
static char *live_lifecycle(const struct live_vars *v)
{
	static const char *const states[] = { "IDLE", "PREPARING_STORAGE",
		"STORAGE_PREPARED", "LEADER_AWAITING_REGISTRATION", "ACTIVE",
		"DEAD", NULL };

	for (int i = 0; states[i]; i++) {
		char *name = xasprintf("scheduler_lifecycle_%s", states[i]);
		char *val = live_var(v, name);
		int on = val && strcmp(val, "1") == 0;
		free(name);
		free(val);
		if (on)
			return xstrdup(states[i]);
	}
	return NULL;
}

static void live_free(struct live_vars *v)
{
	buf_free(&v->text);
}

int live_is_leader(const struct live_probe *p)
{
	return p->ok && p->state && (strcmp(p->state, "LEADER_AWAITING_REGISTRATION") == 0 ||
	    strcmp(p->state, "ACTIVE") == 0);
}

static void read_probe(struct live_probe *p, struct live_vars *v, CURL *c,
    CURLcode rc)
{
	long code = 0;

	if (rc == CURLE_OK)
		curlx.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	if (rc != CURLE_OK) {
		p->error = xstrdup(curlx.easy_strerror(rc));
		return;
	}
	if (code != 200) {
		p->error = xasprintf("HTTP %ld", code);
		return;
	}
	buf_add(&v->text, "", 0);
	live_read_vars(p, v->text.s);
}

void live_read_vars(struct live_probe *p, const char *text)
{
	struct live_vars v = { { (char *)text, strlen(text), 0 } };
	char *reg;

	p->ok = 1;
	p->state = live_lifecycle(&v);
	reg = live_var(&v, "framework_registered");
	p->registered = reg ? atoi(reg) != 0 : -1;
	free(reg);
}

int live_probe_all(char *const *urls, size_t n, double timeout,
    int insecure, struct live_probe *p, struct err *e)
{
	CURLM *m;
	CURL **h = xcalloc(n + 1, sizeof *h);
	struct live_vars *v = xcalloc(n + 1, sizeof *v);
	char **full = xcalloc(n + 1, sizeof *full);
	int running = 1, left;
	CURLMsg *msg;

	memset(p, 0, n * sizeof *p);
	if (curlx_load(e) < 0 || (m = curlx.multi_init()) == NULL) {
		free(h), free(v), free(full);
		return errf(e, EXIT_FAIL, "cannot start libcurl");
	}
	for (size_t i = 0; i < n; i++) {
		p[i].url = xstrdup(urls[i]);
		p[i].registered = -1;
		full[i] = vars_url(urls[i]);
		h[i] = curlx.easy_init();
		vars_options(h[i], full[i], timeout, insecure, &v[i].text);
		curlx.easy_setopt(h[i], CURLOPT_PRIVATE, (char *)&p[i]);
		curlx.multi_add_handle(m, h[i]);
	}
	while (running) {
		if (curlx.multi_perform(m, &running) != CURLM_OK)
			break;
		while ((msg = curlx.multi_info_read(m, &left)) != NULL) {
			size_t i;
			if (msg->msg != CURLMSG_DONE)
				continue;
			for (i = 0; i < n && h[i] != msg->easy_handle; i++)
				;
			if (i < n)
				read_probe(&p[i], &v[i], h[i], msg->data.result);
		}
		if (running)
			curlx.multi_poll(m, NULL, 0, 100, NULL);
	}
	for (size_t i = 0; i < n; i++) {
		if (!p[i].ok && p[i].error == NULL)
			p[i].error = xstrdup("no answer");
		curlx.multi_remove_handle(m, h[i]);
		curlx.easy_cleanup(h[i]);
		live_free(&v[i]);
		free(full[i]);
	}
	curlx.multi_cleanup(m);
	free(h);
	free(v);
	free(full);
	return 0;
}

void live_probes_free(struct live_probe *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(p[i].url);
		free(p[i].state);
		free(p[i].error);
	}
}
