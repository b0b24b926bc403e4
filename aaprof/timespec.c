/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "timespec.h"
#include "alloc.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int parse_duration(const char *s, long long *ret_seconds)
{
	long long mult = 1;
	char *end;
	long long v;

	if (!s || !*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s)
		return -1;
	if (*end) {
		if (end[1])
			return -1;
		switch (*end) {
		case 's': mult = 1; break;
		case 'm': mult = 60; break;
		case 'h': mult = 3600; break;
		case 'd': mult = 86400; break;
		case 'w': mult = 7 * 86400; break;
		default: return -1;
		}
	}
	if (v > LLONG_MAX / mult)
		return -1;
	*ret_seconds = v * mult;
	return 0;
}

/*
 * A span as systemd writes it: "1h", "2 days", "1h 30min", "90" (seconds).
 * Units: s sec second(s), m min minute(s), h hr hour(s), d day(s),
 * w week(s), M month(s) (30.44 days), y year(s) (365.25 days).
 */
static int parse_span(const char *s, long long *ret_seconds)
{
	static const struct {
		const char *name;
		long long secs;
	} units[] = {
		{ "s", 1 }, { "sec", 1 }, { "second", 1 }, { "seconds", 1 },
		{ "m", 60 }, { "min", 60 }, { "minute", 60 }, { "minutes", 60 },
		{ "h", 3600 }, { "hr", 3600 }, { "hour", 3600 }, { "hours", 3600 },
		{ "d", 86400 }, { "day", 86400 }, { "days", 86400 },
		{ "w", 604800 }, { "week", 604800 }, { "weeks", 604800 },
		{ "M", 2629800 }, { "month", 2629800 }, { "months", 2629800 },
		{ "y", 31557600 }, { "year", 31557600 }, { "years", 31557600 },
	};
	long long total = 0;
	int parts = 0;

	for (;;) {
		long long v, mult = 1;
		const char *w;
		size_t i, n;
		char *end;

		while (*s == ' ')
			s++;
		if (!*s)
			break;
		if (*s < '0' || *s > '9')
			return -1;
		errno = 0;
		v = strtoll(s, &end, 10);
		if (errno)
			return -1;
		s = end;
		while (*s == ' ')
			s++;
		for (w = s; (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'); s++)
			;
		n = s - w;
		if (n) {
			for (i = 0; i < ARRAY_SIZE(units); i++)
				if (strlen(units[i].name) == n && !strncmp(units[i].name, w, n))
					break;
			if (i == ARRAY_SIZE(units))
				return -1;
			mult = units[i].secs;
		} else if (*s) {
			return -1;   /* a bare number only alone or last: seconds */
		}
		if (v > (LLONG_MAX - total) / mult)
			return -1;
		total += v * mult;
		parts++;
	}
	if (!parts)
		return -1;
	*ret_seconds = total;
	return 0;
}

/* local midnight of the day of now, plus days */
static double local_midnight(double now, int days)
{
	time_t t = (time_t)now;
	struct tm tm;

	localtime_r(&t, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_mday += days;
	tm.tm_isdst = -1;
	return (double)mktime(&tm);
}

int parse_time_spec(const char *s, double now, double boot_time, double *ret)
{
	struct tm tm = { 0 };
	long long secs;
	const char *p;
	char *end;
	int zone = 0, off = 0;

	if (!s || !*s)
		return -1;
	/* what journalctl takes: today, yesterday, -1h, +1h, "1 hour ago" */
	if (streq(s, "today") || streq(s, "yesterday") || streq(s, "tomorrow")) {
		*ret = local_midnight(now, streq(s, "today") ? 0 : streq(s, "yesterday") ? -1 : 1);
		return 0;
	}
	if ((*s == '-' || *s == '+') && parse_span(s + 1, &secs) == 0) {
		*ret = *s == '-' ? now - (double)secs : now + (double)secs;
		return 0;
	}
	if (ends_with(s, " ago")) {
		_cleanup_free_ char *span = xstrndup(s, strlen(s) - 4);

		if (parse_span(span, &secs) < 0)
			return -1;
		*ret = now - (double)secs;
		return 0;
	}
	if (*s >= '0' && *s <= '9' && parse_span(s, &secs) == 0) {
		*ret = now - (double)secs;
		return 0;
	}
	/* a time of day alone: today at that time (local) */
	p = strptime(s, "%H:%M:%S", &tm);
	if (!p || *p) {
		memset(&tm, 0, sizeof(tm));
		p = strptime(s, "%H:%M", &tm);
	}
	if (p && !*p) {
		time_t t = (time_t)now;
		struct tm today;

		localtime_r(&t, &today);
		today.tm_hour = tm.tm_hour;
		today.tm_min = tm.tm_min;
		today.tm_sec = tm.tm_sec;
		today.tm_isdst = -1;
		*ret = (double)mktime(&today);
		return 0;
	}
	memset(&tm, 0, sizeof(tm));
	if (streq(s, "boot")) {
		if (boot_time <= 0)
			return -1;
		*ret = boot_time;
		return 0;
	}
	if (streq(s, "now")) {
		*ret = now;
		return 0;
	}
	if (*s == '@') {
		double v = strtod(s + 1, &end);

		if (end == s + 1 || *end || v < 0)
			return -1;
		*ret = v;
		return 0;
	}
	if (parse_duration(s, &secs) == 0) {
		*ret = now - (double)secs;
		return 0;
	}
	p = strptime(s, "%Y-%m-%d", &tm);
	if (!p)
		return -1;
	if (*p == 'T' || *p == ' ') {
		const char *q = strptime(p + 1, "%H:%M:%S", &tm);

		if (!q)
			q = strptime(p + 1, "%H:%M", &tm);
		if (!q)
			return -1;
		p = q;
		if (*p == '.')
			for (p++; *p >= '0' && *p <= '9'; p++)
				;
	}
	if (*p == 'Z') {
		zone = 1;
		p++;
	} else if (streq(p, " UTC") || streq(p, " GMT") || streq(p, " Z")) {
		zone = 1;   /* as journalctl prints it: 2023-11-14 22:13:20 UTC */
		p += strlen(p);
	} else if ((*p == '+' || *p == '-') && strlen(p) >= 5) {
		int h = (p[1] - '0') * 10 + (p[2] - '0');
		int m = p[3] == ':' ? (p[4] - '0') * 10 + (p[5] - '0') : (p[3] - '0') * 10 + (p[4] - '0');

		zone = 1;
		off = (h * 60 + m) * 60 * (*p == '-' ? -1 : 1);
		p += p[3] == ':' ? 6 : 5;
	}
	if (*p)
		return -1;
	if (zone) {
		*ret = (double)timegm(&tm) - off;
	} else {
		tm.tm_isdst = -1;
		*ret = (double)mktime(&tm);
	}
	return 0;
}
