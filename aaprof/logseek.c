/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * logseek.c - where --since starts in a chronological audit.log: a binary
 * search by audit stamp instead of a read of the whole file.
 */
#include "logseek.h"
#include "logtime.h"

#include <string.h>
#include <unistd.h>

/* the stamp of the first complete line at or after off, or -1; the bytes
   read are added to *probed */
static double stamp_at(int fd, off_t off, off_t size, off_t *ret_line_start,
		       unsigned long long *probed)
{
	char buf[8192];
	off_t pos = off;
	int skip_partial = off > 0;

	while (pos < size) {
		ssize_t n = pread(fd, buf, sizeof(buf), pos);
		char *p = buf, *end, *nl;

		if (n <= 0)
			return -1;
		*probed += n;
		end = buf + n;
		if (skip_partial) {
			nl = memchr(p, '\n', end - p);
			if (!nl) {
				pos += n;
				continue;
			}
			p = nl + 1;
			skip_partial = 0;
		}
		while (p < end) {
			struct audit_stamp st;
			char *a;

			nl = memchr(p, '\n', end - p);
			if (!nl)
				break;   /* read on from this line */
			a = memmem(p, nl - p, "audit(", 6);
			if (a && audit_stamp_parse(a + 6, nl, &st) && st.epoch > 0) {
				*ret_line_start = pos + (p - buf);
				return st.epoch + st.ms / 1000.0;   /* as record_time() */
			}
			p = nl + 1;
		}
		if (p == buf)
			return -1;   /* a line longer than the probe: give up */
		pos += p - buf;
	}
	return -1;
}

/*
 * Narrow [*lo, *hi) to at most 64 KiB around where the stamps pass t: a
 * block whose first stamp is before t (at or before it, if inclusive) moves
 * lo, any other hi. 0: a probe found no stamp (read it all)
 */
static int bisect(int fd, off_t size, double t, int inclusive, off_t *lo, off_t *hi,
		  unsigned long long *probed)
{
	off_t line;

	while (*hi - *lo > 65536) {
		off_t mid = *lo + (*hi - *lo) / 2;
		double m = stamp_at(fd, mid, size, &line, probed);

		if (m < 0)
			return 0;
		if (m < t || (inclusive && m == t))
			*lo = mid;
		else
			*hi = mid;
	}
	return 1;
}

int logseek_since(int fd, off_t size, double since, off_t *ret_line,
		 unsigned long long *probed)
{
	off_t lo = 0, hi = size, line;

	/* find the last block whose first stamp is before since */
	if (!bisect(fd, size, since, 0, &lo, &hi, probed))
		return 0;   /* no stamps: read it all */
	/* back off a little: audit.log is chronological per event, not strictly */
	lo = lo > 65536 ? lo - 65536 : 0;
	if (lo > 0 && stamp_at(fd, lo, size, &line, probed) >= 0) {
		*ret_line = line;
		return 1;
	}
	return 0;
}

int logseek_until(int fd, off_t from, off_t size, double until, off_t *ret_end,
		  unsigned long long *probed)
{
	off_t lo = from, hi = size, line;

	/* find the first block whose first stamp is after until */
	if (!bisect(fd, size, until, 1, &lo, &hi, probed))
		return 0;   /* no stamps: read it all */
	/* go on a little (as logseek_since() backs off), to a line's start */
	hi += 65536;
	if (hi < size && stamp_at(fd, hi, size, &line, probed) > until) {
		*ret_end = line;
		return 1;
	}
	return 0;
}
