#!/bin/bash
# tests/t-log.sh: log-status, log-reinit and log-restore-aside on replicas
# that tests/log/mkreplica.py builds (python3-plyvel, compression off),
# everything under --root; stand-in mesos-log scripts (tests/fake) on PATH,
# the native path directly, and a tmpfs mount point in a private mount
# namespace. After every command: nothing deleted (asides hold every file
# byte for byte, with mode, owner and mtime), log-status changed nothing.
# min-checks: 126
# allow-skip: mount namespaces are not allowed here -- a container without mount namespaces
. "$SRCDIR/tests/lib.sh"

PY=/usr/bin/python3
MK=$SRCDIR/tests/log/mkreplica.py
BLOCKS=$SRCDIR/tests/log/blocks.py
DB=/var/lib/aurora/scheduler/db
export FAKE_SYSTEMCTL_LOG=$T/systemctl.log FAKE_MESOS_LOG_RECORD=$T/mesos-log.record
export FAKE_UNIT_STATE=inactive
mkdir -p "$T/bin" "$T/nobin"
ln -s "$SRCDIR/tests/fake/mesos-log" "$T/bin/mesos-log"
BASEPATH=$PATH
export PATH=$T/bin:$BASEPATH
holder=
trap 'if [ -n "$holder" ]; then kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null; fi; rm -rf "$T"' EXIT

host() {		# host NAME: a Debian host at $R, an empty /proc at $P, config $C
	R=$T/$1/root P=$T/$1/proc C=$T/$1/ar.conf
	mkdir -p "$R/etc/default" "$R/etc/aurora" "$R/lib/systemd/system" \
		"$R/var/lib/aurora/scheduler" "$P/1"
	cp "$EXAMPLES/debian-aurora-scheduler.default" "$R/etc/default/aurora-scheduler"
	cp "$EXAMPLES/packaging-clusters.json" "$R/etc/aurora/clusters.json"
	printf '[Service]\nUser=aurora\nExecStart=/usr/bin/aurora-scheduler-startup\nRestart=always\nRestartSec=20\n' \
		>"$R/lib/systemd/system/aurora-scheduler.service"
	printf 'root:x:0:0:root:/root:/bin/bash\naurora:x:4242:4343::/var/lib/aurora:/usr/sbin/nologin\nmesos:x:4300:4300::/:/usr/sbin/nologin\n' >"$R/etc/passwd"
	printf 'root:x:0:\naurora:x:4343:\nmesos:x:4300:\n' >"$R/etc/group"
	printf 'advertised_host = "sched1.example.com";\nsystemctl = "%s";\nlive_root = true;\n' "$SRCDIR/tests/log/systemctl" >"$C"
	mkdir -p "$R/run/systemd/system"	# live_root: the fake systemctl manages this root
	printf 'cpu 1 2 3 4\nbtime %s\n' "$(($(date +%s) - 1000))" >"$P/stat"
	printf '/sbin/init\0' >"$P/1/cmdline"
}
applied() {		# applied NAME: host NAME with the recovery profile applied
	host "$1"
	ar apply --reason t-log
	[ "$rc" = 0 ] || not_ok "apply on host $1" "$err"
}
ar() { run --root "$R" --proc "$P" --config "$C" "$@"; }
j() {			# j EXPR: a value of the JSON object in $out (Python expression on o)
	$PY -c 'import json,sys; o=json.loads(sys.argv[1]); v=eval(sys.argv[2]); print(json.dumps(v) if not isinstance(v, str) else v)' "$out" "$1" 2>&1
}
snap() {		# snap DIR: every file and directory below DIR, with metadata
	[ -d "$1" ] || { echo "absent"; return; }
	snapshot "$1"
	(cd "$1" && find . -type d -printf '%p %m %u:%g %T@\n' | sort)
}
status_of() {		# status_of: log-status --json, proving it changed nothing
	local before after
	before=$(snap "$R$DB")
	ar --json log-status "$@"
	after=$(snap "$R$DB")
	[ "$before" = "$after" ] || not_ok "log-status changed nothing" "$(diff <(echo "$before") <(echo "$after") | head -20)"
}
mkr() { $PY "$MK" "$@" >/dev/null 2>&1 || not_ok "mkreplica $*"; }
scheduler_proc() {	# a JVM running SchedulerMain as pid 4242 in $P
	mkdir -p "$P/4242"
	printf '%s\0' /usr/bin/java -cp '/usr/lib/aurora/lib/*' \
		org.apache.aurora.scheduler.app.SchedulerMain -cluster_name=example >"$P/4242/cmdline"
}
asides() { (cd "$R${DB%/*}" && ls -d db.aside-* 2>/dev/null); }

# ---- log-status: every kind of replica ----
host st
ar --json log-status
is "$rc" 0 "absent: exit 0"
is "$(j 'o["state"]')" absent "absent: state absent (default path is the host's -native_log_file_path)"
is "$(j 'o["path"]')" "$DB" "absent: path from LOGDB_FILE_PATH"

mkdir -p "$R$DB"
status_of
is "$(j 'o["state"]') $(j 'o["reason"]')" "EMPTY no files" "empty folder: EMPTY"

