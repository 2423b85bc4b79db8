# SPNEGO against the scheduler double (--auth negotiate), with a private MIT
# KDC: a realm AR.TEST built by Debian's krb5-kdc entirely under $T
# (KRB5_CONFIG and KRB5_KDC_PROFILE point at generated files; the KDC
# listens on 127.0.0.1 at a free port; database, stash, log, keytabs and
# credential caches are in $T). Principals: HTTP/localhost (the server's
# keytab), alice (password, kinit into a private KRB5CCNAME) and bob (not
# allowed). /etc/krb5.conf, /etc/krb5kdc and /var/lib/krb5kdc are never
# touched; the test checks that they did not change.
# min-checks: 30
. "$SRCDIR/tests/lib.sh"

PY=/usr/bin/python3
S=$SRCDIR/tests/scheduler
missing=
for c in kdb5_util krb5kdc kadmin.local kinit klist curl /usr/bin/thrift; do
	command -v "$c" >/dev/null 2>&1 || PATH=$PATH:/usr/sbin command -v "$c" >/dev/null 2>&1 || missing="$missing $c"
done
PATH=$PATH:/usr/sbin
"$PY" -c 'import gssapi, thrift' 2>/dev/null || missing="$missing python3-gssapi/python3-thrift"
curl -V 2>/dev/null | grep -q SPNEGO || missing="$missing curl-with-SPNEGO"
[ -f "$S/aurora_test.thrift" ] || missing="$missing tests/scheduler/aurora_test.thrift"
if [ -n "$missing" ]; then
	skip_all "missing:$missing"
fi

K=$T/krb
mkdir -p "$K" "$T/backups"
kdc_pid= srv_pid=
cleanup() {
	[ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null
	[ -n "$kdc_pid" ] && kill "$kdc_pid" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

sysstate() {		# what must not change on the host
	{ sha256sum /etc/krb5.conf 2>&1; ls -la --time-style=full-iso /etc/krb5kdc /var/lib/krb5kdc 2>&1
	  [ -f /etc/krb5kdc/kdc.conf ] && sha256sum /etc/krb5kdc/kdc.conf; } | sed 's/^/  /'
}
before=$(sysstate)

free_port() {		# a port free for both UDP and TCP on 127.0.0.1 (50 tries)
	"$PY" -c 'import socket
for _ in range(50):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0))
    t = socket.socket()
    try:
        t.bind(("127.0.0.1", s.getsockname()[1]))
    except OSError:
        continue
    print(s.getsockname()[1])
    break'
}
KP=$(free_port)
[ -n "$KP" ] || bail "a port free for UDP and TCP for the KDC"
REALM=AR.TEST
cat >"$K/kdc.conf" <<EOF
[kdcdefaults]
 kdc_listen = 127.0.0.1:$KP
 kdc_tcp_listen = 127.0.0.1:$KP
[realms]
 $REALM = {
  database_name = $K/principal
  key_stash_file = $K/stash
  acl_file = $K/kadm5.acl
  admin_keytab = FILE:$K/kadm5.keytab
  kdc_listen = 127.0.0.1:$KP
  kdc_tcp_listen = 127.0.0.1:$KP
  max_life = 1h
  supported_enctypes = aes256-cts-hmac-sha1-96:normal aes128-cts-hmac-sha1-96:normal
 }
[logging]
 kdc = FILE:$K/kdc.log
 default = FILE:$K/kdc.log
EOF
cat >"$K/krb5.conf" <<EOF
[libdefaults]
 default_realm = $REALM
 dns_lookup_realm = false
 dns_lookup_kdc = false
 dns_canonicalize_hostname = false
 rdns = false
 udp_preference_limit = 1
[realms]
 $REALM = {
  kdc = 127.0.0.1:$KP
 }
[domain_realm]
 localhost = $REALM
EOF
export KRB5_CONFIG=$K/krb5.conf KRB5_KDC_PROFILE=$K/kdc.conf KRB5RCACHEDIR=$K
export KRB5CCNAME=FILE:$K/ccache.none KRB5_TRACE=/dev/null
unset KRB5_KTNAME KRB5_CLIENT_KTNAME
t0=$(date +%s%3N)

