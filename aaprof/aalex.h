/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_AALEX_H
#define AAPROF_AALEX_H

#include <stddef.h>

/*
 * Policy text cut into tokens the way apparmor_parser's lexer
 * (parser_lex.l) cuts it, as far as the structure of a profile goes:
 * comments, quoted strings (with its longest-match reading of \"),
 * unquoted words (',' and escapes inside a path), braces, parentheses,
 * end of rule, include lines and variable assignments. aaprof reads
 * profiles through it, so that a '#', '{' or marker text inside a path or
 * a comment is what apparmor_parser takes it for.
 */
enum aatok_kind {
	AT_EOF = 0,
	AT_WORD,       /* an unquoted word: a path, keyword, name, mode, '=' ... */
	AT_QUOTED,     /* "...", quotes included */
	AT_COMMENT,    /* from '#' to the end of the line (newline excluded) */
	AT_OPEN,       /* '{' opening a block */
	AT_CLOSE,      /* '}' closing a block */
	AT_LPAREN,     /* '(' */
	AT_RPAREN,     /* ')' */
	AT_COMMA,      /* ',' ending a rule (or separating values inside parentheses) */
	AT_INCLUDE,    /* an include/#include line, to its end */
	AT_ASSIGN,     /* @{VAR} = ... or $VAR = ..., to the end of its (continued) line */
};

struct aatok {
	enum aatok_kind kind;
	size_t start, len;     /* where it is in the text */
	int line_start;        /* only blanks stand before it on its line */
	int space_before;      /* whitespace or a comment separates it from the token before */
};

struct aalex {
	const char *text;
	size_t pos, len;
	int paren;             /* parentheses open */
	int sub_id;            /* the next word is a name (after profile, hat, ^, ->) */
	int stmt_start;        /* the next token starts a statement */
};

void aalex_init(struct aalex *lx, const char *text, size_t len);
/* the next token; 0 at the end of the text */
int aalex_next(struct aalex *lx, struct aatok *t);

/*
 * A word as apparmor_parser's processid() reads it: quotes stripped, \n \t
 * \r \a \e \f \\ \" \NNN \xHH \dNNN resolved, a resolved glob character
 * (* ? [ ] { } ^ , \) kept escaped; other escapes (\@ \{ \*) kept as
 * written, for the pattern. Returns a new string.
 */
char *aa_processid(const char *s, size_t len);

#endif
