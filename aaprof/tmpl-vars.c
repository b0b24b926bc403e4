/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tmpl-vars.c - the variables a template is rendered against (see
 * tmpl-vars.h).
 */
#include "tmpl-vars.h"
#include "alloc.h"

#include <ctype.h>
#include <string.h>

struct tmpl_vars {
	struct tmpl_var **v;   /* pointers: a {{ default }} inside a {{ for }} adds a
				  variable while the loop holds one, which must not move */
	size_t n, alloc;
};

tmpl_vars_t *tmpl_vars_new(void)
{
	return xcalloc(1, sizeof(tmpl_vars_t));
}

static void var_clear(struct tmpl_var *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		free(v->items[i]);
	v->n = 0;
}

void tmpl_vars_free(tmpl_vars_t *vars)
{
	size_t i;

	if (!vars)
		return;
	for (i = 0; i < vars->n; i++) {
		var_clear(vars->v[i]);
		free(vars->v[i]->items);
		free(vars->v[i]->key);
		free(vars->v[i]);
	}
	free(vars->v);
	free(vars);
}

static struct tmpl_var *var_find(const tmpl_vars_t *vars, const char *key)
{
	size_t i;

	for (i = 0; i < vars->n; i++)
		if (streq(vars->v[i]->key, key))
			return vars->v[i];
	return NULL;
}

const struct tmpl_var *tmpl_vars_find(const tmpl_vars_t *vars, const char *key)
{
	return var_find(vars, key);
}

static struct tmpl_var *var_get(tmpl_vars_t *vars, const char *key)
{
	struct tmpl_var *v = var_find(vars, key);

	if (v)
		return v;
	ALLOC_GROW(vars->v, vars->n + 1, vars->alloc);
	v = vars->v[vars->n++] = xcalloc(1, sizeof(*v));
	v->key = xstrdup(key);
	return v;
}

static void var_push(struct tmpl_var *v, const char *value)
{
	ALLOC_GROW(v->items, v->n + 1, v->alloc);
	v->items[v->n++] = xstrdup(value);
}

void tmpl_vars_set(tmpl_vars_t *vars, const char *key, const char *value)
{
	struct tmpl_var *v = var_get(vars, key);

	var_clear(v);
	v->is_list = 0;
	var_push(v, value);
}

void tmpl_vars_append(tmpl_vars_t *vars, const char *key, const char *value)
{
	struct tmpl_var *v = var_get(vars, key);

	v->is_list = 1;
	var_push(v, value);
}

void tmpl_vars_ensure_list(tmpl_vars_t *vars, const char *key)
{
	if (!var_find(vars, key))
		var_get(vars, key)->is_list = 1;
}

const char *tmpl_vars_get(const tmpl_vars_t *vars, const char *key)
{
	const struct tmpl_var *v = var_find(vars, key);

	return v && !v->is_list && v->n ? v->items[0] : NULL;
}

int tmpl_valid_name(const char *key)
{
	const char *s = key;

	if (!(isalpha((unsigned char)*s) || *s == '_'))
		return 0;
	for (s++; *s; s++)
		if (!(isalnum((unsigned char)*s) || *s == '_'))
			return 0;
	return 1;
}
