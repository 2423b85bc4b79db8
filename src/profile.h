/*
 * profile.h: profiles, libconfig files describing a set of changes
 * (format: man/aurora-restore-profile.5). profile_load() validates the
 * whole file; every error is EXIT_CONFIG and names "FILE:LINE".
 * The profile owns every string in it; profile_free() releases them.
 */
#ifndef PROFILE_H
#define PROFILE_H

#include <stddef.h>
#include "err.h"

struct profile_kv {
	char *name;
	char *value;		/* a template: may hold ${host} etc.; NULL for removals */
	int line;
};

struct profile {
	char *name;		/* the file's "name", else its basename less .conf */
	char *path;		/* the file read */
	char *description;

	struct profile_kv *flag_set;
	size_t nflag_set;
	struct profile_kv *flag_remove;
	size_t nflag_remove;
	struct profile_kv *cluster_set;
	size_t ncluster_set;
	struct profile_kv *cluster_remove;
	size_t ncluster_remove;

	int hosts_enabled;	/* an /etc/hosts line, for the Kerberos case */
	char *hosts_address;	/* template, default "${ip}" */
	char *hosts_names;	/* template, default "${hostname}" */

	int firewall_enabled;	/* reject outside traffic to http_port */
	char **firewall_peers;	/* addresses still allowed besides loopback */
	size_t nfirewall_peers;
	char *firewall_backend;	/* "auto", "nftables" or "iptables" */

	char **warnings;	/* non-fatal remarks, "FILE:LINE: ..." */
	size_t nwarnings;
};

/*
 * Load a profile by name (looked up as NAME.conf in each of dirs, a
 * NULL-terminated list) or by path (anything containing a '/').
 */
int profile_load(const char *name_or_path, const char *const *dirs,
    struct profile *p, struct err *e);
void profile_free(struct profile *p);

/* The values a profile template may refer to. */
struct profile_vars {
	const char *host;	/* advertised host: -hostname, -ip, else node name */
	const char *hostname;	/* this machine's name */
	const char *ip;		/* -ip, else the address hostname resolves to */
	const char *http_port;
	const char *cluster;
};

/* Expand ${host} ${hostname} ${ip} ${http_port} ${cluster}; "$$" is "$".
 * Returns a malloc'd string, or NULL with e set (EXIT_CONFIG) when a
 * variable is unknown or has no value on this host. */
char *profile_expand(const char *tmpl, const struct profile_vars *v,
    struct err *e);

#endif
