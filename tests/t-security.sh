#!/bin/bash
# tests/t-security.sh: what lets no one in (RELIABILITY.md, "Security").
#   - the state directory is created 0700, the journal, the audit log and the
#     lock 0600; state that someone else could have written (a symlink,
#     group/world-writable, another owner) is refused: exit 3 (a safety
#     guard), the path named, nothing written;
#   - a managed file that is a symlink is resolved inside --root: a link
#     whose target is not there is named in the error, the file outside
#     --root is never read or written;
#   - secrets never reach stdout, stderr, the journal, the audit log or
#     --json: the ~/.netrc password and its Authorization header, a password
#     in a scheduler URL (refused);
#   - a profile cannot make the tool write anything but the files it
#     manages: shell metacharacters in values stay data on every layout,
#     JSON stays JSON, a name with ../ or / is no path.
# min-checks: 76
. "$SRCDIR/tests/lib.sh"

PY=/usr/bin/python3
SCH=$SRCDIR/tests/scheduler
FAKE=$SRCDIR/tests/fake
DEF=/etc/default/aurora-scheduler CL=/etc/aurora/clusters.json
SD=/var/lib/aurora-restore
srv=
trap '[ -n "$srv" ] && kill "$srv" 2>/dev/null; rm -rf "$T"' EXIT

fresh() {		# fresh NAME: a Debian host at $R
	R=$T/$1
	mkdir -p "$R/etc/default" "$R/etc/aurora"
	cp "$EXAMPLES/debian-aurora-scheduler.default" "$R$DEF"
	cp "$EXAMPLES/packaging-clusters.json" "$R$CL"
	chmod 0644 "$R$DEF" "$R$CL"
}
ar() { run --root "$R" "$@"; }
everything() {		# every path under the root: type, mode, owner, mtime, bytes
	(cd "$1" && find . -printf '%p %y %m %u:%g %T@ %l\n' | LC_ALL=C sort &&
	    find . -type f -exec sha256sum {} + | LC_ALL=C sort -k2)
}

# ---- the state's permissions ----
fresh perms
umask 000
ar apply
umask 022
is "$rc" 0 "apply (with umask 000)"
is "$(stat -c %a "$R$SD") $(stat -c %a "$R$SD/journal.json") $(stat -c %a "$R/run/aurora-restore.lock")" "700 600 600" \
	"the state directory is 0700, the journal and the lock 0600, whatever the umask"
ar revert
is "$(stat -c %a "$R$SD/last-reverted.json")" 600 "the journal moved aside after revert stays 0600"

# ---- state someone else could have written: refused (3), nothing written ----
refused() {		# refused DESC 'SETUP' [CMD]: after apply and SETUP (eval'd), revert and CMD refuse
	local desc=$1 cmd=${3:-status}
	fresh "ref$((++nref))"
	ar apply
	eval "$2"
	local before
	before=$(everything "$R")
	ar revert
	local rc1=$rc err1=$err
	ar $cmd
	if [ "$rc1" = 3 ] && [ "$rc" = 3 ]; then ok "$desc: revert and $cmd refuse (3)"
	else not_ok "$desc: revert and $cmd refuse (3)" "revert: $rc1 $err1" "$cmd: $rc $err"; fi
	like "$err1" "^aurora-restore: /(var/lib|run)/aurora-restore[^ ]* .*refusing" "$desc: the error names the host path"
	is "$(everything "$R")" "$before" "$desc: nothing written"
}
nref=0
refused "state directory group-writable" 'chmod 0770 "$R$SD"'
refused "state directory world-writable" 'chmod 0777 "$R$SD"'
refused "state directory a symlink" 'mv "$R$SD" "$R/elsewhere" && ln -s ../../elsewhere "$R$SD"'
refused "state directory owned by another user" 'chown 4321 "$R$SD"'
refused "journal group-writable" 'chmod 0620 "$R$SD/journal.json"'
refused "journal a symlink" 'mv "$R$SD/journal.json" "$R$SD/j" && ln -s j "$R$SD/journal.json"'
refused "journal owned by another user" 'chown 4321 "$R$SD/journal.json"'
refused "lock world-writable" 'chmod 0666 "$R/run/aurora-restore.lock"' apply
refused "lock a symlink" 'rm "$R/run/aurora-restore.lock" && ln -s /tmp/x "$R/run/aurora-restore.lock"' apply
like "$err" "refusing to use it as aurora-restore's state file" "the message says it is aurora-restore's state"

# ---- symlinked managed files stay inside --root ----
mkdir -p "$T/outside"
cp "$EXAMPLES/debian-aurora-scheduler.default" "$T/outside/flags"
cp "$EXAMPLES/packaging-clusters.json" "$T/outside/clusters.json"
touch -d @1500000000 "$T/outside/flags" "$T/outside/clusters.json"
outside=$(everything "$T/outside")
fresh link1
ln -sf "$T/outside/flags" "$R$DEF"
ar apply
is "$rc" 65 "flags file a symlink to an absolute path outside --root: not found there (65)"
like "$err" "$DEF is a symlink to $T/outside/flags, which is $R$T/outside/flags under --root $R and does not exist" \
	"... the error says where the link leads"
