#include <stdlib.h>
#include <string.h>
#include "admin.h"
#include "curlx.h"

struct call {
	struct tj_decoder *dec;
	struct err *e;
	int failed;		/* the decoder refused the input */
	size_t got;
	long status;
	char location[512];
};

static size_t on_body(char *p, size_t size, size_t n, void *ctx)
{
	struct call *c = ctx;

	c->got += size * n;
	if (c->failed)
		return 0;
	if (c->status != 200)
		return size * n;
	if (tj_decoder_feed(c->dec, p, size * n, c->e) < 0) {
		c->failed = 1;
		return 0;
	}
	return size * n;
}

static size_t on_header(char *p, size_t size, size_t n, void *ctx)
{
	struct call *c = ctx;

	curlx_header(p, size * n, &c->status, c->location, sizeof c->location);
	return size * n;
}

static int http_error(const struct admin *a, struct call *c, struct err *e)
{
	switch (c->status) {
	case 307:
		return errf(e, EXIT_REFUSED, "%s is not the leading scheduler (it redirects to %s)",
		    a->url, c->location[0] ? c->location : "somewhere");
	case 503:
		return errf(e, EXIT_FAIL, "%s: no leading scheduler (HTTP 503): %s", a->url,
		    a->bypass ? "the scheduler is not in the expected state" :
		    "add the bypass header, or the scheduler is not in the expected state");
	case 401:
	case 403:
		return errf(e, EXIT_FAIL, "%s: authentication failed (HTTP %ld): check ~/.netrc or the Kerberos ticket",
		    a->url, c->status);
	case 415:
		return errf(e, EXIT_FAIL, "%s: the scheduler refused the content type (HTTP 415)", a->url);
	default:
		return errf(e, EXIT_FAIL, "%s: HTTP %ld", a->url, c->status);
	}
}

static int is_read(const char *method)
{
	return strcmp(method, "listBackups") == 0 ||
	    strcmp(method, "queryRecovery") == 0 ||
	    strcmp(method, "getTasksWithoutConfigs") == 0;
}

int admin_call(const struct admin *a, const char *method, const char *arg,
    const struct tj_query *q, tj_task_fn fn, void *ctx, struct tj_reply *r,
    int *dropped, struct err *e)
{
	struct call c = { 0 };
	struct err de = { 0 };	/* the decoder's, to be put after the URL */
	struct buf body = BUF_INIT;
	struct curl_slist *hdr = NULL;
	char *url;
	CURL *h;
	CURLcode rc;
	int ret = -1;

	memset(r, 0, sizeof *r);
	*dropped = 0;
	if (curlx_load(e) < 0 || (h = curlx.easy_init()) == NULL)
		return errf(e, EXIT_FAIL, "cannot start libcurl");
	c.e = &de;
	c.dec = tj_decoder_new(fn, ctx, a->max_reply);
	tj_call(&body, method, 0, arg, q);
	url = xasprintf("%s%sapi", a->url, a->url[strlen(a->url) - 1] == '/' ? "" : "/");
	hdr = curlx.slist_append(hdr, "Content-Type: application/x-thrift");
	hdr = curlx.slist_append(hdr, "Accept: application/x-thrift, application/vnd.apache.thrift.json, application/json");
	if (a->bypass)
		hdr = curlx.slist_append(hdr, "Bypass-Leader-Redirect: true");
	curlx.easy_setopt(h, CURLOPT_URL, url);
	curlx.easy_setopt(h, CURLOPT_POSTFIELDS, body.s);
	curlx.easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)body.len);
	curlx.easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curlx.easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curlx.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curlx.easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)(a->timeout * 1000));
	curlx.easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)(a->timeout * 1000));
	curlx.easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curlx.easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curlx.easy_setopt(h, CURLOPT_WRITEDATA, &c);
	curlx.easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curlx.easy_setopt(h, CURLOPT_HEADERDATA, &c);
	if (a->insecure) {
		curlx.easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
		curlx.easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (a->netrc) {
		curlx.easy_setopt(h, CURLOPT_NETRC, (long)CURL_NETRC_OPTIONAL);
		curlx.easy_setopt(h, CURLOPT_NETRC_FILE, a->netrc);
	}
	if (a->negotiate) {
		curlx.easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_NEGOTIATE);
		curlx.easy_setopt(h, CURLOPT_USERPWD, ":");
	} else
		curlx.easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
	rc = curlx.easy_perform(h);
	if (c.failed)
		errf(e, de.code, "%s: %s", a->url, de.msg);
	else if (rc == CURLE_COULDNT_CONNECT)
		errf(e, EXIT_FAIL, "%s: connection refused", a->url);
	else if (rc == CURLE_OPERATION_TIMEDOUT && (is_read(method) || c.status))
		errf(e, EXIT_FAIL, "%s: no answer within %g s", a->url, a->timeout);
	else if (rc == CURLE_OPERATION_TIMEDOUT) {
		*dropped = 1;
		errf(e, EXIT_UNKNOWN, "%s: no answer to %s within %g s: it may or may not have happened",
		    a->url, method, a->timeout);
	}
	else if (rc == CURLE_GOT_NOTHING || rc == CURLE_RECV_ERROR ||
	    rc == CURLE_PARTIAL_FILE || rc == CURLE_SEND_ERROR) {
		*dropped = 1;
		if (is_read(method))
			errf(e, EXIT_DATA, "%s: %s reply cut off after %zu bytes (%s)",
			    a->url, method, c.got, curlx.easy_strerror(rc));
		else
			errf(e, EXIT_UNKNOWN, "%s: the connection dropped during %s (%s): it may or may not have happened",
			    a->url, method, curlx.easy_strerror(rc));
	} else if (rc != CURLE_OK)
		errf(e, EXIT_FAIL, "%s: %s", a->url, curlx.easy_strerror(rc));
	else if (c.status != 200)
		http_error(a, &c, e);
	else if (tj_decoder_finish(c.dec, r, &de) < 0)
		errf(e, de.code, "%s: %s", a->url, de.msg);
	else if (r->method == NULL || strcmp(r->method, method) != 0)
		errf(e, EXIT_DATA, "%s: bad reply: an answer to %s, not to %s (Thrift's WRONG_METHOD_NAME)",
		    a->url, r->method ? r->method : "nothing", method);
	else if (r->seqid != 0)
		errf(e, EXIT_DATA, "%s: bad reply: sequence id %ld, the call's was 0 (Thrift's BAD_SEQUENCE_ID)",
		    a->url, (long)r->seqid);
	else
		ret = 0;
	tj_decoder_free(c.dec);
	curlx.slist_free_all(hdr);
	curlx.easy_cleanup(h);
	buf_free(&body);
	free(url);
	if (ret == 0 && r->type == TJ_EXCEPTION) {
		errf(e, EXIT_FAIL, "%s: %s failed: %s", a->url, method,
		    r->exc_message ? r->exc_message : "exception");
		return -1;
	}
	return ret;
}

char *admin_reply_message(const struct tj_reply *r)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, tj_code_name(r->code));
	for (size_t i = 0; i < r->ndetails; i++)
		buf_addf(&b, "%s%s", i ? "; " : ": ", r->details[i]);
	return buf_detach(&b);
}
