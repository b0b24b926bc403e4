/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_FLEET_H
#define AAPROF_FLEET_H

#include <stddef.h>

/*
 * aaprof merge: the JSON of per-host harvests (harvest-json.h, schema 1)
 * merged into one rule set with quorum. A rule (and each of its
 * permissions) is kept when it was seen on at least quorum hosts; the
 * others are listed with their hosts, never dropped silently. Every rule
 * is rebuilt from its structured fields (rulefields.h) and judged as a
 * harvested rule is (what the profile allows already, the danger list);
 * the JSON may come from anywhere.
 */
struct fleet_opts {
	const char *const *inputs;   /* JSON files, or directories of *.json */
	size_t ninputs;
	unsigned quorum;             /* hosts a rule needs (0: use quorum_pct; both 0: 1) */
	unsigned quorum_pct;         /* or this percentage of the hosts (1-100) */
	const char *format;          /* "profile", "rules" or "json" */
	const char *name;            /* format profile: the profile merged into */
	const char *pfile;           /* its file, or NULL: render template_name */
	const char *template_name;
	const char *rules_dir;       /* --rules-dir (the danger list) */
	int allow_dangerous;
	int quiet;
};

/*
 * EXIT_OK; EXIT_QUORUM when rules were held below the quorum (listed on
 * standard error); EXIT_DANGEROUS when rules were held back as dangerous
 * or apparmor_parser cannot compile them; another exit code after a
 * message (a bad input: nothing is written).
 */
int fleet_merge(const struct fleet_opts *o);

#endif
