# The Aurora scheduler test double (tests/scheduler/scheduler.py) and its
# helpers, driven by the python3-thrift client (tests/scheduler/client.py)
# and curl: leader redirect rules, content types, the recovery calls with
# Aurora's semantics and messages, commit shutting the scheduler down,
# performBackup, Basic auth, the misbehaviours, and the blackhole port.
# Servers listen on 127.0.0.2 (leader), 127.0.0.3 (non-leader), 127.0.0.4
# (blackhole) only; every wait is bounded; every server is killed by PID.
# min-checks: 91
. "$SRCDIR/tests/lib.sh"
_double=1	# every check here is of the test double, counted apart (tests/run)

PY=/usr/bin/python3
S=$SRCDIR/tests/scheduler
if ! [ -x /usr/bin/thrift ] || ! "$PY" -c 'import thrift' 2>/dev/null ||
	! [ -f "$S/aurora_test.thrift" ] || ! command -v curl >/dev/null; then
	skip_all "needs /usr/bin/thrift, python3-thrift, curl and tests/scheduler/aurora_test.thrift"
fi

pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT

start() {		# start NAME SCRIPT ARGS...: sets $pid and $port; 1 when it does not come up in 10 s
	local name=$1 i; shift
	port=
	"$PY" "$@" >"$T/$name.out" 2>"$T/$name.err" &
	pid=$!
	pids+=("$pid")
	for i in $(seq 100); do
		port=$(sed -n 's/^LISTENING .*:\([0-9][0-9]*\)$/\1/p' "$T/$name.out")
		[ -n "$port" ] && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	return 1
}
stop() {		# stop PID: kill a server we started and reap it
	kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}
ended() {		# ended PID SECS: 0 when PID exits within SECS; sets $status to its exit code
	local i
	for i in $(seq $(($2 * 10))); do
		if ! kill -0 "$1" 2>/dev/null; then
			wait "$1"; status=$?
			return 0
		fi
		sleep 0.1
	done
	return 1
}
post() {		# post URL DATA CURL-ARGS...: sets $code $body $hdrs $crc
	local url=$1 data=$2; shift 2
	: >"$T/.body"; : >"$T/.hdrs"
	code=$(curl -sS --max-time 10 -o "$T/.body" -D "$T/.hdrs" -w '%{http_code}' \
		"$@" --data-binary "$data" "$url" 2>"$T/.curlerr"); crc=$?
	body=$(tr -d '\000' <"$T/.body"); hdrs=$(tr -d '\r' <"$T/.hdrs")
}
XT=(-H 'Content-Type: application/x-thrift')
BY=(-H 'Bypass-Leader-Redirect: true')
cli() {			# cli URL ARGS...: client.py; sets $rc $out $err
	"$PY" "$S/client.py" --url "$1" --timeout 20 "${@:2}" >"$T/.out" 2>"$T/.err"; rc=$?
	out=$(cat "$T/.out"); err=$(cat "$T/.err")
}
now_ms() { date +%s%3N; }
has_line() {		# has_line TEXT LINE DESCRIPTION: TEXT has LINE, exactly
	if printf '%s\n' "$1" | grep -Fqx -- "$2"; then ok "$3"; else not_ok "$3" "got:  $1" "want line: $2"; fi
}

B=$T/backups
mkdir -p "$B"
BK=scheduler-backup-2026-03-01-12-00
N=40
check "make_backup.py writes a backup" \
	"$PY" "$S/make_backup.py" --tasks $N --timestamp-ms 1772366400000 --seed 3 --out "$B/$BK"
"$PY" "$S/make_backup.py" --tasks $N --timestamp-ms 1772366400000 --seed 3 --out "$T/again"
same_file "$B/$BK" "$T/again" "make_backup.py: the same seed gives the same bytes"
"$PY" "$S/make_backup.py" --dump "$B/$BK" >"$T/dump"
is "$(sed -n 1,2p "$T/dump" | tr '\n' ' ')" "timestamp 1772366400000 tasks $N " "the backup holds its timestamp and $N tasks"
is "$(od -An -tx1 -N3 "$B/$BK" | tr -d ' ')" "0a0001" "the backup starts with field 1, an i64 (binary protocol, no header)"
check "tjson_fast writes what TJSONProtocol reads back, field for field" "$PY" -c '
import sys
sys.dont_write_bytecode = True
sys.path.insert(0, sys.argv[1])
import aurora_idl, tjson_fast
from thrift.transport import TTransport
from thrift.protocol import TJSONProtocol, TBinaryProtocol
g = aurora_idl.load()
def canon(o):
    if isinstance(o, (set, list)):
        c = [canon(x) for x in o]
        return ("S", tuple(sorted(c, key=repr))) if isinstance(o, set) else ("L", tuple(c))
    if isinstance(o, dict):
        return ("M", tuple(sorted((repr(k), canon(v)) for k, v in o.items())))
    if hasattr(o, "thrift_spec"):
        return (type(o).__name__, tuple((f[2], canon(getattr(o, f[2]))) for f in o.thrift_spec if f))
    return o
