/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harvest.c - records -> a deduplicated, merged rule set.
 *
 * Each record class becomes its rule the way aa-logprof derives it (the
 * test_multi .profile files are the reference), with two deliberate
 * differences: an exec grants only what was logged (x -> ix by default,
 * aa-logprof adds m and r), and the //null- children complain mode creates
 * for an exec fold into their parent when exec is ix (the child ran under
 * the parent's policy after all). Rules are keyed by everything but their
 * permissions, so repeated accesses merge into one rule.
 *
 * Every value goes through profile.c's escapers; what cannot be written
 * safely is counted and reported, never written raw.
 */
#include "harvest.h"
#include "derive.h"
#include "judge.h"
#include "profile.h"
#include "sanitise.h"

#include <json-c/json.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

#define MAX_EVIDENCE 4

struct hent {
	char *key;
	char *label;
	enum rclass cls;
	char *head, *tail;
	unsigned perms;
	unsigned feature;
	int prefix_audit;
	unsigned long long count;
	double first, last;
	char *comms[MAX_EVIDENCE];
	int ncomms;
	long long pids[MAX_EVIDENCE];
	int npids;
	char *sample;
	char *node;
	char *source;
	char *danger;      /* why it is dangerous, or NULL */
	int held;          /* dangerous and not allowed: not written */
	unsigned events;
	struct hent *next;
};

struct harvest {
	struct harvest_opts o;
	unsigned features;
	struct hent **buckets;
	size_t nbuckets, n;
	unsigned long long counts[HS_COUNT];
	const char *want_ns;      /* the namespace harvested, without "root//"; NULL: root */
	size_t want_nslen;
	const char *not_kernel_why;   /* the first record not from the kernel: why */
	char *other_ns;           /* the first other namespace seen */
	struct strbuf problems;
	size_t nproblems;
	struct harvest_evidence ev;
	struct derive_opts dopts;
	judge_t *judge;
	/* scratch, reused for every record */
	struct draft draft[DERIVE_MAX];
	struct strbuf why, label;
	/* the rules the current harvest_add() touched, for scan's cache */
	struct hent *touched[HARVEST_MAX_TOUCHED];
	int ntouched;    /* -1: not replayable */
};

harvest_t *harvest_new(const struct harvest_opts *o)
{
	harvest_t *h = xcalloc(1, sizeof(*h));
	size_t i;

	h->o = *o;
	if (!h->o.exec)
		h->o.exec = EXEC_IX;
	h->features = o->full_syntax ? ~0u : 0;
	if (o->namespace && *o->namespace && strcmp(o->namespace, "root")) {
		/* as logged ("root//lxd-foo_<var-lib-lxd>") or as in a label (":lxd-foo_<...>:") */
		const char *ns = o->namespace;
		size_t n;

		if (starts_with(ns, "root//"))
			ns += 6;
		else if (ns[0] == ':')
			ns++;
		n = strlen(ns);
		if (n && ns[n - 1] == ':')
			n--;
		h->want_ns = ns;
		h->want_nslen = n;
	}
	h->nbuckets = 1024;
	h->buckets = xcalloc(h->nbuckets, sizeof(*h->buckets));
	strbuf_init(&h->problems, 0);
	strbuf_init(&h->why, 0);
	strbuf_init(&h->label, 0);
	for (i = 0; i < DERIVE_MAX; i++)
		draft_init(&h->draft[i]);
	h->dopts.exec = h->o.exec;
	h->dopts.features = h->features;
	h->dopts.gen = o->gen;
	{
		struct judge_opts jo = { .existing = o->existing, .danger = o->danger,
					 .allow_dangerous = o->allow_dangerous, .allow = o->allow,
					 .nallow = o->nallow };

		h->judge = judge_new(&jo);
	}
	h->ev.first = h->ev.last = h->ev.last_load = -1;
	return h;
}

static void hent_free(struct hent *e)
{
	int i;

	free(e->key);
	free(e->label);
	free(e->head);
	free(e->tail);
	for (i = 0; i < e->ncomms; i++)
		free(e->comms[i]);
	free(e->sample);
	free(e->node);
	free(e->source);
	free(e->danger);
	free(e);
}

void harvest_free(harvest_t *h)
{
	size_t i;

	if (!h)
		return;
	for (i = 0; i < h->nbuckets; i++) {
		struct hent *e = h->buckets[i], *next;

		for (; e; e = next) {
			next = e->next;
			hent_free(e);
		}
	}
	free(h->buckets);
	strbuf_release(&h->problems);
	strbuf_release(&h->why);
	strbuf_release(&h->label);
	for (i = 0; i < DERIVE_MAX; i++)
		draft_release(&h->draft[i]);
	judge_free(h->judge);
	free(h->other_ns);
	free(h);
}

void harvest_set_boot_time(harvest_t *h, double boot_time)
{
	h->o.boot_time = boot_time;
}

void harvest_set_features(harvest_t *h, unsigned features)
{
	if (!h->o.full_syntax)
		h->features = h->dopts.features = features;
}

unsigned long long harvest_count(const harvest_t *h, enum harvest_skip s)
{
	return h->counts[s];
}

const char *harvest_problems(const harvest_t *h)
{
	return h->problems.buf;
}

const char *harvest_not_kernel_example(const harvest_t *h)
{
	return h->not_kernel_why;
}

const char *harvest_other_namespace_example(const harvest_t *h)
{
	return h->other_ns;
}

size_t harvest_nrules(const harvest_t *h)
{
	return h->n;
}

/* remember a problem once (up to 50 distinct) */
static enum harvest_skip problem(harvest_t *h, enum harvest_skip s, const char *fmt, ...)
	PRINTF(3, 4);
static enum harvest_skip problem(harvest_t *h, enum harvest_skip s, const char *fmt, ...)
{
	char buf[512];
	struct strbuf line = STRBUF_INIT;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* one line each: the logged values in it escaped, newlines included */
	strbuf_add_printable(&line, buf, n < 0 ? 0 : n >= (int)sizeof(buf) ? sizeof(buf) - 1 : (size_t)n,
			     NULL);
	if (h->nproblems < 50 && !strstr(h->problems.buf, line.buf)) {
		strbuf_addf(&h->problems, "%s\n", line.buf);
		h->nproblems++;
	}
	strbuf_release(&line);
	return s;
}

/* ------------------------------------------------------------ the table */

static uint64_t hash(const char *s)
{
	uint64_t x = 1469598103934665603ull;

	for (; *s; s++)
		x = (x ^ (unsigned char)*s) * 1099511628211ull;
	return x;
}

static void grow(harvest_t *h)
{
	size_t nb = h->nbuckets * 2, i;
	struct hent **b = xcalloc(nb, sizeof(*b));

	for (i = 0; i < h->nbuckets; i++) {
		struct hent *e = h->buckets[i], *next;

		for (; e; e = next) {
			next = e->next;
			e->next = b[hash(e->key) & (nb - 1)];
			b[hash(e->key) & (nb - 1)] = e;
		}
	}
	free(h->buckets);
	h->buckets = b;
	h->nbuckets = nb;
}

static void add_evidence(struct hent *e, const struct record *r, double t,
			 const char *raw, size_t rawlen)
{
	const char *comm = record_get(r, RF_COMM) ? record_get(r, RF_COMM) : record_get(r, RF_EXE);
	int i;

	e->count++;
	e->events |= 1u << r->event;
	if (t >= 0) {
		if (e->first < 0 || t < e->first)
			e->first = t;
		if (t > e->last)
			e->last = t;
	}
	if (comm && e->ncomms < MAX_EVIDENCE) {
		for (i = 0; i < e->ncomms && strcmp(e->comms[i], comm); i++)
			;
		if (i == e->ncomms)
			e->comms[e->ncomms++] = xstrdup(comm);
	}
	if (record_has(r, RN_PID) && e->npids < MAX_EVIDENCE) {
		for (i = 0; i < e->npids && e->pids[i] != r->num[RN_PID]; i++)
			;
		if (i == e->npids)
			e->pids[e->npids++] = r->num[RN_PID];
	}
	if (!e->sample && raw)
		e->sample = xstrndup(raw, rawlen > 2048 ? 2048 : rawlen);
	if (!e->node && record_get(r, RF_NODE))
		e->node = xstrdup(record_get(r, RF_NODE));
}

/* the entry for label/cls/head/tail, created if new */
static struct hent *lookup(harvest_t *h, const char *label, enum rclass cls, const char *head,
			   const char *tail, unsigned feature, const char *source)
{
	size_t ll = strlen(label), hl = strlen(head), tl = strlen(tail);
	struct strbuf key = STRBUF_INIT;
	struct hent *e;
	uint64_t x;

	strbuf_grow(&key, ll + hl + tl + 8);
	strbuf_add(&key, label, ll);
	strbuf_addch(&key, '\n');
	strbuf_addch(&key, 'A' + (int)cls);
	strbuf_addch(&key, '\n');
	strbuf_add(&key, head, hl);
	strbuf_addch(&key, '\n');
	strbuf_add(&key, tail, tl);
	x = hash(key.buf);
	for (e = h->buckets[x & (h->nbuckets - 1)]; e; e = e->next)
		if (streq(e->key, key.buf))
			break;
	if (!e) {
		e = xcalloc(1, sizeof(*e));
		e->key = strbuf_detach(&key, NULL);
		e->label = xstrdup(label);
		e->cls = cls;
		e->head = xstrdup(head);
		e->tail = xstrdup(tail);
		e->feature = feature;
		e->first = e->last = -1;
		if (source && *source)
			e->source = xstrdup(source);
		e->next = h->buckets[x & (h->nbuckets - 1)];
		h->buckets[x & (h->nbuckets - 1)] = e;
		if (++h->n > h->nbuckets * 2)
			grow(h);
	}
	strbuf_release(&key);
	return e;
}

/* merge the draft's rule under label */
static void put(harvest_t *h, const char *label, const struct draft *d, const struct record *r,
		double t, const char *raw, size_t rawlen, const char *danger, int held)
{
	struct hent *e = lookup(h, label, d->cls, d->head.buf, d->tail.buf, d->feature,
				d->source.buf);

	if (h->ntouched >= 0 && h->ntouched < HARVEST_MAX_TOUCHED)
		h->touched[h->ntouched++] = e;
	else
		h->ntouched = -1;
	e->perms |= d->perms;
	if (danger && !e->danger)
		e->danger = xstrdup(danger);
	if (held)
		e->held = 1;
	add_evidence(e, r, t, raw, rawlen);
}

/* the record of class cls: derive -> judge -> the table */
static enum harvest_skip take(harvest_t *h, const struct record *r, enum rclass cls,
			      const char *label, double t, const char *raw, size_t rawlen)
{
	static const enum harvest_skip outcome[] = {
		[DR_RULES] = HS_USED, [DR_NOTHING_MISSING] = HS_NOTHING_MISSING,
		[DR_UNSUPPORTED] = HS_UNSUPPORTED, [DR_UNEXPRESSIBLE] = HS_UNEXPRESSIBLE,
	};
	enum derive_result dr;
	size_t n, i;
	int covered = 0, used = 0;

	dr = derive(&h->dopts, r, cls, h->draft, &n, &h->why);
	if (dr != DR_RULES)
		return h->why.len ? problem(h, outcome[dr], "%s", h->why.buf) : outcome[dr];
	for (i = 0; i < n; i++) {
		struct draft *d = &h->draft[i];
		const char *danger;
		int held, rc;

		rc = judge_covered(h->judge, d, &h->why);
		if (h->why.len)
			problem(h, HS_COVERED, "%s", h->why.buf);
		if (rc) {
			covered++;
			continue;
		}
		if (d->cls == RC_FILE) {
			rc = derive_file_head(&h->dopts, d, &h->why);
			if (rc < 0)
				return problem(h, HS_UNEXPRESSIBLE, "%s", h->why.buf);
			if (rc > 0)
				problem(h, HS_USED, "%s", h->why.buf);
		}
		danger = judge_danger(h->judge, d, label, &held);
		put(h, label, d, r, t, raw, rawlen, danger, held);
		used++;
	}
	return used || !covered ? HS_USED : HS_COVERED;
}

/*
 * The AppArmor policy namespace of a record's profile, relative to the
 * host's: NULL for the host's own (no namespace=, as the kernel logs its
 * root namespace, or "root", or AppArmor 2.1's "default"), else its name
 * without "root//" and its length. A nested container's policy (LXD or
 * Incus running Docker or snapd) logs namespace="root//lxd-NAME_<...>"; a
 * label that stacks profiles of another namespace shows it as ":NS:".
 */
static const char *record_ns(const struct record *r, size_t *ret_len)
{
	const char *ns = record_get(r, RF_NAMESPACE), *label = record_get(r, RF_PROFILE), *c;

	if (ns && *ns && strcmp(ns, "root") && strcmp(ns, "default")) {
		if (starts_with(ns, "root//"))
			ns += 6;
		*ret_len = strlen(ns);
		return ns;
	}
	c = !label ? NULL : label[0] == ':' ? label : strstr(label, "//&:");
	if (c) {
		const char *e;

		c += c == label ? 1 : 4;   /* past ":" or "//&:" */
		e = strchr(c, ':');
		*ret_len = e ? (size_t)(e - c) : strlen(c);
		return c;
	}
	return NULL;
}

/*
 * Is the record of the namespace harvested? 0 and the profile it names
 * (profile= or label=, without the ":NS:" of a label in that namespace;
 * NULL if none), or -1: another namespace's, or a stack of several.
 */
static int ns_profile(harvest_t *h, const struct record *r, const char **ret)
{
	const char *label = record_get(r, RF_PROFILE), *ns;
	size_t n;

	ns = record_ns(r, &n);
	if (!ns && !h->want_ns) {
		*ret = label;
		return 0;
	}
	if (!ns || !h->want_ns || n != h->want_nslen || memcmp(ns, h->want_ns, n))
		goto other;
	if (label && ns > label && ns <= label + strlen(label)) {
		/* ":NS:profile" (or ":NS://profile"): a stack is no one profile's */
		if (label[0] != ':' || strstr(label, "//&") || ns[n] != ':')
			goto other;
		label = ns + n + 1;
		if (starts_with(label, "//"))
			label += 2;
		if (!*label)
			goto other;
	}
	*ret = label;
	return 0;
other:
	if (!h->other_ns)
		h->other_ns = ns ? xasprintf("root//%.*s", (int)n, ns) : xstrdup("root");
	return -1;
}

/* the label a record's rules go to, or NULL when it is not harvested */
static const char *target_label(harvest_t *h, const char *label)
{
	const char *sep;
	size_t rootlen, i;
	int match = h->o.nprofiles == 0;

	sep = strstr(label, "//");
	rootlen = sep ? (size_t)(sep - label) : strlen(label);
	for (i = 0; i < h->o.nprofiles; i++)
		if (strlen(h->o.profiles[i]) == rootlen &&
		    !memcmp(h->o.profiles[i], label, rootlen))
			match = 1;
	if (!match)
		return NULL;
	strbuf_reset(&h->label);
	if (!sep || h->o.keep_children) {
		strbuf_addstr(&h->label, label);
		return h->label.buf;
	}
	/* fold //null-... children (complain mode's exec learning) into the parent */
	strbuf_add(&h->label, label, rootlen);
	while (sep) {
		const char *next = strstr(sep + 2, "//");
		size_t n = next ? (size_t)(next - sep) : strlen(sep);

		if (starts_with(sep + 2, "null-")) {
			if (h->o.exec != EXEC_IX)
				return NULL;
			if (!next)
				break;
			/* the rest of a null- child's name is the exec'd path, which
			   may itself contain "//": stop at the next "//null-" */
			while (next && !starts_with(next + 2, "null-"))
				next = strstr(next + 2, "//");
			sep = next;
			continue;
		}
		strbuf_add(&h->label, sep, n);
		sep = next;
	}
	return h->label.buf;
}

static int event_wanted(const harvest_t *h, enum rec_event ev)
{
	return (ev == EV_ALLOWED && h->o.allowed) || (ev == EV_DENIED && h->o.denied);
}

/* the start of the time window, for the gate reaching back to a profile's load */
static double window_start(const harvest_t *h)
{
	if (h->o.evidence && h->o.evidence_since > 0 &&
	    (h->o.since <= 0 || h->o.evidence_since < h->o.since))
		return h->o.evidence_since;
	return h->o.since;
}

/* is the root of label (NAME of NAME//child) one of the profiles? */
static int is_profile(const harvest_t *h, const char *label)
{
	const char *sep = strstr(label, "//");
	size_t rootlen = sep ? (size_t)(sep - label) : strlen(label), i;

	for (i = 0; i < h->o.nprofiles; i++)
		if (strlen(h->o.profiles[i]) == rootlen && !memcmp(h->o.profiles[i], label, rootlen))
			return 1;
	return !h->o.nprofiles;
}

/*
 * A STATUS record of the gate's profile: profile_load or profile_replace
 * with name= the profile loaded (profile= is the loader's own label).
 */
static void status_evidence(harvest_t *h, const struct record *r)
{
	const char *op = record_get(r, RF_OPERATION), *name = record_get(r, RF_NAME);
	const char *info = record_get(r, RF_INFO);
	double t, from = window_start(h);

	if (!op || !name || (!streq(op, "profile_load") && !streq(op, "profile_replace")) ||
	    !is_profile(h, name))
		return;
	h->ntouched = -1;   /* its time matters: never replayed */
	t = record_time(r, h->o.boot_time);
	if (t < 0 || (from > 0 && t < from) || (h->o.until > 0 && t > h->o.until))
		return;
	h->ev.status++;
	if (!(info && strstr(info, "same as current profile")) && t > h->ev.last_load)
		h->ev.last_load = t;
}

enum harvest_skip harvest_add(harvest_t *h, const struct record *r, const char *raw, size_t rawlen)
{
	enum harvest_skip s;
	const char *label, *profile;
	enum rclass cls;
	double t;
	/* the gate looks at every event of its profiles, harvest only at some */
	int look = event_wanted(h, r->event) ||
		   (h->o.evidence && (r->event == EV_DENIED || r->event == EV_AUDIT ||
				      r->event == EV_ALLOWED));

	/* outcomes that depend on the pid or the time are not replayable (scan
	   checks the time window itself before it replays) */
	h->ntouched = h->o.pid ? -1 : 0;
	/* whose record it is comes first: nothing else counts a record the
	   kernel did not write, or one of another policy namespace */
	if (r->event == EV_INVALID && !r->malformed)
		s = HS_NOT_APPARMOR;
	else if (!record_trusted(r)) {
		s = HS_NOT_KERNEL;
		if (!h->not_kernel_why)
			h->not_kernel_why = r->origin_why;
	} else if (r->event == EV_INVALID)
		s = HS_MALFORMED;
	else if (ns_profile(h, r, &profile) < 0)
		s = HS_OTHER_NAMESPACE;
	else if (r->event == EV_STATUS && h->o.evidence) {
		status_evidence(h, r);
		s = HS_FILTERED;
	} else if (!look)
		s = HS_FILTERED;
	else if (!profile)
		s = problem(h, HS_UNSUPPORTED, "record without a profile (operation %s)",
			    record_get(r, RF_OPERATION) ? record_get(r, RF_OPERATION) : "?");
	else if (!(label = target_label(h, profile)))
		s = HS_FILTERED;
	else if (h->o.comm && !(record_get(r, RF_COMM) && streq(record_get(r, RF_COMM), h->o.comm)))
		s = HS_FILTERED;
	else if (h->o.pid && !(record_has(r, RN_PID) && r->num[RN_PID] == h->o.pid))
		s = HS_FILTERED;
	else {
		t = record_time(r, h->o.boot_time);
		if ((h->o.since > 0 || h->o.until > 0) && t < 0) {
			s = HS_NO_TIME;
			h->ntouched = -1;
		} else if ((h->o.since > 0 && t < h->o.since) || (h->o.until > 0 && t > h->o.until)) {
			s = HS_FILTERED;
			h->ntouched = -1;
		} else {
			if (h->o.evidence) {
				/* a record of the profile in the window: it ran */
				h->ev.records++;
				if (t >= 0 && (h->ev.first < 0 || t < h->ev.first))
					h->ev.first = t;
				if (t > h->ev.last)
					h->ev.last = t;
				h->ntouched = -1;   /* counted per record: never replayed */
			}
			if (!event_wanted(h, r->event))
				s = HS_FILTERED;
			else if (rclass_of(r, &cls) < 0)
				s = problem(h, HS_UNSUPPORTED, "records of operation '%s'%s%s are "
					    "not turned into rules", record_get(r, RF_OPERATION) ?
					    record_get(r, RF_OPERATION) : "?",
					    record_get(r, RF_CLASS) ? ", class " : "",
					    record_get(r, RF_CLASS) ? record_get(r, RF_CLASS) : "");
			else
				s = take(h, r, cls, label, t, raw, rawlen);
		}
	}
	h->counts[s]++;
	return s;
}

void harvest_get_evidence(const harvest_t *h, struct harvest_evidence *ret)
{
	*ret = h->ev;
}

int harvest_touched(const harvest_t *h, void **ret)
{
	int i;

	for (i = 0; i < h->ntouched; i++)
		ret[i] = h->touched[i];
	return h->ntouched;
}

void harvest_replay(harvest_t *h, enum harvest_skip s, void *const *touched, int n,
		    double t, long long pid, enum rec_event ev)
{
	int i, k;

	h->counts[s]++;
	for (i = 0; i < n; i++) {
		struct hent *e = touched[i];

		e->count++;
		e->events |= 1u << ev;
		if (t >= 0) {
			if (e->first < 0 || t < e->first)
				e->first = t;
			if (t > e->last)
				e->last = t;
		}
		if (pid > 0 && e->npids < MAX_EVIDENCE) {
			for (k = 0; k < e->npids && e->pids[k] != pid; k++)
				;
			if (k == e->npids)
				e->pids[e->npids++] = pid;
		}
	}
}

int harvest_in_window(const harvest_t *h, double t)
{
	return !((h->o.since > 0 && t < h->o.since) || (h->o.until > 0 && t > h->o.until));
}

int harvest_in_reach(const harvest_t *h, double t)
{
	double since = window_start(h);

	return !((since > 0 && t < since) || (h->o.until > 0 && t > h->o.until));
}

int harvest_record_in_window(const harvest_t *h, const struct record *r)
{
	double t = record_time(r, h->o.boot_time);

	if (t < 0)
		return h->o.since <= 0 && h->o.until <= 0;
	return harvest_in_window(h, t);
}

void harvest_count_skip(harvest_t *h, enum harvest_skip s)
{
	h->counts[s]++;
}

/* ------------------------------------------------------------- output */

static void render_rule(const struct hent *e, unsigned features, struct strbuf *out)
{
	if (e->feature && !(features & e->feature))
		strbuf_addstr(out, "# needs a newer apparmor_parser: ");
	rclass_format_rule(e->cls, e->head, e->perms, e->tail, out);
	strbuf_addch(out, ',');
}

struct sorted {
	const struct hent *e;
	char *text;
};

static int cmp_sorted(const void *a, const void *b)
{
	const struct sorted *x = a, *y = b;
	int c = strcmp(x->e->label, y->e->label);

	return c ? c : strcmp(x->text, y->text);
}

/* all entries, rendered and sorted by (label, text) */
static struct sorted *sorted_entries(const harvest_t *h, size_t *ret_n)
{
	struct sorted *v = xcalloc(h->n + 1, sizeof(*v));
	size_t i, n = 0;

	for (i = 0; i < h->nbuckets; i++) {
		const struct hent *e;

		for (e = h->buckets[i]; e; e = e->next) {
			struct strbuf sb = STRBUF_INIT;

			render_rule(e, h->features, &sb);
			v[n].e = e;
			v[n++].text = strbuf_detach(&sb, NULL);
		}
	}
	qsort(v, n, sizeof(*v), cmp_sorted);
	*ret_n = n;
	return v;
}

static void free_sorted(struct sorted *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].text);
	free(v);
}

