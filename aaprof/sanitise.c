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

static void put_strbuf(const char *p, size_t n, void *data)
{
	strbuf_add(data, p, n);
}

/* msg.c's escaper (messages use no other module), into a strbuf */
void strbuf_add_printable(struct strbuf *out, const char *str, size_t len, const char *keep)
{
	escape_printable(str, len, keep, put_strbuf, out);
}
