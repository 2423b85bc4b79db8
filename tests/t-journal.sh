#!/bin/bash
# tests/t-journal.sh: the journal (what it records, its permissions), status,
# finishing an interrupted apply, three-way revert and its conflicts, a second
# profile, the run lock, --json and --detailed-exitcode.
# min-checks: 109
. "$SRCDIR/tests/lib.sh"

FAKE=$SRCDIR/tests/fake
PY=/usr/bin/python3
ADV=sched1.example.com
JREL=var/lib/aurora-restore/journal.json
DEF=etc/default/aurora-scheduler
CL=etc/aurora/clusters.json
printf 'advertised_host = "%s";\nsystemctl = "%s";\nlive_root = true;\n' "$ADV" "$FAKE/systemctl" >"$T/ar.conf"
export FAKE_SYSTEMCTL_LOG=$T/systemctl.log FAKE_SYSTEMCTL_STAMP=$T/systemctl.stamp

fullsnap() {		# everything under a root, directories included
	(cd "$1" && find . -printf '%p %y %m %u:%g %T@\n' | LC_ALL=C sort &&
		find . -type f -exec sha256sum {} + | LC_ALL=C sort -k2)
}
filesnap() {		# the host's files: bytes, mode, owner, mtime
	snapshot "$1" | grep -Ev '^\./(var|run)/'
}
jq_() {			# jq_ FILE PYTHON-EXPRESSION-ON-j: print its value
	$PY -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# fresh NAME: a Debian host at $R, its pristine copy at $O; ar runs the tool on it.
fresh() {
	R=$T/$1/root O=$T/$1/orig
	mkdir -p "$R/etc/default" "$R/etc/aurora"
	cp "$EXAMPLES/debian-aurora-scheduler.default" "$R/$DEF"
	cp "$EXAMPLES/packaging-clusters.json" "$R/$CL"
	find "$R" -type f -exec touch -d @1500000000 {} +
	chmod 0640 "$R/$DEF" && chown 1234:2345 "$R/$DEF"
	chmod 0644 "$R/$CL"
	cp -a "$R" "$O"
}
ar() {
	run --root "$R" --config "$T/ar.conf" "$@"
}

# ---- the journal: where, permissions, contents ----
fresh journal
ar apply --reason "restore drill #42"
is "$rc" 0 "apply exits 0"
J=$R/$JREL
is "$(stat -c '%a %u' "$R/var/lib/aurora-restore") $(stat -c '%a %u' "$J")" "700 0 600 0" \
	"journal directory is 0700 and the journal 0600, owned by root"
is "$(jq_ "$J" 'j["format"]')" "aurora-restore-journal/2" "journal has its format key"
is "$(jq_ "$J" 'j["user"]')" "$(id -un)" "journal records who applied"
is "$(jq_ "$J" 'j["reason"]')" "restore drill #42" "journal records the reason"
is "$(jq_ "$J" 'j["profile"]')" "recovery" "journal records the profile"
like "$(jq_ "$J" 'j["completed"]')" '^[0-9]+$' "journal is marked complete"
is "$(jq_ "$J" 'sorted(f["path"] for f in j["files"])')" "['/etc/aurora/clusters.json', '/etc/default/aurora-scheduler']" \
	"journal lists exactly the files apply changed"
for f in $DEF $CL; do
	$PY -c '
import json, sys, base64
j = json.load(open(sys.argv[1]))
f = [x for x in j["files"] if x["path"] == "/" + sys.argv[2]][0]
sys.stdout.buffer.write(base64.b64decode(f["original_base64"]))' "$J" "$f" >"$T/orig.bytes"
	same_file "$O/$f" "$T/orig.bytes" "journal holds the original bytes of /$f"
done
is "$(jq_ "$J" '[(f["mode"], f["uid"], f["gid"]) for f in j["files"] if f["path"] == "/'$DEF'"][0]')" \
	"(416, 1234, 2345)" "journal holds the original mode and owner (0640, 1234:2345)"
is "$(jq_ "$J" '[(i["original"], i["original_raw"]) for i in j["items"] if i["name"] == "mesos_master_address"][0]')" \
	"('zk://127.0.0.1:2181/mesos', '\"zk://\${ZK_ENDPOINTS}/mesos\"')" \
	"journal holds the flag's original value and its raw text"
is "$(jq_ "$J" '[(i["original_present"], i["original"]) for i in j["items"] if i["name"] == "zk"][0]')" \
	"(True, '127.0.0.1')" "journal holds the cluster key's original"
is "$(jq_ "$J" '[i["original_present"] for i in j["items"] if i["name"] == "max_registration_delay"][0]')" \
	"False" "journal records that -max_registration_delay was absent"

# ---- status ----
ar status
is "$rc" 0 "status exits 0"
like "$out" "^profile recovery applied [0-9T:Z-]+ by $(id -un) \(reason: restore drill #42\)" \
	"status names profile, user and reason"
block="  mesos_master_address
    original: -mesos_master_address=zk://127.0.0.1:2181/mesos
    profile:  -mesos_master_address=zk://localhost:1111/mesos/master
    current:  -mesos_master_address=zk://localhost:1111/mesos/master"
case $out in *"$block"*) ok "status shows original/profile/current of a flag" ;;
*) not_ok "status shows original/profile/current of a flag" "$out" ;; esac
block='  zk
    original: "zk": "127.0.0.1"
    profile:  "zk" (absent)
    current:  "zk" (absent)'
