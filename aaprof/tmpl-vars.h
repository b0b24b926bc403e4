/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_TMPL_VARS_H
#define AAPROF_TMPL_VARS_H

#include <stddef.h>

/*
 * The variables a template is rendered against (--set, --set +=, and the
 * template's own {{ default }}s): each a scalar or a list, by name.
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

/* one variable: a scalar holds one item (or none) */
struct tmpl_var {
	char *key;
	char **items;
	size_t n, alloc;
	int is_list;
};

/* the variable named key, or NULL */
const struct tmpl_var *tmpl_vars_find(const tmpl_vars_t *vars, const char *key);

#endif
