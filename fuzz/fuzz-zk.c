/*
 * fuzz-zk.c: the ZooKeeper node decoders (src/zk.c, zk_decode_child): a
 * child's name under -serverset_path and its data, as leader reads them.
 *
 * Input: the child's name, a NUL byte, then its data (bytes, any).
 * Checks: only election and member nodes are taken, with the sequence of
 * their name; a host is a short printable word, a member's port 1..65535;
 * bad data is EXIT_DATA naming the node, shown without raw bytes.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "buf.h"
#include "fuzz.h"
#include "zk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nul = memchr(data, '\0', size);
	char *name;
	const char *body;
	struct zk_candidate c;
	struct err e = { 0 };
	int rc, len;

	if (nul == NULL || size > 1 << 20)
		return 0;
	name = xstrdup((const char *)data);
	body = nul + 1;
	len = (int)(size - (size_t)(body - (const char *)data));
	rc = zk_decode_child("127.0.0.1:2181", "/aurora/scheduler", name, body,
	    len, &c, &e);
	if (rc < 0) {
		fuzz_check_err(&e, rc);
		FUZZ_CHECK(e.code == EXIT_DATA, "status %d: %s", e.code, e.msg);
		FUZZ_CHECK(strstr(e.msg, "/aurora/scheduler/") != NULL,
		    "the message does not name the node: %s", e.msg);
		FUZZ_CHECK(c.node == NULL && c.host == NULL, "a failed decode left data");
	} else if (rc == 1) {
		FUZZ_CHECK(e.code == 0 && c.node == NULL, "an ignored node with data");
		FUZZ_CHECK(strncmp(name, "member_", 7) != 0 || strlen(name) != 17 ||
		    strspn(name + 7, "0123456789") != 10, "member node %s ignored", name);
	} else {
		size_t n = strlen(name);
		FUZZ_CHECK(c.node && strcmp(c.node, name) == 0, "node %s for %s", c.node, name);
		FUZZ_CHECK(n >= 10 && strspn(name + n - 10, "0123456789") == 10,
		    "%s has no 10-digit sequence", name);
		FUZZ_CHECK(c.seq == strtoll(name + n - 10, NULL, 10), "sequence %lld for %s",
		    c.seq, name);
		FUZZ_CHECK(c.host && *c.host && strlen(c.host) <= 255, "host of %s", name);
		for (const char *p = c.host; *p; p++)
			FUZZ_CHECK(isalnum((unsigned char)*p) || strchr(".-_:[]%", *p),
			    "host \"%s\" has a byte 0x%02x", c.host, (unsigned char)*p);
		if (c.kind == ZK_MEMBER)
			FUZZ_CHECK(c.port > 0 && c.port <= 65535, "port %d", c.port);
		else
			FUZZ_CHECK(c.port == 0 && len > 0 && strlen(c.host) == (size_t)len,
			    "an election node's host is not its data");
		free(c.node);
		free(c.host);
	}
	free(name);
	return 0;
}