check "kdb5_util creates the realm's database under \$T" \
	kdb5_util create -s -r "$REALM" -P "master-$$-$RANDOM"
check "kadmin.local adds HTTP/localhost" kadmin.local -r "$REALM" -q "addprinc -randkey HTTP/localhost"
check "kadmin.local adds alice" kadmin.local -r "$REALM" -q "addprinc -pw alice-pw-$$ alice"
check "kadmin.local adds bob" kadmin.local -r "$REALM" -q "addprinc -pw bob-pw-$$ bob"
check "kadmin.local writes the server keytab" kadmin.local -r "$REALM" -q "ktadd -k $K/http.keytab HTTP/localhost"
like "$(klist -k "$K/http.keytab" 2>&1)" "HTTP/localhost@$REALM" "the keytab holds HTTP/localhost@$REALM"

krb5kdc -n -r "$REALM" >"$K/kdc.stdout" 2>&1 &
kdc_pid=$!
for i in $(seq 50); do
	(exec 3<>"/dev/tcp/127.0.0.1/$KP") 2>/dev/null && break
	sleep 0.1
done
check "the KDC listens on 127.0.0.1:$KP" bash -c "exec 3<>/dev/tcp/127.0.0.1/$KP"

ALICE=FILE:$K/ccache.alice BOB=FILE:$K/ccache.bob
check "kinit alice into a private cache" bash -c "echo alice-pw-$$ | KRB5CCNAME=$ALICE kinit alice >/dev/null"
check "kinit bob into a private cache" bash -c "echo bob-pw-$$ | KRB5CCNAME=$BOB kinit bob >/dev/null"
like "$(KRB5CCNAME=$ALICE klist 2>&1)" "Default principal: alice@$REALM" "alice holds a TGT"

"$PY" "$S/scheduler.py" --host 127.0.0.2 --port 0 --backup-dir "$T/backups" --leader \
	--auth negotiate --keytab "$K/http.keytab" --allowed alice \
	>"$T/srv.out" 2>"$T/srv.err" &
srv_pid=$!
port=
for i in $(seq 100); do
	port=$(sed -n 's/^LISTENING .*:\([0-9][0-9]*\)$/\1/p' "$T/srv.out")
	[ -n "$port" ] && break
	kill -0 "$srv_pid" 2>/dev/null || break
	sleep 0.1
done
[ -n "$port" ] || bail "the scheduler double starts with --auth negotiate" "$(cat "$T/srv.err")"

# The URL names localhost (so the service principal is HTTP/localhost);
# --connect-to sends the connection to 127.0.0.2.
URL=http://localhost:$port/api
CT=(--connect-to "localhost:$port:127.0.0.2:$port" -H 'Content-Type: application/x-thrift'
	-H 'Bypass-Leader-Redirect: true' --max-time 10)
LB='[1,"listBackups",1,0,{}]'
call() {		# call CCACHE CURL-ARGS...: sets $code $body $hdrs
	: >"$T/.b"; : >"$T/.h"
	code=$(KRB5CCNAME=$1 curl -sS -o "$T/.b" -D "$T/.h" -w '%{http_code}' "${CT[@]}" "${@:2}" \
		--data-binary "$LB" "$URL" 2>"$T/.e")
	body=$(cat "$T/.b"); hdrs=$(tr -d '\r' <"$T/.h")
}

call "FILE:$K/ccache.none"
is "$code" 401 "no Authorization header: 401"
like "$hdrs" "WWW-Authenticate: Negotiate" "... with WWW-Authenticate: Negotiate"
call "FILE:$K/ccache.none" --negotiate -u :
is "$code" 401 "curl --negotiate -u : without a ticket: 401"
call "$ALICE" --negotiate -u :
is "$code" 200 "curl --negotiate -u : with alice's ticket: 200"
like "$body" '^\[1,"listBackups",2,0,\{"0":\{"rec":\{"1":\{"i32":1\}' "... and the call answers OK"
call "$BOB" --negotiate -u :
is "$code" 200 "bob authenticates too"
like "$body" '"1":\{"i32":4\}' "... but lacks the permission: AUTH_FAILED"
like "$body" "Subject bob@$REALM lacks permission thrift.AuroraAdmin:listBackups" "... with Aurora's message"
call "$ALICE" -H 'Authorization: Negotiate YWJjZGVm'
is "$code" 401 "a bogus Negotiate token: 401"
KRB5CCNAME=$ALICE "$PY" "$S/client.py" --url "http://127.0.0.2:$port/api" --bypass \
	--negotiate --negotiate-host localhost --method listBackups >"$T/.out" 2>"$T/.err"
