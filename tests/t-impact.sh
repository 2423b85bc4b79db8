# impact, and --max-kill on stage and commit (issue 12), against Mesos
# master stand-ins (tests/mesos/master.py), backups written task by task
# (tests/mesos/backup.py), the test scheduler (tests/scheduler) and a real
# ZooKeeper for the json.info_ nodes.
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/zk.sh"

PY=/usr/bin/python3
MS=$SRCDIR/tests/mesos
at_exit() { zk_stop 2>/dev/null; }

# listen NAME PROGRAM ARGS...: a server in the background; sets URL_NAME
listen() {
	local name=$1; shift
	"$PY" "$@" >"$T/$name.out" 2>"$T/$name.err" &
	pids+=($!)
	listening "$name" $!
}
master() { local n=$1; shift; listen "$n" "$MS/master.py" --log "$T/$n.log" "$@"; }

R=$T/root
mkdir -p "$R/etc/default" "$R/etc/aurora" "$T/proc"
cp "$EXAMPLES/debian-aurora-scheduler.default" "$R/etc/default/aurora-scheduler"
cp "$EXAMPLES/packaging-clusters.json" "$R/etc/aurora/clusters.json"
sed -i 's|^BACKUP_DIR=.*|BACKUP_DIR="/var/lib/aurora/scheduler/backups"|' "$R/etc/default/aurora-scheduler"
BD=$R/var/lib/aurora/scheduler/backups
mkdir -p "$BD"
run() { "$AR" --root "$R" --proc "$T/proc" "$@" >"$T/.out" 2>"$T/.err"; rc=$?; out=$(cat "$T/.out"); err=$(cat "$T/.err"); }
jq() { "$PY" -c "import json,sys; o=json.load(open('$T/.out')); $1"; }

# ---- the table of section 8b: one task per backup state, all running in Mesos ----
"$PY" - "$T" <<'EOF'
import json, sys, uuid
T = sys.argv[1]
def tid(job, i): return "www-prod-%s-%d-%s" % (job, i, uuid.UUID(int=hash((job, i)) & (2**128 - 1)))
states = ["RUNNING", "ASSIGNED", "STARTING", "PARTITIONED", "FINISHED", "FAILED", "KILLED", "LOST",
          "KILLING", "PREEMPTING", "RESTARTING", "DRAINING", "PENDING", "THROTTLED"]
tasks = [{"id": tid("j-" + s.lower(), 0), "role": "www", "env": "prod", "job": "j-" + s.lower(),
          "instance": 0, "status": s} for s in states]
back = [{"id": tid("back", i), "role": "www", "env": "prod", "job": "back", "instance": i,
         "status": s} for i, s in enumerate(["RUNNING", "PENDING", "KILLING", "FINISHED"])]
absent = {"id": tid("new", 3), "name": "www/prod/new", "state": "TASK_STARTING"}
json.dump({"timestamp_ms": 1700000000000, "framework_id": "fw-aurora", "tasks": tasks + back},
          open(T + "/table.spec", "w"))
json.dump(dict(tasks[0], framework_id=None), open(T + "/noid.spec", "w"))
mesos = [{"id": t["id"], "name": "www/prod/" + t["job"], "state": "TASK_RUNNING"} for t in tasks]
completed = [{"id": back[0]["id"], "name": "www/prod/back", "state": "TASK_FINISHED"},
             {"id": tid("old", 0), "name": "www/prod/old", "state": "TASK_KILLED"}]
other = [{"id": tid("j-running", 0), "name": "x/y/z", "state": "TASK_RUNNING"},
         {"id": tid("other", 0), "name": "x/y/z", "state": "TASK_RUNNING"}]
json.dump({"frameworks": [
    {"id": "fw-aurora", "name": "Aurora", "active": False, "tasks": mesos + [absent],
     "completed_tasks": completed},
    {"id": "fw-marathon", "name": "marathon", "active": True, "tasks": other}]},
    open(T + "/table.cluster", "w"))
want = {"killed": sorted([t["id"] for t in tasks if t["status"] in
                          ("FINISHED", "FAILED", "KILLED", "LOST", "KILLING", "PREEMPTING",
                           "RESTARTING", "DRAINING")] + [absent["id"]]),
        "rescheduled": sorted(t["id"] for t in tasks if t["status"] in ("PREEMPTING", "RESTARTING", "DRAINING")),
        "conflicts": sorted(t["id"] for t in tasks if t["status"] in ("PENDING", "THROTTLED")),
        "come_back": sorted(t["id"] for t in back if t["status"] in ("RUNNING", "PENDING")),
        "kept_count": 4, "mesos_running_count": len(mesos) + 1}
