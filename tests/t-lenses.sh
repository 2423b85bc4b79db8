#!/bin/bash
# t-lenses.sh: the Augeas lenses in lenses/: their augparse unit tests, and
# byte-for-byte round trips of the real Aurora files through them with
# tests/lensrt (aug_text_store + aug_text_retrieve, as aurora-restore does).

# min-checks: 66
. "$SRCDIR/tests/lib.sh"

LENSES=$SRCDIR/lenses
EX=$SRCDIR/tests/data/aurora-examples
LENSRT=$BUILDDIR/tests/lensrt

rt() {			# rt LENS FILE [SUBPATH SUBLENS]: round trip, exit 0
	"$LENSRT" -I "$LENSES" "$@"
}
fails_65() {		# fails_65 LENS FILE [SUBPATH SUBLENS]: a parse error
	"$LENSRT" -I "$LENSES" "$@" >"$T/.f65.out" 2>&1
	_rc=$?
	if [ "$_rc" -eq 65 ] && grep -q 'parse error at line [0-9]* char [0-9]*: ' "$T/.f65.out"; then
		return 0
	fi
	echo "exit $_rc: $(cat "$T/.f65.out")"
	return 1
}
has_node() {		# has_node LENS FILE 'PATH = "VALUE"' : lensrt -p prints it
	"$LENSRT" -I "$LENSES" -p "$1" "$2" >"$T/.tree" || return 1
	grep -qxF -- "$3" "$T/.tree" || { echo "no line: $3"; cat "$T/.tree"; return 1; }
}
same_tree() {		# same_tree LENS1 LENS2 FILE: lensrt -p prints the same tree
	"$LENSRT" -I "$LENSES" -p "$1" "$3" >"$T/.t1" || return 1
	"$LENSRT" -I "$LENSES" -p "$2" "$3" >"$T/.t2" || return 1
	diff "$T/.t1" "$T/.t2"
}
parses_like() {		# parses_like LENS1 LENS2 FILE: LENS2 gives LENS1's tree, or a parse error
	"$LENSRT" -I "$LENSES" -p "$1" "$3" >"$T/.t1" 2>&1 || return 1
	"$LENSRT" -I "$LENSES" -p "$2" "$3" >"$T/.t2" 2>&1; _r2=$?
	[ "$_r2" -eq 0 ] && { diff "$T/.t1" "$T/.t2"; return; }
	[ "$_r2" -eq 65 ] && grep -q 'parse error at line [0-9]* char [0-9]*: ' "$T/.t2" && return 0
	echo "exit $_r2"; cat "$T/.t2"; return 1
}

# 1. augparse unit tests (typechecking on)
if command -v augparse >/dev/null 2>&1; then
	for t in "$LENSES"/tests/test_*.aug; do
		check "augparse $(basename "$t")" augparse -I "$LENSES" "$t"
	done
else
	skip "augparse unit tests" "augparse not installed"
fi

if [ ! -x "$LENSRT" ]; then
	not_ok "tests/lensrt is built" "missing: $LENSRT"
	done_testing
	exit
fi

# 2. The example files, and the command lines inside them
check "Debian /etc/default round trip, EXTRA_SCHEDULER_ARGS words" \
	rt AuroraShell.lns "$EX/debian-aurora-scheduler.default" \
	/tree/EXTRA_SCHEDULER_ARGS AuroraArgs.lns
check "Debian /etc/default: every value parses as words" \
	rt AuroraShell.lns "$EX/debian-aurora-scheduler.default" \
	"/tree/*[label() != '#comment']" AuroraArgs.lns
check "Debian /etc/default: CLUSTER_NAME raw" \
	has_node AuroraShell.lns "$EX/debian-aurora-scheduler.default" \
	'/tree/CLUSTER_NAME = "\"example\""'
check "Debian /etc/default round trip (AuroraDefault), EXTRA_SCHEDULER_ARGS words" \
	rt AuroraDefault.lns "$EX/debian-aurora-scheduler.default" \
	/tree/EXTRA_SCHEDULER_ARGS AuroraArgs.lns
check "Debian /etc/default: AuroraDefault and AuroraShell trees are the same" \
	same_tree AuroraShell.lns AuroraDefault.lns "$EX/debian-aurora-scheduler.default"
check "Debian /etc/default: CLUSTER_NAME raw (AuroraDefault)" \
	has_node AuroraDefault.lns "$EX/debian-aurora-scheduler.default" \
	'/tree/CLUSTER_NAME = "\"example\""'
check "RPM /etc/sysconfig round trip" \
	rt AuroraShell.lns "$EX/rpm-aurora-scheduler.sysconfig"
check "RPM AURORA_FLAGS words are flag nodes" \
	has_node AuroraShell.lns "$EX/rpm-aurora-scheduler.sysconfig" \
	"/tree/AURORA_FLAGS/cluster_name = \"'example'\""
check "RPM AURORA_FLAGS quoted value with a blank" \
	has_node AuroraShell.lns "$EX/rpm-aurora-scheduler.sysconfig" \
	"/tree/AURORA_FLAGS/thermos_executor_flags = \"'--announcer-ensemble 127.0.0.1:2181'\""
