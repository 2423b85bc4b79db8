#!/bin/bash
# tests/crash-trials.sh: kill -9 aurora-restore in the middle of apply and
# revert on every layout, and check that nothing is lost (RELIABILITY.md,
# "Crash safety").
#
#   make crash-trials                    by hand: every durable step of apply
#                                        and revert on each layout, and
#                                        CRASH_RANDOM (25) kills at a random
#                                        moment per layout and command
#   tests/crash-trials.sh ci             20 step trials spread evenly over all
#                                        of them (tests/t-crash.sh, in CI)
#
# Step trials use the test hook AURORA_RESTORE_TEST_CRASH_AFTER=N (src/fileio.h):
# the tool SIGKILLs itself after its Nth durable step. Random trials kill it
# from outside after a random delay within its usual run time (seed: CRASH_SEED).
# After each kill:
#   1. every managed file is byte for byte (mode and owner too) its state
#      before or after the command, and a regular file where it was;
#   2. the journal is readable (status exits 0);
#   3. running the command again finishes it: apply leaves the applied state
#      (verify exits 0), revert the original one; no temporary file is left;
#   4. (apply) revert then restores the original files exactly: bytes, mode,
#      owner, mtime.
# Everything runs under --root in $T; systemctl is tests/fake/systemctl.
# Needs AR, SRCDIR (and BUILDDIR), as tests/run sets them; run by hand, they
# default to this source tree and its build.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRCDIR=${SRCDIR:-$(dirname "$here")}
BUILDDIR=${BUILDDIR:-$SRCDIR}
AR=${AR:-$BUILDDIR/aurora-restore}
EXAMPLES=${EXAMPLES:-$SRCDIR/tests/data/aurora-examples}
export SRCDIR BUILDDIR AR EXAMPLES
export AURORA_RESTORE_LENSDIR=${AURORA_RESTORE_LENSDIR:-$SRCDIR/lenses}
export HOME=/nonexistent-home
unset AURORA_CONFIG_ROOT AURORA_RESTORE_TEST_CRASH_AFTER AURORA_RESTORE_TEST_STEPS
. "$SRCDIR/tests/lib.sh"

MODE=${1:-all}
FAKE=$SRCDIR/tests/fake
LAYOUTS=(debian rpm systemd upstart argfile)
CRASH_RANDOM=${CRASH_RANDOM:-25}
CRASH_SEED=${CRASH_SEED:-$$}
RANDOM=$CRASH_SEED

# ---- one template per layout: $T/L/orig (the host) and $T/L/applied ----

argfile_text() {
	printf '%s\n' '# Aurora scheduler flags, one a line, read with @/etc/aurora/scheduler.args' \
	    -cluster_name=example -http_port=8081 -zk_endpoints=127.0.0.1:2181 \
	    -mesos_master_address=zk://127.0.0.1:2181/mesos -serverset_path=/aurora/scheduler \
	    -http_authentication_mechanism=BASIC -backup_dir=/var/lib/aurora/scheduler/backups
}

