/* backup-now: have the scheduler write a backup now (performBackup). */
#include "cmd.h"
#include "recovery.h"

static int backup_now_exec(struct cmd_ctx *ctx, struct err *e)
{
	return recovery_one_call(ctx->set, ctx->res, "performBackup",
	    "backup written", e);
}

const struct cmd_entry cmd_backup_now_entry = {
	.name = "backup-now", .args = "", .min_args = 0, .max_args = 0,
	.summary = "have the scheduler write a backup now",
	.example = "backup-now",
	.options = { OPTS_RECOVERY },
	.exec = backup_now_exec,
};