case $out in *"$block"*) ok "status shows original/profile/current of a cluster key" ;;
*) not_ok "status shows original/profile/current of a cluster key" "$out" ;; esac
is "$(printf '%s\n' "$out" | grep -c '^    original: ')" 6 "status lists all six items"
sed -i 's|^EXTRA_SCHEDULER_ARGS=.*|EXTRA_SCHEDULER_ARGS="-max_registration_delay=90mins -reconciliation_initial_delay=365days"|' "$R/$DEF"
ar --json status
printf '%s' "$out" >"$T/status.json"
is "$($PY -c '
import json, sys
o = json.load(open(sys.argv[1]))
it = {i["name"]: i for i in o["items"]}
m = it["max_registration_delay"]; z = it["scheduler_uri"]
print(o["profile"], o["reason"], len(o["items"]), m["original"], m["profile"], m["current"], m["in_state"],
      z["original"], z["profile"], z["current"])' "$T/status.json" 2>&1)" \
	"recovery restore drill #42 6 None 360mins 90mins False None http://$ADV:8081 http://$ADV:8081" \
	"status --json shows profile, reason and each item's original/profile/current"
sed -i 's|^EXTRA_SCHEDULER_ARGS=.*|EXTRA_SCHEDULER_ARGS="-max_registration_delay=360mins -reconciliation_initial_delay=365days"|' "$R/$DEF"

# ---- an interrupted apply: journal incomplete, one file back to its original ----
crash() {		# crash: mark the journal incomplete, as if the run died mid-way
	$PY - "$R/$JREL" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
j["completed"] = None
json.dump(j, open(sys.argv[1], "w"), indent=2)
EOF
}
fresh crash
ar apply --reason crash
crash
cp -p "$O/$DEF" "$R/$DEF"	# the crash came before this file was written
ar status
like "$out" "did not finish" "status tells an interrupted apply"
ar apply
is "$rc" 0 "apply after a crash exits 0"
like "$out" "changed /$DEF" "apply after a crash finishes the missing file"
like "$(jq_ "$R/$JREL" 'j["completed"]')" '^[0-9]+$' "the journal is complete again"
is "$(jq_ "$R/$JREL" '[(i["original"], i["original_raw"]) for i in j["items"] if i["name"] == "mesos_master_address"][0]')" \
	"('zk://127.0.0.1:2181/mesos', '\"zk://\${ZK_ENDPOINTS}/mesos\"')" \
	"after the crash the journal still has the true original of the flag"
is "$(jq_ "$R/$JREL" '[i["original"] for i in j["items"] if i["name"] == "zk"][0]')" "127.0.0.1" \
	"after the crash the journal still has the true original of zk (not the restore value)"
ar verify
is "$rc" 0 "the host is in the recovery state after finishing"
ar revert
is "$rc" 0 "revert after a finished crash exits 0"
is "$(filesnap "$R")" "$(filesnap "$O")" "revert after a crash restores the true originals (bytes, mode, owner, mtime)"

# the crash came after every file was written, before the journal was completed
fresh crash2
ar apply
crash
s=$(filesnap "$R")
ar apply
is "$rc" 0 "apply finishes a run that crashed after its last write"
like "$out" "finished the interrupted run" "apply says it finished the interrupted run"
is "$(filesnap "$R")" "$s" "finishing it rewrites no file"
like "$(jq_ "$R/$JREL" 'j["completed"]')" '^[0-9]+$' "the journal is complete"
ar revert
is "$(filesnap "$R")" "$(filesnap "$O")" "then revert restores the originals exactly"

# revert straight after a crash (one file written, one not)
fresh crash3
ar apply
crash
cp -p "$O/$CL" "$R/$CL"
ar revert
is "$rc" 0 "revert of an interrupted apply exits 0"
for f in $DEF $CL; do
	same_file "$O/$f" "$R/$f" "revert of an interrupted apply restores /$f"
done
is "$(stat -c '%a %u:%g' "$R/$DEF")" "640 1234:2345" "and keeps its mode and owner"
test -e "$R/$JREL"
is "$?" 1 "and retires the journal"

