/*
 * fuzz.h: what the fuzz targets (fuzz/fuzz-*.c) share. Each target defines
 * LLVMFuzzerTestOneInput() (and LLVMFuzzerInitialize() when it has
 * something to set up), built either with libFuzzer (clang
 * -fsanitize=fuzzer, `make fuzz`) or with fuzz/replay.c, which only feeds
 * it the files named on its command line (`make fuzz-regress`).
 *
 * Targets run the module under test as the tool does and check what must
 * hold whatever the input (a failure aborts, which both drivers report as
 * a crash with the input kept). The scratch root and the Augeas handle
 * are this file's: one per process, removed at exit.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <augeas.h>
#include <stddef.h>
#include <stdint.h>
#include "err.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A private scratch directory (made on first use, removed at exit). */
const char *fuzz_root(void);
/* Write data to fuzz_root() + rel, making its directories. */
void fuzz_write(const char *rel, const void *data, size_t len);
/* fuzz_root() + rel, malloc'd. */
char *fuzz_path(const char *rel);
/* The one Augeas handle, with the source tree's lenses. */
augeas *fuzz_aug(void);

/*
 * The host model and the engine on a scratch host (hostrun.c): the flags
 * file (flags_path under the root, read with layout) and clusters.json
 * hold the given bytes; the shipped recovery profile is planned, applied,
 * read back, applied again and reverted, checking each step.
 */
void fuzz_host_run(const char *layout, const char *flags_path,
    const void *flags, size_t nflags, const void *clusters, size_t nclusters);

/* Abort with a message when cond is false: a finding. */
#define FUZZ_CHECK(cond, ...) \
	((cond) ? (void)0 : fuzz_fail(__FILE__, __LINE__, #cond, __VA_ARGS__))
void fuzz_fail(const char *file, int line, const char *cond,
    const char *fmt, ...) __attribute__((noreturn, format(printf, 4, 5)));

/*
 * What every error must be (cli-contract.md): one of the contract's exit
 * classes, and a message: not empty, one line, printable UTF-8.
 */
void fuzz_check_err(const struct err *e, int rc);

/*
 * A decoder's result "error CODE ... at byte N ...\n..." without " N" in
 * its first line: yajl
 * places a syntax error by what it consumed of the chunk at hand, so the
 * byte named may move by up to a token with the chunk boundaries. N is
 * checked to lie inside the size bytes of input. s is changed in place.
 */
char *fuzz_unplaced(char *s, size_t size);

/*
 * A streaming reply decoder's checks (fuzz-tjson.c, fuzz-mesos.c). data is
 * one byte choosing the chunk size (1..256), then the reply; decode feeds
 * it in chunks of that size with a --max-reply of max (0: none) and a task
 * callback failing at task stop_at (0: never), and returns its whole
 * result as text ("error CODE MSG" when it failed), the tasks seen in
 * *ntasks when not NULL. Checked: the same result whatever the chunks; a
 * reply over the limit refused; a failing callback stops the decoder.
 */
typedef char *(*fuzz_decode_fn)(const uint8_t *data, size_t size,
    size_t chunk, size_t max, int stop_at, size_t *ntasks);
void fuzz_chunked(const uint8_t *data, size_t size, fuzz_decode_fn decode);

#endif