json.dump(want, open(T + "/table.want", "w"), sort_keys=True)
EOF
"$PY" "$MS/backup.py" "$T/table.spec" "$T/table.backup"
master m1 --host 127.0.0.8 --cluster "$T/table.cluster"

run --json impact --backup "$T/table.backup" --mesos "$URL_m1"
is "$rc" 0 "impact --backup: exit 0 (a report, not a verdict)"
got=$(jq 'print(json.dumps({"killed": sorted(t["task_id"] for t in o["killed"]), "rescheduled": sorted(t["task_id"] for t in o["rescheduled"]), "conflicts": sorted(t["task_id"] for t in o["conflicts"]), "come_back": sorted(t["task_id"] for t in o["come_back"]), "kept_count": o["kept_count"], "mesos_running_count": o["mesos_running_count"]}, sort_keys=True))')
is "$got" "$(cat "$T/table.want")" "impact: every row of the 8b table; other frameworks and completed tasks ignored"
is "$(jq 'print(sorted(k for k in o if k not in ("changed","failed","rc","msg","comment","diff")))')" \
	"['backup', 'come_back', 'conflicts', 'framework_id', 'kept_count', 'killed', 'mesos_running_count', 'rescheduled']" \
	"impact --json: the keys of the issue"
is "$(jq 'print(sorted(o["killed"][0].keys()), o["framework_id"], o["backup"]["timestamp_ms"], o["backup"]["name"] == sys.argv[0] or o["backup"]["name"])')" \
	"['backup_state', 'environment', 'instance', 'job', 'mesos_state', 'role', 'task_id'] fw-aurora 1700000000000 $T/table.backup" \
	"impact --json: task keys, framework id, the backup's path and timestamp"
is "$(jq 'print([ (t["role"], t["environment"], t["job"], t["instance"], t["backup_state"]) for t in o["killed"] if t["job"] == "new"])')" \
	"[('www', 'prod', 'new', 3, None)]" "impact: a task the backup lacks: job from the Mesos name, instance from its id, backup_state null"
like "$(jq 'print(o["msg"])')" "^restoring $T/table.backup \(written [0-9]+h[0-9]{2}m ago\) kills 9 of the 15 tasks Mesos runs for framework fw-aurora \(9 jobs\); 3 of them are rescheduled; 2 conflicts; 2 tasks come back$" \
	"impact: the summary line"
grep -q 'framework_id=fw-aurora' "$T/m1.log"; is "$?" 0 "impact: /master/tasks asked for the backup's framework"
"$PY" -c "import json; s=json.load(open('$T/table.spec')); s['old']=True; json.dump(s, open('$T/old.spec','w'))"
"$PY" "$MS/backup.py" "$T/old.spec" "$T/old.backup"
run --json impact --backup "$T/old.backup" --mesos "$URL_m1"
is "$rc:$(jq 'print(json.dumps(sorted(t["task_id"] for t in o["killed"])) == json.dumps(json.load(open("'"$T"'/table.want"))["killed"]), sorted(set((t["role"], t["environment"], t["job"]) for t in o["conflicts"])))')" \
	"0:True [('www', 'prod', 'j-pending'), ('www', 'prod', 'j-throttled')]" "impact: a backup older than JobKey (owner, environment, jobName)"

run impact --backup "$T/table.backup" --mesos "$URL_m1"
like "$out" "www/prod/j-restarting: 1 \(rescheduled after the kill\), instances 0" "impact text: killed tasks grouped by job"
like "$out" "conflicts: not killed at once" "impact text: the conflicts"
run impact --backup "$T/table.backup" --mesos "$URL_m1" --all
is "$(printf '%s\n' "$out" | grep -cE '^  (killed|rescheduled|conflict|kept|come-back) ')" 17 "impact --all: a line for every task (9 killed, 2 conflicts, 4 kept, 2 come back)"

