/*
 * diff.c: unified diff of two texts, line by line.
 *
 * Written from the description of the greedy algorithm in E. W. Myers,
 * "An O(ND) Difference Algorithm and Its Variations" (1986). After the
 * common prefix and suffix are trimmed, the middle is searched forward:
 * for each edit distance d, V holds the furthest x reached on every
 * diagonal k = x - y (k = -d, -d+2, ..., d). All the V arrays are kept, so
 * the shortest edit script is traced back from the end. Past MAX_D edits
 * the middle is given up on and printed as deleted, then inserted.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "diff.h"

#define CONTEXT 3
#define MAX_D 4096	/* V history: (D+1)(D+2)/2 ints, about 32 MiB */

struct line {
	const char *s;
	size_t len;		/* with its '\n', if it has one */
	uint64_t hash;
};

struct text {
	struct line *l;
	long n;
	char *chg;		/* chg[i]: line i is deleted (a) or inserted (b) */
};

static void split(struct text *t, const char *s, size_t len)
{
	size_t i, start = 0, nl = 0;
	uint64_t h = 14695981039346656037u;

	for (i = 0; i < len; i++)
		nl += s[i] == '\n';
	t->l = xcalloc(nl + 1, sizeof *t->l);
	t->chg = xcalloc(nl + 1, 1);
	t->n = 0;
	for (i = 0; i < len; i++) {
		h = (h ^ (unsigned char)s[i]) * 1099511628211u;
		if (s[i] == '\n' || i + 1 == len) {
			t->l[t->n++] = (struct line){ s + start, i + 1 - start, h };
			start = i + 1;
			h = 14695981039346656037u;
		}
	}
}

static int same(const struct line *a, const struct line *b)
{
	return a->hash == b->hash && a->len == b->len &&
	    memcmp(a->s, b->s, a->len) == 0;
}

#define V(d, k) hist[(size_t)(d) * ((d) + 1) / 2 + (size_t)(((k) + (d)) / 2)]

/*
 * Where the path for diagonal k at distance d starts, before its snake:
 * down from k+1 (an insertion) or right from k-1 (a deletion). -1 when
 * neither neighbour was reached.
 */
static long start_x(const int *hist, long d, long k, int *down)
{
	long from_up = k < d && V(d - 1, k + 1) >= 0 ? V(d - 1, k + 1) : -1;
	long from_left = k > -d && V(d - 1, k - 1) >= 0 ? V(d - 1, k - 1) + 1 : -1;

	*down = from_up >= from_left;
	return *down ? from_up : from_left;
}

/* Mark a minimal set of deleted a lines and inserted b lines. */
static void myers(const struct line *a, long n, const struct line *b, long m,
    char *del, char *ins)
{
	long d, k, x, y, max_d = n + m < MAX_D ? n + m : MAX_D;
	int down, *hist;

	if (n >= INT_MAX || m >= INT_MAX || labs(n - m) > max_d)
		max_d = -1;
	hist = xmalloc((size_t)(max_d + 1) * (size_t)(max_d + 2) / 2 * sizeof *hist);
	for (d = 0; d <= max_d; d++) {
		for (k = -d; k <= d; k += 2) {
			x = d ? start_x(hist, d, k, &down) : 0;
			y = x - k;
			if (x < 0 || x > n || y > m) {
				V(d, k) = -1;
				continue;
			}
			while (x < n && y < m && same(&a[x], &b[y]))
				x++, y++;
			V(d, k) = (int)x;
			if (x == n && y == m)
				goto found;
		}
	}
	memset(del, 1, (size_t)n);
	memset(ins, 1, (size_t)m);
	free(hist);
	return;
found:
	for (; d > 0; d--) {
		x = start_x(hist, d, k, &down);
		if (down)
			ins[x - k - 1] = 1, k++;
		else
			del[x - 1] = 1, k--;
	}
	free(hist);
}

/* Step over equal lines up to the next change; return how many. */
static long skip_equal(const struct text *a, const struct text *b,
    long *i, long *j)
{
	long g = 0;

	while (*i < a->n && *j < b->n && !a->chg[*i] && !b->chg[*j])
		++*i, ++*j, g++;
	return g;
}

static void range(struct buf *out, char sign, long lo, long n)
{
	if (n == 1)
		buf_addf(out, " %c%ld", sign, lo + 1);
	else
		buf_addf(out, " %c%ld,%ld", sign, n ? lo + 1 : lo, n);
}

static void put_line(struct buf *out, char sign, const struct line *l)
{
	buf_add(out, &sign, 1);
	buf_add(out, l->s, l->len);
	if (l->s[l->len - 1] != '\n')
		buf_adds(out, "\n\\ No newline at end of file\n");
}

/* A hunk of a against b, its lines printed as as and bs show them. */
static void hunk(struct buf *out, const struct text *a, const struct text *b,
    const struct line *as, const struct line *bs, long i, long ahi, long j,
    long bhi)
{
	buf_adds(out, "@@");
	range(out, '-', i, ahi - i);
	range(out, '+', j, bhi - j);
	buf_adds(out, " @@\n");
	while (i < ahi || j < bhi) {
		if ((i < ahi && a->chg[i]) || (j < bhi && b->chg[j])) {
			while (i < ahi && a->chg[i])
				put_line(out, '-', &as[i++]);
			while (j < bhi && b->chg[j])
				put_line(out, '+', &bs[j++]);
		} else {
			put_line(out, ' ', &as[i++]);
			j++;
		}
	}
}

