#!/bin/bash
# tests/t-log-recover.sh: log-recover (Aurora 0.21+'s offline restore) on
# every layout, with the recovery-tool stand-in (tests/recovery-tool),
# which records its argv, ids and environment in a file beside it and
# writes the backup into the replica (python3-plyvel, compression off).
# Every guard is proved by the record: the tool never started. The tool
# runs as the scheduler's user (uid 4242), so the scratch folders it
# reads are world-traversable.
. "$SRCDIR/tests/lib.sh"

PY=/usr/bin/python3
MK=$SRCDIR/tests/log/mkreplica.py
MKB=$SRCDIR/tests/scheduler/make_backup.py
DB=/var/lib/aurora/scheduler/db
export FAKE_SYSTEMCTL_LOG=$T/systemctl.log FAKE_UNIT_STATE=inactive
chmod 0755 "$T"
mkdir -m 0777 "$T/tool"
TOOL=$T/tool/recovery-tool REC=$T/tool/recovery-tool.record
install -m 0755 "$SRCDIR/tests/recovery-tool/recovery-tool" "$TOOL"
: >"$REC"; chmod 0666 "$REC"
holder=
trap 'if [ -n "$holder" ]; then kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null; fi; rm -rf "$T"' EXIT

now_ms() { echo $(($(date +%s) * 1000)); }
mkdir -m 0755 "$T/backups"
BK=$T/backups/scheduler-backup-2026-12-06-08-00
$PY "$MKB" --tasks 12 --seed 5 --timestamp-ms "$(now_ms)" --out "$BK" || not_ok "make_backup"

host() {		# host NAME LOG: users, /tmp, a stopped unit, log LOG initialized for aurora
	R=$T/$1/root P=$T/$1/proc C=$T/$1/ar.conf L=$2
	mkdir -p "$R/etc/aurora" "$R/lib/systemd/system" "$R/etc/systemd/system" "$P/1"
	chmod 0755 "$T/$1"
	mkdir -m 1777 "$R/tmp"
	cp "$EXAMPLES/packaging-clusters.json" "$R/etc/aurora/clusters.json"
	printf 'root:x:0:0:root:/root:/bin/bash\naurora:x:4242:4343::/var/lib/aurora:/usr/sbin/nologin\nmesos:x:4300:4300::/:/usr/sbin/nologin\n' >"$R/etc/passwd"
	printf 'root:x:0:\naurora:x:4343:\nmesos:x:4300:\n' >"$R/etc/group"
	printf 'advertised_host = "sched1.example.com";\nsystemctl = "%s";\nlive_root = true;\n' "$SRCDIR/tests/log/systemctl" >"$C"
	mkdir -p "$R/run/systemd/system"	# live_root: the fake systemctl manages this root
	printf 'cpu 1 2 3 4\nbtime %s\n' "$(($(date +%s) - 1000))" >"$P/stat"
	printf '/sbin/init\0' >"$P/1/cmdline"
	fresh_log
}
fresh_log() {		# the log as log-reinit leaves it: VOTING, no entries, owned by aurora
	rm -rf "$R$L"; mkdir -p "$R${L%/*}"
	$PY "$MK" init "$R$L" >/dev/null 2>&1 || not_ok "mkreplica init"
	chown -R 4242:4343 "$R$L"; chmod 0750 "$R$L"
}
debian_unit() {
	printf '[Service]\nUser=aurora\nExecStart=/usr/bin/aurora-scheduler-startup\n' \
		>"$R/lib/systemd/system/aurora-scheduler.service"
}
ar() { run --root "$R" --proc "$P" --config "$C" "$@"; }
j() {			# j EXPR: a value of the JSON object in $out (Python expression on o)
	$PY -c 'import json,sys; o=json.loads(sys.argv[1]); v=eval(sys.argv[2]); print(json.dumps(v) if not isinstance(v, str) else v)' "$out" "$1" 2>&1
}
runs() { wc -l <"$REC" | tr -d ' '; }
last() {		# last EXPR: of the stand-in's last record r
	$PY -c 'import json,sys; r=json.loads(open(sys.argv[1]).read().splitlines()[-1]); v=eval(sys.argv[2]); print(json.dumps(v) if not isinstance(v, str) else v)' "$REC" "$1" 2>&1
}
entries() { ar --json log-status; j 'o["entries"]'; }
argv_want() {		# argv_want LOG EXTRA...: the argv the tool must get, as JSON
	$PY -c 'import json,sys; print(json.dumps(sys.argv[1:]))' -from=BACKUP -to=LOG "-backup=$BK" \
		"-native_log_file_path=$R$1" "${@:2}" -native_log_quorum_size=1
}
env_want() { $PY -c 'import json,sys; print(json.dumps(dict(a.split("=", 1) for a in sys.argv[1:] + ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"])))' "$@"; }