# a task id twice in the backup, in either order, and twice in Mesos (two agents): the kill is announced, once
"$PY" - "$T" <<'EOF'
import json, sys
T = sys.argv[1]
def t(i, s): return {"id": "www-prod-dup-%d-00000000-0000-0000-0000-00000000000%d" % (i, i), "role": "www", "env": "prod", "job": "dup", "instance": i, "status": s}
json.dump({"timestamp_ms": 1700000000000, "framework_id": "fw-aurora",
           "tasks": [t(0, "RUNNING"), t(0, "FINISHED"), t(1, "FINISHED"), t(1, "RUNNING")]}, open(T + "/dup.spec", "w"))
m = [{"id": t(i, "")["id"], "name": "www/prod/dup", "state": "TASK_RUNNING", "slave_id": a} for i in (0, 1) for a in ("S1", "S2")]
json.dump({"frameworks": [{"id": "fw-aurora", "name": "Aurora", "tasks": m}]}, open(T + "/dup.cluster", "w"))
EOF
"$PY" "$MS/backup.py" "$T/dup.spec" "$T/dup.backup"
master dup --host 127.0.0.8 --cluster "$T/dup.cluster"
run --json impact --backup "$T/dup.backup" --mesos "$URL_dup"
is "$rc:$(jq 'print(sorted(t["instance"] for t in o["killed"]), o["kept_count"], o["mesos_running_count"])')" "0:[0, 1] 0 2" \
	"impact: a task twice in the backup (RUNNING and FINISHED, either order) is announced killed; twice in Mesos, once"

# ---- paging: more tasks than a page of the master ----
"$PY" - "$T" <<'EOF'
import json, sys
T = sys.argv[1]
tasks = [{"id": "www-prod-big-%d-%08d-0000-0000-0000-000000000000" % (i, i), "name": "www/prod/big",
          "state": "TASK_RUNNING"} for i in range(250)]
json.dump({"frameworks": [{"id": "fw-aurora", "name": "Aurora", "tasks": tasks}]}, open(T + "/big.cluster", "w"))
EOF
master m2 --host 127.0.0.8 --cluster "$T/big.cluster" --max-limit 100
run --json impact --backup "$T/table.backup" --mesos "$URL_m2"
is "$rc:$(jq 'print(len(o["killed"]), o["mesos_running_count"])')" "0:250 250" "impact: 250 tasks from a master whose pages hold 100"
is "$(grep -c '^/master/tasks' "$T/m2.log")" 4 "impact: paged with offsets (100, 100, 70, then the last 10 again to see the end)"
# a hostile master: the list changes between pages; offset ignored
master shift --host 127.0.0.8 --cluster "$T/big.cluster" --max-limit 100 --misbehave shift
run --json impact --backup "$T/table.backup" --mesos "$URL_shift"
is "$rc:$(jq 'print(len(o["killed"]), o["mesos_running_count"])')" "0:250 250" \
	"impact: a task finishing between two pages moves the later ones up: none of them is missed"
master repeat --host 127.0.0.8 --cluster "$T/big.cluster" --max-limit 100 --misbehave repeat-once
run --json impact --backup "$T/table.backup" --mesos "$URL_repeat"
is "$rc:$(jq 'print(len(o["killed"]), o["mesos_running_count"])')" "0:250 250" \
	"impact: a master serving the first page again once: no page skipped, none counted twice"
"$PY" -c "import json; c=json.load(open('$T/big.cluster')); t=c['frameworks'][0]['tasks']; t+=[dict(x, id='more%d-%s' % (i, x['id'])) for i, x in enumerate(t*4)][:850]; json.dump(c, open('$T/1100.cluster','w'))"
master nolimit --host 127.0.0.8 --cluster "$T/1100.cluster" --misbehave ignore-limit
run --json impact --backup "$T/table.backup" --mesos "$URL_nolimit"
is "$rc:$(jq 'print(len(o["killed"]), o["mesos_running_count"])')" "0:1100 1100" \
	"impact: a master sending more tasks than the limit: every one counted once"
check "impact: a master sending more tasks than the limit: 2 requests" test "$(grep -c "^/master/tasks" "$T/nolimit.log")" -eq 2
"$PY" -c "import json; c=json.load(open('$T/big.cluster')); c['frameworks'][0]['tasks'][3:]=[]; json.dump(c, open('$T/three.cluster','w'))"
master nooff3 --host 127.0.0.8 --cluster "$T/three.cluster" --misbehave ignore-offset
run --json impact --backup "$T/table.backup" --mesos "$URL_nooff3" --timeout 20secs
is "$rc:$(jq 'print(len(o["killed"]), o["mesos_running_count"])')" "0:3 3" \
	"impact: a master ignoring offset, every task on its first page: counted once, and it ends"
