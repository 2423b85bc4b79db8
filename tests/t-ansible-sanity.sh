#!/bin/bash
# tests/t-ansible-sanity.sh: Ansible's own checks on the collection
# aurora.restore (contrib/ansible), with what Debian 12 provides:
# ansible-test sanity from ansible-core 2.14, every test run by Debian's
# python3 with the Debian-packaged linters (tests/ansible/ansible-test-local:
# PyPI, where ansible-test fills its per-test virtual environments from, is
# not reachable), and the module's unit tests with python3-pytest.
# A copy of the collection with one option left undocumented must fail
# validate-modules, naming the option: the checks can fail.
. "$SRCDIR/tests/lib.sh"

PY=/usr/bin/python3
need=
command -v ansible-test >/dev/null || need+=" ansible-test (ansible-core)"
for m in pytest yaml voluptuous pycodestyle pylint yamllint packaging; do
	"$PY" -c "import $m" 2>/dev/null || need+=" python3 module $m"
done
if [ -n "$need" ]; then
	not_ok "the sanity tools are installed (.ci/packages)" "missing:$need"
	done_testing
	exit
fi
pyver=$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')

collection() {		# collection DIR: a copy of contrib/ansible as DIR/ansible_collections/aurora/restore
	mkdir -p "$1/ansible_collections/aurora"
	cp -r "$SRCDIR/contrib/ansible" "$1/ansible_collections/aurora/restore"
	rm -rf "$1/ansible_collections/aurora/restore/tests/output"
	find "$1" -name __pycache__ -prune -exec rm -rf {} +
}
sanity() {		# sanity DIR ARGS...: ansible-test sanity in DIR's collection; $rc, $out
	out=$(cd "$1/ansible_collections/aurora/restore" && HOME=$T/home timeout 900 \
		"$SRCDIR/tests/ansible/ansible-test-local" sanity --python "$pyver" --color no "${@:2}" 2>&1)
	rc=$?
}

mkdir -p "$T/home"
collection "$T/c"
sanity "$T/c"
is "$rc" 0 "ansible-test sanity passes on the collection (Python $pyver)"
[ "$rc" = 0 ] || printf '%s\n' "$out" | grep -E '^(ERROR|FATAL)' | head -20 | sed 's/^/#   /'
ran=$(printf '%s\n' "$out" | sed -n 's/^Running sanity test "\([^"]*\)".*/\1/p' | LC_ALL=C sort | tr '\n' ' ')
for t in ansible-doc validate-modules yamllint pylint pep8 compile import runtime-metadata; do
	like "$ran" "(^| )$t " "sanity test $t ran"
done
is "$(printf '%s\n' "$out" | grep -c 'Skipping sanity test')" 0 "no sanity test was skipped"

# An option the module takes and its documentation does not list.
collection "$T/bad"
sed -i '/^  max_kill:$/,/^    type: int$/d' "$T/bad/ansible_collections/aurora/restore/plugins/modules/aurora_restore.py"
sanity "$T/bad" --test validate-modules
isnt=$([ "$rc" -ne 0 ] && echo failed || echo "passed ($rc)")
is "$isnt" failed "validate-modules fails on an undocumented option"
like "$out" "aurora_restore\.py.*undocumented-parameter.*max_kill" "and names it"

# The module's unit tests (command line, result mapping, documentation).
out=$(cd "$T" && PYTHONPATH=$T/c HOME=$T/home "$PY" -m pytest -q -p no:cacheprovider \
	"$T/c/ansible_collections/aurora/restore/tests/unit" 2>&1)
is "$?" 0 "the module's unit tests pass (pytest)"
like "$(printf '%s\n' "$out" | tail -1)" '^[0-9]+ passed' "pytest: $(printf '%s\n' "$out" | tail -1)"

done_testing
