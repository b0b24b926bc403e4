/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * secsig(): the signature of a SECCOMP record's line, for the cache of
 * repeated records. Lines that differ only in what no decision depends on
 * (stamps, pid=, ses=, ip=) share it; lines that differ in anything that
 * decides (framing, a value's shape, the label) do not. And
 * secsig_candidate() is its memmem() definition in one pass.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linefilter.h"
#include "secsig.h"

#define BODY(pid, ses, subj, ip) \
	"auid=4294967295 uid=0 gid=0 ses=" ses " subj=" subj " pid=" pid " comm=\"uname\" " \
	"exe=\"/bin/busybox\" sig=0 arch=c000003e syscall=63 compat=0 ip=" ip " code=0x7ffc0000"
#define AUD(stamp, body) "type=SECCOMP msg=audit(" stamp "): " body
#define KERN(date, secs, stamp, body) \
	date " host kernel: [" secs "] audit: type=1326 audit(" stamp "): " body

static const char base[] = AUD("1795391230.428:207", BODY("1442", "4294967295", "docker-default", "0x4cb1a7"));
static const char kbase[] = KERN("Nov 22 08:00:01", "   82.706379", "1795391230.428:207",
				 BODY("1442", "4294967295", "docker-default", "0x4cb1a7"));

static int sig(const char *line, uint64_t *a, uint64_t *b, double *t)
{
	return secsig(line, strlen(line), a, b, t);
}

static void same(const char *x, const char *y)
{
	uint64_t a1, b1, a2, b2;
	double t1, t2;

	assert_int_equal(sig(x, &a1, &b1, &t1), 1);
	assert_int_equal(sig(y, &a2, &b2, &t2), 1);
	if (a1 != a2 || b1 != b2)
		fail_msg("different signatures:\n%s\n%s", x, y);
}

static void differ(const char *x, const char *y)
{
	uint64_t a1, b1, a2 = 0, b2 = 0;
	double t1, t2;

	assert_int_equal(sig(x, &a1, &b1, &t1), 1);
	if (sig(y, &a2, &b2, &t2) && a1 == a2 && b1 == b2)
		fail_msg("the same signature:\n%s\n%s", x, y);
}

static void uncacheable(const char *x)
{
	uint64_t a, b;
	double t;

	if (sig(x, &a, &b, &t))
		fail_msg("cacheable: %s", x);
}

static void left_out(void **state)
{
	uint64_t a, b;
	double t;

	(void)state;
	assert_int_equal(sig(base, &a, &b, &t), 1);
	assert_true(t > 1795391230.427 && t < 1795391230.429);
	same(base, AUD("1700000000.001:9", BODY("1442", "4294967295", "docker-default", "0x4cb1a7")));
	same(base, AUD("1795391230.428:207", BODY("7", "4294967295", "docker-default", "0x4cb1a7")));
	same(base, AUD("1795391230.428:207", BODY("1442", "3", "docker-default", "0x4cb1a7")));
	same(base, AUD("1795391230.428:207", BODY("1442", "4294967295", "docker-default", "0xFFFFffff0000aa")));
	same(kbase, KERN("Nov  2 23:59:59", "1.5", "1795391230.428:207",
			 BODY("99", "4294967295", "docker-default", "0x1")));
}

static void kept(void **state)
{
	(void)state;
	/* the framing origin.c judges */
	differ(kbase, KERN("Nov 22 08:00:01", "", "1795391230.428:207",
			   BODY("1442", "4294967295", "docker-default", "0x4cb1a7")));
	differ(kbase, "Nov 22 08:00:01 host myprog: [   82.706379] audit: type=1326 "
	       "audit(1795391230.428:207): " BODY("1442", "4294967295", "docker-default", "0x4cb1a7"));
	differ(kbase, "Nov 22 08:00:01 other kernel: [   82.706379] audit: type=1326 "
	       "audit(1795391230.428:207): " BODY("1442", "4294967295", "docker-default", "0x4cb1a7"));
	differ(base, "node=a " AUD("1795391230.428:207", BODY("1442", "4294967295", "docker-default", "0x4cb1a7")));
	differ("node=a " AUD("1.0:1", BODY("1", "1", "x", "0x1")), "node=b " AUD("1.0:1", BODY("1", "1", "x", "0x1")));
	differ(base, "type=USER_AVC msg=audit(1795391230.428:207): " BODY("1442", "4294967295", "docker-default", "0x4cb1a7"));
	/* values of another shape: secrec_parse() may refuse them */
	differ(base, AUD("1795391230.428:207", BODY("0", "4294967295", "docker-default", "0x4cb1a7")));
	differ(base, AUD("1795391230.428:207", BODY("01442", "4294967295", "docker-default", "0x4cb1a7")));
	differ(base, AUD("1795391230.428:207", BODY("-1442", "4294967295", "docker-default", "0x4cb1a7")));
	differ(base, AUD("1795391230.428:207", BODY("99999999999", "4294967295", "docker-default", "0x4cb1a7")));
	differ(base, AUD("1795391230.428:207", BODY("1442", "99999999999", "docker-default", "0x4cb1a7")));
	differ(base, AUD("1795391230.428:207", BODY("1442", "", "docker-default", "0x4cb1a7")));
	differ(base, AUD("1795391230.428:207", BODY("1442", "4294967295", "docker-default", "0x")));
	differ(base, AUD("1795391230.428:207", BODY("1442", "4294967295", "docker-default", "4cb1a7")));
	differ(base, AUD("1795391230.428:207", BODY("1442", "4294967295", "docker-default", "0x4cb1a7aaaaaaaaaaaa")));
	/* what secharv keeps */
	differ(base, AUD("1795391230.428:207", BODY("1442", "4294967295", "web", "0x4cb1a7")));
	differ(AUD("1.0:1", BODY("1", "1", "foo ses=1", "0x1")), AUD("1.0:1", BODY("1", "1", "foo ses=2", "0x1")));
	differ(AUD("1.0:1", BODY("1", "1", "foo ip=0x1", "0x1")), AUD("1.0:1", BODY("1", "1", "foo ip=0x2", "0x1")));
	differ(base, AUD("1795391230.428:207", BODY("1442", "4294967295", "docker-default", "0x4cb1a7")) "\x1dSYSCALL=uname");
	differ(AUD("1.0:1", BODY("1", "1", "x", "0x1")) "\x1dSYSCALL=uname",
	       AUD("1.0:1", BODY("1", "1", "x", "0x1")) "\x1dSYSCALL=mount");
}

static void not_cached(void **state)
{
	char *big = malloc(5000);

	(void)state;
	uncacheable("type=SECCOMP msg=audit(0.000:1): " BODY("1", "1", "x", "0x1"));
	uncacheable("type=SECCOMP msg=audit(x): " BODY("1", "1", "x", "0x1"));
	uncacheable("type=SECCOMP " BODY("1", "1", "x", "0x1"));
	uncacheable("type=SECCOMP x=\"y\" msg=audit(1.0:1): " BODY("1", "1", "x", "0x1"));
	uncacheable("type=SECCOMP x='y' msg=audit(1.0:1): " BODY("1", "1", "x", "0x1"));
	uncacheable("type=SECCOMP xmsg=audit(1.0:1): " BODY("1", "1", "x", "0x1"));
	uncacheable("Nov 22 08:00:01 h\"st kernel: audit(1.0:1): " BODY("1", "1", "x", "0x1"));
	memset(big, 'x', 4999);
	big[4999] = '\0';
	memcpy(big, base, strlen(base));
	uncacheable(big);
	free(big);
}

/* what secsig_candidate() answers in one pass, by its definition */
static int ref_candidate(const char *line, size_t len)
{
	return memmem(line, len, "type=1326", 9) || memmem(line, len, "type=SECCOMP", 12) ||
	       (memmem(line, len, " code=0x", 8) && memmem(line, len, " syscall=", 9));
}

/* secsig_candidate() and its definition agree, on any line */
static void candidate(void **state)
{
	static const char *const frag[] = {
		"type=", "1326", "SECCOMP", " code=", "0x", " syscall=", "=", "x", " ", "type",
		" code", " syscall", "13", "SECC", "type=1326", "type=SECCOMP", " code=0x", "audit(",
	};
	char line[200];
	unsigned seed = 1;
	int i;

	(void)state;
	assert_true(secsig_candidate(base, strlen(base)));
	assert_true(secsig_candidate(kbase, strlen(kbase)));
	for (i = 0; i < 200000; i++) {
		size_t n = 0;
		int k = rand_r(&seed) % 12;

		while (k-- > 0) {
			const char *f = frag[rand_r(&seed) % (sizeof(frag) / sizeof(*frag))];

			if (n + strlen(f) >= sizeof(line))
				break;
			memcpy(line + n, f, strlen(f));
			n += strlen(f);
		}
		/* the needle cut at the line's end, or not */
		n -= n ? rand_r(&seed) % 2 : 0;
		if (secsig_candidate(line, n) != ref_candidate(line, n))
			fail_msg("disagree on '%.*s'", (int)n, line);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(left_out),
		cmocka_unit_test(kept),
		cmocka_unit_test(not_cached),
		cmocka_unit_test(candidate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
