/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_SECSIG_H
#define AAPROF_SECSIG_H

#include <stddef.h>
#include <stdint.h>

/*
 * The signature of a SECCOMP record's line for scan's cache of repeated
 * records (linesig.h's, for the kernel's SECCOMP format): two 64-bit
 * hashes of the line without its stamps, pid=, ses= and ip= (secsig.c
 * says exactly which), and its audit time. 1, or 0 when the line is not
 * cacheable (then it is parsed).
 */
int secsig(const char *line, size_t len, uint64_t *ra, uint64_t *rb, double *rt);

/*
 * could the line be a SECCOMP record (or a forged one, to be counted)?
 * It holds "type=1326", "type=SECCOMP", or " code=0x" and " syscall=":
 * found in one pass over the line, at its '=' signs
 */
int secsig_candidate(const char *line, size_t len);

#endif
