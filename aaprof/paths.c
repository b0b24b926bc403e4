/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "paths.h"
#include "strbuf.h"
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

const char *state_dir(void)
{
	const char *env = getenv("AAPROF_STATE_DIR");

	return env && *env ? env : "/var/lib/aaprof";
}

char *profile_backup_path(const char *profile_file)
{
	struct strbuf sb = STRBUF_INIT;
	char abs[PATH_MAX];
	const char *p;

	if (!realpath(profile_file, abs))
		snprintf(abs, sizeof(abs), "%s", profile_file);
	strbuf_addf(&sb, "%s/backup", state_dir());
	mkdir_p(sb.buf, 0700);
	strbuf_addch(&sb, '/');
	for (p = abs; *p; p++) {
		if (*p == '/')
			strbuf_addstr(&sb, "%2F");
		else if (*p == '%')
			strbuf_addstr(&sb, "%25");
		else
			strbuf_addch(&sb, *p);
	}
	return strbuf_detach(&sb, NULL);
}
