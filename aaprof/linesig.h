/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_LINESIG_H
#define AAPROF_LINESIG_H

#include <stddef.h>
#include <stdint.h>

/*
 * The signature of a log line for scan's cache of repeated records: two
 * 64-bit hashes of the line without its stamps and pids (linesig.c says
 * which), its audit time and its last pid= (0: none). 1, or 0 when the
 * line is not cacheable (no well-formed audit stamp, or longer than
 * LINESIG_MAX bytes).
 */
#define LINESIG_MAX 4096
int linesig(const char *line, size_t len, uint64_t *ra, uint64_t *rb, double *rt,
	    long long *rpid);

/*
 * A secret of the process (getrandom(2)) that starts every signature's
 * hashes (linesig(), secsig()): the hashes are fast, not cryptographic, and
 * a line written to share a kernel record's signature, and so replay its
 * outcome, must not be computable ahead of the run. sig_key_init() before
 * the threads that sign lines start; again is harmless.
 */
extern uint64_t sig_key[2];
void sig_key_init(void);

#endif