setup() {		# setup LAYOUT DIR: the host's files in DIR/root; sets FILES OPTS
	local r=$2/root
	FILES=(/etc/aurora/clusters.json) OPTS=()
	mkdir -p "$r/etc/aurora"
	cp "$EXAMPLES/packaging-clusters.json" "$r/etc/aurora/clusters.json"
	case $1 in
	debian)		# with the /etc/hosts line too: three files
		mkdir -p "$r/etc/default"
		cp "$EXAMPLES/debian-aurora-scheduler.default" "$r/etc/default/aurora-scheduler"
		printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n' >"$r/etc/hosts"
		sed 's/hosts: { enable = false; address = "${ip}"; names = "${hostname}"; };/hosts: { enable = true; address = "10.9.9.9"; names = "sched1.example.com"; };/' \
		    "$SRCDIR/profiles/recovery.conf" >"$2/recovery.conf"
		grep -q 'enable = true; address = "10.9.9.9"' "$2/recovery.conf" || return 1
		OPTS=("$2/recovery.conf")
		FILES+=(/etc/default/aurora-scheduler /etc/hosts) ;;
	rpm)
		mkdir -p "$r/etc/sysconfig"
		cp "$EXAMPLES/rpm-aurora-scheduler.sysconfig" "$r/etc/sysconfig/aurora-scheduler"
		FILES+=(/etc/sysconfig/aurora-scheduler) ;;
	systemd)
		mkdir -p "$r/etc/systemd/system"
		cp "$EXAMPLES/vagrant-aurora-scheduler.service" "$r/etc/systemd/system/aurora-scheduler.service"
		cp "$EXAMPLES/vagrant-clusters.json" "$r/etc/aurora/clusters.json"
		FILES+=(/etc/systemd/system/aurora-scheduler.service) ;;
	upstart)
		mkdir -p "$r/etc/init"
		cp "$EXAMPLES/vagrant-upstart-aurora-scheduler.conf" "$r/etc/init/aurora-scheduler.conf"
		cp "$EXAMPLES/vagrant-clusters.json" "$r/etc/aurora/clusters.json"
		FILES+=(/etc/init/aurora-scheduler.conf) ;;
	argfile)
		argfile_text >"$r/etc/aurora/scheduler.args"
		FILES+=(/etc/aurora/scheduler.args) ;;
	esac
	printf 'advertised_host = "sched1.example.com";\nsystemctl = "%s";\n' "$FAKE/systemctl" >"$2/ar.conf"
	[ "$1" = argfile ] && printf 'layout = "argfile";\nflags_file = "/etc/aurora/scheduler.args";\n' >>"$2/ar.conf"
	find "$r" -type f -exec touch -d @1500000000 {} +
	chmod 0640 "$r${FILES[1]}" && chown 1234:2345 "$r${FILES[1]}"
	touch "$2/stamp"	# systemd loaded the units at boot
}

ar_in() {		# ar_in DIR ARGS...: the tool on DIR's host; sets rc
	{ FAKE_SYSTEMCTL_ROOT=$1/root FAKE_SYSTEMCTL_LOG=$1/systemctl.log FAKE_SYSTEMCTL_STAMP=$1/stamp \
	    "$AR" --root "$1/root" --proc "$1/proc" --config "$1/ar.conf" "${@:2}" >"$1/out" 2>"$1/err"
	  rc=$?; } 2>/dev/null	# no "Killed" notices from bash
}
cmd_args() {		# cmd_args CMD: the command line of a trial
	if [ "$1" = apply ]; then echo apply "${OPTS[@]}"; else echo revert; fi
}
state_of() {		# state_of ROOT FILE: what must match: bytes, mode, owner, type
	if [ -L "$1$2" ] || [ ! -f "$1$2" ]; then echo "not a regular file"; return; fi
	echo "$(stat -c '%a %u:%g' "$1$2") $(sha256sum <"$1$2" | cut -c1-64)"
}
hostsnap() {		# the host's files exactly, the tool's state left out
	snapshot "$1" | grep -Ev '^\./(var|run)/'
}
temps() {		# temporary files of atomic writes under a root
	find "$1" -type f -name '.*.??????' | sed "s|^$1||"
}
need_reload() {		# what systemd would say about the unit (fake systemctl)
	FAKE_SYSTEMCTL_ROOT=$1/root FAKE_SYSTEMCTL_LOG=$1/systemctl.log FAKE_SYSTEMCTL_STAMP=$1/stamp \
	    "$FAKE/systemctl" show --property=NeedDaemonReload --value aurora-scheduler.service
}

