/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_LOGCHUNK_H
#define AAPROF_LOGCHUNK_H

#include <setjmp.h>
#include <stddef.h>

/*
 * The longest line a log source hands out: a longer one is skipped whole
 * and counted, never buffered (logsrc.h).
 */
#define LOGSRC_MAX_LINE (1u << 20)

/*
 * A chunk of whole lines of a regular file (logsrc_span(), logchunk_read()
 * in logsrc.h): reentrant, no error() call, for use in worker threads.
 * The file is memory-mapped (a private mapping of the chunk's pages, a
 * zero page after them, so that buf stays NUL-terminated), or copied with
 * pread() when copy is set or it cannot be mapped.
 */
struct logchunk {
	char *buf;                    /* the bytes read, NUL-terminated */
	size_t alloc, len;
	size_t pos, limit;            /* the next line; lines start before limit */
	int eof;                      /* buf ends at the end of the file */
	unsigned long long long_lines;
	int copy;                     /* set by the caller: read with pread(), never map */
	void *map;                    /* buf is this mapping (maplen bytes), not malloc()ed */
	size_t maplen;
	long long off;                /* the file offset of buf[0] */
};
/* logchunk_read() of the regular file open at fd: 0, or -errno on a read error */
int logchunk_read_fd(int fd, long long from, long long to, long long size,
		     struct logchunk *c);
/* 1: a line (valid while c is); 0: the chunk's end */
int logchunk_next(struct logchunk *c, const char **ret_line, size_t *ret_len);
void logchunk_release(struct logchunk *c);

/*
 * A mapped file that shrinks while it is read raises SIGBUS on access past
 * its new end. Code that touches a mapped chunk runs armed, with a
 * sigjmp_buf of its own function:
 *	logchunk_arm(&jb);
 *	if (!sigsetjmp(jb, 1))
 *		...   (a SIGBUS from a mapped page here jumps back, sigsetjmp() 1)
 *	logchunk_disarm();
 * Any other SIGBUS kills the process as it did without the handler.
 */
void logchunk_arm(sigjmp_buf *jb);
void logchunk_disarm(void);
/* 1 if the file open at fd is now shorter than the mapped chunk c */
int logchunk_shrunk(int fd, const struct logchunk *c);

#endif
