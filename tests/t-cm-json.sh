#!/bin/bash
# tests/t-cm-json.sh: what the tool prints is what each config-management
# tool expects of it (cli-contract.md, "JSON result").
#   - --json: exactly one line on stdout, one JSON object, for successes,
#     drift and every kind of failure: changed and failed booleans, rc the
#     exit status, failed exactly when rc is not 0 or 2, msg one line and
#     comment equal to it, diff a list of before/after entries.
#   - Ansible: the aurora_restore module (contrib/ansible) run by
#     ansible-core maps it: rc 2 is not a failure, every other non-zero
#     status is failed with the tool's message, check mode writes nothing
#     and skips the calls that change a scheduler, diff mode gives
#     before/after, a second apply changes nothing.
#   - Salt: cmd.run with stateful (Salt is not packaged in Debian 12; its
#     documented protocol, salt/states/cmd.py, is applied to the real
#     output): the whole stdout is a JSON object, changed and comment read
#     from it, success from the exit status.
#   - Puppet: the defined type in contrib/puppet, run by Debian's puppet
#     apply: an exec with `unless => verify` applies once, then changes
#     nothing; ensure => absent reverts byte for byte; a bad flag file
#     fails the run with the tool's exit status.
# min-checks: 60
. "$SRCDIR/tests/lib.sh"

PY=/usr/bin/python3
host() {		# host NAME: a Debian scheduler host at $T/NAME
	mkdir -p "$T/$1"
	cp -a "$SRCDIR/examples/debian-host/." "$T/$1/"
	touch -d '-1 day' "$T/$1/etc/default/aurora-scheduler" "$T/$1/etc/aurora/clusters.json"
}
host_snapshot() {	# host_snapshot DIR: snapshot without the tool's own state
	snapshot "$1" | grep -Ev '^\./(var/lib/aurora-restore/|run/aurora-restore\.lock )'
}
printf 'name = "other";\nflags: { set: { max_registration_delay = "10mins"; }; };\n' >"$T/other.conf"
host h
R=$T/h

# ---- the JSON result itself ------------------------------------------------------
# shape FILE RC: the contract's checks on one --json output; prints what is wrong
shape() {
	"$PY" - "$1" "$2" <<'EOF'
import json, sys
text = open(sys.argv[1]).read()
rc = int(sys.argv[2])
bad = []
if text.count("\n") != 1 or not text.endswith("\n"):
    bad.append("stdout is not exactly one line: %r" % text[:200])
try:
    o = json.loads(text)
except ValueError as e:
    print("not JSON: %s: %r" % (e, text[:200])); sys.exit(1)
if not isinstance(o, dict):
    bad.append("not an object")
else:
    for k, t in (("changed", bool), ("failed", bool), ("rc", int), ("msg", str), ("comment", str)):
        if not isinstance(o.get(k), t) or (t is int and isinstance(o.get(k), bool)):
            bad.append("%s is %r, want a %s" % (k, o.get(k), t.__name__))
    if o.get("rc") != rc:
        bad.append("rc %r, exit status %d" % (o.get("rc"), rc))
    if o.get("failed") != (rc not in (0, 2)):
        bad.append("failed %r with exit status %d" % (o.get("failed"), rc))
    if o.get("msg") != o.get("comment"):
        bad.append("comment %r differs from msg %r" % (o.get("comment"), o.get("msg")))
    if not o.get("msg") or "\n" in o.get("msg", ""):
        bad.append("msg is not one non-empty line: %r" % o.get("msg"))
    for d in o.get("diff", []):
        if sorted(d) != ["after", "after_header", "before", "before_header"] or \
                not all(isinstance(v, str) for v in d.values()):
            bad.append("diff entry %r" % d)
print("\n".join(bad))
sys.exit(1 if bad else 0)
EOF
}
json_run() {		# json_run WANT-RC DESCRIPTION ARGS...: --json run, shape checked
	local want=$1 what=$2
	shift 2
	"$AR" --json "$@" >"$T/j.out" 2>"$T/j.err"
	rc=$?
	is "$rc" "$want" "--json $what: exit status $want"
	check "--json $what: one JSON object, as the contract says" shape "$T/j.out" "$rc"
}
field() { "$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$T/j.out" "$1"; }

