/*
 * fuzz-tjson.c: the Thrift JSON reply decoder (src/tjson.c), as the admin
 * client feeds it: the reply in chunks as libcurl hands them over.
 *
 * Input: one byte choosing the chunk size (1..256), then the reply.
 * Checks: the same reply decodes to the same result whatever the chunks
 * (one chunk against many); errors are 65 and follow the contract; a
 * task's fields are never NULL; a reply over --max-reply is refused; a
 * failing task callback stops the decoder.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "buf.h"
#include "fuzz.h"
#include "tjson.h"

struct seen {
	struct buf text;	/* every task, one line each */
	int stop_at;		/* the callback fails on this task (1-based), 0 never */
	size_t n;
};

static int on_task(void *ctx, const struct tj_task *t, struct err *e)
{
	struct seen *s = ctx;
	const char *strs[] = { t->task_id, t->slave_host, t->role,
		t->environment, t->job };

	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
		FUZZ_CHECK(strs[i] != NULL, "task field %zu is NULL", i);
	buf_addf(&s->text, "%s|%s|%s|%s|%s|%d|%d\n", t->task_id, t->slave_host,
	    t->role, t->environment, t->job, t->instance_id, t->status);
	if (++s->n == (size_t)s->stop_at)
		return errf(e, EXIT_FAIL, "stopped at task %zu", s->n);
	return 0;
}

/* The whole decode as one string, or the error. */
static char *decode(const uint8_t *data, size_t size, size_t chunk,
    size_t max, int stop_at, size_t *ntasks)
{
	struct seen s = { BUF_INIT, stop_at, 0 };
	struct tj_decoder *d = tj_decoder_new(on_task, &s, max);
	struct tj_reply r;
	struct err e = { 0 };
	struct buf out = BUF_INIT;
	int rc = 0;

	for (size_t off = 0; rc == 0 && off < size; off += chunk)
		rc = tj_decoder_feed(d, (const char *)data + off,
		    size - off < chunk ? size - off : chunk, &e);
	if (rc == 0)
		rc = tj_decoder_finish(d, &r, &e);
	fuzz_check_err(&e, rc);
	if (rc < 0) {
		FUZZ_CHECK(e.code == EXIT_DATA || (stop_at && e.code == EXIT_FAIL),
		    "a bad reply is not EXIT_DATA: %d %s", e.code, e.msg);
		buf_addf(&out, "error %d %s\n", e.code, e.msg);
	} else {
		FUZZ_CHECK(r.type == TJ_REPLY || r.type == TJ_EXCEPTION, "type %d", r.type);
		FUZZ_CHECK(r.method != NULL, "a reply without a method name");
		FUZZ_CHECK(r.ntasks == s.n, "%zu tasks counted, %zu seen", r.ntasks, s.n);
		FUZZ_CHECK(max == 0 || size <= max, "%zu bytes accepted over a limit of %zu", size, max);
		buf_addf(&out, "%d %s %d %d %s %s %d\n", r.type, r.method,
		    (int)r.seqid, r.code, tj_code_name(r.code),
		    r.exc_message ? r.exc_message : "-", r.exc_type);
		for (size_t i = 0; i < r.ndetails; i++)
			buf_addf(&out, "detail %s\n", r.details[i]);
		const char *b = r.backups;
		for (size_t i = 0; i < r.nbackups; i++, b += strlen(b) + 1)
			buf_addf(&out, "backup %s\n", b);
		if (r.cluster_name)
			buf_addf(&out, "cluster %s\n", r.cluster_name);
		tj_reply_free(&r);
	}
	if (s.text.len)
		buf_add(&out, s.text.s, s.text.len);
	if (ntasks)
		*ntasks = s.n;
	buf_free(&s.text);
	tj_decoder_free(d);
	return buf_detach(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_chunked(data, size, decode);
	return 0;
}
