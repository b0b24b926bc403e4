/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tmpl-files.c - where templates come from (see tmpl-files.h).
 */
#include "tmpl-files.h"
#include "tmpl-parse.h"
#include "alloc.h"
#include "files.h"

#include <string.h>
#include <unistd.h>

#define TEMPLATE_MAX_SIZE (4u << 20)

char *tmpl_find(const char *name, const char *const *dirs)
{
	size_t i;

	if (name[0] == '/' || !dirs)
		return access(name, R_OK) == 0 ? xstrdup(name) : NULL;
	for (i = 0; dirs[i]; i++) {
		char *p = xasprintf("%s/%s", dirs[i], name);

		if (access(p, R_OK) == 0)
			return p;
		free(p);
	}
	return NULL;
}

/* a template by name ("learning", "learning.tmpl") in dirs, or by path */
char *tmpl_find_template(const char *name, const char *const *dirs)
{
	char *path = strchr(name, '/') ? tmpl_find(name, NULL) : tmpl_find(name, dirs);

	if (!path && !strchr(name, '/') && !ends_with(name, ".tmpl")) {
		_cleanup_free_ char *with_ext = xasprintf("%s.tmpl", name);

		path = tmpl_find(with_ext, dirs);
	}
	return path;
}

/* the file {{ include "name" }} in f names: in the template path, else next to f */
char *tmpl_include_path(const char *const *dirs, const struct tfile *f, const char *name)
{
	char *path = tmpl_find(name, dirs);
	const char *slash;

	if (path)
		return path;
	slash = strrchr(f->path, '/');
	path = slash ? xasprintf("%.*s/%s", (int)(slash - f->path), f->path, name) : xstrdup(name);
	if (access(path, R_OK) < 0)
		FREE_AND_NULL(path);
	return path;
}

struct tfile *tmpl_load(struct tfile **files, const char *path)
{
	struct tfile *f;
	char *src;
	size_t len;

	for (f = *files; f; f = f->next)
		if (streq(f->path, path))
			return f;
	if (read_trusted_file(path, TEMPLATE_MAX_SIZE, &src, &len) < 0)
		return NULL;
	if (strlen(src) != len) {
		error("%s: the template contains a NUL byte", path);
		free(src);
		return NULL;
	}
	f = tfile_parse(path, src);
	f->next = *files;
	*files = f;
	return f;
}
