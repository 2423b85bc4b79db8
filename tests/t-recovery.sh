# The recovery commands against test schedulers (tests/scheduler, written
# with python3-thrift: an independent Thrift implementation), each on its
# own loopback address, and a real ZooKeeper for the election.
# min-checks: 130
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/zk.sh"

PY=/usr/bin/python3
SCH=$SRCDIR/tests/scheduler
at_exit() { pkill -f -- "$T/" 2>/dev/null; zk_stop 2>/dev/null; }

# start NAME ARGS...: a scheduler in the background; sets URL_NAME
start() {
	local name=$1; shift
	"$PY" "$SCH/scheduler.py" --port 0 "$@" >"$T/$name.out" 2>"$T/$name.err" &
	pids+=($!)
	eval "PID_$name=$!"
	listening "$name" $!
}
stop() { local p; eval "p=\${PID_$1:-}"; [ -n "$p" ] || return 0; kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; }

now_ms() { echo $(( $(date +%s) * 1000 )); }
backup() {		# backup NAME TASKS AGE_SECONDS
	"$PY" "$SCH/make_backup.py" --tasks "$2" --timestamp-ms $(( $(now_ms) - $3 * 1000 )) \
	    --seed 7 --out "$BD/$1" >/dev/null
}

# A host in the recovery state, for stage's checks.
R=$T/root
mkdir -p "$R/etc/default" "$R/etc/aurora"
cp "$EXAMPLES/debian-aurora-scheduler.default" "$R/etc/default/aurora-scheduler"
cp "$EXAMPLES/packaging-clusters.json" "$R/etc/aurora/clusters.json"
sed -i 's|^BACKUP_DIR=.*|BACKUP_DIR="/var/lib/aurora/scheduler/backups"|' "$R/etc/default/aurora-scheduler"
BD=$R/var/lib/aurora/scheduler/backups
mkdir -p "$BD" "$T/proc"
run() { "$AR" --root "$R" --proc "$T/proc" "$@" >"$T/.out" 2>"$T/.err"; rc=$?; out=$(cat "$T/.out"); err=$(cat "$T/.err"); }
run apply --reason "t-recovery"
is "$rc" 0 "the host is put into the recovery state"

NEW=scheduler-backup-$(date -d '-2 minutes' +%Y-%m-%d-%H-%M)
OLD=scheduler-backup-$(date -d '-6 hours' +%Y-%m-%d-%H-%M)
backup "$NEW" 40 300
backup "$OLD" 40 21600
backup "temp_$NEW" 0 0
backup empty-backup 0 60
DURING=scheduler-backup-$(date -d '+5 minutes' +%Y-%m-%d-%H-%M)
backup "$DURING" 0 0