# ---- Debian: /etc/default/aurora-scheduler ----
host deb "$DB"
debian_unit
mkdir -p "$R/etc/default"
sed 's|^EXTRA_SCHEDULER_ARGS=.*|EXTRA_SCHEDULER_ARGS="-native_log_write_timeout=5secs -zk_session_timeout=10secs -enable_preemptor=false"|' \
	"$EXAMPLES/debian-aurora-scheduler.default" >"$R/etc/default/aurora-scheduler"
ar --json log-recover "$BK" --recovery-tool "$TOOL"
is "$rc" 0 "debian: exit 0"
is "$(last 'r["argv"]')" "$(argv_want "$DB" -native_log_zk_group_path=/aurora/replicated-log -zk_endpoints=127.0.0.1:2181 -zk_session_timeout=10secs -native_log_write_timeout=5secs)" \
	"debian: the argv from the effective flags, the log's real path, quorum 1, nothing the tool does not know"
is "$(last '[r["uid"], r["gid"], r["groups"]]')" "[4242, 4343, [4343]]" "debian: run as the unit's User= and its group"
is "$(last 'r["env"]')" "$(env_want JAVA_OPTS=-Djava.library.path=/usr/local/lib LIBPROCESS_IP=127.0.0.1 LIBPROCESS_PORT=8083)" \
	"debian: JAVA_OPTS and LIBPROCESS_PORT from the default file, LIBPROCESS_IP 127.0.0.1 (commented out there), nothing of ours"
is "$(j 'o["entries"]') $(j 'o["backup"]') $(j 'o["changed"]')" "$(( ($(stat -c %s "$BK") + 4095) / 4096 )) $BK true" "debian: the log holds the backup's entries"
ar --json log-status
is "$(j 'o["state"]') $(j 'o["user_can_open"]')" "VOTING true" "debian: log-status shows a VOTING log the scheduler's user can open"
like "$(j 'o["entries"]')" '^[1-9]' "debian: log-status shows entries"
ar --json log-recover "$BK" --recovery-tool "$TOOL"
is "$rc" 3 "a log with entries (no journal: no once-per-restore record): refused"
like "$err" "is VOTING with entries, not a freshly initialized log \(VOTING, no entries\): run aurora-restore log-reinit first" "with entries: says to run log-reinit first"
is "$(runs)" 1 "with entries: the tool never started"

# text output: streamed lines with prefix and elapsed time
fresh_log
ar log-recover "$BK" --recovery-tool "$TOOL"
is "$rc" 0 "text: exit 0"
like "$out" "^recovery-tool \[ +[0-9]+\.[0-9]s\] I1206 .*RecoveryTool: recovered [0-9]+ entries" "text: the tool's lines with a prefix and the elapsed time"
like "$out" "^run as aurora \(4242:4343, the unit's User=\): $TOOL -from=BACKUP -to=LOG -backup=$BK -native_log_file_path=$DB " \
	"text: the command shown, the log named as the operator names it"
like "$out" "recovered $BK into $DB: [0-9]+ entries" "text: the summary"

# --user, --check
fresh_log
chown -R 4300:4300 "$R$DB"
before=$(runs)
ar --json --check log-recover "$BK" --recovery-tool "$TOOL" --user mesos
is "$rc $(runs)" "0 $before" "--check: exit 0, the tool never started"
is "$(j 'o["user"]') $(j 'o["argv"][0]')" "mesos $TOOL" "--check: the user and argv it would use"