snap = g.T.Snapshot()
snap.read(TBinaryProtocol.TBinaryProtocol(TTransport.TMemoryBuffer(open(sys.argv[2], "rb").read())))
back = g.T.Snapshot()
back.read(TJSONProtocol.TJSONProtocol(TTransport.TMemoryBuffer(tjson_fast.struct(snap).encode())))
assert len(snap.tasks) > 0 and canon(back) == canon(snap)
' "$S" "$B/$BK"
# Expected counts, from the dump: active states, and one job's tasks.
active=$(awk 'NR>3 && $2 ~ /^(PENDING|STARTING|RUNNING|KILLING|ASSIGNED|RESTARTING|PREEMPTING|THROTTLED|DRAINING|PARTITIONED)$/' "$T/dump" | wc -l)
job=$(awk 'NR>3 {print $3}' "$T/dump" | sed 's|/[0-9]*$||' | sort | uniq -c | sort -k1,1nr -k2 | awk 'NR==1 {print $2}')
jobn=$(awk -v j="$job" 'NR>3 { k=$3; sub("/[0-9]*$", "", k); if (k == j) n++ } END {print n+0}' "$T/dump")
role=${job%%/*}
rolen=$(awk -v r="$role" 'NR>3 { split($3, a, "/"); if (a[1] == r) n++ } END {print n+0}' "$T/dump")
echo "# $N tasks, $active active; job $job has $jobn; role $role has $rolen"
: >"$B/temp_scheduler-backup-2026-03-01-11-00"

# --- the partially disabled state: a leader not registered, a follower ---
start leader "$S/scheduler.py" --host 127.0.0.2 --port 0 --backup-dir "$B" --leader \
	--cluster ar-test --state "$T/state.bin"
setup "the leader double starts on 127.0.0.2" test -n "$port"
L=$pid LP=$port LU=http://127.0.0.2:$port
start follower "$S/scheduler.py" --host 127.0.0.3 --port 0 --backup-dir "$B" --cluster ar-test
setup "the follower double starts on 127.0.0.3" test -n "$port"
F=$pid FP=$port FU=http://127.0.0.3:$port

v=$(curl -sS --max-time 5 "$LU/vars")
has_line "$v" "scheduler_lifecycle_LEADER_AWAITING_REGISTRATION 1" "/vars: the leader is LEADER_AWAITING_REGISTRATION"
has_line "$v" "framework_registered 0" "/vars: not registered"
is "$(printf '%s\n' "$v" | grep -c '^scheduler_lifecycle_.* 1$')" 1 "/vars: exactly one lifecycle gauge is 1"
is "$(printf '%s\n' "$v" | grep -c '^scheduler_lifecycle_\(IDLE\|PREPARING_STORAGE\|STORAGE_PREPARED\|LEADER_AWAITING_REGISTRATION\|ACTIVE\|DEAD\) [01]$')" 6 "/vars: the six lifecycle gauges"
is "$v" "$(printf '%s\n' "$v" | LC_ALL=C sort)" "/vars is sorted"
fv=$(curl -sS --max-time 5 "$FU/vars")
has_line "$fv" "scheduler_lifecycle_LEADER_AWAITING_REGISTRATION 0" "/vars: the follower is not LEADER_AWAITING_REGISTRATION"
has_line "$fv" "scheduler_lifecycle_STORAGE_PREPARED 1" "/vars: the follower is STORAGE_PREPARED"
j=$(curl -sS --max-time 5 "$LU/vars.json" | "$PY" -c 'import json,sys; d=json.load(sys.stdin); print(d["scheduler_lifecycle_LEADER_AWAITING_REGISTRATION"], d["framework_registered"])')
is "$j" "1 0" "/vars.json carries the same gauges"
is "$(curl -sS --max-time 5 "$LU/health")" OK "/health says OK"
hc() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$1"; }
is "$(hc "$LU/leaderhealth")" 502 "/leaderhealth: 502 on the unregistered leader (no leader known, as Aurora)"
is "$(hc "$FU/leaderhealth")" 502 "/leaderhealth: 502 on the follower too"

LB='[1,"listBackups",1,0,{}]'
post "$LU/api" "$LB" "${XT[@]}"
is "$code" 503 "no scheduler registered: the leader answers 503 without the bypass header"
post "$FU/api" "$LB" "${XT[@]}"
is "$code" 503 "no leader known: the follower answers 503 without the bypass header"
cli "$LU/api" --method listBackups
is "$rc" 2 "client.py without --bypass fails on the 503"
post "$LU/api" "$LB" "${XT[@]}" "${BY[@]}"
is "$code" 200 "with Bypass-Leader-Redirect the leader answers"
like "$(printf '%s' "$hdrs" | grep -i '^content-type:')" 'application/vnd.apache.thrift.json' "the reply is application/vnd.apache.thrift.json"
like "$body" '^\[1,"listBackups",2,0,\{"0":\{"rec":\{"1":\{"i32":1\}' "the reply is a TJSON REPLY whose Response has responseCode OK"
like "$body" '"5":\{"rec":\{"1":\{"str":"ar-test"\}' "the Response carries serverInfo.clusterName"
post "$LU/api" "$LB" "${XT[@]}" "${BY[@]}" -H 'Accept: application/vnd.apache.thrift.binary'
like "$(printf '%s' "$hdrs" | grep -i '^content-type:')" 'application/vnd.apache.thrift.binary' "Accept: application/vnd.apache.thrift.binary gets a binary reply"
is "$(od -An -tx1 -N4 "$T/.body" | tr -d ' ')" 80010002 "... a strict binary REPLY message"
post "$LU/api" "$LB" "${BY[@]}"
is "$code" 415 "curl's default form Content-Type: 415"
post "$LU/api" "$LB" "${BY[@]}" -H 'Content-Type: text/plain'
is "$code" 415 "Content-Type text/plain: 415"
post "$LU/api" "$LB" "${BY[@]}" -H 'Content-Type: application/x-thrift; charset=utf-8'
is "$code" 415 "a Content-Type with parameters: 415 (JAX-RS MediaType equality, as Aurora)"
post "$LU/api" "$LB" "${BY[@]}" -H 'Content-Type: application/json'
is "$code" 200 "Content-Type application/json is TJSON too"
post "$LU/api" '[1,"noSuchCall",1,7,{}]' "${XT[@]}" "${BY[@]}"
like "$body" '^\[1,"noSuchCall",3,7,\{"1":\{"str":"Unknown function noSuchCall"\},"2":\{"i32":1\}\}\]' "an unknown method gets a TApplicationException UNKNOWN_METHOD"
post "$LU/api" '[1,"stageRecovery",1,0,{"1":{"str":"no-such-backup"}}]' "${XT[@]}" "${BY[@]}"
like "$body" "\"6\":\\{\"lst\":\\[\"rec\",1,\\{\"1\":\\{\"str\":\"Backup $B/no-such-backup does not exist.\"\\}\\}\\]\\}" "stageRecovery of a missing backup: Aurora's message in details"
like "$body" '"1":\{"i32":2\}' "... with responseCode ERROR"

A=$LU/api
cli "$A" --bypass --method listBackups
is "$out" "$(printf '2 available backups:\n%s\ntemp_scheduler-backup-2026-03-01-11-00' "$BK")" "listBackups lists every file, temp_ ones included"
cli "$A" --bypass --method queryRecovery
is "$err" "Response from scheduler: ERROR (message: No backup loaded.)" "queryRecovery before stageRecovery: No backup loaded."
is "$rc" 1 "client.py exits 1 on a non-OK response"
cli "$A" --bypass --method stageRecovery --backup "$BK"
is "$rc" 0 "stageRecovery of the backup: OK"
cli "$A" --bypass --method stageRecovery --backup "$BK"
is "$err" "Response from scheduler: ERROR (message: Another backup is already loaded.)" "a second stageRecovery: Another backup is already loaded."
cli "$A" --bypass --method queryRecovery --count
is "$out" "$active" "queryRecovery (active states, as aurora_admin): $active tasks"
cli "$A" --bypass --method queryRecovery --all-states --count
is "$out" "$N" "queryRecovery of every state: $N tasks"
cli "$A" --bypass --method queryRecovery --all-states --query "$role" --count
is "$out" "$rolen" "queryRecovery by role $role: $rolen tasks"
cli "$A" --bypass --method queryRecovery --all-states --query "$job"
is "$(printf '%s\n' "$out" | sed 1d | wc -l)" "$jobn" "queryRecovery by role/env/job $job: $jobn tasks"
is "$(printf '%s\n' "$out" | head -1)" "$(printf 'Role\tJob\tShard\tStatus\tTask ID')" "tasks print under aurora_admin's header"
like "$(printf '%s\n' "$out" | sed -n 2p)" "^${role}	${job##*/}	[0-9]+	[A-Z]+	${role}-" "a task line: role, job, shard, status, task id"
tid=$(awk 'NR==4 {print $1}' "$T/dump")
tst=$(awk 'NR==4 {print $2}' "$T/dump")
cli "$A" --bypass --method queryRecovery --task-id "$tid"
if [ "$tst" = RUNNING ] || [ "$tst" = PENDING ] || [ "$tst" = ASSIGNED ] || [ "$tst" = STARTING ] || [ "$tst" = THROTTLED ] || [ "$tst" = KILLING ] || [ "$tst" = RESTARTING ] || [ "$tst" = PREEMPTING ]; then want=1; else want=0; fi
is "$(printf '%s\n' "$out" | sed 1d | grep -c .)" "$want" "queryRecovery by task id (active states only)"
cli "$A" --bypass --method queryRecovery --status FINISHED,FAILED,KILLED,LOST --count
is "$out" "$((N - active))" "queryRecovery by statuses"

