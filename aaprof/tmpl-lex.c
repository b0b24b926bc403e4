/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tmpl-lex.c - the tokens inside one template tag (see tmpl-lex.h).
 */
#include "tmpl-lex.h"

#include <ctype.h>

void tmpl_lex_next(struct lexer *lx)
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
