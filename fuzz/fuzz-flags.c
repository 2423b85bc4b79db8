/*
 * fuzz-flags.c: the scheduler's flag files in every layout, through our
 * lenses (AuroraDefault, AuroraShell, AuroraSystemd, AuroraUpstart,
 * AuroraArgfile, and AuroraArgs for the words) and the host model's flag
 * splitting (src/host.c, src/shell.c), then apply, verify and revert of
 * the recovery profile (fuzz/hostrun.c).
 *
 * Input: the layout's name on the first line (debian, rpm, systemd,
 * upstart, argfile), then the flags file. clusters.json is a fixed, good
 * one.
 */
#include <string.h>
#include "fuzz.h"

static const char clusters[] =
    "[{\n  \"name\": \"devcluster\",\n  \"zk\": \"192.168.33.7\",\n"
    "  \"scheduler_zk_path\": \"/aurora/scheduler\",\n"
    "  \"auth_mechanism\": \"UNAUTHENTICATED\"\n}]\n";

static const struct { const char *layout, *path; } layouts[] = {
	{ "debian", "/etc/default/aurora-scheduler" },
	{ "rpm", "/etc/sysconfig/aurora-scheduler" },
	{ "systemd", "/etc/systemd/system/aurora-scheduler.service" },
	{ "upstart", "/etc/init/aurora-scheduler.conf" },
	{ "argfile", "/etc/aurora/scheduler.args" },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nl = memchr(data, '\n', size);
	size_t n;

	if (nl == NULL)
		return 0;
	n = (size_t)(nl - (const char *)data);
	for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++)
		if (strlen(layouts[i].layout) == n &&
		    memcmp(data, layouts[i].layout, n) == 0) {
			fuzz_host_run(layouts[i].layout, layouts[i].path, nl + 1,
			    size - n - 1, clusters, sizeof clusters - 1);
			break;
		}
	return 0;
}