# ---- RPM: the JAVA_OPTS array ----
host rpm "$DB"
debian_unit
mkdir -p "$R/etc/sysconfig"
cp "$EXAMPLES/rpm-aurora-scheduler.sysconfig" "$R/etc/sysconfig/aurora-scheduler"
ar --json log-recover "$BK" --recovery-tool "$TOOL"
is "$rc" 0 "rpm: exit 0"
is "$(last 'r["argv"]')" "$(argv_want "$DB" -native_log_zk_group_path=/aurora/replicated-log -zk_endpoints=127.0.0.1:2181)" "rpm: the argv"
is "$(last 'r["env"]')" "$(env_want "JAVA_OPTS=-server -Djava.library.path=/usr/lib;/usr/lib64" LIBPROCESS_IP=127.0.0.1 LIBPROCESS_PORT=8083)" \
	"rpm: JAVA_OPTS is the array's words joined by blanks, as the launcher's \${JAVA_OPTS[*]}"
is "$(last 'r["uid"]')" 4242 "rpm: as aurora"

# ---- systemd: a unit with Environment=, drop-ins, an EnvironmentFile ----
VL=/var/db/aurora
host sd "$VL"
cp "$EXAMPLES/vagrant-aurora-scheduler.service" "$R/etc/systemd/system/aurora-scheduler.service"
cp "$EXAMPLES/vagrant-clusters.json" "$R/etc/aurora/clusters.json"
ar --json --check log-recover "$BK" --recovery-tool "$TOOL" --user aurora
is "$(j 'o["env"]["JAVA_OPTS"]')" "'-Djava.library.path=/usr/lib    -Xdebug    -Xrunjdwp:transport=dt_socket,server=y,suspend=n,address=5005'" \
	"systemd: a continued Environment= joined as systemd joins it, inner quotes kept"
mkdir -p "$R/etc/systemd/system/aurora-scheduler.service.d"
printf '[Service]\nUser=aurora\nEnvironment="JAVA_OPTS=-Djava.library.path=/usr/lib -Xmx2g" LIBPROCESS_IP=127.0.0.9\n' \
	>"$R/etc/systemd/system/aurora-scheduler.service.d/10-aurora.conf"
printf '[Service]\nEnvironmentFile=-/etc/aurora/absent\nEnvironmentFile=/etc/aurora/scheduler.env\n' \
	>"$R/etc/systemd/system/aurora-scheduler.service.d/20-env.conf"
printf '# port\nLIBPROCESS_PORT="9083"\nGLOG_v=3\n' >"$R/etc/aurora/scheduler.env"
ar --json log-recover "$BK" --recovery-tool "$TOOL"
is "$rc" 0 "systemd: exit 0"
is "$(last 'r["argv"]')" "$(argv_want "$VL" -native_log_zk_group_path=/aurora/replicated-log -zk_endpoints=localhost:2181)" "systemd: the argv from ExecStart"
is "$(last 'r["env"]')" "$(env_want "JAVA_OPTS=-Djava.library.path=/usr/lib -Xmx2g" LIBPROCESS_IP=127.0.0.9 LIBPROCESS_PORT=9083)" \
	"systemd: drop-ins override the unit, EnvironmentFile= overrides Environment=, only the launcher's three variables"
is "$(last 'r["uid"]')" 4242 "systemd: the drop-in's User= (the unit says root)"
fresh_log
printf '# port\r\nLIBPROCESS_PORT="9084"\r\nLIBPROCESS_IP=127.0.0.8\r\n' >"$R/etc/aurora/scheduler.env"
ar --json --check log-recover "$BK" --recovery-tool "$TOOL" --user aurora
is "$(j '[o["env"]["LIBPROCESS_PORT"], o["env"]["LIBPROCESS_IP"]]')" '["9084", "127.0.0.8"]' \
	"systemd: an EnvironmentFile= with CRLF line ends: the CRs end the lines, as systemd reads it"

# ---- systemd with an @argfile ----
host af "$DB"
printf '[Service]\nUser=aurora\nEnvironment=JAVA_OPTS=-Djava.library.path=/usr/lib\nExecStart=/usr/bin/aurora-scheduler -cluster_name=example @/etc/aurora/scheduler.args\n' \
	>"$R/lib/systemd/system/aurora-scheduler.service"
printf -- '-zk_endpoints=zk1:2181,zk2:2181\n-zk_chroot_path=/prod\n-native_log_zk_group_path=/aurora/log\n-native_log_file_path=%s\n-native_log_quorum_size=3\n-dlog_max_entry_size=1MB\n' "$DB" \
	>"$R/etc/aurora/scheduler.args"
