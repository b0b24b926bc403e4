/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_FILES_H
#define AAPROF_FILES_H

#include <stddef.h>

/*
 * Files as aaprof reads and writes them: whole reads with a size limit,
 * atomic (and checked) writes, files trusted to become policy, mkdir -p.
 */

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

/* mkdir -p with mode for new directories */
int mkdir_p(const char *path, unsigned mode);

#endif