json_run 0 "apply --check --diff" --root "$R" --check --diff apply
like "$(field diff)" "before_header': '/etc/default/aurora-scheduler'" "--json --diff: the flag file's diff is in the list"
json_run 2 "verify before apply (drift)" --root "$R" verify
json_run 0 "apply" --root "$R" apply --reason "t-cm-json"
is "$(field changed)" True "--json apply: changed"
json_run 0 "apply again" --root "$R" apply
is "$(field changed)" False "--json apply again: nothing changed"
json_run 2 "revert --detailed-exitcode (changed)" --root "$R" --detailed-exitcode revert
json_run 64 "usage error" --root "$R" apply --bogus-option
echo 'garbage = ;' >"$T/bad.conf"
json_run 78 "bad configuration file" --root "$R" --config "$T/bad.conf" status
like "$(field msg)" "bad.conf:1" "--json bad configuration: msg names file and line"
host bad
printf 'MESOS_MASTER="zk://unterminated\n' >>"$T/bad/etc/default/aurora-scheduler"
json_run 65 "unparsable flag file" --root "$T/bad" verify
like "$(field msg)" "/etc/default/aurora-scheduler" "--json unparsable flag file: msg names the file"
"$AR" --root "$R" apply >/dev/null 2>&1
json_run 3 "another profile applied (refused)" --root "$R" apply "$T/other.conf"
like "$(field msg)" 'profile "recovery" is applied' "--json refused: msg says why"
json_run 1 "a scheduler that is not there" --root "$R" --timeout 2secs backups --scheduler http://127.0.0.1:1
mkdir -p "$R/run"
"$AR" --root "$R" status >/dev/null 2>&1	# creates nothing, but the lock file may need its folder
flock "$R/run/aurora-restore.lock" "$AR" --json --root "$R" apply >"$T/j.out" 2>"$T/j.err"
rc=$?
is "$rc" 75 "--json with the lock held elsewhere: exit status 75"
check "--json with the lock held: one JSON object, as the contract says" shape "$T/j.out" "$rc"

# ---- Ansible: the module, run by ansible-core --------------------------------------
if command -v ansible >/dev/null; then
	mkdir -p "$T/ansible"
	export ANSIBLE_CONFIG=$T/ansible/none.cfg ANSIBLE_HOME=$T/ansible ANSIBLE_LOCAL_TEMP=$T/ansible/tmp \
		ANSIBLE_REMOTE_TEMP=$T/ansible/remote ANSIBLE_LIBRARY=$SRCDIR/contrib/ansible/plugins/modules \
		ANSIBLE_LOAD_CALLBACK_PLUGINS=1 ANSIBLE_STDOUT_CALLBACK=json ANSIBLE_NOCOLOR=1 \
		ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3 ANSIBLE_LOCALHOST_WARNING=0 \
		ANSIBLE_INVENTORY_UNPARSED_WARNING=0 ANSIBLE_DEPRECATION_WARNINGS=0
	: >"$ANSIBLE_CONFIG"
	module() {	# module ARGS-JSON [ansible options]: $res, one line "rc failed changed skipped msg"
		ansible localhost -m aurora_restore -a "$1" "${@:2}" >"$T/a.json" 2>"$T/a.err"
		res=$("$PY" - "$T/a.json" <<'EOF'
import json, sys
try:
    r = json.load(open(sys.argv[1]))["plays"][0]["tasks"][0]["hosts"]["localhost"]
except Exception as e:
    print("no result: %s" % e); sys.exit()
print(r.get("rc"), bool(r.get("failed", False)), bool(r.get("changed", False)),
      bool(r.get("skipped", False)), r.get("msg"))
EOF
)
	}
	diff_of() {	# the module's diff list from the last run: before_header -> changed lines
		"$PY" - "$T/a.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))["plays"][0]["tasks"][0]["hosts"]["localhost"]
for d in r.get("diff", []):
    print(d["before_header"], len(d["before"]) > 0, d["before"] != d["after"])
EOF
	}
	host a
	A=$T/a
	host_snapshot "$A" >"$T/a.before"
	base='"executable": "'$AR'", "root": "'$A'"'
	module "{$base, \"command\": \"verify\"}"
	like "$res" "^2 False False False host is not in the recovery state" "ansible: verify's drift (rc 2) is not a failure"
	module "{$base, \"command\": \"apply\"}" --check --diff
	like "$res" "^0 False True False profile recovery would change" "ansible --check: apply says it would change"
	is "$(diff_of | tr '\n' ';')" "/etc/default/aurora-scheduler True True;/etc/aurora/clusters.json True True;" \
		"ansible --diff: one before/after entry a file"
	host_snapshot "$A" >"$T/a.now"
	same_file "$T/a.before" "$T/a.now" "ansible --check: nothing written"
	module "{$base, \"command\": \"apply\", \"reason\": \"ansible\"}"
	like "$res" "^0 False True False" "ansible: apply changed the host"
	module "{$base, \"command\": \"apply\"}"
	like "$res" "^0 False False False" "ansible: apply again changes nothing"
	module "{$base, \"command\": \"stage\", \"args\": [\"scheduler-backup-2026-11-27-02-00\"], \"scheduler\": \"http://127.0.0.1:1\"}" --check
	like "$res" "^0 False False True check mode: stage not run" "ansible --check: stage is skipped, not run"
	module "{$base, \"command\": \"apply\", \"profile\": \"$T/other.conf\"}"
	like "$res" '^3 True False False profile "recovery" is applied' "ansible: a refusal (exit 3) is failed, with the tool's message"
	module "{$base, \"command\": \"status\", \"config\": \"$T/bad.conf\"}"
	like "$res" "^78 True False False $T/bad.conf:1" "ansible: a bad configuration (exit 78) is failed, naming the file"
	module '{"executable": "'$AR'", "root": "'$T/bad'", "command": "apply"}'
	like "$res" "^65 True False False /etc/default/aurora-scheduler" "ansible: an unparsable flag file (exit 65) is failed, naming the file"
	module "{$base, \"command\": \"tasks\", \"status\": [\"BOGUS\"], \"scheduler\": \"http://127.0.0.1:1\"}"
	like "$res" "^64 True False False" "ansible: a usage error (exit 64) is failed"
	module "{$base, \"command\": \"revert\"}"
	like "$res" "^0 False True False" "ansible: revert changed the host"
	host_snapshot "$A" >"$T/a.now"
	same_file "$T/a.before" "$T/a.now" "ansible: after revert the host is as it was"
	module '{"executable": "'$T'/no-such-aurora-restore", "command": "status"}'
	like "$res" "True False False .*no-such-aurora-restore" "ansible: a missing binary is failed, naming it"
