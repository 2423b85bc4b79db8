#!/bin/bash
# tests/t-concurrency.sh: ten runs of apply and revert started at once on one
# host (RELIABILITY.md, "Concurrency"). One run at a time takes effect; the
# others exit 75, or with --wait take their turn and then succeed or find
# nothing to do; afterwards the host is exactly applied (journal complete)
# or exactly as before (no journal). The runs start together behind a
# barrier (a shared flock that the test lets go); a single held lock and
# --wait's timing are t-journal.sh's.
# min-checks: 21
. "$SRCDIR/tests/lib.sh"

N=10
DEF=/etc/default/aurora-scheduler CL=/etc/aurora/clusters.json
R=$T/root
mkdir -p "$R/etc/default" "$R/etc/aurora" "$R/run" "$T/proc"
cp "$EXAMPLES/debian-aurora-scheduler.default" "$R$DEF"
cp "$EXAMPLES/packaging-clusters.json" "$R$CL"
find "$R" -type f -exec touch -d @1500000000 {} +
printf 'advertised_host = "sched1.example.com";\n' >"$T/ar.conf"
LOCK=$R/run/aurora-restore.lock
J=$R/var/lib/aurora-restore/journal.json
A=(--root "$R" --proc "$T/proc" --config "$T/ar.conf")

hostsnap() { snapshot "$R" | grep -Ev '^\./(var|run)/'; }
content() { sha256sum "$R$DEF" "$R$CL" | sed "s|$R||"; }
ORIG=$(hostsnap)
cp -a "$R" "$T/clean"
"$AR" --root "$T/clean" --proc "$T/proc" --config "$T/ar.conf" apply >/dev/null 2>&1
APPLIED=$(cd "$T/clean" && sha256sum ."$DEF" ."$CL" | sed 's|^\([0-9a-f]*  \)\.|\1|')
[ -n "$APPLIED" ] && [ "$APPLIED" != "$(content)" ] ||
	bail "a clean apply on a copy gives the applied state to compare with"

holder=
hold() {		# hold FILE: take an exclusive flock on FILE in the background
	rm -f "$T/held"
	( flock -x 9 && touch "$T/held" && exec sleep 300 ) 9>>"$1" &
	holder=$!
	for i in $(seq 300); do [ -e "$T/held" ] && return 0; sleep 0.01; done
	return 1
}
release() { [ -n "$holder" ] && kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null; holder=; }
sched=
trap 'release; [ -n "$sched" ] && kill "$sched" 2>/dev/null; rm -rf "$T"' EXIT

