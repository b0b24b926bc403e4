/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * template.c - rendering the aaprof template language (see template.h).
 *
 * A template is parsed into a tree of nodes (tmpl-parse.c), then rendered
 * here against a set of variables (tmpl-vars.c), includes loaded as they
 * come (tmpl-files.c). Rendering reports every error it finds before
 * failing.
 */
#include "template.h"
#include "tmpl-files.h"
#include "tmpl-parse.h"
#include "escape.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define INCLUDE_MAX_DEPTH 32

struct scope {
	const char *name;
	const char *value;
	const struct scope *up;
};

struct incstack {
	const char *path;
	const struct incstack *up;
};

struct rctx {
	const char *const *dirs;
	tmpl_vars_t *vars;
	struct strbuf *out;
	struct tfile *files;
	int errors;
	unsigned long steps;   /* nodes rendered: loops in loops multiply */
	int stop;              /* too big, or too many errors: render no more */
};

#define RENDER_MAX_ERRORS 20

/*
 * Nested loops multiply: nine items in eight nested loops are 43 million
 * renders. A profile is kilobytes; past these limits the template is wrong.
 */
#define RENDER_MAX_STEPS 1000000ul
#define RENDER_MAX_OUTPUT (16u << 20)

static void rerr(struct rctx *c, const struct tfile *f, int line, const char *fmt, ...)
	PRINTF(4, 5);
static void rerr(struct rctx *c, const struct tfile *f, int line, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	error("%s:%d: %s", f->path, line, buf);
	if (++c->errors == RENDER_MAX_ERRORS) {   /* an error in a loop repeats */
		error("%s: %d errors, stopping", f->path, RENDER_MAX_ERRORS);
		c->stop = 1;
	}
}

/* a value shown in a message: printable ASCII as is, the rest as \xNN */
static void show_value(struct strbuf *sb, const char *v, size_t max)
{
	size_t i;

	for (i = 0; v[i] && i < max; i++) {
		unsigned char ch = v[i];

		if (ch < 0x20 || ch >= 0x7f || ch == '\\')
			strbuf_addf(sb, "\\x%02x", ch);
		else
			strbuf_addch(sb, ch);
	}
	if (v[i])
		strbuf_addstr(sb, "...");
}

/* look a variable up: loop scopes first; ret_scalar or ret_var is set */
static int lookup(struct rctx *c, const struct scope *sc, const char *name,
		  const char **ret_scalar, const struct tmpl_var **ret_var)
{
	const struct tmpl_var *v;

	*ret_scalar = NULL;
	*ret_var = NULL;
	for (; sc; sc = sc->up) {
		if (streq(sc->name, name)) {
			*ret_scalar = sc->value;
			return 0;
		}
	}
	v = tmpl_vars_find(c->vars, name);
	if (!v)
		return -1;
	if (!v->is_list)
		*ret_scalar = v->n ? v->items[0] : "";
	else
		*ret_var = v;
	return 0;
}

static int eval_cond(struct rctx *c, const struct tfile *f, int line,
		     const struct cond *cd, const struct scope *sc)
{
	const struct tmpl_var *v;
	const char *s;
	int r;

	if (lookup(c, sc, cd->var, &s, &v) < 0) {
		rerr(c, f, line, "unknown variable '%s' (set it with --set %s=VALUE or "
			"give it a {{ default }})", cd->var, cd->var);
		return 0;
	}
	if (cd->op == C_TRUE)
		r = s ? *s != '\0' : v->n > 0;
	else if (!s) {
		rerr(c, f, line, "'%s' is a list and cannot be compared with a string", cd->var);
		return 0;
	} else
		r = streq(s, cd->lit) == (cd->op == C_EQ);
	return cd->negate ? !r : r;
}

static int render_file(struct rctx *c, const char *path, const struct incstack *stack);

/* {{ name }}, {{ name | filter }} or {{ "literal" | filter }}: escaped into the output */
static void render_expr(struct rctx *c, struct tfile *f, const struct node *n,
			const struct scope *sc)
{
	const char *filter = n->filter ? n->filter : AA_DEFAULT_FILTER;
	struct strbuf why = STRBUF_INIT, shown = STRBUF_INIT;
	const struct tmpl_var *v;
	const char *s;

	if (n->literal) {
		if (n->filter && aa_escaper_lookup(filter)(c->out, n->text, &why) < 0)
			rerr(c, f, n->line, "literal: %s", why.buf);
		else if (!n->filter)
			strbuf_addstr(c->out, n->text);
		strbuf_release(&why);
		return;
	}
	if (lookup(c, sc, n->text, &s, &v) < 0) {
		rerr(c, f, n->line, "unknown variable '%s' (set it with --set %s=VALUE"
			" or give it a {{ default }})", n->text, n->text);
		return;
	}
	if (!s) {
		rerr(c, f, n->line, "'%s' is a list: use {{ for x in %s }}",
		     n->text, n->text);
		return;
	}
	if (aa_escaper_lookup(filter)(c->out, s, &why) < 0) {
		show_value(&shown, s, 80);
		rerr(c, f, n->line, "invalid value for '%s' (\"%s\"): %s",
		     n->text, shown.buf, why.buf);
	}
	strbuf_release(&why);
	strbuf_release(&shown);
}