cli "$A" --bypass --method deleteRecoveryTasks --query "$job"
is "$rc" 0 "deleteRecoveryTasks of job $job: OK"
cli "$A" --bypass --method queryRecovery --all-states --count
is "$out" "$((N - jobn))" "after the delete, $((N - jobn)) tasks remain"
cli "$A" --bypass --method queryRecovery --all-states --query "$job" --count
is "$out" 0 "the deleted job has no tasks left"
tid2=$(awk -v j="$job" 'NR>3 { k=$3; sub("/[0-9]*$", "", k); if (k != j) { print $1; exit } }' "$T/dump")
cli "$A" --bypass --method deleteRecoveryTasks --task-id "$tid2"
cli "$A" --bypass --method queryRecovery --all-states --count
is "$out" "$((N - jobn - 1))" "deleteRecoveryTasks by task id removes that one"
cli "$A" --bypass --method unloadRecovery
is "$rc" 0 "unloadRecovery: OK"
cli "$A" --bypass --method queryRecovery
is "$err" "Response from scheduler: ERROR (message: No backup loaded.)" "after unloadRecovery nothing is staged"
cli "$A" --bypass --method stageRecovery --backup "$BK"
cli "$A" --bypass --method queryRecovery --all-states --count
is "$out" "$N" "staged again after unload: the deletions are gone ($N tasks)"