declare -A NSTEPS TRUN
PREPARED=()
prepare() {		# prepare LAYOUT: templates, step counts, run time
	local L=$1 d=$T/$1 t0 t1
	mkdir -p "$d/orig/proc"
	setup "$L" "$d/orig" || { not_ok "$L: the fixture host is set up"; return 1; }
	eval "FILES_$L=(\"\${FILES[@]}\") OPTS_$L=(\"\${OPTS[@]}\")"
	cp -a "$d/orig" "$d/applied"
	t0=$(date +%s%N)
	AURORA_RESTORE_TEST_STEPS=$d/apply.steps ar_in "$d/applied" $(cmd_args apply)
	t1=$(date +%s%N)
	[ "$rc" = 0 ] || { not_ok "$L: a clean apply works" "$(cat "$d/applied/err")"; return 1; }
	cp -a "$d/applied" "$d/reverted"
	TRUN[$L.apply]=$(( (t1 - t0) / 1000 ))
	t0=$(date +%s%N)
	AURORA_RESTORE_TEST_STEPS=$d/revert.steps ar_in "$d/reverted" revert
	t1=$(date +%s%N)
	TRUN[$L.revert]=$(( (t1 - t0) / 1000 ))
	[ "$rc" = 0 ] || { not_ok "$L: a clean revert works" "$(cat "$d/reverted/err")"; return 1; }
	if [ "$(hostsnap "$d/reverted/root")" != "$(hostsnap "$d/orig/root")" ]; then
		not_ok "$L: a clean revert restores the host exactly"; return 1
	fi
	NSTEPS[$L.apply]=$(wc -l <"$d/apply.steps") NSTEPS[$L.revert]=$(wc -l <"$d/revert.steps")
}

# ---- one trial ----

declare -A TALLY
count() { TALLY[$1]=$(( ${TALLY[$1]:-0} + 1 )); }

