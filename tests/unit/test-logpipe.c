/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * logpipe: a stream read ahead by a thread gives the reader the bytes
 * fill() made, in order, whatever the sizes on either side; an error after
 * some bytes comes after those bytes; stopping never waits for a reader
 * that will not come. (make check-tsan runs the threads under TSan.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "logpipe.h"
#include "util.h"

/* a stream of total bytes, byte i being (i * 7 + i / 251) & 0xff, in uneven pieces */
struct gen {
	size_t total, made, calls;
	unsigned seed;
	int fail;        /* -1 at the end instead of 0 */
	int endless;     /* never ends */
};

static unsigned char byte_at(size_t i)
{
	return (unsigned char)(i * 7 + i / 251);
}

static ssize_t gen_fill(void *ctx, char *out, size_t avail)
{
	struct gen *g = ctx;
	size_t n, i;

	g->calls++;
	if (g->made == g->total && !g->endless)
		return g->fail ? -1 : 0;
	g->seed = g->seed * 1103515245u + 12345u;
	n = 1 + (g->seed >> 8) % 70000;
	if (n > avail)
		n = avail;
	if (!g->endless && n > g->total - g->made)
		n = g->total - g->made;
	for (i = 0; i < n; i++)
		out[i] = (char)byte_at(g->made + i);
	g->made += n;
	return n;
}

/* read all of p in uneven pieces, checking each byte; the last return value */
static ssize_t drain(struct logpipe *p, size_t *ret_got)
{
	static char buf[100000];
	unsigned seed = 7;
	size_t got = 0, i;
	ssize_t n;

	for (;;) {
		seed = seed * 1103515245u + 12345u;
		n = logpipe_read(p, buf, 1 + (seed >> 8) % sizeof(buf));
		if (n <= 0)
			break;
		for (i = 0; i < (size_t)n; i++)
			if ((unsigned char)buf[i] != byte_at(got + i))
				fail_msg("byte %zu: %u, expected %u", got + i, (unsigned char)buf[i],
					 byte_at(got + i));
		got += n;
	}
	*ret_got = got;
	return n;
}

static void in_order(void **state)
{
	size_t sizes[] = { 0, 1, LOGPIPE_BLOCK - 1, LOGPIPE_BLOCK, 3 * LOGPIPE_BLOCK + 12345 };
	size_t nblocks[] = { 1, 2, 4 };
	size_t i, k, got;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		for (k = 0; k < ARRAY_SIZE(nblocks); k++) {
			struct gen g = { .total = sizes[i], .seed = (unsigned)(i * 31 + k) };
			struct logpipe *p = logpipe_start(gen_fill, &g, nblocks[k]);

			assert_non_null(p);
			assert_int_equal(drain(p, &got), 0);
			assert_int_equal(got, sizes[i]);
			assert_int_equal(logpipe_read(p, (char[1]){ 0 }, 1), 0);   /* the end stays */
			logpipe_stop(p);
		}
}

static void error_after_bytes(void **state)
{
	size_t sizes[] = { 0, 5, LOGPIPE_BLOCK, 2 * LOGPIPE_BLOCK + 99 };
	size_t i, got;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		struct gen g = { .total = sizes[i], .seed = 3, .fail = 1 };
		struct logpipe *p = logpipe_start(gen_fill, &g, 2);

		assert_non_null(p);
		assert_int_equal(drain(p, &got), -1);
		assert_int_equal(got, sizes[i]);   /* every byte before the error */
		assert_int_equal(logpipe_read(p, (char[1]){ 0 }, 1), -1);
		logpipe_stop(p);
	}
}

static void stop_without_reading(void **state)
{
	char buf[10];
	int i;

	(void)state;
	for (i = 0; i < 3; i++) {
		struct gen g = { .endless = 1, .seed = 5 };
		struct logpipe *p = logpipe_start(gen_fill, &g, 2);

		assert_non_null(p);
		if (i == 1)
			assert_int_equal(logpipe_read(p, buf, sizeof(buf)), sizeof(buf));
		if (i == 2) {   /* some, then stop with the ring full */
			size_t n = 0;

			while (n < 2 * LOGPIPE_BLOCK && logpipe_read(p, buf, sizeof(buf)) > 0)
				n += sizeof(buf);
		}
		logpipe_stop(p);   /* the producer waits on a full ring: it must end */
	}
	logpipe_stop(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(in_order),
		cmocka_unit_test(error_after_bytes),
		cmocka_unit_test(stop_without_reading),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