check "RPM JAVA_OPTS: -server flag, -D word" \
	has_node AuroraShell.lns "$EX/rpm-aurora-scheduler.sysconfig" \
	"/tree/JAVA_OPTS/#arg = \"-Djava.library.path='/usr/lib;/usr/lib64'\""
n=$("$LENSRT" -I "$LENSES" -p AuroraShell.lns "$EX/rpm-aurora-scheduler.sysconfig" |
	grep -c '^/tree/AURORA_FLAGS/[a-z]')
is "$n" 12 "RPM AURORA_FLAGS holds 12 flags"

check "systemd unit round trip, ExecStart words" \
	rt AuroraSystemd.lns "$EX/vagrant-aurora-scheduler.service" \
	/tree/Service/ExecStart AuroraArgs.lns
check "systemd unit: Environment= values (continued) as words" \
	rt AuroraSystemd.lns "$EX/vagrant-aurora-scheduler.service" \
	/tree/Service/Environment AuroraArgs.lns
"$LENSRT" -I "$LENSES" -p AuroraSystemd.lns "$EX/vagrant-aurora-scheduler.service" \
	/tree/Service/ExecStart AuroraArgs.lns >"$T/svc.tree" 2>&1
like "$(grep -c '^/subtree/[a-z]' "$T/svc.tree")" '^29$' "ExecStart has 29 flags"
like "$(grep '^/subtree/thermos_executor_flags' "$T/svc.tree")" \
	'= "\\"--announcer-ensemble localhost:2181 .*containerizer\\""$' \
	"ExecStart -thermos_executor_flags keeps its quotes"

check "upstart job round trip, exec words" \
	rt AuroraUpstart.lns "$EX/vagrant-upstart-aurora-scheduler.conf" \
	/tree/exec AuroraArgs.lns

for f in packaging-clusters.json vagrant-clusters.json vagrant-clusters-direct.json; do
	check "$f round trip (Json.lns)" rt Json.lns "$EX/$f"
done
printf '{"devcluster": {"name": "devcluster", "zk": "192.168.33.7",\n  "scheduler_zk_path": "/aurora/scheduler"}}\n' >"$T/dict.json"
check "clusters.json as a dict round trip" rt Json.lns "$T/dict.json"
for f in packaging-clusters.json vagrant-clusters.json vagrant-clusters-direct.json; do
	check "$f round trip (AuroraClusters)" rt AuroraClusters.lns "$EX/$f"
	check "$f: AuroraClusters and Json.lns trees are the same" \
		same_tree Json.lns AuroraClusters.lns "$EX/$f"
done
check "clusters.json as a dict round trip (AuroraClusters)" rt AuroraClusters.lns "$T/dict.json"
check "clusters.json as a dict: same tree as Json.lns" \
	same_tree Json.lns AuroraClusters.lns "$T/dict.json"
check "clusters.json scheduler_zk_path (AuroraClusters)" \
	has_node AuroraClusters.lns "$EX/vagrant-clusters.json" \
	'/tree/array/dict/entry[3]/string = "/aurora/scheduler"'
printf '[{"name":"a","zk":"b"},{"name":"c\\"\\\\\\u00e9","port":8081,"x":true,"y":null,"z":-1.5e3}]' >"$T/compact.json"
check "compact clusters.json, escapes, numbers: same tree as Json.lns" \
	same_tree Json.lns AuroraClusters.lns "$T/compact.json"
check "compact clusters.json round trip (AuroraClusters)" rt AuroraClusters.lns "$T/compact.json"
printf ' \t[\n{ "name"\n:\t"a" ,"zk" : "b"\n}\n,{"name":"c"}  ]\n\n' >"$T/spaced.json"
check "clusters.json with whitespace everywhere: same tree as Json.lns" \
	same_tree Json.lns AuroraClusters.lns "$T/spaced.json"
printf '[{"name": "a", "nested": {"x": 1}, "l": [{"y": "z"}]}]\n' >"$T/nested.json"
check "clusters.json with nested objects: same tree as Json.lns, or a parse error" \
	parses_like Json.lns AuroraClusters.lns "$T/nested.json"
printf '[{"name": "b", "l": [1, 2]}]\n' >"$T/nested2.json"
check "clusters.json with a nested array: same tree as Json.lns, or a parse error" \
	parses_like Json.lns AuroraClusters.lns "$T/nested2.json"

cat >"$T/scheduler.flags" <<'EOF'
# flags for @argfile
-cluster_name=devcluster

  # indented comment
-thermos_executor_flags=--announcer-ensemble localhost:2181
-enable_h2_console
 -not_a_flag=1
EOF
check "@argfile round trip" rt AuroraArgfile.lns "$T/scheduler.flags"
check "@argfile: value with a blank" has_node AuroraArgfile.lns "$T/scheduler.flags" \
	'/tree/thermos_executor_flags = "--announcer-ensemble localhost:2181"'

