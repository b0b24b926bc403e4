/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_LINT_RUN_H
#define AAPROF_LINT_RUN_H

#include <stddef.h>

#include "lint.h"
#include "strbuf.h"

/* the largest file aaprof lint reads */
#define LINT_MAX_FILE (16u << 20)

/*
 * Scan one file's text (len bytes, NUL-terminated) as kind; LINT_AUTO:
 * YAML whose documents have apiVersion and kind is Kubernetes, YAML with a
 * "services" mapping is Compose, anything else (a shell script, a Makefile,
 * a CI file, documentation) is read line by line. yaml_name: the file is
 * named *.yml, *.yaml or *.json, so YAML that does not parse is an error,
 * not text. Returns 0; 1 for a binary file (a NUL byte: not scanned);
 * -1 with why set for malformed input (YAML that does not parse; aliases
 * that expand past the walk's bounds, after the findings made so far).
 */
int lint_text(lint_t *l, const char *text, size_t len, enum lint_kind kind, int yaml_name,
	      struct strbuf *why);

/*
 * aaprof lint, once its options are parsed: scan each file ("-": standard
 * input), print the findings (json: one JSON object). Returns the exit
 * code: EXIT_ERROR when a file could not be read or parsed (after a
 * message; the others are still scanned and reported), else EXIT_FINDINGS
 * when there are findings, else EXIT_OK.
 */
int lint_run(char *const *files, size_t n, enum lint_kind kind, int json);

#endif
