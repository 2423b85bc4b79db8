#!/bin/bash
# tests/mutations.sh [NAME...]: plant each bug of tests/mutations.list in a
# scratch copy of the tree, one at a time, rebuild, run the tests the entry
# names, and say whether they caught it. The real tree is never modified.
#
#   make mutations                 every mutation (by hand; minutes)
#   tests/mutations.sh NAME...     only these
#
# First the copy is built and the named tests are run once unmutated: they
# must pass, or nothing can be learned. Each entry's SEARCH must occur
# exactly once in its file, else the run stops (the source moved on).
# Prints "caught NAME (the first failure)" or "SURVIVED NAME" per mutation,
# then "N mutations: N caught, N survived"; exits 0 only when all are caught.
# MUTATIONS_LIST picks another list; MUTATIONS_KEEP=1 keeps the scratch copy.
set -u
here=$(cd "$(dirname "$0")" && pwd)
SRCDIR=${SRCDIR:-$(dirname "$here")}
LIST=${MUTATIONS_LIST:-$SRCDIR/tests/mutations.list}
W=$(mktemp -d "${TMPDIR:-/tmp}/ar-mutations.XXXXXX") || exit 1
[ "${MUTATIONS_KEEP:-}" = 1 ] || trap 'rm -rf "$W"' EXIT
TREE=$W/tree

cat >"$W/mut.py" <<'PY'
import sys

def entries(path):
    out, cur = [], None
    for n, line in enumerate(open(path), 1):
        line = line.rstrip("\n")
        if line.startswith("@ "):
            f = line[2:].split()
            if len(f) < 3:
                sys.exit("%s:%d: want '@ NAME FILE TEST...'" % (path, n))
            cur = {"name": f[0], "file": f[1], "tests": f[2:], "line": n}
            out.append(cur)
        elif line.startswith(("- ", "+ ")) and cur is not None:
            text = line[2:].replace("\\n", "\n").replace("\\t", "\t")
            cur["search" if line[0] == "-" else "replace"] = text
    for m in out:
        if "search" not in m or "replace" not in m:
            sys.exit("%s:%d: %s needs a '- SEARCH' and a '+ REPLACE' line" % (path, m["line"], m["name"]))
    return out

def main():
    cmd, path, tree = sys.argv[1:4]
    ms = entries(path)
    if cmd == "list":
        for m in ms:
            print("%s\t%s\t%s" % (m["name"], m["file"], " ".join(m["tests"])))
        return 0
    bad = 0
    for m in ms:
        if cmd == "apply" and m["name"] != sys.argv[4]:
            continue
        f = "%s/%s" % (tree, m["file"])
        try:
            src = open(f).read()
        except OSError as e:
            print("STALE %s (%s:%d): %s" % (m["name"], path, m["line"], e))
            bad += 1
            continue
        n = src.count(m["search"])
        if n != 1:
            print("STALE %s (%s:%d): its search text occurs %d times in %s, not once"
                  % (m["name"], path, m["line"], n, m["file"]))
            bad += 1
        elif cmd == "apply":
            open(f, "w").write(src.replace(m["search"], m["replace"]))
    return 1 if bad else 0

sys.exit(main())
PY
mut() { /usr/bin/python3 "$W/mut.py" "$@"; }

mkdir -p "$TREE"
if git -C "$SRCDIR" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	(cd "$SRCDIR" && git ls-files -z --cached --others --exclude-standard |
		tar --null -T - --ignore-failed-read -cf - 2>/dev/null)
else
	(cd "$SRCDIR" && tar --exclude=.git -cf - .)
fi | tar -C "$TREE" -xf - || { echo "mutations: copying $SRCDIR failed"; exit 1; }
mut check "$LIST" "$TREE" || { echo "mutations: update $LIST"; exit 1; }

echo "mutations: building a copy of the tree in $TREE"
(cd "$TREE" && ./autogen.sh && ./configure --prefix=/usr --sysconfdir=/etc &&
	make -j2 && make -j2 check TESTS=) >"$W/build.log" 2>&1 ||
	{ tail -30 "$W/build.log"; echo "mutations: the unmutated copy does not build"; exit 1; }

runtests() {		# runtests LOG FILTER...: the copy's tests/run
	SRCDIR=$TREE BUILDDIR=$TREE AR=$TREE/aurora-restore \
	    timeout 1200 bash "$TREE/tests/run" "${@:2}" >"$1" 2>&1
}

wanted() {
	[ $# -eq 0 ] && return 0
	local w; for w; do [ "$w" = "$name" ] && return 0; done; return 1
}

mapfile -t all < <(mut list "$LIST" "$TREE")
filters=()
for m in "${all[@]}"; do
	IFS=$'\t' read -r name file tests <<<"$m"
	wanted "$@" || continue
	for t in $tests; do filters+=("$t"); done
done
[ ${#filters[@]} -gt 0 ] || { echo "mutations: no mutation named $*"; exit 1; }
mapfile -t filters < <(printf '%s\n' "${filters[@]}" | sort -u)
echo "mutations: the tests, unmutated: ${filters[*]}"
if ! runtests "$W/baseline.log" "${filters[@]}"; then
	grep -E 'not ok|Bail out' "$W/baseline.log" | head -20
	tail -n 1 "$W/baseline.log"
	echo "mutations: the tests fail without any mutation; fix that first"
	exit 1
fi
echo "mutations: $(tail -n 1 "$W/baseline.log")"

n=0 caught=0 survived=0 broken=0
for m in "${all[@]}"; do
	IFS=$'\t' read -r name file tests <<<"$m"
	wanted "$@" || continue
	n=$((n + 1))
	cp "$TREE/$file" "$W/orig"
	mut apply "$LIST" "$TREE" "$name" || exit 1
	if ! make -C "$TREE" -j2 all >"$W/make.log" 2>&1 || ! make -C "$TREE" -j2 check TESTS= >>"$W/make.log" 2>&1; then
		broken=$((broken + 1))
		printf '%-10s %s: does not build: %s\n' "BROKEN" "$name" "$(grep -m1 error: "$W/make.log")"
	elif runtests "$W/$name.log" $tests; then
		survived=$((survived + 1))
		printf '%-10s %s (%s: %s)\n' "SURVIVED" "$name" "$tests" "$(tail -n 1 "$W/$name.log")"
	else
		caught=$((caught + 1))
		printf '%-10s %s (%s)\n' "caught" "$name" \
		    "$(grep -m1 -E ': (not ok|Bail out)' "$W/$name.log" | cut -c1-150)"
	fi
	cp "$W/orig" "$TREE/$file"	# a new mtime: the next make rebuilds it
done
echo "$n mutations: $caught caught, $survived survived, $broken did not build"
[ "$survived" -eq 0 ] && [ "$broken" -eq 0 ]
