/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_LOGAHEAD_H
#define AAPROF_LOGAHEAD_H

#include <stddef.h>

#include "logsrc.h"

/*
 * The files to read next (a file's rotations, the -f list), opened ahead
 * of their turn when they are compressed, each decoding in a thread of its
 * own (logsrc_decode_ahead()) while the one before is read: on several
 * CPUs, a rotation set's files are decompressed at the same time, still
 * read in order. Each holds at most nblocks decoded blocks.
 */
struct logahead_file;
struct logahead {
	size_t max;                  /* files opened ahead at most (0: none) */
	size_t nblocks;
	struct logahead_file *q;     /* in the order they will be read */
	size_t n, alloc;
};

/* with jobs threads (scan_opts.jobs): jobs - 1 files ahead, 3 at most */
void logahead_init(struct logahead *a, int jobs);
/*
 * Open path to read it now (logsrc_open_file(), reporting its errors),
 * or take it from those opened ahead; next: the nnext files to read after
 * it: the first ones are opened ahead, quietly (a file that cannot be, or
 * is not compressed, is left to be opened at its turn, saying what it
 * does). a NULL a: none ahead. 0, or -1 after error()
 */
int logahead_open(struct logahead *a, const char *path, const char *const *next,
		  size_t nnext, logsrc_t **ret);
/* close what was opened ahead and not taken (stopping its thread) */
void logahead_release(struct logahead *a);

#endif
