#!/bin/bash
# tests/t-zk.sh: zk_read_election against a private ZooKeeper server
# (tests/zk.sh) holding election nodes written the way Aurora writes them
# (tests/zk-nodes.py): Curator and older singleton_candidate elections,
# member_ nodes, a chroot, digest ACLs, garbage, a missing path; then the
# server silent after the handshake (a proxy here), hung (SIGSTOP) and
# stopped, where the read must give up within its timeout plus 2 s. The
# checks themselves are $BUILDDIR/tests/unit-zk's; its TAP lines are
# renumbered into this script's.
# min-checks: 149
. "$SRCDIR/tests/lib.sh"
. "$SRCDIR/tests/zk.sh"
shopt -s extglob

UNIT=$BUILDDIR/tests/unit-zk
PY=/usr/bin/python3
holder= proxy=
stop_pid() {		# stop_pid PID: kill a child of ours and reap it
	[ -n "$1" ] || return 0
	kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}
cleanup() {
	stop_pid "$holder"
	stop_pid "$proxy"
	zk_stop
	rm -rf "$T"
}
trap cleanup EXIT

unit() {		# unit PHASE: run unit-zk, fold its TAP into ours
	local line rc plan=
	"$UNIT" "$SRCDIR" "$1" >"$T/unit.out" 2>&1
	rc=$?
	while IFS= read -r line; do
		case $line in
		"ok "*) ok "${line#ok +([0-9]) - }" ;;
		"not ok "*) not_ok "${line#not ok +([0-9]) - }" ;;
		"#"*) echo "$line" ;;
		"1.."*) plan=$line ;;
		*) echo "# $line" ;;
		esac
	done <"$T/unit.out"
	if [ "$rc" = 0 ] && [ -n "$plan" ]; then
		ok "unit-zk $1 ran to the end"
	else
		not_ok "unit-zk $1 ran to the end" "exit status $rc, plan '$plan'"
	fi
}

start_proxy() {		# a proxy to ZK_PORT: passes the handshake, then goes silent
	rm -f "$T/proxy.port"
	"$PY" - "$ZK_PORT" "$T/proxy.port" >/dev/null 2>&1 <<'PROXY' &
import os, socket, sys
ls = socket.socket()
ls.bind(("127.0.0.1", 0))
ls.listen(8)
with open(sys.argv[2] + ".tmp", "w") as f:
    f.write("%d\n" % ls.getsockname()[1])
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
held = []
while True:
    c, _ = ls.accept()
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
    c.settimeout(5)
    held.append((c, s))
    try:
        s.sendall(c.recv(65536))
        c.sendall(s.recv(65536))
    except OSError:
        pass
PROXY
	proxy=$!
	for i in $(seq 100); do
		[ -s "$T/proxy.port" ] && return 0
		sleep 0.1
	done
	return 1
}

if [ ! -x "$UNIT" ]; then
	not_ok "unit-zk is built" "missing: $UNIT"
	done_testing
	exit
fi

t0=$(date +%s%N)
zk_start 2>"$T/zk.err" || bail "ZooKeeper starts" "$(cat "$T/zk.err")"
echo "# ZooKeeper started on 127.0.0.1:$ZK_PORT ($(( ($(date +%s%N) - t0) / 1000000 )) ms)"

# One session per scheduler; the UUIDs put the lowest sequence last by name.
"$PY" "$SRCDIR/tests/zk-nodes.py" --port "$ZK_PORT" --hold "$T/ready" \
    >"$T/nodes.out" 2>"$T/nodes.err" <<'EOF' &
session s1
session s2
session s3
curator s1 /aurora/scheduler sched-a.example.com ffffffff-ffff-4fff-bfff-ffffffffffff
curator s2 /aurora/scheduler sched-b.example.com 00000000-0000-4000-8000-000000000000
curator s3 /aurora/scheduler sched-c.example.com 77777777-7777-4777-8777-777777777777
node s1 /lock/scheduler/_c_0a6e5b3c-3f6e-4d55-9b0e-5b0c86a1c7f1-lock- sched-l.example.com
node s2 /lock/scheduler/_c_1b7f6c4d-4a7f-4e66-8c1f-6c1d97b2d802-latch- sched-m.example.com

# before 0.16: commons SingletonService, data the IP; the leader's member_
singleton s2 /old/scheduler 10.0.0.2
singleton s1 /old/scheduler 10.0.0.1
member s2 /old/scheduler sched2.example.com 8081

# 0.16+ after registration: the leader's member_ among the latch nodes
curator s3 /mixed/scheduler sched-c.example.com
member s3 /mixed/scheduler sched-c.example.com 8081
curator s1 /mixed/scheduler sched-a.example.com
node s1 /mixed/scheduler/other_ x
node s1 /mixed/scheduler/member_x 'not json, not a member'
curator s1 /httponly/scheduler sched-h.example.com
member s1 /httponly/scheduler sched-h.example.com 8443 http-only
path s1 /empty/scheduler
member s1 /onlymember/scheduler sched-o.example.com 8081

curator s1 /chroot-test/aurora/scheduler sched-x.example.com
curator s2 /chroot-test/aurora/scheduler sched-y.example.com

# -zk_digest_credentials: a creator-only ACL, and Aurora's own
session d1 aurora:secret
session d2 aurora:secret
acl d1 private
acl d2 private
curator d1 /secure/scheduler sched-s.example.com
curator d2 /secure/scheduler sched-t.example.com
acl d1 aurora
curator d1 /aurora-acl/scheduler sched-r.example.com

curator s1 /garbage-space/scheduler sched-a.example.com
curator s2 /garbage-space/scheduler 'bad host'
curator s1 /garbage-ctl/scheduler 'sched\x01.example.com'
curator s1 /garbage-empty/scheduler ''
singleton s1 /garbage-unknown/scheduler '<unknown>'
node s1 /garbage-json/scheduler/member_ '{"serviceEndpoint":'
node s1 /garbage-noep/scheduler/member_ '{"status":"ALIVE"}'
node s1 /garbage-port/scheduler/member_ '{"serviceEndpoint":{"host":"h","port":0},"status":"ALIVE"}'
EOF
holder=$!
for i in $(seq 300); do
	[ -e "$T/ready" ] && break
	kill -0 "$holder" 2>/dev/null || break
	sleep 0.1
done
[ -e "$T/ready" ] || bail "election nodes written" "$(cat "$T/nodes.err")"

unit live

if start_proxy; then
	ZK_PORT=$(cat "$T/proxy.port") unit stall
else
	not_ok "the stalling proxy starts"
fi
stop_pid "$proxy"
proxy=

kill -STOP "$ZK_PID"
unit down
kill -CONT "$ZK_PID"

stop_pid "$holder"
holder=
port=$ZK_PORT
zk_stop
ZK_PORT=$port unit down

done_testing
