#!/bin/bash
# tests/t-root.sh: --root as the contract has it. A root that does not
# exist is a usage error and nothing is created; under a root other than /
# the live machine's service manager is left alone (no daemon-reload, and
# verify does not count the unit as drift), the same when systemd does not
# run; the live_root setting declares the root live (how the other tests
# keep the reload covered); paths the operator types that already start
# with the root are refused with the host path to give; messages name host
# paths, not real ones.
# min-checks: 60
# allow-skip: valgrind is not installed (the memory check of --root)
. "$SRCDIR/tests/lib.sh"

FAKE=$SRCDIR/tests/fake
DB=/var/lib/aurora/scheduler/db
UNIT=/etc/systemd/system/aurora-scheduler.service
export FAKE_SYSTEMCTL_LOG=$T/systemctl.log FAKE_SYSTEMCTL_STAMP=$T/systemctl.stamp
holder=
trap 'if [ -n "$holder" ]; then kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null; fi; rm -rf "$T"' EXIT

fullsnap() {
	(cd "$1" && find . -printf '%p %y %m %u:%g %T@\n' | LC_ALL=C sort &&
		find . -type f -exec sha256sum {} + | LC_ALL=C sort -k2)
}
host() {		# host NAME [CONFIG-LINE...]: a systemd host at $R, a /proc at $P
	R=$T/$1/root P=$T/$1/proc C=$T/$1/ar.conf
	shift
	mkdir -p "$R/etc/systemd/system" "$R/etc/aurora" "$R/var/lib/aurora/scheduler" "$P/1"
	cp "$EXAMPLES/vagrant-aurora-scheduler.service" "$R$UNIT"
	cp "$EXAMPLES/vagrant-clusters.json" "$R/etc/aurora/clusters.json"
	touch -d '-1 hour' "$R$UNIT"
	printf 'cpu 1 2 3 4\nbtime %s\n' "$(($(date +%s) - 1000))" >"$P/stat"
	printf '/sbin/init\0' >"$P/1/cmdline"
	{
		printf 'advertised_host = "sched1.example.com";\nsystemctl = "%s";\n' "$FAKE/systemctl"
		for l in "$@"; do printf '%s\n' "$l"; done
	} >"$C"
	export FAKE_SYSTEMCTL_ROOT=$R
	: >"$FAKE_SYSTEMCTL_LOG"
	touch "$FAKE_SYSTEMCTL_STAMP"		# systemd loaded the unit at boot
}
ar() { run --root "$R" --proc "$P" --config "$C" "$@"; }
j() {			# j EXPR: a value of the JSON object in $out (Python expression on o)
	python3 -c 'import json,sys; o=json.loads(sys.argv[1]); v=eval(sys.argv[2]); print(json.dumps(v) if not isinstance(v, str) else v)' "$out" "$1" 2>&1
}
calls() { grep -c "^$1" "$FAKE_SYSTEMCTL_LOG"; }

# ---- a root that does not exist, or is not a directory ----
host gone
tsnap() { fullsnap "$T" | grep -Ev '^\. |\./\.(out|err)( |$)'; }
s0=$(tsnap)
for c in apply revert status verify diff leader backups "backup-info /x" backup-now \
	"stage /x" tasks "delete-tasks --task-id t" commit unload log-status log-reinit \
	"log-restore-aside /x" impact "log-recover /x"; do
	# shellcheck disable=SC2086
	run --root "$T/nope" --proc "$P" --config "$C" $c
	is "$rc" 64 "--root that does not exist: $c exits 64"
	[ "$rc" = 64 ] || printf '#   stderr: %s\n' "$err"
done
is "$err" "aurora-restore: --root $T/nope: No such file or directory" "the error names the root"
is "$(tsnap)" "$s0" "nothing is created anywhere (no lock, no journal, no run/)"
run --root "$T/nope" --json status
is "$(j '[o["rc"], o["failed"], o["msg"]]')" "[64, true, \"--root $T/nope: No such file or directory\"]" \
	"--json: rc 64, failed, the root named"
run --root "$C" --config "$C" status
is "$rc $err" "64 aurora-restore: --root $C: not a directory" "a root that is a file: exit 64, named"

# ---- under --root the service manager is left alone ----
host notlive
s0=$(snapshot "$R")
ar --json apply --reason t-root
is "$rc" 0 "apply on the unit under --root exits 0"
is "$(j '[o["daemon_reload"], o["not_reloaded"]]')" '[null, "--root"]' \
	"--json: daemon_reload null, not_reloaded \"--root\""
