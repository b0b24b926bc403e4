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

/*
 * The signatures' hash: two independent 64-bit hashes of a byte string fed
 * in pieces (whole words straight from the caller's bytes, a word split
 * between two pieces in a carry; where the pieces were cut does not
 * count), started from sig_key, its length mixed in at the end with cuts
 * (linesig(): where its cuts were; 0: none).
 */
struct sighash {
	uint64_t a, b;
	size_t n;             /* bytes fed */
	union {
		uint64_t w;
		unsigned char c[8];
	} carry;
	unsigned cn;          /* bytes in the carry */
};
void sighash_init(struct sighash *h);
void sighash_feed(struct sighash *h, const void *bytes, size_t n);
void sighash_final(struct sighash *h, uint64_t cuts, uint64_t *ra, uint64_t *rb);

#endif
