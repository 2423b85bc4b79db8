/*
 * diff.h: unified diff (3 lines of context) of two texts, as diff -u
 * prints it, headers "--- a_label" / "+++ b_label". Appends to out;
 * nothing is appended when the texts are equal. A text without a final
 * newline gets "\ No newline at end of file" as diff(1) does.
 */
#ifndef DIFF_H
#define DIFF_H

#include <stddef.h>
#include "buf.h"

void diff_unified(const char *a, size_t alen, const char *b, size_t blen,
    const char *a_label, const char *b_label, struct buf *out);
/* The same diff of a and b, its lines printed from as and bs: the texts as
 * shown (masked), line for line. When they do not have as many lines, the
 * diff of as and bs. */
void diff_unified_shown(const char *a, size_t alen, const char *b, size_t blen,
    const char *as, size_t aslen, const char *bs, size_t bslen,
    const char *a_label, const char *b_label, struct buf *out);

/*
 * Three-way merge: take the changes that turn base into ours and make them
 * in theirs (base with someone else's edits). Each change must find the
 * base lines it replaces unchanged and in one piece in theirs (a pure
 * insertion: an unchanged neighbour); otherwise -1, and out is not to be
 * used.
 */
int diff_merge(const char *base, size_t blen, const char *ours, size_t olen,
    const char *theirs, size_t tlen, struct buf *out);

#endif
