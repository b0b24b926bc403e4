/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_HARVEST_RUN_H
#define AAPROF_HARVEST_RUN_H

#include "harvest.h"
#include "scan.h"

/*
 * aaprof harvest, once its options are parsed and checked: read the
 * profile (or render the template), harvest the sources with
 * harvest_open(), and print the rules, the JSON or the merged profile, or
 * show (--diff) or write (--write) the merged profile; then the summary
 * and what was held back.
 */
struct harvest_run_opts {
	struct harvest_opts ho;      /* filters, window, exec mode, what to allow */
	struct scan_opts so;         /* the sources */
	const char *rules_dir;       /* --rules-dir (NULL: none) */
	int generalise;              /* not --no-generalise */
	const char *format;          /* "profile", "rules" or "json" */
	const char *pfile;           /* format profile: the profile file, or NULL:
					render template_name for ho.profiles[0] */
	const char *template_name;
	const char *profile_dir;     /* --profile-dir (abi files; NULL: /etc/apparmor.d) */
	const char *target_file;     /* --target FILE: the kernel features (NULL: none) */
	int diff, write;             /* --diff, --write (need pfile) */
	int quiet, list_sources;     /* --quiet, --sources */
	int since_last;              /* --since last: each source from its cursor
					(cursor.h), advanced when the run succeeds */
};

/* EXIT_OK, EXIT_DANGEROUS (rules held back), or another exit code after a message */
int harvest_run(const struct harvest_run_opts *o);

#endif