static size_t root_len(const char *label)
{
	const char *sep = strstr(label, "//");

	return sep ? (size_t)(sep - label) : strlen(label);
}

const char **harvest_profiles(const harvest_t *h)
{
	size_t n, i, k = 0;
	struct sorted *v = sorted_entries(h, &n);
	const char **out = xcalloc(n + 1, sizeof(char *));

	for (i = 0; i < n; i++) {
		size_t rl = root_len(v[i].e->label);

		if (k && strlen(out[k - 1]) == rl && !memcmp(out[k - 1], v[i].e->label, rl))
			continue;
		/* labels are owned by the table: point at a root-only label if
		   there is one, else keep the child's (the caller copies the root) */
		out[k++] = v[i].e->label;
	}
	free_sorted(v, n);
	return out;
}

/* an owner file rule whose permissions the same path's plain rule already grants */
static int subsumed_owner_rule(const harvest_t *h, const struct hent *e)
{
	struct strbuf key = STRBUF_INIT;
	const struct hent *o;
	uint64_t x;

	if (e->cls != RC_FILE || !starts_with(e->head, "owner "))
		return 0;
	strbuf_addf(&key, "%s\n%c\n%s\n%s", e->label, 'A' + (int)RC_FILE, e->head + 6, e->tail);
	x = hash(key.buf);
	for (o = h->buckets[x & (h->nbuckets - 1)]; o; o = o->next)
		if (streq(o->key, key.buf))
			break;
	strbuf_release(&key);
	return o && (o->perms | e->perms) == o->perms;
}

