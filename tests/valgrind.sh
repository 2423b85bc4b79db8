#!/bin/bash
# tests/valgrind.sh: make valgrind. The whole test suite (tests/run) with
# every run of the tool under valgrind memcheck, then each fuzz corpus
# replayed under it (fuzz/replay-*, built by make). Passes only with zero
# memcheck errors and no definite or indirect leak, except those named in
# tests/valgrind.supp (dependencies, each with its reason).
#
# Logs: BUILDDIR/tests/valgrind/PID.log, one per process; a non-empty one
# is a finding. Arguments are passed to tests/run (names to run).
set -u

# All in a function: bash has read it whole before it runs.
main() {
	: "${SRCDIR:?run me through make valgrind}" "${BUILDDIR:?}"
	: "${FUZZ_TARGETS:=tjson snapshot vars zk profile shell flags clusters}"
	logs=$BUILDDIR/tests/valgrind
	# Some tests run the tool as another user: its logs must go here too.
	rm -rf "$logs" && mkdir -p "$logs" && chmod 1777 "$logs" || exit 1
	vg="valgrind -q --tool=memcheck --error-exitcode=99 --leak-check=full
	    --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect
	    --suppressions=$SRCDIR/tests/valgrind.supp --log-file=$logs/%p.log"

	# The tool as the tests call it ($AR), under valgrind. A crash trial's run
	# kills itself mid-write (AURORA_RESTORE_TEST_CRASH_AFTER, src/fileio.c);
	# valgrind still does its exit leak check then, so leaks are not checked in
	# those runs (memory errors still are).
	cat >"$logs/aurora-restore" <<-EOF
	#!/bin/sh
	if [ -n "\$AURORA_RESTORE_TEST_CRASH_AFTER" ]; then
		exec $(echo $vg) --leak-check=no "$BUILDDIR/aurora-restore" "\$@"
	fi
	exec $(echo $vg) "$BUILDDIR/aurora-restore" "\$@"
	EOF
	chmod +x "$logs/aurora-restore"

	start=$(date +%s)
	AR=$logs/aurora-restore "$SRCDIR/tests/run" "$@" | grep -v ': [0-9]* checks$'
	suite=${PIPESTATUS[0]}
	runs=$(ls "$logs"/*.log 2>/dev/null | wc -l)
	echo "valgrind: test suite exit $suite, $runs runs of the tool, $(( $(date +%s) - start )) s"

	rc=0
	[ $# -eq 0 ] && for t in $FUZZ_TARGETS; do
		$vg "$BUILDDIR/fuzz/replay-$t" "$SRCDIR/fuzz/corpus/$t" 2>/dev/null | tail -n 1
		[ "${PIPESTATUS[0]}" -eq 0 ] || rc=1
	done
	bad=$(find "$logs" -name '*.log' -size +0 | sort)
	total=$(ls "$logs"/*.log | wc -l)
	echo "valgrind: $total processes, $(echo "$bad" | grep -c .) with errors or leaks"
	for f in $bad; do
		echo "== $f"
		head -n 40 "$f"
	done
	[ -z "$bad" ] && [ "$suite" -eq 0 ] && [ "$rc" -eq 0 ]
}
main "$@"
exit
