/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_TMPL_NAMES_H
#define AAPROF_TMPL_NAMES_H

/*
 * The variables template 'name' (found as tmpl_render_file() finds it) and
 * the templates it includes refer to in any branch: values, conditions,
 * loops, defaults (loop variables are not counted). A sorted,
 * NULL-terminated list (free each, then the list), or NULL after error().
 */
char **tmpl_file_vars(const char *name, const char *const *dirs);

#endif
