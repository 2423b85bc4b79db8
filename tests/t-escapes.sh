#!/bin/bash
# tests/t-escapes.sh: control bytes from files, clusters.json and scheduler
# replies never reach the terminal raw. ESC, BEL, CR, C1 (U+0080..U+009F and
# raw 0x80..0x9f bytes) show as \ooo; a newline or tab inside a value shows
# as \012 or \011 and cannot forge a row; --json keeps every key, and gives
# the text as JSON escapes it.
. "$SRCDIR/tests/lib.sh"

PY=/usr/bin/python3
SCH=$SRCDIR/tests/scheduler
FAKE=$SRCDIR/tests/fake
SPID=			# the scheduler double, once started
trap '[ -z "$SPID" ] || { kill "$SPID"; wait "$SPID"; } 2>/dev/null; rm -rf "$T"' EXIT

# raw FILE...: the control bytes in the files, one description a line
# (none: no output). Newline and tab separate lines and columns.
raw() {
	"$PY" - "$@" <<'EOF'
import sys
for path in sys.argv[1:]:
    text = open(path, "rb").read().decode("utf-8", "surrogateescape")
    for i, c in enumerate(text):
        o = ord(c)
        if (o < 0x20 and c not in "\n\t") or o == 0x7f or 0x80 <= o <= 0x9f \
                or 0xdc80 <= o <= 0xdc9f:
            print("%s: U+%04X at %d: %r" % (path, o, i, text[max(0, i - 20):i + 20]))
EOF
}
no_raw() {		# no_raw WHAT: the last run's stdout and stderr are clean
	local r
	r=$(raw "$T/.out" "$T/.err")
	if [ -z "$r" ]; then ok "$1: no raw control byte"; else not_ok "$1: no raw control byte" "$r"; fi
}

R=$T/root
mkdir -p "$R/etc/default" "$R/etc/aurora"
CONF=$T/ar.conf
printf 'advertised_host = "sched1.example.com";\nsystemctl = "%s";\n' "$FAKE/systemctl" >"$CONF"
# A flag value with ESC, BEL, CR, U+009B (CSI in UTF-8) and a raw 0x9b.
HOSTILE=$(printf 'x\033[8mhidden\a\rX\302\233\2332Ky')
sed "s/^EXTRA_SCHEDULER_ARGS=\"\"\$/EXTRA_SCHEDULER_ARGS=\"-framework_name=$HOSTILE\"/" \
	"$EXAMPLES/debian-aurora-scheduler.default" >"$R/etc/default/aurora-scheduler"
cp "$EXAMPLES/packaging-clusters.json" "$R/etc/aurora/clusters.json"
cp "$R/etc/default/aurora-scheduler" "$T/orig.default"
export FAKE_SYSTEMCTL_ROOT=$R FAKE_SYSTEMCTL_LOG=$T/systemctl.log FAKE_SYSTEMCTL_STAMP=$T/systemctl.stamp
touch "$FAKE_SYSTEMCTL_STAMP"
A=(--root "$R" --config "$CONF")

