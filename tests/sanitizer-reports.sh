#!/bin/sh
# tests/sanitizer-reports.sh: run by make check after tests/run in a build
# configured with --enable-sanitizers. ASan, UBSan and LSan write their
# reports to BUILDDIR/tests/sanitizer/ (SANITIZER_ENV in configure.ac)
# instead of the stderr the tests compare: any error report fails the run
# (a warning alone, such as unit-util's refused huge malloc, does not). The
# files are printed, then moved aside so the next run starts clean.
d=${BUILDDIR:?run me through make check}/tests/sanitizer
bad=$(grep -l -E 'ERROR: |runtime error' "$d"/* 2>/dev/null)
n=$(echo "$bad" | grep -c .)
echo "sanitizer reports: $n ($(ls "$d" 2>/dev/null | wc -l) files)"
for f in $bad; do
	echo "== $f"
	head -n 60 "$f"
done
[ -d "$d" ] && rm -rf "$d.old" && mv "$d" "$d.old"
[ "$n" -eq 0 ]
