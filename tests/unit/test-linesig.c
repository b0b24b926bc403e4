/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * linesig(): one pass over the line gives the signature the copy-then-hash
 * implementation defines. The reference below is that implementation, cut
 * short of its hash: the bytes it hashed, and after them each cut's place
 * and kind (a cut's stand-in is no byte a line could spell: "[]" or "#"
 * written into a line made it share a kernel record's signature). Two
 * lines must get the same signature exactly when the reference gives them
 * the same bytes (what the signature leaves out is a security property:
 * record.c may not depend on it), with the same time and pid.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linesig.h"
#include "logtime.h"

/* ------------------------------------------- the reference (until 2026-11) */

static int ref_is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int ref_key_is(const unsigned char *line, const unsigned char *p, const char *key, size_t kl)
{
	const unsigned char *k = p - kl;

	return k >= line && !memcmp(k, key, kl) && (k == line || k[-1] == ' ' || k[-1] == '\'');
}

/* a cut at n of kind k, in the list after the bytes (ref_linesig) */
static void ref_cut(unsigned char *cuts, size_t *nc, size_t n, unsigned char k)
{
	memcpy(cuts + *nc, &n, sizeof(n));
	cuts[*nc + sizeof(n)] = k;
	*nc += sizeof(n) + 1;
}

/*
 * The bytes linesig() hashes into buf[REF_MAX], then each cut's place and
 * kind, their count in *rn; 0: not cacheable
 */
#define REF_MAX (4096 + 8 + 16384)
static int ref_linesig(const char *line, size_t len, unsigned char *buf, size_t *rn, double *rt,
		       long long *rpid)
{
	const unsigned char *p = (const unsigned char *)line, *end = p + len, *stamp = NULL;
	unsigned char cuts[16384];   /* 9 bytes a cut, a cut at most every 3 bytes */
	size_t n = 0, nc = 0, d;
	int quoted = 0, stamp_ok = 0;

	*rpid = 0;
	if (len > 4096)
		return 0;
	if ((d = record_date_len(line, len)))
		ref_cut(cuts, &nc, n, 'D');
	p += d;
	while (p < end) {
		const unsigned char *run = p;
		unsigned char c;

		while (p < end && *p != '"' && *p != '[' && *p != '(' && *p != '=')
			p++;
		memcpy(buf + n, run, p - run);
		n += p - run;
		if (p >= end)
			break;
		c = *p;
		if (c == '"')
			quoted = !quoted;
		else if (quoted)
			;
		else if (c == '[' && (p == (const unsigned char *)line || p[-1] == ' ')) {
			size_t k = record_boot_secs_len((const char *)p, (const char *)end);

			if (k) {
				ref_cut(cuts, &nc, n, '[');
				p += k;
				continue;
			}
		} else if (c == '(' && p - (const unsigned char *)line >= 5 && !memcmp(p - 5, "audit", 5)) {
			struct audit_stamp st;
			const char *after = audit_stamp_parse((const char *)p + 1, (const char *)end, &st);

			stamp = p + 1;
			stamp_ok = after != NULL;
			if (after) {   /* a stamp the parser takes goes, up to its ')' */
				buf[n++] = '(';
				ref_cut(cuts, &nc, n, '(');
				p = (const unsigned char *)after - 1;
				continue;
			}
		} else if (c == '=' && p > (const unsigned char *)line) {
			const unsigned char *l = (const unsigned char *)line;
			int is_pid = p[-1] == 'd' && ref_key_is(l, p, "pid", 3);

			if (is_pid || (p[-1] == 'd' && (ref_key_is(l, p, "peer_pid", 8) ||
							ref_key_is(l, p, "ppid", 4))) ||
			    (p[-1] == 't' && ref_key_is(l, p, "parent", 6)) ||
			    (p[-1] == 's' && ref_key_is(l, p, "ses", 3))) {
				long long v = 0;

				buf[n++] = '=';
				p++;
				if (p < end && ref_is_digit(*p))
					ref_cut(cuts, &nc, n, '#');
				while (p < end && ref_is_digit(*p) && v < 100000000000LL)
					v = v * 10 + (*p++ - '0');
				if (is_pid)
					*rpid = v;
				continue;
			}
		}
		buf[n++] = c;
		p++;
	}
	if (!stamp || !stamp_ok)
		return 0;
	{
		struct audit_stamp st;

		if (!audit_stamp_parse((const char *)stamp, (const char *)end, &st) || st.epoch <= 0)
			return 0;
		*rt = st.epoch + st.ms / 1000.0;
	}
	memcpy(buf + n, &n, sizeof(n));   /* where the bytes end, then the cuts */
	memcpy(buf + n + sizeof(n), cuts, nc);
	*rn = n + sizeof(n) + nc;
	return 1;
}

/* ------------------------------------------------------------- helpers */

struct ent {
	char *line;
	unsigned char *ref;
	size_t rn;
	uint64_t a, b;
};

/* both implementations on one line: the same verdict, time and pid; fills e */
static int both(const char *line, size_t len, struct ent *e)
{
	unsigned char buf[REF_MAX];
	double t1 = -1, t2 = -1;
	long long p1 = -1, p2 = -1;
	size_t n = 0;
	int r1 = ref_linesig(line, len, buf, &n, &t1, &p1);
	int r2 = linesig(line, len, &e->a, &e->b, &t2, &p2);

	if (r1 != r2 || p1 != p2 || (r1 && t1 != t2))
		fail_msg("'%.*s': reference %d (t %.3f pid %lld), linesig %d (t %.3f pid %lld)",
			 (int)len, line, r1, t1, p1, r2, t2, p2);
	if (r1) {
		e->ref = malloc(n + 1);
		memcpy(e->ref, buf, n);
		e->rn = n;
	}
	return r1;
}

static int cmp_ref(const void *x, const void *y)
{
	const struct ent *a = x, *b = y;
	size_t n = a->rn < b->rn ? a->rn : b->rn;
	int c = memcmp(a->ref, b->ref, n);

	return c ? c : (a->rn > b->rn) - (a->rn < b->rn);
}

static int cmp_sig(const void *x, const void *y)
{
	const struct ent *a = x, *b = y;

	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	return (a->b > b->b) - (a->b < b->b);
}

/* same reference bytes <=> same signature, over all of v */
static void same_classes(struct ent *v, size_t n)
{
	size_t i;

	qsort(v, n, sizeof(*v), cmp_ref);
	for (i = 1; i < n; i++)
		if (!cmp_ref(&v[i - 1], &v[i]) && cmp_sig(&v[i - 1], &v[i]))
			fail_msg("same class, different signatures:\n%s\n%s", v[i - 1].line, v[i].line);
	qsort(v, n, sizeof(*v), cmp_sig);
	for (i = 1; i < n; i++)
		if (!cmp_sig(&v[i - 1], &v[i]) && cmp_ref(&v[i - 1], &v[i]))
			fail_msg("different classes, same signature:\n%s\n%s", v[i - 1].line, v[i].line);
}

static void free_ents(struct ent *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].line);
		free(v[i].ref);
	}
	free(v);
}

