#include <dlfcn.h>
#include <limits.h>
#include <stdlib.h>
#include "buf.h"
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "curlx.h"

struct curlx curlx;
static void *lib;

int curlx_load(struct err *e)
{
	static const struct { const char *name; size_t off; } syms[] = {
		{ "curl_easy_init", offsetof(struct curlx, easy_init) },
		{ "curl_easy_setopt", offsetof(struct curlx, easy_setopt) },
		{ "curl_easy_perform", offsetof(struct curlx, easy_perform) },
		{ "curl_easy_getinfo", offsetof(struct curlx, easy_getinfo) },
		{ "curl_easy_cleanup", offsetof(struct curlx, easy_cleanup) },
		{ "curl_easy_strerror", offsetof(struct curlx, easy_strerror) },
		{ "curl_slist_append", offsetof(struct curlx, slist_append) },
		{ "curl_slist_free_all", offsetof(struct curlx, slist_free_all) },
		{ "curl_multi_init", offsetof(struct curlx, multi_init) },
		{ "curl_multi_add_handle", offsetof(struct curlx, multi_add_handle) },
		{ "curl_multi_remove_handle", offsetof(struct curlx, multi_remove_handle) },
		{ "curl_multi_perform", offsetof(struct curlx, multi_perform) },
		{ "curl_multi_poll", offsetof(struct curlx, multi_poll) },
		{ "curl_multi_info_read", offsetof(struct curlx, multi_info_read) },
		{ "curl_multi_cleanup", offsetof(struct curlx, multi_cleanup) },
		{ "curl_url", offsetof(struct curlx, url) },
		{ "curl_url_set", offsetof(struct curlx, url_set) },
		{ "curl_url_get", offsetof(struct curlx, url_get) },
		{ "curl_url_cleanup", offsetof(struct curlx, url_cleanup) },
		{ "curl_free", offsetof(struct curlx, free) },
	};
	CURLcode (*global_init)(long);

	if (lib)
		return 0;
	if ((lib = dlopen(CURL_SONAME, RTLD_NOW | RTLD_LOCAL)) == NULL)
		return errf(e, EXIT_FAIL, "cannot load %s: %s", CURL_SONAME, dlerror());
	for (size_t i = 0; i < sizeof syms / sizeof syms[0]; i++) {
		void *f = dlsym(lib, syms[i].name);
		if (f == NULL) {
			dlclose(lib);
			lib = NULL;
			return errf(e, EXIT_FAIL, "%s has no %s", CURL_SONAME, syms[i].name);
		}
		*(void **)((char *)&curlx + syms[i].off) = f;
	}
	global_init = (CURLcode (*)(long))dlsym(lib, "curl_global_init");
	if (global_init)
		global_init(CURL_GLOBAL_DEFAULT);
	return 0;
}

long curlx_ms(double seconds)
{
	double ms = seconds * 1000;
	long whole;

	if (!(ms > 1))
		return 1;
	if (ms >= (double)LONG_MAX)
		return LONG_MAX;
	whole = (long)ms;
	return whole < ms ? whole + 1 : whole;
}

void curlx_common(CURL *h, const char *url, double timeout, int insecure)
{
	curlx.easy_setopt(h, CURLOPT_URL, url);
	curlx.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curlx.easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, curlx_ms(timeout));
	curlx.easy_setopt(h, CURLOPT_TIMEOUT_MS, curlx_ms(timeout));
	curlx.easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curlx.easy_setopt(h, CURLOPT_SSL_VERIFYPEER, insecure ? 0L : 1L);
	curlx.easy_setopt(h, CURLOPT_SSL_VERIFYHOST, insecure ? 0L : 2L);
}

void curlx_netrc(CURL *h, const char *netrc)
{
	if (netrc) {
		curlx.easy_setopt(h, CURLOPT_NETRC, (long)CURL_NETRC_OPTIONAL);
		curlx.easy_setopt(h, CURLOPT_NETRC_FILE, netrc);
	}
}

static CURLU *parse(const char *url)
{
	CURLU *u;

	if (curlx_load(NULL) < 0 || (u = curlx.url()) == NULL)
		return NULL;
	if (curlx.url_set(u, CURLUPART_URL, url, CURLU_GUESS_SCHEME) == CURLUE_OK)
		return u;
	curlx.url_cleanup(u);
	return NULL;
}

static int has_part(CURLU *u, CURLUPart part)
{
	char *v = NULL;
	int has = curlx.url_get(u, part, &v, 0) == CURLUE_OK && v != NULL;

	curlx.free(v);
	return has;
}

int curlx_url_check(const char *url)
{
	CURLU *u = parse(url);
	int ret = CURLX_URL_OK;

	if (u == NULL)
		return CURLX_URL_BAD;
	if (has_part(u, CURLUPART_USER) || has_part(u, CURLUPART_PASSWORD) ||
	    has_part(u, CURLUPART_OPTIONS))
		ret = CURLX_URL_USERINFO;
	curlx.url_cleanup(u);
	return ret;
}

char *curlx_shown(const char *url)
{
	int kind = curlx_url_check(url);
	CURLU *u;
	char *clean = NULL, *ret;

	if (kind == CURLX_URL_OK)
		return xstrdup(url);
	if (kind == CURLX_URL_BAD)
		return xstrdup(strchr(url, '@') ? "an address libcurl cannot read" : url);
	u = parse(url);
	curlx.url_set(u, CURLUPART_USER, NULL, 0);
	curlx.url_set(u, CURLUPART_PASSWORD, NULL, 0);
	curlx.url_set(u, CURLUPART_OPTIONS, NULL, 0);
	if (curlx.url_get(u, CURLUPART_URL, &clean, 0) == CURLUE_OK)
		ret = xasprintf("%s (its user name and password left out)", clean);
	else
		ret = xstrdup("an address with a user name or password");
	curlx.free(clean);
	curlx.url_cleanup(u);
	return ret;
}

char *curlx_endpoint(const char *url)
{
	CURLU *u = parse(url);
	char *scheme = NULL, *host = NULL, *port = NULL, *ret = NULL;

	if (u == NULL)
		return NULL;
	if (curlx.url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    curlx.url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    curlx.url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK)
		ret = xasprintf("%s://%s:%s", scheme, host, port);
	curlx.free(scheme);
	curlx.free(host);
	curlx.free(port);
	curlx.url_cleanup(u);
	return ret;
}

void curlx_header(const char *p, size_t len, long *status, char *location,
    size_t locsize)
{
	size_t i = 0, v;
	long code = 0;

	if (len > 9 && strncmp(p, "HTTP/", 5) == 0) {
		while (i < len && p[i] != ' ')
			i++;
		while (i < len && p[i] == ' ')
			i++;
		for (v = i; i < len && i < v + 3 && p[i] >= '0' && p[i] <= '9'; i++)
			code = code * 10 + (p[i] - '0');
		if (i == v + 3) {
			*status = code == 100 ? 0 : code;
			location[0] = '\0';
		}
	} else if (len > 10 && strncasecmp(p, "Location:", 9) == 0) {
		for (i = 9; i < len && p[i] == ' '; i++)
			;
		for (v = i; v < len && p[v] != '\r' && p[v] != '\n'; v++)
			;
		snprintf(location, locsize, "%.*s", (int)(v - i), p + i);
	}
}
