/*
 * fuzz-clusters.c: the client's clusters.json through the AuroraClusters
 * lens and the host model's entry lookup (src/host.c), then the recovery
 * profile's edits (scheduler_uri in, zk out) applied, read back and
 * reverted (fuzz/hostrun.c). The flags file is a fixed Debian one.
 *
 * Input: clusters.json. Also checked: a file the lens takes is JSON
 * (jansson reads it), and so is every file apply and revert write.
 */
#include <jansson.h>
#include <string.h>
#include "fuzz.h"

static const char flags[] =
    "CLUSTER_NAME=\"devcluster\"\nHTTP_PORT=8081\n"
    "ZK_ENDPOINTS=\"127.0.0.1:2181\"\nMESOS_MASTER=\"zk://${ZK_ENDPOINTS}/mesos\"\n"
    "EXTRA_SCHEDULER_ARGS=\"-http_authentication_mechanism=BASIC\"\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_host_run("debian", "/etc/default/aurora-scheduler", flags,
	    sizeof flags - 1, data, size);
	return 0;
}
