/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_TESTHOOKS_H
#define AAPROF_TESTHOOKS_H

/*
 * Test-only environment variables (AAPROF_NOW, AAPROF_APPARMORFS, AAPROF_PROCFS,
 * APPARMOR_PARSER, AAPROF_CHUNK, AAPROF_NO_CACHE, AAPROF_ROOT, AAPROF_HOSTNAME and the
 * AAPROF_TEST_* fault hooks) steer aaprof at a fake kernel, a fake parser,
 * another clock. They exist only in the build tree's test binary
 * (build/aaprof, linked with testhooks.c compiled with AAPROF_TEST_HOOKS):
 * the binary that `make install` and the Debian package install is linked
 * with the same file compiled without it, where test_getenv() always
 * returns NULL, so nothing in the environment can steer it.
 */

/* the value of a test-only variable; always NULL in a release build */
const char *test_getenv(const char *name);
/* 1 in the test build, 0 in the release build */
int test_hooks_enabled(void);

/*
 * Fault injection (test build only): AAPROF_TEST_ENOSPC=N makes the Nth
 * data write of write_file_atomic() in this process fail with ENOSPC, as
 * on a full disk. Returns 1 when this write must fail.
 */
int test_fault_enospc(void);
/* AAPROF_TEST_WRITE_DELAY_MS=N: pause N ms with the temporary file written,
   before its rename (tests send signals into that window) */
void test_write_delay(void);
/*
 * AAPROF_TEST_RESIZE=K:SIZE: when harvest has read chunk K of a regular
 * file (mapped, not yet taken), truncate the file to SIZE bytes, or make it
 * grow to SIZE by appending its own first bytes (a file shrinking or
 * growing while it is read)
 */
void test_resize_hook(const char *path, long long chunk);

#endif
