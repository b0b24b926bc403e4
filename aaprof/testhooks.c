/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * testhooks.c - the test-only environment variables. Compiled twice: with
 * AAPROF_TEST_HOOKS into the build tree's test binary and the unit tests,
 * without it into the release binary (see testhooks.h and the Makefile).
 */
#include "testhooks.h"

#include <stdlib.h>
#include <time.h>

#ifdef AAPROF_TEST_HOOKS
const char *test_getenv(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

int test_hooks_enabled(void)
{
	return 1;
}

int test_fault_enospc(void)
{
	static long writes;
	const char *n = test_getenv("AAPROF_TEST_ENOSPC");

	return n && ++writes == atol(n);
}

void test_write_delay(void)
{
	const char *ms = test_getenv("AAPROF_TEST_WRITE_DELAY_MS");
	struct timespec ts;

	if (!ms)
		return;
	ts.tv_sec = atol(ms) / 1000;
	ts.tv_nsec = (atol(ms) % 1000) * 1000000L;
	nanosleep(&ts, NULL);
}
#else
const char *test_getenv(const char *name)
{
	(void)name;
	return NULL;
}

int test_hooks_enabled(void)
{
	return 0;
}

int test_fault_enospc(void)
{
	return 0;
}

void test_write_delay(void)
{
}
#endif