fresh link2
ln -sf ../../../../../../outside/flags "$R$DEF"
ar apply
is "$rc" 65 "flags file a symlink climbing out with ../: not followed out (65)"
like "$err" "is a symlink to \.\./\.\./\.\./\.\./\.\./\.\./outside/flags, which is $R/outside/flags" "... and says so"
fresh link3
ln -sf "$T/outside/clusters.json" "$R$CL"
ar apply
is "$rc" 65 "clusters.json a symlink outside --root: not found there (65)"
like "$err" "$CL is a symlink to $T/outside/clusters.json" "... and says so"
is "$(everything "$T/outside")" "$outside" "the files outside --root were never touched"
fresh link4
mkdir -p "$R/srv"
mv "$R$DEF" "$R/srv/flags"
ln -s /srv/flags "$R$DEF"
ar apply
is "$rc" 0 "flags file a symlink inside --root: followed inside it"
test -L "$R$DEF" && grep -q 'zk://localhost:1111/mesos/master' "$R/srv/flags"; is "$?" 0 "... the link stays a link, its target is edited"
ar revert
same_file "$R/srv/flags" "$EXAMPLES/debian-aurora-scheduler.default" "... and revert restores the target"

# ---- secrets: the ~/.netrc password, its Authorization header ----
BD=$T/backups
mkdir -p "$BD"
printf 'admin:n3trc-s3cret\n' >"$T/users"
"$PY" "$SCH/scheduler.py" --host 127.0.0.41 --port 0 --backup-dir "$BD" --leader \
    --lifecycle LEADER_AWAITING_REGISTRATION --cluster example --auth basic --users "$T/users" \
    >"$T/auth.out" 2>"$T/auth.err" &
srv=$!
listening auth $!
URL=$URL_auth
fresh secrets
mkdir -p "$R/home/op"
printf 'machine 127.0.0.41 login admin password n3trc-s3cret\n' >"$R/home/op/.netrc"
chmod 600 "$R/home/op/.netrc"
printf 'home = "/home/op";\n' >"$R/etc/aurora-restore.conf"
SECRETS='n3trc-s3cret|YWRtaW46bjN0cmMtczNjcmV0|Authorization'
leaks=
look() {		# look WHAT: grep the last run's stdout and stderr for the secrets
	printf '%s\n%s\n' "$out" "$err" | grep -Eq "$SECRETS" && leaks+="$1; "
}
ar apply
ar --verbose backup-now --scheduler "$URL"
is "$rc" 0 "backup-now with Basic auth from ~/.netrc"
look "backup-now"
ar --verbose --json backups --scheduler "$URL"
is "$rc" 0 "backups --json with Basic auth"
look "backups --json"
ar --verbose --json unload --scheduler "$URL"
look "unload --json"
printf 'machine 127.0.0.41 login admin password wr0ng-s3cret\n' >"$R/home/op/.netrc"
ar --verbose backup-now --scheduler "$URL"
is "$rc" 1 "a wrong ~/.netrc password: refused (1)"
like "$err" "authentication failed \(HTTP 401\)" "... says authentication failed"
SECRETS+='|wr0ng-s3cret|YWRtaW46d3Iwbmctc3NjcmV0'
look "backup-now refused"
ar --json status
look "status --json"
for f in "$R$SD/journal.json" "$R$SD/audit.log"; do
	grep -Eq "$SECRETS" "$f" && leaks+="$f; "
done
is "$leaks" "" "the password and the Authorization header appear nowhere: stdout, stderr, --json, journal, audit log"
grep -q '"call":"performBackup".*"outcome":"ok"' "$R$SD/audit.log"; is "$?" 0 "... while the audit log has the calls"
is "$(stat -c %a "$R$SD/audit.log")" 600 "the audit log is 0600"
ar backups --scheduler "http://admin:url-s3cret@127.0.0.41:1"
is "$rc" 64 "a scheduler URL with a password in it is refused (64)"
like "$err" "put the credentials in ~/.netrc" "... and says where they belong"
printf '%s%s' "$out" "$err" | grep -q url-s3cret; is "$?" 1 "... without showing the password"
ar leader --hosts "admin:url-s3cret@127.0.0.41:1"
is "$rc" 64 "a --hosts entry with a password is refused (64)"