void harvest_format_rules(const harvest_t *h, const char *profile, const char *indent,
			  struct strbuf *out)
{
	size_t n, i, plen = strlen(profile);
	struct sorted *v = sorted_entries(h, &n);
	const char *open_child = NULL;

	for (i = 0; i < n; i++) {
		const char *label = v[i].e->label;

		if (root_len(label) != plen || memcmp(label, profile, plen))
			continue;
		if (i && !strcmp(v[i].text, v[i - 1].text) && !strcmp(label, v[i - 1].e->label))
			continue;   /* two keys that render the same (downgraded network) */
		if (subsumed_owner_rule(h, v[i].e) || v[i].e->held)
			continue;
		if (label[plen] && (!open_child || strcmp(open_child, label))) {
			struct strbuf why = STRBUF_INIT;

			if (open_child)
				strbuf_addf(out, "%s}\n", indent);
			strbuf_addf(out, "%s^", indent);
			if (aa_emit_label(out, label + plen + 2, &why) < 0)
				strbuf_addstr(out, "invalid");
			strbuf_addstr(out, " {\n");
			strbuf_release(&why);
			open_child = label;
		} else if (!label[plen] && open_child) {
			strbuf_addf(out, "%s}\n", indent);
			open_child = NULL;
		}
		strbuf_addf(out, "%s%s%s\n", indent, open_child ? "  " : "", v[i].text);
	}
	if (open_child)
		strbuf_addf(out, "%s}\n", indent);
	free_sorted(v, n);
}

