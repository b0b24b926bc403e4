/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_SESSION_H
#define AAPROF_SESSION_H

#include "abi.h"
#include "harvest.h"
#include "rules.h"
#include "scan.h"

/*
 * One harvest over the logs, set up the same way for `aaprof harvest` and
 * for the enforce gate: the profile's current rules as apparmor_parser
 * reads them, the danger list, the generalisation rules, the harvest
 * handle with the target's rule forms (abi.h), and the sources to read with the
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
	const char *abi_text;        /* the text whose abi rule is the target's ABI
					(NULL: policy_text; neither: abi 3.0) */
	const char *profile_dir;     /* where abi files are (NULL: /etc/apparmor.d) */
	const char *target_file;     /* --target: the kernel features (NULL: none) */
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
	struct abi_target target;
};

/*
 * Set up s (harvest_close() it whatever the result): 0, or EXIT_REJECTED
 * when apparmor_parser cannot read the policy, EXIT_ERROR (also: the abi
 * file or --target cannot be read), after a message.
 */
int harvest_open(const struct harvest_setup *o, struct harvest_session *s);
/* read the sources into s->h; -1 after error() */
int harvest_read(struct harvest_session *s);
void harvest_close(struct harvest_session *s);

#endif