ar --json log-recover "$BK" --recovery-tool "$TOOL"
is "$rc" 0 "argfile: exit 0"
is "$(last 'r["argv"]')" "$(argv_want "$DB" -native_log_zk_group_path=/aurora/log -zk_endpoints=zk1:2181,zk2:2181 -zk_chroot_path=/prod -dlog_max_entry_size=1MB)" \
	"argfile: the argv from the argfile, -native_log_quorum_size=3 replaced by 1"
is "$(last 'r["env"]["JAVA_OPTS"]')" "-Djava.library.path=/usr/lib" "argfile: JAVA_OPTS from the unit"
fresh_log
printf -- '-zk_digest_credentials=sched:s3cr3t-pw\n' >>"$R/etc/aurora/scheduler.args"
ar log-recover "$BK" --recovery-tool "$TOOL"
is "$rc $(last '[a for a in r["argv"] if "digest" in a][0]')" "0 -zk_digest_credentials=sched:s3cr3t-pw" "digest credentials: passed to the tool"
like "$out" "^run as aurora .* -zk_digest_credentials=sched:\\*\\*\\*\\* " "digest credentials: shown masked"
case "$out$err" in *s3cr3t*) not_ok "digest credentials: the password in no output";; *) ok "digest credentials: the password in no output";; esac

# --layout argfile alone: no launcher environment, a warning
fresh_log
ar --json --layout argfile --flags-file /etc/aurora/scheduler.args --cluster example log-recover "$BK" --recovery-tool "$TOOL"
is "$rc" 0 "argfile without a launcher: exit 0"
is "$(last 'r["env"]')" "$(env_want LIBPROCESS_IP=127.0.0.1)" "argfile without a launcher: LIBPROCESS_IP only"
fresh_log
ar --check --layout argfile --flags-file /etc/aurora/scheduler.args --cluster example log-recover "$BK" --recovery-tool "$TOOL"
like "$out" "warning: JAVA_OPTS sets no -Djava.library.path: libmesos may not load" "no java.library.path: the warning"

# ---- upstart: env stanzas, one spanning lines ----
host up "$VL"
mkdir -p "$R/etc/init"
cp "$EXAMPLES/vagrant-upstart-aurora-scheduler.conf" "$R/etc/init/aurora-scheduler.conf"
cp "$EXAMPLES/vagrant-clusters.json" "$R/etc/aurora/clusters.json"
ar --json log-recover "$BK" --recovery-tool "$TOOL"
is "$rc" 0 "upstart: exit 0"
is "$(last 'r["argv"]')" "$(argv_want "$VL" -native_log_zk_group_path=/aurora/replicated-log -zk_endpoints=localhost:2181)" "upstart: the argv from the exec stanza"
is "$(last 'r["env"]')" "$(env_want "JAVA_OPTS=-Djava.library.path=/usr/lib
  -Xdebug
  -Xrunjdwp:transport=dt_socket,server=y,suspend=n,address=5005
" LIBPROCESS_IP=192.168.33.7 LIBPROCESS_PORT=8083)" "upstart: env stanzas, the multi-line JAVA_OPTS unquoted"
is "$(last 'r["uid"]')" 4242 "upstart: as aurora (the default user)"