# ---- three-way revert ----
fresh threeway
ar apply
sed -i 's/^GLOG_v=0$/GLOG_v=3/' "$R/$DEF"
sed 's/^GLOG_v=0$/GLOG_v=3/' "$O/$DEF" >"$T/want"
ar --detailed-exitcode revert
is "$rc" 2 "revert after an unrelated edit exits 2 (--detailed-exitcode)"
same_file "$T/want" "$R/$DEF" "revert keeps the operator's GLOG_v edit and takes out only our changes"
is "$(stat -c '%a %u:%g' "$R/$DEF")" "640 1234:2345" "three-way revert keeps mode and owner"
is "$(filesnap "$R" | grep clusters.json)" "$(filesnap "$O" | grep clusters.json)" \
	"the untouched clusters.json comes back exactly, mtime included"

# three-way revert of a clusters.json whose entry had a scheduler_uri already
fresh threeway_clusters
cat >"$R/$CL" <<'EOF'
[
  {
    "name": "example",
    "scheduler_uri": "http://old.example.com:8081",
    "zk": "127.0.0.1",
    "auth_mechanism": "UNAUTHENTICATED"
  }
]
EOF
cp -p "$R/$CL" "$O/$CL"
ar apply
sed -i 's/UNAUTHENTICATED/KERBEROS/' "$R/$CL"
sed 's/UNAUTHENTICATED/KERBEROS/' "$O/$CL" >"$T/want"
ar revert
is "$rc" 0 "three-way revert of clusters.json exits 0"
same_file "$T/want" "$R/$CL" "three-way revert of clusters.json gives the original plus the operator's edit, byte for byte"

# an edit of a value we manage is a conflict
fresh conflict
ar apply
sed -i 's|^MESOS_MASTER=.*|MESOS_MASTER="zk://10.9.9.9:2181/mesos"|' "$R/$DEF"
sed -i 's/^GLOG_v=0$/GLOG_v=3/' "$R/$DEF"
s=$(fullsnap "$R")
ar revert
is "$rc" 3 "revert refuses when a managed value was changed since (exit 3)"
like "$err" "mesos_master_address=zk://10.9.9.9:2181/mesos" "the refusal names the flag and its new value"
is "$(printf '%s\n' "$err" | wc -l)" 1 "the refusal is one line"
is "$(fullsnap "$R")" "$s" "a refused revert writes nothing (journal kept)"
ar revert --force
is "$rc" 0 "revert --force exits 0"
sed 's/^GLOG_v=0$/GLOG_v=3/' "$O/$DEF" >"$T/want"
same_file "$T/want" "$R/$DEF" "revert --force puts the original MESOS_MASTER back (and keeps GLOG_v)"
same_file "$O/$CL" "$R/$CL" "revert --force restores clusters.json"

# a conflict in clusters.json
fresh conflict2
ar apply
sed -i "s|\"scheduler_uri\": \"http://$ADV:8081\"|\"scheduler_uri\": \"http://elsewhere:9999\"|" "$R/$CL"
s=$(fullsnap "$R")
ar revert
is "$rc" 3 "revert refuses when the cluster's scheduler_uri was changed since"
like "$err" "scheduler_uri.*elsewhere:9999" "the refusal names the key"
is "$(fullsnap "$R")" "$s" "and writes nothing"

# three-way revert on a Debian host that had no MESOS_MASTER line
fresh nomaster
grep -v '^MESOS_MASTER=' "$O/$DEF" >"$R/$DEF"
cp -p "$R/$DEF" "$O/$DEF"
ar apply
is "$rc" 0 "apply on a Debian file without MESOS_MASTER exits 0"
sed -i 's/^GLOG_v=0$/GLOG_v=3/' "$R/$DEF"
sed 's/^GLOG_v=0$/GLOG_v=3/' "$O/$DEF" >"$T/want"
ar revert
is "$rc" 0 "three-way revert takes out the MESOS_MASTER line it added (exit 0)"
same_file "$T/want" "$R/$DEF" "and leaves the file as it was plus the operator's edit"

# three-way revert on a systemd unit: our changes out, the operator's edit kept
fresh threeway_unit
rm -rf "$R/etc/default" "$O/etc/default"
mkdir -p "$R/etc/systemd/system" "$O/etc/systemd/system"
U=etc/systemd/system/aurora-scheduler.service
cp "$EXAMPLES/vagrant-aurora-scheduler.service" "$R/$U"
cp -p "$R/$U" "$O/$U"
export FAKE_SYSTEMCTL_ROOT=$R
touch "$FAKE_SYSTEMCTL_STAMP"
printf '[{"name": "devcluster", "zk": "192.168.33.7"}]\n' >"$R/$CL"; cp -p "$R/$CL" "$O/$CL"
ar apply
is "$rc" 0 "apply on the vagrant unit exits 0"
sed -i 's/-mesos_role=aurora-role/-mesos_role=other-role/' "$R/$U"
sed 's/-mesos_role=aurora-role/-mesos_role=other-role/' "$O/$U" >"$T/want"
ar revert
is "$rc" 0 "three-way revert of the unit exits 0"
same_file "$T/want" "$R/$U" "three-way revert of the unit gives the original plus the operator's edit, byte for byte"

