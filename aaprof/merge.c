/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * merge.c - harvested rules into a profile, holding back the rules
 * apparmor_parser cannot compile. See merge.h.
 *
 * One such rule (a path form it cannot express, a rule kind it lacks) or a
 * set too large for its automaton ("Too many states") would block the whole
 * merge: the section's rules are compiled in parts instead, each rule that
 * fails is held back with the parser's message, and the rest is written.
 * Never a profile that does not compile.
 */
#include "merge.h"
#include "load.h"
#include "profile.h"
#include "util.h"

#include <string.h>

struct sline {
	char *text;          /* the line as formatted (indent included) */
	int is_rule;         /* else a child's header or end, or a comment */
	int out;             /* held back: it does not compile */
	int probe;           /* in the current compile */
	char *why;           /* the parser's message when held back */
	char *evidence;      /* its records, when it has some */
};

struct merge {
	const char *base, *name;
	struct sline *v;
	size_t n;
	unsigned compiles;
	struct strbuf err;   /* the last compile's message */
};

/* base with the section of the rules chosen (probe, or all not held back) */
static int merge_text(struct merge *m, int probe, struct strbuf *out, struct strbuf *why)
{
	struct strbuf section = STRBUF_INIT;
	size_t i;
	int r;

	for (i = 0; i < m->n; i++) {
		if (m->v[i].is_rule && (probe ? !m->v[i].probe : m->v[i].out))
			continue;
		strbuf_addf(&section, "%s\n", m->v[i].text);
	}
	r = profile_replace_section(m->base, m->name, section.buf, out, why);
	strbuf_release(&section);
	return r;
}

/* compile base with the probed rules: 0 ok, 1 rejected (message in m->err), -1 error */
static int merge_compiles(struct merge *m)
{
	struct strbuf text = STRBUF_INIT, why = STRBUF_INIT;
	int r;

	strbuf_reset(&m->err);
	if (merge_text(m, 1, &text, &why) < 0) {
		r = error("cannot merge into the profile: %s", why.buf);
	} else {
		m->compiles++;
		r = parser_check(text.buf, text.len, m->name, &m->err) < 0 ? 1 : 0;
	}
	strbuf_release(&text);
	strbuf_release(&why);
	return r;
}

static void probe_only(struct merge *m, const size_t *set, size_t n)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		m->v[i].probe = 0;
	for (i = 0; i < n; i++)
		m->v[set[i]].probe = 1;
}

/* probe good and set together */
static void probe_with(struct merge *m, const size_t *good, size_t ngood, const size_t *set,
		       size_t n)
{
	size_t i;

	probe_only(m, good, ngood);
	for (i = 0; i < n; i++)
		m->v[set[i]].probe = 1;
}

static void add_good(size_t *good, size_t *ngood, const size_t *set, size_t n)
{
	memcpy(good + *ngood, set, n * sizeof(size_t));
	*ngood += n;
}

/* the rule that line N of the last compile named, if it is one of set */
static long named_rule(struct merge *m, const size_t *set, size_t n)
{
	struct strbuf text = STRBUF_INIT, why = STRBUF_INIT;
	const char *at = strstr(m->err.buf, " at line "), *l;
	long line = at ? atol(at + 9) : 0, found = -1;
	size_t i;

	if (line <= 0 || merge_text(m, 1, &text, &why) < 0)
		goto out;
	for (l = text.buf; l && --line > 0;) {
		l = strchr(l, '\n');
		if (l)
			l++;
	}
	if (!l)
		goto out;
	for (i = 0; i < n; i++) {
		const char *t = m->v[set[i]].text;

		if (!strncmp(l, t, strlen(t)) && (l[strlen(t)] == '\n' || !l[strlen(t)]))
			found = set[i];
	}
out:
	strbuf_release(&text);
	strbuf_release(&why);
	return found;
}

static int hold_back(struct merge *m, size_t *good, size_t *ngood, size_t *set, size_t n,
		     const char *known_err);

/*
 * The parser named a line of rule one of set: it is the one to hold back
 * when the rest compiles without it, or when it fails alone. 0 or -1 when
 * that decided; 2 when neither did: set is to be halved as it is.
 */
static int hold_back_named(struct merge *m, size_t *good, size_t *ngood, size_t *set, size_t n,
			   size_t one)
{
	size_t *rest = xcalloc(*ngood + n, sizeof(size_t)), nrest = 0, i, j;
	char *msg = strbuf_detach(&m->err, NULL);
	int r;

	memcpy(rest, good, *ngood * sizeof(size_t));
	for (i = 0; i < n; i++)
		if (set[i] != one)
			rest[*ngood + nrest++] = set[i];
	probe_only(m, rest, *ngood + nrest);
	r = merge_compiles(m);
	if (r == 0) {
		add_good(good, ngood, rest + *ngood, nrest);
	} else if (r > 0) {
		rest[*ngood] = one;
		probe_only(m, rest, *ngood + 1);
		r = merge_compiles(m);
		if (r > 0) {
			free(msg);
			msg = strbuf_detach(&m->err, NULL);
			for (i = j = 0; i < n; i++)
				if (set[i] != one)
					set[j++] = set[i];
			r = hold_back(m, good, ngood, set, n - 1, NULL);
			if (r == 0)
				r = 1;
		} else if (r == 0) {
			r = 2;   /* neither: halve the set as it is */
		}
	}
	if (r == 0 || r == 1) {
		m->v[one].out = 1;
		m->v[one].why = msg;
		msg = NULL;
		r = 0;
	}
	free(msg);
	free(rest);
	return r;
}

