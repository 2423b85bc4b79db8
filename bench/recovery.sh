#!/bin/bash
# bench/recovery.sh: the recovery commands' two targets, run by hand from a
# build tree: bash bench/recovery.sh [TASKS]
#  1. tasks over a staged backup of TASKS (100,000) tasks with realistic
#     TaskConfigs: wall time and peak memory of aurora-restore beside a
#     python3-thrift client decoding the same reply (what aurora_admin does).
#     Target: 10x faster, peak memory below the size of the reply.
#  2. leader over 5 schedulers, 2 of them black-holed: total time within
#     1.2 times one connect timeout.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
AR=${AR:-$top/aurora-restore}
PY=/usr/bin/python3
SCH=$top/tests/scheduler
N=${1:-100000}
work=$(mktemp -d /tmp/ar-bench.XXXXXX)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; rm -rf "$work"' EXIT
export AURORA_RESTORE_LENSDIR=${AURORA_RESTORE_LENSDIR:-$top/lenses}

start() {		# start OUTFILE ARGS...: a test scheduler; prints its URL
	local out=$1; shift
	"$PY" "$SCH/scheduler.py" --port 0 "$@" >"$out" 2>/dev/null &
	pids+=($!)
	for i in $(seq 600); do grep -q '^LISTENING' "$out" 2>/dev/null && break; sleep 0.1; done
	echo "http://$(sed -n 's/^LISTENING //p' "$out")"
}
peak() { awk '/Maximum resident/ {print $NF}' "$1"; }

mkdir -p "$work/backups"
name=scheduler-backup-bench
"$PY" "$SCH/make_backup.py" --tasks "$N" --timestamp-ms $(( $(date +%s) * 1000 )) --seed 1 --out "$work/backups/$name"
url=$(start "$work/s.out" --host 127.0.0.2 --backup-dir "$work/backups" --lifecycle LEADER_AWAITING_REGISTRATION --leader --lifetime 3600)
"$AR" stage "$name" --scheduler "$url" --force --timeout 300secs >/dev/null
curl -s -X POST -H 'Content-Type: application/x-thrift' -H 'Bypass-Leader-Redirect: true' \
	--data '[1,"queryRecovery",1,0,{"1":{"rec":{}}}]' "$url/api" >"$work/reply.json"
reply=$(stat -c %s "$work/reply.json")
echo "backup: $N tasks, $(stat -c %s "$work/backups/$name") bytes; queryRecovery reply (all states): $reply bytes"
# Both clients read the same reply from a server that only sends bytes.
"$PY" "$top/bench/canned.py" 127.0.0.9 0 "$work/reply.json" >"$work/canned.out" &
pids+=($!)
for i in $(seq 100); do grep -q LISTENING "$work/canned.out" 2>/dev/null && break; sleep 0.1; done
url=http://$(sed -n 's/^LISTENING //p' "$work/canned.out")

/usr/bin/time -v "$AR" tasks --all-states --scheduler "$url" --timeout 600secs --max-reply 4000000000 \
	>"$work/ar.out" 2>"$work/ar.time"
/usr/bin/time -v "$PY" "$SCH/client.py" --url "$url/api" --bypass --method queryRecovery --all-states \
	--timeout 600 >"$work/py.out" 2>"$work/py.time"
ar_s=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$work/ar.time")
py_s=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$work/py.time")
echo "aurora-restore tasks: ${ar_s} s, peak RSS $(peak "$work/ar.time") KiB, $(($(wc -l <"$work/ar.out") - 1)) lines"
echo "python3-thrift client: ${py_s} s, peak RSS $(peak "$work/py.time") KiB, $(wc -l <"$work/py.out") lines"
awk -v a="$ar_s" -v p="$py_s" -v m="$(peak "$work/ar.time")" -v r="$reply" 'BEGIN {
	printf "speed-up %.1fx (target 10x); peak %.1f MB vs reply %.1f MB (target: below)\n", p/a, m/1024, r/1e6 }'

# leader over 5 schedulers, 2 black-holed
urls=()
for i in 3 4 5; do
	life=STORAGE_PREPARED; lead=
	[ $i = 3 ] && { life=LEADER_AWAITING_REGISTRATION; lead=--leader; }
	u=$(start "$work/s$i.out" --host 127.0.0.$i --backup-dir "$work/backups" --lifecycle $life $lead)
	urls+=("${u#http://}")
done
for i in 6 7; do
	"$PY" "$SCH/blackhole.py" --host 127.0.0.$i --port 0 >"$work/bh$i.out" 2>/dev/null &
	pids+=($!)
	for j in $(seq 50); do grep -q LISTENING "$work/bh$i.out" 2>/dev/null && break; sleep 0.1; done
	urls+=("$(sed -n 's/^LISTENING //p' "$work/bh$i.out")")
done
hosts=$(IFS=,; echo "${urls[*]}")
for t in 2 5; do
	s=$(date +%s%N)
	"$AR" leader --hosts "$hosts" --timeout ${t}secs >"$work/leader.out" || true
	e=$(date +%s%N)
	awk -v ms=$(( (e - s) / 1000000 )) -v t=$t 'BEGIN { printf "leader over 5 (2 black-holed), timeout %d s: %d ms = %.2fx the timeout (target <= 1.2x)\n", t, ms, ms/1000/t }'
done
tail -1 "$work/leader.out"
