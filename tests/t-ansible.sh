#!/bin/bash
# tests/t-ansible.sh: the Ansible collection aurora.restore (contrib/ansible),
# installed by `make install-data-local` into a scratch folder, its playbook
# aurora.restore.restore run by its full name end to end, with Debian's
# ansible-core, over three simulated
# scheduler hosts on this machine: a Debian, an RPM and a systemd layout,
# each a folder with its root, a fake /proc and a service manager
# (tests/ansible/systemctl) running a test scheduler (tests/scheduler) on
# 127.0.0.2, .3 and .4, one port for all; a real ZooKeeper for the leader
# election and a Mesos master node that only the original flags point at.
#
# A --check run first changes nothing and reports one change a host (apply),
# no binary diff; a --check with an empty backup stops before anything is
# copied, naming the file once. A host with an unparsable flag file
# stops the run in preflight with the file named, nothing touched. Then the
# whole restore: every file back byte for byte, every old log moved aside
# whole and a new one initialized, the backup staged, pruned and committed
# on the leader only, one scheduler ACTIVE and registered with the backup's
# tasks; a re-run changes nothing. A second restore whose leader crashes
# right after stage stops clearly, and a re-run finishes it. The backup goes
# into each host's own -backup_dir, read from its flag file (sched2's and
# sched3's are not the package default, and the default folder is there on
# every host as a decoy), and nowhere else; a host without -backup_dir
# stops the preflight unless aurora_restore_backup_dir is given. A third
# restore whose leader registers with Mesos despite the profile stops at the
# per-host verify --live, naming that host, before anything is staged.
# The leader is named in the output whichever host it is; nothing staged
# before means nothing unloaded; the tool alone reloads the systemd host's
# units, once on apply and once on revert, and the playbook says so; a
# commit without a terminal to review on stops, saying nothing was
# reviewed, unless aurora_restore_pause=false says to go on unreviewed; on
# a terminal (tests/ansible/on-a-terminal) the review shows the leader's
# tasks, whichever host leads, and typing commit commits.
# The impact phase runs on the leader only and the review shows its summary;
# aurora_restore_max_kill with the impact unknown stops the commit.
# Last, the offline procedure (Aurora 0.21+): log-recover on one host with
# the recovery-tool stand-in, then start, inspect, revert, restart.
# min-checks: 139
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/zk.sh"

PY=/usr/bin/python3
PB=aurora.restore.restore
NAMES=(sched1 sched2 sched3)
declare -A ADDR=([sched1]=127.0.0.2 [sched2]=127.0.0.3 [sched3]=127.0.0.4)
declare -A LAYOUT=([sched1]=debian [sched2]=rpm [sched3]=systemd)
declare -A FLAGS=([sched1]=/etc/default/aurora-scheduler [sched2]=/etc/sysconfig/aurora-scheduler
	[sched3]=/etc/systemd/system/aurora-scheduler.service)
declare -A LOGDIR=([sched1]=/var/lib/aurora/scheduler/db [sched2]=/var/lib/aurora/scheduler/db
	[sched3]=/var/db/aurora)
# Each host's -backup_dir as its flag file gives it: sched2's is moved off the
# package default by make_host; DEFAULT_BDIR exists on every host as a decoy.
DEFAULT_BDIR=/var/lib/aurora/scheduler/backups
declare -A BDIR=([sched1]=$DEFAULT_BDIR [sched2]=/srv/aurora/backups [sched3]=/var/lib/aurora/backups)

cleanup() {
	local n
	for n in "${NAMES[@]}"; do
		[ -x "$T/hosts/$n/bin/systemctl" ] && "$T/hosts/$n/bin/systemctl" stop aurora-scheduler >/dev/null 2>&1
	done
	zk_stop
	rm -rf "$T"
}
trap cleanup EXIT

if ! command -v ansible-playbook >/dev/null; then
	not_ok "ansible-playbook is installed (Debian's ansible-core, see .ci/packages)"
	done_testing
	exit
fi

# ---- the collection, installed as the package installs it -----------------------
make -s -C "$BUILDDIR" install-data-local DESTDIR="$T/inst" >"$T/install.log" 2>&1
is "$?" 0 "make install-data-local installs the collection"
export ANSIBLE_COLLECTIONS_PATH=$T/inst/usr/share/ansible/collections
COLL=$ANSIBLE_COLLECTIONS_PATH/ansible_collections/aurora/restore
ANSIBLE_HOME=$T/ansible-doc ansible-doc aurora.restore.aurora_restore >"$T/doc.txt" 2>&1
is "$?" 0 "ansible-doc aurora.restore.aurora_restore reads the installed module"
like "$(head -1 "$T/doc.txt")" "^> AURORA\.RESTORE\.AURORA_RESTORE +\($COLL/plugins/modules/aurora_restore\.py\)" \
	"ansible-doc: from the installed collection, its documentation inline"
like "$(tr '\n' ' ' <"$T/doc.txt")" "ATTRIBUTES: +check_mode: .* support: partial +diff_mode: .* support: full" \
	"ansible-doc: check_mode and diff_mode attributes"