/*
 * "Too many states": no rule is at fault: the automaton outgrew what the
 * parser can build. Keep what fits of the first half, hold back the second
 * half whole when it still does not fit (a few compiles, each of which can
 * take a minute, instead of one per rule).
 */
static int hold_back_too_big(struct merge *m, size_t *good, size_t *ngood, size_t *set, size_t n)
{
	size_t half = n / 2, i;
	int r = hold_back(m, good, ngood, set, half, NULL);

	if (r)
		return r;
	probe_with(m, good, *ngood, set + half, n - half);
	r = merge_compiles(m);
	if (r > 0 && strstr(m->err.buf, "Too many states")) {
		for (i = half; i < n; i++) {
			m->v[set[i]].out = 1;
			m->v[set[i]].why = xstrdup(m->err.buf);
		}
		r = 0;
	} else if (r > 0) {
		r = hold_back(m, good, ngood, set + half, n - half, NULL);
	} else if (r == 0) {
		add_good(good, ngood, set + half, n - half);
	}
	return r;
}

/*
 * Hold back the rules of set that do not compile alongside good (both
 * index lists into m->v). Halving: a half that compiles with good joins it,
 * a half that does not is searched in turn, down to single rules; when the
 * parser names a line of a rule in set, that rule is tried alone first.
 */
static int hold_back(struct merge *m, size_t *good, size_t *ngood, size_t *set, size_t n,
		     const char *known_err)
{
	size_t half;
	long named;
	int r;

	probe_with(m, good, *ngood, set, n);
	if (known_err) {   /* this very compile failed already */
		strbuf_reset(&m->err);
		strbuf_addstr(&m->err, known_err);
		r = 1;
	} else {
		r = merge_compiles(m);
	}
	if (r <= 0) {
		if (r == 0)   /* all of set compiles with good */
			add_good(good, ngood, set, n);
		return r;
	}
	if (n == 1) {
		m->v[set[0]].out = 1;
		m->v[set[0]].why = strbuf_detach(&m->err, NULL);
		return 0;
	}
	named = named_rule(m, set, n);
	if (named >= 0) {
		r = hold_back_named(m, good, ngood, set, n, named);
		if (r != 2)
			return r;
	}
	if (strstr(m->err.buf, "Too many states"))
		return hold_back_too_big(m, good, ngood, set, n);
	half = n / 2;
	r = hold_back(m, good, ngood, set, half, NULL);
	if (r == 0)
		r = hold_back(m, good, ngood, set + half, n - half, NULL);
	return r;
}

static const char *rule_text(const struct sline *l)
{
	return l->text + strspn(l->text, " \t");
}

static int cmp_line(const void *a, const void *b, void *v)
{
	const struct sline *lines = v;

	return strcmp(rule_text(&lines[*(const size_t *)a]), rule_text(&lines[*(const size_t *)b]));
}

struct ev_ctx {
	struct merge *m;
	size_t *idx, n;   /* the rules, sorted by text */
};

static void note_evidence(void *ctx, const char *text, const char *evidence)
{
	struct ev_ctx *c = ctx;
	size_t lo = 0, hi = c->n;

	while (lo < hi) {   /* the first rule whose text is not below text */
		size_t mid = (lo + hi) / 2;

		if (strcmp(rule_text(&c->m->v[c->idx[mid]]), text) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < c->n && !strcmp(rule_text(&c->m->v[c->idx[lo]]), text); lo++)
		if (!c->m->v[c->idx[lo]].evidence)
			c->m->v[c->idx[lo]].evidence = xstrdup(evidence);
}

/*
 * The rules into set, those backed by this run's records first: when two
 * rules only fail together, the later one is held back, and that is best a
 * rule kept from the section (an older aaprof may have written it).
 */
static size_t order_by_evidence(const harvest_t *h, struct merge *m, size_t *set)
{
	struct ev_ctx ec = { m, xcalloc(m->n + 1, sizeof(size_t)), 0 };
	size_t i, nset = 0;
	int k;

	for (i = 0; i < m->n; i++)
		if (m->v[i].is_rule)
			ec.idx[ec.n++] = i;
	qsort_r(ec.idx, ec.n, sizeof(size_t), cmp_line, m->v);
	harvest_each_evidence(h, m->name, note_evidence, &ec);
	free(ec.idx);
	for (k = 0; k < 2; k++)
		for (i = 0; i < m->n; i++)
			if (m->v[i].is_rule && (m->v[i].evidence == NULL) == k)
				set[nset++] = i;
	return nset;
}

/* each line of section, and whether it is a rule */
static void split_section(struct merge *m, const char *section)
{
	char *copy = xstrdup(section), *line, *save = NULL;
	size_t alloc = 0;

	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *t = line + strspn(line, " \t");

		ALLOC_GROW(m->v, m->n + 1, alloc);
		memset(&m->v[m->n], 0, sizeof(m->v[m->n]));
		m->v[m->n].text = xstrdup(line);
		m->v[m->n].is_rule = *t != '#' && *t != '^' && *t != '}';
		m->n++;
	}
	free(copy);
}

