#!/bin/bash
# tests/t-man.sh: man/aurora-restore.8 against the binary's help, which is
# made from the option tables of the commands. The SYNOPSIS has the global
# usage and each command's usage line of `help COMMAND` word for word, so
# it lists exactly the options each command declares; every command has an
# entry under a *COMMANDS section, every option (global or a command's) one
# under OPTIONS; every exit status of src/err.h is under EXIT STATUS, and
# groff reads both pages without a warning. Both sides are parsed, nothing
# is listed here.
# min-checks: 15
. "$SRCDIR/tests/lib.sh"

MAN=$SRCDIR/man/aurora-restore.8

# plain FILE: the page as text, one input line an output line. Font macros
# become their words (.B/.I joined by spaces, .BR and the like without),
# escapes their characters; .SH NAME is "@SH NAME", .TP "@TP", .PP and .br
# "@PP" and "@BR", other requests "@".
plain() {
	awk '
	function unescape(s) {
		gsub(/\\f(\[[A-Z]*\]|\(..|.)/, "", s); gsub(/\\-/, "-", s)
		gsub(/\\\(lq|\\\(rq/, "\"", s); gsub(/\\&|\\c/, "", s); gsub(/\\e/, "\\", s)
		return s
	}
	function args(s, out,    n, c, i, q, cur, have) {	# split like roff
		n = 0; q = 0; cur = ""; have = 0
		for (i = 1; i <= length(s); i++) {
			c = substr(s, i, 1)
			if (q && c == "\"" && substr(s, i + 1, 1) == "\"") { cur = cur "\""; i++ }
			else if (c == "\"") { q = !q; have = 1 }
			else if (c == " " && !q) { if (have || cur != "") out[++n] = cur; cur = ""; have = 0 }
			else { cur = cur c; have = 1 }
		}
		if (have || cur != "") out[++n] = cur
		return n
	}
	/^\.\\"/ { next }
	/^\.SH / { s = substr($0, 5); gsub(/"/, "", s); print "@SH " s; next }
	/^\.TP/ { print "@TP"; next }
	/^\.(PP|LP|P)( |$)/ { print "@PP"; next }
	/^\.br( |$)/ { print "@BR"; next }
	/^\.(B|I|SM) / {
		n = args(substr($0, index($0, " ") + 1), a); s = ""
		for (i = 1; i <= n; i++) s = s (i > 1 ? " " : "") a[i]
		print unescape(s); next
	}
	/^\.(BR|RB|BI|IB|IR|RI) / {
		n = args(substr($0, index($0, " ") + 1), a); s = ""
		for (i = 1; i <= n; i++) s = s a[i]
		print unescape(s); next
	}
	/^\./ { print "@"; next }
	{ print unescape($0) }
	' "$1"
}

# section TITLE-REGEX: the plain page's lines in the sections whose title
# matches.
section() {
	printf '%s\n' "$page" | awk -v re="$1" '/^@SH / { on = (substr($0, 5) ~ re); next } on'
}
# tags: the first line after each @TP of the text on stdin.
tags() {
	awk '/^@TP$/ { t = 1; next } t { print; t = 0 }'
}
# synopsis: the SYNOPSIS's entries, one a line: its lines joined, split at
# @BR and @PP, white space squeezed.
synopsis() {
	section '^SYNOPSIS$' | awk '
		/^@/ { if (s != "") print s; s = ""; next }
		{ s = s " " $0 }
		END { if (s != "") print s }' | sed 's/^ *//; s/  */ /g; s/ *$//'
}

page=$(plain "$MAN")
help=$("$AR" --help)
like "$page" '^@SH NAME' "the page is read (plain text of $(printf '%s\n' "$page" | wc -l) lines)"

# usage_of TEXT: the usage of a help text, its lines joined.
usage_of() {
	printf '%s\n' "$1" | awk '/^usage:/ { on = 1; sub(/^usage: */, ""); u = $0; next }
		on && /^ +aurora-restore / { exit }
		on && /^ / { sub(/^ +/, " "); u = u $0; next } on { exit } END { print u }'
}
# options_of TEXT: the options a help text lists under its options heading.
options_of() {
	printf '%s\n' "$1" | sed -n '/options.*:$/,/^$/s/^  \(--[a-z][a-z-]*\).*/\1/p' | LC_ALL=C sort -u
}

# What the help says: the commands of --help, the global options, and for
# each command its usage line and its options.
commands=$(printf '%s\n' "$help" | sed -n '/^commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p')
globals=$(options_of "$help")
help_usage=$(usage_of "$help"; printf '%s\n' "$help" | sed -n 's/^ \{1,\}\(aurora-restore --.*\)/\1/p')
all_options=$globals
declare -A cmd_usage cmd_options
for c in $commands; do
	h=$("$AR" help "$c")
	cmd_usage[$c]=$(usage_of "$h")
	cmd_options[$c]=$(options_of "$h")
	help_usage+=$'\n'${cmd_usage[$c]}
	all_options+=$'\n'${cmd_options[$c]}
done
help_usage=$(printf '%s\n' "$help_usage" | sed 's/  */ /g; s/ *$//' | LC_ALL=C sort)
all_options=$(printf '%s\n' "$all_options" | grep . | LC_ALL=C sort -u)
[ "$(printf '%s\n' "$commands" | wc -l)" -ge 19 ] && [ "$(printf '%s\n' "$all_options" | wc -l)" -ge 40 ] &&
	ok "the help lists $(printf '%s\n' "$commands" | wc -l) commands and $(printf '%s\n' "$all_options" | wc -l) options" ||
	not_ok "the help lists the commands and options" "$help"

# SYNOPSIS and usage agree, entry for entry.
man_usage=$(synopsis | grep '^aurora-restore' | LC_ALL=C sort)
only_help=$(LC_ALL=C comm -23 <(printf '%s\n' "$help_usage") <(printf '%s\n' "$man_usage") | paste -sd'|')
only_man=$(LC_ALL=C comm -13 <(printf '%s\n' "$help_usage") <(printf '%s\n' "$man_usage") | paste -sd'|')
is "$only_help" "" "every usage line of the help is in the SYNOPSIS, word for word"
is "$only_man" "" "the SYNOPSIS has no usage line that the help does not print"
# Per command: its SYNOPSIS entry names exactly the options it declares.
wrong=
for c in $commands; do
	entry=$(synopsis | grep "^aurora-restore $c\( \|\$\)" | grep -o -- '--[a-z][a-z-]*' | LC_ALL=C sort -u)
	[ "$entry" = "${cmd_options[$c]}" ] || wrong+=" $c"
done
is "$wrong" "" "each command's SYNOPSIS entry names exactly the options of its help"
entry=$(synopsis | grep '^aurora-restore \[' | grep -o -- '--[a-z][a-z-]*'
	synopsis | grep '^aurora-restore --' | grep -o -- '--[a-z][a-z-]*')
is "$(printf '%s\n' "$entry" | LC_ALL=C sort -u | tr '\n' ' ')" "$(printf '%s\n' "$globals" | tr '\n' ' ')" \
	"the SYNOPSIS names exactly the global options"

# Every command has its entry in a *COMMANDS section, an option its entry
# under OPTIONS.
cmd_tags=$(section 'COMMANDS' | tags | awk '{ print $1 }')
missing=
for c in $commands; do
	printf '%s\n' "$cmd_tags" | grep -qxF -- "$c" || missing+=" $c"
done
is "$missing" "" "every command of --help has an entry under a COMMANDS section"
# positional WORDS...: the arguments of a usage line or tag, options left out.
positional() {
	printf '%s\n' "$*" | sed 's/\[--[^]]*\]//g; s/\[--.*//' | tr -s ' ' '\n' | sed 1d | grep -v '^$' | tr '\n' ' '
}
wrong=
for c in $commands; do
	tag=$(section 'COMMANDS' | tags | grep "^$c\( \|\$\)" | head -1)
	[ "$(positional $tag)" = "$(positional ${cmd_usage[$c]#aurora-restore })" ] || wrong+=" $c($tag)"
done
is "$wrong" "" "each command's entry names its arguments as its usage does"
opt_tags=$(section '^OPTIONS$' | tags)
documented=$(printf '%s\n' "$opt_tags" | grep -o -- '--[a-z][a-z-]*' | LC_ALL=C sort -u)
is "$(LC_ALL=C comm -23 <(printf '%s\n' "$all_options") <(printf '%s\n' "$documented") | tr '\n' ' ')" "" \
	"every option of the help has an entry under OPTIONS"
is "$(LC_ALL=C comm -13 <(printf '%s\n' "$all_options") <(printf '%s\n' "$documented") | tr '\n' ' ')" "" \
	"OPTIONS documents no option that the help does not list"

# Exit statuses: those of src/err.h, no more, no fewer.
codes=$(sed -n 's/^[[:space:]]*EXIT_[A-Z]* = \([0-9]*\).*/\1/p' "$SRCDIR/src/err.h" | LC_ALL=C sort -u)
man_codes=$(section '^EXIT STATUS$' | tags | LC_ALL=C sort -u)
[ "$(printf '%s\n' "$codes" | wc -l)" -ge 9 ] && ok "src/err.h has $(printf '%s\n' "$codes" | wc -l) exit statuses" ||
	not_ok "src/err.h has the exit statuses" "$codes"
is "$(printf '%s\n' "$man_codes" | tr '\n' ' ')" "$(printf '%s\n' "$codes" | tr '\n' ' ')" \
	"EXIT STATUS lists exactly the exit statuses of src/err.h"

# The parser itself, on a known line of roff.
printf '.TP\n.BR \\-\\-layout " debian|rpm" ", " \\-\\-flags\\-file " \\fIPATH\\fR"\n' >"$T/probe.8"
is "$(plain "$T/probe.8" | tr '\n' '/')" "@TP/--layout debian|rpm, --flags-file PATH/" "the roff reader joins .BR words and drops fonts"

# groff reads the pages without a warning.
if command -v groff >/dev/null 2>&1; then
	for p in "$MAN" "$SRCDIR/man/aurora-restore-profile.5"; do
		w=$(groff -ww -man -z "$p" 2>&1)
		is "$w" "" "groff -ww reads ${p##*/} without a warning"
	done
else
	skip "groff -ww reads aurora-restore.8" "groff is not installed"
	skip "groff -ww reads aurora-restore-profile.5" "groff is not installed"
fi

done_testing