# ---- the cluster ------------------------------------------------------------
zk_start || bail "ZooKeeper starts"
"$PY" - "$ZK_PORT" <<'EOF'
import logging, sys
logging.disable(logging.CRITICAL)
from kazoo.client import KazooClient
k = KazooClient(hosts="127.0.0.1:" + sys.argv[1]); k.start(timeout=15)
k.ensure_path("/mesos")
k.create("/mesos/json.info_0000000001", b'{"hostname":"mesos-master"}')   # a Mesos master
k.stop(); k.close()
EOF
PORT=$("$PY" - <<'EOF'
import socket
for _ in range(50):
    s = socket.socket(); s.bind(("127.0.0.2", 0)); p = s.getsockname()[1]
    try:
        for a in ("127.0.0.3", "127.0.0.4"):
            t = socket.socket(); t.bind((a, p)); t.close()
    except OSError:
        continue
    finally:
        s.close()
    print(p); break
EOF
)
ZK=127.0.0.1:$ZK_PORT
: >"$T/cluster-state.bin"	# the replicated state: lost, as before a restore

make_host() {		# make_host NAME: root, /proc, service manager
	local n=$1 H=$T/hosts/$1 R=$T/hosts/$1/root
	mkdir -p "$H/bin" "$H/proc/1" "$R/etc/aurora" "$R${BDIR[$n]}" "$R$DEFAULT_BDIR" "$(dirname "$R${LOGDIR[$n]}")"
	case $n in
	sched1)
		mkdir -p "$R/etc/default"
		sed -e "s|^ZK_ENDPOINTS=.*|ZK_ENDPOINTS=\"$ZK\"|" -e "s|^HTTP_PORT=.*|HTTP_PORT=$PORT|" \
		    -e "s|^EXTRA_SCHEDULER_ARGS=.*|EXTRA_SCHEDULER_ARGS=\"-hostname=${ADDR[$n]}\"|" \
		    "$EXAMPLES/debian-aurora-scheduler.default" >"$R${FLAGS[$n]}"
		cp "$EXAMPLES/packaging-clusters.json" "$R/etc/aurora/clusters.json"
		;;
	sched2)
		mkdir -p "$R/etc/sysconfig"
		sed -e "s|127.0.0.1:2181|$ZK|g" -e "s|-http_port=8081|-http_port=$PORT\n  -hostname='${ADDR[$n]}'|" \
		    -e "s|-backup_dir='$DEFAULT_BDIR'|-backup_dir='${BDIR[$n]}'|" \
		    "$EXAMPLES/rpm-aurora-scheduler.sysconfig" >"$R${FLAGS[$n]}"
		cp "$EXAMPLES/packaging-clusters.json" "$R/etc/aurora/clusters.json"
		;;
	sched3)
		mkdir -p "$R/etc/systemd/system"
		sed -e "s|localhost:2181|$ZK|g" -e "s|-http_port=8081|-http_port=$PORT|" \
		    -e "s|-hostname=aurora.local|-hostname=${ADDR[$n]}|" -e "s|-cluster_name=devcluster|-cluster_name=example|" \
		    "$EXAMPLES/vagrant-aurora-scheduler.service" >"$R${FLAGS[$n]}"
		sed 's|"devcluster"|"example"|' "$EXAMPLES/vagrant-clusters.json" >"$R/etc/aurora/clusters.json"
		;;
	esac
	printf 'systemctl = "%s/bin/systemctl";\nlive_root = true;\n' "$H" >"$R/etc/aurora-restore.conf"
	mkdir -p "$R/run/systemd/system"	# live_root: systemd runs there
	printf 'root:x:0:0:root:/root:/bin/bash\naurora:x:998:998:Aurora:/var/lib/aurora:/usr/sbin/nologin\n' >"$R/etc/passwd"
	printf 'root:x:0:\naurora:x:998:\n' >"$R/etc/group"
	touch -d '-2 days' "$R/etc/aurora-restore.conf" "$R/etc/aurora/clusters.json" "$R${FLAGS[$n]}"
	cat >"$H/host.env" <<EOF
ROOT=$R
PROC=$H/proc
ADDR=${ADDR[$n]}
LAYOUT=${LAYOUT[$n]}
FLAGS=${FLAGS[$n]}
STATE=$T/cluster-state.bin
RESTART_SEC=1
ZK_SESSION=4
EOF
	printf '#!/bin/sh\nexec "%s" "%s" "$@"\n' "$SRCDIR/tests/ansible/systemctl" "$H" >"$H/bin/systemctl"
	chmod +x "$H/bin/systemctl"
	printf 'cpu  1 2 3 4\nbtime %s\nprocesses 999\n' "$(( $(date +%s) - 100000 ))" >"$H/proc/stat"
	printf '/sbin/init\0' >"$H/proc/1/cmdline"
	"$H/bin/systemctl" daemon-reload
}

# The old logs: unusable, as before a restore (none VOTING, so no test
# scheduler opens them and they stay byte for byte as they are).
for n in "${NAMES[@]}"; do make_host "$n"; done
for n in "${NAMES[@]}"; do
	"$AR" --root "$T/hosts/$n/root" --proc "$T/hosts/$n/proc" --json status >"$T/st.json" 2>/dev/null
	is "$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["flags"]["backup_dir"])' "$T/st.json" 2>&1)" \
		"${BDIR[$n]}" "$n: the tool reads its -backup_dir as ${BDIR[$n]}"
