/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_SECHARV_H
#define AAPROF_SECHARV_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"
#include "secprof.h"
#include "strbuf.h"

/*
 * seccomp harvest: the kernel's SECCOMP records -> the syscalls a workload
 * made that its profile (Docker's default) does not allow, each with its
 * evidence; the dangerous ones (Docker refuses them for container escapes,
 * or allows them only with argument filters the records cannot show) held
 * back unless named; the rest added to the profile as groups of their own.
 */
typedef struct secharv secharv_t;

struct secharv_opts {
	const char *const *targets;   /* LABEL (subj=), comm or exe; none: every record */
	size_t ntargets;
	const char *const *allow;     /* --allow-dangerous=NAME: syscall names */
	size_t nallow;
	const char *const *caps;      /* the container's capabilities (NULL: Docker's) */
	const char *kernel;           /* for minKernel (NULL: every one holds) */
	double boot_time;             /* for dmesg [secs] stamps (0: unknown) */
};

secharv_t *secharv_new(const struct secharv_opts *o);
void secharv_free(secharv_t *h);

/* one SECCOMP line as record_parse() parsed it; in_window: the time window admits it */
void secharv_add(secharv_t *h, const struct record *r, const char *line, size_t len,
		 int in_window);

/*
 * The cache of repeated SECCOMP records: a record whose signature (a, b:
 * secsig.h) was seen has the outcome secharv_add() gave it, replayed with
 * its own time t and window. secharv_replay(): 1, or 0 when the signature
 * is not known or its outcome cannot be replayed (then parse the line,
 * secharv_add() it, and secharv_remember() its signature, whose audit stamp
 * must be the one record_parse() read).
 */
int secharv_replay(secharv_t *h, uint64_t a, uint64_t b, double t, const char *line, size_t len,
		   int in_window);
void secharv_remember(secharv_t *h, uint64_t a, uint64_t b);

/*
 * Judge what was collected against base and add the syscalls to add to
 * it, one group each (with its evidence as "comment"). Returns how many
 * were held back (dangerous, arg-filtered, refused, unnamed).
 */
size_t secharv_apply(secharv_t *h, secprof_t *base);
/* after secharv_apply(): the syscalls added */
size_t secharv_nadded(const secharv_t *h);
/* the held-back syscalls, each with its evidence and how to add it */
void secharv_format_held(const secharv_t *h, struct strbuf *out);
/* the summary: records read, used, and why the others were not */
void secharv_format_summary(const secharv_t *h, struct strbuf *out);
/* every syscall seen with its evidence and verdict, as JSON */
void secharv_format_json(const secharv_t *h, struct strbuf *out);
/* SECCOMP records read (whatever became of them) */
unsigned long long secharv_records(const secharv_t *h);

/* is name one of the syscalls Docker refuses for escape reasons? */
int seccomp_dangerous(const char *name);

#endif