# ---- --check revert, drift and re-apply, a loose journal directory ----
fresh recheck
ar apply
s=$(fullsnap "$R")
ar --check revert
is "$rc" 0 "--check revert exits 0"
like "$out" "would restore /$DEF" "--check revert says what it would restore"
is "$(fullsnap "$R")" "$s" "--check revert writes nothing"
sed -i 's|^MESOS_MASTER=.*|MESOS_MASTER="zk://10.9.9.9:2181/mesos"|' "$R/$DEF"
ar --detailed-exitcode apply
is "$rc" 2 "apply after drift changes the flag back (exit 2)"
like "$(grep '^MESOS_MASTER=' "$R/$DEF")" 'zk://localhost:1111/mesos/master' "the master address is the recovery one again"
is "$(jq_ "$R/$JREL" '[i["original"] for i in j["items"] if i["name"] == "mesos_master_address"][0]')" \
	"zk://127.0.0.1:2181/mesos" "re-apply after drift keeps the true original, not the drifted value"
ar revert
is "$(filesnap "$R")" "$(filesnap "$O")" "revert after re-apply restores the true originals exactly"

fresh loosedir
mkdir -p "$R/var/lib/aurora-restore"
chmod 0755 "$R/var/lib/aurora-restore"
ar apply
is "$(stat -c '%a' "$R/var/lib/aurora-restore")" 700 \
	"a journal directory that existed with 0755 is made 0700 (it holds the original files)"

# ---- nothing applied, another profile ----
fresh nothing
s=$(fullsnap "$R")
ar revert
is "$rc" 0 "revert with nothing applied exits 0"
like "$out" "nothing" "revert with nothing applied says so"
is "$(fullsnap "$R" | grep -Ev '^\. |\./run(/| |$)')" "$(printf '%s\n' "$s" | grep -Ev '^\. |\./run(/| |$)')" "and writes nothing (the lock aside)"

cat >"$T/other.conf" <<'EOF'
name = "other";
description = "only a longer registration delay";
flags: { set: { max_registration_delay = "30mins"; }; };
EOF
fresh other
ar --check apply "$T/other.conf"
is "$rc" 0 "the second profile is valid (--check apply on a clean host)"
ar apply
s=$(fullsnap "$R")
ar apply "$T/other.conf"
is "$rc" 3 "applying another profile over an applied one exits 3"
like "$err" 'profile "recovery" is applied' "the refusal names the applied profile"
is "$(fullsnap "$R")" "$s" "and writes nothing"
ar revert
ar apply "$T/other.conf"
is "$rc" 0 "after revert the other profile applies"

# ---- the lock ----
fresh lock
mkdir -p "$R/run"
LOCK=$R/run/aurora-restore.lock
hold() {		# hold SECONDS: hold the lock in the background, wait until held
	flock -o "$LOCK" sleep "$1" &	# -o: the lock is flock's own, gone when it is
	holder=$!
	local i=0
	while flock -n "$LOCK" true && [ $i -lt 3000 ]; do sleep 0.01; i=$((i + 1)); done
}
# No clocks: the holder's life says who waited for whom.
hold 120
ar apply
is "$rc" 75 "apply exits 75 while another run holds the lock"
like "$err" "lock" "and says the lock is held"
check "and gives up at once (the holder still holds it)" kill -0 "$holder"
is "$(filesnap "$R")" "$(filesnap "$O")" "and writes nothing"
t0=$(date +%s%N)
ar --wait 1secs apply
t1=$(date +%s%N)
is "$rc $(( (t1 - t0) / 100000000 >= 9 ))" "75 1" "--wait 1secs waits at least 1 s, then gives up"
check "and the holder still holds the lock" kill -0 "$holder"
pkill -P "$holder" sleep; wait "$holder" 2>/dev/null
hold 1
ar --wait 60secs apply
is "$rc" 0 "--wait 60secs succeeds when the holder lets go after ~1 s"
if kill -0 "$holder" 2>/dev/null; then not_ok "it waited for the holder to let go"; else ok "it waited for the holder to let go"; fi
wait "$holder"
ar verify
is "$rc" 0 "the waiting run applied the profile"

