/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_TMPL_FILES_H
#define AAPROF_TMPL_FILES_H

/*
 * Where templates come from: found by name in the template path, includes
 * next to the file that includes them, read as trusted files (files.h)
 * and parsed once per render.
 */

struct tfile;

/* find 'name' in dirs (or 'name' itself when it is absolute or dirs is
   NULL): returns a malloc'd path or NULL */
char *tmpl_find(const char *name, const char *const *dirs);
/* a template by name ("learning", "learning.tmpl") in dirs, or by a path
   containing '/': a malloc'd path or NULL */
char *tmpl_find_template(const char *name, const char *const *dirs);
/* the file {{ include "name" }} in f names: in dirs, else next to f; a
   malloc'd path or NULL when there is none */
char *tmpl_include_path(const char *const *dirs, const struct tfile *f, const char *name);
/*
 * The parsed file path: from the list *files if it was loaded already,
 * else read (read_trusted_file(), at most 4 MiB, no NUL byte), parsed and
 * put at the head of *files. NULL after error(); a file that did not parse
 * is returned with parse_failed set.
 */
struct tfile *tmpl_load(struct tfile **files, const char *path);

#endif