static void json_time(struct json_object *o, const char *key, double t)
{
	char buf[64];
	time_t s = (time_t)t;
	struct tm tm;

	if (t < 0)
		return;
	gmtime_r(&s, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), ".%03dZ",
		 (int)((t - floor(t)) * 1000 + 0.5) % 1000);
	json_object_object_add(o, key, json_object_new_string(buf));
}

void harvest_format_json(const harvest_t *h, struct strbuf *out)
{
	size_t n, i;
	struct sorted *v = sorted_entries(h, &n);
	struct json_object *arr = json_object_new_array();
	int k;

	for (i = 0; i < n; i++) {
		const struct hent *e = v[i].e;
		struct json_object *o = json_object_new_object(), *a;
		size_t rl = root_len(e->label);
		char *root = xstrndup(e->label, rl);

		json_object_object_add(o, "profile", json_object_new_string(root));
		free(root);
		if (h->want_ns && e->count) {
			/* as the kernel logs it */
			char *ns = xasprintf("root//%.*s", (int)h->want_nslen, h->want_ns);

			json_object_object_add(o, "namespace", json_object_new_string(ns));
			free(ns);
		}
		if (e->label[rl])
			json_object_object_add(o, "child", json_object_new_string(e->label + rl + 2));
		json_object_object_add(o, "class", json_object_new_string(rclass_info(e->cls)->name));
		json_object_object_add(o, "rule", json_object_new_string(v[i].text));
		json_object_object_add(o, "count", json_object_new_int64((int64_t)e->count));
		json_time(o, "first_seen", e->first);
		json_time(o, "last_seen", e->last);
		a = json_object_new_array();
		for (k = 0; k < e->ncomms; k++)
			json_object_array_add(a, json_object_new_string(e->comms[k]));
		json_object_object_add(o, "comms", a);
		a = json_object_new_array();
		for (k = 0; k < e->npids; k++)
			json_object_array_add(a, json_object_new_int64(e->pids[k]));
		json_object_object_add(o, "pids", a);
		a = json_object_new_array();
		if (e->events & (1u << EV_ALLOWED))
			json_object_array_add(a, json_object_new_string("ALLOWED"));
		if (e->events & (1u << EV_DENIED))
			json_object_array_add(a, json_object_new_string("DENIED"));
		json_object_object_add(o, "events", a);
		if (e->node)
			json_object_object_add(o, "host", json_object_new_string(e->node));
		if (e->source)
			json_object_object_add(o, "generalised_by", json_object_new_string(e->source));
		if (e->danger) {
			json_object_object_add(o, "dangerous", json_object_new_string(e->danger));
			json_object_object_add(o, "held_back", json_object_new_boolean(e->held));
		}
		if (e->sample)
			json_object_object_add(o, "sample", json_object_new_string(e->sample));
		json_object_array_add(arr, o);
	}
	strbuf_addstr(out, json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PRETTY |
							  JSON_C_TO_STRING_NOSLASHESCAPE));
	strbuf_addch(out, '\n');
	json_object_put(arr);
	free_sorted(v, n);
}

