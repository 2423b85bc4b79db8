#!/bin/sh
# Quick start on a fresh Debian 12 machine, as root (or with sudo):
#   sh examples/quickstart.sh
# installs the build dependencies, builds aurora-restore, and runs it
# against a scratch copy of the bundled example host (examples/debian-host):
# diff, apply, verify, log-status, log-reinit (the host's replicated log,
# 12 entries, moved aside and initialized afresh), status, revert. The
# machine's own /etc is never read or written. Each command is shown quoted
# as a shell would need it, so it can be pasted; the scratch host is kept
# for that, and the last lines say how to remove it and what to read next.
# With AURORA_RESTORE set to a built binary, nothing is installed or built.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
if [ -z "${AURORA_RESTORE:-}" ]; then
	if [ "$(id -u)" = 0 ]; then
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(cat .ci/packages) >/dev/null
	fi
	[ -x configure ] || ./autogen.sh
	[ -f Makefile ] || ./configure --prefix=/usr --sysconfdir=/etc
	make -s
	AURORA_RESTORE=$top/aurora-restore
fi
host=$(mktemp -d "${TMPDIR:-/tmp}/aurora-example-host.XXXXXX")
cp -a examples/debian-host/. "$host/"
# The Debian package gives the log to the scheduler's user (aurora, 998 in
# the example's /etc/passwd); git keeps no owners.
[ "$(id -u)" != 0 ] || chown -R 998:998 "$host/var/lib/aurora/scheduler/db"

# q WORD: WORD as a shell reads it back: as is when it is plain, else in
# single quotes (a ' inside as '\'').
q() {
	case $1 in
	'' | *[!A-Za-z0-9_./:=@%+,-]*)
		printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")" ;;
	*)	printf '%s' "$1" ;;
	esac
}
ar() {
	line="$(q "$AURORA_RESTORE") --root $(q "$host")"
	for w in "$@"; do line="$line $(q "$w")"; done
	echo "\$ $line"
	"$AURORA_RESTORE" --root "$host" "$@"
}
ar diff
ar apply --reason "quick start"
ar verify || true
ar log-status
ar log-reinit
ar log-status
ar status
ar revert
diff -r examples/debian-host "$host" --exclude=var --exclude=run && echo "every file is back byte for byte"
cat <<EOF

The example host stays in $host (paste any command above);
remove it with: rm -rf $(q "$host")
Next:
  README, "Restoring by hand (operator)": the whole restore, a command a step;
    "Re-initializing the replicated log" and "Profiles" for the details
  man -l man/aurora-restore.8 (installed: man aurora-restore), and
    aurora-restore-profile(5) for writing a profile
  aurora-restore help: every command; aurora-restore help COMMAND for one
EOF