# ---- a profile writes only the files it manages ----
# the value the scheduler must receive, and the profile that sets it
EVIL='zk://h/$(touch /tmp/ar-pwned-'$$')`touch /tmp/ar-pwned2-'$$'`;x"y'"'"'z\$HOME'
evil_profile() {	# evil_profile FILE: libconfig string escapes, $$ for a dollar
	{
		echo 'name = "evil";'
		printf 'flags: { set: { mesos_master_address = "%s"; }; };\n' "$(printf '%s' "$EVIL" | sed 's/["\\]/\\&/g; s/\$/$$/g')"
		echo 'cluster: { set: { scheduler_uri = "http://h:1\"}, {\"name\": \"x"; slave_root = "$$(id)`id`"; }; };'
	} >"$1"
}
fresh badname
printf 'name = "../../../tmp/ar-evil-%s/x";\nflags: { set: { max_registration_delay = "1mins"; }; };\n' $$ >"$T/badname.conf"
before=$(everything "$R" | grep -Ev '\./(var|run)(/|$| )|^\. ')
ar apply "$T/badname.conf"
is "$rc" 78 "a profile named with ../ is a bad profile (78)"
like "$err" "badname.conf:1: name" "... naming the file and line"
is "$(everything "$R" | grep -Ev '\./(var|run)(/|$| )|^\. ')" "$before" "... and nothing is written (the lock aside)"
layout_host() {		# layout_host LAYOUT: a fixture of that layout at $R; sets FLAGF OPTS
	R=$T/evil-$1
	mkdir -p "$R/etc/aurora"
	cp "$EXAMPLES/packaging-clusters.json" "$R$CL"
	OPTS=()
	case $1 in
	debian) mkdir -p "$R/etc/default"; FLAGF=$DEF; cp "$EXAMPLES/debian-aurora-scheduler.default" "$R$FLAGF" ;;
	rpm) mkdir -p "$R/etc/sysconfig"; FLAGF=/etc/sysconfig/aurora-scheduler; cp "$EXAMPLES/rpm-aurora-scheduler.sysconfig" "$R$FLAGF" ;;
	systemd) mkdir -p "$R/etc/systemd/system"; FLAGF=/etc/systemd/system/aurora-scheduler.service
		cp "$EXAMPLES/vagrant-aurora-scheduler.service" "$R$FLAGF"; cp "$EXAMPLES/vagrant-clusters.json" "$R$CL" ;;
	upstart) mkdir -p "$R/etc/init"; FLAGF=/etc/init/aurora-scheduler.conf
		cp "$EXAMPLES/vagrant-upstart-aurora-scheduler.conf" "$R$FLAGF"; cp "$EXAMPLES/vagrant-clusters.json" "$R$CL" ;;
	argfile) FLAGF=/etc/aurora/scheduler.args
		printf '%s\n' -cluster_name=example -http_port=8081 -mesos_master_address=zk://127.0.0.1:2181/mesos >"$R$FLAGF"
		OPTS=(--layout argfile --flags-file "$FLAGF") ;;
	esac
	printf 'systemctl = "%s";\n' "$FAKE/systemctl" >"$R/../$1.conf"
	OPTS+=(--config "$R/../$1.conf")
}
export FAKE_SYSTEMCTL_LOG=$T/systemctl.log FAKE_SYSTEMCTL_STAMP=$T/systemctl.stamp
for L in debian rpm systemd upstart argfile; do
	layout_host "$L"
	export FAKE_SYSTEMCTL_ROOT=$R
	evil_profile "$T/evil-$L.conf"
	before=$(everything "$R")
	ar "${OPTS[@]}" apply "$T/evil-$L.conf"
	touched=$(diff <(printf '%s\n' "$before" | grep -v ' d ') <(everything "$R" | grep -v ' d ') | sed -n 's/^> //p' |
	    awk '{print ($1 ~ /^[0-9a-f]+$/ && NF == 2) ? $2 : $1}' | sort -u |
	    grep -vxF -e ".$FLAGF" -e ".$CL" | grep -Ev '^\./(var|run)/' || true)
	if [ "$rc" = 0 ]; then
		argv=$("$FAKE/launcher" "$L" "$R$FLAGF" 2>&1)
		if printf '%s\n' "$argv" | grep -qxF -- "-mesos_master_address=$EVIL"; then
			ok "$L: shell metacharacters in a value reach the scheduler as data"
		else
			not_ok "$L: shell metacharacters in a value reach the scheduler as data" "$argv"
		fi
		got=$("$PY" -c 'import json,sys; c=json.load(open(sys.argv[1])); print(len(c), c[0]["scheduler_uri"], c[0]["slave_root"])' "$R$CL" 2>&1)
		is "$got" '1 http://h:1"}, {"name": "x $(id)`id`' "$L: clusters.json stays one valid entry holding the values as text"
	else
		is "$rc" 78 "$L: a value this layout cannot hold is refused as a bad profile (78)"
		is "$(everything "$R" | grep -Ev '\./(var|run)(/|$| )|^\. ')" "$(printf '%s\n' "$before" | grep -Ev '\./(var|run)(/|$| )|^\. ')" "$L: ... and nothing is written (the lock aside)"
	fi
	is "$touched" "" "$L: apply wrote nothing but the flags file, clusters.json and its own state"
	test ! -e "/tmp/ar-pwned-$$" && test ! -e "/tmp/ar-pwned2-$$"
	is "$?" 0 "$L: no command in a value ran (applying, and starting the scheduler from the files)"
	[ "$rc" = 0 ] && ar "${OPTS[@]}" revert
done
test ! -e "/tmp/ar-evil-$$"; is "$?" 0 "no path was ever made from a profile's name"
rm -f "/tmp/ar-pwned-$$" "/tmp/ar-pwned2-$$"; rm -rf "/tmp/ar-evil-$$"

done_testing
