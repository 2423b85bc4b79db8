/*
 * zk.h: the scheduler election as Aurora keeps it in ZooKeeper, read with
 * libzookeeper_mt (aurora-facts.md, section 6). Children of the serverset
 * path: Curator lock nodes "_c_<uuid>-lock-<seq>" (0.16+, data: the
 * advertised host), older "singleton_candidate_<seq>" (data: an IP), and
 * "member_<seq>" (JSON, only once a leader registered). The lowest
 * sequence of the election nodes leads. The result belongs to the caller.
 */
#ifndef ZK_H
#define ZK_H

#include <stddef.h>
#include "err.h"

/* ZK_MESOS: a Mesos master's "json.info_<seq>" (aurora-facts.md 8b), an
 * election node of its own path; host and port from its MasterInfo. */
enum zk_kind { ZK_CURATOR, ZK_SINGLETON, ZK_MEMBER, ZK_MESOS };

struct zk_candidate {
	char *node;		/* the child's name */
	enum zk_kind kind;
	long long seq;
	char *host;		/* from the node's data */
	int port;		/* member_: serviceEndpoint.port (or http); json.info_: port; else 0 */
};

struct zk_election {
	struct zk_candidate *c;	/* election nodes by sequence, then members */
	size_t n;
	const struct zk_candidate *leader;	/* lowest election node, or NULL */
};

/*
 * endpoints "h1:2181,h2:2181"; chroot "" or "/aurora"; path the
 * serverset path; digest "user:password" or NULL; timeout in seconds.
 * Errors: EXIT_FAIL when ZooKeeper cannot be reached in time, the session
 * expires, or the path does not exist (message names endpoints and path);
 * EXIT_DATA for node data that makes no sense (names the node).
 */
int zk_read_election(const char *endpoints, const char *chroot,
    const char *path, const char *digest, double timeout,
    struct zk_election *el, struct err *e);
void zk_election_free(struct zk_election *el);

/* One child of the serverset path as zk_read_election decodes it: 1 when
 * name is not an election or member node, 0 with cand filled (free its
 * node and host), -1 with EXIT_DATA for data that makes no sense. */
int zk_decode_child(const char *endpoints, const char *where,
    const char *name, const char *data, int len, struct zk_candidate *cand,
    struct err *e);

#endif
