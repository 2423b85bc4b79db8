/*
 * host.h: the host model. host_load() discovers where the scheduler's
 * flags live (or takes --layout/--flags-file), reads each file through
 * its lens, and finds the cluster's clusters.json entry (clusters.h).
 * Edits change the Augeas trees only; host_render()
 * turns them back into text (hfile.newtext) for the caller to diff or
 * write. The host owns every file, flag and string in it.
 */
#ifndef HOST_H
#define HOST_H

#include <augeas.h>
#include <stddef.h>
#include "buf.h"
#include "err.h"
#include "fileio.h"
#include "settings.h"
#include "unit.h"

enum layout { LAYOUT_DEBIAN, LAYOUT_RPM, LAYOUT_SYSTEMD, LAYOUT_UPSTART,
	LAYOUT_ARGFILE };

enum hfile_role { ROLE_FLAGS, ROLE_UNIT, ROLE_ARGFILE, ROLE_CLUSTERS, ROLE_HOSTS };

struct hfile {
	char *path;		/* as the operator names it: /etc/default/... */
	char *real;		/* the same under --root */
	enum hfile_role role;
	const char *lens;
	char *tree;		/* its Augeas tree: /h/N */
	struct buf text;	/* as read */
	int added_nl;		/* a final newline was added for the lens */
	int crlf;		/* every line ends in CR LF: the lens reads it
				 * without the CRs, newtext gets them back */
	struct file_meta meta;
	char *newtext;		/* after host_render(); NULL when unchanged */
	/* clusters.json: only the cluster's own object goes through the lens
	 * (Augeas's trees grow worse than linearly with the file); the tree
	 * holds the bytes text[slice, slice + slice_len), the rest is kept. */
	int sliced;
	size_t slice, slice_len;
};

/* A list of argument words the scheduler receives, in order. */
struct wordlist {
	struct hfile *file;
	char *tree;		/* where the word nodes live */
	char *holder;		/* node whose value is the words' text, or NULL */
	char outer;		/* quote around the holder's text (Debian), or 0 */
	int created;		/* the holder was added by us: drop it if empty */
	int style;		/* WORDS_SHELL, WORDS_SYSTEMD, WORDS_ARGFILE, WORDS_EXTRA */
};
enum { WORDS_SHELL, WORDS_SYSTEMD, WORDS_ARGFILE, WORDS_EXTRA };

struct flag {
	char *name;
	char *value;		/* as the scheduler receives it; NULL: bare -name */
	char *raw;		/* as written; NULL for a bare word */
	char *node;		/* Augeas node holding raw */
	char *name_node;	/* "-name value": the node of -name, else NULL */
	const char *var;	/* Debian: the variable it comes from, else NULL */
	struct wordlist *list;	/* NULL for a Debian variable */
};

struct host {
	struct settings *set;
	augeas *aug;
	enum layout layout;
	struct hfile **files;	/* each allocated alone: flags point into them */
	size_t nfiles;
	struct wordlist **lists;
	size_t nlists;
	struct flag *flags;	/* effective flags, in argv order */
	size_t nflags;
	char *unit;		/* systemd: the unit's name, when a unit holds flags */
	struct unit sd;		/* systemd: the unit as systemd reads it */

	char *cluster;		/* the cluster's name */
	struct hfile *clusters;	/* the clusters.json that decides, or NULL */
	char *centry;		/* its entry's dict node */
	char *hostname;		/* this machine's name */
};

const char *layout_name(enum layout l);
int layout_parse(const char *s, enum layout *l);

int host_load(struct host *h, struct settings *set, augeas *aug,
    struct err *e);
void host_free(struct host *h);

/* The last occurrence of a flag as the scheduler would see it, or NULL. */
const struct flag *host_flag(const struct host *h, const char *name);
/* The value of a flag, or NULL when absent or bare. */
const char *host_flag_value(const struct host *h, const char *name);

/* Check a value a profile's ${var} takes from this host before anything
 * is written: ${http_port} a port, ${ip} an address, ${host} and
 * ${hostname} host names, ${cluster} one word. EXIT_DATA naming where the
 * value comes from (the flag and its file), also when it has none. */
int host_check_var(const struct host *h, const char *var, const char *value,
    struct err *e);

/* Debian, RPM: a variable of the flags file as the launcher exports it
 * (an array's words joined by blanks); NULL when unset (malloc'd). */
char *host_shell_var(struct host *h, const char *name);

/* Set or remove a flag where it stands (a Debian variable where it has
 * one); add it when absent. Errors: EXIT_DATA. */
int host_flag_set(struct host *h, const char *name, const char *value,
    struct err *e);
/* Set the raw text of a flag exactly (revert of an original). */
int host_flag_set_raw(struct host *h, const char *name, const char *raw,
    const char *after, struct err *e);
int host_flag_remove(struct host *h, const char *name, struct err *e);
/* Make a flag absent as it was before apply: a Debian variable we added
 * goes away (host_flag_remove refuses to touch a launcher variable). */
int host_flag_unset(struct host *h, const char *name, struct err *e);
/* The name of the flag just before name in its word list, or "" (first). */
char *host_flag_before(const struct host *h, const char *name);

/* Render every file; hfile.newtext is set where the text changed. */
int host_render(struct host *h, struct err *e);
/* Re-read the flags from the trees after edits (for checks). */
int host_refresh(struct host *h, struct err *e);

#endif
