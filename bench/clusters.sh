#!/bin/bash
# bench/clusters.sh [MB...]: apply and revert of the recovery profile on a
# Debian host whose /etc/aurora/clusters.json holds many clusters (the
# host's own in the middle), for each size in MB (default 0.5 2 12). Prints
# wall and CPU seconds and peak RSS of each, and checks that every byte outside the
# cluster's entry is kept and that revert gives the file back exactly.
# Run by hand from a build tree: bash bench/clusters.sh
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
AR=${AR:-$top/aurora-restore}
work=$(mktemp -d /tmp/ar-bench-clusters.XXXXXX)
trap 'rm -rf "$work"' EXIT
export AURORA_RESTORE_LENSDIR=${AURORA_RESTORE_LENSDIR:-$top/lenses}
printf 'advertised_host = "sched1.example.com";\nsystemctl = "/bin/true";\n' >"$work/ar.conf"

clusters() {		# clusters MB: a list of entries, "example" in the middle
	python3 - "$1" <<'EOP'
import sys
size = float(sys.argv[1]) * 1024 * 1024
one = ('  {\n    "name": "c%d",\n    "zk": "10.%d.%d.%d",\n    "scheduler_zk_path": "/aurora/scheduler",\n'
       '    "auth_mechanism": "UNAUTHENTICATED",\n    "slave_run_directory": "latest",\n'
       '    "slave_root": "/var/lib/mesos"\n  }')
n = int(size // len(one % (0, 0, 0, 0)))
entries = [one % (i, i >> 16 & 255, i >> 8 & 255, i & 255) for i in range(n)]
entries.insert(n // 2, '  {"name": "example", "zk": "127.0.0.1", "scheduler_zk_path": "/aurora/scheduler"}')
sys.stdout.write("[\n" + ",\n".join(entries) + "\n]\n")
EOP
}

timed() {		# timed NAME ARGS...: one run, "NAME: S s, R MB"
	local name=$1; shift
	/usr/bin/time -f "%e %U %S %M" -o "$work/time" "$AR" "$@" >/dev/null 2>"$work/err" || { cat "$work/err"; return 1; }
	read -r s u sy kb <"$work/time"
	echo "  $name: wall $s s, cpu $(echo "$u + $sy" | bc) s, $((kb / 1024)) MB RSS (load $(cut -d' ' -f1 /proc/loadavg))"
}

for mb in "${@:-0.5 2 12}"; do
	for m in $mb; do
		R=$work/root
		rm -rf "$R"; mkdir -p "$R/etc/default" "$R/etc/aurora"
		cp "$top/tests/data/aurora-examples/debian-aurora-scheduler.default" "$R/etc/default/aurora-scheduler"
		clusters "$m" >"$R/etc/aurora/clusters.json"
		cp "$R/etc/aurora/clusters.json" "$work/orig.json"
		echo "clusters.json $(du -k "$work/orig.json" | cut -f1) KB:"
		timed apply --root "$R" --config "$work/ar.conf" apply --reason bench
		python3 - "$work/orig.json" "$R/etc/aurora/clusters.json" <<'EOP'
import json, sys
a, b = open(sys.argv[1]).read(), open(sys.argv[2]).read()
i = a.index('{"name": "example"'); j = a.index('}', i) + 1
k = b.index('{"name": "example"'); l = b.index('}', k) + 1
assert a[:i] == b[:k] and a[j:] == b[l:], "bytes outside the entry changed"
e = json.loads(b[k:l]); assert e["scheduler_uri"] == "http://sched1.example.com:8081", e
print("  outside the entry: byte-identical; entry:", b[k:l])
EOP
		timed revert --root "$R" --config "$work/ar.conf" revert
		cmp -s "$work/orig.json" "$R/etc/aurora/clusters.json" && echo "  revert: byte-identical" || echo "  revert: DIFFERS"
	done
done
