/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_SCAN_H
#define AAPROF_SCAN_H

#include "harvest.h"

/* where harvest reads: the glue between logsrc, record and harvest */
struct scan_opts {
	const char *const *files;   /* -f FILE...; none and no journal/dmesg: the defaults */
	size_t nfiles;
	int journal;
	const char *journal_file;
	int dmesg;
	double since;               /* seek hint for chronological files */
	double boot_time;           /* for --dmesg */
	double now;
	int quiet;                  /* do not name the sources read */
	int jobs;                   /* threads reading a regular file (<= 1: none) */
};

struct scan_stats {
	unsigned long long lines, apparmor, long_lines, lost_marks, kmsg_lost;
	char lost_sample[256];
};

/* the CPUs this process may run on, at most 4 (the reading stage scales no further) */
int scan_default_jobs(void);
/* read every source into h; -1 after error() */
int scan_sources(harvest_t *h, const struct scan_opts *o, struct scan_stats *st);
/* the summary and warnings on standard error */
void scan_report(const harvest_t *h, const struct scan_stats *st);

#endif
