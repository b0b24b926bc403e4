/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_RECORD_H
#define AAPROF_RECORD_H

#include <stddef.h>
#include <time.h>

#include "logtime.h"
#include "origin.h"
#include "recfield.h"

/*
 * One log line -> one AppArmor record. The parser understands every line
 * shape real hosts produce: auditd's audit.log (type=AVC / type=1400 /
 * APPARMOR_*, ENRICHED with its \x1d trailer, node= prefixes), syslog and
 * kern.log (BSD and RFC 3339 stamps), dmesg ([secs.usecs] audit: ...),
 * journald's kernel lines, and dbus USER_AVC (msg='...') lines. Hex-encoded
 * values are decoded. No allocation per line once the record has grown.
 * The fields and the keys that fill them are in recfield.h, who wrote a
 * line (enum rec_origin) in origin.h, the stamps in logtime.h.
 */

enum rec_event {
	EV_INVALID = 0,   /* not an AppArmor record (or an unsupported legacy one) */
	EV_ERROR,
	EV_AUDIT,
	EV_ALLOWED,
	EV_DENIED,
	EV_HINT,
	EV_STATUS,
};

struct record {
	enum rec_event event;
	int type;                /* audit message type number, 0 if none */
	/* audit(EPOCH.MS:SERIAL); has_stamp 0 when the line had none */
	int has_stamp;
	long long epoch;
	unsigned ms;
	unsigned long long serial;
	double boot_secs;        /* dmesg [secs.usecs], or -1 */
	long long syslog_time;   /* epoch from a syslog prefix, or -1 (year inferred) */
	int malformed;           /* looked like AppArmor but could not be trusted */
	const char *why;         /* for malformed: what was wrong */
	enum rec_origin origin;
	const char *origin_why;  /* for RO_USER: why the kernel did not write it */

	unsigned has_num;        /* bit n: num[n] is set */
	long long num[RN_COUNT];
	int off[RF_COUNT];       /* offset into buf, or -1 */
	char *buf;
	size_t len, alloc;
};

void record_init(struct record *r);
void record_release(struct record *r);

/*
 * Parse one line (len bytes, need not be NUL-terminated; a trailing newline
 * is ignored). Always fills r; returns r->event. A line that mentions
 * apparmor= but cannot be parsed has event EV_INVALID and malformed set.
 * now: the reference time for inferring syslog years (0: time(NULL)).
 */
enum rec_event record_parse(struct record *r, const char *line, size_t len, time_t now);

static inline const char *record_get(const struct record *r, enum rec_field f)
{
	return r->off[f] < 0 ? NULL : r->buf + r->off[f];
}

static inline int record_has(const struct record *r, enum rec_num n)
{
	return (r->has_num >> n) & 1;
}

/* the operation, "?" when the record names none */
static inline const char *record_op(const struct record *r)
{
	return record_get(r, RF_OPERATION) ? record_get(r, RF_OPERATION) : "?";
}

/*
 * The mask that says what was missing: the denied mask, else NULL, with
 * *ret_nothing set when a mask was requested but nothing denied (the
 * access was allowed already)
 */
static inline const char *record_missing_mask(const struct record *r, int *ret_nothing)
{
	const char *d = record_get(r, RF_DENIED), *q = record_get(r, RF_REQUESTED);

	*ret_nothing = !(d && *d) && q && *q;
	return d && *d ? d : NULL;
}

/* did the kernel write it (or the D-Bus daemon, as the kernel says)? */
static inline int record_trusted(const struct record *r)
{
	return r->origin != RO_USER;
}

/* the record's time in seconds since the epoch, best source first; -1 if unknown */
double record_time(const struct record *r, double boot_time);

const char *record_event_name(enum rec_event ev);
/* "tcp" for 6 etc., else NULL */
const char *record_protocol_name(long long proto);
/*
 * The policy namespace of the record's profile, relative to the host's:
 * NULL for the host's own, else its name (without "root//") and *ret_len
 */
const char *record_namespace(const struct record *r, size_t *ret_len);

#endif
