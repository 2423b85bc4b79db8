/*
 * output.h: a command's result. Commands add text lines, diffs and
 * command-specific JSON keys; main() prints it once, as text or as the
 * contract's JSON object ({"changed", "failed", "rc", "msg", "comment",
 * "diff", ...}). The result owns what is added to it.
 *
 * Nothing a file, a reply or an operator typed reaches the terminal raw:
 * the arguments of result_line() and result_msg() (never their format),
 * diff lines and error messages have their control bytes escaped
 * (out_escape), and every text, diff and JSON string has the values of
 * secret flags masked (out_mask). Files and the journal keep the bytes.
 */
#ifndef OUTPUT_H
#define OUTPUT_H

#include <jansson.h>
#include "buf.h"

struct result {
	int changed;
	char *msg;		/* the one-line summary */
	struct buf text;	/* text mode: what stdout gets before msg */
	json_t *diff;		/* array of {before_header, after_header, before, after} */
	json_t *extra;		/* command-specific keys */
	int show_diff;		/* --diff: print diffs in text mode */
	int stream;		/* text mode: lines go straight to stdout */
	int jstream;		/* --json: a list is being streamed; items so far + 1 */
};

void result_init(struct result *r);
void result_free(struct result *r);
void result_line(struct result *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void result_msg(struct result *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Record the change of path from before to after (NULL: no file). */
void result_diff(struct result *r, const char *path, const char *before,
    const char *after);
void result_set(struct result *r, const char *key, json_t *value);
/* --json: stream the list key to stdout as it is made, one item (JSON
 * text) at a time; result_print closes it and adds the other keys. */
void result_stream_list(struct result *r, const char *key);
void result_stream_item(struct result *r, const char *json, size_t len);

/* Print r; rc is the exit status, err a failure message or NULL. */
void result_print(const struct result *r, int json, int rc, const char *err);

/* Append s (len bytes) with each control byte as "\ooo" (octal): C0 bytes,
 * DEL, C1 (U+0080..U+009F, and bytes 0x80..0x9f that are not UTF-8).
 * keep_lines keeps newline, tab and a CR before a newline (a diff's lines, CRLF files). */
void out_escape(struct buf *out, const char *s, size_t len, int keep_lines);
/* Append s (len bytes) with the value of each secret flag of the catalogue
 * ("-zk_digest_credentials=user:pw", "-name VALUE", quoted or not) shown as
 * "user:****" (no ':': "****"). Returns how many were masked. */
int out_mask(struct buf *out, const char *s, size_t len);
/* A secret flag's value as shown: "user:****" or "****" (malloc'd). */
char *out_secret(const char *value);
/* value as shown for the flag name: out_secret() for a secret flag of the
 * catalogue, else a copy (malloc'd). */
char *out_flag_value(const char *name, const char *value);
/* s masked and escaped, for a line printed outside result (malloc'd). */
char *out_text(const char *s);
/* A JSON string of s, never a missing key: bytes that are not UTF-8 become
 * the text "\xNN"; NULL gives null. */
json_t *out_json_str(const char *s);

#endif
