#!/bin/bash
# bench/run.sh [RUNS]: wall time and instruction count of apply, verify and
# revert on the Debian example host, beside augtool -r ROOT making the same
# edits through its default lens loading (Shellvars) plus a Json transform
# for clusters.json. Run by hand from a build tree: bash bench/run.sh 20
# Needs valgrind and augeas-tools. Prints medians in milliseconds.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
AR=${AR:-$top/aurora-restore}
runs=${1:-20}
work=$(mktemp -d /tmp/ar-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
export AURORA_RESTORE_LENSDIR=${AURORA_RESTORE_LENSDIR:-$top/lenses}

reset() { rm -rf "$work/root"; cp -a "$top/examples/debian-host" "$work/root"; }
now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.1f", m/1e6}'; }

augtool_edit() {
	augtool -r "$work/root" -t "Json.lns incl /etc/aurora/clusters.json" >/dev/null <<'EOA'
set /files/etc/default/aurora-scheduler/MESOS_MASTER '"zk://localhost:1111/mesos/master"'
set /files/etc/default/aurora-scheduler/EXTRA_SCHEDULER_ARGS '"-max_registration_delay=360mins -reconciliation_initial_delay=365days"'
set /files/etc/aurora/clusters.json/array/dict/entry[. = 'zk'] scheduler_uri
set /files/etc/aurora/clusters.json/array/dict/entry[. = 'scheduler_uri']/string http://aurora1.example.com:8081
save
EOA
}

: >"$work/apply" >"$work/verify" >"$work/revert" >"$work/augtool"
for i in $(seq "$runs"); do
	reset
	t0=$(now); "$AR" --root "$work/root" apply >/dev/null; t1=$(now)
	"$AR" --root "$work/root" verify >/dev/null; t2=$(now)
	"$AR" --root "$work/root" revert >/dev/null; t3=$(now)
	echo $((t1 - t0)) >>"$work/apply"
	echo $((t2 - t1)) >>"$work/verify"
	echo $((t3 - t2)) >>"$work/revert"
	reset
	t0=$(now); augtool_edit; t1=$(now)
	echo $((t1 - t0)) >>"$work/augtool"
done
grep -q 'localhost:1111' "$work/root/etc/default/aurora-scheduler" || { echo "augtool did not make the edit" >&2; exit 1; }

instr() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null | awk '/Collected/ {print $NF}'; }
reset
i_apply=$(instr "$AR" --root "$work/root" apply)
i_verify=$(instr "$AR" --root "$work/root" verify)
i_revert=$(instr "$AR" --root "$work/root" revert)
reset
i_aug=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null augtool -r "$work/root" \
	-t "Json.lns incl /etc/aurora/clusters.json" set /files/etc/default/aurora-scheduler/MESOS_MASTER \
	'"zk://localhost:1111/mesos/master"' 2>&1 >/dev/null | awk '/Collected/ {print $NF}')

m_apply=$(median <"$work/apply"); m_verify=$(median <"$work/verify")
m_revert=$(median <"$work/revert"); m_aug=$(median <"$work/augtool")
printf '%-28s %10s %16s\n' "command ($runs runs)" "median ms" "instructions"
printf '%-28s %10s %16s\n' "aurora-restore apply" "$m_apply" "$i_apply"
printf '%-28s %10s %16s\n' "aurora-restore verify" "$m_verify" "$i_verify"
printf '%-28s %10s %16s\n' "aurora-restore revert" "$m_revert" "$i_revert"
printf '%-28s %10s %16s\n' "augtool -r (same edits)" "$m_aug" "$i_aug"
awk -v a="$m_aug" -v p="$m_apply" -v v="$m_verify" -v r="$m_revert" 'BEGIN {
	printf "augtool / apply %.0fx, / verify %.0fx, / revert %.0fx (target: each >= 20x and < 20 ms)\n", a/p, a/v, a/r }'
