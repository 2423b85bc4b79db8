/*
 * etchosts.h: the host's /etc/hosts (Hosts.lns), one of its files.
 */
#ifndef ETCHOSTS_H
#define ETCHOSTS_H

#include "err.h"
#include "host.h"

/* /etc/hosts, read on first use: is there a line "ADDRESS NAME..."
 * (line is "ADDRESS NAME [ALIAS...]")? Add it at the end, or remove it. */
int host_hosts_has(struct host *h, const char *line, int *present,
    struct err *e);
int host_hosts_add(struct host *h, const char *line, struct err *e);
int host_hosts_remove(struct host *h, const char *line, struct err *e);

#endif