# ---- guards: each refuses with exit 3 and the tool never started ----
host g "$DB"
debian_unit
mkdir -p "$R/etc/default"
cp "$EXAMPLES/debian-aurora-scheduler.default" "$R/etc/default/aurora-scheduler"
guard() {		# guard DESCRIPTION REGEX ARGS...: exit 3, message, no run
	local d=$1 re=$2 n
	shift 2
	n=$(runs)
	ar log-recover "$@"
	is "$rc" 3 "$d: exit 3"
	like "$err" "$re" "$d: the message"
	is "$(runs)" "$n" "$d: the tool never started"
}
mkdir -p "$P/4242"
printf '%s\0' /usr/bin/java -cp '/usr/lib/aurora/lib/*' org.apache.aurora.scheduler.app.SchedulerMain -cluster_name=example >"$P/4242/cmdline"
guard "scheduler process" "$DB is in use: scheduler process 4242 runs \(stop the scheduler first\)" "$BK" --recovery-tool "$TOOL" --force
rm -rf "$P/4242"
FAKE_UNIT_STATE=active guard "unit active" "unit aurora-scheduler.service is active" "$BK" --recovery-tool "$TOOL" --force
$PY -c 'import plyvel,sys,time; db=plyvel.DB(sys.argv[1]); open(sys.argv[2],"w").close(); time.sleep(120)' "$R$DB" "$T/ready" &
holder=$!
for _ in $(seq 200); do [ -e "$T/ready" ] && break; sleep 0.1; done
guard "LOCK held" "$DB/LOCK is locked by process $holder" "$BK" --recovery-tool "$TOOL" --force
kill "$holder"; wait "$holder" 2>/dev/null; holder=
rm -rf "$R$DB"
guard "log absent" "$DB is absent, not a freshly initialized log .*run aurora-restore log-reinit first" "$BK" --recovery-tool "$TOOL" --force
$PY "$MK" entries "$R$DB" 3 >/dev/null 2>&1; chown -R 4242:4343 "$R$DB"
guard "log with entries" "is VOTING with entries, not a freshly initialized log" "$BK" --recovery-tool "$TOOL" --force
fresh_log; chown 0:0 "$R$DB"; chmod 0755 "$R$DB"
guard "log aurora cannot write" "$DB: owner 0:0 mode 0755: aurora cannot create files in it \(run aurora-restore log-reinit, which gives it to aurora\)" "$BK" --recovery-tool "$TOOL"
fresh_log
$PY "$MKB" --tasks 0 --out "$T/backups/empty" >/dev/null
guard "empty backup" "$T/backups/empty holds no tasks: an empty snapshot$" "$T/backups/empty" --recovery-tool "$TOOL" --force
head -c 300 /dev/urandom >"$T/backups/garbage"; printf '\377' >>"$T/backups/garbage"
guard "not a backup" "garbage.*\(not a backup the recovery tool can restore\)$" "$T/backups/garbage" --recovery-tool "$TOOL" --force
guard "missing backup" "$T/backups/none.*\(not a backup the recovery tool can restore\)$" "$T/backups/none" --recovery-tool "$TOOL"
$PY "$MKB" --tasks 3 --timestamp-ms $(( $(now_ms) - 5 * 3600 * 1000 )) --out "$T/backups/old" >/dev/null
chmod 0644 "$T/backups/old" "$T/backups/empty"
guard "old backup" "$T/backups/old is 5h00m old, older than --max-age \(14400 s\) \(--force to recover anyway\)$" "$T/backups/old" --recovery-tool "$TOOL"
guard "--max-kill, Mesos unreachable" "the restore's impact is unknown, so --max-kill 5 cannot be checked: .*\(--force to go on\)" "$BK" --recovery-tool "$TOOL" --max-kill 5 --mesos http://127.0.0.1:1
# A Mesos master (tests/mesos/master.py) running two tasks of the framework
# that the backup does not know: restoring it kills both.
printf '%s' '{"frameworks": [{"id": "fw-x", "name": "Aurora", "active": false, "completed_tasks": [],
  "tasks": [{"id": "www-prod-a-0-x", "name": "www/prod/a", "state": "TASK_RUNNING"},
            {"id": "www-prod-a-1-x", "name": "www/prod/a", "state": "TASK_RUNNING"}]}]}' >"$T/mesos.cluster"