is "$(cat "$FAKE_SYSTEMCTL_LOG")" "" "systemctl is never run under --root"
cmp -s "$R$UNIT" "$EXAMPLES/vagrant-aurora-scheduler.service"
is "$?" 1 "the unit itself was written"
ar apply
is "$rc" 0 "a second apply exits 0"
like "$out" "already applied" "and says it is already applied"
s1=$(fullsnap "$R")
ar apply
is "$(fullsnap "$R")" "$s1" "a third apply changes nothing, not even the journal's mtime"
ar verify
is "$rc" 0 "verify: the unreloaded unit is not drift under --root (exit 0)"
like "$out" "aurora-scheduler.service: reload state not checked: --root \(changed on disk since the last daemon-reload\)" \
	"verify says the reload state was not checked, and why"
is "$(cat "$FAKE_SYSTEMCTL_LOG")" "" "verify does not ask systemctl either"
ar log-status
is "$rc $(cat "$FAKE_SYSTEMCTL_LOG")" "0 " "log-status asks no systemctl is-active about a unit under --root"
ar --check log-reinit
is "$(cat "$FAKE_SYSTEMCTL_LOG")" "" "nor log-reinit --check"
ar revert
is "$rc" 0 "revert under --root exits 0"
like "$out" "^not reloaded: --root$" "revert says: not reloaded: --root"
is "$(cat "$FAKE_SYSTEMCTL_LOG")" "" "revert runs no systemctl"
is "$(snapshot "$R" | grep -Ev '^\./(var|run)/')" "$(printf '%s\n' "$s0" | grep -Ev '^\./(var|run)/')" \
	"revert restores the unit"

# ---- live_root: systemd not running, then running ----
host nosystemd 'live_root = true;'
ar apply --reason t-root
is "$rc" 0 "live_root without ROOT/run/systemd/system: apply exits 0 (was 1 after writing the unit)"
like "$out" "^not reloaded: systemd is not running$" "and says systemd is not running"
is "$(cat "$FAKE_SYSTEMCTL_LOG")" "" "no daemon-reload"
ar verify
is "$rc" 0 "verify: not drift when systemd does not run"
like "$out" "reload state not checked: systemd is not running" "verify says why"
mkdir -p "$R/run/systemd/system"
ar verify
is "$rc" 2 "once systemd runs, verify counts the reload still pending as drift"
like "$out" "daemon-reload did not run" "and says so"
ar --json apply
is "$rc" 0 "then apply exits 0"
is "$(calls daemon-reload)" 1 "and runs the pending daemon-reload once"
like "$(j 'o["msg"]')" "finished the interrupted run" "saying it finished the run"
is "$(j 'o["daemon_reload"]')" "$FAKE/systemctl daemon-reload" "--json: daemon_reload names the command"
ar verify
is "$rc" 0 "verify after the reload exits 0"
s1=$(fullsnap "$R")
ar apply
is "$(calls daemon-reload) $(fullsnap "$R" | cmp -s - <(printf '%s\n' "$s1") && echo same)" "1 same" \
	"apply again: no second reload, nothing changed"

# a run under a non-live root keeps the reload pending for a later live run
host later
ar apply --reason t-root
printf 'live_root = true;\n' >>"$C"
mkdir -p "$R/run/systemd/system"
ar apply
is "$rc $(calls daemon-reload)" "0 1" "the next live run does the daemon-reload the --root run could not"

# ---- paths typed with the root in front ----
host typed
ar log-status "$R$DB"
is "$rc" 64 "log-status ROOT/var/...: exit 64 (was read as absent)"
is "$err" "aurora-restore: log-status $R$DB is already under --root $R; give the host path $DB" \
	"the hint gives the host path"
ar log-status "$R"
is "$rc $err" "64 aurora-restore: log-status $R is already under --root $R; give the host path /" \
	"the root itself: the host path /"
mkdir -p "$R$R/srv/db"
ar --json log-status "$R/srv/db"
is "$rc $(j 'o["path"]') $(j 'o["reason"]')" "0 $R/srv/db no files" "a host path that starts like the root and exists under it is read as that host path"
ar log-reinit --aside "$R/var/lib/aurora"
is "$rc" 64 "log-reinit --aside ROOT/...: exit 64"
like "$err" "^aurora-restore: --aside $R/var/lib/aurora is already under --root $R; give the host path /var/lib/aurora$" \
	"--aside: the hint"
ar log-restore-aside "$R$DB.aside-20260101T000000Z"
is "$rc" 64 "log-restore-aside ROOT/...: exit 64"
like "$err" "give the host path $DB.aside-20260101T000000Z$" "log-restore-aside: the hint"
for o in "--flags-file $UNIT" "--clusters-file /etc/aurora/clusters.json"; do
	ar --check apply "${o%% *}" "$R${o#* }"
	is "$rc $err" "64 aurora-restore: ${o%% *} $R${o#* } is already under --root $R; give the host path ${o#* }" \
		"${o%% *} ROOT/...: exit 64 with the hint (was 1, \"cannot read\" a file that is there)"
