# Durable writes, seen in the system calls (strace): for the journal and
# each managed file, apply and revert write a temporary in the file's own
# directory, fsync it, rename it onto the file, then fsync the directory,
# in that order (tests/syscall-order.py reads the trace); revert's move of
# the journal to last-reverted.json is followed by a directory fsync. A write that
# skips any step can be lost or torn by a power cut, which no other test
# sees. Fixture hosts: the debian, rpm and systemd cases of tests/cases.
# min-checks: 24
. "$SRCDIR/tests/lib.sh"

command -v strace >/dev/null 2>&1 || bail "strace is installed (.ci/packages)"
J=/var/lib/aurora-restore/journal.json

traced() {		# traced NAME ARGS...: $AR under strace into $T/NAME.trace
	local name=$1; shift
	# LeakSanitizer cannot run under ptrace: leaks are checked everywhere else.
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	strace -f -y -qq -s 0 -e trace=openat,write,fsync,fdatasync,rename,renameat2 \
	    -o "$T/$name.trace" "$AR" "$@" >"$T/.out" 2>"$T/.err"
	rc=$?
}
durable() {		# durable TRACE ROOT WHAT FILE...: one check a FILE
	local trace=$1 root=$2 what=$3 f line; shift 3
	for f; do
		line=$(/usr/bin/python3 "$SRCDIR/tests/syscall-order.py" "$trace" "$root$f")
		is "${line#"$root"}" "$f ok" "$what: $f written to a temporary, fsynced, renamed, its directory fsynced"
	done
}

for c in debian-apply rpm-apply systemd-apply; do
	case=$SRCDIR/tests/cases/$c
	R=$T/$c
	mkdir -p "$R"
	cp -a "$case/root/." "$R/"
	managed=$(cd "$case/expect-root" && find . -type f | sed 's|^\.||' | while read -r f; do
		cmp -s "$case/root$f" "$case/expect-root$f" || echo "$f"; done | sort)
	[ -n "$managed" ] || bail "$c: expect-root differs from root in at least one file"
	A=(--root "$R" --config "$case/aurora-restore.conf")
	traced "$c.apply" "${A[@]}" apply --reason durability
	is "$rc" 0 "$c: apply under strace exits 0"
	# shellcheck disable=SC2086
	durable "$T/$c.apply.trace" "$R" "$c: apply" $managed "$J"
	traced "$c.revert" "${A[@]}" revert
	is "$rc" 0 "$c: revert under strace exits 0"
	durable "$T/$c.revert.trace" "$R" "$c: revert" $managed
	line=$(/usr/bin/python3 "$SRCDIR/tests/syscall-order.py" "$T/$c.revert.trace" "$R$J=>$R${J%/*}/last-reverted.json")
	like "$line" " ok$" "$c: revert: the journal moved to last-reverted.json, its directory fsynced"
done

done_testing