rm -rf "$R$DB"; mkr init "$R$DB"
status_of
is "$(j 'o["state"]') $(j 'o["entries"]') $(j 'o["first"]')" "VOTING 0 null" "initialized: VOTING, no entries"
is "$(j 'o["msg"]')" "$DB: VOTING, no entries" "initialized: the summary line says \"VOTING, no entries\", as log-reinit does"

rm -rf "$R$DB"; mkr entries "$R$DB" 5
status_of
is "$rc $(j 'o["state"]') $(j 'o["entries"]') $(j 'o["first"]') $(j 'o["last"]') $(j 'o["promised"]')" \
	"0 VOTING 5 1 5 3" "holding ACTION records: VOTING, 5 entries, positions 1 to 5, promised 3"
like "$(j 'o["msg"]')" "VOTING, 5 entries \(positions 1 to 5\)" "entries: the summary line says so"
ar log-status
like "$out" "^owner 0:0, mode 0755, 5 LevelDB files" "text: owner, mode and files"
like "$out" "^user aurora \(the unit's User=\): $DB: owner 0:0 mode 0755: aurora cannot create files in it$" \
	"text: the unit's user, and the root-owned folder it cannot write"
chown 4242:4343 "$R$DB"
status_of
is "$(j 'o["user_can_open"]') $(j 'o["user_problem"]')" "false $DB/000003.log: owner 0:0 mode 0644: aurora cannot open it for writing" \
	"its folder given to aurora, a root-owned file remains: named"
status_of
is "$(j 'o["user"]') $(j 'o["user_can_open"]')" "aurora false" "root-owned files: user_can_open false"
chown -R 4242:4343 "$R$DB"
status_of
is "$(j 'o["owner"]') $(j 'o["user_can_open"]') $(j 'o["user_problem"]')" "4242:4343 true null" "owned by aurora: user_can_open true"
is "$(j 'sorted(o.keys())')" \
	'["changed", "comment", "contents", "diff", "entries", "failed", "files", "first", "in_use", "last", "legacy", "mode", "mount_point", "msg", "owner", "path", "promised", "rc", "reason", "state", "user", "user_can_open", "user_problem"]' \
	"JSON: the contract's keys and log-status's own"
is "$(j '[o["changed"], o["failed"], o["rc"], o["msg"] == o["comment"], o["files"]]')" \
	'[false, false, 0, true, ["000003.log", "CURRENT", "LOCK", "LOG", "MANIFEST-000002"]]' "JSON: changed, failed, rc, comment, files"

rm -rf "$R$DB"; mkr recovering "$R$DB" 2
status_of
is "$(j 'o["state"]') $(j 'o["entries"]')" "RECOVERING 2" "RECOVERING metadata"
rm -rf "$R$DB"; mkr starting "$R$DB"
status_of
is "$(j 'o["state"]')" STARTING "STARTING metadata"
rm -rf "$R$DB"; mkr emptydb "$R$DB"
status_of
is "$(j 'o["state"]') $(j 'o["reason"]')" "EMPTY null" "a LevelDB without records: EMPTY"
rm -rf "$R$DB"; mkr legacy "$R$DB" 2
status_of
is "$(j 'o["state"]') $(j 'o["legacy"]') $(j 'o["promised"]') $(j 'o["entries"]')" "VOTING true 5 2" "legacy PROMISE record: VOTING"
rm -rf "$R$DB"; mkr badrecord "$R$DB"
status_of
is "$(j 'o["state"]')" corrupt "a record that is not a Record: corrupt"
like "$(j 'o["reason"]')" "record 0000000002: not a Mesos log record" "corrupt: the record named"

rm -rf "$R$DB"; mkr entries "$R$DB" 3
printf 'MANIFEST-000002' >"$R$DB/CURRENT"
status_of
is "$rc $(j 'o["state"]')" "0 corrupt" "bad CURRENT: corrupt"
like "$(j 'o["reason"]')" "CURRENT file does not end with newline" "bad CURRENT: LevelDB's message"
rm -rf "$R$DB"; mkr entries "$R$DB" 3
printf 'MANIFEST-000009\n' >"$R$DB/CURRENT"
status_of
like "$(j 'o["state"]') $(j 'o["reason"]')" "^corrupt Corruption: CURRENT points to a non-existent file: .* $DB/MANIFEST-000009: No such file" \
	"CURRENT naming a missing MANIFEST: corrupt, the replica's file named (not the scratch copy)"
rm -rf "$R$DB"; mkr entries "$R$DB" 3
truncate -s 10 "$R$DB/MANIFEST-000002"
status_of
is "$(j 'o["state"]')" corrupt "truncated MANIFEST: corrupt"
like "$(j 'o["reason"]')" "^Corruption: " "truncated MANIFEST: LevelDB's message"

rm -rf "$R$DB" "$T/full"; mkr entries "$T/full" 4
mkdir -p "$R$DB"; cp "$T/full/000003.log" "$R$DB/000005.log"
status_of
is "$(j 'o["state"]') $(j 'o["entries"]') $(j 'o["files"]')" 'VOTING 4 ["000005.log"]' \
	"a stray 000005.log after a partial wipe: its records come back (VOTING, 4 entries)"

