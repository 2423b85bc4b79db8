#!/bin/bash
# tests/t-zk-faults.sh: `leader` against a real ZooKeeper (tests/zk.sh) that
# misbehaves in ways t-zk.sh and t-recovery.sh do not already show (see
# RELIABILITY.md, "ZooKeeper faults"): the server killed (SIGKILL) in the
# middle of a session, a session that expires while the tool waits (a proxy
# holds the connection until the server has dropped the session), digest
# authentication refused by the server (its digest provider disabled:
# libzookeeper's AUTH_FAILED state), and, through the command line, a missing
# path and garbage node data. Each: the contract's exit status, one line
# naming the endpoints, no secret shown, no hang (timeout(1) bounds each run).
# min-checks: 24
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/zk.sh"

PY=/usr/bin/python3
proxy=
stop_pid() { [ -n "$1" ] && kill "$1" 2>/dev/null; [ -n "$1" ] && wait "$1" 2>/dev/null; }
cleanup() {
	stop_pid "$proxy"
	zk_stop
	rm -rf "$T"
}
trap cleanup EXIT

R=$T/root
mkdir -p "$R/etc/default" "$R/etc/aurora"
cp "$EXAMPLES/packaging-clusters.json" "$R/etc/aurora/clusters.json"
host_flags() {		# host_flags ZK_PORT: this host's flags point at that ZooKeeper
	sed -e "s|^ZK_ENDPOINTS=.*|ZK_ENDPOINTS=\"127.0.0.1:$1\"|" \
	    -e 's|^EXTRA_SCHEDULER_ARGS=.*|EXTRA_SCHEDULER_ARGS="-zk_digest_credentials=aurora:zk-s3cret-pw"|' \
	    "$EXAMPLES/debian-aurora-scheduler.default" >"$R/etc/default/aurora-scheduler"
}
bounded() {		# bounded SECS ARGS...: the tool under timeout(1); sets rc out err
	timeout "$1" "$AR" --root "$R" "${@:2}" >"$T/.out" 2>"$T/.err"
	rc=$?; out=$(cat "$T/.out"); err=$(cat "$T/.err")
}
one_line() {
	if [ "$(printf '%s\n' "$err" | wc -l)" = 1 ]; then ok "$1: one line on stderr"
	else not_ok "$1: one line on stderr" "$err"; fi
}
no_secret() {
	if printf '%s%s' "$out" "$err" | grep -q 'zk-s3cret-pw'; then not_ok "$1: the digest password is not shown" "$err"
	else ok "$1: the digest password is not shown"; fi
}

# The proxy: "kill" passes the first handshake, writes $T/connected and holds
# the session's requests until $T/go, then drops the connection and relays
# the reconnections; "expire" passes the first handshake, goes silent,
# refuses reconnections for HOLD seconds, then relays them (the server
# answers: session expired).
start_proxy() {		# start_proxy MODE [HOLD]
	rm -f "$T/proxy.port" "$T/connected" "$T/go"
	"$PY" - "$1" "$ZK_PORT" "$T" "${2:-0}" >/dev/null 2>"$T/proxy.err" <<'PROXY' &
import os, socket, sys, threading, time
mode, up, d, hold = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
ls = socket.socket(); ls.bind(("127.0.0.1", 0)); ls.listen(16)
open(d + "/proxy.port.tmp", "w").write("%d\n" % ls.getsockname()[1])
os.rename(d + "/proxy.port.tmp", d + "/proxy.port")
end = time.time() + 120
def pipe(a, b):
    try:
        while True:
            x = a.recv(65536)
            if not x:
                break
            b.sendall(x)
    except OSError:
        pass
    for s in (a, b):
        try: s.shutdown(socket.SHUT_RDWR)
        except OSError: pass
first, held = None, []
while time.time() < end:
    c, _ = ls.accept()
    now = time.time()
    if first is None:
        first = now
        s = socket.create_connection(("127.0.0.1", up), timeout=5)
        s.sendall(c.recv(65536)); c.sendall(s.recv(65536))
        held += [c, s]
        if mode == "kill":
            open(d + "/connected", "w").close()
            while not os.path.exists(d + "/go") and time.time() < end:
                time.sleep(0.05)
            c.close(); s.close()
    elif now >= first + hold:
        try:
            s = socket.create_connection(("127.0.0.1", up), timeout=5)
        except OSError:
            c.close(); continue
        threading.Thread(target=pipe, args=(c, s), daemon=True).start()
        threading.Thread(target=pipe, args=(s, c), daemon=True).start()
    else:
        c.close()
PROXY
	proxy=$!
	for i in $(seq 100); do [ -s "$T/proxy.port" ] && return 0; sleep 0.1; done
	return 1
}