$PY "$SRCDIR/tests/mesos/master.py" --host 127.0.0.1 --cluster "$T/mesos.cluster" >"$T/mesos.out" 2>"$T/mesos.err" &
mesos_pid=$!
listening mesos $!
MESOS=$URL_mesos
[ "$MESOS" != http:// ] || bail "the Mesos master stand-in starts" "$(cat "$T/mesos.err")"
guard "--max-kill 1, 2 killed" "2 running tasks would be killed, more than --max-kill 1: nothing done" "$BK" --recovery-tool "$TOOL" --max-kill 1 --mesos "$MESOS" --framework-id fw-x
ar log-recover "$BK" --recovery-tool "$TOOL" --max-kill 2 --mesos "$MESOS" --framework-id fw-x --check
is "$rc" 0 "--max-kill 2, 2 killed: passes (--check)"
like "$out" "kills 2 of the 2 tasks Mesos runs for framework fw-x" "log-recover prints the impact summary"
kill "$mesos_pid"; wait "$mesos_pid" 2>/dev/null
# A "latest" link: the file checked (age, Snapshot, impact) is the file the
# tool gets, the link resolved once before any check.
ln -s "$BK" "$T/backups/latest"
ar log-recover "$T/backups/latest" --recovery-tool "$TOOL" --check
is "$rc" 0 "a backup named through a symlink: passes (--check)"
like "$out" "^$BK: 12 tasks" "the check reads the link's target, named"
like "$out" "would recover $BK into" "and the tool would get that same file"
rm "$T/backups/latest"
ar log-recover "$T/backups/old" --recovery-tool "$TOOL" --max-age 6hrs --check
is "$rc" 0 "old backup within --max-age 6hrs: passes"
ar log-recover "$T/backups/old" --recovery-tool "$TOOL" --force
is "$rc" 0 "old backup with --force: recovered"
like "$out" "warning \(--force\): $T/backups/old is 5h00m old" "--force: the age guard a warning"

# ---- the tool: missing, from the config, in the packaged places ----
fresh_log
n=$(runs)
ar log-recover "$BK"
is "$rc" 1 "no tool: exit 1"
is "$err" "aurora-restore: no recovery-tool found (looked at /usr/share/aurora/bin/recovery-tool, /usr/lib/aurora/bin/recovery-tool under --root $R; give --recovery-tool PATH or set recovery_tool)" \
	"no tool: the places looked at named"
ar log-recover "$BK" --recovery-tool "$T/tool/nosuch"
is "$rc $(runs)" "1 $n" "--recovery-tool missing: exit 1, nothing run"
like "$err" "recovery tool $T/tool/nosuch: not an executable" "--recovery-tool missing: named"
mkdir -p "$R/usr/lib/aurora/bin"
install -m 0755 "$TOOL" "$R/usr/lib/aurora/bin/recovery-tool"
ar --json --check log-recover "$BK"
is "$rc $(j 'o["argv"][0]')" "0 $R/usr/lib/aurora/bin/recovery-tool" "the RPM place under --root"
printf 'recovery_tool = "%s";\n' "$TOOL" >>"$C"
ar --json --check log-recover "$BK"
is "$rc $(j 'o["argv"][0]')" "0 $TOOL" "the config's recovery_tool"

# ---- a backup aurora cannot read: a private copy, removed after ----
mkdir -m 0700 "$T/private"
cp "$BK" "$T/private/scheduler-backup-x"; chmod 0600 "$T/private/scheduler-backup-x"
meta=$(stat -c '%a %U %Y' "$T/private" "$T/private/scheduler-backup-x")
ar --json log-recover "$T/private/scheduler-backup-x"
is "$rc" 0 "unreadable backup: exit 0"
like "$(last 'r["argv"][2]')" "^-backup=$R/tmp/aurora-restore-backup\.[A-Za-z0-9]{6}/scheduler-backup-x$" "unreadable backup: the tool reads a private copy"
is "$(ls -A "$R/tmp")" "" "unreadable backup: the private copy removed after"
is "$(stat -c '%a %U %Y' "$T/private" "$T/private/scheduler-backup-x")" "$meta" "unreadable backup: the operator's file and folder untouched"
is "$(j 'o["backup"]')" "$T/private/scheduler-backup-x" "unreadable backup: the result names the operator's file"
is "$(cat "$TOOL.held")" True "unreadable backup: the private copy's folder is locked while the tool reads it"

# ---- a private copy an interrupted run (kill -9) left is removed next time ----
fresh_log
mkdir -m 0700 "$R/tmp/aurora-restore-backup.Ab12Cd" "$R/tmp/aurora-restore-backup.Zz99Yy" \
    "$R/tmp/aurora-restore-backup.notmine" "$R/tmp/aurora-restore-backup.Xy34Zw"
cp "$BK" "$R/tmp/aurora-restore-backup.Ab12Cd/scheduler-backup-x"
chmod 0400 "$R/tmp/aurora-restore-backup.Ab12Cd/scheduler-backup-x"
chown -R 4242:4343 "$R/tmp/aurora-restore-backup.Ab12Cd" "$R/tmp/aurora-restore-backup.notmine" \
    "$R/tmp/aurora-restore-backup.Xy34Zw"
cp "$BK" "$R/tmp/aurora-restore-backup.Zz99Yy/kept"	# root's: not ours to remove
ln -s /etc/passwd "$R/tmp/aurora-restore-backup.Xy34Zw/link"	# not a plain file: kept
chown -h 4242:4343 "$R/tmp/aurora-restore-backup.Xy34Zw/link"
ar log-recover "$T/private/scheduler-backup-x"
is "$rc" 0 "a copy left by a killed run: recovered (0)"
like "$out" "removed /tmp/aurora-restore-backup.Ab12Cd, a private copy of a backup an interrupted run left" "... and the copy left behind removed, named"
is "$(ls -A "$R/tmp" | paste -sd' ')" "aurora-restore-backup.Xy34Zw aurora-restore-backup.Zz99Yy aurora-restore-backup.notmine" \
    "... a folder of another owner, with a symlink, or of another name is left alone"
is "$(readlink "$R/tmp/aurora-restore-backup.Xy34Zw/link")" /etc/passwd "... and what the symlink names untouched"
rm -rf "$R/tmp/aurora-restore-backup."*
# a folder another run holds (its flock), and a name mkdtemp never makes
fresh_log
mkdir -m 0700 "$R/tmp/aurora-restore-backup.Held01" "$R/tmp/aurora-restore-backup."$'ab\e[2J'
cp "$BK" "$R/tmp/aurora-restore-backup.Held01/scheduler-backup-x"
chown -R 4242:4343 "$R/tmp/aurora-restore-backup."*
exec 9<"$R/tmp/aurora-restore-backup.Held01"
flock -x 9
ar log-recover "$T/private/scheduler-backup-x"
exec 9<&-
is "$rc" 0 "another run's copy and an odd name in /tmp: recovered (0)"
check "... the folder another run holds is left alone" test -f "$R/tmp/aurora-restore-backup.Held01/scheduler-backup-x"
check "... and so is a name mkdtemp never makes (an escape sequence)" test -d "$R/tmp/aurora-restore-backup."$'ab\e[2J'
is "$(printf "%s\n" "$out" | grep -c "removed /tmp")" 0 "... and neither is named as removed"
rm -rf "$R/tmp/aurora-restore-backup."*
# a folder of aurora's holding a file of root's or a folder: nothing in it removed
fresh_log
mkdir -m 0700 "$R/tmp/aurora-restore-backup.Mixed1" "$R/tmp/aurora-restore-backup.Nest01"
mkdir "$R/tmp/aurora-restore-backup.Nest01/sub"
touch "$R/tmp/aurora-restore-backup.Mixed1/a" "$R/tmp/aurora-restore-backup.Nest01/a"
chown -R 4242:4343 "$R/tmp/aurora-restore-backup."*
touch "$R/tmp/aurora-restore-backup.Mixed1/roots"
ar log-recover "$T/private/scheduler-backup-x"
is "$rc" 0 "a folder of aurora's with root's file, another with a folder: recovered (0)"
is "$(cd "$R/tmp" && find . -mindepth 1 | LC_ALL=C sort | paste -sd' ')" \
    "./aurora-restore-backup.Mixed1 ./aurora-restore-backup.Mixed1/a ./aurora-restore-backup.Mixed1/roots ./aurora-restore-backup.Nest01 ./aurora-restore-backup.Nest01/a ./aurora-restore-backup.Nest01/sub" \
    "... both left whole: not even aurora's own files in them removed"
rm -rf "$R/tmp/aurora-restore-backup."*

# ---- the tool fails; exits 0 with nothing written ----
fresh_log
echo fail >"$TOOL.mode"
ar log-recover "$BK"
is "$rc" 1 "tool fails: exit 1"
like "$out" "recovery-tool \[.*\] E1206 .*ZooKeeper: connection lost" "tool fails: its lines shown"
like "$err" "recovery-tool exited 1 \(Exception in thread \"main\" java.util.concurrent.TimeoutException: write timed out\); $DB may hold part of the backup: run aurora-restore log-reinit --force, then log-recover again$" \
	"tool fails: its last line and what to do"
is "$(entries)" 2 "tool fails: the log left as the tool left it"
fresh_log
echo empty >"$TOOL.mode"
ar log-recover "$BK"
is "$rc" 1 "tool exits 0, no entries: exit 1"
like "$err" "recovery-tool exited 0 but the log holds no entries" "tool exits 0, no entries: said"
rm -f "$TOOL.mode"
fresh_log
ar log-recover "$BK" --recovery-tool "$SRCDIR/tests/log/systemctl"
is "$rc" 1 "a tool that does not take the flags: exit 1"

# ---- once per restore (the journal), status ----
host once "$DB"
debian_unit
mkdir -p "$R/etc/default"
cp "$EXAMPLES/debian-aurora-scheduler.default" "$R/etc/default/aurora-scheduler"
ar apply --reason t-log-recover
is "$rc" 0 "once: the recovery profile applied"
echo fail >"$TOOL.mode"
ar log-recover "$BK" --recovery-tool "$TOOL"
rm -f "$TOOL.mode"
is "$rc" 1 "once: a failed run"
is "$($PY -c 'import json,sys; l=json.load(open(sys.argv[1]))["log"][-1]; print(l["action"], l["result"], l["exit"], l["backup"] == sys.argv[2], l["output"][-1])' "$R/var/lib/aurora-restore/journal.json" "$BK" 2>&1)" \
	"recover failed 1 True Exception in thread \"main\" java.util.concurrent.TimeoutException: write timed out" \
	"once: the journal keeps the failed run with the tool's last lines"
fresh_log
ar --json log-recover "$BK" --recovery-tool "$TOOL"
is "$rc" 0 "once: a failed run does not count: recovered"
n=$(runs)
journal=$(snapshot "$R/var/lib/aurora-restore")
logsnap=$(snapshot "$R$DB")
ar --json log-recover "$BK" --recovery-tool "$TOOL"
is "$rc $(runs)" "0 $n" "second run: exit 0, the tool not started"
like "$(j 'o["msg"]')" "^$DB was already recovered in this restore, at 20[0-9-]+T[0-9:]+Z, from $BK; nothing done" "second run: says when and from which file"
is "$(j 'o["changed"]')" false "second run: changed false"
is "$(snapshot "$R/var/lib/aurora-restore")$(snapshot "$R$DB")" "$journal$logsnap" "second run: journal and log untouched"
ar --json status
like "$(j 'o["recovered"]["backup"]')" "^$BK$" "status: the backup recovered from"
ar status
like "$out" "log $DB recovered from $BK at 20[0-9-]+T[0-9:]+Z \([0-9]+ entries\)" "status: recovered from which backup, when"
ar --json log-recover "$BK" --recovery-tool "$TOOL" --force
is "$rc" 3 "second run --force: the log holds entries, refused"
is "$(runs)" "$n" "second run --force: the tool not started"

# ---- killed mid-run: the tool dies with log-recover; the run does not count ----
host killed "$DB"
debian_unit
mkdir -p "$R/etc/default"
cp "$EXAMPLES/debian-aurora-scheduler.default" "$R/etc/default/aurora-scheduler"
killed_run() {		# killed_run SIGNAL: log-recover with a hanging tool, killed by SIGNAL
	local arpid toolpid
	fresh_log
	rm -f "$TOOL.pid"
	echo hang >"$TOOL.mode"
	"$AR" --root "$R" --proc "$P" --config "$C" log-recover "$BK" --recovery-tool "$TOOL" >"$T/.out" 2>"$T/.err" &
	arpid=$!
	for _ in $(seq 300); do [ -s "$TOOL.pid" ] && break; sleep 0.1; done
	[ -s "$TOOL.pid" ] || bail "the hanging stand-in starts" "$(cat "$T/.err")"
	toolpid=$(cat "$TOOL.pid")
	kill "-$1" "$arpid"; wait "$arpid"; rc=$?
	[ "$1" = KILL ] && for _ in $(seq 300); do kill -0 "$toolpid" 2>/dev/null || break; sleep 0.1; done
	if kill -0 "$toolpid" 2>/dev/null; then
		not_ok "$1: the tool stopped with log-recover"; kill -KILL "$toolpid"
	else
		ok "$1: the tool stopped with log-recover"
	fi
	rm -f "$TOOL.mode"
}
killed_run TERM
is "$rc" 1 "TERM: exit 1"
like "$(cat "$T/.err")" "recovery-tool exited 143 .*may hold part of the backup: run aurora-restore log-reinit --force" "TERM: says what to do"
killed_run INT
is "$rc" 1 "INT: exit 1"
killed_run KILL
ar log-recover "$BK" --recovery-tool "$TOOL"
is "$rc" 3 "after a killed run: the half-written log refused"
like "$err" "is VOTING with entries, not a freshly initialized log" "after a killed run: says log-reinit first"

# ---- usage ----
ar log-recover
is "$rc" 64 "no FILE: usage error"
ar log-recover "$BK" --max-kill lots
is "$rc" 64 "--max-kill not a number: usage error"
ar log-status --recovery-tool "$TOOL"
is "$rc" 64 "--recovery-tool with another command: usage error"

done_testing
