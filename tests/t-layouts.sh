#!/bin/bash
# tests/t-layouts.sh: apply and revert the recovery profile on every layout of
# scheduler flags (Debian, RPM old and new, systemd with and without a drop-in,
# upstart, @argfile) and of clusters.json (list, object, ~/.aurora override).
#
# Each fixture host is built from the real files in $EXAMPLES. The result is
# judged by what the scheduler would really be started with: the files are
# run through tests/fake/launcher (bash sources the shell files the way the
# packages' launchers do; units are split the way systemd splits ExecStart),
# and clusters.json is read with Python's strict json, as the client does.
# min-checks: 429
. "$SRCDIR/tests/lib.sh"

FAKE=$SRCDIR/tests/fake
ADV=sched1.example.com
MANAGED='^(mesos_master_address|max_registration_delay|reconciliation_initial_delay|http_authentication_mechanism)(=|$)'
WANT_FLAGS=(mesos_master_address=zk://localhost:1111/mesos/master
	max_registration_delay=360mins reconciliation_initial_delay=365days)
OLD=1500000000		# mtime given to every fixture file

# Everything under a root: paths, types, modes, owners, mtimes, contents.
fullsnap() {
	(cd "$1" && find . -printf '%p %y %m %u:%g %T@\n' | LC_ALL=C sort &&
		find . -type f -exec sha256sum {} + | LC_ALL=C sort -k2)
}
# The host's own files (the tool's state under var/ and run/ left out).
filesnap() {
	snapshot "$1" | grep -Ev '^\./(var|run)/'
}

# ---- fixture hosts: each sets LAYOUT LFILES FLAGF CLF CLNAME PORT KEEP OPTS CONF ----

conf() {		# conf [EXTRA-LINE...]: a config file for this case
	CONF=$R/../aurora-restore.conf
	{
		printf 'advertised_host = "%s";\n' "$ADV"
		printf 'systemctl = "%s";\nlive_root = true;\n' "$FAKE/systemctl"
		for l in "$@"; do printf '%s\n' "$l"; done
	} >"$CONF"
	mkdir -p "$R/run/systemd/system"	# live_root: systemd runs there
}

debian_files() {
	mkdir -p "$R/etc/default" "$R/etc/aurora"
	cp "$EXAMPLES/debian-aurora-scheduler.default" "$R/etc/default/aurora-scheduler"
	cp "$EXAMPLES/packaging-clusters.json" "$R/etc/aurora/clusters.json"
	LAYOUT=debian LFILES=(/etc/default/aurora-scheduler)
	FLAGF=/etc/default/aurora-scheduler CLF=/etc/aurora/clusters.json
	CLNAME=example PORT=8081
	conf
}

setup_debian() {
	debian_files
}

setup_debian_extra() {	# flags the profile manages already in EXTRA_SCHEDULER_ARGS
	debian_files
	sed -i 's/^EXTRA_SCHEDULER_ARGS=""$/EXTRA_SCHEDULER_ARGS="-max_registration_delay=5mins -http_authentication_mechanism=BASIC -enable_preemptor=true"/' \
		"$R/etc/default/aurora-scheduler"
	grep -q '^EXTRA_SCHEDULER_ARGS="-max_registration_delay=5mins' "$R/etc/default/aurora-scheduler" ||
		bail "debian_extra: fixture edit failed"
}

setup_debian_home() {	# ~/.aurora/clusters.json holds the cluster and overrides /etc/aurora
	debian_files
	mkdir -p "$R/home/op/.aurora"
	cat >"$R/home/op/.aurora/clusters.json" <<'EOF'
[
  {"name": "other", "zk": "10.0.0.9", "scheduler_zk_path": "/aurora/scheduler"},
  {"name": "example", "zk": "10.0.0.1", "zk_port": 2182, "scheduler_zk_path": "/aurora/scheduler", "auth_mechanism": "KERBEROS"}
]
EOF
	CLF=/home/op/.aurora/clusters.json KEEP=(/etc/aurora/clusters.json)
	conf 'home = "/home/op";'
}

setup_debian_uri_zk_last() {	# the entry has a scheduler_uri already, and zk is its last key
	debian_files
	cat >"$R/etc/aurora/clusters.json" <<'EOF'
[
  {
    "name": "example",
    "scheduler_uri": "http://old.example.com:8081",
    "auth_mechanism": "UNAUTHENTICATED",
    "zk": "127.0.0.1"
  },
  {"name": "b", "zk": "10.2.2.2"}
]
EOF
}