# performBackup: the current (empty) state, under Aurora's name.
before=$(date +%Y-%m-%d-%H-%M)
cli "$A" --bypass --method performBackup
after=$(date +%Y-%m-%d-%H-%M)
is "$rc" 0 "performBackup: OK"
nb=$(cd "$B" && ls | grep -v -e "^$BK\$" -e '^temp_')
if [ "$nb" = "scheduler-backup-$before" ] || [ "$nb" = "scheduler-backup-$after" ]; then
	ok "performBackup wrote scheduler-backup-yyyy-MM-dd-HH-mm in local time ($nb)"
else
	not_ok "performBackup wrote scheduler-backup-yyyy-MM-dd-HH-mm in local time" "got: $nb"
fi
is "$(cd "$B" && ls | grep -c '^temp_')" 1 "performBackup leaves no temp_ file of its own"
is "$("$PY" "$S/make_backup.py" --dump "$B/$nb" | sed -n 2p)" "tasks 0" "the new backup holds the current state (no tasks yet)"
cli "$A" --bypass --method listBackups
is "$(printf '%s\n' "$out" | head -1)" "3 available backups:" "listBackups now shows 3 files"
rm -f "$B/$nb"

# --- a follower that knows the leader ---
stop "$F"
start follower2 "$S/scheduler.py" --host 127.0.0.3 --port 0 --backup-dir "$B" --leader-url "$LU"
F=$pid FU=http://127.0.0.3:$port
post "$FU/api?x=1" "$LB" "${XT[@]}"
is "$code" 307 "a follower that knows the leader answers 307"
is "$(hc "$FU/leaderhealth")" 503 "/leaderhealth: 503 on a follower that knows the leader"
is "$(printf '%s\n' "$hdrs" | sed -n 's/^[Ll]ocation: //p')" "$LU/api?x=1" "... with Location: the leader's /api"
cli "$FU/api" --bypass --method commitRecovery
is "$err" "Response from scheduler: ERROR_TRANSIENT (message: Storage is not READY)" "commitRecovery on a follower (bypassed): ERROR_TRANSIENT Storage is not READY"
cli "$FU/api" --bypass --method performBackup
is "$rc:$err" "1:Response from scheduler: ERROR_TRANSIENT (message: Storage is not READY)" "performBackup on a follower: ERROR_TRANSIENT"
cli "$FU/api" --bypass --method listBackups
is "$rc" 0 "listBackups on a follower works (backup dir only)"
stop "$F"

