#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "augx.h"
#include "proc.h"
#include "session.h"

/* What killed runs left beside the journal and the files they wrote. */
static void clean_temps(struct session *s)
{
	char *path = root_path(s->set->root, JOURNAL_PATH);

	file_clean_temps(path);
	free(path);
	for (size_t i = 0; i < s->j.nfiles; i++) {
		path = root_path(s->set->root, s->j.files[i].path);
		file_clean_temps(path);
		free(path);
	}
}

int session_open(struct session *s, struct settings *set, int lock,
    struct err *e)
{
	memset(s, 0, sizeof *s);
	s->set = set;
	s->lockfd = -1;
	if (lock) {
		char *path = root_path(set->root, LOCK_PATH);
		int rc = path_private(set->root, LOCK_PATH, 0, e) < 0 ? -1 :
		    lock_acquire(path, set->wait, &s->lockfd, e);
		free(path);
		if (rc < 0)
			return -1;
	}
	if (journal_load(set->root, &s->j, &s->have_journal, e) < 0)
		return -1;
	if (lock)
		clean_temps(s);
	return 0;
}

int session_profile(struct session *s, const char *name, struct err *e)
{
	if (name == NULL && s->have_journal)
		name = s->j.profile_path && access(s->j.profile_path, R_OK) == 0 ?
		    s->j.profile_path : s->j.profile;
	if (name == NULL)
		name = "recovery";
	if (profile_load(name, (const char *const *)s->set->profile_dirs,
	    &s->p, e) < 0)
		return -1;
	s->have_profile = 1;
	return 0;
}

int session_host(struct session *s, struct err *e)
{
	if ((s->aug = augx_open(e)) == NULL)
		return -1;
	if (host_load(&s->host, s->set, s->aug, e) < 0) {
		host_free(&s->host);
		return -1;
	}
	s->have_host = 1;
	for (size_t i = 0; s->lockfd >= 0 && i < s->host.nfiles; i++)
		file_clean_temps(s->host.files[i]->real);
	return 0;
}

void session_close(struct session *s)
{
	if (s->have_host)
		host_free(&s->host);
	if (s->aug)
		augx_close(s->aug);
	if (s->have_profile)
		profile_free(&s->p);
	journal_free(&s->j);
	if (s->lockfd >= 0)
		lock_release(s->lockfd);
	memset(s, 0, sizeof *s);
	s->lockfd = -1;
}

const char *session_no_systemd(const struct settings *set)
{
	struct stat st;
	char *run;
	int booted;

	if (strcmp(set->root, "/") != 0 && !set->live_root)
		return "--root";
	run = root_path(set->root, "/run/systemd/system");
	booted = stat(run, &st) == 0 && S_ISDIR(st.st_mode);
	free(run);
	return booted ? NULL : "systemd is not running";
}

int reload_units(struct session *s, struct result *r, struct err *e)
{
	char *argv[] = { s->set->systemctl, "daemon-reload", NULL };
	const char *why = session_no_systemd(s->set);

	if (why) {
		result_line(r, "not reloaded: %s", why);
		result_set(r, "daemon_reload", json_null());
		result_set(r, "not_reloaded", json_string(why));
		return 0;
	}
	if (run_command(argv, NULL, NULL, e) != 0)
		return -1;
	s->j.reload_pending = 0;
	result_line(r, "ran %s daemon-reload", s->set->systemctl);
	result_set(r, "daemon_reload", json_sprintf("%s daemon-reload", s->set->systemctl));
	return 0;
}

char *session_user(void)
{
	struct passwd *pw = getpwuid(getuid());
	const char *sudo = getenv("SUDO_USER");
	char *name = pw ? xstrdup(pw->pw_name) : xasprintf("uid %d", (int)getuid());

	if (sudo && *sudo) {
		char *s = xasprintf("%s (sudo from %s)", name, sudo);
		free(name);
		return s;
	}
	return name;
}

const char *iso_time(long long t)
{
	static char buf[64];
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

void session_describe(struct session *s, struct result *r, int text)
{
	struct host *h = &s->host;
	json_t *files = json_array();
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < h->nfiles; i++)
		if (h->files[i]->role != ROLE_CLUSTERS && h->files[i]->role != ROLE_HOSTS) {
			json_array_append_new(files, out_json_str(h->files[i]->path));
			buf_addf(&b, "%s%s", b.len ? ", " : "", h->files[i]->path);
		}
	result_set(r, "layout", out_json_str(layout_name(h->layout)));
	result_set(r, "flags_files", files);
	result_set(r, "cluster", out_json_str(h->cluster));
	result_set(r, "clusters_file", out_json_str(h->clusters->path));
	if (text) {
		result_line(r, "layout %s: %s", layout_name(h->layout), b.s);
		result_line(r, "cluster %s: decided by %s", h->cluster, h->clusters->path);
	}
	buf_free(&b);
}
