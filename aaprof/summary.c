/* SPDX-License-Identifier: GPL-2.0-or-later */
/* summary.c - what a harvest read, used, added and left out, in sentences */
#include "summary.h"
#include "abi.h"
#include "logsrc.h"
#include "profile.h"
#include "sanitise.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "1 record" / "2 records" */
static void add_count(struct strbuf *out, unsigned long long n, const char *one, const char *many)
{
	strbuf_addf(out, "%llu %s", n, n == 1 ? one : many);
}

/* ", N WHY" for a reason records were not used, when N is not 0 */
static void add_reason(struct strbuf *out, unsigned long long n, const char *why)
{
	if (!n)
		return;
	strbuf_addf(out, "%s%llu %s", out->len ? ", " : "", n, why);
}

static void report_used(const harvest_t *h, const struct summary_out *o)
{
	unsigned long long used = harvest_count(h, HS_USED);
	struct strbuf s = STRBUF_INIT;

	if (!used)
		strbuf_addstr(&s, "no record used");
	else
		add_count(&s, used, "record used", "records used");
	strbuf_addstr(&s, ": ");
	if (o->profile) {
		const char *where = o->pfile ? o->pfile : "the profile";

		if (!o->rules)
			strbuf_addf(&s, "no rule %s %s", o->diff ? "to add to" : "added to", where);
		else
			strbuf_addf(&s, "%zu rule%s %s %s", o->rules, o->rules == 1 ? "" : "s",
				    o->diff ? "to add to" : "added to", where);
		if (o->widened)
			strbuf_addf(&s, " (%zu of them widen%s a rule it had)", o->widened,
				    o->widened == 1 ? "s" : "");
	} else if (!o->rules) {
		strbuf_addstr(&s, "no rule");
	} else {
		add_count(&s, o->rules, "rule", "rules");
	}
	if (o->held)
		strbuf_addf(&s, "; %zu dangerous rule%s held back (below)", o->held,
			    o->held == 1 ? "" : "s");
	note("%s", s.buf);
	strbuf_release(&s);
}

static void report_unused(const harvest_t *h)
{
	struct strbuf s = STRBUF_INIT;

	add_reason(&s, harvest_count(h, HS_COVERED), "already allowed (or denied) by the profile");
	add_reason(&s, harvest_count(h, HS_FILTERED),
		   "filtered out (another profile, event, --comm, --pid or time)");
	add_reason(&s, harvest_count(h, HS_NOTHING_MISSING), "showing nothing the profile lacked");
	add_reason(&s, harvest_count(h, HS_MALFORMED), "malformed");
	add_reason(&s, harvest_count(h, HS_NOT_KERNEL), "not written by the kernel");
	add_reason(&s, harvest_count(h, HS_OTHER_NAMESPACE), "of another policy namespace");
	add_reason(&s, harvest_count(h, HS_NO_TIME), "without a time stamp");
	add_reason(&s, harvest_count(h, HS_UNEXPRESSIBLE), "not expressible as a rule");
	add_reason(&s, harvest_count(h, HS_UNSUPPORTED), "of a kind aaprof does not turn into rules");
	if (s.len)
		note("not used: %s", s.buf);
	strbuf_release(&s);
}

/* the rule kinds the target does not enforce, and what became of them */
static void report_abi(const harvest_t *h)
{
	unsigned bits = harvest_not_enforced(h);
	struct strbuf s = STRBUF_INIT;

	if (bits & DRAFT_ADDRESSES_LEFT_OUT)
		note("network addresses and ports left out of the rules (--keep-addresses keeps "
		     "them where the target enforces them)");
	if (harvest_target(h))
		abi_explain(harvest_target(h), bits, "  ", &s);
	if (s.len) {
		strbuf_setlen(&s, s.len - 1);
		note("rule forms for what the kernel enforces:\n%s", s.buf);
	}
	strbuf_release(&s);
}

/* the notes of records that could not become rules, one a line, escaped */
static void report_problems(const harvest_t *h)
{
	unsigned long long unexpr = harvest_count(h, HS_UNEXPRESSIBLE);
	unsigned long long unsup = harvest_count(h, HS_UNSUPPORTED);
	const char *p = harvest_problems(h);
	struct strbuf head = STRBUF_INIT;

	if (!*p)
		return;
	if (unexpr)
		strbuf_addf(&head, "%llu record%s could not be written as rules", unexpr,
			    unexpr == 1 ? "" : "s");
	if (unsup)
		strbuf_addf(&head, "%s%llu record%s of kinds aaprof does not turn into rules",
			    head.len ? ", " : "", unsup, unsup == 1 ? " is" : "s are");
	warning("%s:", head.len ? head.buf : "notes on records that gave no rule");
	strbuf_release(&head);
	while (*p) {
		const char *nl = strchr(p, '\n');
		struct strbuf line = STRBUF_INIT;

		strbuf_add_printable(&line, p, nl ? (size_t)(nl - p) : strlen(p), NULL);
		fprintf(stderr, "  %s\n", line.buf);
		strbuf_release(&line);
		p = nl ? nl + 1 : p + strlen(p);
	}
}

