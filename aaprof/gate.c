/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gate.c - the enforce gate: switch a profile to enforce mode only on
 * evidence that it ran, through a whole complain period, without needing
 * anything its rules do not allow. See gate.h.
 */
#include "gate.h"
#include "harvest.h"
#include "session.h"
#include "stamp.h"
#include "strbuf.h"
#include "util.h"

#include <time.h>

/*
 * The kernel logs a load's STATUS record before apparmor_parser returns,
 * and aaprof stamps the load after: the gate reads back this far before
 * the stamp to find that record. A STATUS record later than the stamp by
 * more than LOAD_SKEW is another load.
 */
#define STAMP_SLACK 300.0
#define LOAD_SKEW 2.0

static void fmt_time(double t, char *buf, size_t size)
{
	time_t s = (time_t)t;
	struct tm tm;

	if (!localtime_r(&s, &tm) || !strftime(buf, size, "%Y-%m-%d %H:%M:%S %Z", &tm))
		snprintf(buf, size, "@%.0f", t);
}

/* 45s, 10m, 10m 5s, 1h, 1h 5m, 2d, 2d 3h */
static void fmt_dur(double secs, char *buf, size_t size)
{
	static const struct { long long n; char unit; } u[] = {
		{ 86400, 'd' }, { 3600, 'h' }, { 60, 'm' }, { 1, 's' },
	};
	long long s = secs < 0 ? 0 : (long long)(secs + 0.5);
	size_t i;

	for (i = 0; i + 1 < ARRAY_SIZE(u) && s < u[i].n; i++)
		;
	if (i + 1 < ARRAY_SIZE(u) && s % u[i].n / u[i + 1].n)
		snprintf(buf, size, "%lld%c %lld%c", s / u[i].n, u[i].unit,
			 s % u[i].n / u[i + 1].n, u[i + 1].unit);
	else
		snprintf(buf, size, "%lld%c", s / u[i].n, u[i].unit);
}

/* what the gate finds; why.len: it refuses */
struct gate_run {
	const struct gate_opts *o;
	const char *profiles[1];   /* o->name: the harvest filters on it */
	struct harvest_session s;
	struct harvest_evidence ev;
	struct load_stamp ls;
	int have_stamp;
	double since;              /* the window's start */
	double load;               /* the last load known, -1: none */
	char dur[64];              /* the window, as 2d 3h */
	struct strbuf why;         /* the reasons to refuse, a "  - " line each */
	struct strbuf src;         /* the sources read */
};

/* the records of the window, and back to aaprof's last load: 0 or an exit code */
static int gate_read(struct gate_run *g)
{
	const struct gate_opts *o = g->o;
	struct harvest_setup hs = { .ho = { .allowed = 1, .exec = EXEC_IX, .evidence = 1 },
				    .so = o->so, .policy_text = o->text, .danger_optional = 1 };
	_cleanup_free_ char *what = xasprintf("the profile '%s'", o->name);
	int rc;

	g->have_stamp = load_stamp_read(o->name, &g->ls);
	hs.policy_what = what;
	g->profiles[0] = o->name;
	hs.ho.profiles = g->profiles;
	hs.ho.nprofiles = 1;
	hs.ho.since = g->since;
	/* read back to aaprof's last load, to find its STATUS record */
	if (g->have_stamp && g->ls.time - STAMP_SLACK < g->since)
		hs.ho.evidence_since = g->ls.time - STAMP_SLACK;
	hs.so.quiet = o->quiet;
	/* dangerous accesses are marked in the listing, as harvest would */
	rc = harvest_open(&hs, &g->s);
	if (rc)
		return rc;
	if (harvest_read(&g->s) < 0)
		return EXIT_ERROR;
	harvest_get_evidence(g->s.h, &g->ev);
	scan_format_sources(&g->s.st, "    ", &g->src);
	if (g->src.len && g->src.buf[g->src.len - 1] == '\n')
		strbuf_setlen(&g->src, g->src.len - 1);
	return 0;
}

/* 1. everything it did in the window is allowed by its rules */
static void check_covered(struct gate_run *g)
{
	harvest_t *h = g->s.h;
	struct strbuf rules = STRBUF_INIT;

	if (!harvest_nrules(h))
		return;
	harvest_format_rules(h, g->o->name, "      ", &rules);
	if (harvest_nheld(h)) {
		strbuf_addstr(&rules, "    and dangerous ones, which harvest holds back "
				      "unless allowed:\n");
		harvest_format_held(h, &rules);
	}
	strbuf_addf(&g->why, "  - in the last %s it logged ALLOWED accesses its rules do not "
		    "cover:\n%s    run 'aaprof harvest --write %s', load it, exercise the "
		    "workload again, then retry\n", g->dur, rules.buf, g->o->name);
	strbuf_release(&rules);
}

