/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rclass.c: the class table is complete, and the one permission-letter
 * parser reads each of its three syntaxes as the code it replaced did
 * (a record's mask, aaprof's own section text, apparmor_parser's policy
 * reading), the printer writes what the parser reads back, and the access
 * words round-trip.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "profile.h"
#include "rclass.h"
#include "strbuf.h"

static unsigned parse(const char *s, enum perm_syntax how)
{
	unsigned bits = 12345;

	if (perm_parse(s, strlen(s), how, &bits) < 0)
		fail_msg("'%s' refused (syntax %d)", s, (int)how);
	return bits;
}

static void refused(const char *s, enum perm_syntax how)
{
	unsigned bits = 12345;

	if (perm_parse(s, strlen(s), how, &bits) == 0)
		fail_msg("'%s' read (syntax %d) as %#x", s, (int)how, bits);
	assert_int_equal(bits, 12345);   /* untouched on failure */
}

static void table(void **state)
{
	int c, features = 0;

	(void)state;
	for (c = 0; c < RC_COUNT; c++) {
		const struct rclass_info *ri = rclass_info((enum rclass)c);

		assert_int_equal(ri->cls, c);
		assert_non_null(ri->name);
		/* each feature one class (abi.c's table says where it is enforced) */
		assert_false(features & ri->feature);
		features |= ri->feature;
	}
	assert_int_equal(features, HF_NET_FINE | HF_MQUEUE | HF_USERNS | HF_IO_URING | HF_UNIX);
	assert_string_equal(rclass_info(RC_OPAQUE)->name, "kept");
	assert_string_equal(rclass_info(RC_UMOUNT)->danger, "mount");
}

static void kernel_masks(void **state)
{
	(void)state;
	assert_int_equal(parse("rw", PERM_KERNEL), FP_R | FP_W);
	assert_int_equal(parse("c", PERM_KERNEL), FP_W);
	assert_int_equal(parse("d", PERM_KERNEL), FP_W);
	assert_int_equal(parse("x", PERM_KERNEL), FP_X);
	assert_int_equal(parse("mrwalk", PERM_KERNEL), FP_M | FP_R | FP_W | FP_A | FP_L | FP_K);
	/* what is no file permission in a mask ("N", "::") is ignored */
	assert_int_equal(parse("rN:", PERM_KERNEL), FP_R);
}

static void aaprof_text(void **state)
{
	(void)state;
	assert_int_equal(parse("rw", PERM_AAPROF), FP_R | FP_W);
	assert_int_equal(parse("mrix", PERM_AAPROF), FP_M | FP_R | FP_IX);
	assert_int_equal(parse("px", PERM_AAPROF), FP_PX);
	assert_int_equal(parse("cx", PERM_AAPROF), FP_CX);
	assert_int_equal(parse("x", PERM_AAPROF), FP_IX);
	refused("rd", PERM_AAPROF);
	refused("R", PERM_AAPROF);
	refused("rw,", PERM_AAPROF);
}

static void policy_text(void **state)
{
	(void)state;
	assert_int_equal(parse("w", PERM_POLICY), FP_W | FP_A);
	assert_int_equal(parse("RW", PERM_POLICY), FP_R | FP_W | FP_A);
	assert_int_equal(parse("Px", PERM_POLICY), FP_X);
	assert_int_equal(parse("cux", PERM_POLICY), FP_X);
	assert_int_equal(parse("mrk", PERM_POLICY), FP_M | FP_R | FP_K);
	refused("I", PERM_POLICY);
	refused("rd", PERM_POLICY);
	refused("/tmp", PERM_POLICY);
}

static void round_trip(void **state)
{
	static const char *const texts[] = { "r", "rw", "mrwlk", "a", "ix", "mrpx", "rcx", "rwk" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct strbuf sb = STRBUF_INIT;

		perm_format(&sb, parse(texts[i], PERM_AAPROF));
		assert_string_equal(sb.buf, texts[i]);
		strbuf_release(&sb);
	}
}

static void access_words(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	const char *bad = NULL;
	unsigned bits = 0;
	int w;

	(void)state;
	for (w = 0; w < AW_COUNT; w++) {
		unsigned b;

		strbuf_reset(&sb);
		access_words_format(&sb, 1u << w, 0);
		assert_int_equal(access_words_parse(sb.buf, &b, &bad), 0);
		assert_int_equal(b, 1u << w);
		assert_true(access_word_known(sb.buf + 1));
	}
	assert_int_equal(access_words_parse("send, receive userns_create", &bits, &bad), 0);
	assert_int_equal(bits, AW_BIT(SEND) | AW_BIT(RECEIVE) | AW_BIT(CREATE));
	strbuf_reset(&sb);
	access_words_format(&sb, bits, 0);
	assert_string_equal(sb.buf, " (create, receive, send)");
	strbuf_reset(&sb);
	access_words_format(&sb, AW_BIT(SEND), 1);
	assert_string_equal(sb.buf, " (send)");
	assert_int_equal(access_words_parse("send sendall", &bits, &bad), -1);
	assert_string_equal(bad, "sendall");
	assert_true(access_word_known("rw"));
	assert_false(access_word_known("x"));
	strbuf_release(&sb);
}

static void rule_text(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	rclass_format_rule(RC_FILE, "owner /tmp/x", FP_R | FP_W, "", &sb);
	assert_string_equal(sb.buf, "owner /tmp/x rw");
	strbuf_reset(&sb);
	rclass_format_rule(RC_UNIX, "unix", AW_BIT(CONNECT), "type=stream", &sb);
	assert_string_equal(sb.buf, "unix (connect) type=stream");
	strbuf_reset(&sb);
	rclass_format_rule(RC_SIGNAL, "signal", AW_BIT(SEND), "set=hup", &sb);
	assert_string_equal(sb.buf, "signal send set=hup");
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table),
		cmocka_unit_test(kernel_masks),
		cmocka_unit_test(aaprof_text),
		cmocka_unit_test(policy_text),
		cmocka_unit_test(round_trip),
		cmocka_unit_test(access_words),
		cmocka_unit_test(rule_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
