/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * origin.c reads a line's framing byte by byte from its start: every
 * prefix of every real framing, and lines of blanks only, each in a heap
 * buffer of exactly its size (so AddressSanitizer sees any read past the
 * end), get a verdict and never read outside the line. The fuzz smoke
 * found a one-blank line read one byte past its end (dmesg_date_len).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "origin.h"

static const char *const framings[] = {
	"type=AVC msg=audit(1700000000.123:42): apparmor=\"DENIED\"",
	"node=web1 type=AVC msg=audit(1700000000.123:42): apparmor=\"DENIED\"",
	"Nov 22 08:00:01 web1 kernel: [ 12.345678] audit: type=1400 audit(1700000000.123:42):",
	"2025-11-22T08:00:01.123456+00:00 web1 kernel: audit: type=1400 audit(1700000000.123:42):",
	"2025-11-22 08:00:01 web1 kernel: audit: type=1400 audit(1700000000.123:42):",
	"[Sat Nov 22 08:00:01 2025] audit: type=1400 audit(1700000000.123:42):",
	"<5>[   12.345678] [  T44] audit: type=1400 audit(1700000000.123:42):",
	"kernel: audit: type=1400 audit(1700000000.123:42):",
	"[  C1]",
	"[",
};

/* the verdicts on [p, p + n) in a buffer of exactly n bytes */
static void judge(const char *p, size_t n)
{
	char *b = malloc(n ? n : 1);
	const char *why = NULL, *host;
	size_t hl;

	assert_non_null(b);
	memcpy(b, p, n);
	origin_of(b, b + n, 1400, NULL, NULL, NULL, -1, "no header", &why);
	origin_of_seccomp(b, b + n, 1326, &why);
	origin_host(b, b + n, &host, &hl);
	free(b);
}

static void prefixes(void **state)
{
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(framings) / sizeof(*framings); i++)
		for (n = 0; n <= strlen(framings[i]); n++)
			judge(framings[i], n);
}

static void blanks(void **state)
{
	static const char sp[] = "                                        ";
	size_t n;

	(void)state;
	for (n = 0; n < sizeof(sp); n++) {
		const char *why = NULL;
		char *b = malloc(n ? n : 1);

		assert_non_null(b);
		memcpy(b, sp, n);
		assert_int_equal(origin_of(b, b + n, 1400, NULL, NULL, NULL, -1, "no header", &why),
				 RO_USER);
		assert_non_null(why);
		free(b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(prefixes),
		cmocka_unit_test(blanks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
