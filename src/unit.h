/*
 * unit.h: a systemd unit as systemd reads it, under --root. The unit file
 * is the first of /etc, /run, /lib and /usr/lib/systemd/system that holds
 * it; its drop-ins NAME.d/ *.conf are read by file name across those
 * folders, a name in an earlier folder masking the same name in a later
 * one, and a drop-in that is empty or a link to /dev/null masking without
 * adding anything (a unit so masked is no unit). The [Service] settings
 * the tool needs follow systemd's rules: the last User= and Group= win,
 * Environment= and EnvironmentFile= accumulate until an empty one resets
 * them, an empty ExecStart= resets the commands. The unit owns every
 * string in it.
 */
#ifndef UNIT_H
#define UNIT_H

#include <stddef.h>
#include "err.h"

struct unit {
	char **files;		/* the unit file, then its drop-ins (host paths) */
	size_t nfiles;
	char *user, *group;	/* NULL when unset */
	char **env;		/* Environment= values as written, in order */
	size_t nenv;
	char **env_files;	/* EnvironmentFile= values as written */
	size_t nenv_files;
	char **env_from;	/* the file of each such line, resets too */
	size_t nenv_from;
	char *exec;		/* the last ExecStart= in effect, or NULL */
	size_t exec_file;	/* the index in files of the file holding it */
	int nexec;		/* ExecStart= lines in effect: more than one add up */
	int exec_line;		/* the line of exec in its file */
};

/* The unit name (e.g. aurora-scheduler.service) under root; no unit is
 * not an error (nfiles 0). Errors: a file that cannot be read (u is
 * then freed). */
int unit_load(struct unit *u, const char *root, const char *name,
    struct err *e);
/* The same from the one file path (--flags-file), without drop-ins. */
int unit_load_file(struct unit *u, const char *root, const char *path,
    struct err *e);
void unit_free(struct unit *u);

#endif
