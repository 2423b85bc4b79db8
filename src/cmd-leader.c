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
	"leader", "leader [--hosts H1,H2,...] [--zk HOST:PORT,...] [--serverset-path P] [--http-port N] [--timeout TIME] [--insecure]",
	0, 0, "hosts,zk,serverset-path,http-port,timeout,insecure", leader_exec
};
