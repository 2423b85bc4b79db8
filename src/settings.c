#include <libconfig.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libgen.h>
#include "buf.h"
#include "settings.h"
#include "timeamt.h"

void settings_set(char **slot, const char *value)
{
	free(*slot);
	*slot = value ? xstrdup(value) : NULL;
}

int run_from_build_tree(void)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);

	if (n <= 0)
		return 0;
	exe[n] = '\0';
	return strcmp(dirname(exe), ABS_BUILDDIR) == 0;
}

void settings_init(struct settings *s)
{
	const char *v;
	int n = 0;

	memset(s, 0, sizeof *s);
	s->root = xstrdup("/");
	s->proc = xstrdup("/proc");
	s->systemctl = xstrdup("systemctl");
	s->unit = xstrdup("aurora-scheduler.service");
	if ((v = getenv("HOME")) != NULL)
		s->home = xstrdup(v);
	if ((v = getenv("AURORA_CONFIG_ROOT")) != NULL && *v)
		s->aurora_config_root = xstrdup(v);
	s->profile_dirs[n++] = xstrdup(SYSCONFDIR "/aurora-restore/profiles");
	if (run_from_build_tree())
		s->profile_dirs[n++] = xstrdup(ABS_SRCDIR "/profiles");
	s->profile_dirs[n++] = xstrdup(PROFILEDIR);
	s->timeout = 10;
	s->max_age = 4 * 3600;
	s->max_reply = 1LL << 30;
	s->max_kill = -1;
}

void settings_free(struct settings *s)
{
	char **strs[] = { &s->root, &s->proc, &s->config, &s->layout,
	    &s->flags_file, &s->clusters_file, &s->cluster, &s->reason,
	    &s->advertised_host, &s->home, &s->aurora_config_root,
	    &s->systemctl, &s->unit, &s->scheduler, &s->hosts, &s->zk,
	    &s->serverset_path, &s->http_port, &s->copy, &s->role, &s->env,
	    &s->job, &s->status, &s->task_id, &s->mesos_log, &s->log_user,
	    &s->aside, &s->recovery_tool };

	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
		free(*strs[i]);
	for (int i = 0; s->profile_dirs[i]; i++)
		free(s->profile_dirs[i]);
	memset(s, 0, sizeof *s);
}

struct key {
	const char *name;
	size_t off;
	int type;
};
enum { K_STR, K_TIME, K_DIRS };

#define SKEY(n, f) { n, offsetof(struct settings, f), K_STR }
static const struct key keys[] = {
	SKEY("layout", layout), SKEY("flags_file", flags_file),
	SKEY("clusters_file", clusters_file), SKEY("cluster", cluster),
	SKEY("advertised_host", advertised_host), SKEY("home", home),
	SKEY("aurora_config_root", aurora_config_root),
	SKEY("systemctl", systemctl), SKEY("unit", unit),
	SKEY("scheduler", scheduler), SKEY("hosts", hosts), SKEY("zk", zk),
	SKEY("serverset_path", serverset_path), SKEY("http_port", http_port),
	SKEY("mesos_log", mesos_log), SKEY("scheduler_user", log_user),
	SKEY("recovery_tool", recovery_tool),
	{ "max_age", offsetof(struct settings, max_age), K_TIME },
	{ "wait", offsetof(struct settings, wait), K_TIME },
	{ "timeout", offsetof(struct settings, timeout), K_TIME },
	{ "profile_dirs", 0, K_DIRS },
};

static int load_key(struct settings *s, config_setting_t *c, const char *file,
    struct err *e)
{
	const char *name = config_setting_name(c);
	int line = config_setting_source_line(c);
	const char *v;

	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		if (strcmp(keys[i].name, name) != 0)
			continue;
		if (keys[i].type == K_DIRS) {
			int n = config_setting_length(c);
			if (config_setting_type(c) != CONFIG_TYPE_LIST &&
			    config_setting_type(c) != CONFIG_TYPE_ARRAY)
				return errf(e, EXIT_CONFIG, "%s:%d: profile_dirs must be a list of strings", file, line);
			if (n > 6)
				return errf(e, EXIT_CONFIG, "%s:%d: profile_dirs: at most 6 directories", file, line);
			for (int j = 0; s->profile_dirs[j]; j++)
				free(s->profile_dirs[j]);
			memset(s->profile_dirs, 0, sizeof s->profile_dirs);
			for (int j = 0; j < n; j++) {
				v = config_setting_get_string_elem(c, j);
				if (v == NULL)
					return errf(e, EXIT_CONFIG, "%s:%d: profile_dirs must be a list of strings", file, line);
				s->profile_dirs[j] = xstrdup(v);
			}
			return 0;
		}
		v = config_setting_get_string(c);
		if (v == NULL)
			return errf(e, EXIT_CONFIG, "%s:%d: %s must be a string", file, line, name);
		if (keys[i].type == K_TIME) {
			if (timeamt_parse(v, (double *)((char *)s + keys[i].off)) < 0)
				return errf(e, EXIT_CONFIG, "%s:%d: %s: \"%s\" is not a time amount (digits then ns, us, ms, secs, mins, hrs or days)", file, line, name, v);
			return 0;
		}
		settings_set((char **)((char *)s + keys[i].off), v);
		return 0;
	}
	return errf(e, EXIT_CONFIG, "%s:%d: unknown key \"%s\"", file, line, name);
}

int settings_load_file(struct settings *s, const char *path, int missing_ok,
    struct err *e)
{
	config_t cfg;
	config_setting_t *root;
	int rc = 0;

	if (access(path, F_OK) != 0 && missing_ok)
		return 0;
	config_init(&cfg);
	if (!config_read_file(&cfg, path)) {
		if (config_error_type(&cfg) == CONFIG_ERR_FILE_IO)
			rc = errf(e, EXIT_CONFIG, "cannot read %s", path);
		else
			rc = errf(e, EXIT_CONFIG, "%s:%d: syntax error: %s", path,
			    config_error_line(&cfg), config_error_text(&cfg));
		config_destroy(&cfg);
		return rc;
	}
	root = config_root_setting(&cfg);
	for (int i = 0; rc == 0 && i < config_setting_length(root); i++)
		rc = load_key(s, config_setting_get_elem(root, i), path, e);
	config_destroy(&cfg);
	return rc;
}