rm -rf "$R$DB"; mkr init "$R$DB"; echo notes >"$R$DB/README.txt"
status_of
is "$(j 'o["state"]') $(j 'o["reason"]')" "foreign $DB/README.txt" "a file that is not LevelDB's: foreign, the file named"
rm "$R$DB/README.txt"; mkdir "$R$DB/sub"
status_of
is "$(j 'o["state"]')" foreign "a subdirectory: foreign"
rmdir "$R$DB/sub"

$PY -c 'import plyvel,sys,time; db=plyvel.DB(sys.argv[1]); open(sys.argv[2],"w").close(); time.sleep(120)' "$R$DB" "$T/ready" &
holder=$!
for _ in $(seq 200); do [ -e "$T/ready" ] && break; sleep 0.1; done
status_of
is "$(j 'o["state"]') $(j 'o["contents"]')" "in use VOTING" "LOCK held by a process: in use (contents still read)"
is "$(j 'o["in_use"]')" "[\"$DB/LOCK is locked by process $holder\"]" "in use: LOCK and the holder's pid"
kill "$holder"; wait "$holder" 2>/dev/null; holder=
status_of
is "$(j 'o["state"]') $(j 'o["in_use"]')" "VOTING []" "the holder gone: not in use"

scheduler_proc
status_of
is "$(j 'o["in_use"]')" '["scheduler process 4242 runs"]' "a scheduler process: in use"
rm -rf "$P/4242"
for s in active activating deactivating reloading; do
	FAKE_UNIT_STATE=$s status_of
	is "$(j 'o["state"]') $(j 'o["in_use"]')" "in use [\"unit aurora-scheduler.service is $s\"]" "unit $s: in use"
done
FAKE_UNIT_STATE=$(head -c 100000 /dev/zero | tr '\0' a) status_of
like "$(j 'o["in_use"][0]')" "^unit aurora-scheduler.service is a{1,64}\\.\\.\\.$" "unit in a state of 100000 bytes: in use, the state shown cut"
for s in inactive failed unknown none; do
	FAKE_UNIT_STATE=$s status_of
	is "$(j 'o["state"]')" VOTING "unit $s: stopped"
done

# ---- log-status: bad input ----
ar log-status /etc/passwd
is "$rc" 65 "PATH a file: exit 65"
like "$err" "^aurora-restore: /etc/passwd is not a directory$" "PATH a file: one line naming it (the host path)"
ar log-status --bogus
is "$rc" 64 "unknown option: exit 64"
ar log-status --native
is "$rc" 64 "--native does not go with log-status"
ar log-status a b
is "$rc" 64 "two PATHs: exit 64"
ar --json log-status /etc/passwd
is "$(j '[o["failed"], o["rc"]]')" "[true, 65]" "JSON on bad input: failed, rc 65"
mkdir -p "$T/u/root/db" "$T/u/proc"
cp "$AR" "$T/u/ar"
chmod 0711 "$T" "$T/u"; chmod 0755 "$T/u/root" "$T/u/proc" "$T/u/ar"; chmod 0 "$T/u/root/db"
setpriv --reuid=65534 --regid=65534 --clear-groups "$T/u/ar" --root "$T/u/root" --proc "$T/u/proc" \
	--config /dev/null log-status /db >"$T/u.out" 2>"$T/u.err"
is "$?" 1 "unreadable folder: exit 1"
like "$(cat "$T/u.err")" "^aurora-restore: cannot read /db: Permission denied$" "unreadable folder: named"
chmod 0700 "$T"

# ---- log-reinit: the guards ----
host g
mkr entries "$R$DB" 3
ar log-reinit
is "$rc" 3 "no profile applied: refused (exit 3)"
like "$err" "no profile is applied.*--force to re-initialize anyway" "no profile applied: says why and what lifts it"
ar apply --reason t-log
cp -p "$R/etc/default/aurora-scheduler" "$T/applied.default"
sed -i 's|^MESOS_MASTER=.*|MESOS_MASTER="zk://10.0.0.1:2181/mesos"|' "$R/etc/default/aurora-scheduler"
ar log-reinit
is "$rc" 3 "host not verified: refused"
like "$err" "not in the recovery state \(1 item out of place" "not verified: says so"
cp -p "$T/applied.default" "$R/etc/default/aurora-scheduler"
scheduler_proc
ar log-reinit --force
is "$rc" 3 "scheduler process running: refused even with --force"
like "$err" "$DB is in use: scheduler process 4242 runs \(stop the scheduler first\)" "in use: named"
rm -rf "$P/4242"
FAKE_UNIT_STATE=activating ar log-reinit --force
is "$rc" 3 "unit activating (Restart=always): refused even with --force"
$PY -c 'import plyvel,sys,time; db=plyvel.DB(sys.argv[1]); open(sys.argv[2],"w").close(); time.sleep(120)' "$R$DB" "$T/ready2" &
holder=$!
for _ in $(seq 200); do [ -e "$T/ready2" ] && break; sleep 0.1; done
ar log-reinit --force
is "$rc" 3 "LOCK held: refused even with --force"
kill "$holder"; wait "$holder" 2>/dev/null; holder=
echo notes >"$R$DB/notes"
ar log-reinit --force
is "$rc" 3 "foreign: refused even with --force"
like "$err" "$DB/notes is not a LevelDB file" "foreign: the file named"
rm "$R$DB/notes"
before=$(snap "$R${DB%/*}")
ar log-reinit --user nosuch
is "$rc" 65 "--user unknown: exit 65"
like "$err" "/etc/passwd: no user nosuch" "--user unknown: the passwd file named"
PATH=$T/nobin:$BASEPATH ar log-reinit --mesos-log "$T/nobin/mesos-log"
is "$rc" 64 "--mesos-log not executable: usage error"
ar --check log-reinit
is "$rc" 0 "--check: exit 0"
like "$out" "$DB \(VOTING\) moves aside to $DB.aside-<time>" "--check: the plan says where it goes"
like "$out" "initialize it with $T/bin/mesos-log, for user aurora \(4242:4343, the unit's User=\), mode 0755" "--check: how and for whom"
after=$(snap "$R${DB%/*}")
is "$after" "$before" "the refusals and --check changed nothing"

