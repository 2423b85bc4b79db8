/*
 * shell.h: the quoting rules of the files we edit. Everything returns
 * malloc'd strings owned by the caller.
 *
 * A "raw" value is what stands in the file (quotes included); the
 * "value" is what the scheduler receives.
 */
#ifndef SHELL_H
#define SHELL_H

#include "err.h"

/* Look up a shell variable for expansion; NULL when unset. */
typedef const char *(*shell_lookup_fn)(void *ctx, const char *name);

/*
 * Bash's meaning of one word: quote removal, backslashes, and $VAR /
 * ${VAR} expansion through lookup (NULL: keep references literally).
 * Returns NULL when quotes are unbalanced.
 */
char *shell_unquote(const char *raw, shell_lookup_fn lookup, void *ctx);

/* Expansion only, as inside double quotes: no quote removal. */
char *shell_expand(const char *raw, shell_lookup_fn lookup, void *ctx);

/* Quote value for a shell file in the style of old_raw ('...', "..." or
 * bare); old_raw NULL: bare when safe, else double quotes. */
char *shell_quote_like(const char *value, const char *old_raw);

/* Split s on blanks (IFS word splitting, no quote removal). */
int shell_split(const char *s, char ***words);
void shell_free_words(char **words, int n);

/* The first line (1-based) where a quote opens and does not close on the
 * same line, or 0; comments are skipped. For clearer parse errors. */
int shell_open_quote_line(const char *text);

/* Strip one pair of matching outer quotes from a raw value; *quote gets
 * the quote char or 0. */
char *shell_strip_outer(const char *raw, char *quote);

#endif