# ---- files: diffs, status, verify ----
run "${A[@]}" diff
is "$rc" 0 "diff of a file with control bytes exits 0"
no_raw "diff"
like "$out" 'framework_name=x\\033\[8mhidden\\007\\015X\\302\\233\\2332Ky' "diff shows each control byte as \\ooo"
run "${A[@]}" --json --check --diff apply
no_raw "apply --json"
is "$("$PY" -c 'import json,sys; d=json.load(sys.stdin)["diff"][0]; print("\x1b[8m" in d["before"], "\x07\r" in d["before"])' <"$T/.out")" \
	"True True" "--json gives the file's text as JSON escapes it"

cat >"$T/name.conf" <<EOF
name = "fname";
flags: { set: { framework_name = "a\\x1b]0;pwned\\x07b"; }; };
EOF
run "${A[@]}" apply "$T/name.conf"
is "$rc" 0 "a profile value holding escapes is applied"
run "${A[@]}" status
no_raw "status"
like "$out" 'a\\033\]0;pwned\\007b' "status shows the value escaped"
sed -i 's/^EXTRA_SCHEDULER_ARGS=.*/EXTRA_SCHEDULER_ARGS="-framework_name=\x1b[2Kother"/' "$R/etc/default/aurora-scheduler"
run "${A[@]}" verify "$T/name.conf"
is "$rc" 2 "verify finds the drift"
no_raw "verify"
run "${A[@]}" revert --force
is "$rc" 0 "revert --force"
same_file "$R/etc/default/aurora-scheduler" "$T/orig.default" "revert --force puts back the hostile, non-UTF-8 line byte for byte"

# clusters.json: a \u001b in a string, decoded, in verify's drift line
run "${A[@]}" apply
is "$rc" 0 "apply the recovery profile"
sed -i 's|"scheduler_uri": "[^"]*"|"scheduler_uri": "http://x\\u001b[2K\\u009b:8081"|' "$R/etc/aurora/clusters.json"
grep -q 'u001b' "$R/etc/aurora/clusters.json" || not_ok "fixture: clusters.json edit"
run "${A[@]}" verify
is "$rc" 2 "verify: the changed scheduler_uri is drift"
no_raw "verify of a clusters.json \\u001b"
like "$out" 'http://x\\033\[2K\\302\\233:8081' "verify shows the decoded ESC and U+009B escaped"
run "${A[@]}" revert --force
is "$rc" 0 "revert --force after the clusters.json edit"

# A non-UTF-8 value keeps its key in --json, its bytes written \xNN.
LC_ALL=C sed -i "s/^EXTRA_SCHEDULER_ARGS=.*/EXTRA_SCHEDULER_ARGS=\"-framework_name=caf$(printf '\351')\"/" "$R/etc/default/aurora-scheduler"
cat >"$T/latin.conf" <<'EOF'
name = "latin";
flags: { set: { enable_preemptor = false; }; };
EOF
run "${A[@]}" apply "$T/latin.conf"
is "$rc" 0 "apply next to a Latin-1 value"
sed -i "s/-enable_preemptor=false/-enable_preemptor=$(printf 'f\351')/" "$R/etc/default/aurora-scheduler"
run "${A[@]}" --json status
is "$("$PY" -c 'import json,sys; i=json.load(sys.stdin)["items"][0]; print(i["current"])' <"$T/.out" 2>&1)" \
	'f\xe9' "status --json: a non-UTF-8 current value is kept, as \\xNN"
run "${A[@]}" --json verify "$T/latin.conf"
is "$rc" 2 "verify: a non-UTF-8 value is drift"
is "$("$PY" -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["problem"])' <"$T/.out" 2>&1)" \
	'-enable_preemptor=f\xe9, want -enable_preemptor=false' "verify --json: the problem keeps its key, the byte as \\xNN"
run "${A[@]}" revert --force
is "$rc" 0 "revert --force of the Latin-1 case"

# ---- scheduler replies: backups, tasks, delete-tasks ----
BD=$T/backups
mkdir -p "$BD"
"$PY" - "$SCH" "$BD/hostile" <<'EOF'
import sys, time
sys.path.insert(0, sys.argv[1])
sys.dont_write_bytecode = True
import aurora_idl, make_backup
g = aurora_idl.load()
snap = make_backup.Maker(g, 7).snapshot(3, int(time.time() * 1000) - 60000, 0)
evil = [("www\x1b[2Kdata", "job\x07a", "id-1\n\tforged\trow"),
        ("ops\u009b2K", "job\rb", "id-2\x1b]0;title\x07"),
        ("plain", "job-c", "id-3")]
for t, (role, job, tid) in zip(sorted(snap.tasks, key=lambda t: t.assignedTask.taskId), evil):
    t.assignedTask.taskId = tid
    conf = t.assignedTask.task
    if getattr(conf, "job", None) is not None:
        conf.job.role, conf.job.name = role, job
    if getattr(conf, "owner", None) is not None:
        conf.owner.role = role
    if hasattr(conf, "jobName"):
        conf.jobName = job
data = make_backup.encode(snap)
open(sys.argv[2], "wb").write(data)
EOF
: >"$BD/$(printf 'scheduler-backup-2026-01-01-00-00\nforged-backup')"
: >"$BD/$(printf 'scheduler-backup-2026-01-01-00-01\033[2K')"

"$PY" "$SCH/scheduler.py" --host 127.0.0.9 --port 0 --backup-dir "$BD" \
	--lifecycle LEADER_AWAITING_REGISTRATION --leader --cluster example >"$T/s.out" 2>"$T/s.err" &
SPID=$!
listening s $!
URL=$URL_s

run "${A[@]}" apply
is "$rc" 0 "the host is put into the recovery state"
run "${A[@]}" backups --scheduler "$URL"
is "$rc" 0 "backups exits 0"
no_raw "backups"
is "$(grep -c '^forged-backup' "$T/.out")" 0 "a backup name with a newline does not start a row"
like "$out" 'scheduler-backup-2026-01-01-00-00\\012forged-backup' "... shown as \\012"
run "${A[@]}" stage hostile --force --scheduler "$URL"
is "$rc" 0 "stage the backup with hostile task names"
run "${A[@]}" tasks --scheduler "$URL"
is "$rc" 0 "tasks exits 0"
no_raw "tasks"
is "$(wc -l <"$T/.out")" 4 "tasks: a header and 3 rows, no forged row"
like "$out" 'id-1\\012\\011forged\\011row' "tasks: the task id's newline and tabs show as \\012 \\011"
run "${A[@]}" --json tasks --scheduler "$URL"
is "$("$PY" -c 'import json,sys; print(sorted(t["task_id"] for t in json.load(sys.stdin)["tasks"])[0] == "id-1\n\tforged\trow")' <"$T/.out" 2>&1)" \
	True "tasks --json: the task id as it is, JSON-escaped"
run "${A[@]}" delete-tasks --task-id "$(printf 'id-1\n\tforged\trow'),$(printf 'id-2\033]0;title\007')" --scheduler "$URL" </dev/null
is "$rc" 3 "delete-tasks without --yes asks (3)"
no_raw "delete-tasks confirmation list by id"
is "$(wc -l <"$T/.out")" 3 "delete-tasks: a header and one row a task"
run "${A[@]}" unload --scheduler "$URL"
is "$rc" 0 "unload the staged backup"
# The audit record (also the syslog line) of a call is JSON in ASCII: a C1
# character in the backup name is \u009b there, not the raw character.
run "${A[@]}" stage "$(printf 'c1-\302\233[8m')" --force --scheduler "$URL"
like "$(tail -n 1 "$R/var/lib/aurora-restore/audit.log")" '"backup":"c1-\\u009[bB]\[8m"' "stage: the audit record escapes U+009B"
is "$(LC_ALL=C grep -c $'[\x80-\xff]' "$R/var/lib/aurora-restore/audit.log")" 0 "... and the audit log is ASCII"


# A flags file whose name holds a newline: the diff's ---/+++ header shows
# it as \012 and cannot start a forged row.
R=$T/names/root
mkdir -p "$R/etc/aurora"
cp "$EXAMPLES/packaging-clusters.json" "$R/etc/aurora/clusters.json"
argfile() {
	printf -- '-cluster_name=example\n-http_port=8081\n-zk_endpoints=127.0.0.1:2181\n-mesos_master_address=zk://127.0.0.1:2181/mesos\n-native_log_file_path=/var/lib/aurora/scheduler/db\n-backup_dir=/var/lib/aurora/scheduler/backups\n' >"$R$1"
}
NL=$(printf '/etc/aurora/s\nforged: row.args')
argfile "$NL"
run --root "$R" --config "$CONF" --layout argfile --flags-file "$NL" diff
is "$rc" 0 "diff of a flags file named with a newline exits 0"
is "$(grep -c '^forged: row' "$T/.out")" 0 "the diff header does not start a forged row"
like "$out" '^--- a/etc/aurora/s\\012forged: row\.args$' "... the name's newline shows as \\012"

# A file name that is not UTF-8 cannot be recorded in the journal (JSON):
# apply refuses it (65) and writes nothing, rather than leave a journal
# that revert cannot read.
BAD=$(printf '/etc/aurora/s\377.args')
argfile "$BAD"
cp -a "$R" "$T/names/orig"
run --root "$R" --config "$CONF" --layout argfile --flags-file "$BAD" apply
is "$rc" 65 "apply with a flags file name that is not UTF-8 exits 65"
like "$err" 'not UTF-8' "... saying why"
check "... and leaves the files as they were" diff -r "$T/names/orig/etc" "$R/etc"
is "$(ls "$R/var/lib/aurora-restore" 2>/dev/null | grep -c journal)" 0 "... with no journal"


# A log folder whose name and files are not UTF-8: log-status --json keeps
# every key ("path" was dropped), the bytes shown as \xNN.
R=$T/logname/root
mkdir -p "$R/etc/default" "$R/etc/aurora"
cp "$EXAMPLES/packaging-clusters.json" "$R/etc/aurora/clusters.json"
sed 's|^LOGDB_FILE_PATH=.*|LOGDB_FILE_PATH="/var/lib/aurora/d\xffb"|' \
	"$EXAMPLES/debian-aurora-scheduler.default" >"$R/etc/default/aurora-scheduler"
mkdir -p "$R/var/lib/aurora/d$(printf '\377')b"
touch "$R/var/lib/aurora/d$(printf '\377')b/x$(printf '\376\033')y"
run --root "$R" --config "$CONF" --json log-status
is "$rc" 0 "log-status --json of a folder named with a byte that is not UTF-8 exits 0"
is "$("$PY" -c 'import json,sys; d=json.load(sys.stdin); print(d.get("path"), "reason" in d)' <"$T/.out" 2>&1)" \
	'/var/lib/aurora/d\xffb True' "... keeps the path and reason keys, \\xff shown as text"

done_testing
