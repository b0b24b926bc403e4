/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "jsonout.h"

#include <json-c/json.h>
#include <string.h>

void jsonout_add(struct strbuf *out, struct json_object *o, int flags)
{
	const char *s = json_object_to_json_string_ext(o, flags);

	/*
	 * A pretty-printed string value never holds a raw newline (json-c
	 * escapes it), so "[" or "{" then a newline, blanks and the closing
	 * bracket is always an empty container, never text inside a string.
	 */
	while (*s) {
		size_t n = strcspn(s, "[{");
		const char *p;

		strbuf_add(out, s, n);
		s += n;
		if (!*s)
			break;
		p = s + 1;
		if (*p == '\n') {
			p += strspn(p, "\n \t");
			if (*p == (*s == '[' ? ']' : '}')) {
				strbuf_add(out, s, 1);
				strbuf_add(out, p, 1);
				s = p + 1;
				continue;
			}
		}
		strbuf_add(out, s, 1);
		s++;
	}
}
