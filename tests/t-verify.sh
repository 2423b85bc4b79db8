#!/bin/bash
# tests/t-verify.sh: verify (files, the running scheduler in a fake /proc,
# systemd reload state, --live against a fake /vars page) and the time left
# before -max_registration_delay runs out, shown by status.
# min-checks: 56
. "$SRCDIR/tests/lib.sh"

FAKE=$SRCDIR/tests/fake
PY=/usr/bin/python3
ADV=sched1.example.com
CLK_TCK=$(getconf CLK_TCK)
export FAKE_SYSTEMCTL_LOG=$T/systemctl.log FAKE_SYSTEMCTL_STAMP=$T/systemctl.stamp
server=
trap 'if [ -n "$server" ]; then kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; fi; rm -rf "$T"' EXIT

conf() {		# conf [LINE...]: the tool's config for this host
	{
		printf 'advertised_host = "%s";\nsystemctl = "%s";\nlive_root = true;\n' "$ADV" "$FAKE/systemctl"
		for l in "$@"; do printf '%s\n' "$l"; done
	} >"$T/ar.conf"
}
debian_host() {		# debian_host NAME: a Debian host at $R, an empty /proc at $P
	R=$T/$1/root P=$T/$1/proc
	mkdir -p "$R/etc/default" "$R/etc/aurora" "$P"
	cp "$EXAMPLES/debian-aurora-scheduler.default" "$R/etc/default/aurora-scheduler"
	cp "$EXAMPLES/packaging-clusters.json" "$R/etc/aurora/clusters.json"
	LAYOUT=debian LFILES=(/etc/default/aurora-scheduler)
	fake_proc_base
	conf
}
systemd_host() {
	R=$T/$1/root P=$T/$1/proc
	mkdir -p "$R/etc/systemd/system" "$R/etc/aurora" "$P" "$R/run/systemd/system"
	cp "$EXAMPLES/vagrant-aurora-scheduler.service" "$R/etc/systemd/system/aurora-scheduler.service"
	cp "$EXAMPLES/vagrant-clusters.json" "$R/etc/aurora/clusters.json"
	LAYOUT=systemd LFILES=(/etc/systemd/system/aurora-scheduler.service)
	export FAKE_SYSTEMCTL_ROOT=$R
	: >"$FAKE_SYSTEMCTL_LOG"
	touch -d '-1 hour' "$R/etc/systemd/system/aurora-scheduler.service"
	touch "$FAKE_SYSTEMCTL_STAMP"		# loaded at boot, after the unit was written
	fake_proc_base
	conf
}
ar() {
	run --root "$R" --proc "$P" --config "$T/ar.conf" "$@"
}
argv_of() {
	local f files=()
	for f in "${LFILES[@]}"; do files+=("$R$f"); done
	"$FAKE/launcher" "$LAYOUT" "${files[@]}"
}

# ---- a fake /proc ----
BOOT_AGO=200000		# the machine booted this many seconds ago
fake_proc_base() {	# /proc/stat, an init and a shell that are not the scheduler
	local now
	now=$(date +%s)
	printf 'cpu  1 2 3 4\nbtime %s\nprocesses 999\n' "$((now - BOOT_AGO))" >"$P/stat"
	fake_proc 1 1 /sbin/init splash
	fake_proc 77 100 /bin/bash -c 'echo org.apache.aurora.scheduler.app.SchedulerMain-not'
	mkdir -p "$P/self"
}
fake_proc() {		# fake_proc PID SECONDS-AFTER-BOOT ARGV...
	local pid=$1 at=$2
	shift 2
	mkdir -p "$P/$pid"
	printf '%s\0' "$@" >"$P/$pid/cmdline"
	printf '%s (%s) S 1 %s %s 0 -1 4194560 100 0 0 0 50 20 0 0 20 0 30 0 %s 1000000 5000 18446744073709551615\n' \
		"$pid" "$(basename "$1")" "$pid" "$pid" "$((at * CLK_TCK))" >"$P/$pid/stat"
}
scheduler_proc() {	# scheduler_proc PID SECONDS-AGO ARGFILE-OF-FLAGS: a JVM running SchedulerMain
	local words=()
	mapfile -t words <"$3"
	fake_proc "$1" "$((BOOT_AGO - $2))" /usr/lib/jvm/java-8-openjdk-amd64/bin/java \
		-Djava.library.path=/usr/lib -Xmx2g -cp '/usr/lib/aurora/lib/*' \
		org.apache.aurora.scheduler.app.SchedulerMain "${words[@]}"
}

# ---- files only ----
debian_host deb
argv_of >"$T/argv.old"
ar verify
is "$rc" 2 "verify before apply exits 2"
for w in 'mesos_master_address=zk://127.0.0.1:2181/mesos, want -mesos_master_address=zk://localhost:1111/mesos/master' \
	'max_registration_delay \(absent\), want -max_registration_delay=360mins' \
	'reconciliation_initial_delay \(absent\), want -reconciliation_initial_delay=365days' \
	'"scheduler_uri" \(absent\), want "scheduler_uri": "http://'"$ADV"':8081"' \
	'"zk": "127.0.0.1", want "zk" \(absent\)'; do
	like "$out" "out of place: /etc/(default/aurora-scheduler|aurora/clusters.json): -?$w" "verify before apply lists: ${w%%,*}"