/* 2. the whole window was a complain period */
static void check_complain_period(struct gate_run *g)
{
	const struct gate_opts *o = g->o;
	const char *load_how = NULL;
	char t1[64], t2[64];

	if (g->have_stamp) {
		g->load = g->ls.time;
		load_how = "loaded by aaprof";
	}
	if (g->ev.last_load >= 0 && g->ev.last_load > g->load + LOAD_SKEW) {
		g->load = g->ev.last_load;
		load_how = "(re)loaded, as the kernel's STATUS record shows,";
	}
	if (g->load > g->since) {
		fmt_time(g->load, t1, sizeof(t1));
		fmt_time(g->load + (double)o->window, t2, sizeof(t2));
		strbuf_addf(&g->why, "  - its complain period is shorter than the window: it was "
			    "%s at %s, ", load_how, t1);
		if (g->load > o->so.now) {
			strbuf_addstr(&g->why, "later than now (is the clock right?)");
		} else {
			char d[64];

			fmt_dur(o->so.now - g->load, d, sizeof(d));
			strbuf_addf(&g->why, "%s ago", d);
		}
		strbuf_addf(&g->why, "; a quiet period of %s since then ends at %s: let it run in "
			    "complain mode until then\n", g->dur, t2);
	} else if (g->have_stamp && g->load == g->ls.time && !streq(g->ls.mode, "complain")) {
		fmt_time(g->load, t1, sizeof(t1));
		strbuf_addf(&g->why, "  - it was last loaded by aaprof in %s mode (at %s), not in "
			    "complain mode: ALLOWED records show only in complain mode ('aaprof "
			    "complain %s', let it run %s, then retry)\n", g->ls.mode, t1, o->name,
			    g->dur);
	}
}

/* the verdict: EXIT_OK (saying so and what it did not check) or EXIT_GATE and why */
static int verdict(struct gate_run *g, int no_evidence)
{
	const struct gate_opts *o = g->o;
	const struct harvest_evidence *ev = &g->ev;
	const char *hints = g->s.st.hints;

	if (g->why.len) {
		error("refusing to enforce '%s':\n%s  sources read:\n%s\n%s%s%s", o->name,
		      g->why.buf, g->src.buf,
		      no_evidence ? "  check: that these are the logs the kernel writes AppArmor "
				    "records to (with auditd running, its audit.log; without, "
				    "the journal or kern.log; name them with -f, --journal or "
				    "--dmesg), that aaprof can read them (root), that the "
				    "workload ran under the profile in the window, and that the "
				    "window is not too short; --no-evidence-ok enforces without "
				    "evidence" : "",
		      no_evidence && hints ? "\n  likely causes:\n" : "",
		      no_evidence && hints ? hints : "");
		return EXIT_GATE;
	}
	if (no_evidence)
		warning("--no-evidence-ok: enforcing '%s' WITHOUT evidence that it ran: no record "
			"of it in the last %s; its rules were never checked against its work.\n"
			"  sources read:\n%s", o->name, g->dur, g->src.buf);
	if (g->load < 0)
		warning("the complain period of '%s' is unknown: aaprof has no record of loading "
			"it and the logs read hold no STATUS record of its load; make sure it ran "
			"in complain mode for all of the last %s", o->name, g->dur);
	if (!o->quiet || o->sources)
		note("gate: %llu record%s of '%s' in the last %s%s, no uncovered ALLOWED record%s%s",
		     ev->records + ev->status, ev->records + ev->status == 1 ? "" : "s", o->name,
		     g->dur, ev->status ? " (or at its load)" : "",
		     o->sources ? "; sources read:\n" : "", o->sources ? g->src.buf : "");
	return EXIT_OK;
}

int gate_check(const struct gate_opts *o)
{
	struct gate_run g = { .o = o, .since = o->so.now - (double)o->window, .load = -1,
			      .why = STRBUF_INIT, .src = STRBUF_INIT };
	int rc, no_evidence;

	fmt_dur((double)o->window, g.dur, sizeof(g.dur));
	rc = gate_read(&g);
	if (rc)
		goto out;
	check_covered(&g);
	check_complain_period(&g);
	/* 3. evidence that it ran: a record of it in the window */
	no_evidence = !g.ev.records && !g.ev.status;
	if (no_evidence && !o->no_evidence_ok)
		strbuf_addf(&g.why, "  - no evidence that it ran: no record of '%s' in the last %s "
			    "(the sources held %llu AppArmor records in the window, none of it)\n",
			    o->name, g.dur, g.s.st.in_window);
	rc = verdict(&g, no_evidence);
out:
	harvest_close(&g.s);
	strbuf_release(&g.why);
	strbuf_release(&g.src);
	return rc;
}