done
"$PY" "$SRCDIR/tests/log/mkreplica.py" recovering "$T/hosts/sched1/root${LOGDIR[sched1]}" 5
"$PY" "$SRCDIR/tests/log/mkreplica.py" starting "$T/hosts/sched2/root${LOGDIR[sched2]}"
"$PY" "$SRCDIR/tests/log/mkreplica.py" emptydb "$T/hosts/sched3/root${LOGDIR[sched3]}"

files_of() {		# files_of DIR: name and sha256 of every file, no times
	(cd "$1" && find . -type f -exec sha256sum {} + | sort -k2)
}
for n in "${NAMES[@]}"; do
	R=$T/hosts/$n/root
	snapshot "$R/etc" >"$T/etc-$n.before"
	files_of "$R${LOGDIR[$n]}" >"$T/log-$n.before"
	cp -p "$R${FLAGS[$n]}" "$T/flags-$n.saved"
	"$T/hosts/$n/bin/systemctl" start aurora-scheduler
done

backup() {		# backup NAME TASKS AGE_SECONDS SEED
	mkdir -p "$T/backups"
	"$PY" "$SRCDIR/tests/scheduler/make_backup.py" --tasks "$2" --seed "$4" \
	    --timestamp-ms $(( ($(date +%s) - $3) * 1000 )) --out "$T/backups/$1" >/dev/null
}
B1=scheduler-backup-$(date -d '-3 minutes' +%Y-%m-%d-%H-%M)
B2=scheduler-backup-$(date -d '-2 minutes' +%Y-%m-%d-%H-%M)
backup "$B1" 30 180 5
backup "$B2" 20 120 6
DOOMED=$("$PY" "$SRCDIR/tests/scheduler/make_backup.py" --dump "$T/backups/$B1" | awk '/ RUNNING /{print $1; exit}')

sed -e "s|@T@|$T|g" -e "s|@AR@|$AR|g" -e "s|@PORT@|$PORT|g" "$SRCDIR/tests/ansible/inventory.ini" >"$T/inventory.ini"
mkdir -p "$T/ansible"
export ANSIBLE_CONFIG=$T/ansible/none.cfg ANSIBLE_HOME=$T/ansible ANSIBLE_LOCAL_TEMP=$T/ansible/tmp \
	ANSIBLE_REMOTE_TEMP=$T/ansible/remote ANSIBLE_GATHERING=explicit ANSIBLE_RETRY_FILES_ENABLED=0 \
	ANSIBLE_NOCOWS=1 ANSIBLE_NOCOLOR=1 ANSIBLE_FORKS=3 ANSIBLE_HOST_KEY_CHECKING=0 \
	ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3 ANSIBLE_DEPRECATION_WARNINGS=0 \
	ANSIBLE_LOCALHOST_WARNING=0 ANSIBLE_INVENTORY_UNPARSED_WARNING=0 ANSIBLE_STDOUT_CALLBACK=default \
	ANSIBLE_COLLECTIONS_PATH
: >"$ANSIBLE_CONFIG"
RUNS=0
playbook() {		# playbook ARGS...: sets $rc and $out (stdout and stderr)
	RUNS=$((RUNS + 1))
	timeout 600 ansible-playbook -i "$T/inventory.ini" "$PB" -e aurora_restore_pause=false "$@" \
	    >"$T/run$RUNS.log" 2>&1 </dev/null
	rc=$?
	out=$(cat "$T/run$RUNS.log")
}
review_playbook() {	# review_playbook ANSWER ARGS...: playbook on a terminal, typing ANSWER at the review
	RUNS=$((RUNS + 1))
	"$SRCDIR/tests/ansible/on-a-terminal" 600 "Type commit and Enter" "$1" \
	    ansible-playbook -i "$T/inventory.ini" "$PB" "${@:2}" >"$T/run$RUNS.log" 2>&1 </dev/null
	rc=$?
	out=$(tr -d '\r' <"$T/run$RUNS.log")
}
recap() {		# recap FIELD: "name=N ..." from the play recap
	printf '%s\n' "$out" | sed -n "/PLAY RECAP/,\$ s/^\(sched[0-9]\) *: .* $1=\([0-9]*\).*/\1=\2/p" | tr '\n' ' '
}
show_run() {		# show_run: the end of the last run, after a failed check
	tail -40 "$T/run$RUNS.log" | sed 's/^/#   /'
}
task_output() {		# task_output NAME: what the last run printed for that task
	printf '%s\n' "$out" | awk -v t="TASK [$1]" 'index($0, t) == 1 {on = 1; next} /^(TASK|PLAY|NO MORE HOSTS)/ {on = 0} on'
}
count_calls() {		# count_calls METHOD: "sched1=N sched2=N sched3=N"
	local n
	for n in "${NAMES[@]}"; do
		printf '%s=%s ' "$n" "$(cat "$T/hosts/$n/calls.log" 2>/dev/null | grep -c "^$1\\b")"
	done
}
unchanged_etc() {	# unchanged_etc WHAT: every host's /etc as at the start
	local n
	for n in "${NAMES[@]}"; do
		snapshot "$T/hosts/$n/root/etc" >"$T/etc-$n.now"
		same_file "$T/etc-$n.before" "$T/etc-$n.now" "$1: $n's /etc is byte for byte as at the start (mode, owner, mtime)"
	done
}
copies_of() {		# copies_of NAME: "sched1=PATH,... " every file NAME under each host's root
	local n
	for n in "${NAMES[@]}"; do
		printf '%s=%s ' "$n" "$(cd "$T/hosts/$n/root" && find . -type f -name "$1" | sed 's|^\.||' | sort | paste -sd, -)"
	done
}
own_copies() {		# own_copies NAME: copies_of NAME when it is in each host's -backup_dir only
	local n
	for n in "${NAMES[@]}"; do printf '%s=%s ' "$n" "${BDIR[$n]}/$1"; done
}
vars_of() {		# vars_of NAME: the test scheduler's /vars
	curl -s --max-time 5 "http://${ADDR[$1]}:$PORT/vars"
}
lifecycles() {		# "sched1=STATE/registered ..." from every /vars
	local n v
	for n in "${NAMES[@]}"; do
		v=$(vars_of "$n")
		printf '%s=%s/%s ' "$n" "$(printf '%s\n' "$v" | awk '/^scheduler_lifecycle_/ && $2 == 1 {sub("scheduler_lifecycle_", "", $1); print $1}')" \
		    "$(printf '%s\n' "$v" | awk '$1 == "framework_registered" {print $2}')"
	done
}