master nooff --host 127.0.0.8 --cluster "$T/big.cluster" --max-limit 100 --misbehave ignore-offset
run impact --backup "$T/table.backup" --mesos "$URL_nooff" --timeout 20secs
is "$rc" 1 "impact: a master ignoring offset with more tasks than a page: exit 1 (impact unknown)"
like "$err" "^aurora-restore: $URL_nooff: its task list changed or repeated while paging" \
	"impact: a master ignoring offset: says so, naming it"
check "impact: a master ignoring offset: a bounded number of requests" test "$(grep -c "^/master/tasks" "$T/nooff.log")" -le 10

# ---- a follower's redirect ----
master m3 --host 127.0.0.9 --cluster "$T/table.cluster" --leader-url "$URL_m1"
run impact --backup "$T/table.backup" --mesos "$URL_m3"
is "$rc" 0 "impact via a non-leading master: exit 0"
like "$out" "followed the redirect to the leading master $URL_m1" "impact: follows the 307 to the leader"
master m4 --host 127.0.0.10 --cluster "$T/table.cluster" --leader-url "http://127.0.0.11:1"
run impact --backup "$T/table.backup" --mesos "$URL_m4" --timeout 2secs
is "$rc" 1 "impact: a master that redirects to a dead one fails (exit 1)"
master loop --host 127.0.0.10 --cluster "$T/table.cluster" --loop
run impact --backup "$T/table.backup" --mesos "$URL_loop"
is "$rc:$(grep -c '^/master/' "$T/loop.log")" "1:4" "impact: a master redirecting to itself: followed 3 times, then exit 1"
like "$err" "redirected more than 3 times" "impact: a redirect loop: says so"

# a redirect to https is followed; from https to plain http (Basic credentials in clear) is refused
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=127.0.0.8 -days 1 -keyout "$T/tls.pem" -out "$T/tls.crt" 2>/dev/null
cat "$T/tls.crt" >>"$T/tls.pem"
master tls --host 127.0.0.8 --cluster "$T/table.cluster" --tls "$T/tls.pem"
master up --host 127.0.0.9 --cluster "$T/table.cluster" --location "https://${URL_tls#http://}"
run impact --backup "$T/table.backup" --mesos "$URL_up" --insecure
is "$rc" 0 "impact: a redirect from http to https is followed"
like "$out" "followed the redirect to the leading master https://${URL_tls#http://}" "impact: it says so"
run impact --backup "$T/table.backup" --mesos "https://${URL_tls#http://}" --timeout 5secs
is "$rc" 1 "impact: a master with a self-signed certificate, no --insecure: refused (1)"
like "$err" "https://${URL_tls#http://}/master/tasks.*(certificate|SSL)" "... naming the master and the certificate"
master down --host 127.0.0.8 --cluster "$T/table.cluster" --tls "$T/tls.pem" --location "$URL_m1"
n0=$(grep -c '^/master/' "$T/m1.log")
run impact --backup "$T/table.backup" --mesos "https://${URL_down#http://}" --insecure
is "$rc:$(($(grep -c '^/master/' "$T/m1.log") - n0))" "1:0" "impact: a redirect from https to plain http is refused (exit 1), nothing sent there"
like "$err" "^aurora-restore: https://${URL_down#http://}/master/tasks.*redirected from https to plain http \($URL_m1/master/tasks" "impact: a downgraded redirect: says so"

# a Location with user info is not followed and not echoed
master ui --host 127.0.0.9 --cluster "$T/table.cluster" --location "http://op:s3cret@127.0.0.11:1"
run impact --backup "$T/table.backup" --mesos "$URL_ui" --timeout 2secs
is "$rc:$(printf '%s' "$out$err" | grep -c s3cret)" "65:0" "impact: a redirect to an address with user info: refused (65), the password not echoed"

