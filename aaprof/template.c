/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * template.c - the aaprof template language (see template.h).
 *
 * A template is parsed into a tree of nodes (text, expression, if, for,
 * include, default), then rendered against a set of variables. Parsing
 * reports every error it finds before failing; rendering does the same.
 */
#include "template.h"
#include "profile.h"

#include <ctype.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#define TEMPLATE_MAX_SIZE (4u << 20)
#define INCLUDE_MAX_DEPTH 32

/* ------------------------------------------------------------ variables */

struct var {
	char *key;
	char **items;
	size_t n, alloc;
	int is_list;
};

struct tmpl_vars {
	struct var **v;   /* pointers: a {{ default }} inside a {{ for }} adds a
			     variable while the loop holds one, which must not move */
	size_t n, alloc;
};

tmpl_vars_t *tmpl_vars_new(void)
{
	return xcalloc(1, sizeof(tmpl_vars_t));
}

static void var_clear(struct var *v)
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

static struct var *var_find(const tmpl_vars_t *vars, const char *key)
{
	size_t i;

	for (i = 0; i < vars->n; i++)
		if (streq(vars->v[i]->key, key))
			return vars->v[i];
	return NULL;
}

static struct var *var_get(tmpl_vars_t *vars, const char *key)
{
	struct var *v = var_find(vars, key);

	if (v)
		return v;
	ALLOC_GROW(vars->v, vars->n + 1, vars->alloc);
	v = vars->v[vars->n++] = xcalloc(1, sizeof(*v));
	v->key = xstrdup(key);
	return v;
}

static void var_push(struct var *v, const char *value)
{
	ALLOC_GROW(v->items, v->n + 1, v->alloc);
	v->items[v->n++] = xstrdup(value);
}

void tmpl_vars_set(tmpl_vars_t *vars, const char *key, const char *value)
{
	struct var *v = var_get(vars, key);

	var_clear(v);
	v->is_list = 0;
	var_push(v, value);
}