else
	not_ok "ansible is installed (Debian's ansible-core, see .ci/packages)"
fi

# ---- Salt: cmd.run with stateful: True -------------------------------------------
# salt STATE-FILE-ARGS: render contrib/salt/aurora-restore.sls with a pillar
# (Jinja, as Salt does), run each cmd.run state's command (test_name with
# test=True) through the shell, and read its output as Salt's cmd state
# reads a stateful command (the protocol of salt/states/cmd.py). One line a
# state: "ID result changed comment".
salt() {		# salt PILLAR-JSON TEST(true|false)
	"$PY" - "$SRCDIR/contrib/salt/aurora-restore.sls" "$1" "$2" <<'EOF'
import json, shlex, subprocess, sys
import jinja2, yaml
sls, pillar, test = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3] == "true"
salt = {"pillar.get": lambda key, default=None: pillar.get(key, default)}
states = yaml.safe_load(jinja2.Template(open(sls).read()).render(salt=salt))

def true(v):
    if v and str(v).lower() in ("true", "yes", "1"):
        return True
    if str(v).lower() in ("false", "no", "0"):
        return False
    raise ValueError("Failed parsing boolean value: %s" % v)

def stateful(rc, out):
    """result, changed, comment, as Salt reads stdout of a stateful command."""
    try:
        data = json.loads(out)
        if not isinstance(data, dict):
            return False, False, "script JSON output must be a JSON object (e.g., {})!"
    except ValueError:
        last = out.rstrip().split("\n")[-1]
        try:
            data = dict(item.split("=") for item in shlex.split(last))
        except ValueError:
            return False, False, "Failed parsing script output!"
    return rc == 0, true(data.get("changed", "no")), data.get("comment", "")

for sid, body in states.items():
    args = {}
    for item in body["cmd.run"]:
        args.update(item)
    cmd = args["name"]
    sf = args.get("stateful")
    if test:
        tn = [x["test_name"] for x in sf if "test_name" in x] if isinstance(sf, list) else []
        if not tn:
            print(sid, None, False, "would run"); continue
        cmd = tn[0]
    p = subprocess.run(cmd, shell=True, capture_output=True, text=True)
    print(sid, *stateful(p.returncode, p.stdout))
