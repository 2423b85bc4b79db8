/* backup-now: have the scheduler write a backup now (performBackup). */
#include "cmd.h"
#include "recovery.h"

static int backup_now_exec(struct cmd_ctx *ctx, struct err *e)
{
	return recovery_one_call(ctx->set, ctx->res, "performBackup",
	    "backup written", e);
}

const struct cmd_entry cmd_backup_now_entry = {
	"backup-now", "backup-now", 0, 0,
	"scheduler,timeout,max-reply,insecure,hosts,zk,serverset-path,http-port",
	backup_now_exec
};