/* the warning that lists the rules held back; returns their number */
static size_t report_held(const struct merge *m)
{
	struct strbuf report = STRBUF_INIT;
	size_t i, nheld = 0;

	for (i = 0; i < m->n; i++) {
		if (!m->v[i].out)
			continue;
		nheld++;
		strbuf_addf(&report, "  %s\n      apparmor_parser: %s\n      ", rule_text(&m->v[i]),
			    m->v[i].why && *m->v[i].why ? m->v[i].why : "(no message)");
		strbuf_addstr(&report, m->v[i].evidence ? m->v[i].evidence :
				       "kept from the profile's harvested section (no record)\n");
	}
	for (i = 0; i < report.len; i++)   /* the parser's messages span lines */
		if (report.buf[i] == '\n' && i + 1 < report.len && report.buf[i + 1] != ' ')
			strbuf_insertstr(&report, i + 1, "      ");
	quiet_errors = 0;
	warning("%zu rule%s held back as unexpressible: apparmor_parser cannot compile %s "
		"(found in %u compiles); the rest is written:\n%s", nheld, nheld == 1 ? "" : "s",
		nheld == 1 ? "it" : "them", m->compiles, report.buf);
	strbuf_release(&report);
	return nheld;
}

/* the merge of m failed to compile (first_err): hold back what does not compile */
static int merge_holding_back(const harvest_t *h, struct merge *m, const char *pfile,
			      char *first_err, size_t *ret_held)
{
	size_t *good = xcalloc(m->n + 1, sizeof(size_t)), *set = xcalloc(m->n + 1, sizeof(size_t));
	size_t ngood = 0, nset;
	int rc = EXIT_ERROR, r;

	/* does the profile compile without the rules? */
	probe_only(m, NULL, 0);
	r = merge_compiles(m);
	if (r) {
		if (r > 0)
			error("apparmor_parser rejects %s even without the harvested rules (nothing "
			      "written): %s", pfile ? pfile : "the profile", m->err.buf);
		rc = r > 0 ? EXIT_REJECTED : EXIT_ERROR;
		goto out;
	}
	nset = order_by_evidence(h, m, set);
	if (!quiet_errors)
		note("apparmor_parser rejects the merged profile: finding the rules it cannot "
		     "compile (%zu rules)", nset);
	if (hold_back(m, good, &ngood, set, nset, first_err) < 0)
		goto out;
	/* what is left must compile as a whole */
	probe_only(m, good, ngood);
	r = merge_compiles(m);
	if (r) {
		if (r > 0)
			error("apparmor_parser still rejects the merged profile after holding rules "
			      "back (nothing written): %s", m->err.buf);
		rc = r > 0 ? EXIT_REJECTED : EXIT_ERROR;
		goto out;
	}
	*ret_held = report_held(m);
	rc = 0;
out:
	free(good);
	free(set);
	return rc;
}

int merge_compilable(const harvest_t *h, const char *base, const char *name,
		     const char *section, const char *pfile, struct strbuf *out,
		     size_t *ret_held)
{
	struct merge m = { .base = base, .name = name, .err = STRBUF_INIT };
	struct strbuf why = STRBUF_INIT;
	char *first_err = NULL;
	size_t i, held = 0;
	int rc = EXIT_ERROR;

	*ret_held = 0;
	split_section(&m, section);
	if (merge_text(&m, 0, out, &why) < 0) {
		error("cannot merge into %s: %s", pfile ? pfile : "the profile", why.buf);
		goto out;
	}
	if (parser_check(out->buf, out->len, name, &m.err) == 0) {
		rc = 0;
		goto out;
	}
	m.compiles++;
	first_err = strbuf_detach(&m.err, NULL);
	strbuf_reset(out);
	rc = merge_holding_back(h, &m, pfile, first_err, &held);
	if (rc)
		goto out;
	if (merge_text(&m, 0, out, &why) < 0) {
		error("cannot merge into %s: %s", pfile ? pfile : "the profile", why.buf);
		rc = EXIT_ERROR;
		goto out;
	}
	*ret_held = held;
out:
	for (i = 0; i < m.n; i++) {
		free(m.v[i].text);
		free(m.v[i].why);
		free(m.v[i].evidence);
	}
	free(m.v);
	free(first_err);
	strbuf_release(&m.err);
	strbuf_release(&why);
	return rc;
}
