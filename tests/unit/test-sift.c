/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The scanner's per-line tests, made cheap, against what they replaced:
 * the sieve (linefilter.h: SSE2 and, where the CPU has it, AVX2 search for
 * apparmor=", one pass for the lost-record markers, no memmem; secsig.c's
 * SECCOMP candidates) and the audit stamp's one-pass reading (logtime.c), on real and random lines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linefilter.h"
#include "logtime.h"
#include "secsig.h"

/* ---------------------------------------------- the references (until 2026-11) */

static int ref_lost_marker(const char *line, size_t len)
{
	if (len > 5 && !memcmp(line, "type=", 5) && !(len > 11 && !memcmp(line + 5, "DAEMON", 6)))
		return 0;
	return memmem(line, len, "audit_lost=", 11) || memmem(line, len, "callbacks suppressed", 20) ||
	       memmem(line, len, "backlog limit exceeded", 22) ||
	       memmem(line, len, "rate limit exceeded", 19);
}

static int ref_maybe_apparmor(const char *line, size_t len)
{
	if (memmem(line, len, "apparmor=\"", 10))
		return 1;
	if (len > 13 && !memcmp(line, "type=APPARMOR", 13))
		return 1;
	if (len > 5 && !memcmp(line, "type=", 5))
		return len > 16 && !memcmp(line + 5, "UNKNOWN[150", 11);
	return memmem(line, len, "type=150", 8) != NULL;
}

static int ref_maybe_seccomp(const char *line, size_t len)
{
	return memmem(line, len, "type=1326", 9) || memmem(line, len, "type=SECCOMP", 12) ||
	       (memmem(line, len, " code=0x", 8) && memmem(line, len, " syscall=", 9));
}

static int ref_decimal(const char *v, size_t n, long long *ret)
{
	long long x = 0;
	int neg = 0;
	size_t i = 0;

	if (n && (v[0] == '-' || v[0] == '+'))
		neg = v[i++] == '-';
	if (i == n)
		return -1;
	for (; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		if (x > (LLONG_MAX - 9) / 10)
			return -1;
		x = x * 10 + (v[i] - '0');
	}
	*ret = neg ? -x : x;
	return 0;
}

static const char *ref_stamp(const char *s, const char *end, struct audit_stamp *ret)
{
	const char *p = s, *dot, *colon;
	long long epoch, ms, serial;

	while (p < end && *p != ')')
		p++;
	if (p >= end)
		return NULL;
	dot = memchr(s, '.', p - s);
	colon = memchr(s, ':', p - s);
	if (!dot || !colon || colon < dot ||
	    ref_decimal(s, dot - s, &epoch) < 0 || epoch < 0 ||
	    ref_decimal(dot + 1, colon - dot - 1, &ms) < 0 || ms < 0 || ms > 999 ||
	    ref_decimal(colon + 1, p - colon - 1, &serial) < 0 || serial < 0)
		return NULL;
	ret->epoch = epoch;
	ret->ms = (unsigned)ms;
	ret->serial = (unsigned long long)serial;
	return p + 1;
}

/* ------------------------------------------------------------- helpers */

static unsigned long long rnd_state = 0x2545f4914f6cdd1dull;

static unsigned long long rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

/* every predicate, new against old, on one line (a copy of exactly len bytes) */
static void check_line(const char *s, size_t len)
{
	char *line = malloc(len ? len : 1);   /* the sanitizers see any read past it */
	int want;

	memcpy(line, s, len);
	want = memmem(line, len, "apparmor=\"", 10) != NULL;
	if (line_has_apparmor_key_sse2(line, len) != want)
		fail_msg("sse2 apparmor=\" %d on '%.*s'", !want, (int)len, line);
#ifdef LINEFILTER_AVX2
	if (linefilter_avx2() && line_has_apparmor_key_avx2(line, len) != want)
		fail_msg("avx2 apparmor=\" %d on '%.*s'", !want, (int)len, line);
#endif
	if (line_has_apparmor_key(line, len) != want)
		fail_msg("apparmor=\" %d on '%.*s'", !want, (int)len, line);
	if (line_is_lost_marker(line, len) != ref_lost_marker(line, len))
		fail_msg("lost marker %d on '%.*s'", !ref_lost_marker(line, len), (int)len, line);
	if (line_maybe_apparmor(line, len) != ref_maybe_apparmor(line, len))
		fail_msg("maybe apparmor %d on '%.*s'", !ref_maybe_apparmor(line, len), (int)len, line);
	if (secsig_candidate(line, len) != ref_maybe_seccomp(line, len))
		fail_msg("maybe seccomp %d on '%.*s'", !ref_maybe_seccomp(line, len), (int)len, line);
	free(line);
}

static void check_stamp(const char *s, size_t len)
{
	struct audit_stamp a = { -1, 0, 0 }, b = { -1, 0, 0 };
	const char *x = ref_stamp(s, s + len, &a), *y = audit_stamp_parse(s, s + len, &b);

	if (x != y || (x && (a.epoch != b.epoch || a.ms != b.ms || a.serial != b.serial)))
		fail_msg("stamp '%.*s': reference %s %lld.%u:%llu, now %s %lld.%u:%llu", (int)len, s,
			 x ? "taken" : "refused", a.epoch, a.ms, a.serial, y ? "taken" : "refused",
			 b.epoch, b.ms, b.serial);
}

