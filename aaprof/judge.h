/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_JUDGE_H
#define AAPROF_JUDGE_H

#include "derive.h"
#include "rules.h"
#include "strbuf.h"

/*
 * judge: a draft rule against what the user has: does the existing policy
 * already allow (or deny) it, is it dangerous, and does the user allow
 * that danger (--allow-dangerous)?
 */
typedef struct judge judge_t;
struct policy;   /* profile.h */

struct judge_opts {
	const struct policy *existing; /* the profile's current rules, or NULL */
	const danger_t *danger;        /* dangerous accesses to hold back, or NULL */
	int allow_dangerous;           /* hold back nothing */
	const char *const *allow;      /* or these: danger kinds, capability names,
					  path globs (--allow-dangerous ITEM) */
	size_t nallow;
};

judge_t *judge_new(const struct judge_opts *o);
void judge_free(judge_t *j);

/*
 * Does the existing policy cover the draft? 1: nothing of it is missing
 * (allowed, or explicitly denied); 0: a file draft's perms are left with
 * what the policy does not grant. note: set when an explicit deny rule
 * refuses (some of) it, which no allow rule can lift.
 */
int judge_covered(const judge_t *j, struct draft *d, struct strbuf *note);

/*
 * Why the draft of a record of profile label is dangerous (valid until the
 * next call), or NULL; *ret_held: dangerous and not allowed by the user.
 */
const char *judge_danger(judge_t *j, const struct draft *d, const char *label, int *ret_held);

#endif
