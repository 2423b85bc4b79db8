# The audit trail reaches syslog: inside a private mount namespace /dev is
# a fresh tmpfs whose /dev/log is a datagram socket this test reads, so
# the machine's own logging is never touched.
# min-checks: 5
. "$SRCDIR/tests/lib.sh"
PY=/usr/bin/python3
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$T"' EXIT

if ! unshare -m true 2>/dev/null; then
	not_ok "unshare -m works here (needed to give the tool a private /dev/log)"
	done_testing; exit
fi
"$PY" - "$T/log.sock" "$T/syslog.txt" <<'EOP' &
import os, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(60)
with open(sys.argv[2], "ab", buffering=0) as out:
    while True:
        try:
            out.write(s.recv(65536) + b"\n")
        except socket.timeout:
            break
EOP
pids+=($!)
mkdir -p "$T/backups"
"$PY" "$SRCDIR/tests/scheduler/scheduler.py" --host 127.0.0.15 --port 0 --backup-dir "$T/backups" \
	--lifecycle LEADER_AWAITING_REGISTRATION --leader --cluster example >"$T/s.out" 2>/dev/null &
pids+=($!)
for i in $(seq 100); do grep -q LISTENING "$T/s.out" 2>/dev/null && [ -S "$T/log.sock" ] && break; sleep 0.1; done
URL=http://$(sed -n 's/^LISTENING //p' "$T/s.out")
mkdir -p "$T/root"
unshare -m bash -c '
	mount -t tmpfs none /dev || exit 97
	mknod -m 666 /dev/null c 1 3; mknod -m 666 /dev/urandom c 1 9
	touch /dev/log && mount --bind "$1" /dev/log || exit 98
	exec "$2" --root "$3" backup-now --scheduler "$4"' _ "$T/log.sock" "$AR" "$T/root" "$URL" \
	>"$T/.out" 2>"$T/.err"
is "$?" 0 "backup-now with a private /dev/log exits 0"
for i in $(seq 50); do grep -q performBackup "$T/syslog.txt" 2>/dev/null && break; sleep 0.1; done
line=$(grep performBackup "$T/syslog.txt" 2>/dev/null)
like "$line" "aurora-restore\[[0-9]+\]: " "the audit line is in syslog under the program's name and pid"
like "$line" "\"call\":\"performBackup\".*\"scheduler\":\"$URL\".*\"outcome\":\"ok\"" "... with the call, the scheduler and the outcome"
like "$line" "\"user\":\"[^\"]+\"" "... and who made it"
like "$(cat "$T/root/var/lib/aurora-restore/audit.log")" "\"call\":\"performBackup\"" "the same record is in audit.log"
done_testing
