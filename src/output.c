#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include "diff.h"
#include "flagcat.h"
#include "output.h"

void result_init(struct result *r)
{
	memset(r, 0, sizeof *r);
	r->diff = json_array();
	r->extra = json_object();
}

void result_free(struct result *r)
{
	free(r->msg);
	buf_free(&r->text);
	json_decref(r->diff);
	json_decref(r->extra);
	memset(r, 0, sizeof *r);
}

/* ---- control bytes ---- */

void out_escape(struct buf *out, const char *str, size_t len, int keep_lines)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, from = 0;

	while (i < len) {
		unsigned char c = s[i];
		int n = 1, bad;

		if (c < 0x80)
			bad = c == 0x7f || (c < 0x20 &&
			    !(keep_lines && (c == '\n' || c == '\t' ||
			    (c == '\r' && i + 1 < len && s[i + 1] == '\n'))));
		else if ((n = utf8_len(s + i)) > 0 && i + (size_t)n <= len)
			bad = c == 0xc2 && s[i + 1] < 0xa0;
		else
			n = 1, bad = c < 0xa0;
		if (bad) {
			buf_add(out, s + from, i - from);
			for (int k = 0; k < n; k++)
				buf_addf(out, "\\%03o", s[i + k]);
			from = i + (size_t)n;
		}
		i += (size_t)n;
	}
	buf_add(out, s + from, len - from);
}

/* ---- secret flags ---- */

static int name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Skip blanks, line ends and backslash-newlines from s[k]. */
static size_t skip_space(const char *s, size_t len, size_t k)
{
	while (k < len) {
		if (is_blank(s[k]) || s[k] == '\n' || s[k] == '\r')
			k++;
		else if (s[k] == '\\' && k + 1 < len && s[k + 1] == '\n')
			k += 2;
		else
			break;
	}
	return k;
}

/* s[i] is '-': if a secret flag starts there, where its value starts
 * ("-name=VALUE", or "-name VALUE" as two words), else 0. */
static size_t secret_value(const char *s, size_t len, size_t i)
{
	size_t j = i + 1, n0, k;
	char name[64];
	const struct flag_info *f;

	if (i > 0 && (name_char(s[i - 1]) || s[i - 1] == '-'))
		return 0;
	if (j < len && s[j] == '-')
		j++;
	for (n0 = j; j < len && name_char(s[j]); j++)
		;
	if (j == n0 || j - n0 >= sizeof name)
		return 0;
	memcpy(name, s + n0, j - n0);
	name[j - n0] = '\0';
	if ((f = flagcat_find(name)) == NULL || !f->secret)
		return 0;
	if (j < len && s[j] == '=')
		return j + 1;
	k = skip_space(s, len, j);
	if (k == j || k >= len || strchr("-()#", s[k]))
		return 0;
	return k;
}

/* Where the value at s[v] ends, shell-like: at a blank or a line end
 * outside quotes, or at the quote that opened the word (opener) and so
 * closes it. Within a word opened by a quote, a blank ends the value only
 * before the next flag. A backslash-newline continues the value. */
static size_t value_end(const char *s, size_t len, size_t v, char opener)
{
	char q = 0;
	size_t k;

	for (k = v; k < len; k++) {
		char c = s[k];
		if (c == '\n' || c == '\r')
			break;
		if (c == '\\' && k + 2 < len && s[k + 1] == '\r' && s[k + 2] == '\n') {
			k += 2;
		} else if (c == '\\' && k + 1 < len) {
			k++;
		} else if (q) {
			q = c == q ? 0 : q;
		} else if (c == opener) {
			break;
		} else if (c == '"' || c == '\'') {
			q = c;
		} else if (is_blank(c)) {
			size_t next = k;
			while (next < len && is_blank(s[next]))
				next++;
			if (!opener || next == len || strchr("-\n\r", s[next]) ||
			    s[next] == opener)
				break;
		}
	}
	return k;
}

/* Does s hold a secret flag at all? (Most texts do not: no copy then.) */
static int has_secret(const char *s, size_t len)
{
	for (const char *p = s; (p = memchr(p, '-', len - (size_t)(p - s))) != NULL; p++)
		if (secret_value(s, len, (size_t)(p - s)))
			return 1;
	return 0;
}

