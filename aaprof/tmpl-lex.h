/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_TMPL_LEX_H
#define AAPROF_TMPL_LEX_H

#include "strbuf.h"

/*
 * The tokens inside one template tag, between "{{" and "}}": names,
 * "string" literals (\" and \\ escaped), == != ! | = [ ] ,
 */

enum tok { T_END, T_IDENT, T_STRING, T_EQ, T_NE, T_NOT, T_PIPE, T_ASSIGN,
	   T_LBRACK, T_RBRACK, T_COMMA, T_BAD };

struct lexer {
	const char *s, *end;
	enum tok tok;
	struct strbuf val;
};

/*
 * The next token of [s, end) into tok (and its text into val: a name, a
 * string's content, or a character no token starts with, as T_BAD; an
 * unterminated string is T_BAD with what it held).
 */
void tmpl_lex_next(struct lexer *lx);

#endif