trial() {		# trial LAYOUT CMD step N | trial LAYOUT CMD random USECS
	local L=$1 cmd=$2 how=$3 n=$4 d=$T/$1 W=$T/trial f s want_a want_b problems=() what
	local from=orig; [ "$cmd" = revert ] && from=applied
	eval "FILES=(\"\${FILES_$L[@]}\") OPTS=(\"\${OPTS_$L[@]}\")"
	rm -rf "$W"
	cp -a "$d/$from" "$W"
	if [ "$how" = step ]; then
		what="$L $cmd: killed after step $n of ${NSTEPS[$L.$cmd]} ($(sed -n "${n}p" "$d/$cmd.steps" | cut -d' ' -f2))"
		AURORA_RESTORE_TEST_CRASH_AFTER=$n ar_in "$W" $(cmd_args "$cmd")
		[ "$rc" = 137 ] || problems+=("the hook did not kill it: exit status $rc")
	else
		FAKE_SYSTEMCTL_ROOT=$W/root FAKE_SYSTEMCTL_LOG=$W/systemctl.log FAKE_SYSTEMCTL_STAMP=$W/stamp \
		AURORA_RESTORE_TEST_STEPS=$W/steps \
		    "$AR" --root "$W/root" --proc "$W/proc" --config "$W/ar.conf" $(cmd_args "$cmd") >"$W/out" 2>"$W/err" &
		local pid=$!
		sleep "$(printf '0.%06d' "$n")"
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null; rc=$?
		s=$(cat "$W/steps" 2>/dev/null | wc -l)
		if [ "$rc" = 0 ]; then count "$L.$cmd.finished"; what="finished before the kill"
		elif [ "$s" = 0 ]; then count "$L.$cmd.before"; what="killed before any durable step"
		else count "$L.$cmd.midway"; what="killed after step $s of ${NSTEPS[$L.$cmd]}"; fi
		what="$L $cmd: random kill after ${n} us, $what"
		[ "$rc" = 0 ] || [ "$rc" = 137 ] || problems+=("exit status $rc: $(cat "$W/err")")
	fi
	# 1. each file before or after, never a mix
	for f in "${FILES[@]}"; do
		s=$(state_of "$W/root" "$f")
		want_a=$(state_of "$d/orig/root" "$f") want_b=$(state_of "$d/applied/root" "$f")
		[ "$s" = "$want_a" ] || [ "$s" = "$want_b" ] || problems+=("$f is neither before nor after: $s")
	done
	s=$(temps "$W/root")
	[ -n "$s" ] && count "$L.$cmd.temps"
	# 2. the journal is readable
	ar_in "$W" status
	[ "$rc" = 0 ] || problems+=("status after the kill: exit $rc: $(cat "$W/err")")
	# 3. running it again finishes the job
	ar_in "$W" $(cmd_args "$cmd")
	[ "$rc" = 0 ] || problems+=("$cmd again: exit $rc: $(cat "$W/err")")
	if [ "$cmd" = apply ]; then
		for f in "${FILES[@]}"; do
			[ "$(state_of "$W/root" "$f")" = "$(state_of "$d/applied/root" "$f")" ] ||
			    problems+=("after apply again, $f is not as a clean apply leaves it")
		done
		ar_in "$W" verify "${OPTS[@]}"
		[ "$rc" = 0 ] || problems+=("verify after apply again: exit $rc: $(head -3 "$W/out" "$W/err")")
		[ "$L" = systemd ] && [ "$(need_reload "$W")" != no ] && problems+=("the unit changed and systemd was never reloaded")
		# 4. revert restores the originals exactly
		ar_in "$W" revert
		[ "$rc" = 0 ] || problems+=("revert: exit $rc: $(cat "$W/err")")
	fi
	[ "$(hostsnap "$W/root")" = "$(hostsnap "$d/orig/root")" ] ||
	    problems+=("the host after revert differs from the original:" "$(diff <(hostsnap "$d/orig/root") <(hostsnap "$W/root"))")
	[ -e "$W/root/var/lib/aurora-restore/journal.json" ] && problems+=("a journal is left after revert")
	[ "$L" = systemd ] && [ "$(need_reload "$W")" != no ] && problems+=("the unit was restored and systemd was never reloaded")
	s=$(temps "$W/root")
	[ -z "$s" ] || problems+=("temporary files left: $s")
	if [ ${#problems[@]} -eq 0 ]; then
		ok "$what"
		count "$L.$cmd.ok"
	else
		not_ok "$what" "${problems[@]}"
		count "$L.$cmd.failed"
	fi
}

# ---- the runs ----

for L in "${LAYOUTS[@]}"; do
	prepare "$L" || continue
	PREPARED+=("$L")
done
all=()
for L in "${PREPARED[@]}"; do
	for c in apply revert; do
		for ((n = 1; n <= ${NSTEPS[$L.$c]}; n++)); do all+=("$L $c $n"); done
	done
done
if [ "$MODE" = ci ]; then
	pick=()
	for ((i = 0; i < 20 && ${#all[@]} > 0; i++)); do pick+=("${all[i * ${#all[@]} / 20]}"); done
else
	pick=("${all[@]}")
fi
echo "# crash trials: ${#pick[@]} step kills of ${#all[@]} durable steps; seed $CRASH_SEED"
for p in "${pick[@]}"; do
	set -- $p
	trial "$1" "$2" step "$3"
done
if [ "$MODE" != ci ]; then
	for L in "${PREPARED[@]}"; do
		for c in apply revert; do
			for ((i = 0; i < CRASH_RANDOM; i++)); do
				trial "$L" "$c" random $(( (RANDOM * 32768 + RANDOM) % (TRUN[$L.$c] * 12 / 10 + 1) ))
			done
		done
	done
fi
for L in "${PREPARED[@]}"; do
	for c in apply revert; do
		echo "# $L $c: ${NSTEPS[$L.$c]} durable steps; a clean run took ${TRUN[$L.$c]} us;" \
		    "passed ${TALLY[$L.$c.ok]:-0}, failed ${TALLY[$L.$c.failed]:-0};" \
		    "random kills: ${TALLY[$L.$c.before]:-0} before any step, ${TALLY[$L.$c.midway]:-0} mid-way," \
		    "${TALLY[$L.$c.finished]:-0} finished first; kills that left a temporary file: ${TALLY[$L.$c.temps]:-0}"
	done
done
done_testing
