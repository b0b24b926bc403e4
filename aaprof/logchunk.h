/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_LOGCHUNK_H
#define AAPROF_LOGCHUNK_H

#include <stddef.h>

/*
 * The longest line a log source hands out: a longer one is skipped whole
 * and counted, never buffered (logsrc.h).
 */
#define LOGSRC_MAX_LINE (1u << 20)

/*
 * A chunk of whole lines of a regular file (logsrc_span(), logchunk_read()
 * in logsrc.h): reentrant, no error() call, for use in worker threads.
 */
struct logchunk {
	char *buf;                    /* the bytes read, NUL-terminated */
	size_t alloc, len;
	size_t pos, limit;            /* the next line; lines start before limit */
	int eof;                      /* buf ends at the end of the file */
	unsigned long long long_lines;
};
/* logchunk_read() of the regular file open at fd: 0, or -errno on a read error */
int logchunk_read_fd(int fd, long long from, long long to, long long size,
		     struct logchunk *c);
/* 1: a line (valid while c is); 0: the chunk's end */
int logchunk_next(struct logchunk *c, const char **ret_line, size_t *ret_len);
void logchunk_release(struct logchunk *c);

#endif
