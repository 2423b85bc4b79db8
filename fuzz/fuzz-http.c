/*
 * fuzz-http.c: the header lines of an HTTP reply as libcurl hands them to
 * the tool (src/curlx.c, curlx_header; admin.c and mesos.c read every
 * reply's status and Location through it).
 *
 * Input: the headers, one a line. Each line is given in a buffer of its
 * exact length, not NUL-terminated, as libcurl gives it (an overread is a
 * sanitizer report). Checks: the status is 0 or three digits, and only a
 * "HTTP/" line sets it; Location is NUL-terminated within its buffer and
 * holds no CR or LF; a status line clears it.
 */
#include <stdlib.h>
#include <string.h>
#include "curlx.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	long status = -1;
	char location[64];
	size_t i = 0;

	memset(location, 'x', sizeof location);
	location[0] = '\0';
	while (i < size) {
		size_t end = i;
		long before = status;
		char *line;
		while (end < size && data[end] != '\n')
			end++;
		if (end < size)
			end++;
		line = malloc(end - i ? end - i : 1);
		memcpy(line, data + i, end - i);
		curlx_header(line, end - i, &status, location, sizeof location);
		FUZZ_CHECK(status == before || (end - i > 5 && memcmp(line, "HTTP/", 5) == 0),
		    "status changed by a line that is not a status line");
		FUZZ_CHECK(status == -1 || (status >= 0 && status <= 999), "status %ld", status);
		FUZZ_CHECK(memchr(location, '\0', sizeof location) != NULL, "location not terminated");
		FUZZ_CHECK(strpbrk(location, "\r\n") == NULL, "CR or LF in location");
		if (status != before && status != -1)
			FUZZ_CHECK(location[0] == '\0', "a status line left the location");
		free(line);
		i = end;
	}
	return 0;
}
