/*
 * augx.h: the one Augeas handle of a run, and text <-> tree through our
 * lenses with aug_text_store/aug_text_retrieve. All file I/O stays ours
 * (fileio.h): Augeas only parses and renders strings.
 *
 * augx_open() looks for our lenses in $AURORA_RESTORE_LENSDIR, the source
 * tree when run from the build tree, then the installed lens directory.
 */
#ifndef AUGX_H
#define AUGX_H

#include <augeas.h>
#include "err.h"

augeas *augx_open(struct err *e);
void augx_close(augeas *aug);
const char *augx_lensdir(void);

/*
 * Parse text with lens (e.g. "AuroraShell.lns") into the tree at path
 * (which is cleared first). name names the input in errors:
 * "NAME: parse error at line L, char C: MESSAGE" (EXIT_DATA).
 * Line lenses want a final newline: when added_nl is given, one is added
 * if missing and *added_nl says so; pass it to augx_render() as strip_nl.
 */
int augx_parse(augeas *aug, const char *lens, const char *text, int *added_nl,
    const char *path, const char *name, struct err *e);

/* Render the tree at path back to text. The result is malloc'd. */
int augx_render(augeas *aug, const char *lens, const char *path, int strip_nl,
    const char *name, char **out, struct err *e);

/* The value at path, or NULL (not a copy). */
const char *augx_get(augeas *aug, const char *path);
int augx_set(augeas *aug, const char *path, const char *value, struct err *e);
/* Matches of expr, a malloc'd array of malloc'd paths; free with augx_free_matches. */
int augx_match(augeas *aug, const char *expr, char ***paths);
void augx_free_matches(char **paths, int n);
/* The nodes matching expr, in document order, with label and value
 * (NULL when none), all malloc'd; one evaluation of expr, so much cheaper
 * than aug_get per match. Free with augx_free_nodes. */
struct augx_node {
	char *path;
	char *label;
	char *value;
};
int augx_nodes(augeas *aug, const char *expr, struct augx_node **nodes);
void augx_free_nodes(struct augx_node *nodes, int n);

/* The label of the node at path, or NULL (not a copy). */
const char *augx_label(augeas *aug, const char *path);

#endif
