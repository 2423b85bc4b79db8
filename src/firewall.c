#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "buf.h"
#include "firewall.h"
#include "proc.h"

#define NFT_TABLE "aurora_restore"
#define IPT_CHAIN "AURORA_RESTORE"

struct rule {
	char backend[16];
	char port[16];
	char **peers;
	int npeers;
};

static int parse(const char *spec, struct rule *r, struct err *e)
{
	char peers[4096] = "";
	char *save, *tok;

	memset(r, 0, sizeof *r);
	if (sscanf(spec, "%15s %15s %4095s", r->backend, r->port, peers) < 2 ||
	    (strcmp(r->backend, "nftables") && strcmp(r->backend, "iptables")))
		return errf(e, EXIT_DATA, "bad firewall rule \"%s\" in the journal", spec);
	for (tok = strtok_r(peers, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		r->peers = xrealloc(r->peers, (r->npeers + 1) * sizeof *r->peers);
		r->peers[r->npeers++] = xstrdup(tok);
	}
	return 0;
}

static void rule_free(struct rule *r)
{
	for (int i = 0; i < r->npeers; i++)
		free(r->peers[i]);
	free(r->peers);
}

static int run(char *const argv[], const char *input, struct err *e)
{
	return run_command(argv, input, NULL, e) == 0 ? 0 : -1;
}

/* A probe: its exit status is the answer, not a failure. */
static int probe(char *const argv[], struct err *e)
{
	struct err ignore = { 0 };
	int rc = run_command(argv, NULL, NULL, &ignore);

	if (rc < 0)
		return errf(e, ignore.code, "%s", ignore.msg);
	return rc;
}

char *firewall_spec(const char *backend, const char *port,
    char *const *peers, size_t npeers, struct err *e)
{
	struct buf b = BUF_INIT;

	if (port == NULL || *port == '\0' || strcmp(port, "0") == 0)
		return errf(e, EXIT_CONFIG, "the firewall step needs a fixed -http_port"), NULL;
	if (strspn(port, "0123456789") != strlen(port) || strlen(port) > 5 ||
	    atoi(port) > 65535)
		return errf(e, EXIT_DATA, "-http_port \"%.40s\" is not a port (1 to 65535): the firewall step cannot use it", port), NULL;
	if (strcmp(backend, "auto") == 0) {
		char *argv[] = { "nft", "--version", NULL };
		struct err ignore = { 0 };
		backend = run_command(argv, NULL, NULL, &ignore) == 0 ?
		    "nftables" : "iptables";
	}
	buf_addf(&b, "%s %s", backend, port);
	for (size_t i = 0; i < npeers; i++)
		buf_addf(&b, "%c%s", i ? ',' : ' ', peers[i]);
	return buf_detach(&b);
}

static int is_v6(const char *a)
{
	return strchr(a, ':') != NULL;
}

static char *nft_script(const struct rule *r)
{
	struct buf b = BUF_INIT;

	buf_addf(&b, "table inet " NFT_TABLE " {\n  chain input {\n"
	    "    type filter hook input priority -10; policy accept;\n"
	    "    iif \"lo\" accept\n");
	for (int i = 0; i < r->npeers; i++)
		buf_addf(&b, "    %s saddr %s tcp dport %s accept\n",
		    is_v6(r->peers[i]) ? "ip6" : "ip", r->peers[i], r->port);
	buf_addf(&b, "    tcp dport %s reject with tcp reset\n  }\n}\n", r->port);
	return buf_detach(&b);
}

static int ipt_add(const char *cmd, const struct rule *r, int v6,
    struct err *e)
{
	char *chain[] = { (char *)cmd, "-w", "-N", IPT_CHAIN, NULL };
	char *lo[] = { (char *)cmd, "-w", "-A", IPT_CHAIN, "-i", "lo", "-j", "ACCEPT", NULL };
	char *rej[] = { (char *)cmd, "-w", "-A", IPT_CHAIN, "-p", "tcp", "-j",
		"REJECT", "--reject-with", "tcp-reset", NULL };
	char *jump[] = { (char *)cmd, "-w", "-I", "INPUT", "1", "-p", "tcp", "--dport",
		(char *)r->port, "-j", IPT_CHAIN, NULL };

	if (run(chain, NULL, e) < 0 || run(lo, NULL, e) < 0)
		return -1;
	for (int i = 0; i < r->npeers; i++) {
		char *peer[] = { (char *)cmd, "-w", "-A", IPT_CHAIN, "-s", r->peers[i],
			"-j", "ACCEPT", NULL };
		if (is_v6(r->peers[i]) == v6 && run(peer, NULL, e) < 0)
			return -1;
	}
	return run(rej, NULL, e) < 0 || run(jump, NULL, e) < 0 ? -1 : 0;
}

static int ipt_remove(const char *cmd, const struct rule *r, struct err *e)
{
	char *jump[] = { (char *)cmd, "-w", "-D", "INPUT", "-p", "tcp", "--dport",
		(char *)r->port, "-j", IPT_CHAIN, NULL };
	char *flush[] = { (char *)cmd, "-w", "-F", IPT_CHAIN, NULL };
	char *del[] = { (char *)cmd, "-w", "-X", IPT_CHAIN, NULL };

	if (run(jump, NULL, e) < 0 || run(flush, NULL, e) < 0)
		return -1;
	return run(del, NULL, e);
}

static int ipt_present(const char *cmd, struct err *e)
{
	char *argv[] = { (char *)cmd, "-w", "-n", "-L", IPT_CHAIN, NULL };

	return probe(argv, e);
}

int firewall_present(const char *spec, int *present, struct err *e)
{
	struct rule r;
	int rc;

	if (parse(spec, &r, e) < 0)
		return -1;
	if (strcmp(r.backend, "nftables") == 0) {
		char *argv[] = { "nft", "list", "table", "inet", NFT_TABLE, NULL };
		rc = probe(argv, e);
	} else
		rc = ipt_present("iptables", e);
	rule_free(&r);
	if (rc < 0)
		return -1;
	*present = rc == 0;
	return 0;
}

int firewall_add(const char *spec, struct err *e)
{
	struct rule r;
	int rc = 0, v6 = 0;

	if (parse(spec, &r, e) < 0)
		return -1;
	if (strcmp(r.backend, "nftables") == 0) {
		char *argv[] = { "nft", "-f", "-", NULL };
		char *script = nft_script(&r);
		rc = run(argv, script, e);
		free(script);
	} else {
		for (int i = 0; i < r.npeers; i++)
			v6 |= is_v6(r.peers[i]);
		rc = ipt_add("iptables", &r, 0, e);
		if (rc == 0 && v6)
			rc = ipt_add("ip6tables", &r, 1, e);
	}
	rule_free(&r);
	return rc < 0 ? -1 : 0;
}

int firewall_remove(const char *spec, struct err *e)
{
	struct rule r;
	int rc = 0, v6 = 0;

	if (parse(spec, &r, e) < 0)
		return -1;
	if (strcmp(r.backend, "nftables") == 0) {
		char *argv[] = { "nft", "delete", "table", "inet", NFT_TABLE, NULL };
		rc = run(argv, NULL, e);
	} else {
		for (int i = 0; i < r.npeers; i++)
			v6 |= is_v6(r.peers[i]);
		rc = ipt_remove("iptables", &r, e);
		if (rc == 0 && v6)
			rc = ipt_remove("ip6tables", &r, e);
	}
	rule_free(&r);
	return rc < 0 ? -1 : 0;
}

char *firewall_describe(const char *spec)
{
	struct rule r;
	struct buf b = BUF_INIT;

	if (parse(spec, &r, NULL) < 0)
		return xstrdup(spec);
	buf_addf(&b, "%s: reject tcp port %s except from lo", r.backend, r.port);
	for (int i = 0; i < r.npeers; i++)
		buf_addf(&b, ", %s", r.peers[i]);
	rule_free(&r);
	return buf_detach(&b);
}