# --- commit: the staged snapshot, less the deletions, becomes the state ---
cli "$A" --bypass --method deleteRecoveryTasks --query "$job"
t0=$(now_ms)
cli "$A" --bypass --method commitRecovery
is "$rc" 0 "commitRecovery answers OK"
if ended "$L" 5; then ok "the scheduler exits after commitRecovery ($(($(now_ms) - t0)) ms)"; else not_ok "the scheduler exits after commitRecovery"; fi
is "$status" 0 "... with status 0"
"$PY" "$S/make_backup.py" --dump "$T/state.bin" >"$T/state.dump"
is "$(sed -n 2p "$T/state.dump")" "tasks $((N - jobn))" "the state written is the staged backup less the deleted job"
is "$(sed 1,3d "$T/state.dump")" "$(sed 1,3d "$T/dump" | awk -v j="$job" '{ k=$3; sub("/[0-9]*$", "", k); if (k != j) print }')" "... task for task"
start leader2 "$S/scheduler.py" --host 127.0.0.2 --port 0 --backup-dir "$B" --leader --registered \
	--state "$T/state.bin"
L=$pid LU=http://127.0.0.2:$port
is "$(curl -sS --max-time 5 "$LU/vars" | grep -E '^(framework_registered|scheduler_lifecycle_ACTIVE) ')" "$(printf 'framework_registered 1\nscheduler_lifecycle_ACTIVE 1')" "restarted registered: ACTIVE, framework_registered 1"
is "$(hc "$LU/leaderhealth")" 200 "/leaderhealth: 200 on a registered leader"
cli "$LU/api" --method getTasksWithoutConfigs --all-states --count
is "$out" "$((N - jobn))" "a registered leader serves without the bypass header; it holds the committed tasks"
stop "$L"

# --- commit that drops the connection ---
start leader3 "$S/scheduler.py" --host 127.0.0.2 --port 0 --backup-dir "$B" --leader \
	--state "$T/state3.bin" --drop-on-commit
L=$pid LU=http://127.0.0.2:$port
cli "$LU/api" --bypass --method stageRecovery --backup "$BK"
post "$LU/api" '[1,"commitRecovery",1,0,{}]' "${XT[@]}" "${BY[@]}"
is "$crc" 52 "drop-on-commit: curl gets an empty reply (exit 52)"
if ended "$L" 5; then ok "drop-on-commit: the scheduler exits"; else not_ok "drop-on-commit: the scheduler exits"; fi
is "$("$PY" "$S/make_backup.py" --dump "$T/state3.bin" | sed -n 2p)" "tasks $N" "drop-on-commit: the state was written before the drop"

# --- Basic auth ---
printf 'alice:s3cret\nbob:hunter2\n' >"$T/users"
start basic "$S/scheduler.py" --host 127.0.0.2 --port 0 --backup-dir "$B" --leader \
	--auth basic --users "$T/users" --allowed alice
