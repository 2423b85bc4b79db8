# tests/t-quickstart.sh: examples/quickstart.sh from a fresh copy of
# examples/, with the built binary (AURORA_RESTORE: nothing installed or
# built). It exits 0, its log-reinit moves the example host's log (12
# entries) aside, and every command it echoes can be pasted: each line is
# valid shell, and pasted in order against a fresh copy of the example host
# each exits 0 and does what the quick start did (the apply's reason
# arrives whole, log-reinit moves a log aside again).
# min-checks: 15
# allow-skip: not root -- the quick start gives the example's log to user aurora (998)
. "$SRCDIR/tests/lib.sh"

[ "$(id -u)" = 0 ] || skip_all "not root"
PY=/usr/bin/python3
mkdir -p "$T/src" "$T/tmp"
cp -a "$SRCDIR/examples" "$T/src/"

AURORA_RESTORE=$AR TMPDIR=$T/tmp sh "$T/src/examples/quickstart.sh" >"$T/qs.out" 2>"$T/qs.err"
is "$?" 0 "the quick start exits 0"
hosts=$(ls -d "$T"/tmp/aurora-example-host.* 2>/dev/null)
[ "$(printf '%s\n' "$hosts" | grep -c .)" = 1 ] || bail "one example host in TMPDIR" "$hosts" "$(cat "$T/qs.err")"
H=$hosts
DBDIR=$H/var/lib/aurora/scheduler
like "$(cat "$T/qs.out")" "every file is back byte for byte" "the quick start: every file back"
like "$(cat "$T/qs.out")" "remove it with: rm -rf $H" "the quick start: says the host stays and how to remove it"
like "$(cat "$T/qs.out")" "aurora-restore help" "the quick start: ends with what to read next"

# j PY-EXPR on $T/.out (o: the JSON object)
j() { "$PY" -c 'import json,sys; o=json.load(open(sys.argv[1])); print('"$1"')' "$T/.out" 2>&1; }
aside=$(cd "$DBDIR" && ls -d db.aside-* 2>/dev/null)
is "$(printf '%s\n' "$aside" | grep -c .)" 1 "log-reinit moved one log aside"
run --root "$H" --json log-status "/var/lib/aurora/scheduler/$aside"
is "$(j 'o["state"], o["entries"]')" "VOTING 12" "the log moved aside is the example's, 12 entries"
run --root "$H" --json log-status
is "$(j 'o["state"], o["entries"]')" "VOTING 0" "the log in place is a new one: VOTING, no entries"

# The echoed commands: each valid shell, each pasted in order onto a fresh host.
grep '^\$ ' "$T/qs.out" | sed 's/^\$ //' >"$T/lines"
is "$(cut -d' ' -f4 "$T/lines" | tr '\n' ' ')" "diff apply verify log-status log-reinit log-status status revert " \
	"the quick start echoes its eight commands"
bad=
while IFS= read -r line; do bash -n -c "$line" 2>/dev/null || bad="$bad [$line]"; done <"$T/lines"
is "$bad" "" "every echoed line is valid shell"
rm -rf "$H" && cp -a "$SRCDIR/examples/debian-host/." "$H/"
n=0
while IFS= read -r line; do
	n=$((n + 1))
	bash -c "$line" >"$T/paste.$n" 2>&1 </dev/null
	echo "$?" >"$T/paste.$n.rc"
done <"$T/lines"
is "$(cat "$T"/paste.[1-8].rc | tr '\n' ' ')" "0 0 0 0 0 0 0 0 " "every pasted command exits 0"
like "$(cat "$T/paste.2")" "^applied profile recovery" "pasted apply: applied"
like "$(cat "$T/paste.7")" "\(reason: quick start\)" "pasted status: the apply's reason arrived whole"
like "$(cat "$T/paste.5")" "moved /var/lib/aurora/scheduler/db aside to /var/lib/aurora/scheduler/db\.aside-" \
	"pasted log-reinit: moved the log aside"
is "$(cd "$DBDIR" && ls -d db.aside-* | grep -c .)" 1 "pasted log-reinit: the fresh host's log is aside"
like "$(cat "$T/paste.8")" "^reverted profile recovery" "pasted revert: reverted"

done_testing
