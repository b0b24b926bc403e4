/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * logtime.c - the time stamps of log lines: audit(EPOCH.MS:SERIAL),
 * dmesg's [secs.usecs], syslog's BSD and RFC 3339 dates.
 */
#include "logtime.h"
#include "decimal.h"

#include <ctype.h>
#include <string.h>

/* up to 18 digits at p (no overflow), stopping at another byte or end: after them */
static inline const char *digits18(const char *p, const char *end, unsigned long long *ret)
{
	const char *lim = end - p > 18 ? p + 18 : end;
	unsigned long long x = 0;
	unsigned d;

	while (p < lim && (d = (unsigned char)*p - '0') < 10) {
		x = x * 10 + d;
		p++;
	}
	*ret = x;
	return p;
}

/* the general reading: signs, and numbers as long as a long long's */
static const char *audit_stamp_parse_slow(const char *s, const char *end, struct audit_stamp *ret)
{
	const char *p = s, *dot, *colon;
	long long epoch, ms, serial;

	while (p < end && *p != ')')
		p++;
	if (p >= end)
		return NULL;
	dot = memchr(s, '.', p - s);
	colon = memchr(s, ':', p - s);
	if (!dot || !colon || colon < dot ||
	    parse_decimal(s, dot - s, &epoch) < 0 || epoch < 0 ||
	    parse_decimal(dot + 1, colon - dot - 1, &ms) < 0 || ms < 0 || ms > 999 ||
	    parse_decimal(colon + 1, p - colon - 1, &serial) < 0 || serial < 0)
		return NULL;
	ret->epoch = epoch;
	ret->ms = (unsigned)ms;
	ret->serial = (unsigned long long)serial;
	return p + 1;
}

const char *audit_stamp_parse(const char *s, const char *end, struct audit_stamp *ret)
{
	/* the kernel's shape, DIGITS.DIGITS:DIGITS), read in one pass; anything
	   else (a sign, a longer number, no stamp) by the general reading */
	unsigned long long e, ms, serial;
	const char *p = digits18(s, end, &e), *q, *r;

	if (p > s && p < end && *p == '.' && (q = digits18(p + 1, end, &ms)) > p + 1 && q < end &&
	    *q == ':' && ms <= 999 && (r = digits18(q + 1, end, &serial)) > q + 1 && r < end &&
	    *r == ')') {
		ret->epoch = (long long)e;
		ret->ms = (unsigned)ms;
		ret->serial = serial;
		return r + 1;
	}
	return audit_stamp_parse_slow(s, end, ret);
}

const char *boot_secs_parse(const char *s, const char *end, double *ret_secs)
{
	size_t n = record_boot_secs_len(s, end);   /* the shape scan.c's cache skips */
	const char *p = s + 1;
	double secs = 0, scale = 0.1;

	if (!n)
		return NULL;
	while (*p == ' ')
		p++;
	for (; isdigit((unsigned char)*p); p++)
		secs = secs * 10 + (*p - '0');
	for (p++; isdigit((unsigned char)*p); p++, scale /= 10)
		secs += (*p - '0') * scale;
	*ret_secs = secs;
	return s + n;
}

/* ------------------------------------------------------- syslog stamps */

static const char months[][4] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

static int two(const char *s)
{
	return isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) ?
	       (s[0] - '0') * 10 + (s[1] - '0') : -1;
}

static int is_rfc3339(const char *s, size_t n)
{
	return n >= 20 && isdigit((unsigned char)s[0]) && s[4] == '-' && s[7] == '-' &&
	       (s[10] == 'T' || s[10] == ' ') && s[13] == ':' && s[16] == ':';
}

/* "YYYY-MM-DDTHH:MM:SS[.frac](Z|+hh:mm)" (is_rfc3339()): the epoch or -1 */
static long long rfc3339_time(const char *s, size_t n)
{
	struct tm tm = { 0 };
	const char *p = s + 19;
	long long t;
	int off = 0;

	tm.tm_year = two(s) * 100 + two(s + 2) - 1900;
	tm.tm_mon = two(s + 5) - 1;
	tm.tm_mday = two(s + 8);
	tm.tm_hour = two(s + 11);
	tm.tm_min = two(s + 14);
	tm.tm_sec = two(s + 17);
	if (tm.tm_year < 0 || tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 ||
	    tm.tm_hour < 0 || tm.tm_min < 0 || tm.tm_sec < 0)
		return -1;
	if (p < s + n && *p == '.')
		for (p++; p < s + n && isdigit((unsigned char)*p); p++)
			;
	if (p < s + n && (*p == '+' || *p == '-') && p + 6 <= s + n && p[3] == ':') {
		off = (two(p + 1) * 60 + two(p + 4)) * 60;
		if (*p == '-')
			off = -off;
	} else if (p < s + n && *p != 'Z' && *p != ' ') {
		return -1;
	}
	t = timegm(&tm);
	return t < 0 ? -1 : t - off;
}

/*
 * The epoch of tm (month, day and time of day of a BSD syslog date), in
 * the latest year that does not put it more than a day after now.
 * mktime() reads the time zone file on every call: remember hours (DST
 * changes on hour boundaries, so this is exact)
 */
static long long bsd_year_time(const struct tm *tm, time_t now)
{
	static time_t cached_now = -1;
	static int cached_year;
	static struct { int key; long long base; } hours[256];
	int sec = tm->tm_min * 60 + tm->tm_sec;
	int key = (tm->tm_mon * 32 + tm->tm_mday) * 24 + tm->tm_hour + 1;
	int slot = key & 255;
	long long t;

	if (!now)
		now = time(NULL);
	if (now != cached_now) {
		struct tm nowtm;

		localtime_r(&now, &nowtm);
		cached_now = now;
		cached_year = nowtm.tm_year;
		memset(hours, 0, sizeof(hours));
	}
	if (hours[slot].key != key) {
		struct tm h = *tm;

		h.tm_min = h.tm_sec = 0;
		h.tm_year = cached_year;
		h.tm_isdst = -1;
		t = mktime(&h);
		if (t + sec > (long long)now + 86400) {
			h = *tm;
			h.tm_min = h.tm_sec = 0;
			h.tm_year = cached_year - 1;
			h.tm_isdst = -1;
			t = mktime(&h);
		}
		hours[slot].key = key;
		hours[slot].base = t;
	}
	return hours[slot].base + sec;
}

long long syslog_time_parse(const char *s, size_t n, time_t now)
{
	struct tm tm = { 0 };
	int i;

	if (is_rfc3339(s, n))
		return rfc3339_time(s, n);
	if (n < 16 || s[3] != ' ' || s[6] != ' ' || s[9] != ':' || s[12] != ':')
		return -1;
	for (i = 0; i < 12; i++)
		if (!memcmp(s, months[i], 3))
			break;
	if (i == 12)
		return -1;
	tm.tm_mon = i;
	tm.tm_mday = s[4] == ' ' ? two((char[]){ '0', s[5] }) : two(s + 4);
	tm.tm_hour = two(s + 7);
	tm.tm_min = two(s + 10);
	tm.tm_sec = two(s + 13);
	if (tm.tm_mday < 1 || tm.tm_hour < 0 || tm.tm_min < 0 || tm.tm_sec < 0)
		return -1;
	return bsd_year_time(&tm, now);
}