/* The variables a secret flag's value is taken from ("-name=$VAR",
 * "-name ${VAR}"): their assignments in the same text hold the secret. */
struct secret_vars {
	struct { const char *s; size_t len; } name[8];
	int n;
};

static void collect_vars(const char *s, size_t len, struct secret_vars *sv)
{
	sv->n = 0;
	for (size_t i = 0; i < len && sv->n < 8; i++) {
		size_t v, j;
		if (s[i] != '-' || (v = secret_value(s, len, i)) == 0)
			continue;
		v += v < len && (s[v] == '"' || s[v] == '\'');
		if (v >= len || s[v] != '$')
			continue;
		v += 1 + (v + 1 < len && s[v + 1] == '{');
		for (j = v; j < len && name_char(s[j]); j++)
			;
		if (j > v) {
			sv->name[sv->n].s = s + v;
			sv->name[sv->n++].len = j - v;
		}
	}
}

/* s[i] starts "VAR=" for one of sv's variables: where its value starts,
 * else 0. */
static size_t var_value(const char *s, size_t len, size_t i,
    const struct secret_vars *sv)
{
	size_t j;

	if (i > 0 && (name_char(s[i - 1]) || strchr("-${", s[i - 1])))
		return 0;
	for (j = i; j < len && name_char(s[j]); j++)
		;
	if (j == i || j >= len || s[j] != '=')
		return 0;
	for (int k = 0; k < sv->n; k++)
		if (sv->name[k].len == j - i && memcmp(sv->name[k].s, s + i, j - i) == 0)
			return j + 1;
	return 0;
}

int out_mask(struct buf *out, const char *s, size_t len)
{
	size_t i, from = 0, v, end, keep;
	int n = 0;
	struct secret_vars sv;

	collect_vars(s, len, &sv);
	for (i = 0; i < len; i++) {
		char opener;
		if (s[i] == '-')
			v = secret_value(s, len, i);
		else
			v = sv.n && name_char(s[i]) ? var_value(s, len, i, &sv) : 0;
		if (v == 0)
			continue;
		opener = i > 0 && (s[i - 1] == '"' || s[i - 1] == '\'') ? s[i - 1] : 0;
		end = value_end(s, len, v, opener);
		if (end > v && (s[v] == '"' || s[v] == '\'') && s[end - 1] == s[v])
			end--;
		keep = v;
		for (size_t k = v; k < end; k++)
			if (s[k] == ':') {
				keep = k + 1;
				break;
			}
		if (keep == v && keep < end && (s[v] == '"' || s[v] == '\''))
			keep++;
		if (keep < end) {
			buf_add(out, s + from, keep - from);
			buf_adds(out, "****");
			for (size_t k = keep; k < end; k++)
				if (s[k] == '\n')
					buf_adds(out, s[k - 1] == '\r' ? "\\\r\n" : "\\\n");
			from = end;
			n++;
		}
		i = end > i ? end - 1 : i;
	}
	buf_add(out, s + from, len - from);
	return n;
}

char *out_secret(const char *value)
{
	const char *colon = strchr(value, ':');

	if (colon)
		return xasprintf("%.*s:****", (int)(colon - value), value);
	return xstrdup("****");
}

char *out_flag_value(const char *name, const char *value)
{
	const struct flag_info *f = flagcat_find(name);

	return f && f->secret ? out_secret(value) : xstrdup(value);
}

static char *mask_text(const char *s)
{
	struct buf m = BUF_INIT;

	out_mask(&m, s, strlen(s));
	return buf_detach(&m);
}

char *out_text(const char *s)
{
	struct buf m = BUF_INIT, e = BUF_INIT;

	out_mask(&m, s, strlen(s));
	out_escape(&e, m.s ? m.s : "", m.len, 0);
	buf_free(&m);
	return buf_detach(&e);
}

/* ---- formatting with escaped arguments ---- */

#define PUT(v) (nstar == 2 ? buf_addf(out, spec, star[0], star[1], v) : \
	nstar == 1 ? buf_addf(out, spec, star[0], v) : buf_addf(out, spec, v))

/* Append one conversion ("%-12s", "%zu", "%.*s"...) at p; return what
 * follows it. Strings and characters are escaped. */