# ---- down and black-holed ----
run impact --backup "$T/table.backup" --mesos 127.0.0.4:1 --timeout 2secs
is "$rc" 1 "impact: master down is exit 1"
like "$err" "127.0.0.4:1.*connection refused" "impact: names the master and why"
listen bh "$SRCDIR/tests/scheduler/blackhole.py" --host 127.0.0.5 --port 0
run impact --backup "$T/table.backup" --mesos "$URL_bh" --timeout 2secs
is "$rc" 1 "impact: a black-holed master is exit 1"
like "$err" "${URL_bh#http://}.*no answer within 2 s" "impact: a black-holed master: gives up at the timeout, naming it"
master slow --host 127.0.0.8 --cluster "$T/table.cluster" --misbehave slow
run impact --backup "$T/table.backup" --mesos "$URL_slow" --timeout 2secs
is "$rc:$err" "1:aurora-restore: $URL_slow/master/tasks?framework_id=fw-aurora&limit=1000&offset=0: no answer within 2 s" \
	"impact: a master that never answers: exit 1 at the timeout"

# ---- framework by name ----
"$PY" -c "import json; s=json.load(open('$T/table.spec')); s.pop('framework_id'); json.dump(s, open('$T/nofw.spec','w'))"
"$PY" "$MS/backup.py" "$T/nofw.spec" "$T/nofw.backup"
run --json impact --backup "$T/nofw.backup" --mesos "$URL_m1"
is "$rc:$(jq 'print(o["framework_id"], len(o["killed"]))')" "0:fw-aurora 9" "impact: a backup without frameworkId: the one framework named Aurora"
"$PY" -c "import json; c=json.load(open('$T/table.cluster')); c['frameworks'][1]['name']='Aurora'; json.dump(c, open('$T/two.cluster','w'))"
master m6 --host 127.0.0.8 --cluster "$T/two.cluster"
run impact --backup "$T/nofw.backup" --mesos "$URL_m6"
is "$rc" 65 "impact: two frameworks named Aurora is exit 65"
like "$err" "more than one framework named \"Aurora\".*fw-aurora.*fw-marathon.*--framework-id" "impact: names the candidates and asks for --framework-id"
"$PY" -c "import json; c=json.load(open('$T/table.cluster')); c['frameworks'][0]['name']='other'; json.dump(c, open('$T/none.cluster','w'))"
master m7 --host 127.0.0.8 --cluster "$T/none.cluster"
run impact --backup "$T/nofw.backup" --mesos "$URL_m7"
is "$rc" 65 "impact: no framework named Aurora is exit 65"
like "$err" "no framework named \"Aurora\" \(frameworks: fw-aurora \(other, inactive\), fw-marathon \(marathon\)\): give --framework-id" \
	"impact: no framework by that name: lists the frameworks there"
run --json impact --backup "$T/nofw.backup" --mesos "$URL_m6" --framework-id fw-marathon
is "$rc:$(jq 'print(o["mesos_running_count"], len(o["killed"]))')" "0:2 1" "impact --framework-id: that framework's tasks"
run impact --backup "$T/nofw.backup" --mesos "$URL_m1" --framework-id fw-none
is "$rc" 0 "impact: a framework Mesos runs nothing for: exit 0"
like "$out" "kills 0 of the 0 tasks Mesos runs for framework fw-none" "impact: a framework Mesos runs nothing for: nothing killed"

# ---- bad replies ----
for how in garbage truncate cut-json; do
	master "bad${how%-*}" --host 127.0.0.8 --cluster "$T/table.cluster" --misbehave $how
	u=$(sed -n 's/^LISTENING //p' "$T/bad${how%-*}.out")
	run impact --backup "$T/table.backup" --mesos "$u"
	is "$rc" 65 "impact: a $how reply is bad data (65)"
	like "$err" "^aurora-restore: http://$u/master/tasks.*(not JSON|cut off|truncated)" "impact: a $how reply: one line naming the URL"
done
for miss in id state; do
	"$PY" -c "import json,sys; c=json.load(open('$T/table.cluster')); del c['frameworks'][0]['tasks'][3]['$miss']; json.dump(c, open('$T/no-$miss.cluster','w'))"
	master "no$miss" --host 127.0.0.8 --cluster "$T/no-$miss.cluster"
	u=$(sed -n 's/^LISTENING //p' "$T/no$miss.out")
	run impact --backup "$T/table.backup" --mesos "$u"
	is "$rc" 65 "impact: a task without $miss is bad data (65)"
	like "$err" "bad reply at byte [0-9]+: (a task without an id|task .* has no state)" "impact: a task without $miss: says so"
