/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rulefiles.c - what the generalisation rules (rules.c) and the danger
 * list (danger.c) share: their files in the rules directories, and the
 * variables their globs may use.
 */
#include "rulefiles.h"

#include <dirent.h>
#include <string.h>

/* the variables shipped replacements may use, as Debian's tunables define them */
aavars_t *rulefiles_tunables(void)
{
	aavars_t *v = aavars_new();

	aavars_add(v, "PROC", "/proc/");
	aavars_add(v, "pid", "{[1-9],[1-9][0-9],[1-9][0-9][0-9],[1-9][0-9][0-9][0-9],"
		   "[1-9][0-9][0-9][0-9][0-9],[1-9][0-9][0-9][0-9][0-9][0-9],"
		   "[1-4][0-9][0-9][0-9][0-9][0-9][0-9]}");
	aavars_add(v, "tid", "@{pid}");
	aavars_add(v, "uid", "{[0-9],[1-9][0-9],[1-9][0-9][0-9],[1-9][0-9][0-9][0-9],"
		   "[1-9][0-9][0-9][0-9][0-9],[1-9][0-9][0-9][0-9][0-9][0-9],"
		   "[1-9][0-9][0-9][0-9][0-9][0-9][0-9],[1-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9],"
		   "[1-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9],"
		   "[1-4][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]}");
	aavars_add(v, "HOMEDIRS", "/home/");
	aavars_add(v, "HOME", "@{HOMEDIRS}/*/ /root/");
	aavars_add(v, "run", "/run/ /var/run/");
	aavars_add(v, "sys", "/sys/");
	aavars_add(v, "multiarch", "*-linux-gnu*");
	return v;
}

/*
 * The files named *SUFFIX in dirs, in name order; where two directories
 * hold the same name, the earlier directory's file wins (a site file in
 * /etc/aaprof/rules replaces the shipped one of that name). NULL-terminated.
 */
char **rulefiles_collect(const char *const *dirs, const char *suffix)
{
	char **names = NULL, **paths = NULL;
	size_t n = 0, alloc = 0, alloc2 = 0, i, j;

	for (i = 0; dirs && dirs[i]; i++) {
		struct dirent **ents;
		int k, m = scandir(dirs[i], &ents, NULL, alphasort);

		for (k = 0; k < m; k++) {
			const char *d = ents[k]->d_name;

			if (ends_with(d, suffix) && d[0] != '.') {
				for (j = 0; j < n && strcmp(names[j], d); j++)
					;
				if (j == n) {
					ALLOC_GROW(names, n + 1, alloc);
					ALLOC_GROW(paths, n + 2, alloc2);
					names[n] = xstrdup(d);
					paths[n++] = xasprintf("%s/%s", dirs[i], d);
				}
			}
			free(ents[k]);
		}
		if (m >= 0)
			free(ents);
	}
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			char *t = names[j]; names[j] = names[j - 1]; names[j - 1] = t;
			t = paths[j]; paths[j] = paths[j - 1]; paths[j - 1] = t;
		}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (!paths)
		paths = xcalloc(1, sizeof(char *));
	paths[n] = NULL;
	return paths;
}

void rulefiles_free(char **paths)
{
	size_t i;

	for (i = 0; paths[i]; i++)
		free(paths[i]);
	free(paths);
}
