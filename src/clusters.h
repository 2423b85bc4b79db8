/*
 * clusters.h: the cluster's entry in clusters.json, found the way the
 * Aurora client does ($AURORA_CONFIG_ROOT/clusters.json, then
 * ~/.aurora/clusters.json whose entries override; strict JSON; only the
 * cluster's own object goes through the lens). The file and the entry
 * belong to the host (host.clusters, host.centry).
 */
#ifndef CLUSTERS_H
#define CLUSTERS_H

#include "err.h"
#include "host.h"

/* host_load's last step: the cluster's name (--cluster, else
 * -cluster_name) and its entry. EXIT_DATA when there is none. */
int clusters_load(struct host *h, struct err *e);

/* The cluster entry: a key's value (decoded), NULL when absent. */
char *host_cluster_get(const struct host *h, const char *key);
/* Set a key's string; when the key is absent and rename_from is present,
 * that entry is renamed in place (keeps the file's layout byte-clean). */
int host_cluster_set(struct host *h, const char *key, const char *value,
    const char *rename_from, struct err *e);
int host_cluster_remove(struct host *h, const char *key, struct err *e);

#endif