done
"$PY" -c "import json; c=json.load(open('$T/table.cluster')); t=c['frameworks'][0]['tasks'][3]; t['id']='x\x1b[2J\x07'; del t['state']; json.dump(c, open('$T/ctl.cluster','w'))"
master ctl --host 127.0.0.8 --cluster "$T/ctl.cluster"
run impact --backup "$T/table.backup" --mesos "$URL_ctl"
is "$rc:$(grep -c $'[\033\007]' "$T/.err")" "65:0" "impact: a task id with control bytes in an error: exit 65, the bytes escaped"
"$PY" -c "import json; c=json.load(open('$T/two.cluster')); c['frameworks'][1]['id']='fw-\x1b]0;pwned\x07'; json.dump(c, open('$T/twoctl.cluster','w'))"
master twoctl --host 127.0.0.8 --cluster "$T/twoctl.cluster"
run impact --backup "$T/nofw.backup" --mesos "$URL_twoctl"
is "$rc:$(grep -c $'[\033\007]' "$T/.err")" "65:0" "impact: framework ids with control bytes in the ambiguous-name error: escaped"
master huge --host 127.0.0.8 --cluster "$T/table.cluster" --misbehave huge --huge 50000000
run impact --backup "$T/table.backup" --mesos "$URL_huge" --max-reply 100000
is "$rc" 65 "impact: a reply past --max-reply is bad data (65)"
like "$err" "reply larger than 100000 bytes \(--max-reply\)" "impact: says --max-reply"
printf 'garbage' >"$T/bad-backup"
run impact --backup "$T/bad-backup" --mesos "$URL_m1"
is "$rc" 65 "impact: a corrupt backup file is 65"
like "$err" "bad-backup: corrupt backup" "impact: names the backup file"

# ---- HTTP Basic from ~/.netrc ----
master auth --host 127.0.0.8 --cluster "$T/table.cluster" --auth ops:s3cret
run impact --backup "$T/table.backup" --mesos "$URL_auth"
is "$rc" 1 "impact: a master wanting Basic auth, no .netrc: exit 1"
like "$err" "authentication failed \(HTTP 401\)" "impact: says authentication failed"
mkdir -p "$R/home/ops"
printf 'machine 127.0.0.8 login ops password s3cret\n' >"$R/home/ops/.netrc"
printf 'home = "/home/ops";\n' >"$T/home.conf"
run --config "$T/home.conf" --verbose impact --backup "$T/table.backup" --mesos "$URL_auth"
is "$rc" 0 "impact: Basic auth from ~/.netrc"
is "$(cat "$T/.out" "$T/.err" | grep -c s3cret)" 0 "impact: the .netrc password is never printed (--verbose)"
printf 'machine 127.0.0.8 login ops password wr0ng\n' >"$R/home/ops/.netrc"
run --config "$T/home.conf" --verbose impact --backup "$T/table.backup" --mesos "$URL_auth"
is "$rc:$(cat "$T/.out" "$T/.err" | grep -c wr0ng)" "1:0" "impact: a wrong .netrc password: exit 1, the password not printed"
printf 'machine 127.0.0.8 login ops password s3cret\n' >"$R/home/ops/.netrc"