static const char *convert(struct buf *out, const char *p, va_list *ap)
{
	const char *start = p++;
	char spec[32], mod[3] = "";
	int star[2], nstar = 0;
	size_t m;
	struct buf arg = BUF_INIT;
	struct buf *keep = out;

	p += strspn(p, "-+ #0");
	if (*p == '*')
		star[nstar++] = va_arg(*ap, int), p++;
	p += strspn(p, "0123456789");
	if (*p == '.') {
		p++;
		if (*p == '*')
			star[nstar++] = va_arg(*ap, int), p++;
		p += strspn(p, "0123456789");
	}
	m = strspn(p, "hlzjtL");
	if (m > 2 || (size_t)(p + m + 1 - start) >= sizeof spec)
		abort();
	memcpy(mod, p, m);
	p += m + 1;
	memcpy(spec, start, (size_t)(p - start));
	spec[p - start] = '\0';
	switch (p[-1]) {
	case '%':
		buf_adds(out, "%");
		break;
	case 's':
		out = &arg;
		PUT(va_arg(*ap, const char *));
		break;
	case 'c':
		out = &arg;
		PUT(va_arg(*ap, int));
		break;
	case 'd': case 'i':
		if (strcmp(mod, "l") == 0) PUT(va_arg(*ap, long));
		else if (strcmp(mod, "ll") == 0) PUT(va_arg(*ap, long long));
		else if (strcmp(mod, "z") == 0) PUT(va_arg(*ap, ssize_t));
		else if (strcmp(mod, "j") == 0) PUT(va_arg(*ap, intmax_t));
		else if (strcmp(mod, "t") == 0) PUT(va_arg(*ap, ptrdiff_t));
		else PUT(va_arg(*ap, int));
		break;
	case 'u': case 'o': case 'x': case 'X':
		if (strcmp(mod, "l") == 0) PUT(va_arg(*ap, unsigned long));
		else if (strcmp(mod, "ll") == 0) PUT(va_arg(*ap, unsigned long long));
		else if (strcmp(mod, "z") == 0) PUT(va_arg(*ap, size_t));
		else if (strcmp(mod, "j") == 0) PUT(va_arg(*ap, uintmax_t));
		else if (strcmp(mod, "t") == 0) PUT(va_arg(*ap, ptrdiff_t));
		else PUT(va_arg(*ap, unsigned));
		break;
	case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'a': case 'A':
		if (strcmp(mod, "L") == 0) PUT(va_arg(*ap, long double));
		else PUT(va_arg(*ap, double));
		break;
	case 'p':
		PUT(va_arg(*ap, void *));
		break;
	default:
		abort();
	}
	if (out == &arg)
		out_escape(keep, arg.s ? arg.s : "", arg.len, 0);
	buf_free(&arg);
	return p;
}

/* fmt's expansion, its arguments escaped (the format's own newlines and
 * tabs shape the text, an argument's cannot), secrets masked. */
static char *format_safe(const char *fmt, va_list ap)
{
	struct buf text = BUF_INIT, masked = BUF_INIT;
	va_list aq;

	va_copy(aq, ap);
	while (*fmt) {
		const char *pct = strchrnul(fmt, '%');
		buf_add(&text, fmt, (size_t)(pct - fmt));
		fmt = *pct ? convert(&text, pct, &aq) : pct;
	}
	va_end(aq);
	out_mask(&masked, text.s ? text.s : "", text.len);
	buf_free(&text);
	return buf_detach(&masked);
}

void result_line(struct result *r, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = format_safe(fmt, ap);
	va_end(ap);
	if (r->stream)
		printf("%s\n", s);
	else
		buf_addf(&r->text, "%s\n", s);
	free(s);
}

/* The summary is kept masked but raw: JSON escapes it its own way, text
 * mode escapes it when printing. */
void result_msg(struct result *r, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	va_end(ap);
	free(r->msg);
	r->msg = mask_text(s);
	free(s);
}

/* ---- JSON ---- */

