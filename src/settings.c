#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libconfig.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

int settings_use_root(struct settings *s, struct err *e)
{
	size_t n = strlen(s->root);
	struct stat st;

	while (n > 1 && s->root[n - 1] == '/')
		s->root[--n] = '\0';
	if (stat(s->root, &st) < 0)
		return errf(e, EXIT_USAGE, "--root %s: %s", s->root, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return errf(e, EXIT_USAGE, "--root %s: not a directory", s->root);
	if (s->root[0] != '/') {
		char *abs = realpath(s->root, NULL);
		if (abs == NULL)
			return errf(e, EXIT_USAGE, "--root %s: %s", s->root, strerror(errno));
		free(s->root);
		s->root = abs;
	}
	err_show_root(s->root);
	return 0;
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
	    &s->aside, &s->mesos, &s->framework_id, &s->backup, &s->recovery_tool };

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
enum { K_STR, K_TIME, K_DIRS, K_PORT, K_BOOL };

#define SKEY(n, f) { n, offsetof(struct settings, f), K_STR }
static const struct key keys[] = {
	SKEY("layout", layout), SKEY("flags_file", flags_file),
	SKEY("clusters_file", clusters_file), SKEY("cluster", cluster),
	SKEY("advertised_host", advertised_host), SKEY("home", home),
	SKEY("aurora_config_root", aurora_config_root),
	SKEY("systemctl", systemctl), SKEY("unit", unit),
	SKEY("scheduler", scheduler), SKEY("hosts", hosts), SKEY("zk", zk),
	SKEY("serverset_path", serverset_path), { "http_port", offsetof(struct settings, http_port), K_PORT },
	SKEY("mesos_log", mesos_log), SKEY("scheduler_user", log_user),
	SKEY("recovery_tool", recovery_tool),
	{ "max_age", offsetof(struct settings, max_age), K_TIME },
	{ "wait", offsetof(struct settings, wait), K_TIME },
	{ "timeout", offsetof(struct settings, timeout), K_TIME },
	{ "profile_dirs", 0, K_DIRS },
	{ "live_root", offsetof(struct settings, live_root), K_BOOL },
};

int settings_port_ok(const char *v)
{
	return *v && strlen(v) <= 5 && strspn(v, "0123456789") == strlen(v) &&
	    atoi(v) >= 1 && atoi(v) <= 65535;
}

/* A port: an integer or a string of digits, 1 to 65535. */
static int load_port(char **slot, config_setting_t *c, const char *file,
    int line, struct err *e)
{
	const char *name = config_setting_name(c);
	int type = config_setting_type(c);
	char *v = type == CONFIG_TYPE_INT || type == CONFIG_TYPE_INT64 ?
	    xasprintf("%lld", config_setting_get_int64(c)) :
	    type == CONFIG_TYPE_STRING ? xstrdup(config_setting_get_string(c)) : NULL;

	if (v == NULL || !settings_port_ok(v)) {
		errf(e, EXIT_CONFIG, "%s:%d: %s must be a port number, 1 to 65535 (an integer or a string)",
		    file, line, name);
		free(v);
		return -1;
	}
	free(*slot);
	*slot = v;
	return 0;
}

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
		if (keys[i].type == K_BOOL) {
			if (config_setting_type(c) != CONFIG_TYPE_BOOL)
				return errf(e, EXIT_CONFIG, "%s:%d: %s must be true or false", file, line, name);
			*(int *)((char *)s + keys[i].off) = config_setting_get_bool(c);
			return 0;
		}
		if (keys[i].type == K_PORT)
			return load_port((char **)((char *)s + keys[i].off), c, file,
			    line, e);
		v = config_setting_get_string(c);
		if (v == NULL)
			return errf(e, EXIT_CONFIG, "%s:%d: %s must be a string", file, line, name);
		if (keys[i].type == K_TIME) {
			double *t = (double *)((char *)s + keys[i].off);
			if (t == &s->timeout ? timeamt_timeout(v, t) < 0 : timeamt_parse(v, t) < 0)
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
	char *text;
	int rc = 0;

	if (access(path, F_OK) != 0 && missing_ok)
		return 0;
	if ((text = conf_read_text(path, "", e)) == NULL)
		return -1;
	if (conf_check(path, text, e) < 0) {
		free(text);
		return -1;
	}
	config_init(&cfg);
	if (!config_read_string(&cfg, text)) {
		rc = errf(e, EXIT_CONFIG, "%s:%d: syntax error: %s",
		    config_error_file(&cfg) ? config_error_file(&cfg) : path,
		    config_error_line(&cfg), config_error_text(&cfg));
		config_destroy(&cfg);
		free(text);
		return rc;
	}
	root = config_root_setting(&cfg);
	for (int i = 0; rc == 0 && i < config_setting_length(root); i++)
		rc = load_key(s, config_setting_get_elem(root, i), path, e);
	config_destroy(&cfg);
	free(text);
	return rc;
}

/* ---- libconfig files ---- */

#define MAX_INCLUDE_DEPTH 10	/* libconfig's own limit */

/* A regular file, or /dev/null (an empty configuration): anything else
 * could hang the reader (a FIFO, /dev/zero) or stop libconfig. */
static int readable_kind(const struct stat *st)
{
	struct stat null;

	return S_ISREG(st->st_mode) || (S_ISCHR(st->st_mode) &&
	    stat("/dev/null", &null) == 0 && S_ISCHR(null.st_mode) &&
	    st->st_rdev == null.st_rdev);
}

char *conf_read_text(const char *path, const char *what, struct err *e)
{
	struct buf text = BUF_INIT;
	char chunk[4096];
	struct stat st;
	const char *nul;
	ssize_t n = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0 || fstat(fd, &st) < 0) {
		errf(e, EXIT_CONFIG, "cannot read %s%s: %s", what, path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	if (!readable_kind(&st)) {
		errf(e, EXIT_CONFIG, "cannot read %s%s: %s", what, path,
		    S_ISDIR(st.st_mode) ? "it is a directory" : "not a regular file");
		close(fd);
		return NULL;
	}
	while ((n = read(fd, chunk, sizeof chunk)) > 0)
		buf_add(&text, chunk, (size_t)n);
	if (n < 0)
		errf(e, EXIT_CONFIG, "cannot read %s%s: %s", what, path, strerror(errno));
	close(fd);
	/* libconfig reads a string: it would stop at a NUL, silently */
	if (n == 0 && text.len && (nul = memchr(text.s, '\0', text.len)) != NULL) {
		int line = 1;
		for (const char *p = text.s; p < nul; p++)
			line += *p == '\n';
		n = errf(e, EXIT_CONFIG, "%s:%d: binary data in a text file", path, line);
	}
	if (n < 0) {
		buf_free(&text);
		return NULL;
	}
	return buf_detach(&text);
}

/* After the string literal at p (p[0] is '"'); its text goes to out. */
static const char *string_end(const char *p, struct buf *out, int *line)
{
	for (p++; *p && *p != '"'; p++) {
		*line += *p == '\n';
		if (*p == '\\' && p[1])
			p++;
		if (out)
			buf_add(out, p, 1);
	}
	return *p ? p + 1 : p;
}

/* The length of the number at p; *integer: it is not a float. */
static size_t number_len(const char *p, int *integer)
{
	size_t n = *p == '+' || *p == '-';

	*integer = 1;
	if (p[n] == '0' && (p[n + 1] == 'x' || p[n + 1] == 'X')) {
		n += 2 + strspn(p + n + 2, "0123456789abcdefABCDEF");
	} else {
		n += strspn(p + n, "0123456789");
		if (p[n] == '.' || p[n] == 'e' || p[n] == 'E') {
			*integer = 0;
			return n + strspn(p + n, "0123456789.eE+-");
		}
	}
	return n + (p[n] == 'L') + (p[n] == 'L' && p[n + 1] == 'L');
}

/* Does libconfig keep the integer tok[0..n) as written? Without a final
 * L it has 32 bits; a hexadecimal one is not negative. */
static int integer_fits(const char *tok, size_t n)
{
	char digits[64];
	const char *d = tok + (*tok == '+' || *tok == '-');
	int wide = tok[n - 1] == 'L', hex = d[0] == '0' && (d[1] == 'x' || d[1] == 'X');
	char *end;

	while (n > 0 && tok[n - 1] == 'L')
		n--;
	if (n >= sizeof digits)
		return 0;
	memcpy(digits, tok, n);
	digits[n] = '\0';
	errno = 0;
	if (hex) {
		unsigned long long u = strtoull(digits, &end, 16);
		return errno == 0 && u <= (wide ? (unsigned long long)INT64_MAX : INT32_MAX);
	}
	long long v = strtoll(digits, &end, 10);
	return errno == 0 && (wide || (v >= INT32_MIN && v <= INT32_MAX));
}

static int check_text(const char *path, const char *text, int depth,
    struct err *e);

/* "@include "FILE"" at p (after "@include"): FILE must be a regular file,
 * checked in turn. libconfig reports the rest (a missing file, depth). */
static int check_include(const char *path, int line, const char **p,
    int depth, struct err *e)
{
	struct buf file = BUF_INIT;
	struct stat st;
	char *text;
	int rc = 0, l = line;

	*p += strspn(*p, " \t");
	if (**p != '"')
		return 0;
	*p = string_end(*p, &file, &l);
	if (file.s && stat(file.s, &st) == 0) {
		if (!readable_kind(&st))
			rc = errf(e, EXIT_CONFIG, "%s:%d: @include \"%s\": %s", path,
			    line, file.s, S_ISDIR(st.st_mode) ? "it is a directory" :
			    "not a regular file");
		else if (depth < MAX_INCLUDE_DEPTH &&
		    (text = conf_read_text(file.s, "", e)) != NULL) {
			rc = check_text(file.s, text, depth + 1, e);
			free(text);
		} else if (depth < MAX_INCLUDE_DEPTH) {
			rc = -1;
		}
	}
	buf_free(&file);
	return rc;
}

static int check_text(const char *path, const char *text, int depth,
    struct err *e)
{
	const char *p = text, *end;
	int line = 1, bol = 1, integer;
	size_t n;

	while (*p) {
		if (*p == '\n') {
			line++, bol = 1, p++;
		} else if (*p == ' ' || *p == '\t' || *p == '\r') {
			p++;
		} else if (*p == '#' || (p[0] == '/' && p[1] == '/')) {
			p += strcspn(p, "\n");
		} else if (p[0] == '/' && p[1] == '*') {
			end = strstr(p + 2, "*/");
			end = end ? end + 2 : p + strlen(p);
			for (; p < end; p++)
				line += *p == '\n';
			bol = 0;
		} else if (bol && strncmp(p, "@include", 8) == 0) {
			p += 8;
			if (check_include(path, line, &p, depth, e) < 0)
				return -1;
			bol = 0;
		} else if (*p == '"') {
			p = string_end(p, NULL, &line);
			bol = 0;
		} else if (isalpha((unsigned char)*p) || *p == '*') {
			p += strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-*");
			bol = 0;
		} else if (isdigit((unsigned char)*p) || ((*p == '-' || *p == '+') &&
		    isdigit((unsigned char)p[1]))) {
			n = number_len(p, &integer);
			if (integer && !integer_fits(p, n))
				return errf(e, EXIT_CONFIG, "%s:%d: %.*s is out of range (an integer has 32 bits, or 64 with a final L)",
				    path, line, (int)n, p);
			p += n;
			bol = 0;
		} else {
			p++;
			bol = 0;
		}
	}
	return 0;
}

int conf_check(const char *path, const char *text, struct err *e)
{
	return check_text(path, text, 0, e);
}
