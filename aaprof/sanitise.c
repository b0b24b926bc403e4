/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sanitise.c - logged values made safe to check and to show: path
 * normalisation before any check, and escaping for terminals.
 */
#include "sanitise.h"

#include <string.h>

int path_normalise(const char *path, struct strbuf *out, struct strbuf *why)
{
	size_t start = out->len;
	const char *s = path;

	if (*s != '/') {
		strbuf_addf(why, "'%s' is not an absolute path", path);
		return -1;
	}
	while (*s) {
		const char *c;
		size_t n;

		while (*s == '/')
			s++;
		strbuf_addch(out, '/');
		c = s;
		while (*s && *s != '/')
			s++;
		n = s - c;
		if ((n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.')) {
			strbuf_setlen(out, start);
			strbuf_addf(why, "a '%.*s' component: the kernel logs no such path and a "
				    "rule cannot name it faithfully", (int)n, c);
			return -1;
		}
		strbuf_add(out, c, n);
	}
	return 0;
}

/* the length of the UTF-8 sequence at s (at most n bytes) and its code point, 0 if invalid */
static size_t utf8_char(const unsigned char *s, size_t n, unsigned *ret_cp)
{
	unsigned cp, min;
	size_t len, i;

	if (s[0] < 0x80) {
		*ret_cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2; cp = s[0] & 0x1f; min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3; cp = s[0] & 0x0f; min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4; cp = s[0] & 0x07; min = 0x10000;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	*ret_cp = cp;
	return len;
}

void strbuf_add_printable(struct strbuf *out, const char *str, size_t len, const char *keep)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, k;
	unsigned cp;

	while (i < len) {
		size_t n = utf8_char(s + i, len - i, &cp);

		if (!n) {
			strbuf_addf(out, "\\x%02X", s[i]);
			i++;
			continue;
		}
		if (cp < 0x20 && cp && keep && strchr(keep, (int)cp)) {
			strbuf_addch(out, (int)cp);
		} else if (cp < 0x20 || cp == 0x7f) {
			switch (cp) {
			case '\n': strbuf_addstr(out, "\\n"); break;
			case '\t': strbuf_addstr(out, "\\t"); break;
			case '\r': strbuf_addstr(out, "\\r"); break;
			case 0x1b: strbuf_addstr(out, "\\e"); break;
			default: strbuf_addf(out, "\\x%02X", cp);
			}
		} else if ((cp >= 0x80 && cp <= 0x9f) || cp == 0x61c || cp == 0x200e ||
			   cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
			   (cp >= 0x2066 && cp <= 0x2069)) {
			/* C1 controls (0x9b is CSI) and the bidi controls that
			   reorder what a terminal shows ("Trojan Source") */
			strbuf_addf(out, "\\u{%04X}", cp);
		} else {
			for (k = 0; k < n; k++)
				strbuf_addch(out, s[i + k]);
		}
		i += n;
	}
}
