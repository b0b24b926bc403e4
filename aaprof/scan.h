/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_SCAN_H
#define AAPROF_SCAN_H

#include "harvest.h"

#include <stdint.h>
#include <time.h>

struct cursor;
struct logahead;

/* where harvest reads: the glue between logsrc, record and harvest */
struct scan_opts {
	const char *const *files;   /* -f FILE...; none and no journal/dmesg: the defaults */
	size_t nfiles;
	int journal;
	const char *const *journal_files;   /* --journal-file F...: NULL-terminated, or NULL */
	const char *const *journal_dirs;    /* --journal-dir DIR... (journal-remote's) */
	size_t njournal_dirs;
	int dmesg;
	double since;               /* seek hint for chronological files */
	double until;               /* the same for their end (0: none) */
	double boot_time;           /* for --dmesg */
	double now;
	int quiet;                  /* do not name the sources read */
	int jobs;                   /* threads reading a regular file (<= 1: none) */
	struct cursor *cursor;      /* --since last: each source from where it was
				       left, and where it is left now (NULL: none) */
	/* SECCOMP records (type=1326) go to seccomp in the same pass, in log
	   order (NULL: not read); in_window: the harvest's window admits it */
	void (*seccomp)(void *ctx, const struct record *r, const char *line, size_t len,
			int in_window);
	void *seccomp_ctx;
	struct secharv *secharv;    /* seccomp is secharv_add() on it: repeated
				       SECCOMP records are replayed, not parsed */
	int seccomp_only;           /* and no AppArmor record is read */
};

/* one source read (or, for a default source, skipped) */
struct scan_source {
	char *name;                 /* a file, "the journal", "the kernel log (/dev/kmsg)" */
	const char *kind;           /* logsrc_kind() */
	unsigned long long lines, apparmor;
	unsigned long long in_window;   /* AppArmor records in the time window */
	unsigned long long lost_marks;  /* lines that say records were lost */
	unsigned long long long_lines;  /* lines too long to read, skipped */
	double first, last;         /* of its AppArmor records (-1: none with a time) */
	int err;                    /* errno: a default source that could not be read */
};

struct scan_stats {
	unsigned long long lines, apparmor, long_lines, lost_marks, kmsg_lost;
	unsigned long long in_window;   /* AppArmor records in the time window */
	unsigned long long seccomp, seccomp_in_window;   /* SECCOMP records (scan_opts.seccomp) */
	double first, last;         /* of the current source's AppArmor records */
	char lost_sample[256];
	struct scan_source *src;    /* what was read, in order */
	size_t nsrc, src_alloc;
	int defaults;               /* aaprof chose the sources (no -f, --journal, --dmesg) */
	int windowed;               /* the window has a start (since) */
	int incremental;            /* --since last: only what is new was read */
	char *hints;                /* no AppArmor record in the window: the likely
				       causes ("  - ..." lines), else NULL */
	struct logahead *ahead;     /* scan_sources()' own: files opened ahead */
};
void scan_stats_release(struct scan_stats *st);

/* the CPUs this process may run on, at most 4 (the reading stage scales no further) */
int scan_default_jobs(void);
/*
 * Read the sources into h; -1 after error(). Sources the user named are
 * read as they are; the default ones (logsrc_host_probe) in order until
 * one holds AppArmor records in the window, saying so when one does not.
 * st->hints is set when no source held one.
 */
int scan_sources(harvest_t *h, const struct scan_opts *o, struct scan_stats *st);
/* when no source held an AppArmor record in the window: a warning with the likely causes */
void scan_warn_empty(const struct scan_stats *st);
/* each source read: its lines and AppArmor records, one per line after indent */
void scan_format_sources(const struct scan_stats *st, const char *indent, struct strbuf *out);

/* ---- the reading's own (scan.c reads, scan-take.c takes; scan-report.c reports) */

struct record;
/* what the (parallel) reading stage found about a line that may be a record */
struct scan_sig {
	int ok;          /* a signature (else: not cacheable) */
	int seccomp;     /* a SECCOMP record's line, for scan_opts.seccomp */
	uint64_t a, b;
	double t;
	long long pid;
};

/*
 * The cache of repeated records: a record whose signature (linesig.h,
 * secsig.h) was seen has the same outcome, so it is replayed (counts,
 * time, pid) instead of parsed again. sigcache_new(): empty.
 */
struct sigcache;
struct sigcache *sigcache_new(void);
void sigcache_free(struct sigcache *c);

/*
 * The rest of a candidate line's way, in log order: replayed from cache
 * (NULL: none) or parsed into r and harvested into h (SECCOMP records to
 * o->seccomp); st counts it.
 */
void scan_take(harvest_t *h, struct scan_stats *st, struct sigcache *cache, struct record *r,
	       time_t now, const char *line, size_t len, const struct scan_sig *sg,
	       const struct scan_opts *o);

/* the journal names the host apart from the line: a record of another host is another signature */
void scan_sig_mix_host(struct scan_sig *sg, const char *host, size_t n);

#endif
