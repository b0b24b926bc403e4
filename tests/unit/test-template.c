/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Golden tests of the template language: for each tests/data/template/X.tmpl,
 * X.vars holds KEY=VALUE / KEY+=VALUE lines; the rendering must equal X.out,
 * or, when X.err exists, rendering must fail with exactly those messages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <string.h>
#include <unistd.h>

#include "strbuf.h"
#include "template.h"
#include "util.h"
#include "cases.h"

static char *slurp(const char *path)
{
	char *buf;

	if (read_file(path, 1 << 20, &buf, NULL) < 0)
		return NULL;
	return buf;
}

/* the message hook: messages collected one per line */
static void add_message(const char *text, void *data)
{
	strbuf_addf(data, "%s\n", text);
}

static void golden(void **state)
{
	const char *base = *state;
	_cleanup_free_ char *tmpl = xasprintf("%s.tmpl", base);
	_cleanup_free_ char *varsf = xasprintf("%s.vars", base);
	_cleanup_free_ char *outf = xasprintf("%s.out", base);
	_cleanup_free_ char *errf = xasprintf("%s.err", base);
	_cleanup_free_ char *vars_text = slurp(varsf);
	_cleanup_free_ char *want_out = access(outf, F_OK) == 0 ? slurp(outf) : NULL;
	_cleanup_free_ char *want_err = access(errf, F_OK) == 0 ? slurp(errf) : NULL;
	struct strbuf out = STRBUF_INIT, msgs = STRBUF_INIT;
	tmpl_vars_t *vars = tmpl_vars_new();
	char *line, *save = NULL;
	int r;

	assert_non_null(vars_text);
	assert_true((want_out != NULL) != (want_err != NULL));
	for (line = strtok_r(vars_text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *eq = strchr(line, '=');

		assert_non_null(eq);
		*eq = '\0';
		if (eq > line && eq[-1] == '+') {
			eq[-1] = '\0';
			tmpl_vars_append(vars, line, eq + 1);
		} else {
			tmpl_vars_set(vars, line, eq + 1);
		}
	}
	set_message_hook(add_message, &msgs);
	r = tmpl_render_file(tmpl, NULL, vars, &out, NULL);
	set_message_hook(NULL, NULL);
	if (want_err) {
		assert_int_equal(r, -1);
		assert_string_equal(msgs.buf, want_err);
	} else {
		if (r < 0)
			print_error("%s", msgs.buf);
		assert_int_equal(r, 0);
		assert_string_equal(msgs.buf, "");
		assert_string_equal(out.buf, want_out);
	}
	tmpl_vars_free(vars);
	strbuf_release(&out);
	strbuf_release(&msgs);
}

static void render_string_and_vars(void **state UNUSED)
{
	tmpl_vars_t *vars = tmpl_vars_new();
	struct strbuf out = STRBUF_INIT, msgs = STRBUF_INIT;

	tmpl_vars_set(vars, "name", "web");
	tmpl_vars_set(vars, "name", "web2");          /* replaces */
	assert_string_equal(tmpl_vars_get(vars, "name"), "web2");
	tmpl_vars_append(vars, "l", "a");
	assert_null(tmpl_vars_get(vars, "l"));          /* a list has no scalar */
	assert_int_equal(tmpl_render_string("[{{ name }}]{{ for x in l }}<{{ x }}>{{ end }}\n",
					    "inline", NULL, vars, &out), 0);
	assert_string_equal(out.buf, "[web2]<a>\n");

	/* a standalone block tag line vanishes; an inline one does not */
	strbuf_reset(&out);
	assert_int_equal(tmpl_render_string("a\n  {{ if name }}  \nb\n{{ end }}\nc {{ if name }}d{{ end }}\n",
					    "inline", NULL, vars, &out), 0);
	assert_string_equal(out.buf, "a\nb\nc d\n");

	/* no trailing newline at the end of the file */
	strbuf_reset(&out);
	assert_int_equal(tmpl_render_string("x{{# c }}", "inline", NULL, vars, &out), 0);
	assert_string_equal(out.buf, "x");

	/* stray else, and a default of a bad name, fail with file:line */
	set_message_hook(add_message, &msgs);
	assert_int_equal(tmpl_render_string("{{ else }}\n", "t", NULL, vars, &out), -1);
	assert_int_equal(tmpl_render_string("{{ for a b c }}\n{{ end }}\n", "t", NULL, vars, &out), -1);
	assert_int_equal(tmpl_render_string("{{ default x }}\n", "t", NULL, vars, &out), -1);
	assert_int_equal(tmpl_render_string("{{ x = }}\n", "t", NULL, vars, &out), -1);
	assert_int_equal(tmpl_render_string("{{ include \"../etc/passwd\" }}\n", "t", NULL, vars, &out), -1);
	set_message_hook(NULL, NULL);
	assert_non_null(strstr(msgs.buf, "error: t:1: {{ else }} without an open"));
	assert_non_null(strstr(msgs.buf, "error: t:1: usage: {{ for item in list }}"));
	assert_non_null(strstr(msgs.buf, "error: t:1: expected '=' after 'x'"));
	assert_non_null(strstr(msgs.buf, "error: t:1: unexpected text in tag"));
	assert_non_null(strstr(msgs.buf, "only names below the template directory"));
	assert_true(tmpl_valid_name("a_b9"));
	assert_false(tmpl_valid_name("9a"));
	assert_false(tmpl_valid_name("a-b"));
	assert_false(tmpl_valid_name(""));
	tmpl_vars_free(vars);
	strbuf_release(&out);
	strbuf_release(&msgs);
}

int main(void)
{
	const struct CMUnitTest extra = cmocka_unit_test(render_string_and_vars);

	return run_file_cases("template", "tests/data/template", ".tmpl", golden, &extra);
}
