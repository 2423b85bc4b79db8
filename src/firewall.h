/*
 * firewall.h: the optional guard of a profile: TCP to the scheduler's
 * http_port is rejected unless it comes over loopback or from a listed
 * peer. nftables: table "inet aurora_restore"; iptables: chain
 * AURORA_RESTORE jumped to from INPUT (ip6tables too for IPv6 peers).
 * The rule is described by a spec string "BACKEND PORT [PEER,...]", kept
 * in the journal so revert knows what to remove.
 */
#ifndef FIREWALL_H
#define FIREWALL_H

#include "err.h"

/* "auto" becomes nftables when nft runs here, else iptables. malloc'd. */
char *firewall_spec(const char *backend, const char *port,
    char *const *peers, size_t npeers, struct err *e);
int firewall_present(const char *spec, int *present, struct err *e);
int firewall_add(const char *spec, struct err *e);
int firewall_remove(const char *spec, struct err *e);
/* "nftables: reject tcp port 8081 except from lo, 10.0.0.2" (malloc'd). */
char *firewall_describe(const char *spec);

#endif
