/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "paths.h"
#include "strbuf.h"
#include "testhooks.h"
#include "util.h"

#include <limits.h>
#include <string.h>
#include <unistd.h>

const char *source_tree(void)
{
	static char top[PATH_MAX];
	static int done;
	char exe[PATH_MAX], probe[PATH_MAX + 32];
	ssize_t n;
	char *slash;

	if (done)
		return top[0] ? top : NULL;
	done = 1;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	/* <top>/build/aaprof, <top>/build-san/tests/test-x, ... */
	while ((slash = strrchr(exe, '/')) && slash != exe) {
		*slash = '\0';
		snprintf(probe, sizeof(probe), "%s/aaprof/aaprof.c", exe);
		if (access(probe, F_OK) == 0) {
			snprintf(top, sizeof(top), "%s", exe);
			return top;
		}
	}
	return NULL;
}

char **data_search_path(const char *sub, const char *override)
{
	char **dirs = xcalloc(5, sizeof(char *));
	const char *top = source_tree();
	size_t n = 0;

	if (override)
		dirs[n++] = xstrdup(override);
	if (top)
		dirs[n++] = xasprintf("%s/%s", top, sub);
	dirs[n++] = xasprintf("%s/%s", AAPROF_SYSCONFDIR, sub);
	dirs[n++] = xasprintf("%s/%s", AAPROF_DATADIR, sub);
	return dirs;
}

void paths_free(char **dirs)
{
	size_t i;

	for (i = 0; dirs && dirs[i]; i++)
		free(dirs[i]);
	free(dirs);
}

/* the deepest directory of path that exists (path itself, or a parent) */
static char *existing_part(const char *path)
{
	char *p = xstrdup(path), *slash;

	while (access(p, F_OK) < 0 && (slash = strrchr(p, '/')) && slash != p)
		*slash = '\0';
	if (access(p, F_OK) < 0)
		strcpy(p, *p == '/' ? "/" : ".");
	return p;
}

const char *state_dir(void)
{
	static const char *warned;
	const char *env = getenv("AAPROF_STATE_DIR");
	_cleanup_free_ char *exists = NULL;
	int q = quiet_errors, r;

	if (!env || !*env)
		return "/var/lib/aaprof";
	/* as root (release build), only a directory no one else controls: its
	   backups are what --rollback loads */
	if (test_hooks_enabled() || geteuid() != 0)
		return env;
	exists = existing_part(env);
	quiet_errors = 1;
	r = check_trusted_dir(exists, "directory");
	quiet_errors = q;
	if (r == 0)
		return env;
	if (warned != env)
		warning("ignoring AAPROF_STATE_DIR '%s': as root, aaprof keeps its state only in a "
			"directory owned by root and writable by root alone, up to /; using "
			"/var/lib/aaprof", env);
	warned = env;
	return "/var/lib/aaprof";
}

char *state_path_for(const char *sub, const char *profile_file, const char *suffix)
{
	struct strbuf sb = STRBUF_INIT, abs = STRBUF_INIT;
	char real[PATH_MAX];
	const char *p;

	if (realpath(profile_file, real)) {
		strbuf_addstr(&abs, real);
	} else {
		/* no such file (yet): its directory's real path and its name */
		const char *slash = strrchr(profile_file, '/');
		_cleanup_free_ char *dir = slash ? xstrndup(profile_file, slash - profile_file) : xstrdup(".");

		if (realpath(*dir ? dir : "/", real))
			strbuf_addf(&abs, "%s/%s", streq(real, "/") ? "" : real,
				    slash ? slash + 1 : profile_file);
		else
			strbuf_addstr(&abs, profile_file);
	}
	strbuf_addf(&sb, "%s/%s", state_dir(), sub);
	mkdir_p(sb.buf, 0700);
	strbuf_addch(&sb, '/');
	for (p = abs.buf; *p; p++) {
		if (*p == '/')
			strbuf_addstr(&sb, "%2F");
		else if (*p == '%')
			strbuf_addstr(&sb, "%25");
		else
			strbuf_addch(&sb, *p);
	}
	strbuf_addstr(&sb, suffix);
	strbuf_release(&abs);
	return strbuf_detach(&sb, NULL);
}

char *profile_backup_path(const char *profile_file)
{
	return state_path_for("backup", profile_file, "");
}