# ---- 1. --check changes nothing ------------------------------------------------
for n in "${NAMES[@]}"; do : >"$T/hosts/$n/systemctl.log"; done
playbook --check --diff -e "aurora_restore_backup=$T/backups/$B1" -e aurora_restore_commit=true
is "$rc" 0 "--check: the playbook runs"
[ "$rc" = 0 ] || show_run
like "$out" '\+MESOS_MASTER="zk://localhost:1111/mesos/master"' "--check --diff: shows the Debian host's flag change"
like "$out" "\+  -mesos_master_address='zk://localhost:1111/mesos/master'" "--check --diff: shows the RPM host's flag change"
like "$out" '"scheduler_uri": "http://127.0.0.4:'"$PORT"'"' "--check --diff: shows the systemd host's clusters.json change"
like "$out" 'check mode: preflight passed' "--check: stops after the diff, saying so"
is "$(recap changed)" "sched1=1 sched2=1 sched3=1 " "--check: one change a host, the profile's (no backup copy)"
is "$(printf '%s\n' "$out" | grep -c 'diff skipped')" 0 "--check --diff: no diff skipped (no binary backup diffed)"
unchanged_etc "--check"
is "$(cat "$T"/hosts/*/systemctl.log | grep -v '^is-active' | sort -u | tr '\n' ' ')" "" \
	"--check: no scheduler stopped or started, no daemon-reload"
is "$(ls "$T"/hosts/*/root/var/lib/aurora-restore 2>/dev/null)" "" "--check: no journal written"
is "$(copies_of "$B1")" "sched1= sched2= sched3= " "--check: no backup copied"
is "$(cat "$T"/hosts/*/calls.log 2>/dev/null | wc -l)" 0 "--check: no call reached a scheduler"
test ! -e "$T/restore.state"; is "$?" 0 "--check: no state file on the controller"

# An empty backup: judged before anything is copied, in check mode too.
backup empty-backup 0 60 3
for mode in --check ""; do
	playbook $mode --diff -e "aurora_restore_backup=$T/backups/empty-backup" -e aurora_restore_commit=true
	is "$([ "$rc" -ne 0 ] && echo failed)" failed "${mode:-a real run}: an empty backup stops the run"
	fatal=$(task_output 'Preflight | the backup is readable and not empty' | grep '^fatal:')
	like "$fatal" "\"msg\": \"$T/backups/empty-backup: 0 tasks.*an empty snapshot would wipe every job" \
		"${mode:-a real run}: an empty backup: the message names the file and says why"
	is "$(printf '%s' "$fatal" | grep -o "empty-backup" | wc -l)" 1 "${mode:-a real run}: an empty backup: the file is named once"
	is "$(copies_of empty-backup)" "sched1= sched2= sched3= " "${mode:-a real run}: an empty backup: copied nowhere"
done
unchanged_etc "an empty backup"

# ---- 2. an unparsable flag file stops the run in preflight ----------------------------
printf "AURORA_FLAGS=(\n  -cluster_name='example\n)\n" >>"$T/hosts/sched2/root${FLAGS[sched2]}"
snapshot "$T/hosts/sched2/root/etc" >"$T/etc-sched2.broken"
playbook -e "aurora_restore_backup=$T/backups/$B1" -e aurora_restore_commit=true
isnt_zero=$([ "$rc" -ne 0 ] && echo yes || echo "no ($rc)")
is "$isnt_zero" yes "a host with an unparsable flag file: the playbook fails"
like "$out" "fatal: \[sched2\]: FAILED! => .*\"msg\": \"[^\"]*/etc/sysconfig/aurora-scheduler" \
	"unparsable flag file: the failure names the host and the file"
like "$out" 'TASK \[Preflight \| the profile.s changes, and every file parses\]' "unparsable flag file: found in preflight"
like "$(recap changed)" 'sched1=0 sched2=0 sched3=0' "unparsable flag file: nothing changed on any host"
is "$(cat "$T"/hosts/*/systemctl.log | grep -Ev '^(is-active|daemon-reload)' | wc -l)" 0 \
	"unparsable flag file: no scheduler stopped"
snapshot "$T/hosts/sched2/root/etc" >"$T/etc-sched2.now"
same_file "$T/etc-sched2.broken" "$T/etc-sched2.now" "unparsable flag file: the file is left as it was"
cp -p "$T/flags-sched2.saved" "$T/hosts/sched2/root${FLAGS[sched2]}"

