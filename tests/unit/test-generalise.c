/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A generalised path is written by the escapers (escape.c): literal parts
 * escaped as a literal path, glob pieces only when they cannot change the
 * structure of a rule, the whole quoted when a part needs quotes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "escape.h"
#include "rules.h"
#include "strbuf.h"
#include "util.h"

struct gcase {
	const char *path;
	size_t start, end;   /* one span; start == end: none */
	const char *glob;
	const char *out;     /* NULL: refused */
};

static const struct gcase cases[] = {
	{ "/etc/hosts", 0, 0, NULL, "/etc/hosts" },
	{ "/home/alice/.cache/x", 6, 11, "*", "/home/*/.cache/x" },
	{ "/home/alice/my file", 6, 11, "*", "\"/home/*/my file\"" },
	{ "/srv/a b/123/x", 9, 12, "[0-9]*", "\"/srv/a b/[0-9]*/x\"" },
	{ "/tmp/x*y/123", 9, 12, "[0-9]*", "/tmp/x\\*y/[0-9]*" },
	{ "/tmp/@{v}/123", 10, 13, "[0-9]*", "/tmp/\\@\\{v\\}/[0-9]*" },
	{ "/proc/123/status", 0, 9, "@{PROC}/@{pid}", "@{PROC}/@{pid}/status" },
	{ "/tmp/a\"b/123", 9, 12, "*", "\"/tmp/a\\\"b/*\"" },
	/* glob text that would restructure the rule is never written */
	{ "/tmp/123", 5, 8, "a, /** rwlkmx", NULL },
	{ "/tmp/123", 5, 8, "a,b", NULL },
	{ "/tmp/123", 5, 8, "x\"y", NULL },
	{ "/tmp/123", 5, 8, "x#y", NULL },
	{ "/tmp/123", 5, 8, "x\\y", NULL },
	{ "/tmp/123", 5, 8, "x\ny", NULL },
	{ "/tmp/123", 5, 8, "", NULL },
	/* a literal part that cannot be expressed fails the whole */
	{ "/tmp/\x01/123", 7, 10, "*", NULL },
};

static void generalised(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct gcase *c = &cases[i];
		struct aa_glob_span span = { c->start, c->end, c->glob };
		struct strbuf out = STRBUF_INIT, why = STRBUF_INIT;
		int r;

		strbuf_addstr(&out, "owner ");
		r = aa_emit_generalised(&out, c->path, &span, c->start < c->end, &why);
		if (c->out) {
			if (r != 0)
				fail_msg("case %zu '%s': refused: %s", i, c->path, why.buf);
			assert_string_equal(out.buf + 6, c->out);
		} else {
			assert_int_equal(r, -1);
			assert_string_equal(out.buf, "owner ");   /* nothing appended */
			assert_true(why.len > 0);
		}
		strbuf_release(&out);
		strbuf_release(&why);
	}
}

static void glob_pieces(void **state)
{
	static const struct { const char *glob, *why; } v[] = {
		{ "[0-9]*", NULL },
		{ "{a,b}", NULL },
		{ "@{pid}", NULL },
		{ "", "empty" },
		{ "a,b", "',' outside {}" },
		{ "}a,b{", "',' outside {}" },
		{ "x y", "cannot contain spaces" },
		{ "x\ty", "cannot contain spaces" },
		{ "x\"y", "quotes" },
		{ "x#y", "'#'" },
		{ "x\\y", "'\\'" },
		{ "x\x7fy", "cannot contain" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct strbuf why = STRBUF_INIT;
		int r = aa_check_glob_piece(v[i].glob, &why);

		if (!v[i].why) {
			assert_int_equal(r, 0);
			assert_int_equal(why.len, 0);
		} else {
			assert_int_equal(r, -1);
			if (!strstr(why.buf, v[i].why))
				fail_msg("'%s': '%s' does not say '%s'", v[i].glob, why.buf, v[i].why);
		}
		strbuf_release(&why);
	}
}

/* a rule file whose replacement the escapers would refuse is refused on load */
static void replacement_checked_on_load(void **state)
{
	static const char *const bad[] = {
		"^/tmp/\\K[0-9]+ => a,b\n",
		"^/tmp/\\K[0-9]+ => x\"y\n",
		"^/tmp/\\K[0-9]+ => x#y\n",
	};
	size_t i;
	int q = quiet_errors;

	(void)state;
	quiet_errors = 1;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		genrules_t *g = genrules_new();
		char *text = strdup(bad[i]);

		assert_non_null(text);
		assert_int_equal(genrules_load_text(g, "t.rules", text), -1);
		free(text);
		genrules_free(g);
	}
	quiet_errors = q;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(generalised),
		cmocka_unit_test(glob_pieces),
		cmocka_unit_test(replacement_checked_on_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