in_session() {		# in_session NAME SECS: leader through the proxy in the background ($tool), its session up
	PP=$(cat "$T/proxy.port")
	timeout 30 "$AR" --root "$R" leader --zk "127.0.0.1:$PP" --serverset-path /aurora/scheduler \
	    --timeout "$2" >"$T/$1.out" 2>"$T/$1.err" &
	tool=$!
	for i in $(seq 200); do [ -e "$T/connected" ] && break; sleep 0.05; done
}

zk_start 2>"$T/zk.err" || bail "ZooKeeper starts" "$(cat "$T/zk.err")"
host_flags "$ZK_PORT"
"$PY" "$SRCDIR/tests/zk-nodes.py" --port "$ZK_PORT" --persistent >/dev/null 2>"$T/nodes.err" <<'EOF'
session a
curator a /aurora/scheduler 127.0.0.2
curator a /garbage/scheduler 'bad host\x01'
node a /garbage-member/scheduler/member_ '{"serviceEndpoint":'
EOF
is "$?" 0 "election nodes written"

# ---- through the command line: path missing, garbage ----
bounded 20 leader --zk "127.0.0.1:$ZK_PORT" --serverset-path /no/such/path --timeout 5secs
is "$rc" 1 "a serverset path that does not exist: failed (1)"
like "$err" "zookeeper 127.0.0.1:$ZK_PORT: /no/such/path does not exist" "... names the endpoints and the path"
one_line "path missing"
bounded 20 leader --zk "127.0.0.1:$ZK_PORT" --serverset-path /garbage/scheduler --timeout 5secs
is "$rc" 65 "an election node whose data is not a host: bad input (65)"
like "$err" '/garbage/scheduler/_c_.*not a host name or address: "bad host\\x01"' "... names the node and shows the data escaped"
one_line "garbage data"
bounded 20 leader --zk "127.0.0.1:$ZK_PORT" --serverset-path /garbage-member/scheduler --timeout 5secs
is "$rc" 65 "a member_ node that is not JSON: bad input (65)"
bounded 20 leader --serverset-path /aurora/scheduler --timeout 5secs
like "$out" "1 election node, leading: 127.0.0.2" "with the host's digest credentials the election is read"

# ---- ZooKeeper's lowest sequence and /vars disagree; [::1] keeps its port ----
HP=$((20000 + $$ % 20000)) hpids=()
printf 'scheduler_lifecycle_STORAGE_PREPARED 1\nframework_registered 0\n' >"$T/follower.vars"
for h in "127.0.0.46 --vars-file $T/follower.vars" 127.0.0.47; do
	"$PY" "$SRCDIR/tests/hostile.py" --port "$HP" --lifetime 60 --host $h >"$T/h.out" 2>&1 &
	hpids+=($!)
done
sleep 1
"$PY" "$SRCDIR/tests/zk-nodes.py" --port "$ZK_PORT" --persistent >/dev/null 2>>"$T/nodes.err" <<'EOF'
session b
curator b /disagree/scheduler 127.0.0.46
curator b /disagree/scheduler 127.0.0.47
curator b /v6/scheduler [::1]
EOF
bounded 20 leader --zk "127.0.0.1:$ZK_PORT" --serverset-path /disagree/scheduler --http-port "$HP" --timeout 5secs
is "$rc" 0 "two candidates, /vars says the second leads: found"
like "$out" "zookeeper and /vars disagree on the leader: the lowest election node names http://127.0.0.46:$HP, /vars says http://127.0.0.47:$HP leads" \
    "... and the disagreement with ZooKeeper's lowest sequence is said"
