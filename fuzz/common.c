/* common.c: scratch files, the Augeas handle and the checks of fuzz.h. */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "augx.h"
#include "buf.h"
#include "fileio.h"
#include "fuzz.h"

static char *root;
static augeas *aug;

/* For targets with nothing to set up; libFuzzer and replay.c call it. */
__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

void fuzz_fail(const char *file, int line, const char *cond,
    const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%d: check failed: %s: ", file, line, cond);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

static void cleanup(void)
{
	char *cmd;

	if (aug)
		augx_close(aug);
	aug = NULL;
	if (root) {
		cmd = xasprintf("rm -rf '%s'", root);
		if (system(cmd) != 0)
			fprintf(stderr, "cannot remove %s\n", root);
		free(cmd);
	}
	free(root);
	root = NULL;
}

const char *fuzz_root(void)
{
	const char *tmp = getenv("TMPDIR");

	if (root)
		return root;
	root = xasprintf("%s/ar-fuzz.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	FUZZ_CHECK(mkdtemp(root) != NULL, "cannot make a scratch directory %s", root);
	atexit(cleanup);
	return root;
}

char *fuzz_path(const char *rel)
{
	return xasprintf("%s%s", fuzz_root(), rel);
}

void fuzz_write(const char *rel, const void *data, size_t len)
{
	char *path = fuzz_path(rel), *dir = xstrdup(path);
	struct err e = { 0 };
	FILE *f;

	*strrchr(dir, '/') = '\0';
	FUZZ_CHECK(mkdir_p(dir, 0755, &e) == 0, "%s", e.msg);
	f = fopen(path, "w");
	FUZZ_CHECK(f != NULL, "cannot write %s", path);
	FUZZ_CHECK(len == 0 || fwrite(data, 1, len, f) == len, "cannot write %s", path);
	FUZZ_CHECK(fclose(f) == 0, "cannot write %s", path);
	free(path);
	free(dir);
}

augeas *fuzz_aug(void)
{
	struct err e = { 0 };

	if (aug)
		return aug;
	setenv("AURORA_RESTORE_LENSDIR", ABS_SRCDIR "/lenses", 0);
	aug = augx_open(&e);
	FUZZ_CHECK(aug != NULL, "%s", e.msg);
	fuzz_root();
	return aug;
}

/* One line, no control characters, and valid UTF-8: --json prints the
 * message through json_string(), which refuses anything else. */
static int printable(const char *s)
{
	json_t *j = json_string(s);

	json_decref(j);
	if (j == NULL)
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

void fuzz_check_err(const struct err *e, int rc)
{
	static const int codes[] = { EXIT_FAIL, EXIT_DRIFT, EXIT_REFUSED,
		EXIT_UNKNOWN, EXIT_USAGE, EXIT_DATA, EXIT_LOCKED, EXIT_CONFIG };
	int known = 0;

	if (rc == 0) {
		FUZZ_CHECK(e->code == 0, "success with an error set: %s", e->msg);
		return;
	}
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
		known |= e->code == codes[i];
	FUZZ_CHECK(known, "exit status %d is not in the contract (%s)", e->code, e->msg);
	FUZZ_CHECK(e->msg[0] != '\0', "an error without a message (status %d)", e->code);
	FUZZ_CHECK(printable(e->msg),
	    "the message is not one printable UTF-8 line: \"%s\"", e->msg);
}

char *fuzz_unplaced(char *s, size_t size)
{
	char *at = strstr(s, " at byte ");
	char *nl = strchr(s, '\n'), *end;

	/* Only in the error's own line: a task's text may hold the words. */
	if (strncmp(s, "error ", 6) != 0 || at == NULL || (nl && at > nl))
		return s;
	at += 9;
	FUZZ_CHECK(strtoull(at, &end, 10) <= size, "%s: past the %zu bytes", s, size);
	memmove(at, end, strlen(end) + 1);
	return s;
}

void fuzz_chunked(const uint8_t *data, size_t size, fuzz_decode_fn decode)
{
	size_t chunk, ntasks;
	char *whole, *parts;

	if (size < 1)
		return;
	chunk = (size_t)data[0] + 1;
	data++, size--;
	whole = decode(data, size, size ? size : 1, 0, 0, &ntasks);
	parts = decode(data, size, chunk, 0, 0, NULL);
	FUZZ_CHECK(strcmp(fuzz_unplaced(whole, size), fuzz_unplaced(parts, size)) == 0,
	    "in chunks of %zu:\n%s\nin one:\n%s", chunk, parts, whole);
	free(parts);
	/* A limit below the size: refused, never buffered. */
	if (size > 1) {
		parts = decode(data, size, chunk, size - 1, 0, NULL);
		FUZZ_CHECK(strncmp(parts, "error 65 ", 9) == 0,
		    "a reply over --max-reply got through: %s", parts);
		free(parts);
	}
	/* A callback that stops at the first task stops the decoder. */
	if (ntasks > 0) {
		parts = decode(data, size, chunk, 0, 1, NULL);
		FUZZ_CHECK(strncmp(parts, "error 1 stopped at task 1\n", 26) == 0,
		    "the decoder went on after the callback failed: %s", parts);
		free(parts);
	}
	free(whole);
}
