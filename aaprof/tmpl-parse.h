/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_TMPL_PARSE_H
#define AAPROF_TMPL_PARSE_H

#include <stddef.h>

/*
 * A template file parsed into a tree of nodes: text, expression ({{ x }},
 * {{ x | filter }}, {{ "literal" }}), if (with its elif/else chain in
 * orelse), for, include, default. The language is described in template.h.
 */

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

/*
 * Parse src (NUL-terminated, taken over) of the file path. Every error is
 * reported as path:line; then parse_failed is set and the tree is partial.
 */
struct tfile *tfile_parse(const char *path, char *src);
/* free f and the files chained after it by next */
void tfile_free_all(struct tfile *f);

#endif