done

# A relative root is the directory it names from here: a path typed with
# it in front is caught like an absolute root's (it was read as a host
# path, "absent"), and its messages name host paths.
(cd "$T/typed" && "$AR" --root root --proc "$P" --config "$C" log-status "$R$DB" >"$T/.out" 2>"$T/.err")
is "$? $(cat "$T/.err")" "64 aurora-restore: log-status $R$DB is already under --root $R; give the host path $DB" \
	"--root root (relative): ROOT/var/... refused with the hint"
(cd "$R/etc" && "$AR" --root .. --proc "$P" --config "$C" log-restore-aside /var/nope >"$T/.out" 2>"$T/.err")
is "$? $(cat "$T/.err")" "65 aurora-restore: /var/nope: no such folder" "--root .. : the message names the host path"

# ---- messages name host paths ----
host msgs
mkdir -p "$R/run"
bash -c 'exec 9>"$1"; flock 9; exec sleep 60' _ "$R/run/aurora-restore.lock" &
holder=$!
for _ in $(seq 100); do flock -n "$R/run/aurora-restore.lock" true || break; sleep 0.05; done
ar apply
is "$rc" 75 "the lock is held: exit 75"
is "$err" "aurora-restore: another aurora-restore run holds the lock /run/aurora-restore.lock" \
	"the lock message names the host path"
kill "$holder"; wait "$holder" 2>/dev/null; holder=
mkdir -p "$R/etc/aurora-restore.conf"
run --root "$R" --proc "$P" status
is "$rc" 78 "the root's config file a directory: exit 78"
is "$err" "aurora-restore: cannot read /etc/aurora-restore.conf: it is a directory" \
	"named by its host path"
rmdir "$R/etc/aurora-restore.conf"
mkdir -p "$R/var/lib/aurora-restore/journal.json"
ar status
is "$rc" 3 "the journal a directory: exit 3"
is "$err" "aurora-restore: /var/lib/aurora-restore/journal.json is not a regular file; refusing to use it as aurora-restore's state" \
	"named by its host path"
is "$(printf '%s' "$err" | grep -c -- "$R/")" 0 "no real path under the root in that message"

# ---- paths on this machine, typed as they are, keep their names ----
# --config, --proc, --backup, --recovery-tool, --mesos-log and the
# profile and backup files given as arguments are not under the root: a
# message names them as typed, even when they happen to lie under it.
host real
printf 'bogus = 1;\n' >"$R/ar.conf"
run --root "$R" --proc "$P" --config "$R/ar.conf" status
is "$rc $err" "78 aurora-restore: $R/ar.conf:1: unknown key \"bogus\"" "--config ROOT/FILE: named as typed"
printf 'not a profile\n' >"$R/p.conf"
ar --check apply "$R/p.conf"
like "$rc $err" "^78 aurora-restore: $R/p.conf:" "a profile path under the root: named as typed"
printf 'x' >"$R/backup"
ar backup-info "$R/backup"
like "$rc $err" "^65 aurora-restore: $R/backup: " "backup-info ROOT/FILE: named as typed"
ar --check log-reinit --force --mesos-log "$R/backup"
like "$rc $err" "^64 aurora-restore: --mesos-log $R/backup: " "--mesos-log ROOT/FILE: named as typed"
ar log-restore-aside /var/nope
is "$rc $err" "65 aurora-restore: /var/nope: no such folder" "while a host path typed is still shown as the host's"

# ---- --root given once is read once ----
# main used to set --root again after the config file, freeing the string
# messages show paths under (a use after free in every error under
# --root) and undoing its normalization.
host once
if [ -n "${ASAN_OPTIONS:-}" ] || command -v valgrind >/dev/null; then
	vg=(valgrind -q --error-exitcode=99)
	[ -z "${ASAN_OPTIONS:-}" ] || vg=()	# a sanitizer build: ASan itself reports an invalid read
	"${vg[@]}" "$AR" --root "$R/" --proc "$P" --config "$C" \
		log-restore-aside /var/nope >"$T/.out" 2>"$T/.err"
	is "$?" 65 "an error under --root ROOT/: no invalid read (valgrind or ASan), exit 65"
	is "$(grep -v '^==' "$T/.err")" "aurora-restore: /var/nope: no such folder" "and the message names the host path"
else
	skip "--root read once (valgrind)" "valgrind is not installed"
	skip "--root read once: message" "valgrind is not installed"
fi

done_testing
