/* verify [PROFILE] [--live] [--scheduler URL] [--timeout TIME]: is the host
 * in the profile's state? */
#include "cmd.h"
#include "verify.h"

static int verify_exec(struct cmd_ctx *ctx, struct err *e)
{
	int drift;

	if (verify_host(ctx->set, ctx->argc ? ctx->argv[0] : NULL, ctx->res,
	    &drift, e) < 0)
		return -1;
	return drift ? EXIT_DRIFT : 0;
}

const struct cmd_entry cmd_verify_entry = {
	"verify", "verify [PROFILE] [--live] [--scheduler URL] [--timeout TIME]", 0, 1,
	"live,scheduler,timeout", verify_exec
};