json_t *out_json_str(const char *s)
{
	json_t *j;
	struct buf b = BUF_INIT;
	const unsigned char *p = (const unsigned char *)s;
	int n;

	if (s == NULL)
		return json_null();
	if ((j = json_string(s)) != NULL)
		return j;
	while (*p) {
		if (*p < 0x80)
			n = 1;
		else if ((n = utf8_len(p)) == 0) {
			buf_addf(&b, "\\x%02x", *p++);
			continue;
		}
		buf_add(&b, p, (size_t)n);
		p += n;
	}
	j = json_string(b.s ? b.s : "");
	buf_free(&b);
	return j;
}

/* The text of a JSON string, masked (NULL when nothing is secret). */
static char *masked_or_null(const char *s, size_t len)
{
	struct buf m = BUF_INIT;

	if (!has_secret(s, len) || out_mask(&m, s, len) == 0) {
		buf_free(&m);
		return NULL;
	}
	return buf_detach(&m);
}

/* Mask every string in j, at any depth. */
static void mask_json(json_t *j)
{
	const char *key;
	json_t *v;
	size_t i;
	char *m;

	if (json_is_string(j)) {
		m = masked_or_null(json_string_value(j), json_string_length(j));
		if (m)
			json_string_set(j, m);
		free(m);
	} else if (json_is_object(j)) {
		json_object_foreach(j, key, v)
			mask_json(v);
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			mask_json(v);
	}
}

/* A diff's texts as shown: masked. The text diff is of the real texts (a
 * changed secret shows as a changed line), its lines printed masked. */
void result_diff(struct result *r, const char *path, const char *before,
    const char *after)
{
	json_t *d = json_object();
	struct buf u = BUF_INIT;
	char *a = xasprintf("a%s", path), *b = xasprintf("b%s", path);
	const char *rb = before ? before : "", *ra = after ? after : "";
	char *mb = mask_text(rb), *ma = mask_text(ra);
	struct buf la = BUF_INIT, lb = BUF_INIT;

	json_object_set_new(d, "before_header", out_json_str(path));
	json_object_set_new(d, "after_header", out_json_str(path));
	json_object_set_new(d, "before", out_json_str(mb));
	json_object_set_new(d, "after", out_json_str(ma));
	json_array_append_new(r->diff, d);
	if (r->show_diff) {
		out_escape(&la, a, strlen(a), 0);
		out_escape(&lb, b, strlen(b), 0);
		diff_unified_shown(rb, strlen(rb), ra, strlen(ra), mb, strlen(mb),
		    ma, strlen(ma), la.s, lb.s, &u);
		out_escape(&r->text, u.s ? u.s : "", u.len, 1);
	}
	buf_free(&u);
	buf_free(&la);
	buf_free(&lb);
	free(mb);
	free(ma);
	free(a);
	free(b);
}

void result_set(struct result *r, const char *key, json_t *value)
{
	json_object_set_new(r->extra, key, value);
}

void result_stream_list(struct result *r, const char *key)
{
	printf("{\"%s\":[", key);
	r->jstream = 1;
}

void result_stream_item(struct result *r, const char *json, size_t len)
{
	if (r->jstream++ > 1)
		putchar(',');
	fwrite(json, 1, len, stdout);
}

void result_print(const struct result *r, int json, int rc, const char *err)
{
	char *msg = mask_text(err ? err : r->msg ? r->msg : "");

	if (json) {
		json_t *o = json_object();
		char *s;
		json_object_set_new(o, "changed", json_boolean(r->changed));
		json_object_set_new(o, "failed", json_boolean(rc != 0 && rc != 2));
		json_object_set_new(o, "rc", json_integer(rc));
		json_object_set_new(o, "msg", out_json_str(msg));
		json_object_set_new(o, "comment", out_json_str(msg));
		json_object_set(o, "diff", r->diff);
		mask_json(r->extra);
		json_object_update(o, r->extra);
		s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
		if (r->jstream)
			printf("],%s\n", s + 1);
		else
			printf("%s\n", s);
		free(s);
		json_decref(o);
	} else if (r->text.len) {
		fwrite(r->text.s, 1, r->text.len, stdout);
	}
	if (err || (!json && *msg)) {
		struct buf e = BUF_INIT;
		out_escape(&e, msg, strlen(msg), 0);
		fprintf(err ? stderr : stdout, "%s%s\n", err ? "aurora-restore: " : "", e.s ? e.s : "");
		buf_free(&e);
	}
	free(msg);
}
