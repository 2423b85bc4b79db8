#!/bin/bash
# fuzz/seed.sh: (re)write the seed inputs fuzz/corpus/TARGET/seed-* from the
# test fixtures (tests/cases, tests/data, tests/profiles, profiles/) and
# from python3-thrift (tests/scheduler/gen_fixtures.py, make_backup.py).
# Other corpus files (crash-*, and what make fuzz-merge added) are kept.
# Run from anywhere, by hand, when the fixtures change.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
c=$src/fuzz/corpus
py=/usr/bin/python3
tmp=$(mktemp -d)
mkdir "$tmp/r" "$tmp/s"
trap 'rm -rf "$tmp"' EXIT
for t in tjson snapshot vars zk profile shell flags clusters; do
	mkdir -p "$c/$t"
	rm -f "$c/$t"/seed-*
done

put() {			# put TARGET NAME: stdin becomes a seed (once per content)
	local f=$tmp/in sum
	cat >"$f"
	sum=$(sha1sum <"$f" | cut -c1-8)
	ls "$c/$1"/seed-*"-$sum" >/dev/null 2>&1 || cp "$f" "$c/$1/seed-$2-$sum"
}

# flags: "LAYOUT\n" then a flags file
for f in "$src"/tests/cases/*/{root,expect-root}/etc/default/aurora-scheduler "$src"/tests/data/aurora-examples/debian-*; do
	[ -f "$f" ] && { echo debian; cat "$f"; } | put flags debian
done
for f in "$src"/tests/cases/*/{root,expect-root}/etc/sysconfig/aurora* "$src"/tests/data/aurora-examples/rpm-*; do
	[ -f "$f" ] && { echo rpm; cat "$f"; } | put flags rpm
done
for f in "$src"/tests/cases/*/{root,expect-root}/etc/systemd/system/*.service "$src"/tests/cases/*/{root,expect-root}/etc/systemd/system/*.d/*.conf "$src"/tests/data/aurora-examples/*.service; do
	[ -f "$f" ] && { echo systemd; cat "$f"; } | put flags systemd
done
for f in "$src"/tests/cases/*/{root,expect-root}/etc/init/*.conf "$src"/tests/data/aurora-examples/*upstart*; do
	[ -f "$f" ] && { echo upstart; cat "$f"; } | put flags upstart
done
for f in "$src"/tests/cases/*/{root,expect-root}/etc/aurora/*.args; do
	[ -f "$f" ] && { echo argfile; cat "$f"; } | put flags argfile
done

# clusters: every clusters.json
for f in "$src"/tests/cases/*/{root,expect-root}/etc/aurora*/clusters.json "$src"/tests/cases/*/{root,expect-root}/home/*/.aurora/clusters.json "$src"/tests/data/aurora-examples/*clusters*.json; do
	[ -f "$f" ] || continue
	put clusters file <"$f"
	# the target looks up "devcluster": one copy per cluster named so
	grep -o '"name": *"[^"]*"' "$f" | sed 's/.*"\([^"]*\)"$/\1/' | sort -u |
		while IFS= read -r name; do
			sed "s/\"name\": *\"$name\"/\"name\": \"devcluster\"/" "$f" | put clusters "$name"
		done
done

# shell: each assignment's value and each word of the flag files
for f in "$src"/tests/cases/*/{root,expect-root}/etc/default/aurora-scheduler "$src"/tests/cases/*/{root,expect-root}/etc/sysconfig/aurora* \
    "$src"/tests/data/aurora-examples/debian-* "$src"/tests/data/aurora-examples/rpm-*; do
	[ -f "$f" ] && cat "$f"
done |
	sed -n 's/^[A-Za-z_][A-Za-z_0-9]*=//p; s/^[ \t]*\(-[a-z_].*\)$/\1/p' | sort -u | head -200 |
	while IFS= read -r v; do printf '%s' "$v" | put shell value; done

# profile: profiles, profile fixtures, the tool's configuration files
for f in "$src"/profiles/*.conf "$src"/tests/profiles/*.conf "$src"/tests/cases/*/aurora-restore.conf; do
	[ -f "$f" ] && put profile file <"$f"
done

# tjson: one byte (chunk size - 1), then a reply written by python3-thrift
$py "$src/tests/scheduler/gen_fixtures.py" replies "$tmp/r" >/dev/null
for f in "$tmp"/r/*.json; do
	[ "${f##*/}" = expect.json ] && continue
	[ "$(stat -c %s "$f")" -le 32768 ] || continue
	n=${f##*/}
	{ printf '\x07'; cat "$f"; } | put tjson "${n%.json}"
done

# snapshot: backups written by python3-thrift
$py "$src/tests/scheduler/gen_fixtures.py" snapshots "$tmp/s" >/dev/null
for f in "$tmp"/s/*.bin; do
	[ "$(stat -c %s "$f")" -le 16384 ] || continue
	n=${f##*/}
	put snapshot "${n%.bin}" <"$f"