bounded 20 leader --zk "127.0.0.1:$ZK_PORT" --serverset-path /v6/scheduler --http-port "$HP" --timeout 3secs
like "$out" "http://\[::1\]:$HP " "election data [::1]: the scheduler's port kept (not 80)"
for p in "${hpids[@]}"; do stop_pid "$p"; done
no_secret "digest credentials in use"

# ---- the connection dropped in the middle of a session, the server alive ----
if start_proxy kill; then
	in_session drop 10secs
	touch "$T/go"
	wait "$tool"; rc=$?
	like "$(cat "$T/drop.out")" "zookeeper 127.0.0.1:$PP/aurora/scheduler: 1 election node, leading: 127.0.0.2" \
	    "the connection dropped mid-session: the tool reconnects, the session lives on, the election is read"
	like "$rc $(cat "$T/drop.err")" "^1 aurora-restore: no leading scheduler: http://127.0.0.2:8081" \
	    "... and the one candidate is probed (no scheduler there: exit 1)"
else
	not_ok "the proxy starts" "$(cat "$T/proxy.err")"
fi
stop_pid "$proxy"; proxy=

# ---- the server killed in the middle of a session ----
if start_proxy kill; then
	in_session kill 6secs
	[ -e "$T/connected" ]; is "$?" 0 "the tool's session is established through the proxy"
	kill -9 "$ZK_PID"; wait "$ZK_PID" 2>/dev/null
	touch "$T/go"
	wait "$tool"; rc=$?; err=$(cat "$T/kill.err") out=$(cat "$T/kill.out")
	echo "# $err"
	is "$rc" 1 "ZooKeeper killed (SIGKILL) mid-session: failed (1), within the bound"
	like "$err" "zookeeper 127.0.0.1:$PP: (no answer within 6 s|lost the connection)" "... names the endpoints and says what happened"
	one_line "killed mid-session"
	no_secret "killed mid-session"
else
	not_ok "the proxy starts" "$(cat "$T/proxy.err")"
fi
stop_pid "$proxy"; proxy=
ZK_PID=
zk_stop

# ---- a session that expires ----
if zk_start 2>"$T/zk.err" && start_proxy expire 9; then
	PP=$(cat "$T/proxy.port")
	# three endpoints (the same proxy): a 4 s session for a 12 s timeout
	bounded 30 leader --zk "127.0.0.1:$PP,127.0.0.1:$PP,127.0.0.1:$PP" --serverset-path /aurora/scheduler --timeout 12secs
	echo "# $err"
	is "$rc" 1 "the session expires while the tool waits: failed (1)"
	like "$err" "zookeeper 127.0.0.1:$PP,.*: session expired while (listing|reading|connecting)" "... says the session expired"
	one_line "session expired"
else
	not_ok "ZooKeeper and the proxy start again" "$(cat "$T/zk.err" "$T/proxy.err" 2>/dev/null)"
fi
stop_pid "$proxy"; proxy=
zk_stop

# ---- digest authentication refused (the server's digest provider off) ----
if JAVA_TOOL_OPTIONS=-Dzookeeper.DigestAuthenticationProvider.enabled=false zk_start 2>"$T/zk.err"; then
	host_flags "$ZK_PORT"
	bounded 20 leader --serverset-path /aurora/scheduler --timeout 5secs
	echo "# $err"
	is "$rc" 1 "digest authentication refused by the server: failed (1)"
	like "$err" "zookeeper 127.0.0.1:$ZK_PORT: (digest )?authentication failed" "... says authentication failed"
	one_line "authentication failed"
	no_secret "authentication failed"
else
	not_ok "ZooKeeper starts with digest authentication off" "$(cat "$T/zk.err")"
fi

done_testing
