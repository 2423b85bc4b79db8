#!/bin/bash
# tests/t-faults.sh: network faults against the test scheduler
# (tests/scheduler/scheduler.py's misbehaviours) that t-recovery.sh does not
# already cover: accept-then-silence, a slow drip past --timeout, broken
# JSON, a reply to another method or sequence id, a huge reply over
# --max-reply (memory bounded), 307 (never followed, loops included), 503,
# and https spoken to a plain http port. Each: the contract's exit status, a
# one-line message naming the scheduler, no crash, and no hang: every run is
# bounded with timeout(1) at --timeout plus 10 s (exit 124 would fail it).
# RELIABILITY.md, "Network faults", lists which test covers each case.
# min-checks: 31
. "$SRCDIR/tests/lib.sh"

PY=/usr/bin/python3
SCH=$SRCDIR/tests/scheduler
mkdir -p "$T/backups" "$T/root"

start() {		# start NAME ARGS...: a double on 127.0.0.31; sets URL_NAME
	local name=$1 i; shift
	"$PY" "$SCH/scheduler.py" --host 127.0.0.31 --port 0 --backup-dir "$T/backups" \
	    --leader --lifecycle LEADER_AWAITING_REGISTRATION "$@" >"$T/$name.out" 2>"$T/$name.err" &
	pids+=($!)
	listening "$name" $!
}
bounded() {		# bounded SECS ARGS...: the tool under timeout(1); sets rc out err
	timeout "$1" "$AR" --root "$T/root" "${@:2}" >"$T/.out" 2>"$T/.err"
	rc=$?; out=$(cat "$T/.out"); err=$(cat "$T/.err")
}
one_line() {		# one_line DESC: stderr is one line, nothing on stdout
	if [ "$(printf '%s\n' "$err" | wc -l)" = 1 ] && [ -z "$out" ]; then ok "$1: one line on stderr"
	else not_ok "$1: one line on stderr" "out: $out" "err: $err"; fi
}

# ---- accept, then silence (the request is read, never answered) ----
"$PY" - "$T/silent.port" <<'EOF' &
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.32", 0)); s.listen(16)
open(sys.argv[1] + ".tmp", "w").write("%d\n" % s.getsockname()[1])
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
held = []
deadline = time.time() + 300
s.settimeout(1)
while time.time() < deadline:
    try:
        c, _ = s.accept(); held.append(c)
    except socket.timeout:
        pass
EOF
pids+=($!)
for i in $(seq 100); do [ -s "$T/silent.port" ] && break; sleep 0.1; done
SILENT=127.0.0.32:$(cat "$T/silent.port")
bounded 12 backups --scheduler "http://$SILENT" --timeout 2secs
is "$rc" 1 "accept-then-silence, a read (listBackups): failed (1) within the bound"
like "$err" "http://$SILENT: no answer within 2 s" "... names the scheduler and the timeout"
one_line "accept-then-silence"
bounded 12 unload --scheduler "http://$SILENT" --timeout 2secs
is "$rc" 4 "accept-then-silence, a change (unloadRecovery): outcome unknown (4)"
like "$err" "may or may not have happened" "... says the call may have happened"
bounded 12 leader --hosts "$SILENT" --timeout 2secs
is "$rc" 1 "accept-then-silence on /vars: leader fails (1) within the bound"
like "$out$err" "$SILENT.*unreachable|$SILENT \(" "... and names the silent host"

# ---- a slow drip: bytes keep coming, slower than --timeout allows ----
start drip --drip 0.3
bounded 12 backups --scheduler "$URL_drip" --timeout 2secs
is "$rc" 1 "a reply dripping a byte every 0.3 s: stopped at --timeout 2secs (1)"
like "$err" "$URL_drip: no answer within 2 s" "... says it timed out"
one_line "slow drip"

# ---- malformed replies: exit 65 ----
start garbage --garbage
bounded 12 backups --scheduler "$URL_garbage"
is "$rc" 65 "a reply that is not JSON: malformed (65)"
like "$err" "$URL_garbage.*bad reply at byte [0-9]+" "... says where the reply broke"
one_line "broken JSON"
start wname --wrong-name
bounded 12 backups --scheduler "$URL_wname"
is "$rc" 65 "a reply to another method: malformed (65)"
like "$err" "an answer to getVersion, not to listBackups" "... names both methods"
bounded 12 unload --scheduler "$URL_wname"
is "$rc" 4 "a change answered by a reply to another method is not taken as done: outcome unknown (4)"
start wseq --wrong-seqid
bounded 12 backups --scheduler "$URL_wseq"
is "$rc" 65 "a reply with another sequence id: malformed (65)"
like "$err" "sequence id 7, the call's was 0" "... says so"

# ---- a huge reply over --max-reply: refused early, memory bounded ----
start huge --huge $((256 * 1024 * 1024))
maxrss() {		# maxrss ARGS...: run the tool (stderr in $T/.err), print "rc maxrss_kb"
	timeout 60 "$PY" -c 'import resource, subprocess, sys
p = subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=open(sys.argv[1], "w"))
print(p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$T/.err" "$AR" --root "$T/root" "$@"
}
set -- $(maxrss backups --scheduler "$URL_huge" --max-reply 1000000 --timeout 30secs)
err=$(cat "$T/.err")
is "$1" 65 "a 256 MiB reply with --max-reply 1000000: refused (65)"
like "$err" "larger than 1000000 bytes \(--max-reply\)" "... says it is over --max-reply"
if [ "${2:-999999}" -lt 65536 ]; then ok "... peak memory ${2} KiB (under 64 MiB for a 256 MiB reply)"
else not_ok "... peak memory under 64 MiB" "maxrss ${2:-?} KiB"; fi
echo "# huge reply: peak RSS $2 KiB"

# ---- 307: never followed, a loop included ----
start target --record "$T/target.calls"
start redir --redirect "$URL_target"
: >"$T/target.calls"
bounded 12 backups --scheduler "$URL_redir"
is "$rc" 3 "307 to another scheduler: refused, not the leader (3)"
like "$err" "$URL_redir is not the leading scheduler \(it redirects to $URL_target/api\)" "... names both"
is "$(cat "$T/target.calls")" "" "... and the redirect is not followed"
start self --redirect self
bounded 12 unload --scheduler "$URL_self"
is "$rc" 3 "307 to itself (a loop): refused at the first answer (3)"
like "$err" "$URL_self is not the leading scheduler \(it redirects to $URL_self/api\)" "... names it"
one_line "307 loop"

# ---- 503 ----
start s503 --status-503
bounded 12 backups --scheduler "$URL_s503"
is "$rc" 1 "503: failed (1)"
like "$err" "$URL_s503: no leading scheduler \(HTTP 503\)" "... says so"

# ---- https spoken to a plain http port ----
bounded 12 backups --scheduler "${URL_target/http:/https:}" --timeout 2secs
is "$rc" 1 "https to a plain http port: failed (1)"
like "$err" "${URL_target/http:/https:}: .*(SSL|TLS|ssl|tls)" "... names the TLS failure"

done_testing
