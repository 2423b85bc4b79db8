#!/bin/sh
# Quick start on a fresh Debian 12 machine, as root (or with sudo):
#   sh examples/quickstart.sh
# installs the build dependencies, builds aurora-restore, and runs it
# against a scratch copy of the bundled example host (examples/debian-host):
# diff, apply, verify, log-status, log-reinit (the replicated log moved
# aside and initialized afresh), status, revert. The machine's own /etc is never read
# or written.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
if [ "$(id -u)" = 0 ]; then
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(cat .ci/packages) >/dev/null
fi
[ -x configure ] || ./autogen.sh
[ -f Makefile ] || ./configure --prefix=/usr --sysconfdir=/etc
make -s
host=$(mktemp -d /tmp/aurora-example-host.XXXXXX)
cp -a examples/debian-host/. "$host/"
ar() { echo "\$ aurora-restore --root $host $*"; ./aurora-restore --root "$host" "$@"; }
ar diff
ar apply --reason "quick start"
ar verify || true
ar log-status
ar log-reinit
ar log-status
ar status
ar revert
diff -r examples/debian-host "$host" --exclude=var --exclude=run && echo "every file is back byte for byte"
rm -rf "$host"
