/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * abi.c: the table of rule forms per ABI and target kernel, the feature
 * sets (abi files as AppArmor 3.0 to 5.0 ship them in tests/data/abi/, the
 * 7.3 kernel's features directory), the abi rule of profile text, and the
 * "network, for unix sockets" check.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "abi.h"
#include "rclass.h"
#include "util.h"

static char *data(const char *name)
{
	const char *src = getenv("AAPROF_SRCDIR");

	if (!src)
		fail_msg("set AAPROF_SRCDIR to the source tree");
	return xasprintf("%s/tests/data/abi/%s", src, name);
}

/* the target of "abi <abi/V>," (NULL: no abi rule) with the kernel features kernel (NULL: none) */
static unsigned enforced(const char *abi, const char *kernel)
{
	_cleanup_free_ char *text = abi ? xasprintf("abi <abi/%s>,\nprofile p {\n}\n", abi) : NULL;
	_cleanup_free_ char *dir = data(""), *kpath = kernel ? data(kernel) : NULL;
	struct abi_target t;
	unsigned bits;

	if (abi_target_init(&t, text, dir, kpath) < 0)
		fail_msg("abi %s, kernel %s: refused", abi ? abi : "none", kernel ? kernel : "none");
	bits = t.enforced;
	abi_target_release(&t);
	return bits;
}

/* the table: one row per kind, each a class's or the network addresses' */
static void table(void **state)
{
	size_t n, i;
	const struct abi_form *f = abi_forms(&n);
	unsigned seen = 0;

	(void)state;
	for (i = 0; i < n; i++) {
		assert_false(seen & f[i].bit);
		seen |= f[i].bit;
		assert_non_null(f[i].feature);
		assert_true(f[i].min_version == 30 || f[i].min_version == 40 || f[i].min_version == 50);
	}
	assert_int_equal(seen, HF_NET_FINE | HF_NET_ADDR | HF_UNIX | HF_USERNS | HF_IO_URING |
			 HF_MQUEUE);
}

/* the decisions, per ABI alone */
static void per_abi(void **state)
{
	(void)state;
	/* abi 3.0 (and no abi rule): network FAMILY TYPE, unix rules (Ubuntu's af_unix) */
	assert_int_equal(enforced("3.0", NULL), HF_UNIX);
	assert_int_equal(enforced(NULL, NULL), HF_UNIX);
	assert_int_equal(enforced("4.0", NULL), HF_NET_FINE | HF_UNIX | HF_USERNS | HF_MQUEUE);
	assert_int_equal(enforced("5.0", NULL), HF_NET_FINE | HF_NET_ADDR | HF_UNIX | HF_USERNS |
			 HF_MQUEUE | HF_IO_URING);
}

/* ... and on Debian's 7.3 kernel: no af_inet (addresses), no ipc (mqueue),
   unix only through network_v9 (abi 5.0) */
static void per_abi_on_7_3(void **state)
{
	(void)state;
	assert_int_equal(enforced("3.0", "features-7.3"), 0);
	assert_int_equal(enforced("4.0", "features-7.3"), HF_NET_FINE | HF_USERNS);
	assert_int_equal(enforced("5.0", "features-7.3"), HF_NET_FINE | HF_UNIX | HF_USERNS |
			 HF_IO_URING);
	/* an abi file as the target: the fleet pinned to abi 4.0 */
	assert_int_equal(enforced("5.0", "4.0"), HF_NET_FINE | HF_UNIX | HF_USERNS | HF_MQUEUE);
}

/* the built-in ABIs say what the real abi files say, for every feature of the table */
static void builtin_matches_files(void **state)
{
	static const char *const abis[] = { "3.0", "4.0", "5.0" };
	size_t n, i, k;
	const struct abi_form *f = abi_forms(&n);

	(void)state;
	for (k = 0; k < ARRAY_SIZE(abis); k++) {
		_cleanup_free_ char *path = data(abis[k]), *text = NULL;
		_cleanup_free_ char *rule = xasprintf("abi <abi/%s>,\n", abis[k]);
		features_t *file = features_load(path);
		struct abi_target t;

		assert_non_null(file);
		assert_int_equal(abi_target_init(&t, rule, NULL, NULL), 0);
		for (i = 0; i < n; i++) {
			if (features_has(file, f[i].feature, f[i].word) !=
			    features_has(t.abi_feat, f[i].feature, f[i].word))
				fail_msg("abi %s: %s differs from the file", abis[k], f[i].feature);
			if (f[i].feature2 && features_has(file, f[i].feature2, f[i].word2) !=
			    features_has(t.abi_feat, f[i].feature2, f[i].word2))
				fail_msg("abi %s: %s differs from the file", abis[k], f[i].feature2);
		}
		abi_target_release(&t);
		features_free(file);
	}
}

static void features(void **state)
{
	features_t *f = features_parse("namespaces {mask {userns_create\n}\npivot_root {no\n}\n}\n"
				       "caps {mask {chown kill\n}\n}\n");
	_cleanup_free_ char *dir = data("features-7.3");
	features_t *k;

	(void)state;
	assert_true(features_has(f, "namespaces/mask", "userns_create"));
	assert_true(features_has(f, "namespaces", NULL));
	assert_false(features_has(f, "namespaces/pivot_root", NULL));   /* "no" */
	assert_true(features_has(f, "caps/mask", "kill"));
	assert_false(features_has(f, "caps/mask", "kil"));
	assert_false(features_has(f, "io_uring/mask", NULL));
	features_free(f);
	k = features_load(dir);
	assert_non_null(k);
	assert_true(features_has(k, "network_v9/af_unix", NULL));
	assert_true(features_has(k, "io_uring/mask", "override_creds"));
	assert_false(features_has(k, "network_v8/af_inet", NULL));
	features_free(k);
	quiet_errors = 1;
	assert_null(features_load("/nonexistent/features"));
	quiet_errors = 0;
}

static void abi_rule(void **state)
{
	char *a;

	(void)state;
	a = abi_of_text("# c\nabi <abi/4.0>,\ninclude <tunables/global>\nprofile p {\n}\n");
	assert_string_equal(a, "abi/4.0");
	free(a);
	a = abi_of_text("  abi \"abi/5.0\",\nprofile p {}\n");
	assert_string_equal(a, "abi/5.0");
	free(a);
	/* one in a profile's block is not the file's */
	assert_null(abi_of_text("profile p {\n  abi <abi/4.0>,\n}\n"));
	assert_null(abi_of_text("include <tunables/global>\n/usr/bin/x {\n}\n"));
	assert_null(abi_of_text("abi <>,\n"));
}

/* an abi file aaprof does not know is read from the profile directory; none there is an error */
static void other_abi(void **state)
{
	_cleanup_free_ char *dir = data("");
	struct abi_target t;

	(void)state;
	assert_int_equal(abi_target_init(&t, "abi <features-7.3>,\n", dir, NULL), 0);
	assert_int_equal(t.version, 0);
	assert_int_equal(t.enforced, HF_NET_FINE | HF_UNIX | HF_USERNS | HF_IO_URING);
	abi_target_release(&t);
	quiet_errors = 1;
	assert_int_equal(abi_target_init(&t, "abi <abi/9.9>,\n", dir, NULL), -1);
	quiet_errors = 0;
	abi_target_release(&t);
}

static void unix_by_network(void **state)
{
	struct strbuf why = STRBUF_INIT;

	(void)state;
	assert_int_equal(abi_unix_by_network("abi <abi/5.0>,\nprofile p {\n  network,\n}\n", NULL,
					     &why), 1);
	assert_non_null(strstr(why.buf, "network_v9/af_unix"));
	strbuf_reset(&why);
	/* abi 3.0 and 4.0: network, covers unix sockets */
	assert_int_equal(abi_unix_by_network("abi <abi/3.0>,\nprofile p {\n  network,\n}\n", NULL,
					     &why), 0);
	assert_int_equal(abi_unix_by_network("abi <abi/4.0>,\nprofile p {\n  network,\n}\n", NULL,
					     &why), 0);
	/* unix rules of its own, a deny, a narrower network rule, no abi */
	assert_int_equal(abi_unix_by_network("abi <abi/5.0>,\nprofile p {\n  network,\n  unix (send) "
					     "type=stream,\n}\n", NULL, &why), 0);
	assert_int_equal(abi_unix_by_network("abi <abi/5.0>,\nprofile p {\n  deny network,\n}\n",
					     NULL, &why), 0);
	assert_int_equal(abi_unix_by_network("abi <abi/5.0>,\nprofile p {\n  network inet,\n}\n",
					     NULL, &why), 0);
	assert_int_equal(abi_unix_by_network("profile p {\n  network,\n}\n", NULL, &why), 0);
	assert_int_equal(why.len, 0);
	strbuf_release(&why);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table),
		cmocka_unit_test(per_abi),
		cmocka_unit_test(per_abi_on_7_3),
		cmocka_unit_test(builtin_matches_files),
		cmocka_unit_test(features),
		cmocka_unit_test(abi_rule),
		cmocka_unit_test(other_abi),
		cmocka_unit_test(unix_by_network),
	};

	return cmocka_run_group_tests_name("abi", tests, NULL, NULL);
}
