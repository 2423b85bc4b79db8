#!/bin/bash
# tests/t-hostile.sh: a hostile or broken scheduler (tests/hostile.py, hand-
# written HTTP and Thrift JSON on 127.0.0.40-49) must not make the tool run
# out of memory, leak a password, act on the wrong cluster, misreport a
# commit, or trust a /vars page that does not say what it needs.
# RELIABILITY.md, "Hostile scheduler, ZooKeeper and network", lists the
# matrix. Every run is bounded with timeout(1) (exit 124 would fail it);
# memory is bounded through /usr/bin/time's maximum RSS, never time.
# allow-skip: a sanitizer build -- ASan's shadow memory and quarantine make peak RSS meaningless (the plain build checks it)
. "$SRCDIR/tests/lib.sh"

PY=/usr/bin/python3

# A host of cluster "example" (debian layout), for the cluster check.
R=$T/root
mkdir -p "$R/etc/default" "$R/etc/aurora" "$T/proc"
cp "$EXAMPLES/debian-aurora-scheduler.default" "$R/etc/default/aurora-scheduler"
cp "$EXAMPLES/packaging-clusters.json" "$R/etc/aurora/clusters.json"

n=0
hostile() {		# hostile NAME ARGS...: a hostile server; sets URL_NAME
	local name=$1 i; shift
	n=$((n + 1))
	"$PY" "$SRCDIR/tests/hostile.py" --host "127.0.0.$((40 + n % 10))" --record "$T/$name.calls" \
	    --lifetime 240 "$@" >"$T/$name.out" 2>"$T/$name.err" &
	pids+=($!)
	listening "$name" $!
}
bounded() {		# bounded SECS ARGS...: the tool under timeout(1); sets rc out err
	timeout "$1" "$AR" --root "$R" --proc "$T/proc" "${@:2}" >"$T/.out" 2>"$T/.err"
	rc=$?; out=$(cat "$T/.out"); err=$(cat "$T/.err")
}
measured() {		# measured ARGS...: bounded 60, and the peak RSS in KiB in $kib
	/usr/bin/time -f %M -o "$T/.rss" timeout 60 "$AR" --root "$R" --proc "$T/proc" "$@" \
	    >"$T/.out" 2>"$T/.err"
	rc=$?; out=$(cat "$T/.out"); err=$(cat "$T/.err"); kib=$(tail -1 "$T/.rss")
}
below() {		# below KIB LIMIT DESC
	if [ -n "${ASAN_OPTIONS:-}" ]; then skip "$3" "a sanitizer build"; return; fi
	if [ "${1:-999999999}" -lt "$2" ] 2>/dev/null; then ok "$3 (peak $1 KiB)"
	else not_ok "$3" "peak RSS ${1:-?} KiB, limit $2 KiB"; fi
}
changes() {		# changes NAME: the state-changing calls NAME received
	grep -Ev '^(listBackups|queryRecovery|getTasksWithoutConfigs) ' "$T/$1.calls" 2>/dev/null | cut -d' ' -f1 | paste -sd' '
}
json_get() {		# json_get EXPR: EXPR of o, the --json object on stdout
	printf '%s' "$out" | "$PY" -c 'import json,sys; o=json.load(sys.stdin); print('"$1"')' 2>&1
}

# ---- memory: what is kept, not 100-430 times the reply ----
# The old code kept each name as a string, a jansson object and a text line
# (3 MB of names: 596 MB); 200 000 names here (1.2 MB) cost it some 150 MB.
hostile many --backups 200000
measured backups --scheduler "$URL_many"
is "$rc" 0 "listBackups of 200000 three-byte names: listed"
is "$(printf '%s\n' "$out" | grep -c '^  ')" 200000 "... every name on its own line"
below "$kib" 40000 "... in memory proportional to the reply (under 40 MB)"
measured --json backups --scheduler "$URL_many"
is "$(json_get 'len(o["backups"]), o["msg"]')" "200000 200000 backups" "... and with --json, streamed as written"
below "$kib" 40000 "... --json under 40 MB too"

# A reply cut off after more than tasks holds back (1 MiB of lines): still
# nothing on stdout, the text listing is all or nothing.
"$PY" - "$T/cut.reply" "$T/whole.reply" <<'PYEOF'
import sys
t = ('{"1":{"rec":{"1":{"str":"t-%d"},"3":{"str":"h"},"4":{"rec":{"28":{"rec":{"1":{"str":"www"},'
     '"2":{"str":"prod"},"3":{"str":"web"}}}}},"6":{"i32":%d}}},"2":{"i32":2}}')
