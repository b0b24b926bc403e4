/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The headers of the profile, rules, load and glob modules, each included
 * twice: everything they declare is inside their include guards (profile.h,
 * rules.h, load.h and aaglob.h declared things after their #endif, and a
 * second inclusion failed to compile). This file failing to compile is the
 * failure; the test below checks that the umbrella headers still bring
 * what their callers use.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "aaglob.h"
#include "aaglob.h"
#include "aalex.h"
#include "aalex.h"
#include "aanfa.h"
#include "aanfa.h"
#include "danger.h"
#include "danger.h"
#include "escape.h"
#include "escape.h"
#include "kernel.h"
#include "kernel.h"
#include "load.h"
#include "load.h"
#include "parser.h"
#include "parser.h"
#include "policy.h"
#include "policy.h"
#include "profile.h"
#include "profile.h"
#include "rulefiles.h"
#include "rulefiles.h"
#include "rules.h"
#include "rules.h"
#include "sanitise.h"
#include "sanitise.h"

static void umbrellas(void **state)
{
	/* profile.h brings the escapers and the policy model, load.h the
	   parser driver and the kernel, rules.h the danger list */
	aa_escaper_fn fn = aa_escaper_lookup("path");
	unsigned (*perms)(const policy_t *, const char *, int, unsigned *) = policy_file_perms;
	int (*run)(const char *const *, const char *, size_t, struct parser_result *) = parser_run;
	const char *(*mode)(const char *) = kernel_mode_name;
	danger_t *d = danger_new();

	(void)state;
	assert_ptr_equal(fn, aa_emit_path);
	assert_non_null(perms);
	assert_non_null(run);
	assert_string_equal(mode("user"), "prompt");
	assert_null(danger_kind(d, "mount"));
	danger_free(d);
	assert_int_equal(FP_X, FP_IX | FP_PX | FP_CX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(umbrellas),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
