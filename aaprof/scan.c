/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * scan.c - read the log sources into a harvest: only lines that can be
 * AppArmor records are parsed; lines that show lost records are noted.
 */
#include "scan.h"
#include "logsrc.h"
#include "record.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* does the line say the kernel or auditd dropped records? */
static int is_lost_marker(const char *line, size_t len)
{
	if (len > 5 && !memcmp(line, "type=", 5) && !(len > 11 && !memcmp(line + 5, "DAEMON", 6)))
		return 0;   /* ordinary audit.log records */
	return memmem(line, len, "audit_lost=", 11) || memmem(line, len, "callbacks suppressed", 20) ||
	       memmem(line, len, "backlog limit exceeded", 22) ||
	       memmem(line, len, "rate limit exceeded", 19);
}

/* could the line be an AppArmor record? (cheap: most lines are not) */
static int maybe_apparmor(const char *line, size_t len)
{
	if (memmem(line, len, "apparmor=\"", 10))
		return 1;
	/* AppArmor 2.1-era records: type=150x without apparmor= */
	if (len > 13 && !memcmp(line, "type=APPARMOR", 13))
		return 1;
	if (len > 5 && !memcmp(line, "type=", 5))
		return len > 16 && !memcmp(line + 5, "UNKNOWN[150", 11);
	return memmem(line, len, "type=150", 8) != NULL;
}

static int scan_one(harvest_t *h, logsrc_t *src, struct scan_stats *st, double since, time_t now)
{
	struct record r;
	const char *line;
	size_t len;
	int rc;

	record_init(&r);
	if (since > 0 && logsrc_seek_time(src, since) < 0)
		return -1;
	while ((rc = logsrc_next(src, &line, &len)) > 0) {
		st->lines++;
		if (!maybe_apparmor(line, len)) {
			if (is_lost_marker(line, len) && !st->lost_marks++)
				snprintf(st->lost_sample, sizeof(st->lost_sample), "%.*s",
					 (int)(len > 200 ? 200 : len), line);
			continue;
		}
		record_parse(&r, line, len, now);
		if (r.event != EV_INVALID || r.malformed)
			st->apparmor++;
		harvest_add(h, &r, line, len);
	}
	st->long_lines += logsrc_long_lines(src);
	st->kmsg_lost += logsrc_lost(src);
	record_release(&r);
	return rc;
}

static int run(harvest_t *h, logsrc_t *src, const struct scan_opts *o, struct scan_stats *st,
	       double since)
{
	int r;

	if (!o->quiet)
		note("reading %s", logsrc_name(src));
	r = scan_one(h, src, st, since, (time_t)o->now);
	logsrc_close(src);
	return r;
}

int scan_sources(harvest_t *h, const struct scan_opts *o, struct scan_stats *st)
{
	char **defaults = NULL;
	int journal = o->journal, rc = -1;
	size_t i;
	logsrc_t *src;

	harvest_set_boot_time(h, 0);   /* files may come from another boot */
	if (!o->nfiles && !o->journal && !o->dmesg) {
		const char *root = getenv("AAPROF_ROOT");

		if (logsrc_default(root ? root : "", &defaults, &journal) < 0)
			return -1;
	}
	for (i = 0; i < o->nfiles; i++) {
		if (logsrc_open_file(o->files[i], &src) < 0 || run(h, src, o, st, o->since) < 0)
			goto out;
	}
	for (i = 0; defaults && defaults[i]; i++) {
		if (logsrc_open_file(defaults[i], &src) < 0 || run(h, src, o, st, o->since) < 0)
			goto out;
	}
	if (journal) {
		if (logsrc_open_journal(o->since, o->journal_file, &src) < 0 || run(h, src, o, st, 0) < 0)
			goto out;
	}
	if (o->dmesg) {
		if (logsrc_open_dmesg(&src) < 0)
			goto out;
		harvest_set_boot_time(h, o->boot_time);
		if (run(h, src, o, st, 0) < 0)
			goto out;
	}
	rc = 0;
out:
	for (i = 0; defaults && defaults[i]; i++)
		free(defaults[i]);
	free(defaults);
	return rc;
}

void scan_report(const harvest_t *h, const struct scan_stats *st)
{
	const char *p = harvest_problems(h);

	note("%llu lines, %llu AppArmor records: %llu used (%zu rules), %llu already allowed, "
	     "%llu filtered out, %llu with nothing missing, %llu malformed skipped",
	     st->lines, st->apparmor, harvest_count(h, HS_USED), harvest_nrules(h),
	     harvest_count(h, HS_COVERED), harvest_count(h, HS_FILTERED),
	     harvest_count(h, HS_NOTHING_MISSING), harvest_count(h, HS_MALFORMED));
	if (harvest_count(h, HS_NO_TIME))
		warning("%llu records had no time stamp and were left out by --since/--until",
			harvest_count(h, HS_NO_TIME));
	if (*p) {
		warning("%llu records could not be written as rules, %llu are of kinds aaprof "
			"does not turn into rules; notes:", harvest_count(h, HS_UNEXPRESSIBLE),
			harvest_count(h, HS_UNSUPPORTED));
		while (*p) {
			const char *nl = strchr(p, '\n');

			fprintf(stderr, "  %.*s\n", (int)(nl ? nl - p : (long)strlen(p)), p);
			p = nl ? nl + 1 : p + strlen(p);
		}
	}
	if (st->long_lines)
		warning("%llu lines longer than %u bytes were skipped", st->long_lines,
			LOGSRC_MAX_LINE);
	if (st->lost_marks || st->kmsg_lost)
		warning("the log shows lost records (%llu times%s%s%s%s): the harvest may be "
			"incomplete; run the workload again, or raise the audit backlog and the "
			"printk rate limit", st->lost_marks + st->kmsg_lost,
			st->lost_marks ? ", e.g. \"" : "", st->lost_sample, st->lost_marks ? "\"" : "",
			st->kmsg_lost ? "; /dev/kmsg overwrote records before they were read" : "");
}
