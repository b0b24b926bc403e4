/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_LOGTIME_H
#define AAPROF_LOGTIME_H

#include <stddef.h>
#include <time.h>

/*
 * The time stamps log lines carry: auditd's and the kernel's
 * audit(EPOCH.MS:SERIAL), a syslog date (BSD or RFC 3339), dmesg's
 * [secs.usecs] since boot. Read by the record parser (record.c), the
 * framing of a line (origin.c), --since's search of a file (logseek.c)
 * and scan.c's cache of repeated lines (linesig.c).
 */

/*
 * Shapes that the parser and scan.c's cache of repeated lines must see
 * alike (the cache leaves them out of a line's signature, so nothing the
 * parser decides may depend on what they hold):
 * record_date_len(): the bytes of a leading syslog date, "Mmm dd HH:MM:SS"
 * or an RFC 3339 "YYYY-MM-DDTHH:MM:SS..." token, else 0;
 * record_boot_secs_len(): the bytes of a dmesg "[ secs.usecs]" at p (the
 * start of a token), else 0.
 */
static inline size_t record_date_len(const char *p, size_t len)
{
	size_t n = 0;

	if (len > 16 && p[3] == ' ' && p[6] == ' ' && p[9] == ':' && p[12] == ':')
		return 15;
	if (len > 20 && p[0] >= '0' && p[0] <= '9' && p[4] == '-' && p[10] == 'T') {
		while (n < len && p[n] != ' ')
			n++;
		return n;
	}
	return 0;
}

static inline size_t record_boot_secs_len(const char *p, const char *end)
{
	const char *q = p + 1;
	int digits = 0;

	if (q >= end || *p != '[')
		return 0;
	while (q < end && *q == ' ')
		q++;
	for (; q < end && *q >= '0' && *q <= '9'; q++)
		digits++;
	if (!digits || q >= end || *q != '.')
		return 0;
	for (q++; q < end && *q >= '0' && *q <= '9'; q++)
		;
	return q < end && *q == ']' ? (size_t)(q + 1 - p) : 0;
}

/*
 * The audit stamp "EPOCH.MS:SERIAL)" at s, just after "audit(", the line
 * ending at end: EPOCH and SERIAL non-negative decimal numbers (a sign
 * allowed), MS 0 to 999. Fills *ret and returns the position after ')',
 * or returns NULL when it is not a stamp. The one reading of a stamp: the
 * parser's, and --since's search of a log file (logseek.c).
 */
struct audit_stamp {
	long long epoch;
	unsigned ms;
	unsigned long long serial;
};
const char *audit_stamp_parse(const char *s, const char *end, struct audit_stamp *ret);

/*
 * dmesg's "[ 1234.567890]" at s (s points at '['): the seconds since boot
 * and the position after ']', or NULL when it is not one
 */
const char *boot_secs_parse(const char *s, const char *end, double *ret_secs);

/*
 * A syslog date at the start of the n bytes at s: "Mmm dd HH:MM:SS " (BSD
 * syslog: the year is inferred as the latest one that does not put the
 * line more than a day in the future of now, 0: time(NULL)) or
 * "YYYY-MM-DDTHH:MM:SS[.frac](Z|+hh:mm) " (RFC 3339, rsyslog's default on
 * newer systems). Returns the epoch or -1.
 */
long long syslog_time_parse(const char *s, size_t n, time_t now);

#endif