done
is "$(printf '%s\n' "$out" | grep -c '^out of place:')" 5 "verify before apply lists exactly the five items out of place"
ar --json verify
printf '%s' "$out" >"$T/v.json"
is "$($PY -c 'import json,sys; o=json.load(open(sys.argv[1])); print(o["rc"], o["failed"], len(o["items"]))' "$T/v.json")" \
	"2 False 5" "verify --json before apply: rc 2, not failed, five items"

ar apply
is "$rc" 0 "apply exits 0"
argv_of >"$T/argv.new"
ar verify
is "$rc" 0 "verify right after apply with no scheduler running exits 0"
like "$out" "not running" "verify says no scheduler is running"

# ---- the running scheduler ----
scheduler_proc 4242 600 "$T/argv.old"
ar verify
is "$rc" 2 "verify with a scheduler still running the old flags exits 2"
like "$out" "scheduler process 4242: runs with -mesos_master_address=zk://127.0.0.1:2181/mesos" \
	"verify names the process and its old master address"
like "$out" "scheduler process 4242: runs with no -max_registration_delay" "verify names the missing delay flag"
like "$out" "scheduler process 4242: runs with no -reconciliation_initial_delay" "verify names the missing reconciliation flag"
is "$(printf '%s\n' "$out" | grep -c '^out of place:')" 3 "exactly the three flags are out of place in the process"

rm -rf "${P:?}/4242"
scheduler_proc 4243 600 "$T/argv.new"
ar verify
is "$rc" 0 "verify with a scheduler running the new flags exits 0"

ar status
is "$rc" 0 "status exits 0"
like "$out" "scheduler: pid 4243, started " "status shows the scheduler's pid"
like "$out" "max_registration_delay=360mins: 5h(49|50)m left \(until [0-9T:-]+Z\), then it stops itself" "status shows about 5h50m left before max_registration_delay ends"
like "$out" "max_leading_duration=1days \(the default\): 23h(49|50)m left \(until [0-9T:-]+Z\), later" \
	"status shows -max_leading_duration's time left beside it (Aurora's default 1days), running out later"
heading=$(printf '%s\n' "$out" | grep -A4 "^the scheduler's flags a restore uses" | tr '\n' '|')
is "$heading" "the scheduler's flags a restore uses (as its files set them now):|  -backup_dir=/var/lib/aurora/scheduler/backups|  -native_log_file_path=/var/lib/aurora/scheduler/db|  -http_port=8081|  -cluster_name=example|" \
	"status: the four flag lines come under a heading"
ar --json status
printf '%s' "$out" >"$T/s.json"
is "$($PY -c '
import json, sys, time
o = json.load(open(sys.argv[1]))["scheduler"]
print(o["running"], o["pid"], 20990 <= o["seconds_left"] <= 21000)' "$T/s.json" 2>&1)" "True 4243 True" \
	"status --json: running, pid, seconds_left about 21000"
is "$($PY -c '
import json, sys
o = json.load(open(sys.argv[1]))["scheduler"]
l, r = o["max_leading_duration"], o["max_registration_delay"]
print(l["value"], l["default"], 85790 <= l["seconds_left"] <= 85800, r["value"], r["default"],
      o["stops_at"] == o["registration_deadline"] == r["deadline"])' "$T/s.json" 2>&1)" "1days True True 360mins False True" \
	"status --json: both timers (value, default, seconds_left); stops_at is the earlier one's deadline"

# -max_leading_duration shorter than -max_registration_delay: it is what stops the scheduler
rm -rf "${P:?}/4243"
{ cat "$T/argv.new"; echo -max_leading_duration=2hrs; } >"$T/argv.lead"
scheduler_proc 4246 600 "$T/argv.lead"
ar status
like "$out" "max_leading_duration=2hrs: 1h(49|50)m left \(until [0-9T:-]+Z\), then it stops itself" "status: a shorter -max_leading_duration is the one that stops it"
like "$out" "max_registration_delay=360mins: 5h(49|50)m left \(until [0-9T:-]+Z\), later" "... and -max_registration_delay runs out later"
rm -rf "${P:?}/4246"
expect_start=$(date -u -d "@$(( $(date +%s) - 600 ))" +%Y-%m-%dT%H:%M)
like "$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["scheduler"]["started"])' "$T/s.json")" \
	"^${expect_start}:[0-9][0-9]Z$|^$(date -u -d "@$(( $(date +%s) - 660 ))" +%Y-%m-%dT%H:%M)" \
	"status --json: the start time is btime + starttime/CLK_TCK"

# a scheduler that ran out of time
scheduler_proc 4244 $((7 * 3600)) "$T/argv.new"
ar status
like "$out" "max_registration_delay=360mins ran out at " "status says when max_registration_delay ran out"

