#!/bin/bash
# tests/t-secrets.sh: the value of a secret-bearing flag (the catalogue's
# "secret" column: -zk_digest_credentials) never reaches the output, on every
# layout and in every form it is written in, while the files keep it.
#
# Each fixture host holds -zk_digest_credentials=aurora:s3cret-pw next to a
# flag the recovery profile changes, so it shows in the diff (as the changed
# line or as context). Every command that shows files or values is run, as
# text and as --json, and its stdout and stderr must not hold "s3cret-pw"
# but must show "aurora:****".
. "$SRCDIR/tests/lib.sh"

FAKE=$SRCDIR/tests/fake
PW=s3cret-pw

conf() {
	CONF=$T/$NAME.conf
	printf 'advertised_host = "sched1.example.com";\nsystemctl = "%s";\n' \
		"$FAKE/systemctl" >"$CONF"
}

setup_debian() {	# in EXTRA_SCHEDULER_ARGS, the line apply rewrites
	mkdir -p "$R/etc/default" "$R/etc/aurora"
	sed "s/^EXTRA_SCHEDULER_ARGS=\"\"\$/EXTRA_SCHEDULER_ARGS=\"-zk_digest_credentials=aurora:$PW -enable_preemptor=true\"/" \
		"$EXAMPLES/debian-aurora-scheduler.default" >"$R/etc/default/aurora-scheduler"
	cp "$EXAMPLES/packaging-clusters.json" "$R/etc/aurora/clusters.json"
	FLAGF=/etc/default/aurora-scheduler OPTS=()
}

setup_rpm() {		# an array word in quotes, next to the master
	mkdir -p "$R/etc/sysconfig" "$R/etc/aurora"
	sed "s|^  -mesos_master_address=.*|&\n  -zk_digest_credentials='aurora:$PW'|" \
		"$EXAMPLES/rpm-aurora-scheduler.sysconfig" >"$R/etc/sysconfig/aurora-scheduler"
	cp "$EXAMPLES/packaging-clusters.json" "$R/etc/aurora/clusters.json"
	FLAGF=/etc/sysconfig/aurora-scheduler OPTS=()
}

setup_rpm_words() {	# "-name value": two words
	setup_rpm
	sed -i "s|^  -zk_digest_credentials=.*|  -zk_digest_credentials 'aurora:$PW'|" "$R$FLAGF"
}

setup_systemd() {	# an ExecStart line, context of the master's line
	mkdir -p "$R/etc/systemd/system" "$R/etc/aurora"
	sed "s|^  -mesos_master_address=.*|&\n  -zk_digest_credentials=aurora:$PW \\\\|" \
		"$EXAMPLES/vagrant-aurora-scheduler.service" >"$R/etc/systemd/system/aurora-scheduler.service"
	cp "$EXAMPLES/vagrant-clusters.json" "$R/etc/aurora/clusters.json"
	FLAGF=/etc/systemd/system/aurora-scheduler.service OPTS=()
}

setup_upstart() {
	mkdir -p "$R/etc/init" "$R/etc/aurora"
	sed "s|^  -mesos_master_address=.*|&\n  -zk_digest_credentials=\"aurora:$PW\" \\\\|" \
		"$EXAMPLES/vagrant-upstart-aurora-scheduler.conf" >"$R/etc/init/aurora-scheduler.conf"
	cp "$EXAMPLES/vagrant-clusters.json" "$R/etc/aurora/clusters.json"
	FLAGF=/etc/init/aurora-scheduler.conf OPTS=()
}

setup_argfile() {
	mkdir -p "$R/etc/aurora"
	cp "$EXAMPLES/packaging-clusters.json" "$R/etc/aurora/clusters.json"
	cat >"$R/etc/aurora/scheduler.args" <<EOF
-cluster_name=example
-http_port=8081
-zk_endpoints=127.0.0.1:2181
-zk_digest_credentials=aurora:$PW
-mesos_master_address=zk://127.0.0.1:2181/mesos
-serverset_path=/aurora/scheduler
-native_log_file_path=/var/lib/aurora/scheduler/db
-backup_dir=/var/lib/aurora/scheduler/backups
EOF
	FLAGF=/etc/aurora/scheduler.args
	OPTS=(--layout argfile --flags-file /etc/aurora/scheduler.args)
}

hidden() {		# hidden WHAT: the last run's output holds no secret, shows the mask
	if grep -q "$PW" "$T/.out" "$T/.err"; then
		not_ok "$NAME: $1 hides the password" "$(grep -h "$PW" "$T/.out" "$T/.err" | head -5)"
	else
		ok "$NAME: $1 hides the password"
	fi
	if grep -q 'aurora:\*\*\*\*' "$T/.out"; then
		ok "$NAME: $1 shows aurora:****"
	else
		not_ok "$NAME: $1 shows aurora:****" "$(head -c 1500 "$T/.out")"
	fi
}

