/*
 * fuzz-mesos.c: the Mesos master reply decoder (src/mesos.c), as impact
 * feeds it: /master/tasks or /master/state in chunks as libcurl hands
 * them over, each task to the join of src/impact.c.
 *
 * Input: one byte choosing the chunk size (1..256), then the reply.
 * Checks: the same reply decodes to the same result whatever the chunks;
 * errors are 65 and follow the contract; every task handed over has an id
 * and a state; a reply over --max-reply is refused; a failing task
 * callback stops the decoder; the join never counts more running tasks
 * than were handed over.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "buf.h"
#include "fuzz.h"
#include "impact.h"
#include "mesos.h"

struct seen {
	struct buf text;
	int stop_at;
	size_t n;
	struct impact *im;
};

static int on_task(void *ctx, const struct mesos_task *t, struct err *e)
{
	struct seen *s = ctx;

	FUZZ_CHECK(t->id != NULL && t->state != NULL, "a task without id or state");
	buf_addf(&s->text, "%s|%s|%s|%s\n", t->id, t->name ? t->name : "-",
	    t->framework_id ? t->framework_id : "-", t->state);
	if (++s->n == (size_t)s->stop_at)
		return errf(e, EXIT_FAIL, "stopped at task %zu", s->n);
	return impact_mesos_task(s->im, t, e);
}

static char *decode(const uint8_t *data, size_t size, size_t chunk,
    size_t max, int stop_at, size_t *ntasks)
{
	struct impact im;
	struct seen s = { BUF_INIT, stop_at, 0, &im };
	struct mesos_decoder *d = mesos_decoder_new(on_task, &s, max);
	struct mesos_frameworks fw = { NULL, 0 };
	struct err e = { 0 };
	struct buf out = BUF_INIT;
	size_t n = 0;
	int rc = 0;

	impact_init(&im);
	for (size_t off = 0; rc == 0 && off < size; off += chunk)
		rc = mesos_decoder_feed(d, (const char *)data + off,
		    size - off < chunk ? size - off : chunk, &e);
	if (rc == 0)
		rc = mesos_decoder_finish(d, &fw, &n, &e);
	fuzz_check_err(&e, rc);
	if (rc < 0) {
		FUZZ_CHECK(e.code == EXIT_DATA || (stop_at && e.code == EXIT_FAIL),
		    "a bad reply is not EXIT_DATA: %d %s", e.code, e.msg);
		buf_addf(&out, "error %d %s\n", e.code, e.msg);
	} else {
		char *sum;
		FUZZ_CHECK(n == s.n, "%zu tasks counted, %zu seen", n, s.n);
		FUZZ_CHECK(max == 0 || size <= max, "%zu bytes over a limit of %zu", size, max);
		impact_finish(&im);
		FUZZ_CHECK(im.running <= s.n, "%zu running of %zu tasks", im.running, s.n);
		FUZZ_CHECK(im.killed.n + im.conflicts.n + im.nkept == im.running,
		    "killed %zu + conflicts %zu + kept %zu != running %zu", im.killed.n,
		    im.conflicts.n, im.nkept, im.running);
		sum = impact_summary(&im);
		FUZZ_CHECK(strchr(sum, '\n') == NULL, "a summary on several lines");
		free(sum);
		for (size_t i = 0; i < fw.n; i++)
			buf_addf(&out, "framework %s %s %d\n", fw.f[i].id, fw.f[i].name, fw.f[i].active);
	}
	if (s.text.len)
		buf_add(&out, s.text.s, s.text.len);
	if (ntasks)
		*ntasks = s.n;
	mesos_frameworks_free(&fw);
	impact_free(&im);
	buf_free(&s.text);
	mesos_decoder_free(d);
	return buf_detach(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_chunked(data, size, decode);
	return 0;
}
