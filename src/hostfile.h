/*
 * hostfile.h: the host's files, for host.c and the modules that add
 * files to the host (clusters.c, etchosts.c). A file is read under
 * --root and refused when binary; host_file_add also parses it through
 * its lens into the tree /h/N. The host owns the files.
 */
#ifndef HOSTFILE_H
#define HOSTFILE_H

#include "err.h"
#include "host.h"

/* Read path, not parsed yet (NULL with e filled). */
struct hfile *host_file_new(struct host *h, const char *path,
    enum hfile_role role, const char *lens, struct err *e);
/* Read and parse path. */
struct hfile *host_file_add(struct host *h, const char *path,
    enum hfile_role role, const char *lens, struct err *e);
/* Parse f's text into its tree; EXIT_DATA naming the file and line. */
int host_file_parse(struct host *h, struct hfile *f, struct err *e);
/* Is there something at path under --root? */
int host_file_exists(const struct host *h, const char *path);

#endif