# ---- --json and --detailed-exitcode ----
json_shape() {		# json_shape OUT RC: one object, the keys, failed == rc not in {0,2}
	printf '%s' "$1" >"$T/j.out"
	$PY - "$T/j.out" "$2" <<'EOF'
import json, sys
text = open(sys.argv[1]).read()
rc = int(sys.argv[2])
try:
    o, end = json.JSONDecoder().raw_decode(text)
except Exception as e:
    sys.exit("not JSON: %s: %r" % (e, text[:200]))
if text[end:].strip():
    sys.exit("more than one JSON value on stdout: %r" % text[end:][:200])
if not isinstance(o, dict):
    sys.exit("not an object")
for k, t in (("changed", bool), ("failed", bool), ("rc", int), ("msg", str), ("comment", str), ("diff", list)):
    if not isinstance(o.get(k), t):
        sys.exit("key %s missing or not %s: %r" % (k, t.__name__, o.get(k)))
if o["rc"] != rc:
    sys.exit("rc %d in JSON, exit status %d" % (o["rc"], rc))
if o["failed"] != (rc not in (0, 2)):
    sys.exit("failed is %r with rc %d" % (o["failed"], rc))
if o["comment"] != o["msg"] or "\n" in o["msg"] or not o["msg"]:
    sys.exit("msg/comment: %r %r" % (o["msg"], o["comment"]))
for d in o["diff"]:
    if set(d) != {"before_header", "after_header", "before", "after"}:
        sys.exit("diff entry keys: %r" % sorted(d))
print("changed=%s diff=%d" % (str(o["changed"]).lower(), len(o["diff"])))
EOF
}
fresh json
ar --json --detailed-exitcode apply
is "$rc" 2 "--json --detailed-exitcode apply exits 2 when it changes something"
is "$(json_shape "$out" "$rc")" "changed=true diff=2" "apply --json: one object, changed, two diffs"
ar --json --detailed-exitcode apply
is "$rc" 0 "a second --detailed-exitcode apply exits 0"
is "$(json_shape "$out" "$rc")" "changed=false diff=0" "second apply --json: changed false, no diff"
printf '%s' "$out" >"$T/j.out"
is "$($PY -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["rc"], d["failed"])' "$T/j.out")" "0 False" \
	"second apply --json: rc 0, failed false"
ar --json status
is "$(json_shape "$out" "$rc")" "changed=false diff=0" "status --json has the result shape"
ar --json verify
is "$(json_shape "$out" "$rc")" "changed=false diff=0" "verify --json has the result shape"
sed -i 's|^MESOS_MASTER=.*|MESOS_MASTER="zk://10.9.9.9:2181/mesos"|' "$R/$DEF"
ar --json verify
is "$rc" 2 "verify after an edit finds drift"
is "$(json_shape "$out" "$rc")" "changed=false diff=0" "verify --json with drift: failed false, rc 2"
ar --json revert
is "$rc" 3 "revert --json with a conflict exits 3"
is "$(json_shape "$out" "$rc")" "changed=false diff=0" "revert --json refusal: failed true, rc 3, msg set"
mkdir -p "$R/run"; LOCK=$R/run/aurora-restore.lock
hold 2
ar --json apply
is "$(json_shape "$out" "$rc")" "changed=false diff=0" "apply --json with the lock held: failed true, rc 75"
is "$rc" 75 "(exit 75)"
wait "$holder"
ar --json revert --force
is "$(json_shape "$out" "$rc")" "changed=true diff=2" "revert --force --json: changed, two diffs"
ar --json --wait soon apply
is "$(json_shape "$out" "$rc")" "changed=false diff=0" "a usage error with --json still prints one JSON object (rc 64)"
is "$rc" 64 "a usage error with --json: exit 64"
printf 'bogus_key = 1;\n' >"$T/bad.conf"
run --root "$R" --config "$T/bad.conf" --json apply
is "$(json_shape "$out" "$rc")" "changed=false diff=0" "a bad --config file with --json still prints one JSON object (rc 78)"
is "$rc" 78 "a bad --config file with --json: exit 78"

