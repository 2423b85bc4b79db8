/* impact [--backup FILE] [--mesos URL] [--framework-id ID] [--all]: which
 * tasks Mesos runs now the restored scheduler will kill (impact.h,
 * impactgate.h). */
#include <stdlib.h>
#include "cmd.h"
#include "impactgate.h"

static int impact_exec(struct cmd_ctx *ctx, struct err *e)
{
	struct recovery rc;
	struct impact im;
	const char *file = ctx->set->backup;
	char *name = NULL, *local = NULL, *summary;
	int ret = -1;

	impact_init(&im);
	im.keep_kept = ctx->set->all;
	if (recovery_open(&rc, ctx->set, file == NULL, ctx->res, e) < 0)
		goto out;
	if (file == NULL) {
		name = recovery_staged_name(ctx->set);
		local = name ? recovery_local_backup(&rc, name) : NULL;
	}
	if (impact_compute(&rc, ctx->res, file ? file : local, file == NULL, name, &im, e) < 0)
		goto out;
	impact_report(&im, ctx->res, ctx->set->all, ctx->set->json);
	summary = impact_summary(&im);
	result_msg(ctx->res, "%s", summary);
	free(summary);
	ret = 0;
out:
	free(name);
	free(local);
	impact_free(&im);
	recovery_close(&rc);
	return ret;
}

static const struct opt impact_options[] = {
	OPT_P("backup", "FILE", "the backup file to read (default: the one staged on the leader)", backup),
	OPT_F("all", "print every task, kept and coming back too", all),
	OPT_END
};

const struct cmd_entry cmd_impact_entry = {
	.name = "impact", .args = "", .min_args = 0, .max_args = 0,
	.summary = "the running tasks the restored scheduler will kill",
	.example = "impact --backup scheduler-backup-2026-11-27-02-00",
	.options = { impact_options, opts_mesos, OPTS_RECOVERY },
	.exec = impact_exec,
};
