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

static const struct opt verify_options[] = {
	OPT_F("live", "also ask the running scheduler's /vars", live),
	OPT_S("scheduler", "URL", "the scheduler for --live (default http://127.0.0.1:HTTP_PORT)", scheduler),
	OPT_K("timeout", "TIME", "for --live (default 10secs)", OPT_TIMEOUT, timeout),
	OPT_END
};

const struct cmd_entry cmd_verify_entry = {
	.name = "verify", .args = "[PROFILE]", .min_args = 0, .max_args = 1,
	.real_args = 1,
	.summary = "is this host in the profile's state? (else the drift, exit 2)",
	.example = "verify --live",
	.options = { verify_options },
	.exec = verify_exec,
};