/* ------------------------------------------------------------- the tests */

static void real_lines(void **state)
{
	static const char *const pat[] = { "tests/data/harvest/*.log", "tests/data/test_multi/*.in",
					   "tests/data/*/*.log" };
	char *l = NULL;
	size_t cap = 0, i, j, n = 0, hits = 0;

	(void)state;
	for (i = 0; i < sizeof(pat) / sizeof(pat[0]); i++) {
		glob_t g;

		if (glob(pat[i], 0, NULL, &g))
			continue;
		for (j = 0; j < g.gl_pathc; j++) {
			FILE *f = fopen(g.gl_pathv[j], "r");
			ssize_t k;

			if (!f)
				continue;
			while ((k = getline(&l, &cap, f)) > 0) {
				const char *a;
				size_t cut;

				if (l[k - 1] == '\n')
					k--;
				/* the line, and every prefix of it (the ends of the searches) */
				for (cut = 0; cut <= (size_t)k; cut++)
					check_line(l, cut);
				hits += line_maybe_apparmor(l, k);
				a = memmem(l, k, "audit(", 6);
				for (cut = 0; a && a + 6 + cut <= l + k; cut++)
					check_stamp(a + 6, cut);
				n++;
			}
			fclose(f);
		}
		globfree(&g);
	}
	free(l);
	assert_true(n > 200);
	assert_true(hits > 100);
}

/* random lines from the pieces the tests look for, with the needles at every offset */
static void random_lines(void **state)
{
	static const char *const piece[] = {
		"apparmor=\"", "apparmor=", "apparmor", "aapparmor=\"\"", "type=", "type=150", "type=1501",
		"type=APPARMOR", "type=UNKNOWN[1500]", "type=DAEMON_END", "type=1326", "type=SECCOMP",
		" code=0x", " syscall=", "audit_lost=", "audit_lost", "callbacks suppressed",
		"callbacks suppresse", "backlog limit exceeded", "rate limit exceeded", "ed", "t=", "e",
		"d", "=", "\"", "a", " ", "x", "\n", "\0", "\xff", "0123456789abcdef",
	};
	const size_t np = sizeof(piece) / sizeof(piece[0]);
	size_t i, k, off, ln, want = 0;
	char s[600];

	(void)state;
	for (i = 0; i < 200000; i++) {
		size_t len = 0, parts = rnd() % 12;

		for (k = 0; k < parts; k++) {
			const char *pc = piece[rnd() % np];
			size_t pl = *pc ? strlen(pc) : 1;

			if (rnd() % 3 == 0) {   /* filler */
				size_t f = rnd() % 40;

				if (len + f >= sizeof(s))
					break;
				memset(s + len, 'a' + (int)(rnd() % 26), f);
				len += f;
			}
			if (len + pl >= sizeof(s))
				break;
			memcpy(s + len, pc, pl);
			len += pl;
		}
		check_line(s, len);
		want += line_has_apparmor_key(s, len);
	}
	/* the needle at every offset of lines of every length up to 100 */
	for (ln = 10; ln <= 100; ln++)
		for (off = 0; off + 10 <= ln; off++) {
			memset(s, 'a', ln);
			memcpy(s + off, "apparmor=\"", 10);
			check_line(s, ln);
			s[off + 9] = 'x';
			check_line(s, ln);
			memset(s, '"', ln);
			memcpy(s + off, "type=150", 8);
			check_line(s, ln);
		}
	assert_true(want > 1000);
}

static void stamps(void **state)
{
	static const char *const fixed[] = {
		"1700000000.028:1001)", "1700000000.028:1001", "0.0:0)", "1.999:2)", "1.1000:2)",
		"+1.5:2)", "-1.5:2)", "1.-0:2)", "1.+5:+2)", "1.5:2:3)", "1:5.2)", "1..5:2)", ".5:2)",
		"1.:2)", "1.5:)", "123456789012345678.5:1)", "1234567890123456789.5:1)",
		"9223372036854775807.5:1)", "9223372036854775808.5:1)", "1.5:999999999999999999)",
		"1.5:9999999999999999999)", "1.000000000000000000000001:1)", "1.5:2) x", ")", "",
		"1 .5:2)", "1.5:2 )", "00001.05:0002)", "1.5:2)audit(3.4:5)",
	};
	static const char alpha[] = "0123456789.:)+- x9";
	size_t i, k;
	char s[64];

	(void)state;
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		check_stamp(fixed[i], strlen(fixed[i]));
	for (i = 0; i < 300000; i++) {
		size_t n = rnd() % 40;

		for (k = 0; k < n; k++)
			s[k] = rnd() % 3 ? "0123456789"[rnd() % 10] : alpha[rnd() % (sizeof(alpha) - 1)];
		check_stamp(s, n);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(real_lines),
		cmocka_unit_test(random_lines),
		cmocka_unit_test(stamps),
	};

#ifdef LINEFILTER_AVX2
	if (!linefilter_avx2())
		fprintf(stderr, "note: no AVX2 on this CPU, its search untested\n");
#endif
	return cmocka_run_group_tests_name("sift", tests, NULL, NULL);
}
