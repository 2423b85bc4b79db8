/* leader: probe every scheduler's /vars at once and name the leader. */
#include <stdlib.h>
#include "cmd.h"
#include "recovery.h"

static int leader_exec(struct cmd_ctx *ctx, struct err *e)
{
	struct recovery rc;
	char *leader;
	int ret = -1;

	if (recovery_open(&rc, ctx->set, 0, ctx->res, e) < 0)
		goto out;
	if ((leader = recovery_find_leader(&rc, ctx->res, e)) == NULL)
		goto out;
	result_msg(ctx->res, "leader: %s", leader);
	free(leader);
	ret = 0;
out:
	recovery_close(&rc);
	return ret;
}

const struct cmd_entry cmd_leader_entry = {
	.name = "leader", .args = "", .min_args = 0, .max_args = 0,
	.summary = "every scheduler's state, and which one leads",
	.example = "leader --zk zk1:2181,zk2:2181,zk3:2181",
	.options = { opts_find_leader, opts_net },
	.exec = leader_exec,
};
