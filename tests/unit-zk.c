/*
 * unit-zk.c: TAP tests for zk.c (zk_read_election).
 *
 *   gcc -std=c11 -D_GNU_SOURCE -Wall -Wextra -g -Isrc -o unit-zk \
 *       tests/unit-zk.c src/zk.c src/err.c src/buf.c \
 *       $(pkg-config --cflags --libs jansson) -lzookeeper_mt
 *
 *   unit-zk SRCDIR            checks that need no server: a closed port,
 *                             bad arguments (what tests/run does)
 *   unit-zk SRCDIR live       against the server at 127.0.0.1:$ZK_PORT,
 *                             holding the nodes tests/t-zk.sh wrote
 *   unit-zk SRCDIR down       $ZK_PORT hangs (SIGSTOP) or is gone: the read
 *                             must fail within the timeout plus 2 s
 *   unit-zk SRCDIR stall      $ZK_PORT answers the handshake, then nothing
 *
 * Every call also checks that libzookeeper wrote nothing on stderr.
 *
 * min-checks: 28
 */
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "err.h"
#include "zk.h"
#include "tap.h"

#define SLACK 2.0		/* seconds allowed beyond the timeout */

static int noisy;
static char where[64];		/* "127.0.0.1:PORT" */

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

struct run {
	int rc;
	struct err e;
	struct zk_election el;
	double secs;
};

/* zk_read_election with stderr caught; counts any output in noisy. */
static void read_el(struct run *r, const char *endpoints, const char *chroot,
    const char *path, const char *digest, double timeout)
{
	FILE *tmp = tmpfile();
	int saved = dup(2);
	struct stat st;
	double t0;

	fflush(stderr);
	dup2(fileno(tmp), 2);
	memset(r, 0, sizeof *r);
	t0 = now();
	r->rc = zk_read_election(endpoints, chroot, path, digest, timeout,
	    &r->el, &r->e);
	r->secs = now() - t0;
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	if (fstat(fileno(tmp), &st) == 0 && st.st_size > 0) {
		noisy++;
		note("stderr got %lld bytes reading %s%s", (long long)st.st_size,
		    chroot, path);
	}
	fclose(tmp);
	if (r->rc < 0)
		note("%.2f s, exit %d: %s", r->secs, r->e.code, r->e.msg);
}

static int has(const char *s, const char *part)
{
	return s && strstr(s, part) != NULL;
}

static int closed_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) < 0) {
		perror("bind");
		exit(1);
	}
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

/* A failed read: status, a message naming what, bounded time, no result. */
static void fails(struct run *r, int code, const char *need1,
    const char *need2, double max_secs, const char *desc)
{
	ok(r->rc == -1 && r->e.code == code, "%s: exit status %d", desc, code);
	ok(has(r->e.msg, need1) && has(r->e.msg, need2) && !strchr(r->e.msg, '\n'),
	    "%s: one line naming \"%s\" and \"%s\"", desc, need1, need2);
	ok(r->secs <= max_secs, "%s: took %.2f s (at most %.1f)", desc, r->secs,
	    max_secs);
	ok(r->el.n == 0 && r->el.c == NULL && r->el.leader == NULL,
	    "%s: no election left behind", desc);
}

static void offline(void)
{
	struct run r;
	char ep[64], two[160];
	int port = closed_port();

	snprintf(ep, sizeof ep, "127.0.0.1:%d", port);
	read_el(&r, ep, "", "/aurora/scheduler", NULL, 2);
	fails(&r, EXIT_FAIL, ep, "/aurora/scheduler", 2 + SLACK,
	    "closed port");
	ok(r.secs >= 1.9, "closed port: waited the timeout (%.2f s)", r.secs);
	ok(has(r.e.msg, "no answer within 2 s"), "closed port: says it timed out");

	snprintf(two, sizeof two, "%s,127.0.0.1:%d", ep, closed_port());
	read_el(&r, two, "/aurora", "/scheduler", NULL, 1.5);
	fails(&r, EXIT_FAIL, two, "/aurora/scheduler", 1.5 + SLACK,
	    "two closed ports and a chroot");

	read_el(&r, ep, "", "aurora/scheduler", NULL, 2);
	fails(&r, EXIT_CONFIG, "aurora/scheduler", "start with /", 0.5,
	    "relative path");
	read_el(&r, ep, "aurora", "/scheduler", NULL, 2);
	fails(&r, EXIT_CONFIG, "chroot", "aurora", 0.5, "relative chroot");
	read_el(&r, ep, "", "/aurora/scheduler", "nopassword", 2);
	fails(&r, EXIT_CONFIG, "user:password", "digest", 0.5,
	    "digest without a colon");
	ok(!has(r.e.msg, "nopassword"), "digest: the secret is not shown");

	read_el(&r, "127.0.0.1:notaport", "", "/aurora/scheduler", NULL, 1);
	fails(&r, EXIT_FAIL, "127.0.0.1:notaport", "/aurora/scheduler",
	    1 + SLACK, "endpoint with a bad port");

	zk_election_free(&r.el);
	note("zk_election_free on an empty election: no crash");
}

