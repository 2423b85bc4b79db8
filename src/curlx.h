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
};

extern struct curlx curlx;

int curlx_load(struct err *e);

/* One header line as libcurl hands it (not NUL-terminated): the status of
 * an "HTTP/..." line into *status (100 Continue as 0, the Location
 * cleared), a "Location:" value into location. */
void curlx_header(const char *p, size_t len, long *status, char *location,
    size_t locsize);

#endif
