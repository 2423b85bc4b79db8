#!/bin/bash
# bench/long-string.sh [BUILD_DIR] [MB...]: CPU seconds the Mesos decoder
# takes for a /master/tasks reply whose one task name is a MB-megabyte
# string, fed in 16 KiB chunks as libcurl hands them. BUILD_DIR (default:
# this tree) must hold libar.a; run it against an older build to compare,
# e.g. a `git archive e5594c8~1` copy, built. Run by hand: it times.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$top}" && pwd)
shift || true
sizes=${*:-8 32}
work=$(mktemp -d /tmp/ar-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
cat >"$work/b.c" <<'EOC'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "mesos.h"

int main(int argc, char **argv)
{
	size_t mb = strtoul(argv[1], NULL, 10), n = mb << 20, len, ntasks = 0;
	const char *head = "{\"tasks\":[{\"id\":\"t\",\"framework_id\":\"f\",\"state\":\"TASK_RUNNING\",\"name\":\"";
	char *s = malloc(n + 200);
	struct err e = { 0 };
	struct mesos_decoder *d = mesos_decoder_new(NULL, NULL, 0);
	struct timespec a, b;
	int rc = 0;

	strcpy(s, head);
	len = strlen(head);
	memset(s + len, 'x', n);
	len += n;
	memcpy(s + len, "\"}]}", 4);
	len += 4;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
	for (size_t off = 0; off < len && rc == 0; off += 16384)
		rc = mesos_decoder_feed(d, s + off, len - off < 16384 ? len - off : 16384, &e);
	if (rc == 0)
		rc = mesos_decoder_finish(d, NULL, &ntasks, &e);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
	printf("%zu MB string: %.2f s CPU, %s\n", mb,
	    (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9,
	    rc == 0 ? "decoded" : e.msg);
	mesos_decoder_free(d);
	free(s);
	return rc != 0;
}
EOC
gcc -std=c11 -O2 -D_GNU_SOURCE -I"$build/src" -I"$build" -o "$work/b" "$work/b.c" \
    "$build/libar.a" $(pkg-config --libs augeas jansson libconfig yajl) \
    -lzookeeper_mt -lleveldb -ldl -lcurl
echo "$build"
for mb in $sizes; do
	"$work/b" "$mb" || true
done
