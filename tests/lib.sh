# tests/lib.sh: sourced by every tests/t-*.sh script. Prints TAP.
#
# The driver (tests/run) exports:
#   AR        the aurora-restore binary under test
#   SRCDIR    the source tree's top; BUILDDIR the build tree's top
#   EXAMPLES  real Aurora files (tests/data/aurora-examples)
# Each script gets a private scratch directory $T, removed afterwards.

set -u
: "${AR:?run me through tests/run}"
T=$(mktemp -d "${TMPDIR:-/tmp}/ar-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
_n=0
_failed=0

ok() {			# ok DESCRIPTION: a passing check
	_n=$((_n + 1)); echo "ok $_n - $1"
}
not_ok() {		# not_ok DESCRIPTION [DETAIL...]
	_n=$((_n + 1)); _failed=$((_failed + 1)); echo "not ok $_n - $1"
	shift; for l in "$@"; do printf '#   %s\n' "$l"; done
}
check() {		# check DESCRIPTION COMMAND...: passes when COMMAND exits 0
	local d=$1; shift
	if "$@" >"$T/.check.out" 2>&1; then ok "$d"; else not_ok "$d" "$(head -c 2000 "$T/.check.out")"; fi
}
is() {			# is GOT WANT DESCRIPTION
	if [ "$1" = "$2" ]; then ok "$3"; else not_ok "$3" "got:  $1" "want: $2"; fi
}
like() {		# like GOT EXTENDED-REGEX DESCRIPTION
	if printf '%s' "$1" | grep -Eq -- "$2"; then ok "$3"; else not_ok "$3" "got:  $1" "want: /$2/"; fi
}
same_file() {		# same_file A B DESCRIPTION: byte for byte
	if cmp -s "$1" "$2"; then ok "$3"; else not_ok "$3" "$(diff -u "$1" "$2" | head -40)"; fi
}
run() {			# run ARGS...: runs $AR, sets $rc, $out (stdout) and $err (stderr)
	"$AR" "$@" >"$T/.out" 2>"$T/.err"; rc=$?
	out=$(cat "$T/.out"); err=$(cat "$T/.err")
}
snapshot() {		# snapshot DIR: one line per file: path, mode, owner, mtime, sha256
	(cd "$1" && find . -type f -printf '%p %m %u:%g %T@ ' -exec sha256sum {} \; | sort)
}
done_testing() {
	echo "1..$_n"
	[ "$_failed" -eq 0 ]
}