start lead --host 127.0.0.2 --backup-dir "$BD" --lifecycle LEADER_AWAITING_REGISTRATION --leader --cluster example
start follow --host 127.0.0.3 --backup-dir "$BD" --lifecycle STORAGE_PREPARED --cluster example
"$PY" "$SCH/blackhole.py" --host 127.0.0.5 --port 0 >"$T/bh.out" 2>/dev/null &
pids+=($!)
listening bh $!
BH=${URL_bh#http://}
DEAD=127.0.0.4:1

# ---- leader ----
t0=$(date +%s%N)
run leader --hosts "${URL_lead#http://},${URL_follow#http://},$DEAD,$BH" --timeout 2secs
t1=$(date +%s%N)
is "$rc" 0 "leader: one leader among a leader, a follower, a dead and a black-holed host"
like "$out" "leader: $URL_lead" "leader: names the leader"
like "$out" "${URL_follow}.*STORAGE_PREPARED" "leader: shows the follower's lifecycle state"
like "$out" "127.0.0.4:1 +unreachable" "leader: names the dead host"
like "$out" "$BH +unreachable" "leader: names the black-holed host"
ms=$(( (t1 - t0) / 1000000 ))
if [ "$ms" -lt 3000 ]; then ok "leader: dead and black-holed hosts cost one timeout in all (${ms} ms, timeout 2000 ms)"; else not_ok "leader: took ${ms} ms with a 2 s timeout"; fi
run leader --hosts "${URL_follow#http://},$DEAD" --timeout 2secs
is "$rc" 1 "leader: no leader is an error"
like "$err" "no leading scheduler: .*STORAGE_PREPARED.*127.0.0.4:1" "leader: the error names every host and its state"
start lead2 --host 127.0.0.6 --backup-dir "$BD" --lifecycle ACTIVE --leader --cluster example
run leader --hosts "${URL_lead#http://},${URL_lead2#http://}"
is "$rc" 1 "leader: two leaders is an error"
like "$err" "more than one leading scheduler" "leader: says there are several"
stop lead2
printf 'hosts = "%s,%s";\n' "${URL_lead#http://}" "${URL_follow#http://}" >"$T/hosts.conf"
run --config "$T/hosts.conf" leader
is "$rc" 0 "leader: the schedulers from the hosts setting of the config file"
like "$out" "leader: $URL_lead" "leader from the hosts setting: names it"
run --json leader --hosts "${URL_lead#http://},$DEAD" --timeout 2secs
is "$("$PY" -c 'import json,sys; o=json.load(sys.stdin); print(o["leader"], len(o["hosts"]), o["hosts"][0]["lifecycle"], o["failed"])' <"$T/.out")" \
	"$URL_lead 2 LEADER_AWAITING_REGISTRATION False" "leader --json: leader, hosts and their states"

# ---- leader from ZooKeeper ----
if zk_start; then
	printf 'session a\npath a /aurora/scheduler\ncurator a /aurora/scheduler 127.0.0.3\ncurator a /aurora/scheduler 127.0.0.2\n' >"$T/zk.script"
	"$PY" "$SRCDIR/tests/zk-nodes.py" --port "$ZK_PORT" --persistent <"$T/zk.script" >/dev/null 2>"$T/zk.err"
	run leader --zk "127.0.0.1:$ZK_PORT" --serverset-path /aurora/scheduler --http-port "${URL_lead##*:}"
	is "$rc" 0 "leader from ZooKeeper: of the two candidates on that port, one answers as leader"
	like "$out" "leader: http://127.0.0.2:${URL_lead##*:}" "leader from ZooKeeper: names it"
	like "$out" "zookeeper 127.0.0.1:$ZK_PORT/aurora/scheduler: 2 election nodes, leading: 127.0.0.3" "leader from ZooKeeper: reads the Curator election"
	like "$out" "http://127.0.0.2:${URL_lead##*:} +LEADER_AWAITING_REGISTRATION" "leader from ZooKeeper: probes the candidates' /vars"
	# Defaults from this host's own flags: -zk_endpoints, -serverset_path, -http_port.
	cp "$R/etc/default/aurora-scheduler" "$T/flags.saved"
	sed -i "s|^ZK_ENDPOINTS=.*|ZK_ENDPOINTS=\"127.0.0.1:$ZK_PORT\"|; s|^HTTP_PORT=.*|HTTP_PORT=${URL_lead##*:}|" \
		"$R/etc/default/aurora-scheduler"
	run leader
	is "$rc" 0 "leader with no options: ZooKeeper and the port from this host's flags"
	like "$out" "leader: http://127.0.0.2:${URL_lead##*:}" "leader from the host's flags: names it"
	cp "$T/flags.saved" "$R/etc/default/aurora-scheduler"
	zk_stop
	t0=$(date +%s%N)
	run leader --zk "127.0.0.1:$ZK_PORT" --serverset-path /aurora/scheduler --timeout 2secs
	t1=$(date +%s%N)
	is "$rc" 1 "leader: ZooKeeper down is an error (exit 1)"
	like "$err" "127.0.0.1:$ZK_PORT" "leader: the error names the ZooKeeper endpoints"
	ms=$(( (t1 - t0) / 1000000 ))
	if [ "$ms" -lt 5000 ]; then ok "leader: ZooKeeper down detected in ${ms} ms"; else not_ok "leader: ZooKeeper down took ${ms} ms"; fi
else
	not_ok "ZooKeeper server starts"
fi

# ---- backups and backup-info ----
run backups --scheduler "$URL_lead"
is "$rc" 0 "backups exits 0"
first=$(printf '%s\n' "$out" | sed -n 2p | awk '{print $1}')
is "$first" "$DURING" "backups: newest first"
is "$(printf '%s\n' "$out" | sed -n 3p | awk '{print $1}')" "temp_$NEW" "backups: a temp_ file before its finished name"
like "$out" "temp_$NEW  \(incomplete" "backups: temp_ files are incomplete"
like "$out" "local time" "backups: says the times are the scheduler's local time"
like "$out" "$DURING  \(written during the restore, probably empty\)" "backups: a backup newer than the journal is flagged"
if printf '%s\n' "$out" | grep "^  $NEW" | grep -q during; then not_ok "backups: a backup from before the restore is not flagged"; else ok "backups: a backup from before the restore is not flagged"; fi
if printf '%s\n' "$out" | grep "$OLD" | grep -q during; then not_ok "backups: an old backup is not flagged"; else ok "backups: an old backup is not flagged"; fi
run backup-info "$BD/$NEW"
is "$rc" 0 "backup-info exits 0"
like "$out" "40 tasks, 2 cron jobs" "backup-info: task and cron job counts"
like "$out" "0h0[45]m ago" "backup-info: its age from the timestamp"
printf 'garbage' >"$T/bad-backup"
run backup-info "$T/bad-backup"
is "$rc" 65 "backup-info: a corrupt file is bad input (65)"
like "$err" "bad-backup" "backup-info: the error names the file"

# ---- --check: the guards and queries run, no change is called ----
start chk --host 127.0.0.2 --backup-dir "$BD" --lifecycle LEADER_AWAITING_REGISTRATION --leader --cluster example --record "$T/chk.calls"
cp "$BD/$NEW" "$T/check-copy"
run --check stage check-copied --copy "$T/check-copy" --scheduler "$URL_chk"
is "$rc" 0 "--check stage --copy exits 0"
like "$out" "would copy .*check-copy into -backup_dir and stage check-copied" "--check stage: says what it would do"
test ! -e "$BD/check-copied"; is "$?" 0 "--check stage --copy: nothing copied"
run --check stage "$OLD" --scheduler "$URL_chk"
is "$rc" 3 "--check stage still applies the guards (an old backup is refused)"
run stage "$NEW" --scheduler "$URL_chk"
is "$rc" 0 "a backup staged for the --check runs"
for c in "delete-tasks --task-id no-such-task --yes" "delete-tasks --role www-data --yes" "commit --yes" "unload" "backup-now"; do
	run --check --json $c --scheduler "$URL_chk"
	is "$rc:$(/usr/bin/python3 -c 'import json,sys; o=json.load(sys.stdin); print(o["failed"], o["msg"].startswith(("would ", "no staged")))' <"$T/.out")" "0:False True" "--check $c: exit 0, says what it would do"
done
is "$(sort "$T/chk.calls" | uniq -c | awk '{print $2 ":" $1}' | sort | paste -sd' ')" \
    "listBackups:1 queryRecovery:2 stageRecovery:1" "--check made no state-changing call: only the queries, the one real stage and its cluster check reached the scheduler"
stop chk

# ---- stage: the guards ----
run stage "$NEW" --scheduler "$URL_follow"
is "$rc" 3 "stage refuses a target that is not the leader"
like "$err" "not the leading scheduler \(lifecycle STORAGE_PREPARED\)" "stage: says why"
run stage "$NEW" --scheduler "http://$DEAD"
is "$rc" 1 "stage, nothing answers at the address: exit 1"
like "$err" "127.0.0.4:1: no answer .*check the address \(--scheduler URL; aurora-restore leader" "stage, nothing answers: says to check the address"
case $err in *--force*) not_ok "stage, nothing answers: no --force hint (it would not help)" "$err" ;; *) ok "stage, nothing answers: no --force hint (it would not help)" ;; esac
run stage "$OLD" --scheduler "$URL_lead"
is "$rc" 3 "stage refuses a backup older than --max-age"
like "$err" "older than --max-age" "stage: says it is too old"
cp "$BD/empty-backup" "$T/empty-backup"
run stage fresh-empty --copy "$T/empty-backup" --scheduler "$URL_lead"
is "$rc" 3 "stage --copy refuses an empty snapshot"
test ! -e "$BD/fresh-empty"; is "$?" 0 "stage: nothing copied when refused"
run stage empty-backup --scheduler "$URL_lead"
is "$rc" 3 "stage refuses an empty snapshot found in this host's backup directory"
like "$err" "empty-backup holds no tasks" "stage: says the snapshot is empty"
run revert
run stage "$NEW" --scheduler "$URL_lead"
is "$rc" 3 "stage refuses when this host is not in the recovery state"
like "$err" "not in the partially disabled state" "stage: says the host is not verified"
run apply --reason "t-recovery again"
cp "$BD/$NEW" "$T/fresh-copy"
chown 4321:4321 "$BD"
run stage copied-backup --copy "$T/fresh-copy" --scheduler "$URL_lead"
is "$rc" 0 "stage --copy: copies and stages"
is "$(stat -c '%u:%g %a' "$BD/copied-backup")" "4321:4321 644" "stage --copy: the copy is owned like the backup directory"
same_file "$T/fresh-copy" "$BD/copied-backup" "stage --copy: the copy is byte for byte"
run stage "$NEW" --scheduler "$URL_lead"
is "$rc" 1 "stage while another is loaded: the scheduler's error (exit 1)"
like "$err" "Another backup is already loaded" "stage: the scheduler's message is shown"

