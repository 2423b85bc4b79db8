#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "buf.h"
#include "shell.h"

static const char *var_end(const char *p)
{
	while (isalnum((unsigned char)*p) || *p == '_')
		p++;
	return p;
}

/* Expand the reference at p (just after '$'); returns the char after it. */
static const char *expand_var(const char *p, struct buf *out,
    shell_lookup_fn lookup, void *ctx)
{
	const char *start = p, *end;
	char *name;
	const char *v;

	if (*p == '{') {
		end = strchr(p, '}');
		if (end == NULL || end == p + 1 || var_end(p + 1) != end) {
			buf_add(out, "$", 1);
			return start;
		}
		name = xstrndup(p + 1, end - p - 1);
		end++;
	} else {
		end = var_end(p);
		if (end == p || isdigit((unsigned char)*p)) {
			buf_add(out, "$", 1);
			return start;
		}
		name = xstrndup(p, end - p);
	}
	if (lookup == NULL) {
		buf_add(out, "$", 1);
		buf_add(out, start, end - start);
	} else if ((v = lookup(ctx, name)) != NULL)
		buf_adds(out, v);
	free(name);
	return end;
}

/* Text as inside double quotes, up to the closing quote (stop = '"') or
 * the end (stop = 0): backslash escapes and $ expansions. Returns where
 * it stopped, or NULL when the closing quote is missing. */
static const char *double_quoted(const char *p, char stop, struct buf *out,
    shell_lookup_fn lookup, void *ctx)
{
	while (*p && *p != stop) {
		if (*p == '\\' && p[1] && strchr("$`\"\\\n", p[1])) {
			if (p[1] != '\n')
				buf_add(out, p + 1, 1);
			p += 2;
		} else if (*p == '$')
			p = expand_var(p + 1, out, lookup, ctx);
		else
			buf_add(out, p++, 1);
	}
	return *p == stop ? p : NULL;
}

char *shell_unquote(const char *raw, shell_lookup_fn lookup, void *ctx)
{
	struct buf out = BUF_INIT;
	const char *p = raw, *q;

	buf_add(&out, "", 0);
	while (*p) {
		if (*p == '\'') {
			q = strchr(p + 1, '\'');
			if (q == NULL)
				goto unbalanced;
			buf_add(&out, p + 1, q - p - 1);
			p = q + 1;
		} else if (*p == '"') {
			q = double_quoted(p + 1, '"', &out, lookup, ctx);
			if (q == NULL)
				goto unbalanced;
			p = q + 1;
		} else if (*p == '\\') {
			if (p[1] == '\0')
				goto unbalanced;
			if (p[1] != '\n')
				buf_add(&out, p + 1, 1);
			p += 2;
		} else if (*p == '$')
			p = expand_var(p + 1, &out, lookup, ctx);
		else
			buf_add(&out, p++, 1);
	}
	return buf_detach(&out);
unbalanced:
	buf_free(&out);
	return NULL;
}

char *shell_expand(const char *raw, shell_lookup_fn lookup, void *ctx)
{
	struct buf out = BUF_INIT;

	buf_add(&out, "", 0);
	double_quoted(raw, '\0', &out, lookup, ctx);
	return buf_detach(&out);
}

static int is_safe(const char *v)
{
	if (*v == '\0')
		return 0;
	for (; *v; v++)
		if (!isalnum((unsigned char)*v) && !strchr("_@%+=:,./-", *v))
			return 0;
	return 1;
}

char *shell_quote_like(const char *value, const char *old_raw)
{
	struct buf out = BUF_INIT;
	char style = old_raw && (*old_raw == '\'' || *old_raw == '"') ?
	    *old_raw : 0;

	if (style == 0 && is_safe(value))
		return xstrdup(value);
	if (style == '\'' && strchr(value, '\'') == NULL)
		return xasprintf("'%s'", value);
	buf_add(&out, "\"", 1);
	for (const char *p = value; *p; p++) {
		if (strchr("$`\"\\", *p))
			buf_add(&out, "\\", 1);
		buf_add(&out, p, 1);
	}
	buf_add(&out, "\"", 1);
	return buf_detach(&out);
}

int shell_split(const char *s, char ***words)
{
	int n = 0;
	const char *p = s, *start;

	*words = NULL;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (*p == '\0')
			break;
		start = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n')
			p++;
		*words = xrealloc(*words, (n + 1) * sizeof **words);
		(*words)[n++] = xstrndup(start, p - start);
	}
	return n;
}

void shell_free_words(char **words, int n)
{
	for (int i = 0; i < n; i++)
		free(words[i]);
	free(words);
}

char *shell_strip_outer(const char *raw, char *quote)
{
	size_t n = strlen(raw);

	*quote = 0;
	if (n >= 2 && (raw[0] == '"' || raw[0] == '\'') && raw[n - 1] == raw[0]) {
		*quote = raw[0];
		return xstrndup(raw + 1, n - 2);
	}
	return xstrdup(raw);
}

int shell_open_quote_line(const char *text)
{
	int line = 1;
	char q = 0;

	for (const char *p = text; *p; p++) {
		if (*p == '\n') {
			if (q)
				return line;
			line++;
		} else if (q == 0 && *p == '#' && (p == text || p[-1] == '\n' ||
		    p[-1] == ' ' || p[-1] == '\t')) {
			while (p[1] && p[1] != '\n')
				p++;
		} else if (*p == '\\' && q != '\'' && p[1])
			p++;
		else if (q == 0 && (*p == '"' || *p == '\''))
			q = *p;
		else if (*p == q)
			q = 0;
	}
	return q ? line : 0;
}
