/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_FLEET_READ_H
#define AAPROF_FLEET_READ_H

#include "derive.h"
#include "evidence.h"

/*
 * aaprof merge's input: the JSON files of per-host harvests read into a
 * table of rules, each rebuilt from its structured fields (rulefields.h)
 * with the hosts that needed it; fleet.c applies the quorum.
 */
/* what one host needed of a rule */
struct fhost {
	int host;
	unsigned perms;
	unsigned long long count;
};

/* a rule of the fleet: rebuilt from its fields, and the hosts that needed it */
struct fentry {
	char *key, *label;
	struct draft d;               /* d.perms: what any host needed */
	struct fhost *hosts;
	size_t nhosts, alloc;
	struct fentry *next;
};

struct fleet {
	struct fentry **b;
	size_t nb, n;
	struct hosttab hosts;
	size_t nfiles, errors;
};

/*
 * Read a JSON file ("-": standard input), or a directory's *.json files in
 * name order, into f;
 * 0, or -1 after naming every error (file, rule and why) and counting it
 * in f->errors.
 */
int fleet_read(struct fleet *f, const char *path);
void fleet_release(struct fleet *f);

#endif
