# tests/zk.sh: sourced by tests that need a private ZooKeeper server.
#
#   . "$SRCDIR/tests/zk.sh"
#   zk_start || exit 1     # sets ZK_PORT, ZK_PID, ZK_DIR; 127.0.0.1 only
#   ...
#   zk_stop                # kills it by PID, removes ZK_DIR
#
# The server is Debian's zookeeper package run by hand with a config of
# its own (aurora-facts.md, section 9): data in a temporary directory,
# a free port on 127.0.0.1, no admin server. Nothing under /etc/zookeeper
# or /var/lib/zookeeper is read or written. zk_start waits at most
# ZK_START_TIMEOUT seconds (30) for a client to connect; the caller's trap
# should call zk_stop.

ZK_PY=/usr/bin/python3
ZK_PORT= ZK_PID= ZK_DIR=

_zk_free_port() {
	"$ZK_PY" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

_zk_config() {		# _zk_config PORT: the config and the logging setup
	cat >"$ZK_DIR/zoo.cfg" <<EOF
tickTime=2000
dataDir=$ZK_DIR/data
clientPort=$1
clientPortAddress=127.0.0.1
admin.enableServer=false
maxClientCnxns=0
EOF
	cat >"$ZK_DIR/conf/log4j.properties" <<EOF
log4j.rootLogger=WARN, CONSOLE
log4j.appender.CONSOLE=org.apache.log4j.ConsoleAppender
log4j.appender.CONSOLE.layout=org.apache.log4j.PatternLayout
log4j.appender.CONSOLE.layout.ConversionPattern=%d %-5p %m%n
EOF
}

_zk_client_ok() {	# a kazoo session can be opened within 2 s
	"$ZK_PY" - "$ZK_PORT" <<'EOF' >/dev/null 2>&1
import logging, sys
logging.disable(logging.CRITICAL)
from kazoo.client import KazooClient
k = KazooClient(hosts="127.0.0.1:" + sys.argv[1], timeout=2)
k.start(timeout=2)
k.get_children("/")
k.stop()
k.close()
EOF
}

_zk_wait_up() {		# _zk_wait_up DEADLINE(epoch s): 0 once a client connects
	while [ "$(date +%s)" -lt "$1" ]; do
		kill -0 "$ZK_PID" 2>/dev/null || return 1
		if (exec 3<>"/dev/tcp/127.0.0.1/$ZK_PORT") 2>/dev/null && _zk_client_ok; then
			return 0
		fi
		sleep 0.2
	done
	return 1
}

zk_start() {		# zk_start: 0 with the server up, else 1 (log on stderr)
	local deadline tries
	ZK_DIR=$(mktemp -d "${T:-${TMPDIR:-/tmp}}/zk.XXXXXX") || return 1
	mkdir -p "$ZK_DIR/data" "$ZK_DIR/conf"
	deadline=$(($(date +%s) + ${ZK_START_TIMEOUT:-30}))
	for tries in 1 2 3; do
		ZK_PORT=$(_zk_free_port) || return 1
		_zk_config "$ZK_PORT"
		java -Xmx256m -XX:+UseSerialGC -XX:-UsePerfData \
		    -Dzookeeper.admin.enableServer=false \
		    -cp "$ZK_DIR/conf:/usr/share/java/*" \
		    org.apache.zookeeper.server.quorum.QuorumPeerMain "$ZK_DIR/zoo.cfg" \
		    </dev/null >"$ZK_DIR/server.log" 2>&1 &
		ZK_PID=$!
		if _zk_wait_up "$deadline"; then
			export ZK_PORT ZK_PID ZK_DIR
			return 0
		fi
		kill -0 "$ZK_PID" 2>/dev/null && break	# alive but silent: give up
		wait "$ZK_PID" 2>/dev/null		# died (port taken?): retry
	done
	echo "zk.sh: ZooKeeper did not come up on 127.0.0.1:$ZK_PORT" >&2
	tail -20 "$ZK_DIR/server.log" >&2
	zk_stop
	return 1
}

zk_stop() {		# zk_stop: kill the server by its PID, remove its files
	local i
	if [ -n "$ZK_PID" ]; then
		kill -CONT "$ZK_PID" 2>/dev/null
		kill "$ZK_PID" 2>/dev/null
		for i in $(seq 100); do
			kill -0 "$ZK_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$ZK_PID" 2>/dev/null
		wait "$ZK_PID" 2>/dev/null
		ZK_PID=
	fi
	[ -n "$ZK_DIR" ] && rm -rf "$ZK_DIR"
	ZK_DIR=
}