EOF
}
host s
S=$T/s
host_snapshot "$S" >"$T/s.before"
pillar() { printf '{"aurora_restore": {"ensure": "%s", "binary": "%s --root %s", "reason": "salt run"}}' "$1" "$AR" "$2"; }
like "$(salt "$(pillar present "$S")" true | tr '\n' ';')" \
	"^aurora-restore-apply True True profile recovery would change [^;]*;aurora-restore-verify None False would run;$" \
	"salt test=True: the example's test_name says apply would change; nothing runs"
host_snapshot "$S" >"$T/s.now"
same_file "$T/s.before" "$T/s.now" "salt test=True: nothing written"
like "$(salt "$(pillar present "$S")" false | tr '\n' ';')" \
	"^aurora-restore-apply True True applied profile recovery[^;]*;aurora-restore-verify True False host is in the recovery state;$" \
	"salt: apply is a change with the tool's message as comment; verify then succeeds"
like "$(salt "$(pillar present "$S")" false | tr '\n' ';')" "^aurora-restore-apply True False " \
	"salt: a second apply is no change"
"$AR" --root "$S" --json status >"$T/j.out" 2>/dev/null
is "$(field reason)" "salt run" "salt: the pillar's reason reaches the journal (status)"
like "$(salt "$(pillar absent "$S")" false)" "^aurora-restore-revert True True reverted profile recovery" \
	"salt: ensure absent reverts, a change"
like "$(salt "$(pillar absent "$S")" false)" "^aurora-restore-revert True False " "salt: reverting again is no change"
host_snapshot "$S" >"$T/s.now"
same_file "$T/s.before" "$T/s.now" "salt: after revert the host is as it was"
like "$(salt "$(pillar present "$T/bad")" false | tr '\n' ';')" \
	"^aurora-restore-apply False False /etc/default/aurora-scheduler[^;]*;aurora-restore-verify False False /etc/default/aurora-scheduler" \
	"salt: an unparsable flag file fails the states, the comment naming the file"

# ---- Puppet: exec with unless => verify -------------------------------------------------
if command -v puppet >/dev/null; then
	host p
	P=$T/p
	host_snapshot "$P" >"$T/p.before"
	mkdir -p "$T/puppet"
	# puppet_apply MANIFEST: puppet apply with every Puppet folder in $T;
	# its --detailed-exitcodes status in $rc (0 nothing, 2 changes, 4/6 failures)
	puppet_apply() {
		puppet apply --detailed-exitcodes --color=false --modulepath "$SRCDIR/contrib/puppet" \
		    --confdir "$T/puppet/conf" --vardir "$T/puppet/var" --codedir "$T/puppet/code" \
		    --logdir "$T/puppet/log" --rundir "$T/puppet/run" --publicdir "$T/puppet/public" \
		    --hiera_config /dev/null -e "$1" >"$T/puppet.out" 2>&1 </dev/null
		rc=$?
		out=$(grep -v 'Facter: ' "$T/puppet.out")
	}
	pp() { printf "aurora_restore::profile { 'recovery': ensure => %s, binary => '%s', root => '%s', reason => 'puppet' }" "$1" "$AR" "$2"; }
	puppet_apply "$(pp present "$P")"
	is "$rc" 2 "puppet: the first run applies the profile (changes)"
	like "$out" "Exec\\[aurora-restore apply recovery\\]/returns: executed successfully" "puppet: through the exec"
	check "puppet: the host verifies afterwards" "$AR" --root "$P" verify
	puppet_apply "$(pp present "$P")"
	is "$rc" 0 "puppet: the second run changes nothing (unless => verify exits 0)"
	puppet_apply "$(pp present "$T/bad")"
	is "$rc" 4 "puppet: an unparsable flag file fails the run"
	like "$out" "returned 65 instead of one of \\[0\\]" "puppet: with the tool's exit status"
	puppet_apply "$(pp absent "$P")"
	is "$rc" 2 "puppet: ensure => absent reverts (changes)"
	host_snapshot "$P" >"$T/p.now"
	same_file "$T/p.before" "$T/p.now" "puppet: after ensure => absent the host is as it was"
	puppet_apply "$(pp absent "$P")"
	is "$rc" 0 "puppet: ensure => absent again changes nothing"
else
	not_ok "puppet is installed (Debian's puppet, see .ci/packages)"
fi

done_testing
