# The optional firewall and /etc/hosts steps, with real nftables and
# iptables rules inside network namespaces this test creates: traffic to
# http_port from an outsider is rejected, a listed peer and loopback get
# through, and revert removes the rules. Addresses are link-local and
# exist only inside these namespaces.
# min-checks: 34
# allow-skip: cannot create network namespaces here -- a container without CAP_SYS_ADMIN
. "$SRCDIR/tests/lib.sh"

if ! ip netns add "ar-s-$$" 2>/dev/null; then
	skip_all "cannot create network namespaces here"
fi
S=ar-s-$$ P=ar-p-$$ O=ar-o-$$
PORT=18081
cleanup() {
	ip netns pids "$S" 2>/dev/null | xargs -r kill 2>/dev/null
	for n in "$S" "$P" "$O"; do ip netns del "$n" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT
ip netns add "$P" && ip netns add "$O"
ip link add s0 netns "$S" type veth peer name p0 netns "$P"
ip link add s1 netns "$S" type veth peer name o0 netns "$O"
ip -n "$S" addr add 169.254.77.1/30 dev s0
ip -n "$P" addr add 169.254.77.2/30 dev p0
ip -n "$S" addr add 169.254.78.1/30 dev s1
ip -n "$O" addr add 169.254.78.2/30 dev o0
for l in "$S lo" "$S s0" "$S s1" "$P lo" "$P p0" "$O lo" "$O o0"; do
	set -- $l; ip -n "$1" link set "$2" up
done
mkdir -p "$T/www" && echo hello >"$T/www/vars"
ip netns exec "$S" /usr/bin/python3 -m http.server "$PORT" --bind 0.0.0.0 \
	--directory "$T/www" >/dev/null 2>&1 &
for i in $(seq 50); do
	ip netns exec "$S" bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT" 2>/dev/null && break
	sleep 0.1
done

reach() {		# reach NS ADDRESS: 0 when an HTTP GET gets through
	ip netns exec "$1" timeout 5 bash -c \
	    "exec 3<>/dev/tcp/$2/$PORT && printf 'GET /vars HTTP/1.0\r\n\r\n' >&3 && grep -q hello <&3" 2>/dev/null
}

mkroot() {
	rm -rf "$T/root"
	mkdir -p "$T/root/etc/default" "$T/root/etc/aurora"
	sed "s/^HTTP_PORT=.*/HTTP_PORT=$PORT/" "$EXAMPLES/debian-aurora-scheduler.default" \
	    >"$T/root/etc/default/aurora-scheduler"
	cp "$EXAMPLES/packaging-clusters.json" "$T/root/etc/aurora/clusters.json"
	printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n' >"$T/root/etc/hosts"
	cp -a "$T/root" "$T/orig"
}

for backend in nftables iptables; do
	tool=nft; [ "$backend" = iptables ] && tool=iptables
	command -v "$tool" >/dev/null 2>&1 || { skip "$backend rules" "$backend not installed"; continue; }
	cat >"$T/guard.conf" <<EOC
name = "guarded";
flags: { set: { max_registration_delay = "360mins"; }; };
hosts: { enable = true; address = "169.254.77.1"; names = "sched1.example.com sched1"; };
firewall: { enable = true; peers = [ "169.254.77.2" ]; backend = "$backend"; };
EOC
	rm -rf "$T/orig"; mkroot
	check "$backend: outsider reaches the scheduler before apply" reach "$O" 169.254.78.1
	ip netns exec "$S" "$AR" --root "$T/root" apply "$T/guard.conf" >"$T/out" 2>&1
	is "$?" 0 "$backend: apply exits 0"
	like "$(cat "$T/out")" "added firewall rule \($backend: reject tcp port $PORT except from lo, 169.254.77.2\)" "$backend: apply says which rule it added"
	if reach "$O" 169.254.78.1; then not_ok "$backend: outsider is rejected"; else ok "$backend: outsider is rejected"; fi
	check "$backend: listed peer gets through" reach "$P" 169.254.77.1
	check "$backend: loopback gets through" reach "$S" 127.0.0.1
	like "$(cat "$T/root/etc/hosts")" $'169.254.77.1\tsched1.example.com sched1' "$backend: /etc/hosts line added"
	ip netns exec "$S" "$AR" --root "$T/root" verify "$T/guard.conf" >"$T/out" 2>&1
	is "$?" 0 "$backend: verify sees the rule and the hosts line"
	ip netns exec "$S" "$AR" --root "$T/root" --detailed-exitcode apply "$T/guard.conf" >"$T/out" 2>&1
	is "$?" 0 "$backend: second apply changes nothing"
	ip netns exec "$S" "$AR" --root "$T/root" revert >"$T/out" 2>&1
	is "$?" 0 "$backend: revert exits 0"
	check "$backend: outsider reaches the scheduler after revert" reach "$O" 169.254.78.1
	same_file "$T/orig/etc/hosts" "$T/root/etc/hosts" "$backend: /etc/hosts is back byte for byte"
	same_file "$T/orig/etc/default/aurora-scheduler" "$T/root/etc/default/aurora-scheduler" "$backend: flags file is back"
	if [ "$backend" = nftables ]; then
		is "$(ip netns exec "$S" nft list ruleset)" "" "nftables: no rules left"
	else
		ip netns exec "$S" iptables -w -n -L AURORA_RESTORE >/dev/null 2>&1
		is "$?" 1 "iptables: chain removed"
	fi
	ip netns exec "$S" "$AR" --root "$T/root" verify "$T/guard.conf" >"$T/out" 2>&1
	is "$?" 2 "$backend: verify after revert reports drift"
	like "$(cat "$T/out")" "firewall \(absent\)" "$backend: verify names the missing firewall rule"
done

# A firewall step needs a fixed port: -http_port 0 is random.
rm -rf "$T/orig"; mkroot
sed -i 's/^HTTP_PORT=.*/HTTP_PORT=0/' "$T/root/etc/default/aurora-scheduler"
cp -a "$T/root" "$T/before"
ip netns exec "$S" "$AR" --root "$T/root" apply "$T/guard.conf" >"$T/out" 2>&1
is "$?" 78 "firewall with http_port 0 is refused as a configuration error"
check "nothing written when the firewall step cannot be planned" diff -r --exclude=run "$T/before" "$T/root"
done_testing
