/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_LOGSEEK_H
#define AAPROF_LOGSEEK_H

#include <sys/types.h>

/*
 * --since in a chronological audit.log of size bytes open at fd: a binary
 * search over its lines' audit(EPOCH...) stamps for the last block whose
 * first stamp is before since, backed off a little (audit.log is
 * chronological per event, not strictly). 1 and the offset of the line to
 * read from, or 0 to read it all (no stamps, or since is near the start).
 * Reads with pread(): the file position is the caller's; the bytes read
 * are added to *probed.
 */
int logseek_since(int fd, off_t size, double since, off_t *ret_line,
		  unsigned long long *probed);
/*
 * --until the same way: 1 and the offset of a line's start after from past
 * which every stamp is after until (a little further: see above), or 0 to
 * read to the end.
 */
int logseek_until(int fd, off_t from, off_t size, double until, off_t *ret_end,
		  unsigned long long *probed);

#endif