# ---- tasks ----
run tasks --scheduler "$URL_lead"
is "$rc" 0 "tasks exits 0"
is "$(printf '%s\n' "$out" | sed -n 1p)" $'Role\tEnvironment\tJob\tShard\tStatus\tTask ID' "tasks: aurora_admin's columns plus the environment"
active=$(printf '%s\n' "$out" | sed '1d;$d' | cut -f5 | sort -u | tr '\n' ' ')
like "$active" "RUNNING" "tasks: running tasks are listed"
if printf '%s' "$active" | grep -Eq 'FINISHED|FAILED|KILLED |LOST'; then not_ok "tasks: only active states by default" "$active"; else ok "tasks: only active states by default"; fi
n_all=$("$AR" --root "$R" tasks --scheduler "$URL_lead" --all-states | sed '1d;$d' | wc -l)
is "$n_all" 40 "tasks --all-states: every task of the backup"
role=$(printf '%s\n' "$out" | sed -n 2p | cut -f1)
n_role=$("$AR" --root "$R" tasks --scheduler "$URL_lead" --all-states --role "$role" | sed '1d;$d' | cut -f1 | sort -u)
is "$n_role" "$role" "tasks --role: only that role"
run --json tasks --scheduler "$URL_lead" --status RUNNING
is "$("$PY" -c 'import json,sys; o=json.load(sys.stdin); print(set(t["status"] for t in o["tasks"]), len(o["tasks"]) == o["tasks_by_status"]["RUNNING"])' <"$T/.out")" \
	"{'RUNNING'} True" "tasks --json --status RUNNING"
