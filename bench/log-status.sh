#!/bin/bash
# bench/log-status.sh [MB] [RUNS]: log-status on a replica of MB megabytes
# (default 2048) built by tests/log/mkreplica.py big (python3-plyvel), with
# $TMPDIR on the replica's filesystem and then on /dev/shm (another one:
# the scratch folder goes beside the replica). Prints the median wall and
# CPU time and the peak extra bytes on disk while log-status runs (files in
# its scratch folders that are not links to the replica's; AR=... of an
# older build, which copied into $TMPDIR, is measured the same way). The
# machine's load is printed: wall time means little on a busy machine, CPU
# time more. Run by hand from a build tree: bash bench/log-status.sh
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

mkdir -p "$work/root/db" "$work/proc" "$work/tmp"
printf '#!/bin/sh\necho inactive; exit 3\n' >"$work/systemctl" && chmod +x "$work/systemctl"
printf 'systemctl = "%s";\n' "$work/systemctl" >"$work/ar.conf"
t0=$(now)
/usr/bin/python3 "$top/tests/log/mkreplica.py" big "$work/root/db" "$mb"
echo "built a $(du -sm "$work/root/db" | cut -f1) MB replica ($(ls "$work/root/db" | grep -c '\.ldb$') tables) in $(( ($(now) - t0) / 1000000 )) ms"

# Bytes log-status itself adds on disk: files in its scratch folders
# ($TMPDIR and beside the replica) that are not links to the replica's.
scratch_kb() {
	find "$work/tmp" /dev/shm "$work/root" \( -path '*/.aurora-restore-scratch.*' -o \
		-path '*/aurora-restore-replica.*' \) -type f -links 1 \
		-printf '%k\n' 2>/dev/null | awk '{s += $1} END {print s + 0}'
}

# one run: "wall user+sys peak-scratch-KB"
one() {
	local peak=0 u pid
	/usr/bin/time -f "%e %U %S" -o "$work/time" \
		"$AR" --root "$work/root" --proc "$work/proc" --config "$work/ar.conf" --json log-status /db >"$work/out" 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		u=$(scratch_kb)
		[ "$u" -gt "$peak" ] && peak=$u
		sleep 0.01
	done
	wait "$pid" || true
	read -r wall user sys <"$work/time"
	echo "$wall $(echo "$user + $sys" | bc) $peak" >>"$work/runs"
}
report() {		# report WHAT
	echo "$1: median wall $(cut -d' ' -f1 "$work/runs" | median) s, cpu $(cut -d' ' -f2 "$work/runs" | median) s," \
		"peak scratch bytes $(cut -d' ' -f3 "$work/runs" | sort -n | tail -1) KB over $(wc -l <"$work/runs") runs (load $(cut -d' ' -f1 /proc/loadavg))"
	python3 -c 'import json,sys; o=json.load(open(sys.argv[1])); print("  state", o["state"], "entries", o["entries"], o["reason"] or "")' "$work/out"
}

: >"$work/runs"
for i in $(seq "$runs"); do TMPDIR=$work/tmp one; done
report "TMPDIR on the replica's filesystem (tables linked)"
: >"$work/runs"
for i in $(seq "$runs"); do TMPDIR=/dev/shm one; done
report "TMPDIR=/dev/shm, another filesystem (tables linked beside the replica)"
