/*
 * curlx.h: libcurl, opened with dlopen on first use. Linking it costs
 * about 8 ms of start-up (its TLS, LDAP and Kerberos libraries), more than
 * half the budget of apply, which never touches the network. Call
 * curlx_load() before using curlx; it is cheap after the first call.
 */
#ifndef CURLX_H
#define CURLX_H

#include <curl/curl.h>
#include "err.h"

struct curlx {
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_perform)(CURL *);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	void (*easy_cleanup)(CURL *);
	const char *(*easy_strerror)(CURLcode);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
	CURLM *(*multi_init)(void);
	CURLMcode (*multi_add_handle)(CURLM *, CURL *);
	CURLMcode (*multi_remove_handle)(CURLM *, CURL *);
	CURLMcode (*multi_perform)(CURLM *, int *);
	CURLMcode (*multi_poll)(CURLM *, struct curl_waitfd *, unsigned int, int, int *);
	CURLMsg *(*multi_info_read)(CURLM *, int *);
	CURLMcode (*multi_cleanup)(CURLM *);
	CURLU *(*url)(void);
	CURLUcode (*url_set)(CURLU *, CURLUPart, const char *, unsigned int);
	CURLUcode (*url_get)(const CURLU *, CURLUPart, char **, unsigned int);
	void (*url_cleanup)(CURLU *);
	void (*free)(void *);
};

extern struct curlx curlx;

int curlx_load(struct err *e);

/*
 * The options every request gets, /api and /vars alike: the URL, the
 * timeout for connecting and for the whole transfer (curlx_ms), no
 * signals, http and https only, and certificate checks unless insecure.
 */
void curlx_common(CURL *h, const char *url, double timeout, int insecure);
/* Credentials from this netrc file when it names the host (NULL: none). */
void curlx_netrc(CURL *h, const char *netrc);
/* A timeout in whole milliseconds for libcurl, where 0 means none: at
 * least 1, rounded up, at most LONG_MAX. */
long curlx_ms(double seconds);

/* How libcurl's URL parser reads url (a scheme is guessed when absent). */
enum curlx_url { CURLX_URL_OK, CURLX_URL_USERINFO, CURLX_URL_BAD };
int curlx_url_check(const char *url);
/* "http://127.0.0.2:8081" for url: scheme, host and port as libcurl
 * connects (default port filled in); malloc'd, or NULL when unparsable. */
char *curlx_endpoint(const char *url);

/* url as it may be printed: without the user name, password and options
 * libcurl would read in it (a Location: header from a hostile server). */
char *curlx_shown(const char *url);
/* One header line as libcurl hands it (not NUL-terminated): the status of
 * an "HTTP/..." line into *status (100 Continue as 0, the Location
 * cleared), a "Location:" value into location. */
void curlx_header(const char *p, size_t len, long *status, char *location,
    size_t locsize);

#endif
