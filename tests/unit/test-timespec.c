/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * parse_time_spec(): what --since and --until take, journalctl's forms
 * included, against a fixed now (2023-11-14 23:13:20 UTC) and fixed zones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <time.h>

#include "util.h"

#define NOW 1700003600.0     /* 2023-11-14 23:13:20 UTC */
#define BOOT 1699990000.0

static void zone(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

static void is(const char *spec, double want)
{
	double got = -1;

	if (parse_time_spec(spec, NOW, BOOT, &got) < 0)
		fail_msg("'%s' was refused", spec);
	if (got != want)
		fail_msg("'%s': %.3f, expected %.3f", spec, got, want);
}

static void refused(const char *spec)
{
	double got = -1;

	if (parse_time_spec(spec, NOW, BOOT, &got) == 0)
		fail_msg("'%s' was taken as %.3f", spec, got);
}

static void what_it_took_before(void **state)
{
	(void)state;
	zone("UTC");
	is("30m", NOW - 1800);
	is("1h", NOW - 3600);
	is("2d", NOW - 2 * 86400);
	is("1w", NOW - 7 * 86400);
	is("90", NOW - 90);
	is("now", NOW);
	is("boot", BOOT);
	is("@1700000000", 1700000000);
	is("@1700000000.5", 1700000000.5);
	is("2023-11-14T22:13:20Z", 1700000000);
	is("2023-11-14T23:13:20+01:00", 1700000000);
	is("2023-11-14 22:13:20", 1700000000);
	is("2023-11-14 22:13", 1700000000 - 20);
	is("2023-11-14", 1699920000);
}

static void journalctl_forms(void **state)
{
	(void)state;
	zone("UTC");
	is("today", 1699920000);                /* 2023-11-14 00:00 */
	is("yesterday", 1699920000 - 86400);
	is("tomorrow", 1699920000 + 86400);
	is("-1h", NOW - 3600);
	is("-30min", NOW - 1800);
	is("+1h", NOW + 3600);
	is("1 hour ago", NOW - 3600);
	is("2 days ago", NOW - 2 * 86400);
	is("1h 30min ago", NOW - 5400);
	is("1h30m", NOW - 5400);
	is("5 minutes ago", NOW - 300);
	is("2023-11-14 22:13:20 UTC", 1700000000);
	is("22:13:20", 1700000000);
	is("22:13", 1700000000 - 20);
}

static void local_time(void **state)
{
	(void)state;
	zone("CET-1CEST,M3.5.0,M10.5.0/3");     /* Europe/Berlin without tzdata */
	is("today", 1700002800);                /* 2023-11-15 00:00 CET: it is 00:13 there */
	is("yesterday", 1700002800 - 86400);
	is("2023-11-14 23:13:20", 1700000000);  /* local */
	is("2023-11-14 22:13:20 UTC", 1700000000);
	is("00:13:20", NOW);
	is("-1h", NOW - 3600);
}

static void refusals(void **state)
{
	(void)state;
	zone("UTC");
	refused("");
	refused("soon");
	refused("1 fortnight ago");
	refused("ago");
	refused(" ago");
	refused("-");
	refused("-x");
	refused("1h ago ago");
	refused("2023-11-14 22:13:20 CEST");
	refused("2023-13-14");
	refused("25:00");
	refused("99999999999999999999d");
	refused("9999999999999999y");
	refused("1 2");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(what_it_took_before),
		cmocka_unit_test(journalctl_forms),
		cmocka_unit_test(local_time),
		cmocka_unit_test(refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