# start CMD...: N runs, each CMD word taken in turn ("apply revert" alternates),
# held behind the barrier until go; their outputs in $T/run.I
start() {
	local cmds=("$@") i
	runs=()
	rm -f "$T"/run.*
	for ((i = 0; i < N; i++)); do
		( flock -s 8 && exec timeout 120 "$AR" "${A[@]}" ${cmds[i % ${#cmds[@]}]} \
		    >"$T/run.$i.out" 2>"$T/run.$i.err" ) 8>>"$T/barrier" 9>&- &
		runs+=($!)
	done
}
finish() {		# wait for all; RCS the exit statuses, OUTS every message
	local i
	RCS= OUTS=
	for ((i = 0; i < N; i++)); do
		wait "${runs[i]}"
		RCS+="$? "
		OUTS+="$(cat "$T/run.$i.out" "$T/run.$i.err")"$'\n'
	done
}
n_of() { printf '%s' "$OUTS" | grep -c -- "$1"; }
# the host is exactly applied (journal complete) or exactly original (no journal)
consistent() {
	if [ -e "$J" ]; then
		[ "$(content)" = "$APPLIED" ] || { echo "journal present, files not applied"; return 1; }
		/usr/bin/python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if j["completed"] else 1)' "$J" ||
		    { echo "journal not complete"; return 1; }
		echo applied
	else
		[ "$(hostsnap)" = "$ORIG" ] || { echo "no journal, files not original"; return 1; }
		echo original
	fi
}

# ---- the lock held: all ten refused, nothing written ----
hold "$LOCK" || not_ok "the test holds the lock"
exec 9>>"$T/barrier"; flock -x 9
start apply
exec 9>&-
finish
release
is "$RCS" "$(printf '75 %.0s' $(seq $N))" "$N applies while another run holds the lock: all exit 75"
is "$(n_of 'holds the lock')" "$N" "... each says another run holds the lock"
is "$(hostsnap)" "$ORIG" "... and the host is untouched"
test ! -e "$J"; is "$?" 0 "... and no journal is written"

# ---- --wait while the lock is held: they take turns ----
hold "$LOCK"
exec 9>>"$T/barrier"; flock -x 9
A+=(--wait 60secs)
start apply
exec 9>&-
sleep 0.3
release
finish
is "$RCS" "$(printf '0 %.0s' $(seq $N))" "$N applies with --wait: all exit 0"
is "$(n_of 'applied profile recovery: changed')" 1 "... exactly one applies the profile"
is "$(n_of 'already applied; nothing to change')" $((N - 1)) "... the other $((N - 1)) find nothing to do"
is "$(consistent)" applied "... and the host is applied, the journal complete"
run "${A[@]}" verify
is "$rc" 0 "... verify agrees"

exec 9>>"$T/barrier"; flock -x 9
start revert
exec 9>&-
finish
is "$RCS" "$(printf '0 %.0s' $(seq $N))" "$N reverts with --wait: all exit 0"
is "$(n_of 'reverted profile recovery: restored')" 1 "... exactly one reverts"
is "$(n_of 'no profile is applied; nothing to revert')" $((N - 1)) "... the other $((N - 1)) find nothing to do"
is "$(consistent)" original "... and the host is exactly as before (bytes, mode, owner, mtime)"

# ---- apply and revert mixed, with --wait: effective changes alternate ----
exec 9>>"$T/barrier"; flock -x 9
start apply revert
exec 9>&-
finish
is "$RCS" "$(printf '0 %.0s' $(seq $N))" "$N mixed applies and reverts with --wait: all exit 0"
na=$(n_of 'applied profile recovery: changed') nr=$(n_of 'reverted profile recovery: restored')
state=$(consistent)
want=original; [ $((na - nr)) = 1 ] && want=applied
if [ $((na - nr)) -ge 0 ] && [ $((na - nr)) -le 1 ] && [ "$state" = "$want" ]; then
	ok "... $na applies and $nr reverts took effect, alternately; the host is $state"
else
	not_ok "... effective applies and reverts alternate" "applied $na, reverted $nr, host: $state"
fi
[ "$state" = applied ] && run "${A[@]}" revert

# ---- no --wait: five rounds of ten at once, apply and revert alternating ----
A=(--root "$R" --proc "$T/proc" --config "$T/ar.conf")
total75=0 total0=0 bad=
for round in 1 2 3 4 5; do
	exec 9>>"$T/barrier"; flock -x 9
	start apply revert
	exec 9>&-
	finish
	for r in $RCS; do
		case $r in 0) total0=$((total0 + 1)) ;; 75) total75=$((total75 + 1)) ;; *) bad+="round $round: exit $r; " ;; esac
	done
	case " $RCS" in *" 0 "*) ;; *) bad+="round $round: no run went through; " ;; esac
	state=$(consistent) || bad+="round $round: $state; "
done
is "$bad" "" "5 rounds of $N runs at once without --wait: each run exits 0 or 75, one at least goes through, the host is consistent after each"
echo "# without --wait: $total0 runs went through, $total75 exited 75"
run "${A[@]}" status
is "$rc" 0 "status reads the journal afterwards"

# ---- an audited recovery call writes the journal only under the lock ----
mkdir -p "$T/backups"
/usr/bin/python3 "$SRCDIR/tests/scheduler/scheduler.py" --host 127.0.0.51 --port 0 --backup-dir "$T/backups" \
    --leader --lifecycle LEADER_AWAITING_REGISTRATION --cluster example >"$T/sched.out" 2>"$T/sched.err" &
sched=$!
listening sched $!
URL=$URL_sched
[ -e "$J" ] || run "${A[@]}" apply
jsum=$(sha256sum <"$J")
hold "$LOCK"
run "${A[@]}" --wait 1secs backup-now --scheduler "$URL"
is "$rc" 0 "backup-now while an apply or revert holds the lock: the call is made (0)"
is "$(sha256sum <"$J")" "$jsum" "... but the journal is not written under the other run"
like "$(cat "$R/var/lib/aurora-restore/audit.log")" '"call":"performBackup".*"outcome":"ok"' "... the audit log has it"
release
run "${A[@]}" backup-now --scheduler "$URL"
like "$(cat "$J")" '"performBackup"' "once the lock is free, the call goes into the journal too"
kill "$sched"; wait "$sched" 2>/dev/null; sched=

done_testing
