/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_TIMESPEC_H
#define AAPROF_TIMESPEC_H

/* Durations and points in time as the command line gives them. */

/* parse "30", "30s", "15m", "1h", "2d", "1w" into seconds */
int parse_duration(const char *s, long long *ret_seconds);

/*
 * A point in time for --since/--until: "30m", "1h", "2d", "1h 30min",
 * "2 days ago", "-1h" (that long before now), "+1h" (after now), "now",
 * "today", "yesterday", "tomorrow" (local midnight), "boot" (boot_time),
 * "@EPOCH", ISO 8601 "2026-11-22T08:00[:SS][Z|+01:00]", "2026-11-22
 * 08:00[:SS][ UTC]", "2026-11-22" or "08:00[:SS]" (today; local time
 * without a zone).
 */
int parse_time_spec(const char *s, double now, double boot_time, double *ret);

#endif