L=$pid LU=http://127.0.0.2:$port
post "$LU/api" "$LB" "${XT[@]}" "${BY[@]}"
is "$code" 401 "basic: an admin call without credentials gets 401"
has_line "$hdrs" 'WWW-Authenticate: Basic realm="Apache Aurora Scheduler"' "... with WWW-Authenticate: Basic"
post "$LU/api" "$LB" "${XT[@]}" "${BY[@]}" -u alice:wrong
is "$code" 401 "basic: a wrong password gets 401"
cli "$LU/api" --bypass --user alice:s3cret --method listBackups
is "$rc:$(printf '%s\n' "$out" | head -1)" "0:2 available backups:" "basic: alice, allowed, lists the backups"
cli "$LU/api" --bypass --user bob:hunter2 --method listBackups
is "$err" "Response from scheduler: AUTH_FAILED (message: Subject bob lacks permission thrift.AuroraAdmin:listBackups)" "basic: bob lacks the permission: AUTH_FAILED"
cli "$LU/api" --bypass --method getTasksWithoutConfigs --count
is "$rc:$out" "0:0" "basic: the read-only API needs no credentials (Shiro's permissive filter)"
stop "$L"

# --- misbehaviours ---
start trunc "$S/scheduler.py" --host 127.0.0.2 --port 0 --backup-dir "$B" --leader --truncate
L=$pid LU=http://127.0.0.2:$port
post "$LU/api" "$LB" "${XT[@]}" "${BY[@]}"
is "$crc" 18 "truncate: curl sees a partial body (exit 18)"
stop "$L"
start slow "$S/scheduler.py" --host 127.0.0.2 --port 0 --backup-dir "$B" --leader --slow 3
L=$pid LU=http://127.0.0.2:$port
t0=$(now_ms)
code=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 1 "${XT[@]}" "${BY[@]}" --data-binary "$LB" "$LU/api" 2>/dev/null); crc=$?
ms=$(($(now_ms) - t0))
is "$crc" 28 "slow: curl --max-time 1 times out (exit 28, ${ms} ms)"
if [ "$ms" -lt 2500 ]; then ok "slow: ... within 2.5 s"; else not_ok "slow: ... within 2.5 s" "took $ms ms"; fi
t0=$(now_ms)
post "$LU/api" "$LB" "${XT[@]}" "${BY[@]}"
ms=$(($(now_ms) - t0))
if [ "$code" = 200 ] && [ "$ms" -ge 2900 ]; then ok "slow: the answer comes after 3 s ($ms ms)"; else not_ok "slow: the answer comes after 3 s" "code $code after $ms ms"; fi
is "$(curl -sS --max-time 2 "$LU/health")" OK "slow: /health is not delayed"
stop "$L"
for s in 401 415 500; do
	start "status$s" "$S/scheduler.py" --host 127.0.0.2 --port 0 --backup-dir "$B" --leader "--status-$s"
	post "http://127.0.0.2:$port/api" "$LB" "${XT[@]}" "${BY[@]}"
	is "$code" "$s" "--status-$s: every /api call gets $s"
	stop "$pid"
done
start transient "$S/scheduler.py" --host 127.0.0.2 --port 0 --backup-dir "$B" --leader --transient
cli "http://127.0.0.2:$port/api" --bypass --method listBackups
is "$err" "Response from scheduler: ERROR_TRANSIENT (message: Storage is not READY)" "--transient: calls answer ERROR_TRANSIENT"
stop "$pid"

# --- blackhole ---
start blackhole "$S/blackhole.py" --host 127.0.0.4 --port 0 --lifetime 120
setup "blackhole.py starts on 127.0.0.4" test -n "$port"
t0=$(now_ms)
curl -sS -o /dev/null --connect-timeout 1 "http://127.0.0.4:$port/vars" 2>/dev/null; crc=$?
ms=$(($(now_ms) - t0))
is "$crc" 28 "blackhole: curl --connect-timeout 1 times out (exit 28, ${ms} ms)"
if [ "$ms" -ge 900 ] && [ "$ms" -lt 2500 ]; then ok "blackhole: ... after 1-2.5 s"; else not_ok "blackhole: ... after 1-2.5 s" "took $ms ms"; fi
stop "$pid"

done_testing
