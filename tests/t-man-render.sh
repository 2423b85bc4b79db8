# tests/t-man-render.sh: man/aurora-restore.8 as groff renders it, where the
# source's macros once went wrong: a command's tag that ran into its
# description, a file name broken by spaces (.I where .IR was needed), and
# --detailed-exitcode naming every command it applies to.
# min-checks: 5
. "$SRCDIR/tests/lib.sh"

# The page as plain text, wide enough that no tag or path wraps.
groff -man -Tutf8 -rLL=300n -P-cbou "$SRCDIR/man/aurora-restore.8" 2>"$T/groff.err" >"$T/page" ||
	bail "groff renders the page" "$(cat "$T/groff.err")"
sed -i 's/[[:space:]]*$//; s/\([^ ]\)  */\1 /g' "$T/page"	# no trailing blanks, no justification

# after PATTERN: the line that follows the first line matching PATTERN
after() { grep -A1 -m1 -E -- "$1" "$T/page" | sed -n 2p; }
# paragraph PATTERN: the lines from the first one matching PATTERN to the next blank line
paragraph() { sed -n "/$1/,/^\$/p" "$T/page" | tr -s ' \n' ' '; }

tag=$(grep -m1 -E '^ +verify \[PROFILE\]' "$T/page")
is "$(echo "$tag" | sed 's/^ *//')" "verify [PROFILE] [--live] [--scheduler URL] [--timeout TIME]" \
	"verify: the tag is the whole synopsis, on its own line"
like "$(after '^ +verify \[PROFILE\]')" "^ +Exit 0 only if the host is in" "verify: the description starts on the next line"
like "$(cat "$T/page")" "^ +/etc/aurora-restore/profiles/NAME\.conf$" "FILES: profiles/NAME.conf in one piece"
p=$(paragraph '^ *--detailed-exitcode$')
like "$p" "Exit 2 .* diff " "--detailed-exitcode: says it applies to diff"
like "$p" "with --check" "--detailed-exitcode: says it applies with --check"

done_testing