absent() {		# absent TEXT WHAT: the last run's stdout and stderr lack TEXT
	if grep -q -- "$1" "$T/.out" "$T/.err"; then
		not_ok "$NAME: $2" "$(grep -h -- "$1" "$T/.out" "$T/.err" | head -5)"
	else
		ok "$NAME: $2"
	fi
}

fixture() {		# fixture NAME LAYOUT: a fresh root $R of LAYOUT, its config, $A
	NAME=$1 R=$T/$1/root
	mkdir -p "$R"
	"setup_$2"
	conf
	export FAKE_SYSTEMCTL_ROOT=$R
	A=(--root "$R" --config "$CONF")
}

layout_case() {
	NAME=$1
	local dir=$T/$1
	R=$dir/root
	mkdir -p "$R"
	"setup_$1"
	conf
	export FAKE_SYSTEMCTL_ROOT=$R FAKE_SYSTEMCTL_LOG=$dir/systemctl.log
	export FAKE_SYSTEMCTL_STAMP=$dir/systemctl.stamp
	touch "$FAKE_SYSTEMCTL_STAMP"
	cp -a "$R" "$dir/orig"
	local A=(--root "$R" --config "$CONF" "${OPTS[@]}")

	run "${A[@]}" diff
	is "$rc" 0 "$NAME: diff exits 0"
	hidden "diff"
	run "${A[@]}" --check --diff apply
	hidden "apply --check --diff"
	run "${A[@]}" --json --check --diff apply
	hidden "apply --check --diff --json"
	like "$(printf '%s' "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin)["diff"][0]; print(d["before"] != d["after"], "aurora:****" in d["before"])')" \
		'^True True$' "$NAME: --json diff.before and diff.after differ, masked"
	run "${A[@]}" --diff apply
	is "$rc" 0 "$NAME: apply exits 0"
	hidden "apply --diff"
	if grep -q "aurora:$PW" "$R$FLAGF"; then
		ok "$NAME: the flags file keeps the real value"
	else
		not_ok "$NAME: the flags file keeps the real value" "$(grep zk_digest "$R$FLAGF")"
	fi
	run "${A[@]}" --check --diff revert
	hidden "revert --check --diff"
	run "${A[@]}" --json --check --diff revert
	hidden "revert --check --diff --json"
	run "${A[@]}" revert
	is "$rc" 0 "$NAME: revert exits 0"
	same_file "$dir/orig$FLAGF" "$R$FLAGF" "$NAME: revert gives the flags file back byte for byte"
}

for l in debian rpm rpm_words systemd upstart argfile; do
	layout_case "$l"
done

# A profile that sets the secret flag: status, verify and the journal's
# values shown by status are masked too; a value without ":" fully.
NAME=profile-sets
R=$T/ps/root
mkdir -p "$R"
setup_debian
conf
cat >"$T/creds.conf" <<'EOF'
name = "creds";
flags: { set: { zk_digest_credentials = "aurora:n3w-s3cret-pw"; }; };
EOF
A=(--root "$R" --config "$CONF")
run "${A[@]}" --diff apply "$T/creds.conf"
is "$rc" 0 "profile-sets: apply exits 0"
hidden "apply --diff of a new secret"
grep -q 'n3w-s3cret-pw' "$T/.out" && not_ok "profile-sets: the new value is hidden" || ok "profile-sets: the new value is hidden"
run "${A[@]}" status
hidden "status"
run "${A[@]}" --json status
hidden "status --json"
like "$(printf '%s' "$out" | python3 -c 'import json,sys; i=json.load(sys.stdin)["items"][0]; print(i["original"], i["profile"], i["current"])')" \
	'^aurora:\*\*\*\* aurora:\*\*\*\* aurora:\*\*\*\*$' "profile-sets: status --json items are masked"
sed -i 's/n3w-s3cret-pw/0ther-s3cret-pw/' "$R/etc/default/aurora-scheduler"
run "${A[@]}" verify "$T/creds.conf"
is "$rc" 2 "profile-sets: verify finds the drift"
hidden "verify"
grep -q 's3cret' "$T/.out" "$T/.err" && not_ok "profile-sets: verify hides both values" "$out" || ok "profile-sets: verify hides both values"
run "${A[@]}" --json verify "$T/creds.conf"
hidden "verify --json"

# No ":" in the value: all of it is masked.
NAME=no-colon
R=$T/nc/root
mkdir -p "$R"
setup_argfile
sed -i "s/^-zk_digest_credentials=.*/-zk_digest_credentials=$PW/" "$R$FLAGF"
conf
run --root "$R" --config "$CONF" "${OPTS[@]}" diff
is "$rc" 0 "no-colon: diff exits 0"
grep -q "$PW" "$T/.out" && not_ok "no-colon: the value is hidden" "$out" || ok "no-colon: the value is hidden"
like "$out" '-zk_digest_credentials=\*\*\*\*$' "no-colon: it shows as ****"

