/* SPDX-License-Identifier: GPL-2.0-or-later */
/* carry.c - the harvested section kept across a re-load. See carry.h. */
#include "carry.h"
#include "parser.h"
#include "profile.h"
#include "util.h"

#include <string.h>

struct rules {
	char **v;      /* "child\nrule", whitespace runs as one space */
	size_t n, alloc;
};

static char *squeeze(const char *child, const char *s, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	int space = 0;

	if (child)
		strbuf_addf(&sb, "%s\n", child);
	for (i = 0; i < len; i++) {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
			space = 1;
			continue;
		}
		if (space && sb.len && sb.buf[sb.len - 1] != '\n')
			strbuf_addch(&sb, ' ');
		space = 0;
		strbuf_addch(&sb, s[i]);
	}
	return strbuf_detach(&sb, NULL);
}

static void add_rule(void *ctx, const char *child, const char *rule)
{
	struct rules *r = ctx;

	ALLOC_GROW(r->v, r->n + 1, r->alloc);
	r->v[r->n++] = squeeze(child, rule, strlen(rule));
}

static void rules_release(struct rules *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->v[i]);
	free(r->v);
}

static int has(const struct rules *r, const char *s)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (streq(r->v[i], s))
			return 1;
	return 0;
}

/* old's rules that text lacks: their count, the first in *ret_first */
static size_t missing_rules(const char *old, const char *text, size_t *ret_new,
			    char **ret_first)
{
	struct rules o = { 0 }, n = { 0 }, lines = { 0 };
	const char *p = text;
	size_t i, missing = 0;

	profile_section_rules(old, add_rule, &o);
	profile_section_rules(text, add_rule, &n);
	while (*p) {
		const char *e = strchrnul(p, '\n');

		ALLOC_GROW(lines.v, lines.n + 1, lines.alloc);
		lines.v[lines.n++] = squeeze("", p, e - p);
		p = *e ? e + 1 : e;
	}
	*ret_first = NULL;
	for (i = 0; i < o.n; i++) {
		if (has(&n, o.v[i]) || (o.v[i][0] == '\n' && has(&lines, o.v[i])))
			continue;
		if (!missing++)
			*ret_first = xstrdup(strchr(o.v[i], '\n') + 1);
	}
	*ret_new = n.n;
	rules_release(&o);
	rules_release(&n);
	rules_release(&lines);
	return missing;
}

/* a note, or on standard output in a dry run */
static void say(int dry_run, char *msg)
{
	if (dry_run)
		printf("%s\n", msg);
	else
		note("%s", msg);
	free(msg);
}

int carry_section(const char *old, const char *path, const char *name, const char *from,
		  int replace, int quiet, int dry_run, char **text)
{
	_cleanup_free_ char *first = NULL, *body = NULL;
	struct strbuf out = STRBUF_INIT, why = STRBUF_INIT;
	size_t nnew, missing = missing_rules(old, *text, &nnew, &first);
	int rc = EXIT_ERROR;

	if (!missing)
		return 0;
	if (replace) {
		if (!quiet)
			say(dry_run, xasprintf("%s: dropping the %zu harvested rule%s that %s lacks "
					       "(--replace; the previous file is kept: aaprof load "
					       "--rollback %s)", path, missing,
					       missing == 1 ? "" : "s", from, name));
		return 0;
	}
	if (nnew) {
		error("%s has a harvested section of its own without %zu rule%s of %s's (such as "
		      "'%s'): merge them into it, or drop them with --replace", from, missing,
		      missing == 1 ? "" : "s", path, first);
		return EXIT_ERROR;
	}
	body = profile_section_body(old);
	if (profile_replace_section(*text, name, body, &out, &why) < 0) {
		error("cannot carry the harvested section of %s over into %s: %s (--replace drops "
		      "its rules)", path, from, why.buf);
		goto out;
	}
	strbuf_reset(&why);
	if (parser_path() && parser_check(out.buf, out.len, name, &why) < 0) {
		error("the harvested section of %s, carried over into %s, does not compile with it "
		      "(--replace drops its rules): %s", path, from, why.buf);
		rc = EXIT_REJECTED;
		goto out;
	}
	if (!quiet)
		say(dry_run, xasprintf("%s: keeping the %zu harvested rule%s that %s lacks (its "
				       "harvested section carried over; --replace drops them)", path,
				       missing, missing == 1 ? "" : "s", from));
	free(*text);
	*text = strbuf_detach(&out, NULL);
	rc = 0;
out:
	strbuf_release(&out);
	strbuf_release(&why);
	return rc;
}
