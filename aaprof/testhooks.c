/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * testhooks.c - the test-only environment variables. Compiled twice: with
 * AAPROF_TEST_HOOKS into the build tree's test binary and the unit tests,
 * without it into the release binary (see testhooks.h and the Makefile).
 */
#include "testhooks.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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

void test_resize_hook(const char *path, long long chunk)
{
	const char *v = test_getenv("AAPROF_TEST_RESIZE");
	const char *colon = v ? strchr(v, ':') : NULL;
	char buf[4096];
	struct stat st;
	long long size, off = 0;
	ssize_t n;
	int fd;

	if (!colon || atoll(v) != chunk || stat(path, &st) < 0)
		return;
	size = atoll(colon + 1);
	if (size <= st.st_size) {
		if (truncate(path, size) < 0)
			abort();
		return;
	}
	/* grow: append the file's own first lines again, as a writer would */
	fd = open(path, O_RDWR | O_APPEND | O_CLOEXEC);
	if (fd < 0)
		abort();
	while (st.st_size + off < size && (n = pread(fd, buf, sizeof(buf), off)) > 0) {
		if (n > size - st.st_size - off)
			n = size - st.st_size - off;
		if (write(fd, buf, n) != n)
			abort();
		off += n;
	}
	close(fd);
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

void test_resize_hook(const char *path, long long chunk)
{
	(void)path;
	(void)chunk;
}
#endif