/* {{ include "name" }}: below the template directory, no cycle, not too deep */
static void render_include(struct rctx *c, struct tfile *f, const struct node *n,
			   const struct incstack *stack)
{
	_cleanup_free_ char *path = NULL;
	const struct incstack *st;
	struct strbuf chain = STRBUF_INIT;
	size_t depth = 0;

	if (strstr(n->text, "..") || n->text[0] == '/') {
		rerr(c, f, n->line, "include \"%s\": only names below the "
			"template directory can be included", n->text);
		return;
	}
	path = tmpl_include_path(c->dirs, f, n->text);
	if (!path) {
		rerr(c, f, n->line, "include \"%s\": not found in the "
			"template path", n->text);
		return;
	}
	for (st = stack; st; st = st->up, depth++) {
		if (streq(st->path, path)) {
			const struct incstack *k;

			strbuf_addstr(&chain, path);
			for (k = stack; k != st->up; k = k->up)
				strbuf_addf(&chain, " <- %s", k->path);
			rerr(c, f, n->line, "include cycle: %s", chain.buf);
			strbuf_release(&chain);
			return;
		}
	}
	if (depth >= INCLUDE_MAX_DEPTH) {
		rerr(c, f, n->line, "includes nested deeper than %d", INCLUDE_MAX_DEPTH);
		return;
	}
	{
		struct incstack top = { path, stack };

		if (render_file(c, path, &top) < 0)
			rerr(c, f, n->line, "in the template included from here");
	}
}

static void render_list(struct rctx *c, struct tfile *f, const struct nodelist *l,
			const struct scope *sc, const struct incstack *stack)
{
	size_t i, j;

	for (i = 0; i < l->n; i++) {
		const struct node *n = l->v[i];
		const struct tmpl_var *v;
		const char *s;

		if (c->stop)
			return;
		if (++c->steps > RENDER_MAX_STEPS || c->out->len > RENDER_MAX_OUTPUT) {
			rerr(c, f, n->line, "the template renders too much (more than %lu steps or "
			     "%u MiB): loops nested in loops?", RENDER_MAX_STEPS, RENDER_MAX_OUTPUT >> 20);
			c->stop = 1;
			return;
		}
		switch (n->type) {
		case N_TEXT:
			strbuf_addstr(c->out, n->text);
			break;
		case N_EXPR:
			render_expr(c, f, n, sc);
			break;
		case N_IF:
			if (eval_cond(c, f, n->line, &n->cond, sc))
				render_list(c, f, &n->body, sc, stack);
			else
				render_list(c, f, &n->orelse, sc, stack);
			break;
		case N_FOR:
			if (lookup(c, sc, n->text, &s, &v) < 0) {
				rerr(c, f, n->line, "unknown variable '%s' (set it with --set %s+=VALUE"
					" or give it a {{ default }})", n->text, n->text);
				break;
			}
			if (!v) {
				rerr(c, f, n->line, "'%s' is not a list", n->text);
				break;
			}
			for (j = 0; j < v->n; j++) {
				struct scope inner = { n->loopvar, v->items[j], sc };

				render_list(c, f, &n->body, &inner, stack);
			}
			break;
		case N_INCLUDE:
			render_include(c, f, n, stack);
			break;
		case N_DEFAULT:
			if (tmpl_vars_find(c->vars, n->text))
				break;
			if (!tmpl_valid_name(n->text)) {
				rerr(c, f, n->line, "invalid variable name '%s'", n->text);
				break;
			}
			if (n->is_list) {
				tmpl_vars_ensure_list(c->vars, n->text);
				for (j = 0; j < n->nitems; j++)
					tmpl_vars_append(c->vars, n->text, n->items[j]);
			} else {
				tmpl_vars_set(c->vars, n->text, n->items[0]);
			}
			break;
		}
	}
}

static int render_file(struct rctx *c, const char *path, const struct incstack *stack)
{
	struct tfile *f = tmpl_load(&c->files, path);

	if (!f)
		return -1;
	if (f->parse_failed) {
		c->errors++;
		return -1;
	}
	render_list(c, f, &f->nodes, NULL, stack);
	return 0;
}

int tmpl_render_file(const char *name, const char *const *dirs, tmpl_vars_t *vars,
		     struct strbuf *out, char **ret_path)
{
	struct rctx c = { .dirs = dirs, .vars = vars, .out = out };
	char *path = tmpl_find_template(name, dirs);
	int r;

	if (!path) {
		struct strbuf where = STRBUF_INIT;
		size_t i;

		for (i = 0; dirs && dirs[i]; i++)
			strbuf_addf(&where, "%s%s", i ? ", " : "", dirs[i]);
		error("template '%s' not found (searched: %s)", name,
		      where.len ? where.buf : "nothing");
		strbuf_release(&where);
		return -1;
	}
	{
		struct incstack top = { path, NULL };

		r = render_file(&c, path, &top);
	}
	tfile_free_all(c.files);
	if (r == 0 && c.errors == 0 && ret_path)
		*ret_path = steal_pointer(&path);
	free(path);
	return r < 0 || c.errors ? -1 : 0;
}

int tmpl_render_string(const char *text, const char *filename, const char *const *dirs,
		       tmpl_vars_t *vars, struct strbuf *out)
{
	struct rctx c = { .dirs = dirs, .vars = vars, .out = out };
	struct tfile *f = tfile_parse(filename, xstrdup(text));
	struct incstack top = { filename, NULL };

	c.files = f;
	if (f->parse_failed)
		c.errors++;
	else
		render_list(&c, f, &f->nodes, NULL, &top);
	tfile_free_all(c.files);
	return c.errors ? -1 : 0;
}