/* the lines of the repository's test logs */
static char **test_lines(size_t *rn)
{
	static const char *const pat[] = { "tests/data/harvest/*.log", "tests/data/test_multi/*.in" };
	char **lines = NULL, *l = NULL;
	size_t n = 0, alloc = 0, cap = 0, i, j;

	for (i = 0; i < 2; i++) {
		glob_t g;

		if (glob(pat[i], 0, NULL, &g))
			fail_msg("no %s (run from the source tree)", pat[i]);
		for (j = 0; j < g.gl_pathc; j++) {
			FILE *f = fopen(g.gl_pathv[j], "r");
			ssize_t k;

			assert_non_null(f);
			while ((k = getline(&l, &cap, f)) > 0) {
				if (l[k - 1] == '\n')
					l[--k] = '\0';
				if (n + 1 >= alloc)
					lines = realloc(lines, (alloc = alloc * 2 + 64) * sizeof(*lines));
				lines[n++] = strdup(l);
			}
			fclose(f);
		}
		globfree(&g);
	}
	free(l);
	*rn = n;
	return lines;
}

/* ------------------------------------------------------------- the tests */

/* every line of the test logs, and variants: the reference's classes */
static void classes_on_test_logs(void **state)
{
	size_t n, i, m = 0, ok = 0;
	char **lines = test_lines(&n);
	struct ent *v = calloc(n * 4, sizeof(*v));

	(void)state;
	assert_true(n > 150);
	for (i = 0; i < n; i++) {
		size_t len = strlen(lines[i]), k;
		char *s;

		/* the line, and the line with its stamps' and pids' digits changed */
		for (k = 0; k < 2; k++) {
			s = strdup(lines[i]);
			if (k) {
				char *p;

				for (p = s; *p; p++)
					if (*p >= '1' && *p <= '8' && (p - s) % 3 == 0)
						*p = *p + 1;
			}
			v[m].line = s;
			if (both(s, len, &v[m]))
				m++, ok++;
			else
				free(s);
		}
		free(lines[i]);
	}
	assert_true(ok > 150);   /* most of them are cacheable records */
	same_classes(v, m);
	free_ents(v, m);
	free(lines);
}

