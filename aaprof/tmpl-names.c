/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tmpl-names.c - the variables a template refers to (see tmpl-names.h).
 */
#include "tmpl-names.h"
#include "tmpl-files.h"
#include "tmpl-parse.h"
#include "alloc.h"

#include <string.h>

struct walk {
	const char *const *dirs;
	struct tfile *files;   /* parsed once (tmpl-files.h) */
};

/* the loop variables in scope, innermost first */
struct loopvar {
	const char *name;
	const struct loopvar *up;
};

struct names {
	char **v;
	size_t n, alloc;
};

static void names_add(struct names *ns, const struct loopvar *sc, const char *name)
{
	size_t i;

	for (; sc; sc = sc->up)
		if (streq(sc->name, name))
			return;   /* a loop variable, not one --set can give */
	for (i = 0; i < ns->n; i++)
		if (streq(ns->v[i], name))
			return;
	ALLOC_GROW(ns->v, ns->n + 2, ns->alloc);
	ns->v[ns->n++] = xstrdup(name);
	ns->v[ns->n] = NULL;
}

static int walk_file(struct walk *c, const char *path, struct names *ns, struct names *seen);

/* every branch, taken or not: what the template could use */
static int walk_list(struct walk *c, const struct tfile *f, const struct nodelist *l,
		     const struct loopvar *sc, struct names *ns, struct names *seen)
{
	size_t i;
	int r = 0;

	for (i = 0; i < l->n; i++) {
		const struct node *n = l->v[i];

		switch (n->type) {
		case N_TEXT:
			break;
		case N_EXPR:
			if (!n->literal)
				names_add(ns, sc, n->text);
			break;
		case N_IF:
			names_add(ns, sc, n->cond.var);
			r |= walk_list(c, f, &n->body, sc, ns, seen);
			r |= walk_list(c, f, &n->orelse, sc, ns, seen);
			break;
		case N_FOR: {
			struct loopvar inner = { n->loopvar, sc };

			names_add(ns, sc, n->text);
			r |= walk_list(c, f, &n->body, &inner, ns, seen);
			break;
		}
		case N_DEFAULT:
			names_add(ns, NULL, n->text);
			break;
		case N_INCLUDE: {
			_cleanup_free_ char *path = NULL;

			if (strstr(n->text, "..") || n->text[0] == '/')
				return error("%s:%d: include \"%s\": only names below the "
					     "template directory can be included", f->path, n->line, n->text);
			path = tmpl_include_path(c->dirs, f, n->text);
			if (!path)
				return error("%s:%d: include \"%s\": not found in the template path",
					     f->path, n->line, n->text);
			r |= walk_file(c, path, ns, seen);
			break;
		}
		}
	}
	return r;
}

static int walk_file(struct walk *c, const char *path, struct names *ns, struct names *seen)
{
	struct tfile *f;
	size_t before = seen->n;

	names_add(seen, NULL, path);
	if (seen->n == before)
		return 0;   /* walked already (or an include cycle) */
	f = tmpl_load(&c->files, path);
	if (!f)
		return -1;
	if (f->parse_failed)
		return -1;
	return walk_list(c, f, &f->nodes, NULL, ns, seen) ? -1 : 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **tmpl_file_vars(const char *name, const char *const *dirs)
{
	struct walk c = { .dirs = dirs };
	struct names ns = { 0 }, seen = { 0 };
	_cleanup_free_ char *path = tmpl_find_template(name, dirs);
	int r = path ? walk_file(&c, path, &ns, &seen) : error("template '%s' not found", name);
	size_t i;

	tfile_free_all(c.files);
	for (i = 0; i < seen.n; i++)
		free(seen.v[i]);
	free(seen.v);
	if (r < 0) {
		for (i = 0; i < ns.n; i++)
			free(ns.v[i]);
		free(ns.v);
		return NULL;
	}
	if (!ns.v)
		return xcalloc(1, sizeof(char *));
	qsort(ns.v, ns.n, sizeof(*ns.v), cmp_str);
	return ns.v;
}