run tasks --scheduler "$URL_lead" --status BOGUS
is "$rc" 64 "tasks --status with an unknown status is a usage error"
# A failed call prints nothing on stdout: no header before the error.
run tasks --scheduler "http://$DEAD"
is "$rc:$out" 1: "tasks, the scheduler dead: exit 1, nothing on stdout"
like "$err" "127.0.0.4:1" "tasks, the scheduler dead: the error on stderr names it"
run tasks --live --scheduler "$URL_follow"
is "$rc:$out" 1: "tasks --live on a follower (an error reply): exit 1, nothing on stdout"
like "$err" "getTasksWithoutConfigs" "tasks --live on a follower: the error on stderr names the call"

# ---- delete-tasks ----
victim=$(printf '%s\n' "$out" | head -1)
run --json tasks --scheduler "$URL_lead" --status RUNNING
victim=$("$PY" -c 'import json,sys; print(json.load(sys.stdin)["tasks"][0]["task_id"])' <"$T/.out")
run delete-tasks --scheduler "$URL_lead" --task-id "$victim" </dev/null
is "$rc" 3 "delete-tasks without --yes asks for confirmation (exit 3)"
like "$out" "$victim" "delete-tasks: shows what it would delete"
run delete-tasks --scheduler "$URL_lead" --task-id "$victim" --yes
is "$rc" 0 "delete-tasks --yes deletes"
n_after=$("$AR" --root "$R" tasks --scheduler "$URL_lead" --all-states | sed '1d;$d' | wc -l)
is "$n_after" 39 "delete-tasks: the task is gone from the staged backup"
like "$(cat "$R/var/lib/aurora-restore/audit.log")" "\"call\":\"deleteRecoveryTasks\".*\"$victim\".*\"outcome\":\"ok\"" "delete-tasks is in the audit log with its task id"
like "$(cat "$R/var/lib/aurora-restore/journal.json")" "deleteRecoveryTasks" "delete-tasks is in the journal's audit list"
run delete-tasks --scheduler "$URL_lead"
is "$rc" 64 "delete-tasks with no filter is a usage error"

# ---- unload, backup-now ----
run unload --scheduler "$URL_lead"
is "$rc" 0 "unload exits 0"
run tasks --scheduler "$URL_lead"
is "$rc" 1 "tasks after unload: the scheduler says no backup is loaded"
like "$err" "No backup loaded" "tasks after unload: its message"
ls "$BD" >"$T/before-backup"
run backup-now --scheduler "$URL_lead"
is "$rc" 0 "backup-now exits 0"
like "$(ls "$BD" | grep -vxF -f "$T/before-backup")" "^scheduler-backup-[0-9-]+$" "backup-now: a new backup file"