# 3. Files without a final newline
for x in debian-aurora-scheduler.default:AuroraShell rpm-aurora-scheduler.sysconfig:AuroraShell \
	vagrant-aurora-scheduler.service:AuroraSystemd \
	vagrant-upstart-aurora-scheduler.conf:AuroraUpstart \
	packaging-clusters.json:Json debian-aurora-scheduler.default:AuroraDefault \
	packaging-clusters.json:AuroraClusters; do
	f=${x%%:*} l=${x#*:}
	head -c -1 "$EX/$f" >"$T/nonl-$f"
	check "$f without its final newline ($l)" rt "$l.lns" "$T/nonl-$f"
done
printf -- '-a=1\n-b' >"$T/nonl.flags"
check "@argfile without its final newline" rt AuroraArgfile.lns "$T/nonl.flags"

# 4. Broken input is a parse error (exit 65)
sed 's/^EXTRA_SCHEDULER_ARGS=""/EXTRA_SCHEDULER_ARGS="-http_port=8081/' \
	"$EX/debian-aurora-scheduler.default" >"$T/unterminated.default"
check "unterminated quote in EXTRA_SCHEDULER_ARGS" \
	fails_65 AuroraShell.lns "$T/unterminated.default"
sed "s/^EXTRA_SCHEDULER_ARGS=\"\"/EXTRA_SCHEDULER_ARGS=\"-cluster_name='x\"/" \
	"$EX/debian-aurora-scheduler.default" >"$T/inner.default"
check "unterminated quote inside EXTRA_SCHEDULER_ARGS words" \
	fails_65 AuroraShell.lns "$T/inner.default" /tree/EXTRA_SCHEDULER_ARGS AuroraArgs.lns
sed '$d' "$EX/rpm-aurora-scheduler.sysconfig" >"$T/noparen.sysconfig"
check "array without its closing paren" \
	fails_65 AuroraShell.lns "$T/noparen.sysconfig"
sed 's/^User=root$/User=root\nthis is not a unit line/' \
	"$EX/vagrant-aurora-scheduler.service" >"$T/garbage.service"
check "garbage line in a unit" fails_65 AuroraSystemd.lns "$T/garbage.service"
printf 'script\n  exec /bin/x\n' >"$T/noend.conf"
check "script without end script" fails_65 AuroraUpstart.lns "$T/noend.conf"
printf '[{"name": "x",}]\n' >"$T/comma.json"
check "clusters.json with a trailing comma" fails_65 Json.lns "$T/comma.json"
check "clusters.json with a trailing comma (AuroraClusters)" \
	fails_65 AuroraClusters.lns "$T/comma.json"
printf '[\n  {"name": "example", "zk": "127.0.0.1"},\n]\n' >"$T/comma2.json"
check "clusters.json with a trailing comma after a cluster (AuroraClusters)" \
	fails_65 AuroraClusters.lns "$T/comma2.json"
"$LENSRT" -I "$LENSES" AuroraClusters.lns "$T/comma2.json" 2>"$T/msg1"
"$LENSRT" -I "$LENSES" Json.lns "$T/comma2.json" 2>"$T/msg2"
is "$(cat "$T/msg1")" "$(cat "$T/msg2")" "AuroraClusters and Json.lns report the same parse error"
check "unterminated quote (AuroraDefault)" \
	fails_65 AuroraDefault.lns "$T/unterminated.default"
check "a bash array is a parse error for AuroraDefault" \
	fails_65 AuroraDefault.lns "$EX/rpm-aurora-scheduler.sysconfig"

"$LENSRT" -I "$LENSES" AuroraShell.lns "$T/noparen.sysconfig" 2>"$T/msg"
like "$(cat "$T/msg")" "^$T/noparen.sysconfig: parse error at line [0-9]+ char [0-9]+: " \
	"parse error message names file, line and char"
"$LENSRT" -I "$LENSES" NoSuchLens.lns "$EX/vagrant-clusters.json" 2>/dev/null
is "$?" 2 "an unknown lens is not a parse error"

# Installed in Augeas's own search path, our lenses take no file away from
# other tools: augtool still reads /etc/default/aurora-scheduler with
# Shellvars and clusters.json is nobody's, with no load error anywhere.
if command -v augtool >/dev/null 2>&1; then
	mkdir -p "$T/aug/etc/default"
	cp "$EX/debian-aurora-scheduler.default" "$T/aug/etc/default/aurora-scheduler"
	got=$(augtool -I "$LENSES" -r "$T/aug" print /files/etc/default/aurora-scheduler/CLUSTER_NAME 2>&1)
	is "$got" '/files/etc/default/aurora-scheduler/CLUSTER_NAME = "\"example\""' \
		"augtool with our lenses on its path still reads the Debian file with Shellvars"
	is "$(augtool -I "$LENSES" -r "$T/aug" match '/augeas//error' 2>&1)" "  (no matches)" \
		"augtool with our lenses on its path: no load errors (no autoload transform claims a file)"
else
	not_ok "augtool is installed (augeas-tools)"
fi

done_testing
