# tests/lib.sh: sourced by every tests/t-*.sh script. Prints TAP.
#
# The driver (tests/run) exports:
#   AR        the aurora-restore binary under test
#   SRCDIR    the source tree's top; BUILDDIR the build tree's top
#   EXAMPLES  real Aurora files (tests/data/aurora-examples)
# Each script gets a private scratch directory $T, removed afterwards.
#
# What the driver reads from a script's own comment lines:
#   min-checks: N        fewer checks than N (or a plan of 1..0) fails it
#   allow-skip: REASON   a skip whose reason starts with REASON is allowed
#                        (the line says why); any other skip fails
# Setup steps are not checks: `setup` and `bail` stop the script with
# "Bail out!" when a step fails and print nothing when it works. Checks of
# the test doubles themselves run under `of_double` and are counted apart.

set -u
: "${AR:?run me through tests/run}"
T=$(mktemp -d "${TMPDIR:-/tmp}/ar-test.XXXXXX")
pids=()			# servers a script started: stopped at exit
_cleanup() {		# then the script's own at_exit, if it defines one
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
	if declare -F at_exit >/dev/null; then at_exit; fi
	rm -rf "$T"
}
trap _cleanup EXIT
_n=0
_failed=0
_double=

ok() {			# ok DESCRIPTION: a passing check
	_n=$((_n + 1)); echo "ok $_n - ${_double:+[double] }$1"
}
not_ok() {		# not_ok DESCRIPTION [DETAIL...]
	_n=$((_n + 1)); _failed=$((_failed + 1)); echo "not ok $_n - ${_double:+[double] }$1"
	shift; for l in "$@"; do printf '#   %s\n' "$l"; done
}
skip() {		# skip DESCRIPTION WHY: a check not run (WHY: an allow-skip reason)
	_n=$((_n + 1)); echo "ok $_n - $1 # SKIP $2"
}
skip_all() {		# skip_all WHY: the whole script is not run; exits
	echo "1..0 # SKIP $1"
	exit 0
}
bail() {		# bail SETUP-STEP [DETAIL...]: a setup step failed; exits
	echo "Bail out! $1"
	shift; for l in "$@"; do printf '#   %s\n' "$l"; done
	exit 1
}
setup() {		# setup SETUP-STEP COMMAND...: bails unless COMMAND exits 0
	local d=$1; shift
	"$@" >"$T/.setup.out" 2>&1 || bail "$d" "$(head -c 2000 "$T/.setup.out")"
}
of_double() {		# of_double CHECK ARGS...: a check of a test double, not of the tool
	local _double=1
	"$@"
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
listening() {		# listening NAME PID: waits (60 s at most) for "LISTENING HOST:PORT" in
			# $T/NAME.out; sets URL_NAME; bails if PID ends first or never listens
	local i
	for i in $(seq 600); do
		grep -q '^LISTENING' "$T/$1.out" 2>/dev/null && break
		kill -0 "$2" 2>/dev/null || break
		sleep 0.1
	done
	grep -q '^LISTENING' "$T/$1.out" 2>/dev/null ||
	    bail "$1 listens" "$(tail -c 1500 "$T/$1.err" 2>/dev/null)"
	eval "URL_$1=http://$(sed -n 's/^LISTENING //p' "$T/$1.out" | head -1)"
}
snapshot() {		# snapshot DIR: one line per file: path, mode, owner, mtime, sha256
	(cd "$1" && find . -type f -printf '%p %m %u:%g %T@ ' -exec sha256sum {} \; | sort)
}
done_testing() {
	echo "1..$_n"
	[ "$_failed" -eq 0 ]
}
