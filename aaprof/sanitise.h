/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_SANITISE_H
#define AAPROF_SANITISE_H

#include "strbuf.h"

/*
 * What a log value may become, and how it may be shown. Logged values are
 * written by confined (maybe hostile) processes: a path is checked and
 * turned into policy only in the form apparmor_parser will read it, and a
 * value is shown on a terminal only with its control characters escaped.
 */

/*
 * The path as apparmor_parser reads it: every run of '/' collapsed into one
 * (the parser does the same to a rule's path, so "/etc//shadow" grants
 * /etc/shadow). Appends it to out and returns 0; returns -1 with why set,
 * appending nothing, for a path that is not absolute or has a "." or ".."
 * component (the kernel never logs one; no rule can name it faithfully).
 */
int path_normalise(const char *path, struct strbuf *out, struct strbuf *why);

/*
 * Append s (len bytes) for display on a terminal: C0 control characters,
 * DEL, C1 controls (raw or UTF-8 encoded), Unicode bidirectional controls
 * and bytes that are not UTF-8 are escaped as \n, \t, \r, \e, \xHH or
 * \u{HHHH}; everything else is copied. keep: characters of the C0 range
 * copied as they are (a message's own line structure, "\n\t"), or NULL.
 */
void strbuf_add_printable(struct strbuf *out, const char *s, size_t len, const char *keep);

#endif
