#!/bin/bash
# bench/impact.sh [TASKS]: impact over TASKS (100,000) running Mesos tasks
# against a backup file of TASKS tasks, the master being a server that only
# sends bytes (bench/mesos-bytes.py): wall time and peak RSS of
#   1. impact --backup FILE (the backup's frameworkId: /master/tasks, pages of 1000)
#   2. the same backup without frameworkId (/master/state for the framework by
#      name, about 100 MB, then the pages)
# beside python3: json.load of /master/state and a set join with the backup
# decoded by python3-thrift, in the same run. Target: under 2 s and 64 MB.
# Wall time includes the byte server's; on a busy machine compare cpu.
# Run by hand from a build tree: bash bench/impact.sh
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
AR=${AR:-$top/aurora-restore}
PY=/usr/bin/python3
N=${1:-100000}
work=$(mktemp -d /tmp/ar-bench.XXXXXX)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; rm -rf "$work"' EXIT
export AURORA_RESTORE_LENSDIR=${AURORA_RESTORE_LENSDIR:-$top/lenses}
mkdir -p "$work/root"

"$PY" "$top/bench/impact-inputs.py" "$N" "$work"
"$PY" "$top/tests/mesos/backup.py" "$work/spec.json" "$work/backup"
"$PY" -c "import json; s=json.load(open('$work/spec.json')); s.pop('framework_id'); json.dump(s, open('$work/spec2.json','w'))"
"$PY" "$top/tests/mesos/backup.py" "$work/spec2.json" "$work/backup-nofw"
echo "backup: $N tasks, $(stat -c %s "$work/backup") bytes; /master/state: $(stat -c %s "$work/state.json") bytes; $(ls "$work"/tasks-*.json | wc -l) pages of /master/tasks"
"$PY" "$top/bench/mesos-bytes.py" 127.0.0.9 0 "$work" >"$work/m.out" &
pids+=($!)
for i in $(seq 100); do grep -q LISTENING "$work/m.out" 2>/dev/null && break; sleep 0.1; done
url=http://$(sed -n 's/^LISTENING //p' "$work/m.out")

secs() { awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$1"; }
peak() { awk '/Maximum resident/ {printf "%.1f", $NF/1024}' "$1"; }
cpu() { awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2f", s}' "$1"; }
measure() {		# measure KEY LABEL COMMAND...
	local key=$1 label=$2; shift 2
	/usr/bin/time -v "$@" >"$work/$key.out" 2>"$work/$key.time" || { head -3 "$work/$key.time"; exit 1; }
	printf '%-46s %6s s wall  %5s s cpu  %7s MB  %s\n' "$label" "$(secs "$work/$key.time")" \
		"$(cpu "$work/$key.time")" "$(peak "$work/$key.time")" \
		"$(tail -1 "$work/$key.out" | grep -o 'kills [0-9]* of the [0-9]* tasks')"
}
measure tasks "aurora-restore impact (/master/tasks pages)" "$AR" --root "$work/root" impact --backup "$work/backup" --mesos "$url" --timeout 60secs
measure state "aurora-restore impact (/master/state + pages)" "$AR" --root "$work/root" impact --backup "$work/backup-nofw" --mesos "$url" --timeout 60secs
measure py "python3 json.load + set join (/master/state)" "$PY" "$top/bench/impact-baseline.py" "$work/backup" "$work/state.json"
