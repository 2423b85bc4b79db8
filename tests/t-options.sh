#!/bin/bash
# tests/t-options.sh: the command line is checked against the options each
# command declares: an option of another command is refused however many
# options come before it, a missing value is a usage error.
# min-checks: 4
. "$SRCDIR/tests/lib.sh"

mkdir -p "$T/root"
base=(--root "$T/root" --config /dev/null)

# One option more than a fixed-size record of the options given once held.
forces=()
for i in $(seq 32); do forces+=(--force); done
run "${base[@]}" "${forces[@]}" --yes revert
is "$rc" 64 "--yes after 32 times --force: revert refuses it (64)"
like "$err" '--yes.*revert' "--yes after 32 times --force: the error names --yes and revert"
run "${base[@]}" --yes revert
is "$rc" 64 "--yes alone: revert refuses it (64)"
run "${base[@]}" revert --reason
is "$rc" 64 "--reason without its value: 64"

done_testing
