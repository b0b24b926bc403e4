/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * scan-report.c - what scan_sources() read, told: the sources and their
 * counts, the warning when no record was found (scan.h).
 */
#include "scan.h"
#include "strbuf.h"
#include "util.h"

#include <string.h>

void scan_warn_empty(const struct scan_stats *st)
{
	struct strbuf src = STRBUF_INIT;

	if (st->in_window)
		return;
	scan_format_sources(st, "  ", &src);
	if (st->incremental) {
		/* a periodic run that finds nothing new is no fault */
		strbuf_setlen(&src, src.len ? src.len - 1 : 0);
		note("no new AppArmor record since the last harvest:\n%s", src.buf);
		strbuf_release(&src);
		return;
	}
	warning("no AppArmor record in the %s read%s:\n%s%s%s", st->defaults ?
		"default sources" : "sources", st->windowed ? " (in the time window)" : "",
		src.buf, st->hints ? "likely causes:\n" : "", st->hints ? st->hints : "");
	strbuf_release(&src);
}

void scan_format_sources(const struct scan_stats *st, const char *indent, struct strbuf *out)
{
	size_t i;

	if (!st->nsrc)
		strbuf_addf(out, "%s(no source was read)\n", indent);
	for (i = 0; i < st->nsrc; i++) {
		const struct scan_source *ss = &st->src[i];

		if (ss->err) {
			strbuf_addf(out, "%s%s: not read: %s\n", indent, ss->name, strerror(ss->err));
			continue;
		}
		strbuf_addf(out, "%s%s: %llu line%s, %llu AppArmor record%s", indent, ss->name,
			    ss->lines, ss->lines == 1 ? "" : "s", ss->apparmor,
			    ss->apparmor == 1 ? "" : "s");
		if (ss->in_window != ss->apparmor)
			strbuf_addf(out, " (%llu in the window)", ss->in_window);
		strbuf_addch(out, '\n');
	}
}