# ---- 3. the whole restore ---------------------------------------------------------------
for n in "${NAMES[@]}"; do : >"$T/hosts/$n/systemctl.log"; done
playbook -e "aurora_restore_backup=$T/backups/$B1" -e aurora_restore_commit=true \
	-e "{\"aurora_restore_delete_task_ids\": [\"$DOOMED\"]}"
is "$rc" 0 "the whole restore runs to the end"
[ "$rc" = 0 ] || show_run
like "$out" "restored $B1: http://127\\.0\\.0\\.[234]:$PORT is ACTIVE and registered" "the playbook says it is done"
is "$(copies_of "$B1")" "$(own_copies "$B1")" "the backup went into each host's own -backup_dir, and nowhere else"
is "$(task_output "Leader | no scheduler is registered with Mesos (verify --live, each host's own)" | grep -c '^ok: \[sched[123]\]')" 3 \
	"verify --live passed on every host, against its own scheduler"
unchanged_etc "after the restore"
for n in "${NAMES[@]}"; do
	R=$T/hosts/$n/root
	mapfile -t aside < <(cd "$(dirname "$R${LOGDIR[$n]}")" && ls -d "$(basename "${LOGDIR[$n]}")".aside-* 2>/dev/null)
	is "${#aside[@]}" 1 "$n: the old log was moved aside once"
	if [ "${#aside[@]}" = 1 ]; then
		files_of "$(dirname "$R${LOGDIR[$n]}")/${aside[0]}" >"$T/log-$n.aside"
		same_file "$T/log-$n.before" "$T/log-$n.aside" "$n: the moved-aside log holds every old file byte for byte"
	else
		not_ok "$n: the moved-aside log holds every old file byte for byte"
	fi
	"$AR" --root "$R" --proc "$T/hosts/$n/proc" --json log-status "${LOGDIR[$n]}" >"$T/ls.json" 2>/dev/null
	is "$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["contents"])' "$T/ls.json" 2>&1)" VOTING \
		"$n: the log in place is a new, initialized one (VOTING)"
	"$AR" --root "$R" --proc "$T/hosts/$n/proc" --json status >"$T/st.json" 2>/dev/null
	is "$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["profile"])' "$T/st.json" 2>&1)" None \
		"$n: no profile is applied any more"
done
stagers=$(count_calls stageRecovery)
committers=$(count_calls commitRecovery)
like "$stagers" '^(sched1=1 sched2=0 sched3=0|sched1=0 sched2=1 sched3=0|sched1=0 sched2=0 sched3=1) $' \
	"the backup was staged on one scheduler only ($stagers)"
is "$committers" "$stagers" "and committed there, only there ($committers)"
is "$(count_calls deleteRecoveryTasks)" "$stagers" "the listed task was deleted there, only there"
leader=$(printf '%s' "$stagers" | grep -o 'sched[0-9]=1' | cut -d= -f1)
# The message spans lines, and skipped hosts may print before it: one
# line of it all, then the leader's ok.
impact_out=$(task_output 'Impact | print it' | tr -s '\n' ' ')
like "$impact_out" "(^| )ok: \\[${leader:-none}\\] => .*not a Mesos MasterInfo" \
	"the impact phase runs on the leader and prints what it found (here: a Mesos master node without an address)"
is "$(task_output 'Impact | print it' | grep -c '^ok:')" 1 "the impact phase runs on the leader only"
like "$(cat "$T/hosts/${leader:-none}/root/var/lib/aurora-restore/audit.log" 2>/dev/null)" \
	"\"call\":\"stageRecovery\",\"scheduler\":\"http://${ADDR[${leader:-sched1}]}:$PORT\",\"backup\":\"$B1\"" \
	"the stage ran on the leader's own host, against itself (${leader:-none})"
grep -h "^stageRecovery\|^commitRecovery" "$T/hosts/${leader:-sched1}/calls.log" >"$T/order"
is "$(tr '\n' ' ' <"$T/order")" "stageRecovery $B1 commitRecovery " "stage, then commit"
states=$(lifecycles)
like "$states" '^([^ ]+ )*sched[123]=ACTIVE/1 ' "one scheduler is ACTIVE and registered ($states)"
is "$(printf '%s' "$states" | grep -o 'ACTIVE/1' | wc -l) $(printf '%s' "$states" | grep -o 'STORAGE_PREPARED/0' | wc -l)" "1 2" \
	"exactly one leads; the two others are followers"
active=$(printf '%s' "$states" | grep -o 'sched[123]=ACTIVE' | cut -d= -f1)
is "$(vars_of "${active:-sched1}" | awk '/^task_store_/ {n += $2} END {print n}')" 29 \
	"the leader runs with the backup's tasks, less the deleted one (30 - 1)"
like "$(cat "$T/restore.state" 2>/dev/null)" "\"backup\": \"$B1\", \"phase\": \"done\"" "the controller's state file says done"
is "$(grep -c '^daemon-reload' "$T/hosts/sched3/systemctl.log")" 2 \
	"the systemd host's units were reloaded once after apply and once after revert (by the tool only)"
for step in Apply Revert; do
	like "$(task_output "aurora.restore.host : $step | what the tool did to the service manager" | tr '\n' ' ')" \
		"(^| )ok: \[sched3\] => .*the tool ran $T/hosts/sched3/bin/systemctl daemon-reload after its unit edit" \
		"$step: the playbook reports the tool's daemon-reload on the systemd host"
done
like "$(task_output 'Leader | the host that leads' | tr '\n' ' ')" "(^| )ok: \[${leader:-none}\] => .*\"msg\": \"${leader:-none} leads \(http://${ADDR[${leader:-sched1}]}:$PORT\)\"" \
	"the output names the leader, ${leader:-none}"
is "$(task_output 'Stage | drop anything staged before' | grep -c '^changed:')" 0 \
	"nothing was staged before: nothing unloaded, nothing reported changed"
like "$(task_output 'Commit | committing without review')" "nothing was reviewed in this run" \
	"aurora_restore_pause=false: the run says nothing was reviewed"

# A re-run of a finished restore changes nothing.
for n in "${NAMES[@]}"; do : >"$T/hosts/$n/systemctl.log"; done
playbook -e "aurora_restore_backup=$T/backups/$B1" -e aurora_restore_commit=true
is "$rc" 0 "a re-run of the finished restore exits 0"
like "$(recap changed)" 'sched1=0 sched2=0 sched3=0' "a re-run of the finished restore changes nothing"
like "$out" "the restore of $B1 finished at .*; nothing to do" "a re-run of the finished restore says so"
is "$(cat "$T"/hosts/*/systemctl.log | wc -l)" 0 "a re-run of the finished restore leaves the schedulers alone"
unchanged_etc "re-run"

# ---- 4. a second restore whose leader crashes right after stage --------------------------
for n in "${NAMES[@]}"; do
	echo "--exit-after stageRecovery" >"$T/hosts/$n/fault"
	: >"$T/hosts/$n/calls.log"
done
playbook -e "aurora_restore_backup=$T/backups/$B2" -e aurora_restore_commit=true
is "$([ "$rc" -ne 0 ] && echo failed)" failed "the leader dies after stage: the playbook fails"
like "$(task_output 'Tasks | the staged tasks')" "^fatal: \\[sched[123]\\]: FAILED! => .*\"msg\": \"[^\"]*http://127\\.0\\.0\\.[234]:$PORT" \
	"the leader dies after stage: it stops at the next call, naming the scheduler"
is "$(count_calls commitRecovery)" "sched1=0 sched2=0 sched3=0 " "the leader dies after stage: nothing committed"
like "$(cat "$T/restore.state")" "\"backup\": \"$B1\", \"phase\": \"done\"" "the leader dies after stage: the state file still tells of the first restore"
entries=0
for n in "${NAMES[@]}"; do
	"$AR" --root "$T/hosts/$n/root" --proc "$T/hosts/$n/proc" --json log-status "${LOGDIR[$n]}" >"$T/ls.json" 2>/dev/null
	entries=$((entries + $("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["entries"])' "$T/ls.json" 2>/dev/null || echo 0)))
done
like "$entries" '^[1-9]' "the leader dies after stage: the new logs already hold the entries leaders wrote when elected ($entries; a re-run must keep them)"
rm -f "$T"/hosts/*/fault
playbook -e "aurora_restore_backup=$T/backups/$B2" -e aurora_restore_commit=true -e aurora_restore_pause=true
is "$([ "$rc" -ne 0 ] && echo failed)" failed "a review without a terminal: the playbook stops before commit"
like "$(task_output "Commit | nothing reviewed, nothing committed")" \
	"^fatal: \[sched[123]\]: FAILED! => .*\"msg\": \"nothing was reviewed: no answer to the review prompt \(stdin is not a terminal\); nothing committed on sched[123]" \
	"a review without a terminal: says nothing was reviewed and nothing committed"
is "$(count_calls commitRecovery)" "sched1=0 sched2=0 sched3=0 " "a review without a terminal: nothing committed"
playbook --tags commit -e "aurora_restore_backup=$T/backups/$B2" -e aurora_restore_commit=true -e aurora_restore_max_kill=0
is "$([ "$rc" -ne 0 ] && echo failed)" failed "aurora_restore_max_kill with the impact unknown: the playbook stops at commit"
like "$(task_output 'Commit | commit the staged backup on the leader' | tr -s '\n' ' ')" \
	"fatal: \\[sched[123]\\]: FAILED! => .*impact is unknown, so --max-kill 0 cannot be checked" \
	"aurora_restore_max_kill: commit refuses, saying the impact is unknown"
is "$(count_calls commitRecovery)" "sched1=0 sched2=0 sched3=0 " "aurora_restore_max_kill: nothing committed"
review_playbook commit -e "aurora_restore_backup=$T/backups/$B2" -e aurora_restore_commit=true
is "$rc" 0 "a re-run after the crash, on a terminal, answered commit at the review: finishes the restore"
[ "$rc" = 0 ] || show_run
committer=$(count_calls commitRecovery | grep -o 'sched[0-9]=1' | cut -d= -f1)
like "$out" "${committer:-none}: [0-9]+ tasks in the backup staged on http://${ADDR[${committer:-sched1}]}:$PORT.*Type commit and Enter to commit them" \
	"the review showed the leader's tasks, whichever host leads (${committer:-none})"
like "$(printf '%s\n' "$out" | tr -s '\n' ' ')" "Impact: unknown, zookeeper [^ ]*: [^ ]*: not a Mesos MasterInfo.* Type commit and Enter to commit them" \
	"the review showed the impact summary too"
unchanged_etc "after the second restore"
for n in "${NAMES[@]}"; do
	R=$T/hosts/$n/root
	is "$(cd "$(dirname "$R${LOGDIR[$n]}")" && ls -d "$(basename "${LOGDIR[$n]}")".aside-* | wc -l)" 2 \
		"$n: one more log moved aside for the second restore, none for its re-run"
done
committers=$(count_calls commitRecovery)
like "$committers" '^(sched1=1 sched2=0 sched3=0|sched1=0 sched2=1 sched3=0|sched1=0 sched2=0 sched3=1) $' \
	"the second restore committed once, on one scheduler ($committers)"
states=$(lifecycles)
is "$(printf '%s' "$states" | grep -o 'ACTIVE/1' | wc -l)" 1 "after the second restore one scheduler is ACTIVE and registered ($states)"
active=$(printf '%s' "$states" | grep -o 'sched[123]=ACTIVE' | cut -d= -f1)
is "$(vars_of "${active:-sched1}" | awk '/^task_store_/ {n += $2} END {print n}')" 20 \
	"the leader runs with the second backup's 20 tasks"
is "$(copies_of "$B2")" "$(own_copies "$B2")" "the second backup went into each host's own -backup_dir, and nowhere else"

# ---- the firewall profile: written and validated in preflight (never applied
# here: it would change this machine's firewall) ------------------------------------
playbook --tags preflight -e aurora_restore_firewall=true -e "aurora_restore_backup=$T/backups/$B1"
is "$rc" 0 "aurora_restore_firewall=true: the preflight writes the profile and the tool accepts it"
[ "$rc" = 0 ] || show_run
is "$(sed -n 's/^ *peers = \(.*\);$/\1/p' "$T/hosts/sched2/root/etc/aurora-restore/profiles/recovery-firewall.conf")" \
	'[ "127.0.0.2", "127.0.0.3", "127.0.0.4" ]' "aurora_restore_firewall=true: the other schedulers are the firewall's peers"
like "$(task_output "Preflight | the profile's changes, and every file parses")" '^ok: \[sched1\]' \
	"aurora_restore_firewall=true: the profile is checked with the tool (diff)"

# ---- 5. a host whose -backup_dir is not known --------------------------------------
B3=scheduler-backup-$(date -d '-1 minutes' +%Y-%m-%d-%H-%M)
backup "$B3" 10 60 7
sed -i '/-backup_dir=/d' "$T/hosts/sched2/root${FLAGS[sched2]}"
playbook --tags preflight -e "aurora_restore_backup=$T/backups/$B3"
is "$([ "$rc" -ne 0 ] && echo failed)" failed "a host without -backup_dir: the preflight fails"
like "$(task_output "Preflight | every host's backup directory is known")" \
	"^fatal: \\[sched2\\]: FAILED! => .*\"msg\": \"sched2: the scheduler's flags have no -backup_dir; set aurora_restore_backup_dir" \
	"a host without -backup_dir: the failure names the host and the override"
is "$(copies_of "$B3")" "sched1= sched2= sched3= " "a host without -backup_dir: no backup copied anywhere"
for n in "${NAMES[@]}"; do mkdir -p "$T/hosts/$n/root/srv/override"; done
playbook --tags preflight -e "aurora_restore_backup=$T/backups/$B3" -e aurora_restore_backup_dir=/srv/override
is "$rc" 0 "aurora_restore_backup_dir: the preflight passes without -backup_dir"
[ "$rc" = 0 ] || show_run
is "$(copies_of "$B3")" "sched1=/srv/override/$B3 sched2=/srv/override/$B3 sched3=/srv/override/$B3 " \
	"aurora_restore_backup_dir: the backup goes there on every host, and nowhere else"
cp -p "$T/flags-sched2.saved" "$T/hosts/sched2/root${FLAGS[sched2]}"

# ---- 6. a leader that registers with Mesos despite the profile ----------------------
# Every scheduler gets a Mesos master that is there (the fault): the one that
# leads registers. The playbook runs up to the start on the new logs, the
# test waits for that registration, then the leader phase must stop at the
# per-host verify --live, naming that host, before anything is staged.
for n in "${NAMES[@]}"; do
	echo "--mesos-master zk://$ZK/mesos" >"$T/hosts/$n/fault"
	: >"$T/hosts/$n/calls.log"
done
playbook --tags preflight,stop,apply,start,log,gate -e "aurora_restore_backup=$T/backups/$B3"
is "$rc" 0 "a third restore runs up to the start on the new logs"
[ "$rc" = 0 ] || show_run
registered=
for _ in $(seq 120); do
	states=$(lifecycles)
	registered=$(printf '%s' "$states" | grep -o 'sched[123]=ACTIVE/1' | cut -d= -f1)
	[ -n "$registered" ] && break
	sleep 0.5
done
like "$registered" '^sched[123]$' "the leader registered with Mesos, the profile notwithstanding ($states)"
playbook --tags leader -e "aurora_restore_backup=$T/backups/$B3"
is "$([ "$rc" -ne 0 ] && echo failed)" failed "a registered scheduler: the playbook fails"
[ "$rc" -ne 0 ] || show_run
failures=$(task_output "Leader | every host's scheduler is still partially disabled" | grep '^fatal:')
like "$failures" "^fatal: \\[${registered:-none}\\]: FAILED! => .*\"msg\": \"${registered:-none} \\(http://${ADDR[${registered:-sched1}]}:$PORT\\): host is not in the recovery state.*framework_registered is 1" \
	"a registered scheduler: verify --live against that host's own address names it"
is "$(printf '%s\n' "$failures" | grep -c .)" 1 "a registered scheduler: only that host fails"
is "$(count_calls stageRecovery)" "sched1=0 sched2=0 sched3=0 " "a registered scheduler: nothing staged"

# ---- 7. the offline procedure (Aurora 0.21+): recovery-tool on one host ------
# The third restore is reverted first. The recovery-tool stand-in
# (tests/recovery-tool) runs as the hosts' aurora (uid 998), writes the
# backup into sched1's LevelDB log and, since this simulated cluster keeps
# its replicated state in one file, into that file, which the test
# schedulers start from.
for n in "${NAMES[@]}"; do rm -f "$T/hosts/$n/fault"; : >"$T/hosts/$n/calls.log"; done
playbook --tags revert,restart -e "aurora_restore_backup=$T/backups/$B3"
is "$rc" 0 "offline: the third restore reverted and restarted first"
[ "$rc" = 0 ] || show_run
chmod 0755 "$T"
mkdir -m 0777 "$T/tool"
RT=$T/tool/recovery-tool
install -m 0755 "$SRCDIR/tests/recovery-tool/recovery-tool" "$RT"
: >"$RT.record"; chmod 0666 "$RT.record" "$T/cluster-state.bin"
echo "$T/cluster-state.bin" >"$RT.cluster-state"
B4=scheduler-backup-$(date +%Y-%m-%d-%H-%M)
backup "$B4" 25 30 8
declare -A ASIDES
for n in "${NAMES[@]}"; do
	ASIDES[$n]=$(cd "$(dirname "$T/hosts/$n/root${LOGDIR[$n]}")" && ls -d "$(basename "${LOGDIR[$n]}")".aside-* | wc -l)
done
playbook -e "aurora_restore_backup=$T/backups/$B4" -e aurora_restore_procedure=offline -e "aurora_restore_recovery_tool=$RT"
is "$rc" 0 "offline: the run up to the inspection"
[ "$rc" = 0 ] || show_run
like "$out" "recovered $B4 into the log of sched1; the schedulers run partially disabled" "offline: it stops for the inspection, saying so"
is "$(copies_of "$B4")" "sched1=${BDIR[sched1]}/$B4 sched2= sched3= " "offline: the backup copied to the recovering host only"
is "$(wc -l <"$RT.record")" 1 "offline: the recovery tool ran once"
is "$("$PY" -c 'import json,sys; r=json.loads(open(sys.argv[1]).readline()); print(r["uid"], " ".join(r["argv"]))' "$RT.record" 2>&1)" \
	"998 -from=BACKUP -to=LOG -backup=$T/hosts/sched1/root${BDIR[sched1]}/$B4 -native_log_file_path=$T/hosts/sched1/root${LOGDIR[sched1]} -native_log_zk_group_path=/aurora/replicated-log -zk_endpoints=$ZK -native_log_quorum_size=1" \
	"offline: as aurora, with sched1's log, ZooKeeper and group path"
for n in "${NAMES[@]}"; do
	is "$(cd "$(dirname "$T/hosts/$n/root${LOGDIR[$n]}")" && ls -d "$(basename "${LOGDIR[$n]}")".aside-* | wc -l)" $((ASIDES[$n] + 1)) \
		"offline: $n's log moved aside and re-initialized once"
done
is "$(count_calls stageRecovery)$(count_calls commitRecovery)" "sched1=0 sched2=0 sched3=0 sched1=0 sched2=0 sched3=0 " "offline: no stage, no commit"
states=$(lifecycles)
is "$(printf '%s' "$states" | grep -o 'LEADER_AWAITING_REGISTRATION/0' | wc -l) $(printf '%s' "$states" | grep -o '/1' | wc -l)" "1 0" \
	"offline: a leader, partially disabled, none registered ($states)"
playbook -e "aurora_restore_backup=$T/backups/$B4" -e aurora_restore_procedure=offline -e "aurora_restore_recovery_tool=$RT" \
	-e aurora_restore_commit=true
is "$rc" 0 "offline: the re-run with aurora_restore_commit=true finishes it"
[ "$rc" = 0 ] || show_run
like "$out" "restored $B4: http://127\\.0\\.0\\.[234]:$PORT is ACTIVE and registered" "offline: the playbook says it is done"
is "$(wc -l <"$RT.record")" 1 "offline: the re-run did not run the recovery tool again"
states=$(lifecycles)
is "$(printf '%s' "$states" | grep -o 'ACTIVE/1' | wc -l)" 1 "offline: one scheduler ACTIVE and registered ($states)"
active=$(printf '%s' "$states" | grep -o 'sched[123]=ACTIVE' | cut -d= -f1)
is "$(vars_of "${active:-sched1}" | awk '/^task_store_/ {n += $2} END {print n}')" 25 "offline: the leader runs with the backup's 25 tasks"
for n in "${NAMES[@]}"; do
	"$AR" --root "$T/hosts/$n/root" --proc "$T/hosts/$n/proc" --json status >"$T/st.json" 2>/dev/null
	is "$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["profile"])' "$T/st.json" 2>&1)" None \
		"offline: $n has no profile applied any more"
done

done_testing