/* A successful read of PATH: n nodes, the leader's host. */
static int reads(struct run *r, const char *chroot, const char *path,
    const char *digest, size_t n, const char *leader, const char *desc)
{
	read_el(r, where, chroot, path, digest, 10);
	ok(r->rc == 0, "%s: read", desc);
	if (r->rc != 0)
		return 0;
	ok(r->el.n == n, "%s: %zu nodes (got %zu)", desc, n, r->el.n);
	if (leader) {
		char d[160];
		snprintf(d, sizeof d, "%s: leader's host", desc);
		is(r->el.leader ? r->el.leader->host : NULL, leader, d);
	}
	else
		ok(r->el.leader == NULL, "%s: no leader", desc);
	ok(r->secs < 5, "%s: quick (%.2f s)", desc, r->secs);
	return r->el.n == n;
}

static int sorted(const struct zk_election *el)
{
	for (size_t i = 1; i < el->n; i++) {
		int pm = el->c[i - 1].kind == ZK_MEMBER, m = el->c[i].kind == ZK_MEMBER;
		if (pm > m || (pm == m && el->c[i - 1].seq >= el->c[i].seq))
			return 0;
	}
	return 1;
}

static void curator(void)
{
	struct run r;

	if (reads(&r, "", "/aurora/scheduler", NULL, 3, "sched-a.example.com",
	    "curator, 3 candidates")) {
		const struct zk_candidate *c = r.el.c;
		ok(r.el.leader == &c[0], "leader is the first node");
		ok(c[0].kind == ZK_CURATOR && c[1].kind == ZK_CURATOR &&
		    c[2].kind == ZK_CURATOR, "all Curator nodes");
		ok(c[0].seq == 0 && c[1].seq == 1 && c[2].seq == 2,
		    "sequences 0, 1, 2 in order");
		is(c[0].node, "_c_ffffffff-ffff-4fff-bfff-ffffffffffff-latch-0000000000",
		    "node name (lexically last, lowest sequence)");
		is(c[1].host, "sched-b.example.com", "second candidate");
		is(c[2].host, "sched-c.example.com", "third candidate");
		ok(c[0].port == 0 && c[1].port == 0, "no port from election nodes");
	}
	zk_election_free(&r.el);
	ok(r.el.c == NULL && r.el.n == 0, "zk_election_free clears");

	if (reads(&r, "", "/aurora/scheduler/", NULL, 3, "sched-a.example.com",
	    "trailing slash"))
		ok(sorted(&r.el), "sorted");
	zk_election_free(&r.el);

	if (reads(&r, "", "/lock/scheduler", NULL, 2, "sched-l.example.com",
	    "curator -lock- names"))
		ok(r.el.c[1].kind == ZK_CURATOR, "lock- is a Curator node too");
	zk_election_free(&r.el);
}

static void singleton(void)
{
	struct run r;

	if (reads(&r, "", "/old/scheduler", NULL, 3, "10.0.0.2",
	    "singleton_candidate nodes")) {
		const struct zk_candidate *c = r.el.c;
		ok(c[0].kind == ZK_SINGLETON && c[1].kind == ZK_SINGLETON,
		    "two singleton candidates first");
		is(c[1].host, "10.0.0.1", "the other candidate");
		ok(c[2].kind == ZK_MEMBER && c[2].port == 8081, "then the member, port 8081");
		is(c[2].host, "sched2.example.com", "member host from serviceEndpoint");
		ok(sorted(&r.el), "sorted");
	}
	zk_election_free(&r.el);
}

static void members(void)
{
	struct run r;

	if (reads(&r, "", "/mixed/scheduler", NULL, 3, "sched-c.example.com",
	    "curator with a member and other children")) {
		const struct zk_candidate *c = r.el.c;
		ok(c[0].kind == ZK_CURATOR && c[1].kind == ZK_CURATOR &&
		    c[2].kind == ZK_MEMBER, "election nodes first, member last");
		ok(c[2].seq > c[0].seq && c[2].seq < c[1].seq,
		    "member's sequence lies between (shared counter)");
		is(c[1].host, "sched-a.example.com", "follower");
		ok(c[2].port == 8081, "member port");
		ok(strncmp(c[2].node, "member_", 7) == 0, "member node name");
	}
	zk_election_free(&r.el);

	if (reads(&r, "", "/httponly/scheduler", NULL, 2, "sched-h.example.com",
	    "member with only additionalEndpoints.http")) {
		ok(r.el.c[1].kind == ZK_MEMBER && r.el.c[1].port == 8443,
		    "port from the http endpoint");
	}
	zk_election_free(&r.el);

	reads(&r, "", "/empty/scheduler", NULL, 0, NULL, "empty serverset");
	zk_election_free(&r.el);
	reads(&r, "", "/onlymember/scheduler", NULL, 1, NULL,
	    "a member without election nodes");
	zk_election_free(&r.el);
}