# ---- the scheduler's user: the unit and its drop-ins as systemd reads them ----
applied du
mkr init "$R$DB"
printf 'alice:x:5001:5001::/:/usr/sbin/nologin\nbob:x:5002:5002::/:/usr/sbin/nologin\ncarol:x:5003:5003::/:/usr/sbin/nologin\ndave:x:5004:5004::/:/usr/sbin/nologin\n' >>"$R/etc/passwd"
printf 'alice:x:5001:\nbob:x:5002:\ncarol:x:5003:\ndave:x:5004:\n' >>"$R/etc/group"
UD=/systemd/system/aurora-scheduler.service.d
mkdir -p "$R/etc$UD" "$R/lib$UD"
printf '[Service]\nUser=bob\n' >"$R/lib$UD/user.conf"
status_of
is "$(j 'o["user"]')" bob "a drop-in's User= replaces the unit's"
printf '[Service]\nUser=alice\n' >"$R/etc$UD/user.conf"
status_of
is "$(j 'o["user"]')" alice "/etc's user.conf masks /lib's user.conf of the same name: alice, not bob"
ar --check log-reinit
like "$out" "for user alice \(5001:5001, the unit's User=\)" "log-reinit --check: the new log goes to the masking drop-in's user"
rm "$R/etc$UD/user.conf"; ln -s /dev/null "$R/etc$UD/user.conf"
status_of
is "$(j 'o["user"]')" aurora "a drop-in linked to /dev/null masks: the unit's own User="
rm "$R/etc$UD/user.conf"; : >"$R/etc$UD/user.conf"
status_of
is "$(j 'o["user"]')" aurora "an empty drop-in masks the one of the same name"
rm "$R/etc$UD/user.conf" "$R/lib$UD/user.conf"
printf '[Service]\nUser=carol\n' >"$R/etc$UD/50-late.conf"
printf '[Service]\nUser=dave\n' >"$R/lib$UD/10-early.conf"
status_of
is "$(j 'o["user"]')" carol "drop-ins are read by name across folders: /lib's 10-early before /etc's 50-late"
printf '[Service]\nUser=carol\n' >"$R/lib$UD/10-early.conf"
printf '[Service]\n# User=dave\nUser=\\\n  dave\n' >"$R/etc$UD/50-late.conf"
status_of
is "$(j 'o["user"]')" dave "comments skipped, a continued line joined"
printf '[Service]\nUser=dave\0\x01junk\nUser=alice\n' >"$R/etc$UD/50-late.conf"
status_of
is "$(j 'o["user"]')" alice "a NUL byte ends a line, as systemd reads it: the lines after it count"
printf '[Service]\rUser=bob\r' >"$R/etc$UD/50-late.conf"
status_of
is "$(j 'o["user"]')" bob "a lone CR ends a line (old Mac line ends), as systemd reads it"
printf '[Service]\nUser=5002\n' >"$R/etc$UD/50-late.conf"
ar --check log-reinit
like "$out" "for user bob \(5002:5002, the unit's User=\)" "a numeric User= is a UID, as systemd takes it: bob's"
mkdir "$R/etc$UD/dir.conf"
err=$(cd "$R/.." && "$AR" --root root --proc proc --config ar.conf log-status 2>&1)
like "$err" "^aurora-restore: cannot read /etc$UD/dir.conf: Is a directory\$" \
	"a drop-in that cannot be read: the message names it as the host sees it (the --root kept for messages is not freed)"
rmdir "$R/etc$UD/dir.conf"

