/*
 * engine.h: what a profile means for a host. A plan is a list of journal
 * items (journal.h): each managed flag or cluster key with its original
 * and wanted value. The engine edits the host's trees (host.h); callers
 * render, diff and write. Items belong to the caller.
 */
#ifndef ENGINE_H
#define ENGINE_H

#include "buf.h"
#include "host.h"
#include "journal.h"
#include "output.h"
#include "profile.h"

/* Items for p on h; originals come from prev's items where prev has
 * them (a re-run never records restore values as originals). */
int engine_plan(struct host *h, const struct profile *p,
    const struct journal *prev, struct jitem **items, size_t *n,
    struct err *e);
void engine_free_items(struct jitem *items, size_t n);

/* The current value of an item (malloc'd) and whether it is present. */
char *engine_current(const struct host *h, const struct jitem *it,
    int *present);
int engine_in_state(const struct host *h, const struct jitem *it);

/* Give every item its wanted value. */
int engine_apply(struct host *h, const struct jitem *items, size_t n,
    struct err *e);

/*
 * Put items back to their originals. An item changed by someone else
 * since (neither the original nor the wanted value) is a conflict: it is
 * named in conflicts and left alone, unless force.
 */
int engine_revert(struct host *h, const struct jitem *items, size_t n,
    int force, struct buf *conflicts, struct err *e);

/* The steps that are not files (the firewall rule): add them, or with
 * revert remove those the profile added; check: only say so in r. */
int engine_actions(const struct jitem *items, size_t n, int revert,
    int check, struct result *r, struct err *e);

/* "-name=value", "-name (absent)", "key: value" for reports. */
char *engine_describe(const struct jitem *it, const char *value, int present);

#endif