n = 60000
body = ('[1,"queryRecovery",2,0,{"0":{"rec":{"1":{"i32":1},"3":{"rec":{"9":{"rec":{"1":{"set":["rec",%d,%s]}}}}}}}}]'
        % (n, ",".join(t % (i, i) for i in range(n))))
open(sys.argv[1], "w").write(body[:-40])
open(sys.argv[2], "w").write(body)
PYEOF
hostile cut --raw-api "$T/cut.reply"
bounded 60 tasks --scheduler "$URL_cut"
is "$rc:$(printf '%s' "$out" | wc -c)" "65:0" "tasks, a reply cut off past 1 MiB of lines: exit 65, nothing on stdout"
like "$err" "^aurora-restore: http://127[.0-9]+:[0-9]+: reply truncated" "... the error on stderr says the reply was cut off"
hostile whole --raw-api "$T/whole.reply"
bounded 60 tasks --scheduler "$URL_whole"
is "$rc:$(printf '%s\n' "$out" | sed '1d;$d' | cut -f4 | awk '$1 != NR - 1' | wc -l):$(printf '%s\n' "$out" | sed '1d;$d' | wc -l)" "0:0:60000" \
	"... the whole reply: every line once, in order, past the lines held in memory"

hostile empty --tasks 200000 --empty-tasks
measured --json tasks --all-states --scheduler "$URL_empty"
is "$(json_get 'len(o["tasks"]), o["rc"]')" "200000 0" "tasks --json: 200000 empty tasks ({}), every one in the output"
below "$kib" 40000 "... without a JSON tree of them (under 40 MB; the old code: some 260 MB)"

# 300 000 small tasks (a 25 MB reply): the old code peaked at some 90 MB.
hostile www --tasks 300000 --lean-tasks --roles www
measured delete-tasks --role www --all-states --yes --scheduler "$URL_www"
is "$rc" 0 "delete-tasks --role www --yes: 300000 tasks deleted"
is "$(changes www)" "deleteRecoveryTasks" "... in one call"
below "$kib" 45000 "... in memory proportional to what is kept: the ids (under 45 MB)"
like "$(tail -c 100 "$R/var/lib/aurora-restore/audit.log")" '"299999"\],"outcome":"ok"\}$' "... every id in audit.log"

measured backups --scheduler "$URL_many" --max-reply 100000
is "$rc" 65 "--max-reply 100000 against a 1.2 MB listBackups reply: refused (65)"
below "$kib" 20000 "... before the reply is kept"

# ---- a password in the scheduler URL: refused, never echoed ----
hostile pw
hp=${URL_pw#http://}
for u in "http:///op:s3cret@$hp" "http:/op:s3cret@$hp" "http://op:s3cret@$hp" "op:s3cret@$hp"; do
	bounded 15 --json backups --scheduler "$u"
	is "$rc" 64 "--scheduler '$u': refused (64)"
	case "$out$err$(cat "$R/var/lib/aurora-restore/audit.log" 2>/dev/null)" in
	*s3cret*) not_ok "... and s3cret is not echoed" "$out" "$err" ;;
	*) ok "... and s3cret is not echoed" ;;
	esac
done
is "$(cat "$T/pw.calls" 2>/dev/null)" "" "... and nothing was sent to the scheduler"
bounded 15 leader --hosts "127.0.0.2,http:///op:s3cret@$hp"
is "$rc:$(printf '%s' "$out$err" | grep -c s3cret)" "64:0" "--hosts with user info: refused (64), not echoed"
cp "$R/etc/aurora/clusters.json" "$T/clusters.json"
"$PY" - "$R/etc/aurora/clusters.json" "http:/op:s3cret@$hp" <<'EOF'
import json, sys
c = json.load(open(sys.argv[1])); c[0]["scheduler_uri"] = sys.argv[2]; c[0].pop("zk", None)
json.dump(c, open(sys.argv[1], "w"))
EOF
sed -i 's/^ZK_ENDPOINTS=/#&/' "$R/etc/default/aurora-scheduler"
bounded 15 backups
is "$rc:$(printf '%s' "$out$err" | grep -c s3cret)" "65:0" "clusters.json scheduler_uri with user info: bad data (65), not echoed"
like "$err" "scheduler_uri" "... names scheduler_uri"
cp "$T/clusters.json" "$R/etc/aurora/clusters.json"
sed -i 's/^#\(ZK_ENDPOINTS=\)/\1/' "$R/etc/default/aurora-scheduler"

