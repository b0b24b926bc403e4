/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_SUMMARY_H
#define AAPROF_SUMMARY_H

#include "harvest.h"
#include "scan.h"

/*
 * The summary of a harvest on standard error, as sentences: what was read,
 * the records used and the rules they gave (for a profile: the rules
 * added to it, not the size of its section), the records not used by
 * reason, and warnings for what needs the reader's attention; a count of
 * zero is left out.
 */
struct summary_out {
	const char *pfile;     /* the profile merged into (NULL: a rendered one) */
	int profile;           /* the output is the merged profile */
	int write, diff;       /* ... written (--write) or shown (--diff) */
	size_t rules;          /* profile: the rules added; else the rules printed */
	size_t widened;        /* profile: of them, rules that replace one with fewer
				  permissions */
	size_t held;           /* dangerous rules held back */
};
void summary_report(const harvest_t *h, const struct scan_stats *st, const struct summary_out *o);

/*
 * The rules of merged's harvested section that base's lacks: *ret_added,
 * and among them those that widen a rule of base's section (the same rule
 * with other permissions): *ret_widened.
 */
void summary_count_added(const char *base, const char *merged, size_t *ret_added,
			 size_t *ret_widened);
/* the rule lines of policy text (lines ending in ',' that are no comment) */
size_t summary_count_rules(const char *text);

#endif
