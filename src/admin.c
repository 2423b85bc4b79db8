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
	int delimited;		/* Content-Length or chunked: an end we can see */
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
	size_t len = size * n;

	curlx_header(p, len, &c->status, c->location, sizeof c->location);
	if (len > 5 && strncmp(p, "HTTP/", 5) == 0)
		c->delimited = 0;
	else if ((len > 15 && strncasecmp(p, "Content-Length:", 15) == 0) ||
	    (len > 18 && strncasecmp(p, "Transfer-Encoding:", 18) == 0 &&
	    memmem(p, len, "chunked", 7)))
		c->delimited = 1;
	return len;
}

static int http_error(const struct admin *a, struct call *c, struct err *e)
{
	char *to;

	switch (c->status) {
	case 307:
		to = curlx_shown(c->location[0] ? c->location : "somewhere");
		errf(e, EXIT_REFUSED, "%s is not the leading scheduler (it redirects to %s)",
		    a->url, to);
		free(to);
		return -1;
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

/* The decoded reply, checked to answer this call. */
static int decoded(const struct admin *a, const char *method, struct call *c,
    struct tj_reply *r, struct err *e)
{
	struct err de = { 0 };

	if (tj_decoder_finish(c->dec, r, &de) < 0)
		return errf(e, de.code, "%s: %s", a->url, de.msg);
	if (r->method == NULL || strcmp(r->method, method) != 0)
		return errf(e, EXIT_DATA, "%s: bad reply: an answer to %s, not to %s (Thrift's WRONG_METHOD_NAME)",
		    a->url, r->method ? r->method : "nothing", method);
	if (r->seqid != 0)
		return errf(e, EXIT_DATA, "%s: bad reply: sequence id %ld, the call's was 0 (Thrift's BAD_SEQUENCE_ID)",
		    a->url, (long)r->seqid);
	return 0;
}

static int read_outcome(const struct admin *a, const char *method,
    struct call *c, CURLcode rc, struct tj_reply *r, struct err *e)
{
	if (c->failed)
		return errf(e, c->e->code, "%s: %s", a->url, c->e->msg);
	if (rc == CURLE_COULDNT_CONNECT)
		return errf(e, EXIT_FAIL, "%s: connection refused", a->url);
	if (rc == CURLE_OPERATION_TIMEDOUT)
		return errf(e, EXIT_FAIL, "%s: no answer within %g s", a->url, a->timeout);
	if (rc == CURLE_GOT_NOTHING || rc == CURLE_RECV_ERROR ||
	    rc == CURLE_PARTIAL_FILE || rc == CURLE_SEND_ERROR)
		return errf(e, EXIT_DATA, "%s: %s reply cut off after %zu bytes (%s)",
		    a->url, method, c->got, curlx.easy_strerror(rc));
	if (rc != CURLE_OK)
		return errf(e, EXIT_FAIL, "%s: %s", a->url, curlx.easy_strerror(rc));
	if (c->status != 200)
		return http_error(a, c, e);
	return decoded(a, method, c, r, e);
}

/*
 * A call that changes state either got a complete, decoded answer (OK or
 * an error), a whole HTTP refusal, or no connection at all; anything else
 * (a timeout, a cut or close-delimited body, a broken reply, a proxy's
 * 502 or 504) may have come after the scheduler acted: EXIT_UNKNOWN.
 */
static int change_outcome(const struct admin *a, const char *method,
    struct call *c, CURLcode rc, struct tj_reply *r, struct err *e)
{
	struct err why = { 0 };

	if (rc == CURLE_COULDNT_CONNECT)
		return errf(e, EXIT_FAIL, "%s: connection refused", a->url);
	if (rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_SSL_CONNECT_ERROR ||
	    rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_URL_MALFORMAT)
		return errf(e, EXIT_FAIL, "%s: %s", a->url, curlx.easy_strerror(rc));
	if (rc == CURLE_OK && (c->status == 502 || c->status == 504))
		return errf(e, EXIT_UNKNOWN, "%s: a proxy answered %s with HTTP %ld (the scheduler closed or went quiet): it may or may not have happened",
		    a->url, method, c->status);
	if (rc == CURLE_OK && !c->failed && c->status != 200 && c->status != 0)
		return http_error(a, c, e);
	if (rc == CURLE_OPERATION_TIMEDOUT)
		return errf(e, EXIT_UNKNOWN, "%s: no answer to %s within %g s: it may or may not have happened",
		    a->url, method, a->timeout);
	if (c->failed)
		errf(&why, EXIT_DATA, "%s", c->e->msg);
	else if (rc != CURLE_OK)
		errf(&why, EXIT_FAIL, "%s", curlx.easy_strerror(rc));
	else if (!c->delimited)
		errf(&why, EXIT_DATA, "a reply without Content-Length, ended by a close");
	else if (decoded(a, method, c, r, &why) == 0)
		return 0;
	tj_reply_free(r);
	return errf(e, EXIT_UNKNOWN, "%s: the connection dropped or the reply broke during %s (%s): it may or may not have happened",
	    a->url, method, why.msg);
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
	curlx_common(h, url, a->timeout, a->insecure);
	curlx.easy_setopt(h, CURLOPT_POSTFIELDS, body.s);
	curlx.easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)body.len);
	curlx.easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curlx.easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curlx.easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curlx.easy_setopt(h, CURLOPT_WRITEDATA, &c);
	curlx.easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curlx.easy_setopt(h, CURLOPT_HEADERDATA, &c);
	curlx_netrc(h, a->netrc);
	if (a->negotiate) {
		curlx.easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_NEGOTIATE);
		curlx.easy_setopt(h, CURLOPT_USERPWD, ":");
	} else
		curlx.easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
	rc = curlx.easy_perform(h);
	if (is_read(method))
		ret = read_outcome(a, method, &c, rc, r, e);
	else if ((ret = change_outcome(a, method, &c, rc, r, e)) < 0)
		*dropped = e->code == EXIT_UNKNOWN;
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
