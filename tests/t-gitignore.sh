# tests/t-gitignore.sh: what a build and the by-hand targets write into the
# tree is ignored by git, so `git status` after a build shows only sources.
# The products are read from the build files, not listed here: the programs
# of Makefile.am and fuzz/fuzz.am (bin_, check_, EXTRA_PROGRAMS, the fuzz
# replays) with their objects and fuzz-regress logs, and every
# BUILDDIR/... path the test, fuzz, bench and CI scripts write to.
# min-checks: 3
# allow-skip: not a git checkout -- a release tarball has no .git to ask
. "$SRCDIR/tests/lib.sh"

git -C "$SRCDIR" rev-parse --git-dir >/dev/null 2>&1 || skip_all "not a git checkout"

# vars FILE NAME...: the words of the make variables NAME (continued lines joined)
vars() {
	local f=$1; shift
	sed -e ':a' -e '/\\$/{N;s/\\\n//;ba}' "$f" |
		awk -v names=" $* " '{ n = $1 } index(names, " " n " ") && ($2 == "=" || $2 == "+=") {
			for (i = 3; i <= NF; i++) print $i }'
}
replays=$(vars "$SRCDIR/fuzz/fuzz.am" FUZZ_REPLAYS)
programs=$(vars "$SRCDIR/Makefile.am" bin_PROGRAMS check_PROGRAMS | grep -v '^\$')
[ -n "$replays" ] && [ -n "$programs" ] || bail "the programs are read from Makefile.am and fuzz/fuzz.am" "$programs" "$replays"
written=$(grep -ohE '\$\{?BUILDDIR(:[^}]*)?\}?/[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)?' \
	"$SRCDIR"/tests/*.sh "$SRCDIR/tests/run" "$SRCDIR"/fuzz/*.sh "$SRCDIR"/bench/*.sh "$SRCDIR/.ci/run" 2>/dev/null |
	sed -E 's/^\$\{?BUILDDIR(:[^}]*)?\}?\///' | grep -v -- '-$' | sort -u)
[ -n "$written" ] || bail "the BUILDDIR paths are read from the scripts"

# not_ignored PATH...: the paths git would show as untracked
not_ignored() {
	local p
	for p in "$@"; do git -C "$SRCDIR" check-ignore -q --no-index -- "$p" || printf '%s ' "$p"; done
}
# shellcheck disable=SC2046
is "$(not_ignored $(for p in $programs; do echo "$p" "$p.o"; done))" "" \
	"every program of Makefile.am and its object is ignored ($(echo $programs | wc -w))"
# shellcheck disable=SC2046
is "$(not_ignored $(for p in $replays; do echo "$p" "$p.log"; done))" "" \
	"every fuzz replay and its fuzz-regress log is ignored ($(echo $replays | wc -w))"
# shellcheck disable=SC2046
is "$(not_ignored $(for p in $written; do echo "$p/some-file"; done))" "" \
	"every path the scripts write under BUILDDIR is ignored: $(echo $written)"

done_testing