# ---- ZooKeeper: json.info_ nodes, the journal's original address ----
if zk_start; then
	info() { printf "node a /chroot/mesos/json.info_ '{\"address\": {\"hostname\": \"%s\", \"ip\": \"%s\", \"port\": %s}, \"hostname\": \"%s\", \"port\": %s, \"pid\": \"master@%s:%s\", \"version\": \"1.11.0\"}'\n" "$1" "$1" "$2" "$1" "$2" "$1" "$2"; }
	{ echo "session a"; echo "path a /chroot/empty"; info 127.0.0.8 "${URL_m1##*:}"; info 127.0.0.9 "${URL_m3##*:}"; } >"$T/zk.script"
	"$PY" "$SRCDIR/tests/zk-nodes.py" --port "$ZK_PORT" --persistent <"$T/zk.script" >/dev/null 2>"$T/zk.err"
	run impact --backup "$T/table.backup" --mesos "zk://127.0.0.1:$ZK_PORT/chroot/mesos"
	is "$rc" 0 "impact: the master from ZooKeeper"
	like "$out" "mesos master $URL_m1 \(from --mesos: zk://" "impact: the lowest json.info_ sequence leads"
	{ echo "session b"
	  echo "node b /chroot/hostile/json.info_ '{\"address\": {\"hostname\": \"evil@host/x?y\", \"port\": 5050}, \"port\": 5050}'"
	  echo "node b /chroot/noaddr/json.info_ '{\"pid\": \"master@127.0.0.8:5050\", \"version\": \"1.11.0\"}'"
	  echo "node b /chroot/notjson/json.info_ '\x1b[2J{\"address\": '"
	  echo "node b /chroot/bigport/json.info_ '{\"address\": {\"ip\": \"127.0.0.8\", \"port\": 99999999999999999999}}'"
	} >"$T/zk-bad.script"
	"$PY" "$SRCDIR/tests/zk-nodes.py" --port "$ZK_PORT" --persistent <"$T/zk-bad.script" >/dev/null 2>>"$T/zk.err"
	for p in hostile noaddr notjson bigport; do
		run impact --backup "$T/table.backup" --mesos "zk://127.0.0.1:$ZK_PORT/chroot/$p" --timeout 5secs
		is "$rc:$(printf '%s' "$err" | wc -l)" "65:0" "impact: a $p json.info_ node is bad data (65), one line"
		like "$err" "zookeeper 127.0.0.1:$ZK_PORT: /chroot/$p/json.info_0+: not a Mesos MasterInfo" "impact: a $p json.info_ node: names the node"
	done
	run impact --backup "$T/table.backup" --mesos "zk://127.0.0.1:$ZK_PORT/chroot/notjson" --timeout 5secs
	is "$rc:$(grep -c $'\033' "$T/.err")" "65:0" "impact: a json.info_ node's control bytes are not printed as they are"
	run impact --backup "$T/table.backup" --mesos "zk://ops:zks3cret@127.0.0.1:$ZK_PORT/chroot/mesos"
	is "$rc" 0 "impact: a zk:// address with digest credentials"
	is "$(grep -c zks3cret "$T/.out" "$T/.err" | grep -vc ':0$')" 0 "impact: the ZooKeeper password in the address is never printed"
	like "$out" "mesos master $URL_m1 \(from --mesos: zk://\*\*\*@127.0.0.1:$ZK_PORT/chroot/mesos\)" "impact: the address is shown without its credentials"
	run impact --backup "$T/table.backup" --mesos "zk://ops:zks3cret@127.0.0.1:$ZK_PORT"
	is "$rc:$(grep -c zks3cret "$T/.err")" "65:0" "impact: a zk:// address without a path: exit 65, the password not printed"
	run impact --backup "$T/table.backup" --mesos "zk://127.0.0.1:$ZK_PORT/chroot/empty" --timeout 3secs
	is "$rc" 1 "impact: an empty ZooKeeper path is exit 1"
	like "$err" "zookeeper 127.0.0.1:$ZK_PORT: no Mesos master registered under /chroot/empty" "impact: the empty path named"
	sed -i "s|^MESOS_MASTER=.*|MESOS_MASTER=\"zk://127.0.0.1:$ZK_PORT/chroot/mesos\"|" "$R/etc/default/aurora-scheduler"
	run apply --reason t-impact
	is "$rc" 0 "the recovery profile is applied (-mesos_master_address is now the fake one)"
	run impact --backup "$T/table.backup"
	is "$rc" 0 "impact with the profile applied: exit 0"
	like "$out" "mesos master $URL_m1 \(from the journal's original -mesos_master_address" "impact: the journal's original address, not the profile's fake one"
	zk_stop
	run impact --backup "$T/table.backup" --timeout 2secs
	is "$rc" 1 "impact: ZooKeeper down is exit 1"
	like "$err" "zookeeper 127.0.0.1:$ZK_PORT: connection refused" "impact: names the ensemble, and says at once that nothing listens there"
else
	not_ok "ZooKeeper server starts"
	run apply --reason t-impact
fi

# ---- --max-kill on stage and commit: nothing reaches the scheduler ----
NAME=scheduler-backup-$(date -d '-2 minutes' +%Y-%m-%d-%H-%M)
"$PY" -c "import json,time; s=json.load(open('$T/table.spec')); s['timestamp_ms']=int(time.time()*1000)-120000; json.dump(s, open('$T/now.spec','w'))"
"$PY" "$MS/backup.py" "$T/now.spec" "$T/now.backup"
listen sch "$SRCDIR/tests/scheduler/scheduler.py" --host 127.0.0.2 --port 0 --backup-dir "$BD" \
	--lifecycle LEADER_AWAITING_REGISTRATION --leader --cluster example --record "$T/sch.calls"
