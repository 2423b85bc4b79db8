#!/bin/sh
# fuzz/run.sh: libFuzzer builds and runs of the targets (make fuzz).
#
#   run.sh build  builds BUILDDIR/fuzz/clang/fuzz-TARGET with clang
#                 (-fsanitize=fuzzer,address,undefined), every module too
#   run.sh run    runs each target for FUZZ_SECONDS under nice, FUZZ_JOBS at
#                 a time, from SRCDIR/fuzz/corpus/TARGET; new inputs go to
#                 BUILDDIR/fuzz/work/TARGET (the source corpus is only read),
#                 crashes to BUILDDIR/fuzz/findings, logs to BUILDDIR/fuzz/logs;
#                 prints a line per target: executions, coverage, findings
#   run.sh merge  adds to SRCDIR/fuzz/corpus/TARGET the inputs of the work
#                 directory that reach new coverage (libFuzzer -merge=1)
#
# The make rules pass: CLANG SRCDIR BUILDDIR CFLAGS LIBS SOURCES (the
# modules, .c and .h) FUZZ_TARGETS FUZZ_SECONDS FUZZ_JOBS, and the
# preprocessor flags in BUILDDIR/fuzz/clang/cppflags.
set -u
: "${CLANG:=clang}" "${FUZZ_SECONDS:=600}" "${FUZZ_JOBS:=2}"
out=$BUILDDIR/fuzz/clang
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"

build() {
	CPPFLAGS=$(cat "$out/cppflags") || exit 1
	objs=
	for s in $SOURCES fuzz/common.c fuzz/hostrun.c; do
		case $s in *.c) ;; *) continue ;; esac
		src=$SRCDIR/$s
		[ -f "$src" ] || src=$BUILDDIR/$s	# generated: src/flagcat-table.c
		o=$out/$(echo "$s" | tr / _).o
		objs="$objs $o"
		[ "$o" -nt "$src" ] && [ -z "$(find "$SRCDIR/src" "$SRCDIR/fuzz" \
		    -name '*.h' -newer "$o" | head -1)" ] && continue
		$CLANG $CPPFLAGS $CFLAGS -g -O1 $san -fsanitize=fuzzer-no-link \
		    -c "$src" -o "$o" || exit 1
	done
	for t in $FUZZ_TARGETS; do
		$CLANG $CPPFLAGS $CFLAGS -g -O1 $san -fsanitize=fuzzer \
		    "$SRCDIR/fuzz/fuzz-$t.c" $objs $LIBS -o "$out/fuzz-$t" || exit 1
	done
}

# Leaks inside dependencies, each explained there.
LSAN_OPTIONS=suppressions=$SRCDIR/tests/lsan.supp:print_suppressions=0
export LSAN_OPTIONS
# The targets' scratch roots (fuzz/common.c) go to $scratch for run and
# merge: libFuzzer ends a process without atexit, so they are removed here.
scratch=$BUILDDIR/fuzz/tmp

one() {		# one TARGET: fuzz it, then print its summary line
	t=$1 log=$BUILDDIR/fuzz/logs/$1.log dict=
	mkdir -p "$BUILDDIR/fuzz/work/$t" "$BUILDDIR/fuzz/findings"
	[ -f "$SRCDIR/fuzz/dict/$t.dict" ] && dict=-dict=$SRCDIR/fuzz/dict/$t.dict
	nice -n 10 "$out/fuzz-$t" -max_total_time="$FUZZ_SECONDS" -timeout=10 \
	    -rss_limit_mb=2048 -print_final_stats=1 $dict \
	    -artifact_prefix="$BUILDDIR/fuzz/findings/$t-" \
	    "$BUILDDIR/fuzz/work/$t" "$SRCDIR/fuzz/corpus/$t" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	cov=$(grep -E '^#[0-9]+' "$log" | tail -1 | sed -n 's/.* cov: \([0-9]*\) ft: \([0-9]*\) corp: \([0-9]*\).*/cov \1, features \2, corpus \3/p')
	found=$(ls "$BUILDDIR/fuzz/findings" 2>/dev/null | grep -c "^$t-")
	echo "$t: exit $rc, ${execs:-?} executions in ${FUZZ_SECONDS}s, ${cov:-no coverage line}, $found findings (log: $log)"
}

run() {
	mkdir -p "$BUILDDIR/fuzz/logs"
	n=0
	for t in $FUZZ_TARGETS; do
		one "$t" &
		n=$((n + 1))
		[ $((n % FUZZ_JOBS)) -eq 0 ] && wait
	done
	wait
	! ls "$BUILDDIR/fuzz/findings" 2>/dev/null | grep -q .
}

merge() {
	for t in $FUZZ_TARGETS; do
		mkdir -p "$BUILDDIR/fuzz/work/$t"
		nice -n 10 "$out/fuzz-$t" -merge=1 -timeout=10 \
		    "$SRCDIR/fuzz/corpus/$t" "$BUILDDIR/fuzz/work/$t" 2>&1 | tail -1
	done
}

case ${1:-} in
build) build ;;
run) mkdir -p "$scratch" && TMPDIR=$scratch run; rc=$?; rm -rf "$scratch"; exit $rc ;;
merge) mkdir -p "$scratch" && TMPDIR=$scratch merge; rm -rf "$scratch" ;;
*) echo "usage: run.sh build|run|merge" >&2; exit 64 ;;
esac