# A 307 whose Location carries user info: not followed, and the user info
# is not echoed (in the message, --json or the audit log).
for L in "http://op:s3cret@127.0.0.1:9/api" "op:s3cret@127.0.0.1:9" "HTTP://:s3cret@[::1]:9/" \
    "http://op%3As3cret@127.0.0.1:9/" "http://op:s3cret@h@h2/"; do
	hostile loc --api-status 307 --location "$L"
	bounded 15 --json unload --scheduler "$URL_loc"
	is "$rc:$(changes loc)" "3:" "a 307 to '$L': not the leader (3), not followed"
	case "$out$err$(cat "$R/var/lib/aurora-restore/audit.log" 2>/dev/null)" in
	*s3cret*) not_ok "... and s3cret is not echoed" "$out" "$err" ;;
	*) ok "... and s3cret is not echoed" ;;
	esac
done
like "$out" "redirects to an address libcurl cannot read" "... a Location libcurl cannot read is not shown"

# ---- commit: anything but a complete answer is outcome unknown ----
# From the call on, the server's /vars is cut for --down seconds (a restart):
# the tool watches /vars as for a dropped connection, then 0 (back) or 4.
for mode in close-body status-close close-full silence trickle; do
	m=${mode//-/_} down=1
	case $mode in silence|trickle) down=3 ;; esac
	hostile "c_$m" --change "$mode" --down $down
	eval "u=\$URL_c_$m"
	bounded 20 commit --yes --scheduler "$u" --timeout 2secs
	is "$rc" 0 "commit, reply '$mode', the scheduler restarts: /vars watched, committed (0)"
	like "$out" "did not answer|is back" "... says it watched /vars"
	hostile "d_$m" --change "$mode" --down -1
	eval "u=\$URL_d_$m"
	bounded 20 commit --yes --scheduler "$u" --timeout 2secs
	is "$rc" 4 "commit, reply '$mode', the scheduler never comes back: outcome unknown (4)"
done
# A chunked reply cut inside its chunk, a 100 Continue then a close, a gzip
# body (never asked for) cut short, an OK for another sequence id or method.
printf '[1,"commitRecovery",2,7,{"0":{"rec":{"1":{"i32":1}}}}]' >"$T/seq7.json"
printf '[1,"unloadRecovery",2,0,{"0":{"rec":{"1":{"i32":1}}}}]' >"$T/unload.json"
for how in "--change chunk-cut" "--change continue-close" "--change gzip-cut" \
    "--raw-change $T/seq7.json" "--raw-change $T/unload.json"; do
	hostile odd $how --down -1
	bounded 20 commit --yes --scheduler "$URL_odd" --timeout 2secs
	is "$rc" 4 "commit, reply ${how#--}, the scheduler never comes back: outcome unknown (4)"
done
# A proxy in front of the scheduler answers 502 or 504 when the scheduler
# closed or went quiet: the commit may have happened (commitRecovery shuts
# the scheduler down inside the call).
for code in 502 504; do
	hostile g$code --change gateway-$code --down 1
	eval "u=\$URL_g$code"
	bounded 20 commit --yes --scheduler "$u" --timeout 2secs
	is "$rc" 0 "commit, a proxy's HTTP $code, the scheduler restarts: /vars watched, committed (0)"
	hostile h$code --change gateway-$code --down -1
	eval "u=\$URL_h$code"
	bounded 20 commit --yes --scheduler "$u" --timeout 2secs
	is "$rc" 4 "commit, a proxy's HTTP $code, the scheduler never comes back: outcome unknown (4)"
	like "$err" "HTTP $code" "... and names the proxy's status"
