#!/bin/bash
# tests/t-crash.sh: a sample of the crash matrix for CI: for each of the four
# combinations (apply or revert killed, then apply or revert), 2 step kills
# on each of the five layouts and one random kill (tests/crash-trials.sh ci;
# the whole matrix is `make crash-trials`).
# min-checks: 40
exec bash "$SRCDIR/tests/crash-trials.sh" ci
