/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tmpl-parse.c - template text into a tree of nodes (see tmpl-parse.h).
 * Parsing reports every error it finds before failing.
 */
#include "tmpl-parse.h"
#include "tmpl-lex.h"
#include "escape.h"
#include "alloc.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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
	tmpl_lex_next(lx);
	if (lx->tok == T_NOT || (lx->tok == T_IDENT && streq(lx->val.buf, "not"))) {
		c->negate = 1;
		tmpl_lex_next(lx);
	}
	if (lx->tok != T_IDENT) {
		perr(ps, line, "a condition needs a variable name");
		return -1;
	}
	c->var = xstrdup(lx->val.buf);
	tmpl_lex_next(lx);
	if (lx->tok == T_EQ || lx->tok == T_NE) {
		c->op = lx->tok == T_EQ ? C_EQ : C_NE;
		tmpl_lex_next(lx);
		if (lx->tok != T_STRING) {
			perr(ps, line, "'%s' must be compared with a \"string\"", c->var);
			goto fail;
		}
		c->lit = xstrdup(lx->val.buf);
		tmpl_lex_next(lx);
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

	tmpl_lex_next(lx);
	if (lx->tok != T_IDENT) {
		perr(ps, line, "usage: {{ default name = \"value\" }} or {{ default name = [...] }}");
		return;
	}
	n = node_add(out, N_DEFAULT, line);
	n->text = xstrdup(lx->val.buf);
	tmpl_lex_next(lx);
	if (lx->tok != T_ASSIGN) {
		perr(ps, line, "expected '=' after '%s'", n->text);
		return;
	}
	tmpl_lex_next(lx);
	if (lx->tok == T_STRING) {
		n->items = xmalloc(sizeof(char *));
		n->items[n->nitems++] = xstrdup(lx->val.buf);
		tmpl_lex_next(lx);
	} else if (lx->tok == T_LBRACK) {
		size_t alloc = 0;

		n->is_list = 1;
		tmpl_lex_next(lx);
		while (lx->tok == T_STRING) {
			ALLOC_GROW(n->items, n->nitems + 1, alloc);
			n->items[n->nitems++] = xstrdup(lx->val.buf);
			tmpl_lex_next(lx);
			if (lx->tok != T_COMMA)
				break;
			tmpl_lex_next(lx);
		}
		if (lx->tok != T_RBRACK) {
			perr(ps, line, "a list is [\"a\", \"b\", ...]");
			return;
		}
		tmpl_lex_next(lx);
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
	tmpl_lex_next(lx);
	if (lx->tok == T_PIPE) {
		tmpl_lex_next(lx);
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
		tmpl_lex_next(lx);
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

	tmpl_lex_next(lx);
	if (lx->tok == T_IDENT)
		n->loopvar = xstrdup(lx->val.buf);
	tmpl_lex_next(lx);
	if (lx->tok == T_IDENT && streq(lx->val.buf, "in"))
		tmpl_lex_next(lx);
	else
		n->loopvar = (free(n->loopvar), NULL);
	if (n->loopvar && lx->tok == T_IDENT)
		n->text = xstrdup(lx->val.buf);
	if (n->text)
		tmpl_lex_next(lx);
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
	tmpl_lex_next(lx);
	if (lx->tok != T_STRING) {
		perr(ps, line, "usage: {{ include \"file.tmpl\" }}");
		return;
	}
	node_add(out, N_INCLUDE, line)->text = xstrdup(lx->val.buf);
	tmpl_lex_next(lx);
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
			tmpl_lex_next(&lx);
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
				tmpl_lex_next(&lx);
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

struct tfile *tfile_parse(const char *path, char *src)
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

void tfile_free_all(struct tfile *f)
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
