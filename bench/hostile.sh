#!/bin/bash
# bench/hostile.sh: memory and time of the replies issue 16 found costly,
# against tests/hostile.py on loopback, run by hand from a build tree:
#   bash bench/hostile.sh [OLD_BINARY]
# For each case: peak RSS (KiB) and wall time of aurora-restore (and of
# OLD_BINARY beside it when given, e.g. a build of the code before the fix).
#  - listBackups of 500 000 three-byte names (a 3 MB reply), text and --json
#  - tasks --json with 1 000 000 empty tasks (a 3 MB reply)
#  - delete-tasks --role www --yes with 300 000 small tasks (a 25 MB reply)
#  - one backup name of 8 MB and of 32 MB (decoding one long string)
# Not a test: nothing is asserted; tests/t-hostile.sh bounds the memory.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
AR=${AR:-$top/aurora-restore}
OLD=${1:-}
PY=/usr/bin/python3
work=$(mktemp -d /tmp/ar-bench.XXXXXX)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; rm -rf "$work"' EXIT
export AURORA_RESTORE_LENSDIR=${AURORA_RESTORE_LENSDIR:-$top/lenses}
mkdir -p "$work/root"

start() {		# start ARGS...: a hostile server; prints its URL
	local out=$work/srv.$RANDOM
	"$PY" "$top/tests/hostile.py" --host 127.0.0.49 --lifetime 600 "$@" >"$out" 2>/dev/null &
	pids+=($!)
	for i in $(seq 600); do grep -q '^LISTENING' "$out" 2>/dev/null && break; sleep 0.1; done
	echo "http://$(sed -n 's/^LISTENING //p' "$out")"
}
one() {			# one LABEL BINARY ARGS...
	local label=$1 bin=$2; shift 2
	/usr/bin/time -f '%M %e' -o "$work/t" timeout 600 "$bin" --root "$work/root" "$@" \
	    >/dev/null 2>"$work/err"
	rc=$?
	printf '%-42s %-4s rc %-3s peak %8s KiB  %6s s\n' "$label" "$([ "$bin" = "$AR" ] && echo new || echo old)" \
	    "$rc" "$(tail -1 "$work/t" | cut -d' ' -f1)" "$(tail -1 "$work/t" | cut -d' ' -f2)"
}
case_() {		# case_ LABEL ARGS...: the new binary, and the old one if given
	one "$1" "$AR" "${@:2}"
	[ -z "$OLD" ] || one "$1" "$OLD" "${@:2}"
}

u=$(start --backups 500000)
case_ "backups, 500000 names (3 MB)" backups --scheduler "$u"
case_ "backups --json, 500000 names" --json backups --scheduler "$u"
u=$(start --tasks 1000000 --empty-tasks)
case_ "tasks --json, 1000000 empty tasks (3 MB)" --json tasks --all-states --scheduler "$u"
u=$(start --tasks 300000 --lean-tasks --roles www)
case_ "delete-tasks --role www, 300000 tasks" delete-tasks --role www --all-states --yes --scheduler "$u"
u=$(start --backups 1 --name-len 8000000)
case_ "backups, one 8 MB name" backups --scheduler "$u"
u=$(start --backups 1 --name-len 32000000)
case_ "backups, one 32 MB name" backups --scheduler "$u"
