/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * msg.c: what the message hook receives, and its escaper against
 * strbuf_add_printable() (sanitise.c) byte for byte, on chosen and on
 * random input: a log value shows the same in a message and in a report.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "sanitise.h"
#include "strbuf.h"

static void add_message(const char *text, void *data)
{
	strbuf_addf(data, "%s\n", text);
}

static void put_strbuf(const char *p, size_t n, void *data)
{
	strbuf_add(data, p, n);
}

static void same_escaping(const char *s, size_t len, const char *keep)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;

	escape_printable(s, len, keep, put_strbuf, &a);
	strbuf_add_printable(&b, s, len, keep);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.buf, b.buf, a.len);
	strbuf_release(&a);
	strbuf_release(&b);
}

static void hook(void **state)
{
	struct strbuf got = STRBUF_INIT;

	(void)state;
	set_message_hook(add_message, &got);
	assert_int_equal(error("cannot read '%s'", "a\x1b[2Jb\nc"), -1);
	errno = ENOENT;
	assert_int_equal(error_errno("cannot open '%s'", "x"), -1);
	assert_int_equal(errno, ENOENT);
	warning("w %d", 1);
	note("held back:\n\t%s", "r\xe2\x80\xae");
	quiet_errors = 1;
	error("not shown");
	quiet_errors = 0;
	set_message_hook(NULL, NULL);
	assert_string_equal(got.buf,
			    "error: cannot read 'a\\e[2Jb\nc'\n"
			    "error: cannot open 'x': No such file or directory\n"
			    "warning: w 1\n"
			    "held back:\n\tr\\u{202E}\n");
	strbuf_release(&got);
}

static void escaping(void **state)
{
	static const char *const samples[] = {
		"", "plain /path", "tab\tnl\ncr\resc\033del\177nul", "\302\233csi", "\xc2\x80\xc2\x9f\xc2\xa0", "\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c",
		"\xe2\x81\xa6\xe2\x81\xa9\xe2\x80\xaa\xe2\x80\xae\xe2\x80\xaf",
		"\xff\xfe\xc0\x80\xed\xa0\x80\xf4\x90\x80\x80", "\xe2\x82", "\xf0\x9f\x98\x80",
		"caf\xc3\xa9",
	};
	unsigned char buf[64];
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		same_escaping(samples[i], strlen(samples[i]), NULL);
		same_escaping(samples[i], strlen(samples[i]), "\n\t");
	}
	same_escaping("a\0b", 3, NULL);
	same_escaping("a\0b", 3, "\n\t");
	srandom(15);
	for (i = 0; i < 20000; i++) {
		size_t len = (size_t)random() % sizeof(buf);

		for (k = 0; k < len; k++) {
			long r = random();

			/* bias towards the bytes that matter: controls, lead and continuation bytes */
			buf[k] = r & 1 ? (unsigned char)(r >> 8) :
				 (unsigned char[]){ 0, '\n', '\t', 0x1b, 0x7f, 0xc2, 0x9b, 0xe2, 0x80,
						    0xae, 0xf0, 0x9f, 'a' }[(r >> 8) % 13];
		}
		same_escaping((const char *)buf, len, i & 1 ? "\n\t" : NULL);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hook),
		cmocka_unit_test(escaping),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