/* Split a and b into lines and mark the lines that differ. */
static void compare(struct text *ta, const char *a, size_t alen,
    struct text *tb, const char *b, size_t blen)
{
	long pre = 0, suf = 0;

	split(ta, a, alen);
	split(tb, b, blen);
	while (pre < ta->n && pre < tb->n && same(&ta->l[pre], &tb->l[pre]))
		pre++;
	while (suf < ta->n - pre && suf < tb->n - pre &&
	    same(&ta->l[ta->n - 1 - suf], &tb->l[tb->n - 1 - suf]))
		suf++;
	myers(ta->l + pre, ta->n - pre - suf, tb->l + pre, tb->n - pre - suf,
	    ta->chg + pre, tb->chg + pre);
}

static void text_free(struct text *t)
{
	free(t->l);
	free(t->chg);
}

void diff_unified(const char *a, size_t alen, const char *b, size_t blen,
    const char *a_label, const char *b_label, struct buf *out)
{
	diff_unified_shown(a, alen, b, blen, a, alen, b, blen, a_label, b_label,
	    out);
}

void diff_unified_shown(const char *a, size_t alen, const char *b, size_t blen,
    const char *as, size_t aslen, const char *bs, size_t bslen,
    const char *a_label, const char *b_label, struct buf *out)
{
	struct text ta, tb, sa, sb;
	long i = 0, j = 0, alo, blo, g;

	if (alen == blen && memcmp(a, b, alen) == 0)
		return;
	compare(&ta, a, alen, &tb, b, blen);
	split(&sa, as, aslen);
	split(&sb, bs, bslen);
	if (sa.n != ta.n || sb.n != tb.n) {
		text_free(&ta);
		text_free(&tb);
		text_free(&sa);
		text_free(&sb);
		if (as != a || bs != b)
			diff_unified(as, aslen, bs, bslen, a_label, b_label, out);
		return;
	}

	buf_addf(out, "--- %s\n+++ %s\n", a_label, b_label);
	/* A hunk goes on while changes are at most 2 * CONTEXT lines apart. */
	skip_equal(&ta, &tb, &i, &j);
	while (i < ta.n || j < tb.n) {
		alo = i > CONTEXT ? i - CONTEXT : 0;
		blo = j - (i - alo);
		do {
			while (i < ta.n && ta.chg[i])
				i++;
			while (j < tb.n && tb.chg[j])
				j++;
			g = skip_equal(&ta, &tb, &i, &j);
		} while (g <= 2 * CONTEXT && (i < ta.n || j < tb.n));
		g -= g > CONTEXT ? CONTEXT : g;
		hunk(out, &ta, &tb, sa.l, sb.l, alo, i - g, blo, j - g);
	}
	text_free(&ta);
	text_free(&tb);
	text_free(&sa);
	text_free(&sb);
}

static void put_lines(struct buf *out, const struct text *t, long lo, long hi)
{
	for (long k = lo; k < hi; k++)
		buf_add(out, t->l[k].s, t->l[k].len);
}

/* Where base's lines lo..hi-1 stand in theirs, all unchanged and in one
 * piece: the index of the first, or -1. */
static long unchanged_run(const long *map, long lo, long hi)
{
	for (long k = lo; k < hi; k++)
		if (map[k] < 0 || map[k] != map[lo] + (k - lo))
			return -1;
	return map[lo];
}

/* Where in theirs to put a change of base's lines lo..hi-1: on those lines
 * when there are some, else next to whichever neighbour is unchanged. */
static long anchor(const long *map, long n, long tn, long lo, long hi)
{
	long before = lo > 0 ? map[lo - 1] : -1, after = lo < n ? map[lo] : -1;

	if (lo < hi)
		return unchanged_run(map, lo, hi);
	if (lo == 0)
		return after == 0 || n == 0 ? 0 : -1;
	if (lo == n)
		return before == tn - 1 ? tn : -1;
	if (before >= 0 && after >= 0)
		return before + 1 == after ? after : -1;
	return before >= 0 ? before + 1 : after;
}

int diff_merge(const char *base, size_t blen, const char *ours, size_t olen,
    const char *theirs, size_t tlen, struct buf *out)
{
	struct text b1, o, b2, t;
	long *map, i = 0, j = 0, ti = 0, rc = 0;

	compare(&b1, base, blen, &o, ours, olen);
	compare(&b2, base, blen, &t, theirs, tlen);
	map = xcalloc(b1.n + 1, sizeof *map);
	for (long x = 0, y = 0; x < b2.n;) {
		if (b2.chg[x])
			map[x++] = -1;
		else if (y < t.n && t.chg[y])
			y++;
		else
			map[x++] = y++;
	}
	while (rc == 0 && (i < b1.n || j < o.n)) {
		long i1 = i, j1 = j, at;
		if (!(i < b1.n && b1.chg[i]) && !(j < o.n && o.chg[j])) {
			i++, j++;
			continue;
		}
		while (i < b1.n && b1.chg[i])
			i++;
		while (j < o.n && o.chg[j])
			j++;
		if ((at = anchor(map, b1.n, t.n, i1, i)) < 0) {
			rc = -1;
			break;
		}
		put_lines(out, &t, ti, at);
		put_lines(out, &o, j1, j);
		ti = at + (i - i1);
	}
	if (rc == 0)
		put_lines(out, &t, ti, t.n);
	free(map);
	text_free(&b1);
	text_free(&o);
	text_free(&b2);
	text_free(&t);
	return rc;
}
