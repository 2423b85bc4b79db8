/* unload: drop the staged backup from the scheduler's memory (unloadRecovery). */
#include "cmd.h"
#include "recovery.h"

static int unload_exec(struct cmd_ctx *ctx, struct err *e)
{
	return recovery_one_call(ctx->set, ctx->res, "unloadRecovery",
	    "staged backup unloaded", e);
}

const struct cmd_entry cmd_unload_entry = {
	"unload", "unload", 0, 0,
	"scheduler,timeout,max-reply,insecure,hosts,zk,serverset-path,http-port",
	unload_exec
};
