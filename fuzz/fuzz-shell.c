/*
 * fuzz-shell.c: the quoting rules of the flag files (src/shell.c) that
 * every edit goes through: a value quoted in a file's style must read
 * back as exactly that value, whatever it holds.
 *
 * Input: text, used as a value to quote and as a raw word to read.
 * Checks: unquote(quote_like(v, style)) == v in each style; reading a
 * raw word, or splitting it, gives sane results.
 */
#include <stdlib.h>
#include <string.h>
#include "buf.h"
#include "fuzz.h"
#include "shell.h"

static const char *lookup(void *ctx, const char *name)
{
	(void)ctx;
	return strcmp(name, "ZK_ENDPOINTS") == 0 ? "127.0.0.1:2181" :
	    strcmp(name, "EMPTY") == 0 ? "" : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const styles[] = { NULL, "bare", "'x'", "\"x\"" };
	char *v = xstrndup((const char *)data, size), *s, **words, q;
	int n, lines = 1;

	for (size_t i = 0; i < sizeof styles / sizeof styles[0]; i++) {
		char *quoted = shell_quote_like(v, styles[i]), *back;
		back = shell_unquote(quoted, NULL, NULL);
		FUZZ_CHECK(back && strcmp(back, v) == 0,
		    "\"%s\" quoted like %s as %s reads back as \"%s\"", v,
		    styles[i] ? styles[i] : "nothing", quoted, back ? back : "(unbalanced)");
		free(back);
		back = shell_unquote(quoted, lookup, NULL);
		FUZZ_CHECK(back && strcmp(back, v) == 0,
		    "\"%s\" quoted as %s expands to \"%s\"", v, quoted, back ? back : "(unbalanced)");
		free(back);
		free(quoted);
	}

	free(shell_unquote(v, lookup, NULL));
	s = shell_expand(v, lookup, NULL);
	FUZZ_CHECK(s != NULL, "shell_expand returned NULL");
	free(s);

	n = shell_split(v, &words);
	for (int i = 0; i < n; i++)
		FUZZ_CHECK(*words[i] && !strpbrk(words[i], " \t\n"), "word \"%s\"", words[i]);
	shell_free_words(words, n);

	for (const char *p = v; *p; p++)
		lines += *p == '\n';
	n = shell_open_quote_line(v);
	FUZZ_CHECK(n >= 0 && n <= lines, "open quote on line %d of %d", n, lines);

	s = shell_strip_outer(v, &q);
	if (q) {
		char *again = xasprintf("%c%s%c", q, s, q);
		FUZZ_CHECK(strcmp(again, v) == 0, "stripping %s gave %s", v, s);
		free(again);
	} else
		FUZZ_CHECK(strcmp(s, v) == 0, "%s changed without quotes", v);
	free(s);
	free(v);
	return 0;
}
