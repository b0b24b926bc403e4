/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_LINT_SHELL_H
#define AAPROF_LINT_SHELL_H

#include <stddef.h>

#include "lint.h"

/*
 * The line-based scanner: `docker run`, `docker create`, `docker exec`,
 * `docker container run|create|exec` and the same of podman and nerdctl in
 * shell scripts, Makefiles, CI files (a `run:` or `script:` line is text
 * like any other) and documentation. Lines continued with a backslash are
 * read as one command; quotes are removed as the shell removes them; a
 * finding is reported at the line and column of its option. Adds to l
 * under its current file.
 */
void lint_shell(lint_t *l, const char *text, size_t len);

#endif
