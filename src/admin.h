/*
 * admin.h: one Thrift call to a scheduler: POST <scheduler>/api with
 * libcurl (Content-Type application/x-thrift), the reply decoded as it
 * arrives (tjson.h). Recovery calls carry Bypass-Leader-Redirect: true.
 * Auth as the Aurora client: none, HTTP Basic from ~/.netrc, or
 * Kerberos/SPNEGO. Redirects are never followed silently. No password,
 * Authorization header or token is ever put in a message.
 */
#ifndef ADMIN_H
#define ADMIN_H

#include <stddef.h>
#include "err.h"
#include "tjson.h"

struct admin {
	const char *url;	/* the scheduler, e.g. http://h:8081 */
	double timeout;		/* seconds, for connecting and for the whole call */
	size_t max_reply;	/* bytes; 0: no limit */
	int insecure;		/* https without certificate checks */
	int bypass;		/* send Bypass-Leader-Redirect: true */
	int negotiate;		/* Kerberos (clusters.json auth_mechanism KERBEROS) */
	const char *netrc;	/* the .netrc file to read, or NULL */
};

/*
 * Call method (see tj_call) and decode its reply into r; tasks go to fn.
 * Errors name the scheduler: connection refused or timed out (EXIT_FAIL),
 * 307 from a non-leader (EXIT_REFUSED), 503 no leader, 401/403, 415,
 * other HTTP statuses (EXIT_FAIL), a malformed reply (EXIT_DATA).
 * For a call that changes state, anything but a complete, decoded answer
 * (a drop, a timeout, a cut, broken or close-delimited reply) is
 * EXIT_UNKNOWN with *dropped set: the call may have happened
 * (commitRecovery).
 * A reply whose code is not OK is returned as is: check r->code.
 */
int admin_call(const struct admin *a, const char *method, const char *arg,
    const struct tj_query *q, tj_task_fn fn, void *ctx, struct tj_reply *r,
    int *dropped, struct err *e);

/* "Storage is not READY; ..." from r's details, or the code's name. */
char *admin_reply_message(const struct tj_reply *r);

#endif
