#!/bin/bash
# tests/t-badinput.sh: bad inputs the fixture-case format cannot express:
# files root cannot write (a read-only bind mount), files a non-root run
# cannot read or write (setpriv), a corrupt or foreign journal (the case
# driver deletes the journal before comparing), and error messages that hold
# a path outside the root. Each: the exit status, one stderr line naming the
# file, nothing written.
# min-checks: 98
# allow-skip: unshare -m is not permitted here -- a container without mount namespaces
# allow-skip: setpriv to uid 65534 is not permitted here -- a container that cannot change user
# allow-skip: unshare -n is not permitted here -- a container without network namespaces
. "$SRCDIR/tests/lib.sh"

ADV=sched1.example.com
DEF=etc/default/aurora-scheduler
CL=etc/aurora/clusters.json
printf 'advertised_host = "%s";\nsystemctl = "/bin/true";\n' "$ADV" >"$T/ar.conf"
chmod 0755 "$T"
chmod 0644 "$T/ar.conf"

fullsnap() {
	(cd "$1" && find . -printf '%p %y %m %u:%g %T@\n' | LC_ALL=C sort &&
		find . -type f -exec sha256sum {} + | LC_ALL=C sort -k2)
}
fresh() {		# fresh NAME: a Debian host at $R
	R=$T/$1
	mkdir -p "$R/etc/default" "$R/etc/aurora" "$R/run"
	cp "$EXAMPLES/debian-aurora-scheduler.default" "$R/$DEF"
	cp "$EXAMPLES/packaging-clusters.json" "$R/$CL"
	chmod 0644 "$R/$DEF" "$R/$CL"
	touch "$R/run/aurora-restore.lock"	# so that taking the lock writes nothing new
	chmod -R a+rX "$R"
}
one_line() {		# one_line DESC: $err is exactly one line
	is "$(printf '%s\n' "$err" | wc -l)" 1 "$1: the error is one line"
}

# ---- read-only: root cannot write /etc/default (a read-only bind mount) ----
fresh ro
s=$(fullsnap "$R")
if unshare -m true 2>/dev/null; then
	unshare -m bash -c 'mount --bind -o ro "$1/etc/default" "$1/etc/default" &&
		exec "$AR" --root "$1" --config "$2" apply' ro "$R" "$T/ar.conf" >"$T/out" 2>"$T/err"
	rc=$? err=$(cat "$T/err")
	is "$rc" 1 "read-only /etc/default: apply exits 1"
	like "$err" "/etc/default/aurora-scheduler.*Read-only file system" "read-only /etc/default: the error names the file and why"
	one_line "read-only /etc/default"
	is "$(fullsnap "$R")" "$s" "read-only /etc/default: nothing written, clusters.json included, no journal"
else
	skip "read-only bind mount" "unshare -m is not permitted here"
fi

# ---- non-root: a flags file it cannot write, a file it cannot read ----
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
if "${NOBODY[@]}" true 2>/dev/null; then
	fresh nonroot
	chown 65534:65534 "$R/run" "$R/run/aurora-restore.lock"
	s=$(fullsnap "$R")
	"${NOBODY[@]}" "$AR" --root "$R" --config "$T/ar.conf" apply >"$T/out" 2>"$T/err"
	rc=$? err=$(cat "$T/err")
	is "$rc" 1 "not writable by the user: apply exits 1"
	like "$err" "/etc/default/aurora-scheduler.*Permission denied" "not writable by the user: the error names the file"
	one_line "not writable by the user"
	is "$(fullsnap "$R")" "$s" "not writable by the user: nothing written"

	fresh unreadable
	chown 65534:65534 "$R/run" "$R/run/aurora-restore.lock"
	chmod 0600 "$R/$DEF"
	s=$(fullsnap "$R")
	"${NOBODY[@]}" "$AR" --root "$R" --config "$T/ar.conf" apply >"$T/out" 2>"$T/err"
	rc=$? err=$(cat "$T/err")
	is "$rc" 1 "unreadable flags file: apply exits 1"
	like "$err" "cannot read .*/etc/default/aurora-scheduler: Permission denied" "unreadable flags file: the error names the file"
	one_line "unreadable flags file"
	is "$(fullsnap "$R")" "$s" "unreadable flags file: nothing written"

	fresh unreadable-clusters
	chown 65534:65534 "$R/run" "$R/run/aurora-restore.lock" "$R/$DEF"
	chmod 0600 "$R/$CL"
	s=$(fullsnap "$R")
	"${NOBODY[@]}" "$AR" --root "$R" --config "$T/ar.conf" --check apply >"$T/out" 2>"$T/err"
	rc=$? err=$(cat "$T/err")
	is "$rc" 1 "unreadable clusters.json: --check apply exits 1"
	like "$err" "/etc/aurora/clusters.json: Permission denied" "unreadable clusters.json: the error names the file"
	is "$(fullsnap "$R")" "$s" "unreadable clusters.json: nothing written"