# the flags come from an @argfile on the command line
rm -rf "${P:?}/4244"
grep -v -e '^-reconciliation_initial_delay' "$T/argv.new" >"$R/etc/aurora/sched.args"
printf '%s\n' '@/etc/aurora/sched.args' >"$T/argv.at"
scheduler_proc 4245 60 "$T/argv.at"
ar verify
is "$rc" 2 "verify reads a process's @argfile under the root"
like "$out" "scheduler process 4245: runs with no -reconciliation_initial_delay" "and finds the flag missing from it"
rm -rf "${P:?}/4245" "$R/etc/aurora/sched.args"

# ---- systemd: daemon-reload ----
systemd_host unit
ar verify
is "$rc" 2 "verify before apply on the vagrant unit exits 2"
is "$(printf '%s\n' "$out" | grep -c '^out of place:')" 6 \
	"it lists six items (three flags set, the auth flag, scheduler_uri, zk)"
like "$out" "http_authentication_mechanism=BASIC, want -http_authentication_mechanism \(absent\)" \
	"it names the authentication flag to remove"
systemd_argv_old=$T/argv.unit.old
argv_of >"$systemd_argv_old"
ar apply
is "$rc" 0 "apply on the unit exits 0"
scheduler_proc 5151 60 "$systemd_argv_old"
ar verify
is "$rc" 2 "verify with the unit's scheduler still on the old flags exits 2"
like "$out" "scheduler process 5151: runs with -http_authentication_mechanism \(restart it\)" \
	"verify says the process still runs with the authentication flag"
is "$(printf '%s\n' "$out" | grep -c '^out of place: scheduler process 5151')" 4 \
	"four flags are out of place in the old process"
rm -rf "${P:?}/5151"
is "$(grep -c '^daemon-reload$' "$FAKE_SYSTEMCTL_LOG")" 1 "apply ran systemctl daemon-reload"
ar verify
is "$rc" 0 "verify after apply and reload exits 0"
grep -q '^show --property=NeedDaemonReload --value aurora-scheduler.service$' "$FAKE_SYSTEMCTL_LOG"
is "$?" 0 "verify asked systemctl whether the unit needs a reload"
touch -d '+10 seconds' "$R/etc/systemd/system/aurora-scheduler.service"
ar verify
is "$rc" 2 "verify exits 2 when the unit changed after the last reload"
like "$out" "aurora-scheduler.service: changed on disk but not reloaded" "and says the unit is not reloaded"
"$FAKE/systemctl" daemon-reload
touch -d '+20 seconds' "$FAKE_SYSTEMCTL_STAMP"
ar verify
is "$rc" 0 "after a reload verify is happy again"

# a failed daemon-reload during apply is reported and remembered
systemd_host unit2
FAKE_SYSTEMCTL_FAIL=1 ar apply
is "$rc" 1 "apply exits 1 when daemon-reload fails"
like "$err" "daemon-reload failed" "and says daemon-reload failed"
ar verify
is "$rc" 2 "verify then reports drift"
like "$out" "daemon-reload did not run" "verify says daemon-reload did not run"

# ---- verify --live against a fake /vars page ----
debian_host live
ar apply
"$FAKE/vars-server" "$T/port" "$T/vars" 2>"$T/server.err" &
server=$!
printf 'framework_registered 0\nscheduler_lifecycle_ACTIVE 0\nscheduler_lifecycle_LEADER_AWAITING_REGISTRATION 1\nscheduler_lifecycle_STORAGE_PREPARED 0\n' >"$T/vars"
for _ in $(seq 100); do [ -s "$T/port" ] && break; sleep 0.05; done
port=$(cat "$T/port" 2>/dev/null)
[ -n "$port" ] || bail "the fake /vars server is up" "$(cat "$T/server.err")"
conf "scheduler = \"http://127.0.0.1:$port\";" 'timeout = "5secs";'
ar verify --live
is "$rc" 0 "verify --live: not registered, leader awaiting registration -> 0"
like "$out" "LEADER_AWAITING_REGISTRATION" "verify --live reports the lifecycle state"
ar --json verify --live
printf '%s' "$out" >"$T/l.json"
is "$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["lifecycle"])' "$T/l.json")" \
	"LEADER_AWAITING_REGISTRATION" "verify --live --json has the lifecycle"
printf 'framework_registered 1\nscheduler_lifecycle_ACTIVE 1\nscheduler_lifecycle_LEADER_AWAITING_REGISTRATION 0\n' >"$T/vars"
ar verify --live
is "$rc" 2 "verify --live: framework_registered 1 -> 2"
like "$out" "framework_registered is 1" "and says the scheduler is registered"
conf 'scheduler = "http://127.0.0.1:1";' 'timeout = "5secs";'
ar verify --live --scheduler "http://127.0.0.1:$port" --timeout 3secs
is "$rc:$(printf '%s' "$out" | grep -c 'framework_registered is 1')" "2:1" "verify --live --scheduler URL asks that URL, not the setting"
kill "$server"; wait "$server" 2>/dev/null; server=
t0=$(date +%s)
ar verify --live
is "$rc" 2 "verify --live with the server down -> 2"
like "$out" "cannot read /vars" "and says /vars cannot be read"
is "$(( $(date +%s) - t0 < 5 ))" 1 "and does not hang"

done_testing