done
for n in 1 5; do
	$py "$src/tests/scheduler/make_backup.py" --tasks $n --cron 1 --seed $n --out "$tmp/b$n" >/dev/null
	put snapshot "tasks$n" <"$tmp/b$n"
done

# vars: /vars pages as the scheduler double writes them (sorted "name value")
for state in IDLE STORAGE_PREPARED LEADER_AWAITING_REGISTRATION ACTIVE; do
	for reg in 0 1; do
		{
			echo "framework_registered $reg"
			echo "jvm_uptime_secs 42"
			for s in ACTIVE DEAD IDLE LEADER_AWAITING_REGISTRATION PREPARING_STORAGE STORAGE_PREPARED; do
				echo "scheduler_lifecycle_$s $([ $s = $state ] && echo 1 || echo 0)"
			done
			echo "task_store_RUNNING 23"
		} | put vars "$state-$reg"
	done
done

# hostile shapes (issue 16, tests/t-hostile.sh): listBackups of many short
# names, an OK reply without its result, a long name with an escape, empty
# tasks from another cluster; /vars pages that must not pass verify --live
lb() { printf '\x07[1,"listBackups",2,0,{"0":{"rec":{"1":{"i32":1}%s}}}]' "$1"; }
names=$(seq -f '"%03g"' 0 999 | paste -sd,)
lb ",\"3\":{\"rec\":{\"6\":{\"rec\":{\"1\":{\"set\":[\"str\",1000,$names]}}}}}" | put tjson hostile-many-names
lb "" | put tjson hostile-no-result
lb ',"3":{"rec":{"6":{"rec":{}}}}' | put tjson hostile-empty-backups
long=$(head -c 3000 /dev/zero | tr '\0' 'a')
lb ",\"3\":{\"rec\":{\"6\":{\"rec\":{\"1\":{\"set\":[\"str\",1,\"$long\\\"$long\"]}}}}}" | put tjson hostile-long-name
printf '\x00[1,"getTasksWithoutConfigs",2,0,{"0":{"rec":{"1":{"i32":1},"5":{"rec":{"1":{"str":"other-cluster"}}},"3":{"rec":{"3":{"rec":{"1":{"lst":["rec",3,{},{},{}]}}}}}}}}]' | put tjson hostile-empty-tasks
printf '<html><body><form action="/login">Login</form></body></html>\n' | put vars hostile-html
printf '' | put vars hostile-empty
printf 'scheduler_lifecycle_ACTIVE 1\n' | put vars hostile-active-only
printf 'scheduler_lifecycle_LEADER_AWAITING_REGISTRATION 1\nframework_registered 0\nframework_registered 1\n' | put vars hostile-registered-twice
printf 'scheduler_lifecycle_LEADER_AWAITING_REGISTRATION 1\nscheduler_lifecycle_STORAGE_PREPARED 1\nframework_registered 0\n' | put vars hostile-two-states
printf 'scheduler_lifecycle_LEADER_AWAITING_REGISTRATION 1\r\nframework_registered 0\r\n' | put vars hostile-crlf
printf 'scheduler_lifecycle_LEADER_AWAITING_REGISTRATION 1\nframework_registered zero\n' | put vars hostile-registered-word

# zk: a child's name, NUL, its data (as tests/zk-nodes.py writes them)
printf '_c_0f2e5a1c-5d0e-4b7e-9c7a-3f1d2b4c5e6f-latch-0000000001\0sched1.example.com' | put zk curator
printf '_c_0f2e5a1c-5d0e-4b7e-9c7a-3f1d2b4c5e6f-lock-0000000007\0127.0.0.2' | put zk curator-lock
printf 'singleton_candidate_0000000002\00010.0.0.1' | put zk singleton
printf 'member_0000000003\0{"serviceEndpoint":{"host":"sched1","port":8081},"additionalEndpoints":{"http":{"host":"sched1","port":8081}},"status":"ALIVE","shard":0}' | put zk member
printf 'member_0000000004\0{"additionalEndpoints":{"http":{"host":"[::1]","port":8081}},"status":"ALIVE"}' | put zk member-http
printf 'lock\0' | put zk other
ls "$c" | while read -r t; do echo "$t: $(ls "$c/$t" | wc -l) files"; done