is "$?:$(cat "$T/.out")" "0:0 available backups:" "client.py --negotiate with alice's ticket lists the backups"
KRB5CCNAME=FILE:$K/ccache.none "$PY" "$S/client.py" --url "http://127.0.0.2:$port/api" --bypass \
	--negotiate --negotiate-host localhost --method listBackups >"$T/.out" 2>"$T/.err"
is "$?" 2 "client.py --negotiate without a ticket fails (exit 2)"
like "$(cat "$T/srv.err")" "listening on 127.0.0.2:$port" "the double logged its address"
kill "$srv_pid"; wait "$srv_pid" 2>/dev/null; srv_pid=

# aurora-restore itself, with Kerberos as clusters.json asks for it
# (auth_mechanism KERBEROS): libcurl's SPNEGO with the operator's ticket.
"$PY" "$S/scheduler.py" --host 127.0.0.1 --port 0 --backup-dir "$T/backups" --leader \
	--lifecycle LEADER_AWAITING_REGISTRATION --auth negotiate --keytab "$K/http.keytab" \
	--allowed alice --cluster example --log-auth "$T/authz" >"$T/srv2.out" 2>"$T/srv2.err" &
srv_pid=$!
port=
for i in $(seq 100); do
	port=$(sed -n 's/^LISTENING .*:\([0-9][0-9]*\)$/\1/p' "$T/srv2.out")
	[ -n "$port" ] && break
	sleep 0.1
done
R=$T/root
mkdir -p "$R/etc/default" "$R/etc/aurora"
cp "$EXAMPLES/debian-aurora-scheduler.default" "$R/etc/default/aurora-scheduler"
sed 's/"UNAUTHENTICATED"/"KERBEROS"/' "$EXAMPLES/packaging-clusters.json" >"$R/etc/aurora/clusters.json"
KRB5CCNAME=$ALICE "$AR" --root "$R" backups --scheduler "http://localhost:$port" >"$T/.out" 2>"$T/.err"
is "$?" 0 "aurora-restore backups with alice's ticket (KERBEROS in clusters.json)"
like "$(cat "$T/.out")" "0 backups" "... lists the backups"
tok=$(sed -n 's/^Negotiate //p' "$T/authz" 2>/dev/null | head -1)
if [ -n "$tok" ] && ! grep -qF -- "${tok:0:32}" "$T/.out" "$T/.err"; then ok "... and its Negotiate token is not on stdout or stderr"
else not_ok "... and its Negotiate token is not on stdout or stderr" "token: ${tok:0:32}"; fi
KRB5CCNAME=FILE:$K/ccache.none "$AR" --root "$R" backups --scheduler "http://localhost:$port" >"$T/.out" 2>"$T/.err"
is "$?" 1 "aurora-restore without a ticket fails (1)"
like "$(cat "$T/.err")" "authentication failed \(HTTP 401\)" "... saying authentication failed"
KRB5CCNAME=$BOB "$AR" --root "$R" backups --scheduler "http://localhost:$port" >"$T/.out" 2>"$T/.err"
is "$?" 1 "aurora-restore as bob: the scheduler answers AUTH_FAILED (1)"
like "$(cat "$T/.err")" "AUTH_FAILED" "... and says so"
kill "$srv_pid"; wait "$srv_pid" 2>/dev/null; srv_pid=
echo "# kerberos setup and checks took $(($(date +%s%3N) - t0)) ms"
is "$(sysstate)" "$before" "/etc/krb5.conf, /etc/krb5kdc and /var/lib/krb5kdc are unchanged"

done_testing
