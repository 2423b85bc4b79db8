#!/bin/bash
# tests/t-crash.sh: 20 crash trials for CI, spread evenly over every durable
# step of apply and revert on every layout (tests/crash-trials.sh ci; the
# full set, with random-moment kills, is `make crash-trials`).
# min-checks: 20
exec bash "$SRCDIR/tests/crash-trials.sh" ci