else
	skip "a non-root user" "setpriv to uid 65534 is not permitted here"
fi

# ---- the journal: corrupt, foreign ----
journal_case() {	# journal_case NAME CONTENT WANT-REGEX
	local name=$1 text=$2 want=$3 cmd
	fresh "journal-$name"
	mkdir -p "$R/var/lib/aurora-restore"
	chmod 0700 "$R/var/lib/aurora-restore"
	printf '%s' "$text" >"$R/var/lib/aurora-restore/journal.json"
	chmod 0600 "$R/var/lib/aurora-restore/journal.json"
	s=$(fullsnap "$R")
	for cmd in apply revert status verify; do
		run --root "$R" --config "$T/ar.conf" "$cmd"
		is "$rc" 65 "$name journal: $cmd exits 65"
		like "$err" "$want" "$name journal: $cmd names the journal"
		one_line "$name journal: $cmd"
	done
	is "$(fullsnap "$R")" "$s" "$name journal: nothing written, the journal left alone"
}
journal_case corrupt '{"format": "aurora-restore-journal/1", "profile": "recovery", "files": [' \
	'/var/lib/aurora-restore/journal.json.*corrupt journal'
journal_case not-json 'this is not JSON' \
	'/var/lib/aurora-restore/journal.json.*corrupt journal'
journal_case foreign '{"profile": "recovery", "started": 1, "files": [], "items": []}' \
	'/var/lib/aurora-restore/journal.json: not an aurora-restore journal'
journal_case other-format '{"format": "someone-else/2", "profile": "recovery", "started": 1, "files": [], "items": []}' \
	'/var/lib/aurora-restore/journal.json: not an aurora-restore journal'
journal_case incomplete-item '{"format": "aurora-restore-journal/1", "profile": "recovery", "started": 1, "files": [], "items": [{"kind": "flag"}]}' \
	'/var/lib/aurora-restore/journal.json.*corrupt journal'

# ---- a firewall step on an -http_port that is not a port: refused before any rule ----
# (in a private network namespace: a tool that got this wrong must not touch
# this machine's firewall)
if unshare -n true 2>/dev/null; then
	fresh fw
	sed -i 's/^HTTP_PORT=.*/HTTP_PORT="80 81"/' "$R/$DEF"
	printf 'name = "guarded";\nflags: { set: { max_registration_delay = "360mins"; }; };\nfirewall: { enable = true; peers = [ "169.254.77.2" ]; backend = "nftables"; };\n' >"$T/fw.conf"
	s=$(fullsnap "$R")
	unshare -n bash -c '"$AR" --root "$1" --config "$2" apply "$3"; rc=$?; nft list ruleset >"$4" 2>&1; exit $rc' \
		fw "$R" "$T/ar.conf" "$T/fw.conf" "$T/ruleset" >"$T/out" 2>"$T/err"
	rc=$? err=$(cat "$T/err")
	is "$rc" 65 "firewall step, -http_port \"80 81\": exit 65"
	like "$err" '^aurora-restore: /etc/default/aurora-scheduler: line [0-9]+: HTTP_PORT \(-http_port\): "80 81" is not a port' "firewall step: the error names the file, the flag and the value"
	is "$(grep -c 'dport' "$T/ruleset")" 0 "firewall step: no rule added"
	is "$(fullsnap "$R")" "$s" "firewall step: nothing written"
else
	skip "firewall step" "unshare -n is not permitted here"
fi

# ---- messages that name files outside the root (cannot be pinned in a case) ----
fresh profiles
for p in bad-syntax:3 bad-unknown-flag:5 bad-time-unit: bad-cluster-uri:; do
	f=${p%%:*}
	run --root "$R" --config "$T/ar.conf" apply "$SRCDIR/tests/profiles/$f.conf"
	is "$rc" 78 "profile $f: apply exits 78"
	like "$err" "^aurora-restore: $SRCDIR/tests/profiles/$f.conf:${p#*:}[0-9]*: " "profile $f: the error names the file and line"
	one_line "profile $f"
done
printf 'advertised_host = "h";\nno_such_key = "x";\n' >"$T/badkey.conf"
run --root "$R" --config "$T/badkey.conf" apply
is "$rc" 78 "unknown key in --config: exit 78"
like "$err" "^aurora-restore: $T/badkey.conf:2: unknown key \"no_such_key\"" "unknown key in --config: file and line"
printf 'advertised_host = "h"\nunit = ;\n' >"$T/badsyntax.conf"
run --root "$R" --config "$T/badsyntax.conf" apply
is "$rc" 78 "syntax error in --config: exit 78"
like "$err" "^aurora-restore: $T/badsyntax.conf:[0-9]+: " "syntax error in --config: file and line"
run --root "$R" --config "$T/nonexistent.conf" apply
is "$rc" 78 "a missing --config file: exit 78"
like "$err" "$T/nonexistent.conf" "a missing --config file is named"

done_testing