void tmpl_vars_append(tmpl_vars_t *vars, const char *key, const char *value)
{
	struct var *v = var_get(vars, key);

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
	const struct var *v = var_find(vars, key);

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

/* ---------------------------------------------------------------- nodes */

enum ntype { N_TEXT, N_EXPR, N_IF, N_FOR, N_INCLUDE, N_DEFAULT };
enum cop { C_TRUE, C_EQ, C_NE };

struct node;
struct nodelist {
	struct node **v;
	size_t n, alloc;
};

struct cond {
	char *var;
	int negate;
	enum cop op;
	char *lit;
};

struct node {
	enum ntype type;
	int line;
	char *text;        /* TEXT: content; EXPR: name or literal; INCLUDE: name;
			      FOR: list name; DEFAULT: variable name */
	int literal;       /* EXPR: text is a string literal */
	char *filter;      /* EXPR */
	struct cond cond;  /* IF */
	char *loopvar;     /* FOR */
	struct nodelist body, orelse;
	char **items;      /* DEFAULT */
	size_t nitems;
	int is_list;
};

struct tfile {
	char *path;
	char *src;
	struct nodelist nodes;
	int parse_failed;
	struct tfile *next;
};

static void nodelist_free(struct nodelist *l);

static void node_free(struct node *n)
{
	size_t i;

	free(n->text);
	free(n->filter);
	free(n->cond.var);
	free(n->cond.lit);
	free(n->loopvar);
	nodelist_free(&n->body);
	nodelist_free(&n->orelse);
	for (i = 0; i < n->nitems; i++)
		free(n->items[i]);
	free(n->items);
	free(n);
}

static void nodelist_free(struct nodelist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		node_free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->alloc = 0;
}

static struct node *node_add(struct nodelist *l, enum ntype type, int line)
{
	struct node *n = xcalloc(1, sizeof(*n));

	n->type = type;
	n->line = line;
	ALLOC_GROW(l->v, l->n + 1, l->alloc);
	l->v[l->n++] = n;
	return n;
}

/* ---------------------------------------------------------------- lexer */

enum tok { T_END, T_IDENT, T_STRING, T_EQ, T_NE, T_NOT, T_PIPE, T_ASSIGN,
	   T_LBRACK, T_RBRACK, T_COMMA, T_BAD };

struct lexer {
	const char *s, *end;
	enum tok tok;
	struct strbuf val;
};

static void lex_next(struct lexer *lx)
{
	strbuf_reset(&lx->val);
	while (lx->s < lx->end && isspace((unsigned char)*lx->s))
		lx->s++;
	if (lx->s >= lx->end) {
		lx->tok = T_END;
		return;
	}
	if (isalpha((unsigned char)*lx->s) || *lx->s == '_') {
		while (lx->s < lx->end && (isalnum((unsigned char)*lx->s) || *lx->s == '_'))
			strbuf_addch(&lx->val, *lx->s++);
		lx->tok = T_IDENT;
		return;
	}
	if (*lx->s == '"') {
		for (lx->s++; lx->s < lx->end && *lx->s != '"'; lx->s++) {
			if (*lx->s == '\\' && lx->s + 1 < lx->end &&
			    (lx->s[1] == '"' || lx->s[1] == '\\'))
				lx->s++;
			else if (*lx->s == '\n')
				break;
			strbuf_addch(&lx->val, *lx->s);
		}
		lx->tok = T_BAD;
		if (lx->s < lx->end && *lx->s == '"') {
			lx->s++;
			lx->tok = T_STRING;
		}
		return;
	}
	if (lx->s + 1 < lx->end && lx->s[0] == '=' && lx->s[1] == '=') {
		lx->s += 2;
		lx->tok = T_EQ;
		return;
	}
	if (lx->s + 1 < lx->end && lx->s[0] == '!' && lx->s[1] == '=') {
		lx->s += 2;
		lx->tok = T_NE;
		return;
	}
	switch (*lx->s++) {
	case '!': lx->tok = T_NOT; return;
	case '|': lx->tok = T_PIPE; return;
	case '=': lx->tok = T_ASSIGN; return;
	case '[': lx->tok = T_LBRACK; return;
	case ']': lx->tok = T_RBRACK; return;
	case ',': lx->tok = T_COMMA; return;
	}
	strbuf_addch(&lx->val, lx->s[-1]);
	lx->tok = T_BAD;
}

/* --------------------------------------------------------------- parser */

enum term { TERM_EOF, TERM_ELIF, TERM_ELSE, TERM_END };

struct parser {
	struct tfile *f;
	const char *p;      /* next unparsed byte */
	int line;           /* line of *p */
	int errors;
	struct cond elif;   /* the condition of the TERM_ELIF just returned */
	int term_line;
};

static void perr(struct parser *ps, int line, const char *fmt, ...) PRINTF(3, 4);
static void perr(struct parser *ps, int line, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	error("%s:%d: %s", ps->f->path, line, buf);
	ps->errors++;
}

static void advance(struct parser *ps, const char *to)
{
	for (; ps->p < to; ps->p++)
		if (*ps->p == '\n')
			ps->line++;
}

static int parse_cond(struct parser *ps, struct lexer *lx, struct cond *c, int line)
{
	memset(c, 0, sizeof(*c));
	lex_next(lx);
	if (lx->tok == T_NOT || (lx->tok == T_IDENT && streq(lx->val.buf, "not"))) {
		c->negate = 1;
		lex_next(lx);
	}
	if (lx->tok != T_IDENT) {
		perr(ps, line, "a condition needs a variable name");
		return -1;
	}
	c->var = xstrdup(lx->val.buf);
	lex_next(lx);
	if (lx->tok == T_EQ || lx->tok == T_NE) {
		c->op = lx->tok == T_EQ ? C_EQ : C_NE;
		lex_next(lx);
		if (lx->tok != T_STRING) {
			perr(ps, line, "'%s' must be compared with a \"string\"", c->var);
			goto fail;
		}
		c->lit = xstrdup(lx->val.buf);
		lex_next(lx);
	}
	if (lx->tok != T_END) {
		perr(ps, line, "unexpected text after the condition");
		goto fail;
	}
	return 0;
fail:
	free(c->var);
	free(c->lit);
	memset(c, 0, sizeof(*c));
	return -1;
}

static void parse_default(struct parser *ps, struct lexer *lx, struct nodelist *out, int line)
{
	struct node *n;

	lex_next(lx);
	if (lx->tok != T_IDENT) {
		perr(ps, line, "usage: {{ default name = \"value\" }} or {{ default name = [...] }}");
		return;
	}
	n = node_add(out, N_DEFAULT, line);
	n->text = xstrdup(lx->val.buf);
	lex_next(lx);
	if (lx->tok != T_ASSIGN) {
		perr(ps, line, "expected '=' after '%s'", n->text);
		return;
	}
	lex_next(lx);
	if (lx->tok == T_STRING) {
		n->items = xmalloc(sizeof(char *));
		n->items[n->nitems++] = xstrdup(lx->val.buf);
		lex_next(lx);
	} else if (lx->tok == T_LBRACK) {
		size_t alloc = 0;

		n->is_list = 1;
		lex_next(lx);
		while (lx->tok == T_STRING) {
			ALLOC_GROW(n->items, n->nitems + 1, alloc);
			n->items[n->nitems++] = xstrdup(lx->val.buf);
			lex_next(lx);
			if (lx->tok != T_COMMA)
				break;
			lex_next(lx);
		}
		if (lx->tok != T_RBRACK) {
			perr(ps, line, "a list is [\"a\", \"b\", ...]");
			return;
		}
		lex_next(lx);
	} else {
		perr(ps, line, "a default is a \"string\" or a [list]");
		return;
	}
	if (lx->tok != T_END)
		perr(ps, line, "unexpected text after the default value");
}

static void parse_expr(struct parser *ps, struct lexer *lx, struct nodelist *out, int line)
{
	struct node *n;

	if (lx->tok != T_IDENT && lx->tok != T_STRING) {
		if (lx->tok == T_BAD && lx->val.len && lx->val.buf[0] != '"')
			perr(ps, line, "unexpected '%s' in tag", lx->val.buf);
		else
			perr(ps, line, "expected a variable name or a \"string\" in the tag");
		return;
	}
	n = node_add(out, N_EXPR, line);
	n->literal = lx->tok == T_STRING;
	n->text = xstrdup(lx->val.buf);
	lex_next(lx);
	if (lx->tok == T_PIPE) {
		lex_next(lx);
		if (lx->tok != T_IDENT) {
			perr(ps, line, "expected a filter name after '|'");
			return;
		}
		if (!aa_escaper_lookup(lx->val.buf)) {
			perr(ps, line, "unknown filter '%s' (known: name, path, glob, include, word)",
			     lx->val.buf);
			return;
		}
		n->filter = xstrdup(lx->val.buf);
		lex_next(lx);
	}
	if (lx->tok != T_END)
		perr(ps, line, "unexpected text in tag");
}

static enum term parse_nodes(struct parser *ps, struct nodelist *out, int depth);

/* an {{ elif }} where none may stand: its condition is not used */
static void drop_elif(struct parser *ps)
{
	free(ps->elif.var);
	free(ps->elif.lit);
	memset(&ps->elif, 0, sizeof(ps->elif));
}

static void parse_if_rest(struct parser *ps, struct node *n, int depth)
{
	enum term t = parse_nodes(ps, &n->body, depth + 1);

	if (t == TERM_ELIF) {
		struct node *child = node_add(&n->orelse, N_IF, ps->term_line);

		child->cond = ps->elif;
		memset(&ps->elif, 0, sizeof(ps->elif));
		parse_if_rest(ps, child, depth);
		return;
	}
	if (t == TERM_ELSE) {
		t = parse_nodes(ps, &n->orelse, depth + 1);
		while (t == TERM_ELSE || t == TERM_ELIF) {
			perr(ps, ps->term_line, "{{ %s }} after {{ else }}",
			     t == TERM_ELSE ? "else" : "elif");
			drop_elif(ps);
			t = parse_nodes(ps, &n->orelse, depth + 1);
		}
	}
	if (t == TERM_EOF)
		perr(ps, n->line, "unclosed {{ if }} (no matching {{ end }})");
}

/* {{ for item in list }} ... {{ end }}, the lexer after "for" */
static void parse_for(struct parser *ps, struct lexer *lx, struct nodelist *out, int line,
		      int depth)
{
	struct node *n = node_add(out, N_FOR, line);
	enum term t;

	lex_next(lx);
	if (lx->tok == T_IDENT)
		n->loopvar = xstrdup(lx->val.buf);
	lex_next(lx);
	if (lx->tok == T_IDENT && streq(lx->val.buf, "in"))
		lex_next(lx);
	else
		n->loopvar = (free(n->loopvar), NULL);
	if (n->loopvar && lx->tok == T_IDENT)
		n->text = xstrdup(lx->val.buf);
	if (n->text)
		lex_next(lx);
	if (!n->loopvar || !n->text || lx->tok != T_END)
		perr(ps, line, "usage: {{ for item in list }} ... {{ end }}");
	t = parse_nodes(ps, &n->body, depth + 1);
	while (t == TERM_ELSE || t == TERM_ELIF) {
		perr(ps, ps->term_line, "{{ %s }} inside {{ for }}",
		     t == TERM_ELSE ? "else" : "elif");
		drop_elif(ps);
		t = parse_nodes(ps, &n->body, depth + 1);
	}
	if (t == TERM_EOF)
		perr(ps, line, "unclosed {{ for }} (no matching {{ end }})");
}

/* {{ include "file.tmpl" }}, the lexer after "include" */
static void parse_include(struct parser *ps, struct lexer *lx, struct nodelist *out, int line)
{
	lex_next(lx);
	if (lx->tok != T_STRING) {
		perr(ps, line, "usage: {{ include \"file.tmpl\" }}");
		return;
	}
	node_add(out, N_INCLUDE, line)->text = xstrdup(lx->val.buf);
	lex_next(lx);
	if (lx->tok != T_END)
		perr(ps, line, "unexpected text after the include name");
}

/* is [from, to) only blanks? */
static int blank(const char *from, const char *to)
{
	for (; from < to; from++)
		if (*from != ' ' && *from != '\t')
			return 0;
	return 1;
}

/* the "}}" that closes a tag opened just before s, skipping "string" literals */
static const char *find_close(const char *s)
{
	if (*s == '#')
		return strstr(s, "}}");
	for (; *s && *s != '\n'; s++) {
		if (*s == '"') {
			for (s++; *s && *s != '"' && *s != '\n'; s++)
				if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
					s++;
			if (*s != '"')
				return NULL;
		} else if (s[0] == '}' && s[1] == '}') {
			return s;
		}
	}
	return NULL;
}

static enum term parse_nodes(struct parser *ps, struct nodelist *out, int depth)
{
	struct strbuf text = STRBUF_INIT;
	struct lexer lx = { .val = STRBUF_INIT };
	enum term term = TERM_EOF;

	for (;;) {
		const char *open = strstr(ps->p, "{{"), *close, *line_start, *after;
		int line, is_block;
		char kw[16];

		if (!open) {
			strbuf_addstr(&text, ps->p);
			advance(ps, ps->p + strlen(ps->p));
			break;
		}
		strbuf_add(&text, ps->p, open - ps->p);
		advance(ps, open);
		line = ps->line;
		close = find_close(open + 2);
		/* only a {{# comment }} may span lines */
		if (!close || (open[2] != '#' && memchr(open + 2, '\n', close - open - 2))) {
			perr(ps, line, "unclosed tag '{{' (tags end with '}}' on the same line)");
			strbuf_addstr(&text, "{{");
			advance(ps, open + 2);
			continue;
		}
		lx.s = open + 2;
		lx.end = close;
		while (lx.s < lx.end && isspace((unsigned char)*lx.s))
			lx.s++;
		if (lx.s < lx.end && *lx.s == '#') {
			strcpy(kw, "#");
		} else {
			lex_next(&lx);
			snprintf(kw, sizeof(kw), "%s", lx.tok == T_IDENT ? lx.val.buf : "");
		}
		is_block = streq(kw, "#") || streq(kw, "if") || streq(kw, "elif") ||
			   streq(kw, "else") || streq(kw, "end") || streq(kw, "for") ||
			   streq(kw, "include") || streq(kw, "default");
		after = close + 2;
		if (is_block) {
			/* a line holding only this tag vanishes, newline included */
			line_start = open;
			while (line_start > ps->f->src && line_start[-1] != '\n')
				line_start--;
			const char *eol = after;
			while (*eol == ' ' || *eol == '\t')
				eol++;
			if (blank(line_start, open) && (*eol == '\n' || !*eol)) {
				strbuf_setlen(&text, text.len - (open - line_start));
				after = *eol ? eol + 1 : eol;
			}
		}
		if (text.len) {
			node_add(out, N_TEXT, line)->text = strbuf_detach(&text, NULL);
		}
		advance(ps, after);

		if (streq(kw, "#")) {
			continue;
		} else if (streq(kw, "if")) {
			struct node *n = node_add(out, N_IF, line);

			parse_cond(ps, &lx, &n->cond, line);
			parse_if_rest(ps, n, depth);
		} else if (streq(kw, "elif") || streq(kw, "else") || streq(kw, "end")) {
			if (streq(kw, "elif")) {
				parse_cond(ps, &lx, &ps->elif, line);
			} else {
				lex_next(&lx);
				if (lx.tok != T_END)
					perr(ps, line, "unexpected text after '%s'", kw);
			}
			if (depth == 0) {
				perr(ps, line, "{{ %s }} without an open {{ if }} or {{ for }}", kw);
				drop_elif(ps);
				continue;
			}
			ps->term_line = line;
			term = streq(kw, "elif") ? TERM_ELIF : streq(kw, "else") ? TERM_ELSE : TERM_END;
			break;
		} else if (streq(kw, "for")) {
			parse_for(ps, &lx, out, line, depth);
		} else if (streq(kw, "include")) {
			parse_include(ps, &lx, out, line);
		} else if (streq(kw, "default")) {
			parse_default(ps, &lx, out, line);
		} else {
			parse_expr(ps, &lx, out, line);
		}
	}
	if (text.len)
		node_add(out, N_TEXT, ps->line)->text = strbuf_detach(&text, NULL);
	strbuf_release(&text);
	strbuf_release(&lx.val);
	return term;
}

static struct tfile *tfile_parse(const char *path, char *src)
{
	struct tfile *f = xcalloc(1, sizeof(*f));
	struct parser ps = { .f = f, .line = 1 };

	f->path = xstrdup(path);
	f->src = src;
	ps.p = src;
	parse_nodes(&ps, &f->nodes, 0);
	drop_elif(&ps);
	f->parse_failed = ps.errors > 0;
	return f;
}

static void tfile_free_all(struct tfile *f)
{
	while (f) {
		struct tfile *next = f->next;

		nodelist_free(&f->nodes);
		free(f->path);
		free(f->src);
		free(f);
		f = next;
	}
}

/* ------------------------------------------------------------ rendering */

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
		  const char **ret_scalar, const struct var **ret_var)
{
	const struct var *v;

	*ret_scalar = NULL;
	*ret_var = NULL;
	for (; sc; sc = sc->up) {
		if (streq(sc->name, name)) {
			*ret_scalar = sc->value;
			return 0;
		}
	}
	v = var_find(c->vars, name);
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
	const struct var *v;
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

/* the file {{ include "name" }} in f names: in the template path, else next to f */
static char *include_path(struct rctx *c, const struct tfile *f, const char *name)
{
	char *path = tmpl_find(name, c->dirs);
	const char *slash;

	if (path)
		return path;
	slash = strrchr(f->path, '/');
	path = slash ? xasprintf("%.*s/%s", (int)(slash - f->path), f->path, name) : xstrdup(name);
	if (access(path, R_OK) < 0)
		FREE_AND_NULL(path);
	return path;
}

static int render_file(struct rctx *c, const char *path, const struct incstack *stack);

/* {{ name }}, {{ name | filter }} or {{ "literal" | filter }}: escaped into the output */
static void render_expr(struct rctx *c, struct tfile *f, const struct node *n,
			const struct scope *sc)
{
	const char *filter = n->filter ? n->filter : AA_DEFAULT_FILTER;
	struct strbuf why = STRBUF_INIT, shown = STRBUF_INIT;
	const struct var *v;
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
	path = include_path(c, f, n->text);
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
		const struct var *v;
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
			if (var_find(c->vars, n->text))
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

static struct tfile *load_file(struct rctx *c, const char *path)
{
	struct tfile *f;
	char *src;
	size_t len;

	for (f = c->files; f; f = f->next)
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
	f->next = c->files;
	c->files = f;
	return f;
}

static int render_file(struct rctx *c, const char *path, const struct incstack *stack)
{
	struct tfile *f = load_file(c, path);

	if (!f)
		return -1;
	if (f->parse_failed) {
		c->errors++;
		return -1;
	}
	render_list(c, f, &f->nodes, NULL, stack);
	return 0;
}

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
static char *find_template(const char *name, const char *const *dirs)
{
	char *path = strchr(name, '/') ? tmpl_find(name, NULL) : tmpl_find(name, dirs);

	if (!path && !strchr(name, '/') && !ends_with(name, ".tmpl")) {
		_cleanup_free_ char *with_ext = xasprintf("%s.tmpl", name);

		path = tmpl_find(with_ext, dirs);
	}
	return path;
}

int tmpl_render_file(const char *name, const char *const *dirs, tmpl_vars_t *vars,
		     struct strbuf *out, char **ret_path)
{
	struct rctx c = { .dirs = dirs, .vars = vars, .out = out };
	char *path = find_template(name, dirs);
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

/* ------------------------------------------------------- the variables */

struct names {
	char **v;
	size_t n, alloc;
};

static void names_add(struct names *ns, const struct scope *sc, const char *name)
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

static int walk_file(struct rctx *c, const char *path, struct names *ns, struct names *seen);

/* every branch, taken or not: what the template could use */
static int walk_list(struct rctx *c, const struct tfile *f, const struct nodelist *l,
		     const struct scope *sc, struct names *ns, struct names *seen)
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
			struct scope inner = { n->loopvar, "", sc };

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
			path = include_path(c, f, n->text);
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

static int walk_file(struct rctx *c, const char *path, struct names *ns, struct names *seen)
{
	struct tfile *f;
	size_t before = seen->n;

	names_add(seen, NULL, path);
	if (seen->n == before)
		return 0;   /* walked already (or an include cycle) */
	f = load_file(c, path);
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
	struct rctx c = { .dirs = dirs };
	struct names ns = { 0 }, seen = { 0 };
	_cleanup_free_ char *path = find_template(name, dirs);
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
