#!/bin/bash
# bench/log-status.sh [MB] [RUNS]: log-status on a replica of MB megabytes
# (default 2048) built by bench/mkbig-replica.py (python3-plyvel), with its
# table files on the same filesystem as $TMPDIR (linked) and, second, with
# TMPDIR on a tmpfs (then log-status needs the room to copy them, says so
# and leaves the state unknown when it is missing). Prints the median wall
# time and the peak extra disk used on the replica's filesystem while
# log-status runs. Run by hand from a build tree: bash bench/log-status.sh
# Builds its replica under ${BENCH_DIR:-/var/tmp} (MB of free space needed).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
AR=${AR:-$top/aurora-restore}
mb=${1:-2048}
runs=${2:-5}
work=$(mktemp -d "${BENCH_DIR:-/var/tmp}/ar-bench-log.XXXXXX")
trap 'rm -rf "$work"' EXIT
export AURORA_RESTORE_LENSDIR=${AURORA_RESTORE_LENSDIR:-$top/lenses}

now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m}'; }
used_kb() { df -k --output=used "$1" | tail -1; }

mkdir -p "$work/root/db" "$work/proc" "$work/tmp"
printf '#!/bin/sh\necho inactive; exit 3\n' >"$work/systemctl" && chmod +x "$work/systemctl"
printf 'systemctl = "%s";\n' "$work/systemctl" >"$work/ar.conf"
t0=$(now)
/usr/bin/python3 "$top/bench/mkbig-replica.py" "$work/root/db" "$mb"
echo "built a $(du -sm "$work/root/db" | cut -f1) MB replica ($(ls "$work/root/db" | grep -c '\.ldb$') tables) in $(( ($(now) - t0) / 1000000 )) ms"

# one run: wall seconds and peak extra KB on the replica's filesystem
one() {
	local base peak=0 u pid t
	base=$(used_kb "$work")
	t=$(now)
	"$AR" --root "$work/root" --proc "$work/proc" --config "$work/ar.conf" --json log-status /db >"$work/out" 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		u=$(( $(used_kb "$work") - base ))
		[ "$u" -gt "$peak" ] && peak=$u
		sleep 0.02
	done
	wait "$pid" || true
	echo "$(( $(now) - t )) $peak" >>"$work/runs"
}

: >"$work/runs"
for i in $(seq "$runs"); do TMPDIR=$work/tmp one; done
echo "linked (TMPDIR on the replica's filesystem): median $(cut -d' ' -f1 "$work/runs" | awk '{print $1/1e9}' | median) s," \
	"peak extra disk $(cut -d' ' -f2 "$work/runs" | sort -n | tail -1) KB over $runs runs"
python3 -c 'import json,sys; o=json.load(open(sys.argv[1])); print("  state", o["state"], "entries", o["entries"])' "$work/out"

: >"$work/runs"
TMPDIR=/dev/shm one
echo "TMPDIR=/dev/shm (another filesystem; the replica's parent is then used): $(cut -d' ' -f1 "$work/runs" | awk '{print $1/1e9}') s"
python3 -c 'import json,sys; o=json.load(open(sys.argv[1])); print("  state", o["state"], "entries", o["entries"])' "$work/out"
