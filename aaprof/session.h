/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_SESSION_H
#define AAPROF_SESSION_H

#include "harvest.h"
#include "rules.h"
#include "scan.h"

/*
 * One harvest over the logs, set up the same way for `aaprof harvest` and
 * for the enforce gate: the profile's current rules as apparmor_parser
 * reads them, the danger list, the generalisation rules, the harvest
 * handle with the parser's features, and the sources to read with the
 * window the harvest looks at.
 */
struct harvest_setup {
	struct harvest_opts ho;      /* filters and window; existing, danger and
					gen are harvest_open()'s to set */
	struct scan_opts so;         /* the sources; since and boot_time are taken
					from ho */
	const char *policy_text;     /* the profile as it is: what it allows is not
					harvested again (NULL: none) */
	const char *policy_what;     /* names it in messages ("the profile 'NAME'") */
	const char *section_of;      /* keep the rules of policy_text's harvested
					section of this profile (NULL: none) */
	const char *rules_dir;       /* searched first for rules/ files (NULL: none) */
	int generalise;              /* load the generalisation rules */
	int danger_optional;         /* without a danger list (it cannot be loaded)
					dangerous rules are only not marked */
};

struct harvest_session {
	harvest_t *h;
	struct scan_opts so;
	struct scan_stats st;        /* what harvest_read() read */
	struct policy *existing;
	danger_t *danger;
	genrules_t *gen;
};

/*
 * Set up s (harvest_close() it whatever the result): 0, or EXIT_REJECTED
 * when apparmor_parser cannot read the policy, EXIT_ERROR, after a message.
 */
int harvest_open(const struct harvest_setup *o, struct harvest_session *s);
/* read the sources into s->h; -1 after error() */
int harvest_read(struct harvest_session *s);
void harvest_close(struct harvest_session *s);

#endif
