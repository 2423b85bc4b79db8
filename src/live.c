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

int live_fetch_vars(const char *base_url, double timeout,
    struct live_vars *v, struct err *e)
{
	CURL *c;
	char *url;
	long code = 0;
	CURLcode rc;
	size_t n = strlen(base_url);

	memset(v, 0, sizeof *v);
	if (curlx_load(e) < 0)
		return -1;
	if ((c = curlx.easy_init()) == NULL)
		return errf(e, EXIT_FAIL, "cannot start libcurl");
	url = xasprintf("%s%s", base_url, n && base_url[n - 1] == '/' ? "vars" : "/vars");
	curlx.easy_setopt(c, CURLOPT_URL, url);
	curlx.easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)(timeout * 1000));
	curlx.easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)(timeout * 1000));
	curlx.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curlx.easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curlx.easy_setopt(c, CURLOPT_WRITEDATA, &v->text);
	curlx.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	rc = curlx.easy_perform(c);
	if (rc == CURLE_OK)
		curlx.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curlx.easy_cleanup(c);
	buf_add(&v->text, "", 0);
	if (rc != CURLE_OK)
		errf(e, EXIT_FAIL, "%s: %s", url, curlx.easy_strerror(rc));
	else if (code != 200)
		errf(e, EXIT_FAIL, "%s: HTTP %ld", url, code);
	free(url);
	return rc == CURLE_OK && code == 200 ? 0 : -1;
}

char *live_var(const struct live_vars *v, const char *name)
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

char *live_lifecycle(const struct live_vars *v)
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

void live_free(struct live_vars *v)
{
	buf_free(&v->text);
}
