/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Value checking and escaping (profile.c): hostile values never reach policy raw. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "profile.h"
#include "strbuf.h"

struct vcase {
	const char *filter;
	const char *in;
	const char *out;   /* NULL: must be rejected */
	const char *why;   /* substring of the reason when rejected */
};

static const struct vcase cases[] = {
	/* profile names */
	{ "name", "myapp", "myapp", NULL },
	{ "name", "docker-default", "docker-default", NULL },
	{ "name", "web_1.2:x+y=z", "web_1.2:x+y=z", NULL },
	{ "name", "my app", NULL, "a space" },
	{ "name", "a\"b", NULL, "'\"'" },
	{ "name", "a{b}", NULL, "'{'" },
	{ "name", "a,b", NULL, "','" },
	{ "name", "a\nb", NULL, "a newline" },
	{ "name", "@{HOME}", NULL, "start with a letter" },
	{ "name", "a@{x}", NULL, "'@'" },
	{ "name", "a*b", NULL, "'*'" },
	{ "name", "a/b", NULL, "'/'" },
	{ "name", "a#b", NULL, "'#'" },
	{ "name", "-x", NULL, "start with a letter" },
	{ "name", "", NULL, "empty" },
	{ "name", "unconfined", NULL, "reserved" },
	{ "name", "x\xc3\xbc", NULL, "0xc3" },
	/* literal paths: match only themselves */
	{ "path", "/etc/hosts", "/etc/hosts", NULL },
	{ "path", "/srv/weird name/f", "\"/srv/weird name/f\"", NULL },
	{ "path", "/tmp/star*file", "/tmp/star\\*file", NULL },
	{ "path", "/tmp/q?[a]{b,c}", "\"/tmp/q\\?\\[a\\]\\{b,c\\}\"", NULL },
	{ "path", "/tmp/@{HOME}", "/tmp/\\@\\{HOME\\}", NULL },
	{ "path", "/tmp/x r,\n  /** rwlkmx,\n  #", "\"/tmp/x r,\\n  /\\*\\* rwlkmx,\\n  #\"", NULL },
	/* \\ is one backslash to apparmor_parser (compiled, "a\\b" equals a\134b;
	   tests/hostile.py); a last one is \134, as \\" would escape the quote */
	{ "path", "/tmp/a\"b\\c", "\"/tmp/a\\\"b\\\\c\"", NULL },
	{ "path", "/tmp/trailing\\", "\"/tmp/trailing\\134\"", NULL },
	{ "path", "/tmp/sp ace\\", "\"/tmp/sp ace\\134\"", NULL },
	{ "path", "/tmp/bang!x", "\"/tmp/bang!x\"", NULL },   /* '!' ends an unquoted token */
	{ "path", "/tmp/tab\there", "\"/tmp/tab\\there\"", NULL },
	{ "path", "/tmp/\x01", NULL, "0x01" },
	{ "path", "relative", NULL, "absolute" },
	/* path patterns */
	{ "glob", "/usr/bin/foo*", "/usr/bin/foo*", NULL },
	{ "glob", "@{HOME}/.config/app/**", "@{HOME}/.config/app/**", NULL },
	{ "glob", "/opt/my app/{bin,lib}/**", "\"/opt/my app/{bin,lib}/**\"", NULL },
	{ "glob", "/tmp/\"x", NULL, "'\"'" },
	{ "glob", "/tmp/x\n", NULL, "a newline" },
	{ "glob", "/tmp/@{", NULL, "variable reference" },
	{ "glob", "/tmp/@{x y}", NULL, "variable reference" },
	/* includes */
	{ "include", "abstractions/nameservice", "abstractions/nameservice", NULL },
	{ "include", "../../etc/shadow", NULL, "'..'" },
	{ "include", "/etc/shadow", NULL, "relative" },
	{ "include", "abstractions/a b", NULL, "a space" },
	{ "include", "a>b", NULL, "'>'" },
	/* words */
	{ "word", "complain", "complain", NULL },
	{ "word", "a b", NULL, "a space" },
	{ "word", "x,", NULL, "','" },
	{ "word", "", NULL, "empty" },
};

static void escapers(void **state UNUSED)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct vcase *c = &cases[i];
		struct strbuf out = STRBUF_INIT, why = STRBUF_INIT;
		aa_escaper_fn fn = aa_escaper_lookup(c->filter);
		int r;

		strbuf_addstr(&out, "X");   /* output is appended, never reset */
		assert_non_null(fn);
		r = fn(&out, c->in, &why);
		if (c->out) {
			if (r)
				print_error("case %zu (%s): rejected: %s\n", i, c->filter, why.buf);
			assert_int_equal(r, 0);
			assert_string_equal(out.buf + 1, c->out);
		} else {
			if (!r)
				print_error("case %zu (%s): accepted as %s\n", i, c->filter, out.buf);
			assert_int_equal(r, -1);
			assert_string_equal(out.buf, "X");   /* nothing appended */
			if (!strstr(why.buf, c->why))
				print_error("case %zu: reason '%s' lacks '%s'\n", i, why.buf, c->why);
			assert_non_null(strstr(why.buf, c->why));
		}
		strbuf_release(&out);
		strbuf_release(&why);
	}
	assert_null(aa_escaper_lookup("raw"));
}

static void long_name(void **state UNUSED)
{
	struct strbuf out = STRBUF_INIT, why = STRBUF_INIT;
	char name[300];

	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	assert_int_equal(aa_emit_name(&out, name, &why), -1);
	assert_non_null(strstr(why.buf, "255"));
	name[255] = '\0';
	assert_int_equal(aa_emit_name(&out, name, &why), 0);
	strbuf_release(&out);
	strbuf_release(&why);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(escapers),
		cmocka_unit_test(long_name),
	};

	return cmocka_run_group_tests_name("profile", tests, NULL, NULL);
}
