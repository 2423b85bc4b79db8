#!/bin/bash
# tests/crash-trials.sh: kill -9 aurora-restore in the middle of apply and
# revert on every layout, run a second command, and check that nothing is
# lost (RELIABILITY.md, "Crash safety" and "Never lose a byte").
#
#   make crash-trials       by hand: the whole matrix. Four combinations:
#                           apply killed then apply, apply killed then revert,
#                           revert killed then revert, revert killed then apply;
#                           each on all five layouts, at every durable step of
#                           the killed command and CRASH_RANDOM (25) random
#                           moments per layout
#   tests/crash-trials.sh ci   CI_STEPS (2) step kills of each combination on
#                           each layout, spread over its steps, and one random
#                           kill per combination (tests/t-crash.sh)
#
# Step trials use the test hook AURORA_RESTORE_TEST_CRASH_AFTER=N (src/fileio.h):
# the tool SIGKILLs itself after its Nth durable step. Random trials kill it
# from outside after a random delay within its usual run time (seed: CRASH_SEED).
# After each kill:
#   1. every managed file is byte for byte (mode and owner too) its state
#      before or after the command, and a regular file where it was;
#   2. the journal is readable (status exits 0);
#   3. the second command exits 0; an apply leaves the applied state (verify
#      exits 0) and is followed by a revert;
#   4. the host ends exactly as it was: every file's bytes, mode, owner and
#      mtime, no journal, no temporary file, systemd reloaded.
# The hook itself is checked: each command logs durable steps, and every
# planned trial runs (a hook that does nothing fails here).
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
CI_STEPS=${CI_STEPS:-2}
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
	printf 'advertised_host = "sched1.example.com";\nsystemctl = "%s";\nlive_root = true;\n' "$FAKE/systemctl" >"$2/ar.conf"
	mkdir -p "$r/run/systemd/system"	# live_root: systemd runs there
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
RUN=0

run_again() {		# run_again LAYOUT CMD: the second command finishes its job
	local L=$1 cmd=$2 f
	ar_in "$W" $(cmd_args "$cmd")
	[ "$rc" = 0 ] || { problems+=("$cmd after the kill: exit $rc: $(cat "$W/err")"); return; }
	[ "$cmd" = apply ] || return
	for f in "${FILES[@]}"; do
		[ "$(state_of "$W/root" "$f")" = "$(state_of "$T/$L/applied/root" "$f")" ] ||
		    problems+=("after apply, $f is not as a clean apply leaves it")
	done
	ar_in "$W" verify "${OPTS[@]}"
	[ "$rc" = 0 ] || problems+=("verify after apply: exit $rc: $(head -3 "$W/out" "$W/err")")
	[ "$L" = systemd ] && [ "$(need_reload "$W")" != no ] && problems+=("the unit changed and systemd was never reloaded")
	ar_in "$W" revert
	[ "$rc" = 0 ] || problems+=("the final revert: exit $rc: $(cat "$W/err")")
}