# ---- log-reinit with mesos-log ----
applied m
mkr entries "$R$DB" 3
before=$(snap "$R$DB")
: >"$FAKE_MESOS_LOG_RECORD"
ar --json log-reinit
is "$rc" 0 "log-reinit: exit 0"
is "$(j '[o["changed"], o["was"]]')" '[true, "VOTING"]' "log-reinit: changed, was VOTING"
a=$(asides)
like "$a" '^db\.aside-[0-9]{8}T[0-9]{6}Z$' "moved aside to a dated sibling"
is "$(j 'o["aside"]')" "${DB%/*}/$a" "JSON names the aside"
is "$(snap "$R${DB%/*}/$a")" "$before" "the aside holds every original file byte for byte (mode, owner, mtime)"
is "$(cat "$FAKE_MESOS_LOG_RECORD")" "argv=initialize --path=$R$DB LIBPROCESS_IP=127.0.0.1" "mesos-log ran with --path and LIBPROCESS_IP=127.0.0.1"
status_of
is "$(j 'o["state"]') $(j 'o["entries"]') $(j 'o["owner"]') $(j 'o["user_can_open"]')" "VOTING 0 4242:4343 true" \
	"the new log: VOTING, no entries, owned by aurora"
is "$(find "$R$DB" ! -user 4242 | wc -l)" 0 "every new file belongs to aurora"
$PY -c 'import json,sys; l=json.load(open(sys.argv[1]))["log"]; print(len(l), l[0]["action"], l[0]["path"], l[0]["aside"], l[0]["with"])' \
	"$R/var/lib/aurora-restore/journal.json" >"$T/jl" 2>&1
is "$(cat "$T/jl")" "1 reinit $DB ${DB%/*}/$a $T/bin/mesos-log" "the journal records it with the restore"
mkr entries "$R$DB" 2			# a scheduler started and wrote to it
before=$(snap "$R${DB%/*}")
ar log-reinit
is "$rc" 0 "second log-reinit in the same restore: exit 0"
like "$out" "already re-initialized in this restore.*nothing done" "second log-reinit: says so"
is "$(snap "$R${DB%/*}")" "$before" "second log-reinit: changed nothing (not even mtimes)"
ar log-reinit --force
is "$rc" 0 "--force: re-initializes again"
is "$(asides | wc -l)" 2 "--force: a second aside, the first kept"
like "$out" "warning \(--force\): $DB was already re-initialized" "--force: warns"

# ---- log-reinit natively ----
applied n
mkr entries "$R$DB" 3
before=$(snap "$R$DB")
: >"$FAKE_MESOS_LOG_RECORD"
ar log-reinit --native --user mesos
is "$rc" 0 "--native: exit 0"
like "$out" "re-initialized $DB natively: VOTING, no entries" "--native: says how"
is "$(cat "$FAKE_MESOS_LOG_RECORD")" "" "--native: mesos-log not run"
is "$(snap "$R${DB%/*}/$(asides)")" "$before" "--native: the aside holds every original file"
status_of
is "$(j 'o["state"]') $(j 'o["entries"]') $(j 'o["owner"]')" "VOTING 0 4300:4300" "--native --user mesos: VOTING, owned by mesos"
is "$($PY "$BLOCKS" "$R$DB")" "1 3 0" "the table we wrote has no compressed block (1 table, 3 blocks)"
mkr snappy "$T/snappy" 300
$PY "$BLOCKS" "$T/snappy" >"$T/snappy.out"
of_double is "$? $(cat "$T/snappy.out")" "1 1 2 1" "the block check finds a snappy block when there is one"
$PY -c 'import plyvel,sys; db=plyvel.DB(sys.argv[1]); print(db.get(b"0000000000").hex(), len(list(db)))' "$R$DB" >"$T/rec" 2>&1
is "$(cat "$T/rec")" "0803220408011000 1" "the one record: 0000000000 = 08 03 22 04 08 01 10 00"

applied n2
PATH=$T/nobin:$BASEPATH ar log-reinit
is "$rc $(asides | wc -l)" "0 0" "absent folder, no mesos-log in PATH: initialized natively, nothing to move"
status_of
is "$(j 'o["state"]') $(j 'o["mode"]')" "VOTING 0750" "absent: created VOTING, mode 0750"

# ---- log-reinit: corrupt, stray log, mesos-log refusing ----
applied c
mkr entries "$R$DB" 3
printf 'junk' >"$R$DB/CURRENT"
before=$(snap "$R$DB")
ar log-reinit
is "$rc" 0 "corrupt: re-initialized"
is "$(snap "$R${DB%/*}/$(asides)")" "$before" "corrupt: the aside holds the corrupt files as they were"

applied s
mkdir -p "$R$DB"; cp "$T/full/000003.log" "$R$DB/000005.log"
ar log-reinit
is "$rc" 0 "stray 000005.log: re-initialized"
is "$(ls "$R$DB" | grep -c '^000005.log$')" 0 "the stray log is not in the new folder"
is "$(ls "$R${DB%/*}/$(asides)")" 000005.log "the stray log is in the aside"

applied e
mkr entries "$R$DB" 3
before=$(snap "$R$DB")
ln -sf "$SRCDIR/tests/fake/mesos-log-not-empty" "$T/bin/mesos-log"
ar log-reinit
is "$rc" 1 "mesos-log says the log is not empty: exit 1"
like "$err" "^aurora-restore: $T/bin/mesos-log initialize --path=$DB: The log is not empty" "the refusal named"
is "$(snap "$R${DB%/*}/$(asides)")" "$before" "after the failure the old log is whole in the aside"
ln -sf "$SRCDIR/tests/fake/mesos-log" "$T/bin/mesos-log"
$PY -c 'import json,sys; print(len(json.load(open(sys.argv[1])).get("log", [])))' "$R/var/lib/aurora-restore/journal.json" >"$T/jl"
is "$(cat "$T/jl")" 0 "a failed re-initialization is not journaled"
ar --json log-reinit
is "$rc" 0 "re-run after mesos-log failed: exit 0"
is "$(asides | wc -l)" 1 "re-run: the empty folder the failure left is not moved aside"
is "$(snap "$R${DB%/*}/$(asides)")" "$before" "re-run: the old log is still whole in its aside"
is "$(j 'o["aside"]')" "${DB%/*}/$(asides)" "re-run: JSON names the aside that holds the old log"
like "$(j 'o["msg"]')" "the old log is in ${DB%/*}/$(asides)\$" "re-run: the message names it too"

# ---- log-reinit: a mesos-log that never finishes is killed at the limit ----
applied hang
mkr entries "$R$DB" 3
before=$(snap "$R$DB")
ln -sf "$SRCDIR/tests/fake/mesos-log-hangs" "$T/bin/mesos-log"
for quiet in 0 1; do
	AURORA_RESTORE_HELPER_LIMIT=1 FAKE_HANG_QUIET=$quiet timeout 60 "$AR" --root "$R" --proc "$P" \
	    --config "$C" log-reinit >"$T/.out" 2>"$T/.err"; rc=$?; err=$(cat "$T/.err")
	w=open; [ "$quiet" = 1 ] && w=closed
	is "$rc" 1 "mesos-log hangs (its output $w): killed at the limit, exit 1"
	like "$err" "mesos-log initialize --path=$DB did not finish within 1 s: killed" "... and says so"
done
is "$(pgrep -f 'sleep 600' | wc -l)" 0 "no hung mesos-log is left running"
# a wrapper whose own child hangs: the whole process group is killed
alive() { [ -e "/proc/$1" ] && [ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" != Z ]; }
rm -f "$T/child"
AURORA_RESTORE_HELPER_LIMIT=1 FAKE_HANG_CHILD=$T/child timeout 60 "$AR" --root "$R" --proc "$P" \
    --config "$C" log-reinit >"$T/.out" 2>"$T/.err"; rc=$?; err=$(cat "$T/.err")
is "$rc" 1 "mesos-log is a wrapper whose child hangs: killed at the limit, exit 1"
child=$(cat "$T/child")
left=$(alive "$child" && echo running)
[ -z "$left" ] || kill "$child"
is "$left" "" "... and the wrapper's child is not left running"
# a SIGTERM to the tool reaches the helper too, and ends the tool
rm -f "$T/child"
FAKE_HANG_CHILD=$T/child "$AR" --root "$R" --proc "$P" --config "$C" log-reinit >"$T/.out" 2>"$T/.err" &
tool=$!
for i in $(seq 100); do [ -s "$T/child" ] && break; sleep 0.1; done
kill -TERM "$tool"
wait "$tool"; rc=$?
is "$rc" 143 "SIGTERM while mesos-log runs: the tool ends by it"
child=$(cat "$T/child")
for i in $(seq 50); do alive "$child" || break; sleep 0.1; done
left=$(alive "$child" && echo running)
[ -z "$left" ] || kill "$child"
is "$left" "" "... and mesos-log's process group got it too"
printf '#!/bin/sh\nexit 7\n' >"$T/mesos-log-silent"; chmod +x "$T/mesos-log-silent"
ln -sf "$T/mesos-log-silent" "$T/bin/mesos-log"
ar log-reinit
is "$rc" 1 "mesos-log fails without a word: exit 1 (it crashed on the empty output)"
like "$err" "mesos-log initialize --path=$DB failed \(exit 7\)\$" "... and says how it failed"
ln -sf "$SRCDIR/tests/fake/mesos-log" "$T/bin/mesos-log"
ar log-reinit
is "$rc" 0 "re-run after the hang: exit 0"
is "$(snap "$R${DB%/*}/$(asides)")" "$before" "after the hang the old log is whole in the aside"
# a helper limit that is not a number of seconds: refused before anything moves
applied limit
mkr entries "$R$DB" 2
before=$(snap "$R$DB")
for bad in 5s inf nan 1e400 -1 0 0x10 ' 5'; do
	AURORA_RESTORE_HELPER_LIMIT=$bad timeout 60 "$AR" --root "$R" --proc "$P" \
	    --config "$C" log-reinit >"$T/.out" 2>"$T/.err"; rc=$?; err=$(cat "$T/.err")
	is "$rc" 64 "AURORA_RESTORE_HELPER_LIMIT='$bad': usage error (64)"
	like "$err" "AURORA_RESTORE_HELPER_LIMIT=" "... naming the variable"
	is "$(snap "$R$DB")" "$before" "... and the log is where it was"
done
AURORA_RESTORE_HELPER_LIMIT=90secs ar log-reinit
is "$rc" 0 "AURORA_RESTORE_HELPER_LIMIT=90secs (Aurora's time syntax): log-reinit runs"

# ---- log-restore-aside ----
applied r
mkr entries "$R$DB" 4
original=$(snap "$R$DB")
ar log-reinit
first=$(asides)
fresh=$(snap "$R$DB")
ar log-restore-aside "${DB%/*}/$first"
is "$rc" 0 "log-restore-aside: exit 0"
is "$(snap "$R$DB")" "$original" "the original log is back byte for byte"
second=$(asides)
like "$second" '^db\.aside-[0-9T]+Z(-[0-9])?$' "the fresh log in the way moved aside"
is "$(snap "$R${DB%/*}/$second")" "$fresh" "the fresh log's aside holds every file"
like "$out" "put ${DB%/*}/$first back at $DB: VOTING, 4 entries" "says what it put back"
before=$(snap "$R${DB%/*}")
ar log-restore-aside "${DB%/*}/$first"
is "$rc" 0 "log-restore-aside again: exit 0"
like "$out" "already put back" "again: says so"
is "$(snap "$R${DB%/*}")" "$before" "again: changed nothing"
ar log-restore-aside /var/lib/aurora/other
is "$rc" 65 "not an aside: exit 65"
mkdir -p "$R/tmp/db.aside-20261127T051500Z"
ar log-restore-aside /tmp/db.aside-20261127T051500Z
is "$rc" 65 "an aside-like name elsewhere: exit 65"
like "$err" "is not beside $DB" "elsewhere: says so"
ar log-restore-aside "${DB%/*}/db.aside-20200101T000000Z"
is "$rc" 65 "a missing aside: exit 65"
scheduler_proc
ar log-restore-aside "${DB%/*}/$second"
is "$rc" 3 "scheduler running: restore refused"
rm -rf "$P/4242"
is "$(snap "$R${DB%/*}")" "$before" "the refusals changed nothing"

# ---- a symbolic link as the log folder: refused before anything moves ----
applied ln
mkdir -p "$R/srv"
mkr entries "$R/srv/realdb" 3
ln -s /srv/realdb "$R$DB"
before=$(snap "$R/srv")
ar log-reinit
is "$rc" 3 "log folder a symlink: log-reinit refused (exit 3)"
like "$err" "$DB is a symbolic link \(to /srv/realdb\)" "symlink: says so, with the target"
is "$(snap "$R/srv") $(readlink "$R$DB")" "$before /srv/realdb" "symlink: the target and the link are untouched"
is "$(ls "$R${DB%/*}" "$R/srv" | grep -c aside)" 0 "symlink: nothing moved aside"
ar log-status
is "$rc" 0 "symlink: log-status exits 0"
like "$out" "$DB is a symbolic link to /srv/realdb" "symlink: log-status says so"
rm "$R$DB"
mkr entries "$R$DB" 2
mkdir -p "$R/srv/db.aside-20261127T051500Z"
ln -s /srv/db.aside-20261127T051500Z "$R${DB%/*}/db.aside-20261127T051500Z"
before=$(snap "$R${DB%/*}")
ar log-restore-aside "${DB%/*}/db.aside-20261127T051500Z"
is "$rc" 3 "an aside that is a symlink: log-restore-aside refused (exit 3)"
is "$(snap "$R${DB%/*}")" "$before" "symlinked aside: nothing moved"

# ---- reading a big replica: tables are linked into a scratch folder, not copied ----
host big
mkr big "$R$DB" 3
is "$(ls "$R$DB" | grep -c '\.ldb$')" 1 "big: the replica has a table file"
TMPDIR=$T/no-such-tmp ar --json log-status
is "$rc $(j 'o["state"]') $(j 'o["entries"]')" "0 VOTING 48" "TMPDIR unusable: read through a scratch folder beside the replica"
is "$(ls -A "$R${DB%/*}" | grep -c scratch)" 0 "the scratch folder is gone afterwards"
touch -d @1500000000 "$R${DB%/*}"
TMPDIR=$T/no-such-tmp ar --json log-status
is "$rc $(stat -c %Y "$R${DB%/*}")" "0 1500000000" "... and the folder that held it keeps its mtime (log-status changes nothing)"
stale=$R${DB%/*}/.aurora-restore-scratch.999999999.AbCdEf
mkdir -p "$stale" && : >"$stale/000005.ldb"
TMPDIR=$T/no-such-tmp ar --json log-status
is "$(ls -A "$R${DB%/*}" | grep -c scratch)" 0 "a scratch folder a crashed run left is removed"
mkdir -p "$T/victim" "$R${DB%/*}/.aurora-restore-scratch.999999998.OtHeRs"
echo keep >"$T/victim/000005.ldb"
cp "$T/victim/000005.ldb" "$R${DB%/*}/.aurora-restore-scratch.999999998.OtHeRs/"
chown -R 65534:65534 "$R${DB%/*}/.aurora-restore-scratch.999999998.OtHeRs"
ln -s "$T/victim" "$R${DB%/*}/.aurora-restore-scratch.999999999.LiNkEd"
TMPDIR=$T/no-such-tmp ar --json log-status
is "$(cat "$T/victim/000005.ldb" "$R${DB%/*}/.aurora-restore-scratch.999999998.OtHeRs/000005.ldb")" "keep
keep" "a leftover-like name that is a symlink, or another user's folder: left alone"
rm -rf "$R${DB%/*}"/.aurora-restore-scratch.*
if unshare -m --propagation private true 2>/dev/null; then
	E=$T/small-tmp
	mkdir -p "$E/tmp"
	unshare -m --propagation private bash -c '
		R=$1 P=$2 C=$3 DB=$4 E=$5
		mount -t tmpfs -o size=1m tmpfs "$E/tmp" || exit 9
		TMPDIR=$E/tmp "$AR" --root "$R" --proc "$P" --config "$C" --json log-status >"$E/status1" 2>&1; echo $? >"$E/rc1"
		mkdir -p "$E/db" && cp -a "$R$DB/." "$E/db/"
		mount -t tmpfs -o size=16m tmpfs "$R$DB" || exit 9
		cp -a "$E/db/." "$R$DB/"
		TMPDIR=$E/tmp "$AR" --root "$R" --proc "$P" --config "$C" --json log-status >"$E/status2" 2>&1; echo $? >"$E/rc2"
		ls -A "$E/tmp" >"$E/left"
		exit 0
	' small "$R" "$P" "$C" "$DB" "$E"
	is "$?" 0 "small TMPDIR: the tmpfs mounted"
	out=$(cat "$E/status1")
	is "$(cat "$E/rc1") $(j 'o["state"]') $(j 'o["entries"]')" "0 VOTING 48" \
		"a 1 MB TMPDIR on another filesystem, a 3 MB replica: read, nothing copied"
	out=$(cat "$E/status2")
	is "$(cat "$E/rc2") $(j 'o["state"]')" "0 unknown" \
		"the replica a mount point and TMPDIR too small: exit 0, state unknown"
	like "$(j 'o["reason"]')" "needs 4 MB in $E/tmp/.*set TMPDIR" "... the reason says what is needed and how to set TMPDIR"
	is "$(cat "$E/left")" "" "... and leaves nothing in TMPDIR"
else
	ok "# SKIP mount namespaces are not allowed here (unshare -m failed)"
fi

# ---- a mount point (tmpfs in a private mount namespace) ----
applied mnt
if unshare -m --propagation private true 2>/dev/null; then
	mkdir -p "$R$DB"
	E=$T/mnt-evidence
	mkdir -p "$E"
	unshare -m --propagation private bash -c "$(declare -f snapshot)"'
		set -u
		R=$1 P=$2 C=$3 DB=$4 E=$5 MK=$6
		mount -t tmpfs -o size=16m tmpfs "$R$DB" || exit 9
		/usr/bin/python3 "$MK" entries "$R$DB" 3 >/dev/null 2>&1
		snapshot "$R$DB" >"$E/before"
		"$AR" --root "$R" --proc "$P" --config "$C" log-reinit >"$E/out1" 2>"$E/err1"; echo $? >"$E/rc1"
		snapshot "$R$DB" >"$E/after1"
		"$AR" --root "$R" --proc "$P" --config "$C" log-reinit --aside "$DB" >"$E/out2" 2>"$E/err2"; echo $? >"$E/rc2"
		a=$(cd "$R$DB" && ls -d db.aside-*)
		echo "$a" >"$E/aside"
		snapshot "$R$DB/$a" >"$E/aside-snap"
		"$AR" --root "$R" --proc "$P" --config "$C" --json log-status >"$E/status" 2>&1
		"$AR" --root "$R" --proc "$P" --config "$C" log-restore-aside "$DB/$a" >"$E/out3" 2>"$E/err3"; echo $? >"$E/rc3"
		(cd "$R$DB" && find . -maxdepth 1 -type f -printf "%P\n" | sort) >"$E/files3"
		b=$(cd "$R$DB" && ls -d db.aside-*)
		echo "$b" >"$E/aside3"
		for f in $(cat "$E/files3"); do (cd "$R$DB" && sha256sum "$f"); done >"$E/sums3"
		(cd "$R$DB/$a" 2>/dev/null && ls) >"$E/left3"
		exit 0
	' mnt "$R" "$P" "$C" "$DB" "$E" "$MK"
	mrc=$?
	is "$mrc" 0 "mount namespace: the tmpfs mounted"
	is "$(cat "$E/rc1")" 3 "mount point without --aside: refused (exit 3)"
	like "$(cat "$E/err1")" "is a mount point and cannot be renamed: give --aside DIR" "mount point: the advice"
	same_file "$E/before" "$E/after1" "mount point refused: nothing moved"
	is "$(cat "$E/rc2")" 0 "mount point with --aside inside it: exit 0 ($(cat "$E/err2"))"
	like "$(cat "$E/aside")" '^db\.aside-[0-9]{8}T[0-9]{6}Z$' "the files moved into a dated folder inside the mount"
	same_file "$E/before" "$E/aside-snap" "the aside inside the mount holds every original file byte for byte"
	out=$(cat "$E/status")
	is "$(j 'o["state"]') $(j 'o["entries"]') $(j 'o["mount_point"]')" "VOTING 0 true" "the new log on the mount: VOTING, the aside folder ignored"
	is "$(cat "$E/rc3") $(cat "$E/left3" | wc -l)" "0 0" "log-restore-aside on a mount point: exit 0, the aside emptied"
	is "$(cat "$E/files3" | tr '\n' ' ')" "000003.log CURRENT LOCK LOG MANIFEST-000002 " "the original files are back in the mount"
	like "$(cat "$E/aside3")" '^db\.aside-' "the fresh log moved into its own aside in the mount"
else
	skip "the log on a mount point" "mount namespaces are not allowed here (unshare -m failed)"
fi

done_testing
