/* unload: drop the staged backup from the scheduler's memory (unloadRecovery). */
#include "cmd.h"
#include "recovery.h"

static int unload_exec(struct cmd_ctx *ctx, struct err *e)
{
	return recovery_one_call(ctx->set, ctx->res, "unloadRecovery",
	    "staged backup unloaded", e);
}

const struct cmd_entry cmd_unload_entry = {
	.name = "unload", .args = "", .min_args = 0, .max_args = 0,
	.summary = "drop the staged backup",
	.example = "unload",
	.options = { OPTS_RECOVERY },
	.exec = unload_exec,
};