# ---- commit ----
run stage "$NEW" --scheduler "$URL_lead"
run commit --scheduler "$URL_follow" --yes
is "$rc" 3 "commit refuses a target that is not the leader"
run commit --scheduler "$URL_lead" </dev/null
is "$rc" 3 "commit without --yes asks for confirmation"
run commit --scheduler "$URL_lead" --yes --timeout 3secs
is "$rc" 0 "commit: answered OK"
like "$out" "committed" "commit: says it committed"
sleep 0.5
kill -0 "$PID_lead" 2>/dev/null; is "$?" 1 "commit: the scheduler shut itself down"

# A dropped connection and a scheduler that comes back (as systemd restarts it).
( p=0; for i in 1 2; do "$PY" "$SCH/scheduler.py" --host 127.0.0.7 --port $p --backup-dir "$BD" \
	--lifecycle LEADER_AWAITING_REGISTRATION --leader --cluster example --drop-on-commit >>"$T/loop.out" 2>&1
	p=$(sed -n 's/^LISTENING .*:\([0-9]*\)$/\1/p' "$T/loop.out" | head -1); sleep 1; done ) &
pids+=($!)
for i in $(seq 100); do grep -q LISTENING "$T/loop.out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/^LISTENING .*:\([0-9]*\)$/\1/p' "$T/loop.out" | head -1)
run stage "$NEW" --scheduler http://127.0.0.7:$port
run commit --scheduler http://127.0.0.7:$port --yes --timeout 15secs
is "$rc" 0 "commit with a dropped connection: confirmed once the scheduler is back"
like "$out" "probably committed" "commit: says the connection dropped, probably committed"
like "$out" "is back after" "commit: reports the scheduler back"
run stage "$NEW" --scheduler http://127.0.0.7:$port
run commit --scheduler http://127.0.0.7:$port --yes --timeout 3secs
is "$rc" 4 "commit: dropped and never back is an unknown outcome (exit 4)"

start trans --host 127.0.0.8 --backup-dir "$BD" --lifecycle LEADER_AWAITING_REGISTRATION --leader --transient --cluster example
t0=$(date +%s%N)
run commit --scheduler "$URL_trans" --yes --timeout 30secs
t1=$(date +%s%N)
is "$rc" 1 "commit: ERROR_TRANSIENT is a failure"
like "$err" "ERROR_TRANSIENT" "commit: names ERROR_TRANSIENT"
ms=$(( (t1 - t0) / 1000000 ))
if [ "$ms" -lt 3000 ]; then ok "commit: ERROR_TRANSIENT reported at once (${ms} ms)"; else not_ok "commit: ERROR_TRANSIENT took ${ms} ms"; fi
stop trans

