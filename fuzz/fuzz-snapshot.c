/*
 * fuzz-snapshot.c: backup files (src/snapshot.c, binary Thrift Snapshot)
 * read as backup-info and stage read them: from a file.
 *
 * Input: the backup's bytes. Checks: errors are EXIT_DATA naming the
 * file; counts add up (no status counted for more tasks than there are);
 * roles are distinct, sorted and NUL-free.
 */
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "snapshot.h"

static char *path;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	path = fuzz_path("/scheduler-backup-2026-11-27-02-00");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct snapshot_info si;
	struct err e = { 0 };
	size_t counted = 0;
	int rc;

	fuzz_write("/scheduler-backup-2026-11-27-02-00", data, size);
	rc = snapshot_read(path, &si, &e);
	fuzz_check_err(&e, rc);
	if (rc < 0) {
		FUZZ_CHECK(e.code == EXIT_DATA, "status %d: %s", e.code, e.msg);
		FUZZ_CHECK(strncmp(e.msg, path, strlen(path)) == 0,
		    "the message does not name the file: %s", e.msg);
		FUZZ_CHECK(si.ntasks == 0 && si.nroles == 0 && si.roles == NULL,
		    "a failed read left data behind");
		return 0;
	}
	for (size_t i = 0; i < SNAPSHOT_NSTATUS; i++)
		counted += si.by_status[i];
	FUZZ_CHECK(counted <= si.ntasks, "%zu statuses for %zu tasks", counted, si.ntasks);
	FUZZ_CHECK(si.nroles <= si.ntasks, "%zu roles for %zu tasks", si.nroles, si.ntasks);
	FUZZ_CHECK(size > 0 || si.timestamp_ms == -1, "a timestamp from an empty file");
	for (size_t i = 0; i < si.nroles; i++)
		FUZZ_CHECK(i == 0 || strcmp(si.roles[i - 1], si.roles[i]) < 0,
		    "roles not distinct and sorted: \"%s\", \"%s\"", si.roles[i - 1], si.roles[i]);
	snapshot_free(&si);
	return 0;
}