static void chroot_and_acl(void)
{
	struct run r;

	reads(&r, "/chroot-test", "/aurora/scheduler", NULL, 2,
	    "sched-x.example.com", "chroot");
	zk_election_free(&r.el);
	reads(&r, "/chroot-test/", "/aurora/scheduler", NULL, 2,
	    "sched-x.example.com", "chroot with a trailing slash");
	zk_election_free(&r.el);
	reads(&r, "/", "/chroot-test/aurora/scheduler", NULL, 2,
	    "sched-x.example.com", "chroot /");
	zk_election_free(&r.el);
	read_el(&r, where, "/nochroot", "/aurora/scheduler", NULL, 5);
	fails(&r, EXIT_FAIL, where, "/nochroot/aurora/scheduler", 5,
	    "missing chroot");

	reads(&r, "", "/secure/scheduler", "aurora:secret", 2,
	    "sched-s.example.com", "digest credentials, creator-only ACL");
	zk_election_free(&r.el);
	read_el(&r, where, "", "/secure/scheduler", "aurora:wrong", 5);
	fails(&r, EXIT_FAIL, where, "/secure/scheduler", 5, "wrong password");
	ok(has(r.e.msg, "not allowed") && has(r.e.msg, "credentials"),
	    "wrong password: says the credentials were refused");
	ok(!has(r.e.msg, "wrong"), "wrong password: the secret is not shown");
	read_el(&r, where, "", "/secure/scheduler", NULL, 5);
	fails(&r, EXIT_FAIL, where, "/secure/scheduler", 5, "no credentials");
	ok(has(r.e.msg, "without digest credentials"),
	    "no credentials: says so");
	reads(&r, "", "/aurora-acl/scheduler", NULL, 1, "sched-r.example.com",
	    "Aurora's ACL (world read) without credentials");
	zk_election_free(&r.el);
	reads(&r, "", "/aurora-acl/scheduler", "aurora:wrong", 1,
	    "sched-r.example.com", "Aurora's ACL with other credentials");
	zk_election_free(&r.el);
}

static void errors(void)
{
	static const struct { const char *path, *what; } bad[] = {
		{ "/garbage-space/scheduler", "_c_" },
		{ "/garbage-ctl/scheduler", "_c_" },
		{ "/garbage-empty/scheduler", "_c_" },
		{ "/garbage-unknown/scheduler", "singleton_candidate_" },
		{ "/garbage-json/scheduler", "member_" },
		{ "/garbage-noep/scheduler", "member_" },
		{ "/garbage-port/scheduler", "member_" },
	};
	struct run r;

	read_el(&r, where, "", "/nope/scheduler", NULL, 5);
	fails(&r, EXIT_FAIL, where, "/nope/scheduler", 5, "path missing");
	ok(has(r.e.msg, "does not exist"), "path missing: says so");
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char node[128];
		snprintf(node, sizeof node, "%s/%s", bad[i].path, bad[i].what);
		read_el(&r, where, "", bad[i].path, NULL, 5);
		fails(&r, EXIT_DATA, where, node, 5, bad[i].path);
	}
	read_el(&r, where, "", "/garbage-ctl/scheduler", NULL, 5);
	ok(has(r.e.msg, "\\x01") && !strchr(r.e.msg, '\001'),
	    "control characters are escaped in the message");
}

static void failover(void)
{
	struct run r;
	char two[160];

	snprintf(two, sizeof two, "127.0.0.1:%d,%s", closed_port(), where);
	read_el(&r, two, "", "/aurora/scheduler", NULL, 10);
	ok(r.rc == 0 && r.el.leader && strcmp(r.el.leader->host,
	    "sched-a.example.com") == 0, "a closed port then the server: read (%.2f s)",
	    r.secs);
	zk_election_free(&r.el);
}

static void down(void)
{
	struct run r;

	read_el(&r, where, "", "/aurora/scheduler", NULL, 3);
	fails(&r, EXIT_FAIL, where, "/aurora/scheduler", 3 + SLACK,
	    "server down");
	ok(has(r.e.msg, "no answer within 3 s"), "server down: says it timed out");
	note("failure noticed after %.2f s (timeout 3 s)", r.secs);
}

static void stall(void)
{
	struct run r;

	read_el(&r, where, "", "/aurora/scheduler", NULL, 3);
	fails(&r, EXIT_FAIL, where, "/aurora/scheduler", 3 + SLACK,
	    "server silent after the handshake");
	note("failure noticed after %.2f s (timeout 3 s)", r.secs);
}

int main(int argc, char **argv)
{
	const char *phase = argc > 2 ? argv[2] : "";
	const char *port = getenv("ZK_PORT");

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (*phase && !port) {
		fprintf(stderr, "unit-zk: phase %s needs ZK_PORT\n", phase);
		return 1;
	}
	if (port)
		snprintf(where, sizeof where, "127.0.0.1:%s", port);
	if (strcmp(phase, "live") == 0) {
		curator();
		singleton();
		members();
		chroot_and_acl();
		errors();
		failover();
	} else if (strcmp(phase, "down") == 0) {
		down();
	} else if (strcmp(phase, "stall") == 0) {
		stall();
	} else {
		offline();
	}
	ok(noisy == 0, "libzookeeper printed nothing on stderr");
	return tap_done();
}
