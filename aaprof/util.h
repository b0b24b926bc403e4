/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_UTIL_H
#define AAPROF_UTIL_H

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "msg.h"
#include "alloc.h"
#include "files.h"
#include "timespec.h"

/*
 * What most modules need, in one include: messages (msg.h), allocation and
 * strings (alloc.h), files (files.h), durations and times (timespec.h);
 * and running programs, here.
 */

/* run a program (execve, argv[0] included), wait: its exit status, or -1 */
int run_program(const char *path, const char *const *argv);
/*
 * Show on standard output what replacing old_text (NULL: no file yet) by
 * new_text would change, as "diff -u" labelled path and "path (suffix)".
 */
int show_diff(const char *path, const char *old_text, const char *new_text, const char *suffix);

#endif
