/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_LOGPIPE_H
#define AAPROF_LOGPIPE_H

#include <stddef.h>
#include <sys/types.h>

/*
 * A stream read ahead by a thread of its own: the thread calls fill()
 * to produce blocks of bytes (a log file being decompressed) while the
 * caller takes them, in order, with logpipe_read(). At most nblocks
 * blocks of LOGPIPE_BLOCK bytes wait: memory stays bounded however long
 * the stream.
 */
#define LOGPIPE_BLOCK (256u << 10)

/*
 * What the thread calls: bytes into out (at most avail), 0 at the end, -1
 * on an error, which must not be reported from the thread (no error()
 * call: the caller reports it when logpipe_read() reaches it).
 */
typedef ssize_t logpipe_fill_fn(void *ctx, char *out, size_t avail);

struct logpipe;
/* NULL, silently, when the thread cannot start (then read without one) */
struct logpipe *logpipe_start(logpipe_fill_fn *fill, void *ctx, size_t nblocks);
/*
 * The next bytes, in the order fill() produced them: 0 at the end, -1
 * where fill() failed (after all it produced before)
 */
ssize_t logpipe_read(struct logpipe *p, char *out, size_t avail);
/* stop the thread (wherever it is), wait for it and free p; NULL: nothing */
void logpipe_stop(struct logpipe *p);

#endif
