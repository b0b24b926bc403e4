/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_AANFA_H
#define AAPROF_AANFA_H

#include "aaglob.h"
#include "strbuf.h"

/*
 * The globs of aaglob.h as automata, to ask whether two globs can match one
 * path (aaglob_match's semantics, "//" folding included): used to refuse a
 * generalised rule that would reach a dangerous path its logged path is not.
 */
typedef struct aanfa aanfa_t;
/* one automaton matching any of the n globs; NULL with why on bad syntax */
aanfa_t *aanfa_compile(const char *const *globs, size_t n, const aavars_t *vars,
		       struct strbuf *why);
void aanfa_free(aanfa_t *a);
/*
 * 1 if some normalised path (no "//": what the kernel logs and harvest
 * checks) matches both a and b and none of except (NULL: no exceptions),
 * 0 if none does. Past an internal size bound the answer is 1:
 * callers refuse on 1, so doubt never widens a rule.
 */
int aanfa_overlap(const aanfa_t *a, const aanfa_t *b, const aanfa_t *except);

#endif