# ---- tasks --live: the running scheduler's view (getTasksWithoutConfigs) ----
start live --host 127.0.0.12 --backup-dir "$BD" --state "$BD/$NEW" --lifecycle ACTIVE --leader --registered --cluster example
run tasks --live --scheduler "$URL_live"
is "$rc" 0 "tasks --live exits 0"
want=$("$AR" tasks --all-states --live --scheduler "$URL_live" | sed '1d;$d' | wc -l)
is "$want" 40 "tasks --live --all-states: every task the scheduler runs"
like "$out" "tasks running on $URL_live" "tasks --live: says it is the running scheduler's view"
n_live=$(printf '%s\n' "$out" | sed '1d;$d' | wc -l)
n_staged_active=$("$AR" backup-info "$BD/$NEW" --json | "$PY" -c 'import json,sys
o=json.load(sys.stdin)["tasks_by_status"]
print(sum(v for k, v in o.items() if k in ("PENDING","STARTING","RUNNING","KILLING","ASSIGNED","RESTARTING","PREEMPTING","THROTTLED","DRAINING","PARTITIONED")))')
is "$n_live" "$n_staged_active" "tasks --live: the active count matches the backup's, for comparing before revert"
stop live

# A commit whose answer never comes in time may have happened: exit 4.
start slowc --host 127.0.0.14 --backup-dir "$BD" --lifecycle LEADER_AWAITING_REGISTRATION --leader --cluster example --slow-changes 8
run commit --scheduler "$URL_slowc" --yes --timeout 2secs
is "$rc" 4 "commit with no answer in time: unknown outcome (exit 4), not a failure"
like "$err" "may or may not have happened|outcome unknown" "commit with no answer: says the outcome is unknown"
stop slowc
run leader --hosts 127.0.0.2 --http-port abc
is "$rc" 64 "leader --http-port abc is a usage error"

# ---- misbehaving schedulers ----
misbehave() {		# misbehave NAME FLAG: start one with FLAG on 127.0.0.9
	stop mis 2>/dev/null
	start mis --host 127.0.0.9 --backup-dir "$BD" --lifecycle LEADER_AWAITING_REGISTRATION --leader --cluster example "$@"
}
misbehave --truncate
run backups --scheduler "$URL_mis"
is "$rc" 65 "a truncated reply is malformed (65)"
like "$err" "cut off|truncated|unexpected end" "a truncated reply: says so"
misbehave --slow 5
t0=$(date +%s%N)
run backups --scheduler "$URL_mis" --timeout 1secs
t1=$(date +%s%N)
is "$rc" 1 "a slow scheduler times out (1)"
like "$err" "no answer within 1 s" "a slow scheduler: says it timed out"
misbehave --status-401
run backups --scheduler "$URL_mis"
is "$rc" 1 "HTTP 401 is a failure (1)"
like "$err" "authentication failed" "HTTP 401: says authentication failed"
misbehave --status-415
run backups --scheduler "$URL_mis"
is "$rc" 1 "HTTP 415 is a failure (1)"
like "$err" "content type \(HTTP 415\)" "HTTP 415: says so"
stop mis
start nolead --host 127.0.0.10 --backup-dir "$BD" --lifecycle STORAGE_PREPARED --leader-url "$URL_follow" --cluster example
run backups --scheduler "$URL_nolead"
is "$rc" 0 "a follower answers reads when the bypass header is sent"
run stage "$NEW" --scheduler "$URL_nolead" --force
is "$rc" 0 "stage --force on a follower: staged (Aurora stages on any scheduler)"
like "$out" "warning \(--force\): .*not the leading scheduler" "stage --force: warns that the target does not lead"
run commit --scheduler "$URL_nolead" --yes
is "$rc" 3 "commit on a follower is refused before the call"
run backups --scheduler http://127.0.0.4:1
is "$rc" 1 "connection refused is a failure (1)"
like "$err" "127.0.0.4:1: connection refused" "connection refused: names the scheduler"
misbehave
run backups --scheduler "$URL_mis" --max-reply 10
is "$rc" 65 "a reply over --max-reply is refused (65)"
like "$err" "max-reply" "--max-reply: says why"

# ---- https: certificates are checked unless --insecure ----
if openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/tls.key" -out "$T/tls.crt" \
    -days 1 -subj /CN=127.0.0.13 -addext subjectAltName=IP:127.0.0.13 >/dev/null 2>&1; then
	start tls --host 127.0.0.13 --backup-dir "$BD" --lifecycle LEADER_AWAITING_REGISTRATION --leader \
	    --cluster example --tls-cert "$T/tls.crt" --tls-key "$T/tls.key"
	URL_tls=${URL_tls/http:/https:}
	run backups --scheduler "$URL_tls"
	is "$rc" 1 "https with a certificate nobody signed is refused"
	like "$err" "certificate" "https: says it is the certificate"
	run backups --scheduler "$URL_tls" --insecure
	is "$rc" 0 "https with --insecure"
	stop tls
else
	not_ok "openssl makes a test certificate"
fi

# ---- Basic auth from ~/.netrc, never printed ----
stop mis
printf 'admin:s3cret-pw\n' >"$T/users"
start auth --host 127.0.0.11 --backup-dir "$BD" --lifecycle LEADER_AWAITING_REGISTRATION --leader --cluster example --auth basic --users "$T/users"
run backups --scheduler "$URL_auth"
is "$rc" 1 "Basic auth: no credentials is refused"
mkdir -p "$R/home/op"
printf 'machine 127.0.0.11 login admin password s3cret-pw\n' >"$R/home/op/.netrc"
chmod 600 "$R/home/op/.netrc"
printf 'home = "/home/op";\n' >"$R/etc/aurora-restore.conf"
run --verbose backups --scheduler "$URL_auth"
is "$rc" 0 "Basic auth from ~/.netrc under --root"
run --verbose --json backups --scheduler "$URL_auth"
if grep -q 's3cret-pw\|YWRtaW46czNjcmV0' "$T/.out" "$T/.err" "$R/var/lib/aurora-restore/audit.log"; then
	not_ok "the password appears nowhere in the output or the audit log"
else
	ok "the password appears nowhere in the output or the audit log"
fi
done_testing