setup_debian_dict() {	# clusters.json as an object of cluster objects, no final newline
	debian_files
	printf '{"example": {"name": "example", "zk": "127.0.0.1", "scheduler_zk_path": "/aurora/scheduler", "slave_root": "/var/lib/mesos"},\n "other": {"name": "other", "zk": "10.1.1.1"}}' \
		>"$R/etc/aurora/clusters.json"
}

rpm_files() {		# rpm_files PATH
	mkdir -p "$R/etc/sysconfig" "$R/etc/aurora"
	cp "$EXAMPLES/rpm-aurora-scheduler.sysconfig" "$R$1"
	cp "$EXAMPLES/packaging-clusters.json" "$R/etc/aurora/clusters.json"
	LAYOUT=rpm LFILES=("$1") FLAGF=$1 CLF=/etc/aurora/clusters.json
	CLNAME=example PORT=8081
	conf
}

setup_rpm() {
	rpm_files /etc/sysconfig/aurora-scheduler
}

setup_rpm_old() {	# the path before mid-2016
	rpm_files /etc/sysconfig/aurora
}

setup_rpm_spaced() {	# flags written "-name value", as the scheduler also accepts
	rpm_files /etc/sysconfig/aurora-scheduler
	cat >"$R$FLAGF" <<'EOF'
AURORA_FLAGS=(
  -cluster_name='example'
  -http_port=8081
  # the master, written as two words
  -mesos_master_address 'zk://127.0.0.1:2181/mesos'
  -zk_endpoints='127.0.0.1:2181'
  -http_authentication_mechanism BASIC
  -serverset_path='/aurora/scheduler'
  -backup_dir='/var/lib/aurora/scheduler/backups'
)
EOF
}

systemd_files() {
	mkdir -p "$R/etc/systemd/system" "$R/etc/aurora"
	cp "$EXAMPLES/vagrant-aurora-scheduler.service" "$R/etc/systemd/system/aurora-scheduler.service"
	cp "$EXAMPLES/vagrant-clusters.json" "$R/etc/aurora/clusters.json"
	LAYOUT=systemd LFILES=(/etc/systemd/system/aurora-scheduler.service)
	FLAGF=/etc/systemd/system/aurora-scheduler.service CLF=/etc/aurora/clusters.json
	CLNAME=devcluster PORT=8081
	conf
}

setup_systemd() {
	systemd_files
}

setup_systemd_dropin() {	# a drop-in resets ExecStart and gives its own flags
	systemd_files
	local d=/etc/systemd/system/aurora-scheduler.service.d
	mkdir -p "$R$d"
	cat >"$R$d/10-flags.conf" <<'EOF'
[Service]
ExecStart=
ExecStart=/usr/lib/aurora/bin/aurora-scheduler \
  -cluster_name=devcluster \
  -http_port=8082 \
  -zk_endpoints=localhost:2181 \
  -mesos_master_address=zk://localhost:2181/mesos \
  -serverset_path=/aurora/scheduler \
  -http_authentication_mechanism=NEGOTIATE \
  -thermos_executor_flags="--announcer-ensemble localhost:2181" \
  -backup_dir=/var/lib/aurora/backups
EOF
	LFILES+=("$d/10-flags.conf") FLAGF=$d/10-flags.conf PORT=8082
	KEEP=(/etc/systemd/system/aurora-scheduler.service)
}

setup_upstart() {
	mkdir -p "$R/etc/init" "$R/etc/aurora"
	cp "$EXAMPLES/vagrant-upstart-aurora-scheduler.conf" "$R/etc/init/aurora-scheduler.conf"
	cp "$EXAMPLES/vagrant-clusters.json" "$R/etc/aurora/clusters.json"
	LAYOUT=upstart LFILES=(/etc/init/aurora-scheduler.conf)
	FLAGF=/etc/init/aurora-scheduler.conf CLF=/etc/aurora/clusters.json
	CLNAME=devcluster PORT=8081
	conf
}

crlf() {		# crlf FILE...: every line ends in CR LF, as written on Windows
	local f
	for f in "$@"; do perl -pi -e 's/\n/\r\n/' "$R$f"; done
	CRLF=$*
}

setup_upstart_crlf() {
	setup_upstart
	crlf "$FLAGF" "$CLF"
}

