/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Modes (load.c, profile.c): the kernel's names as aaprof shows them, the
 * mode a profile's flags ask for, and the mode switch that only moves
 * between complain and enforce.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "load.h"
#include "profile.h"
#include "strbuf.h"

static void kernel_names(void **state)
{
	(void)state;
	assert_string_equal(kernel_mode_name("enforce"), "enforce");
	assert_string_equal(kernel_mode_name("complain"), "complain");
	assert_string_equal(kernel_mode_name("kill"), "kill");
	assert_string_equal(kernel_mode_name("unconfined"), "unconfined");
	assert_string_equal(kernel_mode_name("user"), "prompt");
	assert_string_equal(kernel_mode_name("prompt"), "prompt");
	assert_string_equal(kernel_mode_name("mixed"), "mixed");
	assert_string_equal(kernel_mode_name(""), "unknown");
	assert_string_equal(kernel_mode_name("enforce\033[0m"), "unknown");
	assert_string_equal(kernel_mode_name("Enforce"), "unknown");
}

static void mode_of(const char *flags, const char *want)
{
	struct strbuf t = STRBUF_INIT;

	strbuf_addf(&t, "profile web %s {\n  file,\n}\n", flags ? flags : "");
	assert_string_equal(profile_mode_of(t.buf, "web"), want);
	strbuf_release(&t);
}

static void file_modes(void **state)
{
	(void)state;
	mode_of(NULL, "enforce");
	mode_of("flags=(attach_disconnected)", "enforce");
	mode_of("flags=(complain)", "complain");
	mode_of("flags=(kill)", "kill");
	mode_of("flags=(unconfined)", "unconfined");
	mode_of("flags=(default_allow)", "unconfined");
	mode_of("flags=(attach_disconnected,prompt)", "prompt");
	mode_of("flags=(mode=prompt)", "prompt");
}

static void switch_refused(void **state)
{
	static const char *const flags[] = { "prompt", "default_allow", "kill", "unconfined" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		struct strbuf t = STRBUF_INIT, out = STRBUF_INIT, why = STRBUF_INIT;

		strbuf_addf(&t, "profile web flags=(attach_disconnected,%s) {\n}\n", flags[i]);
		assert_int_equal(profile_set_mode(t.buf, "web", "enforce", &out, &why), -1);
		assert_non_null(strstr(why.buf, "only switches between complain and enforce"));
		assert_int_equal(profile_set_mode(t.buf, "web", "complain", &out, &why), -1);
		strbuf_release(&t);
		strbuf_release(&out);
		strbuf_release(&why);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kernel_names),
		cmocka_unit_test(file_modes),
		cmocka_unit_test(switch_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
