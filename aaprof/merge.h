/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_MERGE_H
#define AAPROF_MERGE_H

#include "harvest.h"
#include "strbuf.h"

/*
 * Merge section (harvest_format_rules() of name) into the profile text
 * base. When apparmor_parser rejects the result, find the rules it cannot
 * compile, take them out and report each with the parser's message and
 * its evidence in h. Returns 0 with the merged text in out, and in
 * *ret_held how many rules were held back; EXIT_REJECTED when the profile
 * does not compile even without the section; EXIT_ERROR. pfile names the
 * profile in messages (NULL: "the profile").
 */
int merge_compilable(const harvest_t *h, const char *base, const char *name,
		     const char *section, const char *pfile, struct strbuf *out,
		     size_t *ret_held);

#endif