size_t harvest_nheld(const harvest_t *h)
{
	size_t i, n = 0;

	for (i = 0; i < h->nbuckets; i++) {
		const struct hent *e;

		for (e = h->buckets[i]; e; e = e->next)
			n += e->held;
	}
	return n;
}

void harvest_format_held(const harvest_t *h, struct strbuf *out)
{
	size_t n, i;
	struct sorted *v = sorted_entries(h, &n);
	int k;

	for (i = 0; i < n; i++) {
		const struct hent *e = v[i].e;

		if (!e->held)
			continue;
		/* every value escaped: a comm or a log line must not be able to
		   rewrite this listing on the terminal */
		strbuf_addstr(out, "  ");
		strbuf_add_printable(out, e->label, strlen(e->label), NULL);
		strbuf_addstr(out, *e->label ? ": " : "");
		strbuf_add_printable(out, v[i].text, strlen(v[i].text), NULL);
		strbuf_addstr(out, "\n      dangerous: ");
		strbuf_add_printable(out, e->danger, strlen(e->danger), NULL);
		strbuf_addf(out, "; seen %llu time%s", e->count, e->count == 1 ? "" : "s");
		for (k = 0; k < e->ncomms; k++) {
			strbuf_addstr(out, k ? ", " : " by ");
			strbuf_add_printable(out, e->comms[k], strlen(e->comms[k]), NULL);
		}
		strbuf_addch(out, '\n');
		if (e->sample) {
			strbuf_addstr(out, "      e.g. ");
			strbuf_add_printable(out, e->sample, strnlen(e->sample, 300), NULL);
			strbuf_addch(out, '\n');
		}
	}
	free_sorted(v, n);
}

