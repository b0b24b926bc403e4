/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_PROGRESS_H
#define AAPROF_PROGRESS_H

/*
 * A sign of life while harvest reads a long source: when standard error
 * is a terminal and reading (this source, or the sources before it) has
 * gone on for more than a second, one line on standard error, rewritten in place a few times a second: the
 * source, the bytes and lines read of it, the rate and, when its size is
 * known, the share read and the time left. The line is cleared when the
 * source ends and before any message (msg.h). Nothing at all when
 * standard error is not a terminal.
 *
 * The readers call progress_update() every few thousand lines or once a
 * chunk: it reads the clock on each call.
 */

/* a source begins: its name and its size in bytes (-1: not known, e.g. compressed) */
void progress_begin(const char *name, long long total);
/* what has been read of it so far */
void progress_update(unsigned long long bytes, unsigned long long lines);
/* the source is done: clear the line */
void progress_end(void);

#endif