# A password with a blank in it (one quoted ExecStart word): status, verify
# and revert's conflict message show the describe of the value; none of its
# words may show. A new one that cannot be written ($ in a unit) is named
# in the error masked.
fixture blank systemd
sed -i "s|^  -zk_digest_credentials=.*|  -zk_digest_credentials=\"aurora:s3cret-pw s3cret-two\" \\\\|" "$R$FLAGF"
cat >"$T/blank-profile.conf" <<'EOF2'
name = "blank";
flags: { set: { zk_digest_credentials = "aurora:n3w-s3cret-pw n3w-s3cret-two"; }; };
EOF2
run "${A[@]}" apply "$T/blank-profile.conf"
is "$rc" 0 "$NAME: apply exits 0"
for c in status "--json status"; do
	run "${A[@]}" $c
	absent s3cret "$c hides every word of the values"
done
sed -i 's/n3w-s3cret-two/0ther-s3cret-two/' "$R$FLAGF"
run "${A[@]}" verify "$T/blank-profile.conf"
is "$rc" 2 "$NAME: verify finds the drift"
absent s3cret "verify hides every word"
P=$T/blank/proc		# a running scheduler with yet another value
mkdir -p "$P/self" "$P/4242"
printf 'cpu  1 2 3 4\nbtime %s\nprocesses 999\n' "$(($(date +%s) - 200000))" >"$P/stat"
printf '%s\0' /usr/bin/java org.apache.aurora.scheduler.app.SchedulerMain \
	"-zk_digest_credentials=aurora:s3cret-pw pr0c-s3cret" >"$P/4242/cmdline"
printf '4242 (java) S 1 4242 4242 0 -1 4194560 100 0 0 0 50 20 0 0 20 0 30 0 10000 1000000 5000 18446744073709551615\n' >"$P/4242/stat"
for c in verify "--json verify"; do
	run "${A[@]}" --proc "$P" $c "$T/blank-profile.conf"
	like "$out" 'scheduler process 4242.{1,20}runs with' "$NAME: $c compares the running scheduler"
	absent s3cret "$c of the running scheduler hides every word"
done
run "${A[@]}" revert
is "$rc" 3 "$NAME: revert of a changed secret is a conflict (3)"
absent s3cret "the conflict message hides every word"
run "${A[@]}" --force revert
is "$rc" 0 "$NAME: revert --force exits 0"
printf 'name = "dollar";\nflags: { set: { zk_digest_credentials = "aurora:d0llar$$s3cret"; }; };\n' >"$T/dollar.conf"
run "${A[@]}" diff "$T/dollar.conf"
is "$rc" 78 "$NAME: a \$ in a unit's value is refused (78)"
absent s3cret "the error for a \$ hides the value"
like "$err" 'aurora:\*\*\*\*' "$NAME: the error shows aurora:****"

# A backslash-newline inside the value: the shell joins the two lines, so
# the next line's start is still the password.
fixture continued debian
sed -i "s/aurora:$PW -enable/aurora:s3cret-half\\\\\\nsecond-half -enable/" "$R$FLAGF"
for c in diff "--json diff"; do
	run "${A[@]}" $c
	is "$rc" 0 "$NAME: $c exits 0"
	absent half "$c hides both lines of the value"
done
like "$(grep -c 'second-half' "$R$FLAGF")" '^1$' "$NAME: the file keeps the value (fixture check)"

# The secret kept in a variable that the flag's value refers to: the
# variable's assignment is masked too (a unit's Environment=, a shell line).
fixture variable systemd
sed -i "s|^  -zk_digest_credentials=.*|  -zk_digest_credentials=\${ZK_CREDS} \\\\|" "$R$FLAGF"
sed -i "s|^Environment=\"GLOG_v=1\"|&\nEnvironment=ZK_CREDS=aurora:$PW\nEnvironment=\"OTHER=1\" \"ZK_CREDS=aurora:$PW\"|" "$R$FLAGF"
run "${A[@]}" --json --check --diff apply
is "$rc" 0 "$NAME: apply --check exits 0"
hidden "apply --check --json"
fixture variable-debian debian
sed -i "s|^EXTRA_SCHEDULER_ARGS=.*|ZK_CREDS=\"aurora:$PW\"\nEXTRA_SCHEDULER_ARGS=\"-zk_digest_credentials=\$ZK_CREDS -enable_preemptor=true\"|" "$R$FLAGF"
run "${A[@]}" --check --diff apply
is "$rc" 0 "$NAME: debian apply --check exits 0"
hidden "debian apply --check --diff"
LONG=ZK_CREDENTIALS_$(printf 'X%.0s' $(seq 70))
fixture variable-long debian
sed -i "s|^EXTRA_SCHEDULER_ARGS=.*|$LONG=\"aurora:$PW\"\nEXTRA_SCHEDULER_ARGS=\"-zk_digest_credentials=\${$LONG} -enable_preemptor=true\"|" "$R$FLAGF"
run "${A[@]}" --check --diff apply
is "$rc" 0 "$NAME: a variable with a long name: apply --check exits 0"
hidden "a long variable name: apply --check --diff"

done_testing