# revert with options that no longer find a journaled file: refuse, keep the journal
RV=$T/revert-options
rm -rf "$RV"; cp -a "$SRCDIR/examples/debian-host" "$RV"
"$AR" --root "$RV" apply >/dev/null 2>&1
printf '[{"name": "example", "scheduler_uri": "http://aurora1.example.com:8081"}]\n' >"$RV/etc/other.json"
/usr/bin/python3 -c 'import json,sys; p=sys.argv[1]; d=json.load(open(p)); d[0]["proxy_url"]="http://x"; open(p,"w").write(json.dumps(d))' "$RV/etc/aurora/clusters.json"
cp -a "$RV" "$T/revert-options.before"
"$AR" --root "$RV" --clusters-file /etc/other.json revert >"$T/.out" 2>"$T/.err"
is "$?" 3 "revert refuses when a changed journaled file is not among the files the options give"
like "$(cat "$T/.err")" "/etc/aurora/clusters.json changed since apply and is not among" "... naming the file"
check "... writes nothing and keeps the journal" diff -r --exclude=run "$T/revert-options.before" "$RV"
"$AR" --root "$RV" revert >"$T/.out" 2>"$T/.err"
is "$?" 0 "revert with the original options then works"
like "$(cat "$RV/etc/aurora/clusters.json")" '"zk": "127.0.0.1"' "... and puts zk back"
like "$(cat "$RV/etc/aurora/clusters.json")" '"proxy_url": "http://x"' "... keeping the operator's edit (a rewrite the text merge cannot take)"
# ---- never lose a byte (issue 10) ----
J=$JREL
temps_in() {		# the temporary files this tool's atomic writes leave under a root
	find "$1" -type f -name '.*.??????' | sed "s|^$1/||" | LC_ALL=C sort
}
killed() {		# killed N ARGS...: the tool killed after its Nth durable step
	AURORA_RESTORE_TEST_CRASH_AFTER=$1 run --root "$R" --config "$T/ar.conf" "${@:2}"
}
fresh steps
AURORA_RESTORE_TEST_STEPS=$T/apply.steps ar apply
AURORA_RESTORE_TEST_STEPS=$T/revert.steps ar revert
NA=$(wc -l <"$T/apply.steps") NR=$(wc -l <"$T/revert.steps")
is "$(( NA > 10 && NR > 4 ))" 1 "the crash hook counts the durable steps of apply ($NA) and revert ($NR)"

# revert after an apply killed at any step: never the original plus the applied text
bad=
for ((n = 1; n < NA; n++)); do
	fresh "kill-apply-$n"
	killed "$n" apply
	[ "$rc" = 137 ] || { bad+=" $n(not killed: $rc)"; continue; }
	ar revert
	[ "$rc" = 0 ] && [ "$(filesnap "$R")" = "$(filesnap "$O")" ] && [ ! -e "$R/$J" ] &&
	    [ -z "$(temps_in "$R")" ] || bad+=" $n(revert $rc: $(filesnap "$R" | wc -c) bytes of snapshot)"
done
is "$bad" "" "apply killed after each of its $NA steps, then revert: every file exactly the original, no journal, no temporary file"

fresh doubled
killed 15 apply
ar revert
is "$(wc -c <"$R/$DEF") $(grep -c '^\[' "$R/$CL")" "$(wc -c <"$O/$DEF") 1" \
	"apply killed after clusters.json's rename, then revert: the flags file is not doubled, clusters.json is one array"

# a full /var/lib/aurora-restore at the first and at the last journal save
if unshare -m --propagation private true 2>/dev/null; then
	jsize=$(stat -c %s "$T/steps/root/var/lib/aurora-restore/last-reverted.json")
	pages=$(( (jsize + 4095) / 4096 ))
	for at in first last; do
		fresh "full-$at"
		[ "$at" = first ] && size=$(( pages > 1 ? pages - 1 : 1 ))
		[ "$at" = last ] && size=$(( 2 * pages - 1 ))
		mkdir -p "$R/var/lib/aurora-restore" "$T/full-$at"
		unshare -m --propagation private bash -c '
			mount -t tmpfs -o size=$(( $4 * 4 ))k,mode=0700 tmpfs "$1/var/lib/aurora-restore" || exit 9
			"$AR" --root "$1" --config "$2" apply >"$3/out1" 2>"$3/err1"; echo $? >"$3/rc1"
			"$AR" --root "$1" --config "$2" revert >"$3/out2" 2>"$3/err2"; echo $? >"$3/rc2"
			ls -A "$1/var/lib/aurora-restore" >"$3/left"
		' full "$R" "$T/ar.conf" "$T/full-$at" "$size"
		is "$?" 0 "a tmpfs of $size pages at /var/lib/aurora-restore (journal: $pages)"
		is "$(cat "$T/full-$at/rc1")" 1 "/var full at the $at journal save: apply exits 1"
		like "$(cat "$T/full-$at/err1")" "journal.json.*(No space left|cannot)" "... naming the journal"
		is "$(cat "$T/full-$at/rc2")" 0 "... then revert exits 0 ($(cat "$T/full-$at/err2"))"
		is "$(filesnap "$R")" "$(filesnap "$O")" "... and every file is exactly the original (bytes, mode, owner, mtime)"
		is "$(cat "$T/full-$at/left")" "$([ $at = last ] && echo last-reverted.json)" "... no journal and no temporary file left in the full folder"
	done
else
	ok "# SKIP mount namespaces are not allowed here (unshare -m failed)"
fi