done
# The other changes: a proxy's 502 is outcome unknown (4), and the audit
# log says so and why, not "connection dropped".
hostile gstage --change gateway-502 --tasks 3 --roles www
for c in "stage some-backup --force" "delete-tasks --role www --yes" "unload" "backup-now"; do
	bounded 15 $c --scheduler "$URL_gstage"
	is "$rc" 4 "$c, a proxy's HTTP 502: outcome unknown (4)"
	like "$err" "a proxy answered [a-zA-Z]+ with HTTP 502.*may or may not have happened" "... the message says what is unknown"
	like "$(tail -1 "$R/var/lib/aurora-restore/audit.log")" '"outcome":"outcome unknown: [^"]*HTTP 502' "... and audit.log records an unknown outcome with the proxy's status"
done
hostile gcheck --change gateway-502 --tasks 3 --roles www
for c in "stage some-backup --force" "delete-tasks --role www --yes" "commit --yes" "unload" "backup-now"; do
	bounded 15 --check $c --scheduler "$URL_gcheck"
	is "$rc" 0 "--check $c, behind a proxy that answers changes with 502: exit 0"
	like "$out" "would" "... says what it would do"
done
is "$(changes gcheck)" "" "... and no state-changing call reached it"
printf '<html><body>Login</body></html>\n' >"$T/login.html"
hostile c_login --change close-body --down 1 --vars-after "$T/login.html"
bounded 20 commit --yes --scheduler "$URL_c_login" --timeout 3secs
is "$rc" 4 "commit cut off, and what comes back on /vars is a login page, not a scheduler: outcome unknown (4)"
hostile c_ok --change ok --down 1
bounded 20 commit --yes --scheduler "$URL_c_ok" --timeout 3secs
is "$rc" 0 "commit answered OK with Content-Length: committed (0)"

# ---- the wrong cluster: refused (3) before anything changes ----
hostile other --cluster other-cluster --tasks 3 --roles www
for c in "stage some-backup --force" "delete-tasks --role www --yes" "commit --yes" "unload" "backup-now"; do
	bounded 15 $c --scheduler "$URL_other"
	is "$rc" 3 "$c on a scheduler of cluster other-cluster: refused (3)"
	like "$err" "serves cluster \"other-cluster\", not \"example\"" "... names both clusters"
done
is "$(changes other)" "" "... and no state-changing call reached it"
bounded 15 unload --scheduler "$URL_other" --cluster other-cluster
is "$rc:$(changes other)" "0:unloadRecovery" "with --cluster other-cluster it is the cluster restored: unloaded"
hostile noinfo --cluster ''
bounded 15 unload --scheduler "$URL_noinfo"
is "$rc:$(changes noinfo)" "3:" "a scheduler that does not say its cluster: refused (3), nothing changed"

# ---- --insecure reaches /vars too ----
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/key.pem" -out "$T/cert.pem" -days 1 \
    -subj /CN=aurora-restore-test >/dev/null 2>&1
hostile tls --tls-cert "$T/cert.pem" --tls-key "$T/key.pem" --down 1
tu=https://${URL_tls#http://}
bounded 15 leader --hosts "$tu" --insecure --timeout 3secs
is "$rc" 0 "leader --insecure against a self-signed https scheduler: /vars read"
bounded 15 leader --hosts "$tu" --timeout 3secs
is "$rc" 1 "... and without --insecure the certificate is refused (1)"
bounded 20 commit --yes --scheduler "$tu" --insecure --timeout 3secs
is "$rc" 0 "commit --insecure against a self-signed https scheduler: committed (0)"

# ---- timeouts: zero and overflow refused, sub-millisecond rounded up ----
hostile slow --change silence --down -1
for t in 0secs 0ms 9223372036854775807days; do
	bounded 10 unload --scheduler "$URL_slow" --timeout "$t"
	is "$rc" 64 "--timeout $t: a usage error (64), not a call without a timeout"
done
bounded 10 unload --scheduler "$URL_slow" --timeout 500us
like "$rc" '^(1|4)$' "--timeout 500us: rounded up to 1 ms, no hang (1 when the cluster check times out, 4 when the unload does)"
like "$err" "no answer (to unloadRecovery )?within 0.0005 s" "... and says it timed out"

# ---- filters: what the scheduler returns that was not asked for is dropped ----
hostile mixed --tasks 6 --roles www,db
bounded 15 delete-tasks --role www --all-states --yes --scheduler "$URL_mixed"
is "$rc" 0 "delete-tasks --role www, the scheduler also returns db tasks: done"
is "$(grep '^deleteRecoveryTasks' "$T/mixed.calls" | grep -o '"t-[0-9]*"' | paste -sd' ')" '"t-0" "t-2" "t-4"' \
    "... only the www tasks deleted"