setup_systemd_crlf() {	# the unit and clusters.json have CR LF
	setup_systemd
	crlf "$FLAGF" "$CLF"
}

setup_rpm_crlf() {	# the sysconfig file has CR LF
	setup_rpm "$@"
	crlf "$FLAGF"
}

setup_debian_crlf_clusters() {	# only clusters.json (valid JSON) has CR LF
	debian_files
	crlf "$CLF"
}

setup_debian_clusters_big() {	# other clusters hold what the lens cannot read: only the entry is parsed
	debian_files
	python3 - >"$R$CLF" <<'EOP'
import json
others = [{"name": "c%d" % i, "zk": "10.0.%d.%d" % (i >> 8, i & 255), "tags": ["a", "b"], "extra": {}}
          for i in range(2000)]
text = ",\n".join("  " + json.dumps(o) for o in others)
print('[\n' + text + ',\n  {"name": "example", "zk": "127.0.0.1", "scheduler_zk_path": "/aurora/scheduler"},\n' + text.replace('"c', '"d') + '\n]')
EOP
}

setup_argfile() {
	mkdir -p "$R/etc/aurora"
	cp "$EXAMPLES/packaging-clusters.json" "$R/etc/aurora/clusters.json"
	cat >"$R/etc/aurora/scheduler.args" <<'EOF'
# Aurora scheduler flags, one a line (-foo=bar), read with @/etc/aurora/scheduler.args
-cluster_name=example
-http_port=8081
-zk_endpoints=127.0.0.1:2181
-mesos_master_address=zk://127.0.0.1:2181/mesos

  # an indented comment line
-serverset_path=/aurora/scheduler
-http_authentication_mechanism=BASIC
-thermos_executor_flags=--announcer-ensemble 127.0.0.1:2181
-native_log_file_path=/var/lib/aurora/scheduler/db
-backup_dir=/var/lib/aurora/scheduler/backups
EOF
	LAYOUT=argfile LFILES=(/etc/aurora/scheduler.args)
	FLAGF=/etc/aurora/scheduler.args CLF=/etc/aurora/clusters.json
	CLNAME=example PORT=8081
	OPTS=(--layout argfile --flags-file /etc/aurora/scheduler.args)
	conf
}

# ---- the checks ----

argv_of() {		# argv_of ROOT: the scheduler's flags as it parses them, one a line
	local f files=()
	for f in "${LFILES[@]}"; do files+=("$1$f"); done
	if [ -n "$CRLF" ]; then	# the launcher reads the lines without their CRs
		mkdir -p "$T/.lf"
		for f in "${!files[@]}"; do
			tr -d '\r' <"${files[$f]}" >"$T/.lf/$f" && files[$f]=$T/.lf/$f
		done
	fi
	"$FAKE/launcher" "$LAYOUT" "${files[@]}" | pairs
	return "${PIPESTATUS[0]}"
}
pairs() {		# argument words -> "name=value" lines; "!positional WORD" for a stray word
	awk '
	pending != "" { print pending "=" $0; pending = ""; next }
	/^-/ { i = index($0, "="); if (i) print substr($0, 2); else pending = substr($0, 2); next }
	{ print "!positional " $0 }
	END { if (pending != "") print pending }'
}

reloads() {
	grep -c '^daemon-reload$' "$FAKE_SYSTEMCTL_LOG" 2>/dev/null
}