# a managed value that is not UTF-8 keeps its bytes in the journal
fresh latin1
sed -i 's|^MESOS_MASTER=.*|MESOS_MASTER="zk://h\xff:2181/mesos"|' "$R/$DEF"
cp -p "$R/$DEF" "$O/$DEF"
ar apply
is "$rc" 0 "apply with a non-UTF-8 MESOS_MASTER exits 0"
sed -i '/^MESOS_MASTER=/{h;d};$G' "$R/$DEF"
sed '/^MESOS_MASTER=/{h;d};$G' "$O/$DEF" >"$T/want"
ar revert
is "$rc" 0 "revert after the operator moved that line (no text merge) exits 0 ($err)"
same_file "$T/want" "$R/$DEF" "revert puts MESOS_MASTER back with its \\xff byte and keeps the operator's edit"

# a managed file deleted after apply
fresh deleted
ar apply
rm "$R/$CL"
ar revert
is "$rc" 3 "revert with clusters.json deleted since apply exits 3"
like "$err" "/$CL.*(deleted|missing)" "... naming the deleted file"
same_file "$O/$DEF" "$R/$DEF" "... and still restores the flags file"
test -e "$R/$J"; is "$?" 0 "... and keeps the journal"
ar revert --force
is "$rc" 0 "revert --force exits 0"
is "$(filesnap "$R")" "$(filesnap "$O")" "revert --force writes the deleted file's original: every file exactly as before"
test -e "$R/$J"; is "$?" 1 "... and retires the journal"

# a journal altered since apply is refused and kept; "resealed": a file's
# bytes changed and content_sha256 recomputed over them (as the tool does),
# so only the file's own original_sha256 shows the change
for how in emptied original applied item resealed; do
	fresh "tamper-$how"
	ar apply
	$PY - "$R/$J" "$how" <<'EOF'
import json, sys, base64
j = json.load(open(sys.argv[1]))
how = sys.argv[2]
if how == "emptied":
    j["files"] = []
elif how == "original":
    j["files"][0]["original_base64"] = base64.b64encode(b"EVIL=1\n").decode()
elif how == "applied":
    j["files"][1]["applied_base64"] = base64.b64encode(b"[]\n").decode()
elif how == "item":
    j["items"][0]["original"] = "zk://evil:2181/mesos"
else:
    import hashlib
    j["files"][0]["original_base64"] = base64.b64encode(b"EVIL=1\n").decode()
    c = json.dumps({"files": j["files"], "items": j["items"]}, sort_keys=True,
                   separators=(",", ":"), ensure_ascii=False)
    j["content_sha256"] = hashlib.sha256(c.encode()).hexdigest()
json.dump(j, open(sys.argv[1], "w"), indent=2)
EOF
	s=$(fullsnap "$R")
	ar revert
	is "$rc" 65 "revert with the journal's files $how: exit 65"
	like "$err" "$J" "... naming the journal"
	is "$(fullsnap "$R")" "$s" "... writing nothing and keeping the journal"
done

# stale temporary files of a killed run are removed by the next one, and only ours
fresh temps
ar apply
w=$(grep -n " write .*clusters.json" "$T/revert.steps" | cut -d: -f1)
killed "$w" revert
left=$(temps_in "$R")
printf 'not ours\n' >"$R/etc/aurora/.clusters.json.Ab12Cd"
ar apply
is "$rc $(temps_in "$R")" "0 etc/aurora/.clusters.json.Ab12Cd" \
	"revert killed with a temporary clusters.json ($left), then apply: its temporary file is gone, another tool's is kept"
fresh temps2
w=$(grep -n " write .*journal.json" "$T/apply.steps" | head -1 | cut -d: -f1)
killed "$w" apply
left=$(temps_in "$R")
ar revert
is "$rc $(temps_in "$R")" "0 " "apply killed before its first journal rename ($left), then revert: no temporary file"
# revert killed after it marked a daemon-reload pending, then apply: the reload is done
fresh unit-pending
rm -rf "$R/etc/default" "$O/etc/default"
mkdir -p "$R/etc/systemd/system" "$R/run/systemd/system"
cp "$EXAMPLES/vagrant-aurora-scheduler.service" "$R/etc/systemd/system/aurora-scheduler.service"
cp "$EXAMPLES/vagrant-clusters.json" "$R/$CL"
export FAKE_SYSTEMCTL_ROOT=$R
touch "$FAKE_SYSTEMCTL_STAMP"
ar apply
rm -f "$T/unit.steps"
AURORA_RESTORE_TEST_STEPS=$T/unit.steps killed 4 revert
is "$rc $(sed -n 4p "$T/unit.steps" | cut -d' ' -f2-)" "137 fsync-dir $R/var/lib/aurora-restore" \
	"revert killed right after it saved the journal (reload pending), before the unit"
