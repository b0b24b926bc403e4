/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_LOGDEC_H
#define AAPROF_LOGDEC_H

#include <stddef.h>
#include <sys/types.h>

/*
 * A log file's bytes, decoded as they are read: plain (stdin, pipes),
 * gzip, xz (and the legacy .lzma), zstd.
 */
enum logdec_codec { C_PLAIN, C_GZ, C_XZ, C_ZST };

/* the input block size: what logdec_new()'s in holds */
#define LOGDEC_INBLOCK (256u << 10)

/*
 * What the first n bytes m of path say: a codec, or -1 after error() for
 * a file aaprof cannot read as a log (naming what it is and what to do
 * instead).
 */
int logdec_sniff(const char *path, const unsigned char *m, size_t n);

struct logdec;
/*
 * A decoder of what is read from fd (the caller keeps fd, and name, used
 * in messages, alive and closes fd). in: a LOGDEC_INBLOCK buffer whose
 * first in_len bytes were read already (the start of a pipe), in_eof when
 * that was all; it is the decoder's (freed on failure too). NULL after
 * error() when the library cannot start.
 */
struct logdec *logdec_new(int fd, const char *name, enum logdec_codec codec,
			  unsigned char *in, size_t in_len, int in_eof);
/*
 * Decode in a thread of its own from now on, up to nblocks LOGPIPE_BLOCKs
 * ahead of logdec_read() (logpipe.h), which gives the same bytes and
 * reports the same errors, where it reaches them. -1, silently, when no
 * thread can start: decoded as before.
 */
int logdec_ahead(struct logdec *d, size_t nblocks);
/* decoded bytes into out: 0 at the end, -1 after error() */
ssize_t logdec_read(struct logdec *d, char *out, size_t avail);
void logdec_free(struct logdec *d);

#endif
