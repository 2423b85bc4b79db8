# tests/recovery-fixture.sh: sourced after tests/lib.sh by the scripts that
# run the recovery commands against one scheduler double: a host in the
# recovery state under $R (the debian example, profile applied, backups in
# $BD), the double (tests/scheduler/scheduler.py, --leader, on 127.0.0.2)
# at $URL, and helpers. Setup failures bail out.
#   ar ARGS...             the tool with --root and --scheduler; $rc $out $err
#   tasks_backup NAME AGE  a backup in $BD, AGE seconds old, holding exactly
#                          the tasks "ROLE ENV JOB INSTANCE STATUS" on stdin
#   staged_ids             the task ids staged on the double, all states,
#                          read with the double's own client (sorted)

PY=/usr/bin/python3
SCH=$SRCDIR/tests/scheduler
_sched_pid=
cleanup() {
	[ -z "$_sched_pid" ] || { kill "$_sched_pid" 2>/dev/null; wait "$_sched_pid" 2>/dev/null; }
	rm -rf "$T"
}
trap cleanup EXIT

R=$T/root
BD=$R/var/lib/aurora/scheduler/backups
mkdir -p "$R/etc/default" "$R/etc/aurora" "$BD" "$T/proc"
cp "$EXAMPLES/debian-aurora-scheduler.default" "$R/etc/default/aurora-scheduler"
cp "$EXAMPLES/packaging-clusters.json" "$R/etc/aurora/clusters.json"
sed -i 's|^BACKUP_DIR=.*|BACKUP_DIR="/var/lib/aurora/scheduler/backups"|' "$R/etc/default/aurora-scheduler"
"$AR" --root "$R" --proc "$T/proc" apply --reason "$(basename "$0")" >"$T/apply.out" 2>&1 ||
	bail "the host is put into the recovery state" "$(cat "$T/apply.out")"

"$PY" "$SCH/scheduler.py" --host 127.0.0.2 --port 0 --backup-dir "$BD" \
    --lifecycle LEADER_AWAITING_REGISTRATION --leader --cluster example >"$T/sched.out" 2>"$T/sched.err" &
_sched_pid=$!
listening sched "$_sched_pid"
URL=$URL_sched

ar() {
	"$AR" --root "$R" --proc "$T/proc" "$@" --scheduler "$URL" >"$T/.out" 2>"$T/.err"; rc=$?
	out=$(cat "$T/.out"); err=$(cat "$T/.err")
}
tasks_backup() {
	"$PY" "$SRCDIR/tests/task-backup.py" "$BD/$1" $(( ($(date +%s) - $2) * 1000 )) ||
		bail "backup $1 written"
}
staged_ids() {
	"$PY" "$SCH/client.py" --url "$URL/api" --bypass --method queryRecovery --all-states \
	    >"$T/client.out" 2>"$T/client.err" || bail "the double's client reads the staged tasks" "$(cat "$T/client.err")"
	sed 1d "$T/client.out" | cut -f5 | sort
}