# trial LAYOUT CMD THEN step N | trial LAYOUT CMD THEN random USECS: kill CMD,
# run THEN (and revert after an apply), check the host is exactly as before.
trial() {
	local L=$1 cmd=$2 then=$3 how=$4 n=$5 d=$T/$1 f s want_a want_b problems=() what
	local from=orig combo="$2 then $3"; [ "$cmd" = revert ] && from=applied
	W=$T/trial
	RUN=$((RUN + 1))
	eval "FILES=(\"\${FILES_$L[@]}\") OPTS=(\"\${OPTS_$L[@]}\")"
	rm -rf "$W"
	cp -a "$d/$from" "$W"
	if [ "$how" = step ]; then
		what="$L $combo: $cmd killed after step $n of ${NSTEPS[$L.$cmd]} ($(sed -n "${n}p" "$d/$cmd.steps" | cut -d' ' -f2))"
		AURORA_RESTORE_TEST_CRASH_AFTER=$n ar_in "$W" $(cmd_args "$cmd")
		[ "$rc" = 137 ] || problems+=("the hook did not kill it: exit status $rc")
		count "$L.$combo.step"
	else
		FAKE_SYSTEMCTL_ROOT=$W/root FAKE_SYSTEMCTL_LOG=$W/systemctl.log FAKE_SYSTEMCTL_STAMP=$W/stamp \
		AURORA_RESTORE_TEST_STEPS=$W/steps \
		    "$AR" --root "$W/root" --proc "$W/proc" --config "$W/ar.conf" $(cmd_args "$cmd") >"$W/out" 2>"$W/err" &
		local pid=$!
		sleep "$(printf '0.%06d' "$n")"
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null; rc=$?
		s=$(cat "$W/steps" 2>/dev/null | wc -l)
		if [ "$rc" = 0 ]; then count "$L.$combo.finished"; what="finished before the kill"
		elif [ "$s" = 0 ]; then count "$L.$combo.before"; what="killed before any durable step"
		else count "$L.$combo.midway"; what="killed after step $s of ${NSTEPS[$L.$cmd]}"; fi
		what="$L $combo: $cmd, random kill after ${n} us, $what"
		[ "$rc" = 0 ] || [ "$rc" = 137 ] || problems+=("exit status $rc: $(cat "$W/err")")
		count "$L.$combo.random"
	fi
	# 1. each file before or after, never a mix
	for f in "${FILES[@]}"; do
		s=$(state_of "$W/root" "$f")
		want_a=$(state_of "$d/orig/root" "$f") want_b=$(state_of "$d/applied/root" "$f")
		[ "$s" = "$want_a" ] || [ "$s" = "$want_b" ] || problems+=("$f is neither before nor after: $s")
	done
	s=$(temps "$W/root")
	[ -n "$s" ] && count "$L.$combo.temps"
	# 2. the journal is readable
	ar_in "$W" status
	[ "$rc" = 0 ] || problems+=("status after the kill: exit $rc: $(cat "$W/err")")
	# 3. the second command does its whole job; after an apply, revert
	run_again "$L" "$then"
	# 4. every file exactly the original: bytes, mode, owner, mtime
	[ "$(hostsnap "$W/root")" = "$(hostsnap "$d/orig/root")" ] ||
	    problems+=("the host after revert differs from the original:" "$(diff <(hostsnap "$d/orig/root") <(hostsnap "$W/root"))")
	[ -e "$W/root/var/lib/aurora-restore/journal.json" ] && problems+=("a journal is left after revert")
	[ "$L" = systemd ] && [ "$(need_reload "$W")" != no ] && problems+=("the unit was restored and systemd was never reloaded")
	s=$(temps "$W/root")
	[ -z "$s" ] || problems+=("temporary files left: $s")
	if [ ${#problems[@]} -eq 0 ]; then
		ok "$what"
		count "$L.$combo.ok"
	else
		not_ok "$what" "${problems[@]}"
		count "$L.$combo.failed"
	fi
}

# ---- the runs ----

COMBOS=("apply apply" "apply revert" "revert revert" "revert apply")
for L in "${LAYOUTS[@]}"; do
	prepare "$L" || continue
	PREPARED+=("$L")
	for c in apply revert; do
		[ "${NSTEPS[$L.$c]:-0}" -gt 0 ] && ok "$L $c: the crash hook logged ${NSTEPS[$L.$c]} durable steps" ||
		    not_ok "$L $c: the crash hook logged durable steps" "no step in $T/$L/$c.steps"
	done
done
is "${#PREPARED[@]}" "${#LAYOUTS[@]}" "every layout has its templates and step counts"
plan=() NRANDOM=$CRASH_RANDOM
[ "$MODE" = ci ] && NRANDOM=0
for combo in "${COMBOS[@]}"; do
	set -- $combo
	for L in "${PREPARED[@]}"; do
		N=${NSTEPS[$L.$1]:-0}
		if [ "$MODE" = ci ]; then	# CI_STEPS steps spread evenly, shifted per combination
			for ((i = 0; i < CI_STEPS && N > 0; i++)); do
				plan+=("$L $1 $2 step $(( 1 + ((2 * i + 1) * N / (2 * CI_STEPS) + ${#plan[@]}) % N ))")
			done
		else
			for ((n = 1; n <= N; n++)); do plan+=("$L $1 $2 step $n"); done
		fi
	done
	for L in "${PREPARED[@]}"; do
		for ((i = 0; i < NRANDOM; i++)); do
			plan+=("$L $1 $2 random $(( (RANDOM * 32768 + RANDOM) % (TRUN[$L.$1] * 12 / 10 + 1) ))")
		done
	done
done
[ "$MODE" = ci ] && for combo in "${COMBOS[@]}"; do
	L=${PREPARED[RANDOM % ${#PREPARED[@]}]}
	set -- $combo
	plan+=("$L $1 $2 random $(( (RANDOM * 32768 + RANDOM) % (TRUN[$L.$1] * 12 / 10 + 1) ))")
done
echo "# crash trials ($MODE): ${#plan[@]} planned; seed $CRASH_SEED"
t0=$(date +%s)
for p in "${plan[@]}"; do
	trial $p
done
t1=$(date +%s)
is "$RUN" "${#plan[@]}" "every planned trial ran"
for combo in "${COMBOS[@]}"; do
	tot_ok=0 tot_failed=0 tot_step=0 tot_random=0
	for L in "${PREPARED[@]}"; do
		set -- $combo
		k="$L.$1 then $2"
		[ "$MODE" = ci ] && [ $(( ${TALLY[$k.step]:-0} + ${TALLY[$k.random]:-0} )) = 0 ] && continue
		echo "# $L, $1 killed then $2: ${TALLY[$k.step]:-0} step kills of ${NSTEPS[$L.$1]} steps," \
		    "${TALLY[$k.random]:-0} random kills (${TALLY[$k.before]:-0} before any step, ${TALLY[$k.midway]:-0} mid-way," \
		    "${TALLY[$k.finished]:-0} finished first); passed ${TALLY[$k.ok]:-0}, failed ${TALLY[$k.failed]:-0};" \
		    "kills that left a temporary file: ${TALLY[$k.temps]:-0}"
		tot_ok=$((tot_ok + ${TALLY[$k.ok]:-0})) tot_failed=$((tot_failed + ${TALLY[$k.failed]:-0}))
		tot_step=$((tot_step + ${TALLY[$k.step]:-0})) tot_random=$((tot_random + ${TALLY[$k.random]:-0}))
	done
	set -- $combo
	[ $((tot_step + tot_random)) -gt 0 ] && ok "$1 killed then $2: trials ran ($tot_step step kills, $tot_random random)" ||
	    not_ok "$1 killed then $2: trials ran" "none planned"
	echo "# TOTAL $1 killed then $2: $tot_step step kills + $tot_random random kills on ${#PREPARED[@]} layouts; passed $tot_ok, failed $tot_failed"
done
echo "# crash trials took $((t1 - t0)) s"
done_testing
