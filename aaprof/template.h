/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_TEMPLATE_H
#define AAPROF_TEMPLATE_H

#include "strbuf.h"

/*
 * The aaprof template language. Tags are {{ ... }}, which AppArmor policy
 * never uses (it has @{var}, {a,b}, [...] and **), so policy text passes
 * through untouched:
 *
 *   {{ var }}  {{ var | filter }}     value, escaped by a profile.h filter
 *                                     (word by default; name, path, glob,
 *                                     include)
 *   {{ "{{" }}                        a string literal
 *   {{ if var }} {{ elif !var }} {{ if var == "x" }} {{ else }} {{ end }}
 *   {{ for x in list }} ... {{ end }}
 *   {{ include "other.tmpl" }}
 *   {{ default var = "value" }}  {{ default list = [] }}  {{ default l = ["a", "b"] }}
 *   {{# comment }}
 *
 * A line holding nothing but one block tag (if, elif, else, end, for,
 * include, default, comment) disappears entirely from the output.
 * Referencing a variable that is neither set nor defaulted, an unclosed
 * block and an include cycle are errors reported as file:line.
 */

typedef struct tmpl_vars tmpl_vars_t;

tmpl_vars_t *tmpl_vars_new(void);
void tmpl_vars_free(tmpl_vars_t *vars);
/* set a scalar (replacing any value) */
void tmpl_vars_set(tmpl_vars_t *vars, const char *key, const char *value);
/* append to a list (creating it; a scalar becomes a one-item list) */
void tmpl_vars_append(tmpl_vars_t *vars, const char *key, const char *value);
/* define key as an empty list if it is not set */
void tmpl_vars_ensure_list(tmpl_vars_t *vars, const char *key);
/* the scalar value of key, or NULL */
const char *tmpl_vars_get(const tmpl_vars_t *vars, const char *key);
/* a valid variable name: [A-Za-z_][A-Za-z0-9_]* */
int tmpl_valid_name(const char *key);

/*
 * Render template 'name' (a file name looked up in dirs, a NULL-terminated
 * list, or a path containing '/') into out. On error returns -1 after
 * printing every problem found with file:line; out is then unspecified.
 * ret_path (optional) gets the path of the template that was used.
 */
int tmpl_render_file(const char *name, const char *const *dirs, tmpl_vars_t *vars,
		     struct strbuf *out, char **ret_path);

/* same, from a string; 'filename' names it in messages and anchors includes */
int tmpl_render_string(const char *text, const char *filename, const char *const *dirs,
		       tmpl_vars_t *vars, struct strbuf *out);

/*
 * The variables template 'name' (found as tmpl_render_file() finds it) and
 * the templates it includes refer to in any branch: values, conditions,
 * loops, defaults (loop variables are not counted). A sorted,
 * NULL-terminated list (free each, then the list), or NULL after error().
 */
char **tmpl_file_vars(const char *name, const char *const *dirs);

/* find 'name' in dirs: returns a malloc'd path or NULL */
char *tmpl_find(const char *name, const char *const *dirs);

#endif