void summary_report(const harvest_t *h, const struct scan_stats *st, const struct summary_out *o)
{
	unsigned long long n;
	struct strbuf s = STRBUF_INIT;

	strbuf_addstr(&s, "read ");
	add_count(&s, st->lines, "line", "lines");
	strbuf_addstr(&s, ": ");
	if (!st->apparmor)
		strbuf_addstr(&s, "no AppArmor record");
	else
		add_count(&s, st->apparmor, "AppArmor record", "AppArmor records");
	if (st->windowed && st->in_window != st->apparmor)
		strbuf_addf(&s, ", %llu in the time window", st->in_window);
	note("%s", s.buf);
	strbuf_release(&s);
	report_used(h, o);
	report_unused(h);
	report_abi(h);
	n = harvest_count(h, HS_NOT_KERNEL);
	if (n)
		warning("%llu record%s not written by the kernel and %s no evidence (e.g. %s)", n,
			n == 1 ? " was" : "s were", n == 1 ? "is" : "are",
			harvest_not_kernel_example(h));
	n = harvest_count(h, HS_OTHER_NAMESPACE);
	if (n)
		warning("%llu record%s of another AppArmor policy namespace (e.g. %s, a nested "
			"container's own policy) %s left out; harvest one with --namespace NS", n,
			n == 1 ? "" : "s", harvest_other_namespace_example(h),
			n == 1 ? "was" : "were");
	n = harvest_count(h, HS_NO_TIME);
	if (n)
		warning("%llu record%s no time stamp and %s left out by --since/--until", n,
			n == 1 ? " had" : "s had", n == 1 ? "was" : "were");
	report_problems(h);
	if (st->long_lines)
		warning("%llu line%s longer than %u bytes %s skipped", st->long_lines,
			st->long_lines == 1 ? "" : "s", LOGSRC_MAX_LINE,
			st->long_lines == 1 ? "was" : "were");
	n = st->lost_marks + st->kmsg_lost;
	if (n)
		warning("the log shows lost records (%llu time%s%s%s%s%s): the harvest may be "
			"incomplete; run the workload again, or raise the audit backlog and the "
			"printk rate limit", n, n == 1 ? "" : "s",
			st->lost_marks ? ", e.g. \"" : "", st->lost_sample, st->lost_marks ? "\"" : "",
			st->kmsg_lost ? "; /dev/kmsg overwrote records before they were read" : "");
}

/* ------------------------------------------------- rules added to a section */

struct lines {
	char **v;
	size_t n, alloc;
};

static void collect(void *ctx, const char *child, const char *rule)
{
	struct lines *l = ctx;

	ALLOC_GROW(l->v, l->n + 1, l->alloc);
	l->v[l->n++] = xasprintf("%s\n%s", child, rule);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void lines_sort(struct lines *l)
{
	if (l->n)   /* (qsort's array may not be NULL, even empty) */
		qsort(l->v, l->n, sizeof(char *), cmp_str);
}

static int has(const struct lines *l, const char *s)
{
	return l->n && bsearch(&s, l->v, l->n, sizeof(char *), cmp_str) != NULL;
}

/* the rule without its last word ("/etc/x r," -> "/etc/x") */
static char *stem(const char *rule)
{
	const char *sp = strrchr(rule, ' ');

	return sp ? xstrndup(rule, sp - rule) : xstrdup(rule);
}

static void lines_release(struct lines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

void summary_count_added(const char *base, const char *merged, size_t *ret_added,
			 size_t *ret_widened)
{
	struct lines old = { 0 }, new = { 0 }, gone = { 0 };
	size_t i;

	*ret_added = *ret_widened = 0;
	profile_section_rules(base, collect, &old);
	profile_section_rules(merged, collect, &new);
	lines_sort(&old);
	lines_sort(&new);
	/* the stems of the rules the merge replaced */
	for (i = 0; i < old.n; i++) {
		if (has(&new, old.v[i]))
			continue;
		ALLOC_GROW(gone.v, gone.n + 1, gone.alloc);
		gone.v[gone.n++] = stem(old.v[i]);
	}
	lines_sort(&gone);
	for (i = 0; i < new.n; i++) {
		char *s;

		if (has(&old, new.v[i]))
			continue;
		(*ret_added)++;
		s = stem(new.v[i]);
		*ret_widened += has(&gone, s);
		free(s);
	}
	lines_release(&old);
	lines_release(&new);
	lines_release(&gone);
}

size_t summary_count_rules(const char *text)
{
	size_t n = 0;

	while (*text) {
		const char *nl = strchrnul(text, '\n'), *p = text, *e = nl;

		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		n += e > p && *p != '#' && e[-1] == ',';
		text = *nl ? nl + 1 : nl;
	}
	return n;
}