/* stamps, pids and [secs] apart, the same signature */
static void stamps_and_pids_left_out(void **state)
{
	static const char *const same[][2] = {
		{ "type=AVC msg=audit(1700000000.028:1001): apparmor=\"DENIED\" operation=\"open\" profile=\"p\" name=\"/etc/x\" pid=123 comm=\"c\" requested_mask=\"r\" denied_mask=\"r\" fsuid=0 ouid=0",
		  "type=AVC msg=audit(1800000000.999:77): apparmor=\"DENIED\" operation=\"open\" profile=\"p\" name=\"/etc/x\" pid=98765 comm=\"c\" requested_mask=\"r\" denied_mask=\"r\" fsuid=0 ouid=0" },
		{ "Sep  9 12:51:36 host kernel: [1000001.901987] audit: type=1400 audit(1700000001.644:1067): apparmor=\"DENIED\" operation=\"change_profile\" profile=\"/x\" pid=719398 comm=\"y\" target=\"/z\"",
		  "Oct 10 01:02:03 host kernel: [   12.5] audit: type=1400 audit(1700000901.004:1): apparmor=\"DENIED\" operation=\"change_profile\" profile=\"/x\" pid=1 comm=\"y\" target=\"/z\"" },
		{ "type=USER_AVC msg=audit(1700000000.1:5): pid=1 uid=0 auid=4294967295 ses=4294967295 msg='apparmor=\"DENIED\" operation=\"dbus_method_call\" bus=\"system\" pid=55 peer_pid=66 label=\"a\" peer_label=\"b\"'",
		  "type=USER_AVC msg=audit(1700000000.2:6): pid=1 uid=0 auid=4294967295 ses=2 msg='apparmor=\"DENIED\" operation=\"dbus_method_call\" bus=\"system\" pid=55 peer_pid=9 label=\"a\" peer_label=\"b\"'" },
		{ "2023-11-14T22:13:20.123456+00:00 host kernel: audit: type=1400 audit(1700000000.000:2): apparmor=\"ALLOWED\" operation=\"exec\" profile=\"q\" name=\"/bin/sh\" pid=4 parent=3 comm=\"sh\"",
		  "2024-01-01T00:00:00Z host kernel: audit: type=1400 audit(1700000002.500:3): apparmor=\"ALLOWED\" operation=\"exec\" profile=\"q\" name=\"/bin/sh\" pid=40 parent=30 comm=\"sh\"" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		struct ent x = { 0 }, y = { 0 };

		assert_true(both(same[i][0], strlen(same[i][0]), &x));
		assert_true(both(same[i][1], strlen(same[i][1]), &y));
		if (x.a != y.a || x.b != y.b)
			fail_msg("different signatures:\n%s\n%s", same[i][0], same[i][1]);
		free(x.ref);
		free(y.ref);
	}
}

/*
 * Every other byte counts: each position of real records, one byte
 * changed at a time (to a few values), gives another signature unless the
 * reference says the byte is left out.
 */
static void every_other_byte_counts(void **state)
{
	static const char repl[] = { 'x', '0', '9', '"', '=', ' ', '(', '[', ')', '.', '\'', 'A' };
	size_t n, i, checked = 0;
	char **lines = test_lines(&n);

	(void)state;
	for (i = 0; i < n; i += 5) {
		size_t len = strlen(lines[i]), pos, r;
		struct ent o = { 0 };

		if (!both(lines[i], len, &o)) {
			free(lines[i]);
			continue;
		}
		for (pos = 0; pos < len; pos++)
			for (r = 0; r < sizeof(repl); r++) {
				char *s;
				struct ent e = { 0 };

				if (repl[r] == lines[i][pos])
					continue;
				s = strdup(lines[i]);
				s[pos] = repl[r];
				if (both(s, len, &e)) {
					int same_ref = !cmp_ref(&o, &e), same_sig = !cmp_sig(&o, &e);

					if (same_ref != same_sig)
						fail_msg("byte %zu to '%c': reference %s, signature %s\n%s",
							 pos, repl[r], same_ref ? "same" : "differs",
							 same_sig ? "same" : "differs", s);
					checked += !same_ref;
				}
				free(e.ref);
				free(s);
			}
		free(o.ref);
		free(lines[i]);
	}
	for (i = 0; i < n; i++)
		if (i % 5)
			free(lines[i]);
	free(lines);
	assert_true(checked > 10000);
}

/* random lines built from the pieces the signature looks at */
static void random_lines(void **state)
{
	static const char *const piece[] = {
		"audit(", "1700000000.123:45)", "0.0:0)", ")", "pid=", "ppid=", "peer_pid=", "parent=",
		"ses=", "xpid=", "'pid=", "\"", "=", "[", "[ 12.5]", "[1.]", "]", " ", "12", "007",
		"123456789012345", "a", "apparmor=\"DENIED\"", "type=AVC msg=", "Jan  1 00:00:00 h k: ",
		"2023-11-14T22:13:20Z ", "(", "d=", "t=", "s=", "'", "abcdefgh",
	};
	const size_t np = sizeof(piece) / sizeof(piece[0]);
	size_t i, m = 0, cap = 20000;
	struct ent *v = calloc(cap, sizeof(*v));
	unsigned long long x = 0x9e3779b97f4a7c15ull;

	(void)state;
	for (i = 0; i < cap; i++) {
		char s[512];
		size_t len = 0, k, parts;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		parts = 2 + x % 14;
		/* most of them with a stamp, so that they are cacheable */
		if (x & 0x30)
			len += (size_t)snprintf(s, sizeof(s), "type=AVC msg=audit(17000000%02llu.%llu:%llu): ",
						x % 100, (x >> 8) % 3, (x >> 12) % 4);
		for (k = 0; k < parts; k++) {
			const char *pc;

			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			pc = piece[x % np];
			if (len + strlen(pc) >= sizeof(s))
				break;
			memcpy(s + len, pc, strlen(pc));
			len += strlen(pc);
		}
		s[len] = '\0';
		v[m].line = strdup(s);
		if (both(s, len, &v[m]))
			m++;
		else
			free(v[m].line);
	}
	assert_true(m > 1000);
	same_classes(v, m);
	free_ents(v, m);
}

/* the longest cacheable line, and one byte more */
static void length_limit(void **state)
{
	char *s = malloc(LINESIG_MAX + 2);
	struct ent e = { 0 };
	const char *head = "type=AVC msg=audit(1700000000.1:2): apparmor=\"DENIED\" name=\"";

	(void)state;
	memset(s, 'x', LINESIG_MAX + 1);
	memcpy(s, head, strlen(head));
	s[LINESIG_MAX + 1] = '\0';
	assert_true(both(s, LINESIG_MAX, &e));
	free(e.ref);
	assert_false(both(s, LINESIG_MAX + 1, &e));
	free(s);
}

/* the process's secret starts the hashes: the same line, another signature */
static void keyed(void **state)
{
	const char *l = "type=AVC msg=audit(1700000000.1:2): apparmor=\"DENIED\" name=\"/x\" pid=1";
	uint64_t a0, b0, a1, b1;
	double t;
	long long pid;

	(void)state;
	assert_true(linesig(l, strlen(l), &a0, &b0, &t, &pid));
	sig_key_init();
	assert_true(sig_key[0] | sig_key[1]);
	assert_true(linesig(l, strlen(l), &a1, &b1, &t, &pid));
	assert_true(a0 != a1 && b0 != b1);
	sig_key[0] = sig_key[1] = 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(classes_on_test_logs),
		cmocka_unit_test(stamps_and_pids_left_out),
		cmocka_unit_test(every_other_byte_counts),
		cmocka_unit_test(random_lines),
		cmocka_unit_test(length_limit),
		cmocka_unit_test(keyed),
	};

	return cmocka_run_group_tests_name("linesig", tests, NULL, NULL);
}