S=(--scheduler "$URL_sch" --mesos "$URL_m1")
run stage "$NAME" --copy "$T/now.backup" "${S[@]}" --max-kill 8
is "$rc" 3 "stage --max-kill 8 with 9 kills: refused (3)"
like "$err" "9 running tasks would be killed, more than --max-kill 8: nothing done" "stage --max-kill: says why"
is "$(cat "$T/sch.calls" 2>/dev/null | grep -c stageRecovery)" 0 "stage --max-kill: no stageRecovery reached the scheduler"
run stage "$NAME" --copy "$T/now.backup" --scheduler "$URL_sch" --mesos 127.0.0.4:1 --max-kill 100 --timeout 2secs
is "$rc" 3 "stage --max-kill with Mesos down: refused (3)"
like "$err" "impact is unknown.*--force" "stage --max-kill, impact unknown: says --force"
is "$(cat "$T/sch.calls" 2>/dev/null | grep -c stageRecovery)" 0 "stage, impact unknown: no stageRecovery reached the scheduler"
run stage "$NAME" --copy "$T/now.backup" "${S[@]}" --max-kill 9
is "$rc" 0 "stage --max-kill 9 with 9 kills: staged"
like "$out" "kills 9 of the 15 tasks" "stage: prints the summary"
grep stageRecovery "$R/var/lib/aurora-restore/audit.log" | grep -q '"impact":"restoring scheduler-backup-.*kills 9 of the 15'
is "$?" 0 "stage: the audit record holds the summary"
run commit --yes "${S[@]}" --max-kill 5
is "$rc" 3 "commit --max-kill 5 with 9 kills: refused (3)"
like "$err" "more than --max-kill 5" "commit --max-kill: says why"
is "$(grep -c commitRecovery "$T/sch.calls")" 0 "commit --max-kill: no commitRecovery reached the scheduler"
grep -q queryRecovery "$T/sch.calls"; is "$?" 0 "commit: the impact is read from the staged backup (queryRecovery)"
run commit --yes --scheduler "$URL_sch" --mesos 127.0.0.4:1 --max-kill 5 --timeout 2secs
is "$rc" 3 "commit --max-kill with Mesos down: refused (3)"
is "$(grep -c commitRecovery "$T/sch.calls")" 0 "commit, impact unknown: no commitRecovery reached the scheduler"
run --check commit --yes --scheduler "$URL_sch" --mesos 127.0.0.4:1 --timeout 2secs
is "$rc" 0 "commit without --max-kill, Mesos down: not a failure"
like "$out" "warning: impact unknown: .*127.0.0.4:1" "commit without --max-kill: an unknown impact is a warning line"

# the gate: 0 allowed and 0 killed passes; unknown with --force goes on; an ambiguous framework is unknown
run --check stage "$NAME" --copy "$T/now.backup" --scheduler "$URL_sch" --mesos "$URL_m1" --framework-id fw-none --max-kill 0
is "$rc" 0 "stage --max-kill 0 with nothing killed: passes"
run --check stage "$NAME" --copy "$T/now.backup" --scheduler "$URL_sch" --mesos 127.0.0.4:1 --max-kill 0 --force --timeout 2secs
is "$rc" 0 "stage --max-kill 0 --force with the impact unknown: goes on"
like "$out" "warning: impact unknown" "stage --force, impact unknown: a warning line"
"$PY" -c "import json; s=json.load(open('$T/now.spec')); s.pop('framework_id'); json.dump(s, open('$T/now-nofw.spec','w'))"
"$PY" "$MS/backup.py" "$T/now-nofw.spec" "$T/now-nofw.backup"
run stage "$NAME" --copy "$T/now-nofw.backup" --scheduler "$URL_sch" --mesos "$URL_m6" --max-kill 100
is "$rc" 3 "stage --max-kill, no frameworkId in the backup and two frameworks named Aurora: refused (3)"
like "$err" "impact is unknown.*more than one framework named \"Aurora\"" "stage: the ambiguous framework is why"
is "$(grep -c stageRecovery "$T/sch.calls")" 1 "stage refused for an ambiguous framework: no second stageRecovery"

run --json impact "${S[@]}"
is "$rc:$(jq 'print(o["backup"]["name"], o["framework_id"], len(o["killed"]), o["backup"]["timestamp_ms"] is not None)')" "0:$NAME fw-aurora 9 True" \
	"impact without --backup: the staged backup (queryRecovery), its name from the audit log, the framework from its file"

done_testing
