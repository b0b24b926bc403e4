/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * aalex.c - policy text as apparmor_parser's lexer (parser_lex.l) reads
 * it, for the structure aaprof needs: where comments, quoted strings,
 * words, blocks and rules begin and end.
 *
 * The points where a naive reader goes wrong, each taken from the lexer:
 * - '#' starts a comment only where a token starts; inside a path
 *   (/srv/a#b) it is literal, and inside parentheses there are no comments.
 * - a quoted string is the longest match of "([^"]|\")*": it ends at the
 *   first '"' not preceded by a backslash ("a\\" does not end at its quote).
 * - an unquoted path goes on through '{', '}', '(', ')', '#' and '=', and
 *   through ',' followed by a character of a word (/a,b is one word);
 *   '\ ', '\"', '\!' and '\,' continue it.
 * - a keyword or mode ([A-Za-z][A-Za-z0-9_]*) stops at any other character.
 * - the word after profile, hat, ^ and -> is a name: anything up to a blank,
 *   '"', '!' or ','.
 */
#include "aalex.h"
#include "strbuf.h"
#include "util.h"

#include <string.h>

void aalex_init(struct aalex *lx, const char *text, size_t len)
{
	memset(lx, 0, sizeof(*lx));
	lx->text = text;
	lx->len = len;
	lx->stmt_start = 1;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_alnum_(char c)
{
	return is_alpha(c) || (c >= '0' && c <= '9') || c == '_';
}

/* a character of an unquoted word (ID_CHARS): not blank, newline, '"', '!' or ',' */
static int is_id_char(char c)
{
	return c && !is_blank(c) && c != '\n' && c != '"' && c != '!' && c != ',';
}

/* the end of a quoted string starting at q (the opening quote) */
static size_t quoted_end(const char *t, size_t q, size_t len)
{
	size_t i, last = 0;

	for (i = q + 1; i < len; i++) {
		if (t[i] != '"')
			continue;
		if (t[i - 1] != '\\')
			return i + 1;
		last = i + 1;   /* an escaped quote: the string may end here or go on */
	}
	return last ? last : len;
}

/* the end of an unquoted word at i; paren: inside (...), no ( ) there */
static size_t word_end(const char *t, size_t i, size_t len, int paren)
{
	while (i < len) {
		char c = t[i];

		if (c == '\\' && i + 1 < len &&
		    (t[i + 1] == ' ' || t[i + 1] == '\t' || t[i + 1] == '"' || t[i + 1] == '!' ||
		     t[i + 1] == ',' || (paren && (t[i + 1] == '(' || t[i + 1] == ')')))) {
			i += 2;
			continue;
		}
		if (c == ',' && !paren && i + 1 < len && is_id_char(t[i + 1])) {
			i += 2;
			continue;
		}
		if (!is_id_char(c) || (paren && (c == '(' || c == ')')))
			break;
		i++;
	}
	return i;
}

/* the end of the line at i (the newline excluded) */
static size_t line_end(const char *t, size_t i, size_t len)
{
	const char *nl = memchr(t + i, '\n', len - i);

	return nl ? (size_t)(nl - t) : len;
}

/* @{NAME} or $NAME / ${NAME} at i, then blanks and an assignment operator? */
static int is_assignment(const char *t, size_t i, size_t len)
{
	if (t[i] == '@' || t[i] == '$') {
		size_t j = i + 1;
		int brace = j < len && t[j] == '{';

		if (brace)
			j++;
		if (j >= len || !is_alpha(t[j]))
			return 0;
		while (j < len && is_alnum_(t[j]))
			j++;
		if (brace) {
			if (j >= len || t[j] != '}')
				return 0;
			j++;
		} else if (t[i] == '@') {
			return 0;
		}
		while (j < len && is_blank(t[j]))
			j++;
		if (j < len && t[j] == '=')
			return 1;
		if (j + 1 < len && strchr("+?:", t[j]) && t[j + 1] == '=')
			return 1;
	}
	return 0;
}

/* an assignment runs to the end of its line; '\' + newline continues it,
   a '#' after a blank starts a comment that ends it */
static size_t assignment_end(const char *t, size_t i, size_t len)
{
	int after_blank = 0;

	while (i < len) {
		if (t[i] == '\\' && i + 1 < len && t[i + 1] == '\n') {
			i += 2;
			continue;
		}
		if (t[i] == '\n' || (t[i] == '#' && after_blank))
			break;
		if (t[i] == '"') {
			i = quoted_end(t, i, len);
			after_blank = 0;
			continue;
		}
		after_blank = is_blank(t[i]) || t[i] == '=';
		i++;
	}
	while (i > 0 && is_blank(t[i - 1]))
		i--;
	return i;
}

int aalex_next(struct aalex *lx, struct aatok *tok)
{
	const char *t = lx->text;
	size_t i = lx->pos, len = lx->len;
	int space = i == 0, sub_id = lx->sub_id;
	char c;

	memset(tok, 0, sizeof(*tok));
	while (i < len && (is_blank(t[i]) || t[i] == '\n'))
		i++;
	if (i > lx->pos)
		space = 1;
	if (i >= len) {
		lx->pos = len;
		return 0;
	}
	tok->start = i;
	tok->space_before = space;
	{
		size_t b = i;

		while (b > 0 && is_blank(t[b - 1]))
			b--;
		tok->line_start = b == 0 || t[b - 1] == '\n';
	}
	lx->sub_id = 0;
	c = t[i];
	if (c == '#' && !lx->paren && !sub_id) {
		if (!strncmp(t + i, "#include", 8)) {
			tok->kind = AT_INCLUDE;
			lx->stmt_start = 1;
		} else {
			tok->kind = AT_COMMENT;
		}
		i = line_end(t, i, len);
	} else if (c == '"') {
		tok->kind = AT_QUOTED;
		i = quoted_end(t, i, len);
		lx->stmt_start = 0;
	} else if (c == '{' && !sub_id && !lx->paren) {
		tok->kind = AT_OPEN;
		i++;
		lx->stmt_start = 1;
	} else if (c == '}' && !sub_id && !lx->paren) {
		/* inside (...) a brace is part of a value, as in the lexer's list mode */
		tok->kind = AT_CLOSE;
		i++;
		lx->stmt_start = 1;
	} else if (c == '(' && !sub_id) {
		tok->kind = AT_LPAREN;
		lx->paren++;
		i++;
		lx->stmt_start = 0;
	} else if (c == ')' && lx->paren) {
		tok->kind = AT_RPAREN;
		lx->paren--;
		i++;
	} else if (c == ',') {
		tok->kind = AT_COMMA;
		i++;
		if (!lx->paren)
			lx->stmt_start = 1;
	} else if (lx->stmt_start && !lx->paren && is_assignment(t, i, len)) {
		tok->kind = AT_ASSIGN;
		i = assignment_end(t, i, len);
		lx->stmt_start = 1;
	} else if (!lx->paren && !sub_id && is_alpha(c)) {
		/* a keyword, mode or capability name */
		tok->kind = AT_WORD;
		while (i < len && is_alnum_(t[i]))
			i++;
		if (i - tok->start == 7 && !strncmp(t + tok->start, "include", 7) &&
		    i < len && is_blank(t[i])) {
			tok->kind = AT_INCLUDE;
			i = line_end(t, i, len);
			lx->stmt_start = 1;
		} else {
			if ((i - tok->start == 7 && !strncmp(t + tok->start, "profile", 7)) ||
			    (i - tok->start == 3 && !strncmp(t + tok->start, "hat", 3))) {
				if (i < len && is_blank(t[i]))
					lx->sub_id = 1;
			}
			lx->stmt_start = 0;
		}
	} else if (!lx->paren && !sub_id && (c == '^' || c == '=')) {
		/* ^name, and the value after key= */
		tok->kind = AT_WORD;
		i++;
		lx->sub_id = c == '^' || (i < len && t[i] != '(' && !is_blank(t[i]));
		lx->stmt_start = 0;
	} else {
		tok->kind = AT_WORD;
		i = word_end(t, i, len, lx->paren);
		if (i == tok->start)
			i++;   /* a lone '!' or a ')' outside parentheses */
		if (i - tok->start == 2 && !strncmp(t + tok->start, "->", 2))
			lx->sub_id = 1;
		lx->stmt_start = 0;
	}
	tok->len = i - tok->start;
	lx->pos = i;
	return 1;
}

static int octal(char c)
{
	return c >= '0' && c <= '7' ? c - '0' : -1;
}

static int digit(char c, int base)
{
	int v;

	if (c >= '0' && c <= '9')
		v = c - '0';
	else if (c >= 'a' && c <= 'z')
		v = c - 'a' + 10;
	else if (c >= 'A' && c <= 'Z')
		v = c - 'A' + 10;
	else
		return -1;
	return v < base ? v : -1;
}

/* apparmor_parser's strntol: at most n digits, stop before exceeding 255 */
static long number(const char **pos, const char *end, int base, size_t n)
{
	long val = 0;
	int d;

	while (n && *pos < end && (d = digit(**pos, base)) >= 0 && val * base + d <= 255) {
		val = val * base + d;
		(*pos)++;
		n--;
	}
	return val;
}

/* strn_escseq: the character after a backslash at *pos, or -1 */
static long escseq(const char **pos, const char *end)
{
	const char *p = *pos, *start;
	long v;

	if (p >= end)
		return -1;
	if (octal(*p) >= 0) {
		v = number(pos, end, 8, 3);
		return v;
	}
	*pos = p + 1;
	switch (*p) {
	case '\\': return '\\';
	case '"': return '"';
	case 'a': return '\a';
	case 'e': return 033;
	case 'f': return '\f';
	case 'n': return '\n';
	case 'r': return '\r';
	case 't': return '\t';
	case 'd':
	case 'x':
		start = *pos;
		v = number(pos, end, *p == 'd' ? 10 : 16, *p == 'd' ? 3 : 2);
		if (*pos == start)
			break;
		return v;
	}
	*pos = p;
	return -1;
}

char *aa_processid(const char *s, size_t len)
{
	struct strbuf out = STRBUF_INIT;
	const char *end = s + len;

	if (len && *s == '"') {
		s++;
		end = len >= 2 && end[-1] == '"' ? end - 1 : end;
		if (end < s)
			end = s;
	}
	while (s < end) {
		const char *pos = s + 1;
		long c;

		if (*s == '\\' && end - s > 1 && (c = escseq(&pos, end)) != -1) {
			if (c && strchr("*?[]{}^,\\", (int)c))
				strbuf_addch(&out, '\\');
			if (c)
				strbuf_addch(&out, (char)c);
			else
				strbuf_add(&out, s, pos - s);   /* \0: kept as written */
			s = pos;
		} else {
			strbuf_addch(&out, *s++);
		}
	}
	return strbuf_detach(&out, NULL);
}