void harvest_each_evidence(const harvest_t *h, const char *profile,
			   void (*fn)(void *ctx, const char *text, const char *evidence),
			   void *ctx)
{
	size_t n, i, plen = strlen(profile);
	struct sorted *v = sorted_entries(h, &n);
	struct strbuf ev = STRBUF_INIT;
	int k;

	for (i = 0; i < n; i++) {
		const struct hent *e = v[i].e;

		if (root_len(e->label) != plen || memcmp(e->label, profile, plen) || !e->count)
			continue;
		strbuf_reset(&ev);
		strbuf_addf(&ev, "seen %llu time%s", e->count, e->count == 1 ? "" : "s");
		for (k = 0; k < e->ncomms; k++)
			strbuf_addf(&ev, "%s%s", k ? ", " : " by ", e->comms[k]);
		strbuf_addch(&ev, '\n');
		if (e->sample)
			strbuf_addf(&ev, "      e.g. %.300s\n", e->sample);
		fn(ctx, v[i].text, ev.buf);
	}
	strbuf_release(&ev);
	free_sorted(v, n);
}

unsigned harvest_needed_features(const harvest_t *h)
{
	unsigned f = 0;
	size_t i;

	for (i = 0; i < h->nbuckets; i++) {
		const struct hent *e;

		for (e = h->buckets[i]; e; e = e->next)
			f |= e->feature;
	}
	return f;
}

void harvest_add_rule_text(harvest_t *h, const char *label, const char *text)
{
	char *copy = xstrdup(text), *e, *sp;
	unsigned bits;
	size_t len;

	len = strlen(copy);
	while (len && (copy[len - 1] == ',' || copy[len - 1] == ' '))
		copy[--len] = '\0';
	/* "[owner ]PATH PERMS" with a plain permission word: merge as a file rule */
	sp = strrchr(copy, ' ');
	e = sp ? sp + 1 : NULL;
	if (e && *e && perm_parse(e, strlen(e), PERM_AAPROF, &bits) == 0 &&
	    (copy[0] == '/' || copy[0] == '"' || copy[0] == '@' || starts_with(copy, "owner "))) {
		*sp = '\0';
		lookup(h, label, RC_FILE, copy, "", 0, NULL)->perms |= bits;
	} else {
		lookup(h, label, RC_OPAQUE, copy, "", 0, NULL);
	}
	free(copy);
}
