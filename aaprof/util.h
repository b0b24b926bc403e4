/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_UTIL_H
#define AAPROF_UTIL_H

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "msg.h"

#define UNUSED __attribute__((unused))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) PRINTF(1, 2);
/* grow *p (array of *alloc elements of elsize) so that it holds nr */
void *xgrow(void *p, size_t elsize, size_t nr, size_t *alloc);
#define ALLOC_GROW(p, nr, alloc) ((p) = xgrow((p), sizeof(*(p)), (nr), &(alloc)))

static inline void freep(void *p) { free(*(void **)p); }
#define _cleanup_free_ __attribute__((cleanup(freep)))
static inline void *steal_pointer(void *pp)
{
	void **p = pp, *r = *p;
	*p = NULL;
	return r;
}

/*
 * Read a whole file (at most max bytes) into a NUL-terminated buffer.
 * Returns 0 and sets *ret_buf and *ret_len, or -1 after error().
 */
int read_file(const char *path, size_t max, char **ret_buf, size_t *ret_len);
/* the same, silent when the file cannot be read (caches, optional files) */
int read_file_quiet(const char *path, size_t max, char **ret_buf);

/*
 * Write data to path atomically: a temporary file ".NAME.aaprof-XXXXXX" in
 * the same directory (hidden: apparmor_parser never loads it, and SIGINT,
 * SIGTERM, SIGHUP or SIGQUIT remove it), fsync, rename over path, fsync of
 * the directory. A path that is a symbolic link is written in place of its
 * final target (in the target's directory); the link stays. With backup !=
 * NULL the previous file (if any) is first copied to backup. mode is used
 * for a new file; an existing file keeps its mode (and, as root, its owner).
 */
int write_file_atomic(const char *path, const char *data, size_t len,
		      unsigned mode, const char *backup);
/*
 * The same, only if path still holds expect (NULL: does not exist), checked
 * when the backup is taken and again just before the rename: else nothing
 * is written and it fails with a message saying the file was changed.
 */
int write_file_checked(const char *path, const char *data, size_t len,
		       unsigned mode, const char *backup, const char *expect);

/*
 * Read a file whose contents become policy (a template, a rule file), as
 * read_file(). When running as root, refuse it unless, as opened, it is a
 * regular file (a symbolic link is not followed: O_NOFOLLOW, then fstat of
 * that descriptor, read from it) owned by root and writable by no one else,
 * and every directory from / down to it is the same (no exception for
 * sticky directories such as /tmp: anyone may have put a file there).
 * Returns 0 or -1 after error().
 */
int read_trusted_file(const char *path, size_t max, char **ret_buf, size_t *ret_len);
/* as root: 0 when dir and every directory above it are root-owned and
   writable by root alone, else -1 after error() (what: "file", "directory") */
int check_trusted_dir(const char *dir, const char *what);
/* set when read_trusted_file() refused a file: commands exit EXIT_PERM */
extern int untrusted_refused;

/* parse "30", "30s", "15m", "1h", "2d", "1w" into seconds */
int parse_duration(const char *s, long long *ret_seconds);

int streq(const char *a, const char *b);
int starts_with(const char *s, const char *prefix);
int ends_with(const char *s, const char *suffix);

/*
 * A point in time for --since/--until: "30m", "1h", "2d", "1h 30min",
 * "2 days ago", "-1h" (that long before now), "+1h" (after now), "now",
 * "today", "yesterday", "tomorrow" (local midnight), "boot" (boot_time),
 * "@EPOCH", ISO 8601 "2026-11-22T08:00[:SS][Z|+01:00]", "2026-11-22
 * 08:00[:SS][ UTC]", "2026-11-22" or "08:00[:SS]" (today; local time
 * without a zone).
 */
int parse_time_spec(const char *s, double now, double boot_time, double *ret);

#define FREE_AND_NULL(p) do { free(p); (p) = NULL; } while (0)

/* run a program (execve, argv[0] included), wait: its exit status, or -1 */
int run_program(const char *path, const char *const *argv);
/*
 * Show on standard output what replacing old_text (NULL: no file yet) by
 * new_text would change, as "diff -u" labelled path and "path (suffix)".
 */
int show_diff(const char *path, const char *old_text, const char *new_text, const char *suffix);
/* mkdir -p with mode for new directories */
int mkdir_p(const char *path, unsigned mode);

#endif
