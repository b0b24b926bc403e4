/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_TEMPLATE_H
#define AAPROF_TEMPLATE_H

#include "strbuf.h"
#include "tmpl-names.h"
#include "tmpl-vars.h"

/*
 * The aaprof template language. Tags are {{ ... }}, which AppArmor policy
 * never uses (it has @{var}, {a,b}, [...] and **), so policy text passes
 * through untouched:
 *
 *   {{ var }}  {{ var | filter }}     value, escaped by an escape.h filter
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

#endif
