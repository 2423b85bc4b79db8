/* diff [PROFILE]: the unified diff apply would make; nothing written. */
#include "cmd.h"

static int diff_exec(struct cmd_ctx *ctx, struct err *e)
{
	ctx->set->check = 1;
	ctx->set->diff = 1;
	ctx->res->show_diff = 1;
	return cmd_apply_entry.exec(ctx, e);
}

const struct cmd_entry cmd_diff_entry = {
	.name = "diff", .args = "[PROFILE]", .min_args = 0, .max_args = 1,
	.real_args = 1,
	.summary = "the unified diff apply would make; nothing is written",
	.example = "diff recovery",
	.options = { NULL },
	.exec = diff_exec,
};