layout_case() {
	local name=$1 dir=$T/$1 f w n v a
	R=$dir/root
	LAYOUT= FLAGF= CLF= CLNAME= PORT= CONF= CRLF=
	LFILES=() KEEP=() OPTS=()
	mkdir -p "$R"
	"setup_$name"
	find "$R" -type f -exec touch -d "@$OLD" {} +
	chmod 0640 "$R$FLAGF" && chown 1234:2345 "$R$FLAGF"
	chmod 0604 "$R$CLF" && chown 4321:5432 "$R$CLF"
	export FAKE_SYSTEMCTL_ROOT=$R FAKE_SYSTEMCTL_LOG=$dir/systemctl.log
	export FAKE_SYSTEMCTL_STAMP=$dir/systemctl.stamp
	touch "$FAKE_SYSTEMCTL_STAMP"		# systemd loaded the units at boot
	cp -a "$R" "$dir/orig"
	local A=(--root "$R" --config "$CONF" "${OPTS[@]}")

	argv_of "$R" >"$dir/argv.before" 2>"$dir/launcher.err" &&
	    [ "$(grep -cE '^mesos_master_address=zk://' "$dir/argv.before")" = 1 ] &&
	    [ "$(grep -c '^cluster_name=' "$dir/argv.before")" = 1 ] &&
	    ! grep -q '^!positional' "$dir/argv.before" ||
		bail "$name: the fixture starts a scheduler" "$(cat "$dir/launcher.err" "$dir/argv.before")"

	# --check and diff write nothing; diff is a patch that gives apply's result
	local s0
	s0=$(fullsnap "$R")
	run "${A[@]}" --check apply
	is "$rc" 0 "$name: --check apply exits 0"
	like "$out" "would change .*$FLAGF" "$name: --check apply names the flags file"
	is "$(fullsnap "$R")" "$s0" "$name: --check apply writes nothing"
	run "${A[@]}" diff
	is "$rc" 0 "$name: diff exits 0"
	printf '%s\n' "$out" >"$dir/diff"
	is "$(fullsnap "$R")" "$s0" "$name: diff writes nothing"
	like "$(head -2 "$dir/diff")" "^--- a/.*
\+\+\+ b/" "$name: diff starts with unified headers"
	cp -a "$dir/orig" "$dir/patched"
	check "$name: patch --dry-run accepts the diff" \
		patch --dry-run -d "$dir/patched" -p1 -i "$dir/diff"
	patch -s -d "$dir/patched" -p1 --no-backup-if-mismatch -i "$dir/diff" >/dev/null 2>&1

	# apply
	run "${A[@]}" --detailed-exitcode apply --reason "layout test"
	is "$rc" 2 "$name: apply changes something (--detailed-exitcode 2)"
	[ "$rc" = 2 ] || printf '#   stderr: %s\n' "$err"
	argv_of "$R" >"$dir/argv.after" 2>"$dir/launcher.err"
	is "$?" 0 "$name: the scheduler still starts from the applied files"
	for w in "${WANT_FLAGS[@]}"; do
		n=${w%%=*}
		is "$(grep -cE "^$n(=|\$)" "$dir/argv.after") $(grep -cxF -- "$w" "$dir/argv.after")" "1 1" \
			"$name: the scheduler gets -$w exactly once"
	done
	is "$(grep -cE '^http_authentication_mechanism(=|$)' "$dir/argv.after")" 0 \
		"$name: the scheduler gets no -http_authentication_mechanism"
	is "$(grep '^!positional' "$dir/argv.after")" "" \
		"$name: the scheduler gets no stray word that is not a flag or a flag's value"
	check "$name: every other argument is unchanged" \
		diff <(grep -vE "$MANAGED" "$dir/argv.before") <(grep -vE "$MANAGED" "$dir/argv.after")
	for w in uri nozk rest lines; do
		check "$name: clusters.json ($CLF): $w" \
			"$FAKE/clusters-check" "$w" "$dir/orig$CLF" "$R$CLF" "$CLNAME" "http://$ADV:$PORT"
	done
	is "$(tail -c1 "$R$CLF" | od -An -tx1)" "$(tail -c1 "$dir/orig$CLF" | od -An -tx1)" \
		"$name: clusters.json keeps its last byte (final newline or not)"
	for f in "${KEEP[@]}"; do
		is "$(cd "$R" && snapshot . | grep -F "./${f#/} ")" "$(cd "$dir/orig" && snapshot . | grep -F "./${f#/} ")" \
			"$name: $f is left untouched"
	done
	is "$(stat -c '%a %u:%g' "$R$FLAGF") $(stat -c '%a %u:%g' "$R$CLF")" "640 1234:2345 604 4321:5432" \
		"$name: apply keeps the mode and owner of the files it edits"
	a=
	for f in $(cd "$dir/orig" && ls | grep -vx run); do
		a+=$(diff -r "$dir/patched/$f" "$R/$f" 2>&1)
	done
	is "$a" "" "$name: the diff shown beforehand is exactly what apply wrote"
	if [ "$LAYOUT" = systemd ]; then
		is "$(reloads)" 1 "$name: apply ran systemctl daemon-reload once"
	fi
	if [ -n "$CRLF" ]; then
		is "$(for f in $CRLF; do cat "$R$f"; done | perl -0777 -ne 'print scalar(() = /(?<!\r)\n/g)')" 0 \
			"$name: every line written ends in CR LF"
	fi

	# a second apply changes nothing, not even an mtime
	local s1
	s1=$(fullsnap "$R")
	run "${A[@]}" --detailed-exitcode apply
	is "$rc" 0 "$name: a second apply exits 0 (--detailed-exitcode)"
	like "$out" "already applied" "$name: a second apply says it is already applied"
	is "$(fullsnap "$R")" "$s1" "$name: a second apply changes nothing at all"
	if [ "$LAYOUT" = systemd ]; then
		is "$(reloads)" 1 "$name: a second apply does not reload"
	fi

	# revert puts back bytes, mode, owner and mtime
	run "${A[@]}" --detailed-exitcode revert
	is "$rc" 2 "$name: revert changes something (--detailed-exitcode 2)"
	is "$(filesnap "$R")" "$(filesnap "$dir/orig")" \
		"$name: revert restores every file's bytes, mode, owner and mtime"
	argv_of "$R" >"$dir/argv.reverted" 2>&1
	check "$name: the scheduler gets its original arguments back" \
		diff "$dir/argv.before" "$dir/argv.reverted"
	if [ "$LAYOUT" = systemd ]; then
		is "$(reloads)" 2 "$name: revert ran systemctl daemon-reload"
	fi

	# a second revert changes nothing
	local s2
	s2=$(fullsnap "$R")
	run "${A[@]}" --detailed-exitcode revert
	is "$rc" 0 "$name: a second revert exits 0"
	like "$out" "nothing" "$name: a second revert says there is nothing to revert"
	is "$(fullsnap "$R")" "$s2" "$name: a second revert changes nothing at all"
}

# judge_argv BEFORE AFTER: the whole argv verdict in one (for the short cases below)
judge_argv() {
	local w n bad=0
	for w in "${WANT_FLAGS[@]}"; do
		n=${w%%=*}
		[ "$(grep -cE "^$n(=|\$)" "$2") $(grep -cxF -- "$w" "$2")" = "1 1" ] ||
			{ echo "-$w not there exactly once"; bad=1; }
	done
	grep -E '^http_authentication_mechanism(=|$)|^!positional' "$2" && bad=1
	diff <(grep -vE "$MANAGED" "$1") <(grep -vE "$MANAGED" "$2") || bad=1
	return $bad
}

# quirk NAME EXTRA-LINE [MESOS-LINE]: the Debian file with EXTRA_SCHEDULER_ARGS
# (and MESOS_MASTER) written another valid way; apply must give the scheduler
# the right flags, revert the same bytes.
quirk() {
	local name=$1 extra=$2 master=${3:-} dir=$T/quirk-$1
	R=$dir/root LAYOUT=debian LFILES=(/etc/default/aurora-scheduler) KEEP=() OPTS=() CRLF=
	mkdir -p "$R"
	debian_files
	awk -v x="$extra" -v m="$master" '
		/^EXTRA_SCHEDULER_ARGS=/ { if (x != "") print x; next }
		/^MESOS_MASTER=/ && m != "" { print m; next }
		{ print }' "$EXAMPLES/debian-aurora-scheduler.default" >"$R/etc/default/aurora-scheduler"
	cp -a "$R" "$dir/orig"
	argv_of "$R" >"$dir/argv.before"
	run --root "$R" --config "$CONF" apply
	is "$rc" 0 "quirk $name: apply exits 0"
	[ "$rc" = 0 ] || printf '#   stderr: %s\n' "$(printf '%s' "$err" | head -3)"
	is "$(( $(printf '%s' "$err" | grep -c '') <= 1 ))" 1 "quirk $name: stderr is at most one line"
	argv_of "$R" >"$dir/argv.after" 2>&1
	check "quirk $name: the scheduler gets the recovery flags, nothing else changed" \
		judge_argv "$dir/argv.before" "$dir/argv.after"
	run --root "$R" --config "$CONF" revert
	is "$(filesnap "$R")" "$(filesnap "$dir/orig")" "quirk $name: revert restores the file"
}

for c in debian debian_extra debian_home debian_dict debian_uri_zk_last rpm rpm_old rpm_spaced systemd \
    systemd_dropin upstart argfile upstart_crlf systemd_crlf rpm_crlf debian_crlf_clusters debian_clusters_big; do
	layout_case "$c"
done

quirk extra_empty_unquoted 'EXTRA_SCHEDULER_ARGS='
quirk extra_unquoted 'EXTRA_SCHEDULER_ARGS=-enable_preemptor=true'
quirk extra_single_quoted "EXTRA_SCHEDULER_ARGS='-enable_preemptor=true -max_registration_delay=1mins'"
quirk extra_absent ''
quirk extra_exported 'export EXTRA_SCHEDULER_ARGS="-http_authentication_mechanism=BASIC"'
quirk extra_self_reference 'EXTRA_SCHEDULER_ARGS="${EXTRA_SCHEDULER_ARGS} -enable_preemptor=true"'
quirk master_unquoted 'EXTRA_SCHEDULER_ARGS=""' 'MESOS_MASTER=zk://127.0.0.1:2181/mesos'
quirk master_single_quoted 'EXTRA_SCHEDULER_ARGS=""' "MESOS_MASTER='zk://127.0.0.1:2181/mesos'"

# ---- symlinks: a clusters.json that is a symlink is edited where it points, under --root ----
R=$T/symlink-rel/root
mkdir -p "$R"
debian_files
mv "$R/etc/aurora/clusters.json" "$R/etc/aurora/clusters-prod.json"
ln -s clusters-prod.json "$R/etc/aurora/clusters.json"
cp -a "$R" "$T/symlink-rel/orig"
run --root "$R" --config "$CONF" apply
is "$rc" 0 "relative symlink: apply exits 0"
is "$(readlink "$R/etc/aurora/clusters.json")" "clusters-prod.json" "relative symlink: the link is kept"
check "relative symlink: its target got scheduler_uri" "$FAKE/clusters-check" uri \
	"$T/symlink-rel/orig/etc/aurora/clusters-prod.json" "$R/etc/aurora/clusters-prod.json" example "http://$ADV:8081"
run --root "$R" --config "$CONF" revert
is "$(filesnap "$R")" "$(filesnap "$T/symlink-rel/orig")" "relative symlink: revert restores the target"

# An absolute link means the path under the root. The target's directory does
# not exist on this machine, so a tool that followed the link out of the root
# could neither read nor write there.
out_dir=/nonexistent-ar-test.$$.$RANDOM
if [ -e "$out_dir" ]; then
	not_ok "absolute symlink: $out_dir must not exist on this machine"
else
	R=$T/symlink-abs/root
	mkdir -p "$R"
	debian_files
	mkdir -p "$R$out_dir"
	mv "$R/etc/aurora/clusters.json" "$R$out_dir/clusters.json"
	ln -s "$out_dir/clusters.json" "$R/etc/aurora/clusters.json"
	cp -a "$R" "$T/symlink-abs/orig"
	run --root "$R" --config "$CONF" apply
	is "$rc" 0 "absolute symlink: apply follows the link inside --root (exit 0)"
	[ "$rc" = 0 ] || printf '#   stderr: %s\n' "$err"
	check "absolute symlink: the target under the root got scheduler_uri" "$FAKE/clusters-check" uri \
		"$T/symlink-abs/orig$out_dir/clusters.json" "$R$out_dir/clusters.json" example "http://$ADV:8081"
	test ! -e "$out_dir"
	is "$?" 0 "absolute symlink: nothing was created outside the root"
	run --root "$R" --config "$CONF" revert
	is "$(filesnap "$R")" "$(filesnap "$T/symlink-abs/orig")" "absolute symlink: revert restores the target"
fi

# A relative symlink that climbs out of the root stays inside it, as it
# would on the host itself: nothing outside --root is read or written.
ESC=$T/escape
rm -rf "$ESC"; mkdir -p "$ESC"
cp -a "$SRCDIR/examples/debian-host" "$ESC/root"
mkdir -p "$ESC/outside"
mv "$ESC/root/etc/aurora/clusters.json" "$ESC/outside/clusters.json"
ln -s ../../../outside/clusters.json "$ESC/root/etc/aurora/clusters.json"
cp "$ESC/outside/clusters.json" "$ESC/outside.before"
"$AR" --root "$ESC/root" apply >"$T/.out" 2>"$T/.err"
is "$?" 65 "a symlink out of the root is followed inside the root (there is no clusters.json there)"
same_file "$ESC/outside.before" "$ESC/outside/clusters.json" "the file outside the root is untouched"
mkdir -p "$ESC/root/outside"
cp "$ESC/outside.before" "$ESC/root/outside/clusters.json"
"$AR" --root "$ESC/root" apply >"$T/.out" 2>"$T/.err"
is "$?" 0 "with the target inside the root, apply follows the link there"
like "$(cat "$ESC/root/outside/clusters.json")" "scheduler_uri" "... and edits the file the link names under the root"
same_file "$ESC/outside.before" "$ESC/outside/clusters.json" "... still not the one outside"

# ---- ExecStart= prefixes: "@" names argv[0] in the next word, it is no
# @argfile of the scheduler's; the command itself is never read for flags ----
R=$T/exec-at/root
mkdir -p "$R"
systemd_files
BIN=/home/vagrant/aurora/dist/install/aurora-scheduler/bin/aurora-scheduler
sed -i "s|^ExecStart=$BIN |ExecStart=@$BIN aurora-scheduler |" "$R$FLAGF"
mkdir -p "$R${BIN%/*}"
printf '#!/bin/sh\n-http_port=9\nexec java "$@"\n' >"$R$BIN"
cp "$R$BIN" "$T/exec-at/bin.before"
run --root "$R" --config "$CONF" apply
is "$rc" 0 "ExecStart=@CMD ARGV0 flags: apply exits 0 (the command is not read as an @argfile)"
[ "$rc" = 0 ] || printf '#   stderr: %s\n' "$err"
like "$(grep -c 'max_registration_delay=360mins' "$R$FLAGF")" '^1$' "... the unit's ExecStart= gets the profile's flags"
same_file "$T/exec-at/bin.before" "$R$BIN" "... the scheduler's command is left as it was"

# A flag commented out inside ExecStart='s continued lines: systemd skips
# the comment line, so its flag is not the scheduler's; refused, not edited.
R=$T/exec-comment/root
mkdir -p "$R"
systemd_files
sed -i 's/^\(  -http_port=8081 \\\)$/\1\n#  -max_registration_delay=1mins \\/' "$R$FLAGF"
cp -a "$R" "$T/exec-comment/orig"
run --root "$R" --config "$CONF" apply
is "$rc" 65 "a flag commented out inside a continued ExecStart=: apply refuses (65)"
like "$err" "^aurora-restore: $FLAGF: line $(grep -n '^#  -max_registration_delay' "$R$FLAGF" | cut -d: -f1): a comment line inside ExecStart=" \
	"... naming the file and the comment's line"
is "$(filesnap "$R")" "$(filesnap "$T/exec-comment/orig")" "... and leaves every file as it was"

# ---- helpers that would stall apply if it read their pipes one at a time, or until
# every process holding them is gone ----
helper_host() {		# helper_host NAME SHELL-LINE: a systemd host whose systemctl first runs SHELL-LINE
	R=$T/$1/root
	mkdir -p "$R"
	systemd_files
	printf '#!/bin/sh\n%s\nexec "%s" "$@"\n' "$2" "$FAKE/systemctl" >"$T/$1/systemctl"
	chmod +x "$T/$1/systemctl"
	conf "systemctl = \"$T/$1/systemctl\";"
	sed -i "/fake\/systemctl/d" "$CONF"
	export FAKE_SYSTEMCTL_ROOT=$R FAKE_SYSTEMCTL_LOG=$T/$1/systemctl.log FAKE_SYSTEMCTL_STAMP=$T/$1/stamp
	touch "$FAKE_SYSTEMCTL_STAMP"
}
helper_host noisy 'head -c 300000 /dev/zero | tr "\0" x >&2'
timeout 60 "$AR" --root "$R" --config "$CONF" apply >"$T/.out" 2>"$T/.err"
is "$?" 0 "a systemctl writing 300 KB to stderr: apply finishes (exit 0)"
timeout 60 "$AR" --root "$R" --config "$CONF" apply >"$T/.out" 2>&1
like "$(cat "$T/.out")" "already applied" "... and its journal is complete: a second apply says already applied"
helper_host lingering "sleep 120 & echo \$! >$T/lingering/sleeper"
timeout 60 "$AR" --root "$R" --config "$CONF" apply >"$T/.out" 2>"$T/.err"
is "$?" 0 "a systemctl whose child keeps its stdout and stderr open: apply finishes when systemctl exits (exit 0)"
for p in $(cat "$T/lingering/sleeper" 2>/dev/null); do kill "$p" 2>/dev/null; done
done_testing
