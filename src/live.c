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

/* A gauge's value: 0 or 1 (a trailing CR allowed), else -1; how many
 * lines name it in *count. */
static int live_gauge(const struct live_vars *v, const char *name, int *count)
{
	size_t n = strlen(name);
	int val = -1;

	*count = 0;
	for (const char *p = v->text.s; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (len > n && strncmp(p, name, n) == 0 && p[n] == ' ') {
			const char *x = p + n + 1;
			size_t xl = len - n - 1;
			if (xl && x[xl - 1] == '\r')
				xl--;
			val = xl == 1 && (*x == '0' || *x == '1') ? *x - '0' : -1;
			(*count)++;
		}
		p = nl ? nl + 1 : p + len;
	}
	return *count == 1 ? val : -1;
}

/* The lifecycle state whose gauge is 1 (malloc'd), or NULL; *on: how
 * many are. */
static char *live_lifecycle(const struct live_vars *v, int *on)
{
	static const char *const states[] = { "IDLE", "PREPARING_STORAGE",
		"STORAGE_PREPARED", "LEADER_AWAITING_REGISTRATION", "ACTIVE",
		"DEAD", NULL };
	char *state = NULL;
	int count;

	*on = 0;
	for (int i = 0; states[i]; i++) {
		char *name = xasprintf("scheduler_lifecycle_%s", states[i]);
		if (live_gauge(v, name, &count) == 1 && (*on)++ == 0)
			state = xstrdup(states[i]);
		free(name);
	}
	return state;
}

static void live_free(struct live_vars *v)
{
	buf_free(&v->text);
}

int live_is_leader(const struct live_probe *p)
{
	return p->ok && p->state && p->nstates == 1 && (strcmp(p->state, "LEADER_AWAITING_REGISTRATION") == 0 ||
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
	p->answered = 1;
	if (code != 200) {
		p->error = xasprintf("HTTP %ld", code);
		return;
	}
	if (v->text.len && memchr(v->text.s, '\0', v->text.len)) {
		p->error = xstrdup("a /vars page with a NUL byte: not a scheduler's");
		return;
	}
	buf_add(&v->text, "", 0);
	live_read_vars(p, v->text.s);
}

void live_read_vars(struct live_probe *p, const char *text)
{
	struct live_vars v = { { (char *)text, strlen(text), 0 } };

	p->ok = 1;
	p->state = live_lifecycle(&v, &p->nstates);
	p->registered = live_gauge(&v, "framework_registered", &p->nregistered);
}

char *live_not_registered(const struct live_probe *p)
{
	if (!p->ok)
		return xasprintf("cannot read /vars: %s", p->error);
	if (p->nstates != 1)
		return xasprintf("/vars has %d scheduler_lifecycle gauges at 1 (want exactly one)", p->nstates);
	if (p->nregistered != 1)
		return xasprintf("/vars has %d framework_registered lines (want exactly one)", p->nregistered);
	if (p->registered != 0)
		return xstrdup(p->registered == 1 ?
		    "framework_registered is 1: the scheduler is registered with Mesos" :
		    "framework_registered is neither 0 nor 1");
	if (strcmp(p->state, "ACTIVE") == 0)
		return xstrdup("lifecycle ACTIVE: the scheduler is registered with Mesos");
	return NULL;
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
