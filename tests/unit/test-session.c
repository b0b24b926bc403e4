/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harvest_open(): the one setup of a harvest that `aaprof harvest` and the
 * enforce gate share. The window the sources are read back to, the rules
 * of the profile's harvested section kept, a profile apparmor_parser
 * cannot read refused before anything else is set up.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "load.h"
#include "profile.h"
#include "session.h"
#include "strbuf.h"
#include "util.h"

static const char profile_text[] =
	"profile p {\n"
	"  /etc/hostname r,\n"
	"  " AAPROF_SECTION_BEGIN " ---\n"
	"  /srv/data/** rw,\n"
	"  " AAPROF_SECTION_END " ---\n"
	"}\n";

static char *rules_dir(void)
{
	const char *src = getenv("AAPROF_SRCDIR");

	return xasprintf("%s/rules", src ? src : ".");
}

/* the gate reads back to the profile's load (evidence_since), harvest from since */
static void window(void **state)
{
	_cleanup_free_ char *dir = rules_dir();
	struct harvest_setup hs = { .ho = { .allowed = 1, .since = 1000, .boot_time = 42 },
				    .rules_dir = dir };
	struct harvest_session s;

	(void)state;
	assert_int_equal(harvest_open(&hs, &s), 0);
	assert_non_null(s.h);
	assert_non_null(s.danger);
	assert_null(s.gen);
	assert_true(s.so.since == 1000);
	assert_true(s.so.boot_time == 42);
	harvest_close(&s);
	assert_null(s.h);

	hs.ho.evidence_since = 700;
	hs.generalise = 1;
	assert_int_equal(harvest_open(&hs, &s), 0);
	assert_non_null(s.gen);
	assert_true(s.so.since == 700);
	harvest_close(&s);
}

/* the rules of the harvested section are kept only for the profile named */
static void section_rules(void **state)
{
	_cleanup_free_ char *dir = rules_dir();
	const char *profiles[] = { "p" };
	struct harvest_setup hs = { .ho = { .allowed = 1, .profiles = profiles, .nprofiles = 1 },
				    .policy_text = profile_text, .policy_what = "the profile",
				    .rules_dir = dir };
	struct harvest_session s;
	struct strbuf out = STRBUF_INIT;

	(void)state;
	if (!parser_path())
		skip();
	assert_int_equal(harvest_open(&hs, &s), 0);
	assert_non_null(s.existing);
	assert_int_equal(harvest_nrules(s.h), 0);
	harvest_close(&s);

	hs.section_of = "p";
	assert_int_equal(harvest_open(&hs, &s), 0);
	assert_int_equal(harvest_nrules(s.h), 1);
	harvest_format_rules(s.h, "p", "", &out);
	assert_non_null(strstr(out.buf, "/srv/data/** rw,"));
	assert_null(strstr(out.buf, "/etc/hostname"));
	harvest_close(&s);
	strbuf_release(&out);
}

/* a profile apparmor_parser cannot read: EXIT_REJECTED, and nothing set up */
static void unreadable_policy(void **state)
{
	_cleanup_free_ char *dir = rules_dir();
	struct harvest_setup hs = { .ho = { .allowed = 1 }, .rules_dir = dir,
				    .policy_text = "profile p {\n  no such rule here,\n}\n",
				    .policy_what = "the profile 'p'" };
	struct harvest_session s;

	(void)state;
	if (!parser_path())
		skip();
	quiet_errors = 1;
	assert_int_equal(harvest_open(&hs, &s), EXIT_REJECTED);
	quiet_errors = 0;
	assert_null(s.h);
	assert_null(s.danger);
	assert_null(s.existing);
	harvest_close(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(window),
		cmocka_unit_test(section_rules),
		cmocka_unit_test(unreadable_policy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