ar apply
ar verify
is "$rc" 0 "then apply runs the pending daemon-reload: verify exits 0 ($(printf '%s' "$out" | grep 'out of place'))"
# apply again after the operator edited a journaled file: revert keeps the edit
for how in comment value; do
	fresh "reapply-$how"
	ar apply
	sed -i '1i # operator: keep this line' "$R/$DEF"
	[ "$how" = value ] && sed -i 's|^MESOS_MASTER=.*|MESOS_MASTER="zk://other:2181/mesos"|' "$R/$DEF"
	sed -i 's|-max_registration_delay=[^ "]*|-max_registration_delay=1mins|' "$R/$DEF"
	ar apply
	is "$rc" 0 "edited since apply ($how and a managed flag), apply again exits 0"
	ar revert
	sed '1i # operator: keep this line' "$O/$DEF" >"$T/want"
	is "$rc" 0 "... then revert exits 0 ($err)"
	same_file "$T/want" "$R/$DEF" "... and gives back the originals, keeping the operator's line"
done
as_format1() {		# as_format1 unfinished|no-applied: the journal as the old tool wrote it
	$PY - "$R/$J" "$1" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
j["format"] = "aurora-restore-journal/1"
del j["content_sha256"]
for f in j["files"]:
    del f["original_sha256"]
    if sys.argv[2] == "unfinished":
        f["applied_base64"] = ""
        f["sha256_after"] = ""
    else:
        del f["applied_base64"]
json.dump(j, open(sys.argv[1], "w"), indent=2)
EOF
}
# a format 1 journal (the old tool) of an apply killed after both files were
# written: revert with this tool gives back every byte and every mtime
fresh format1
w=$(grep -n " rename .*clusters.json" "$T/apply.steps" | cut -d: -f1)
killed "$w" apply
as_format1 unfinished
ar revert
is "$rc" 0 "a format 1 journal of an apply killed after its writes: revert exits 0 ($err)"
is "$(filesnap "$R")" "$(filesnap "$O")" "... every file exactly the original: bytes, mode, owner, mtime"
# a format 1 journal of a tool before applied_base64 (the checksum only),
# and a file edited since: revert takes the values out, never doubling it
fresh format1-old
ar apply
as_format1 no-applied
sed -i '1i # operator: keep this line' "$R/$DEF"
sed '1i # operator: keep this line' "$O/$DEF" >"$T/want"
ar revert
is "$rc" 0 "a format 1 journal without applied bytes, a file edited since: revert exits 0 ($err)"
same_file "$T/want" "$R/$DEF" "... the original with the operator's line, not the original and the edited file one after the other"
# the profile changed and applied again, killed at each step (the file
# edited by the operator before, or not): revert still knows the bytes the
# first apply left and gives back every original (with the edit) exactly
cp "$SRCDIR/profiles/recovery.conf" "$T/p1.conf"
sed 's/max_registration_delay = "360mins"/max_registration_delay = "400mins"/' "$T/p1.conf" >"$T/p2.conf"
fresh reprofile
ar apply "$T/p1.conf"
AURORA_RESTORE_TEST_STEPS=$T/reprofile.steps ar apply "$T/p2.conf"
NP=$(wc -l <"$T/reprofile.steps")
for how in plain edited; do
	bad=
	for ((n = 1; n < NP; n++)); do
		fresh "reprofile-$how-$n"
		ar apply "$T/p1.conf"
		[ "$how" = edited ] && sed -i '1i # operator: keep this line' "$R/$DEF" "$O/$DEF"
		killed "$n" apply "$T/p2.conf"
		ar revert
		if [ "$how" = edited ]; then	# an edited file's mtime is the revert's
			[ "$rc" = 0 ] && cmp -s "$O/$DEF" "$R/$DEF" && cmp -s "$O/$CL" "$R/$CL"
		else
			[ "$rc" = 0 ] && [ "$(filesnap "$R")" = "$(filesnap "$O")" ]
		fi || bad+=" $n(revert $rc: $err)"
	done
	is "$(( NP > 4 ))$bad" 1 "a changed profile applied again ($how), killed after each of its $NP steps, then revert: every file its original bytes (mode, owner, mtime too when not edited)"
done
# the operator copied our MESOS_MASTER= line to the end (bash uses the last):
# the text merge would take out only ours and leave the recovery master in
# force; revert refuses naming the file and writes nothing
fresh dup-line
ar apply
grep '^MESOS_MASTER=' "$R/$DEF" >"$T/line"
cat "$T/line" >>"$R/$DEF"
s=$(fullsnap "$R")
ar revert
is "$rc" 65 "our MESOS_MASTER= line copied to the end, revert: exit 65 ($err)"
like "$err" "/$DEF.*MESOS_MASTER" "... naming the file and the variable"
is "$(fullsnap "$R")" "$s" "... writing nothing and keeping the journal"
done_testing