like "$out" "left out: 3 tasks" "... the others reported as left out"
bounded 15 --json tasks --role www --all-states --scheduler "$URL_mixed"
is "$(json_get '[t["role"] for t in o["tasks"]], o["tasks_left_out"]')" "['www', 'www', 'www'] 3" \
    "tasks --role www: only www tasks, 3 left out"

# An empty filter (delete-tasks --task-id "$IDS" with IDS empty) is a usage
# error: it filtered nothing and every staged task, of every state, went.
hostile emptyf --tasks 4 --roles www,db
for a in --task-id= --task-id=, --status= --status=,, --role= --env= --job=; do
	bounded 15 delete-tasks "$a" --yes --scheduler "$URL_emptyf"
	is "$rc" 64 "delete-tasks $a --yes: a usage error (64)"
done
is "$(changes emptyf)" "" "... and nothing was deleted"

# ---- an OK reply without its result is bad data, not "0" ----
hostile nores --no-result --tasks 3
bounded 15 backups --scheduler "$URL_nores"
is "$rc" 65 "listBackups answered OK without a result: bad data (65), not 0 backups"
bounded 15 tasks --scheduler "$URL_nores"
is "$rc" 65 "queryRecovery answered OK without a result: bad data (65), not 0 tasks"

# ---- a role that is not UTF-8 is counted and kept in --json ----
hostile latin --tasks 2 --roles 'www,\xff'
bounded 15 --json tasks --all-states --scheduler "$URL_latin"
is "$(json_get 'len(o["tasks"]), [t["role"] for t in o["tasks"]]')" "2 ['www', '\\\\xed\\\\xb3\\\\xbf']" \
    "a role with bytes that are not UTF-8: in --json, each such byte as the text \\xNN (as every --json string)"

# ---- leader: addresses ----
bounded 10 leader --hosts '[::1]' --timeout 1secs
like "$out" 'http://\[::1\]:8081 ' "--hosts '[::1]': the default port kept (not 80)"
bounded 10 leader --hosts '[::1]:8090' --timeout 1secs
like "$out" 'http://\[::1\]:8090 ' "--hosts '[::1]:8090': its port kept"
hostile dup
hp=${URL_dup#http://}
bounded 15 leader --hosts "${hp%:*},$hp,http://$hp/" --http-port "${hp##*:}" --timeout 3secs
is "$rc:$(printf '%s\n' "$out" | grep -c "^http")" "0:1" \
    "--hosts naming one scheduler three ways: probed once, one leader (not 'more than one')"

# ---- verify --live: passes only on a positive /vars ----
bounded 30 apply --reason t-hostile
is "$rc" 0 "the host is put into the recovery state"
vars() { printf "$1" >"$T/vars.$2"; hostile "v$2" --vars-file "$T/vars.$2"; }
vars 'scheduler_lifecycle_LEADER_AWAITING_REGISTRATION 1\nframework_registered 0\n' good
bounded 15 verify --live --scheduler "$URL_vgood" --timeout 3secs
is "$rc" 0 "verify --live: a leader awaiting registration, framework_registered 0: in place (0)"
vars '<html><body><form>Login</form></body></html>\n' html
vars '' empty
vars 'scheduler_lifecycle_ACTIVE 1\n' active
vars 'scheduler_lifecycle_LEADER_AWAITING_REGISTRATION 1\nframework_registered 0\nframework_registered 1\n' twice
vars 'scheduler_lifecycle_LEADER_AWAITING_REGISTRATION 1\nscheduler_lifecycle_STORAGE_PREPARED 1\nframework_registered 0\n' two
vars 'scheduler_lifecycle_LEADER_AWAITING_REGISTRATION 1\nframework_registered zero\n' word
vars 'scheduler_lifecycle_LEADER_AWAITING_REGISTRATION 1\nframework_registered 0\n\0framework_registered 1\n' nul
for v in html empty active twice two nul word; do
	eval "u=\$URL_v$v"
	bounded 15 verify --live --scheduler "$u" --timeout 3secs
	is "$rc" 2 "verify --live, /vars '$v': drift (2), not 'not registered'"
done
like "$out" "framework_registered is neither 0 nor 1" "... says what was seen"

done_testing
