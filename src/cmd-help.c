/*
 * cmd-help.c: the help, made from the tables of cmd.h: the global usage
 * (every command with its summary, then the global options) and each
 * command's usage, options and example. main prints it before reading
 * any file.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "cmd.h"

#define WIDTH 79
#define COLUMN 26	/* where an option's help starts */

/* Print text after lead, wrapped at WIDTH between its words ("[--copy
 * FILE]" is one), continuation lines indented to lead's width. */
static void wrapped(FILE *out, const char *lead, const char *text)
{
	size_t indent = strlen(lead), col = indent;

	fputs(lead, out);
	while (*text) {
		size_t n = *text == '[' ? strcspn(text, "]") + (strchr(text, ']') != NULL) :
		    strcspn(text, " ");
		if (col > indent && col + 1 + n > WIDTH) {
			fprintf(out, "\n%*s", (int)indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', out);
			col++;
		}
		fwrite(text, 1, n, out);
		col += n;
		text += n + strspn(text + n, " ");
	}
	fputc('\n', out);
}

/* "[--name ARG]" for each option of the tables, appended to u. */
static void add_usage(char *u, size_t size, const struct opt *const *tables)
{
	for (; *tables; tables++)
		for (const struct opt *o = *tables; o->name; o++) {
			size_t n = strlen(u);
			if (o->kind == OPT_HELP || o->kind == OPT_VERSION)
				continue;
			snprintf(u + n, size - n, " [--%s%s%s]", o->name,
			    o->arg ? " " : "", o->arg ? o->arg : "");
		}
}

/* "  --name ARG   help", wrapped; the help on the next line when the
 * left part is too wide. */
static void list_options(FILE *out, const struct opt *const *tables)
{
	char left[128], lead[COLUMN + 128];

	for (; *tables; tables++)
		for (const struct opt *o = *tables; o->name; o++) {
			snprintf(left, sizeof left, "  --%s%s%s", o->name,
			    o->arg ? " " : "", o->arg ? o->arg : "");
			if (strlen(left) + 2 > COLUMN) {
				fprintf(out, "%s\n", left);
				left[0] = '\0';
			}
			snprintf(lead, sizeof lead, "%-*s", COLUMN, left);
			wrapped(out, lead, o->help);
		}
}

void help_global(FILE *out)
{
	const struct opt *const globals[] = { global_options, NULL };
	char u[2048] = "";

	add_usage(u, sizeof u, globals);
	strncat(u, " COMMAND [ARGS]", sizeof u - strlen(u) - 1);
	wrapped(out, "usage: aurora-restore ", u);
	fprintf(out, "       aurora-restore --help | --version\n\ncommands:\n");
	for (int i = 0; cmd_table[i]; i++) {
		char lead[COLUMN + 64];
		snprintf(lead, sizeof lead, "  %-*s", COLUMN - 2, cmd_table[i]->name);
		wrapped(out, lead, cmd_table[i]->summary);
	}
	fprintf(out, "\nglobal options, before or after the command:\n");
	list_options(out, globals);
	fprintf(out, "\nA command's options: \"aurora-restore help COMMAND\"; see aurora-restore(8).\n");
}

void help_command(FILE *out, const struct cmd_entry *c)
{
	char u[2048];

	snprintf(u, sizeof u, "%s%s%s", c->name, *c->args ? " " : "", c->args);
	add_usage(u, sizeof u, c->options);
	wrapped(out, "usage: aurora-restore ", u);
	fprintf(out, "%c%s.\n", toupper((unsigned char)c->summary[0]), c->summary + 1);
	if (c->options[0]) {
		fprintf(out, "\noptions:\n");
		list_options(out, c->options);
	}
	fprintf(out, "\nexample:\n  aurora-restore %s\n", c->example);
	fprintf(out, "\nGlobal options: aurora-restore --help; the manual: aurora-restore(8).\n");
}

const struct cmd_entry cmd_help_entry = {
	.name = "help", .args = "[COMMAND]", .min_args = 0, .max_args = 1,
	.summary = "a command's usage, options and an example",
	.example = "help stage",
	.options = { NULL },
	.exec = NULL,
};
