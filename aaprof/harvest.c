/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * harvest.c - AppArmor records -> a deduplicated, merged rule set.
 *
 * The options and filters live here: the profiles harvested (the //null-
 * children complain mode creates for an exec fold into their parent when
 * exec is ix: the child ran under the parent's policy after all), the
 * policy namespace, the events, comm, pid and the time window. A record
 * that passes them goes classify (rclass.c) -> derive (derive.c) -> judge
 * (judge.c) -> the rule set (ruleset.c).
 */
#include "harvest.h"
#include "jsonout.h"
#include "abi.h"
#include "judge.h"
#include "sanitise.h"
#include "testhooks.h"

#include <json-c/json.h>
#include <stdarg.h>
#include <string.h>
#include <sys/utsname.h>

struct harvest {
	struct harvest_opts o;
	unsigned features;
	const struct abi_target *target;
	unsigned not_enforced;    /* HF_* kinds left out or commented */
	ruleset_t *rules;
	judge_t *judge;
	struct derive_opts dopts;
	unsigned long long counts[HS_COUNT];
	const char *want_ns;      /* the namespace harvested, without "root//"; NULL: root */
	size_t want_nslen;
	const char *not_kernel_why;   /* the first record not from the kernel: why */
	char *other_ns;           /* the first other namespace seen */
	struct strbuf problems;
	size_t nproblems;
	struct harvest_evidence ev;
	/* scratch, reused for every record */
	struct draft draft[DERIVE_MAX];
	struct strbuf why, label;
	/* what the current harvest_add() did, for scan's cache */
	struct harvest_outcome last;
	/* hosts: of the records that name none, the source's (the journal's
	   _HOSTNAME), the current record's, and those --node selects */
	int local_host, cur_host;
	const char *src_host;
	size_t src_hostlen;
	int *nodes;
};

/* the namespace to harvest: as logged ("root//lxd-foo_<var-lib-lxd>") or
   as in a label (":lxd-foo_<...>:"); NULL for the host's own */
static void set_namespace(harvest_t *h, const char *ns)
{
	size_t n;

	if (!ns || !*ns || streq(ns, "root"))
		return;
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

/* the name of this machine, for records that name no host */
static void set_hosts(harvest_t *h)
{
	const char *name = h->o.local_host ? h->o.local_host : test_getenv("AAPROF_HOSTNAME");
	struct utsname u;
	size_t i;

	if (!name)
		name = uname(&u) == 0 ? u.nodename : "localhost";
	h->local_host = ruleset_host(h->rules, name, strlen(name));
	h->cur_host = -1;
	if (h->o.nnodes)
		h->nodes = xcalloc(h->o.nnodes, sizeof(*h->nodes));
	for (i = 0; i < h->o.nnodes; i++)
		h->nodes[i] = ruleset_host(h->rules, h->o.nodes[i], strlen(h->o.nodes[i]));
}

harvest_t *harvest_new(const struct harvest_opts *o)
{
	harvest_t *h = xcalloc(1, sizeof(*h));
	struct judge_opts jo = { .existing = o->existing, .danger = o->danger,
				 .allow_dangerous = o->allow_dangerous, .allow = o->allow,
				 .nallow = o->nallow };
	size_t i;

	h->o = *o;
	if (!h->o.exec)
		h->o.exec = EXEC_IX;
	set_namespace(h, o->namespace);
	h->rules = ruleset_new();
	h->judge = judge_new(&jo);
	h->dopts.exec = h->o.exec;
	h->dopts.gen = o->gen;
	h->dopts.keep_addresses = o->keep_addresses || o->full_syntax;
	harvest_set_features(h, o->full_syntax ? ~0u : 0);
	strbuf_init(&h->problems, 0);
	strbuf_init(&h->why, 0);
	strbuf_init(&h->label, 0);
	for (i = 0; i < DERIVE_MAX; i++)
		draft_init(&h->draft[i]);
	h->ev.first = h->ev.last = h->ev.last_load = -1;
	set_hosts(h);
	return h;
}

void harvest_free(harvest_t *h)
{
	size_t i;

	if (!h)
		return;
	ruleset_free(h->rules);
	judge_free(h->judge);
	strbuf_release(&h->problems);
	strbuf_release(&h->why);
	strbuf_release(&h->label);
	for (i = 0; i < DERIVE_MAX; i++)
		draft_release(&h->draft[i]);
	free(h->other_ns);
	free(h->nodes);
	free(h);
}

void harvest_set_source_host(harvest_t *h, const char *host, size_t len)
{
	h->src_host = host;
	h->src_hostlen = len;
}

double harvest_record_time(const harvest_t *h, const struct record *r)
{
	return record_time(r, h->o.boot_time);
}

/* the host of record r (its line raw): what the line's framing names, the
   source's, else this machine; 0, or -1 when --node does not select it */
static int record_host(harvest_t *h, const char *raw, size_t rawlen)
{
	const char *name;
	size_t n, i;

	if (raw && origin_host(raw, raw + rawlen, &name, &n) == 0)
		h->cur_host = ruleset_host(h->rules, name, n);
	else if (h->src_host)
		h->cur_host = ruleset_host(h->rules, h->src_host, h->src_hostlen);
	else
		h->cur_host = h->local_host;
	for (i = 0; i < h->o.nnodes; i++)
		if (h->nodes[i] == h->cur_host)
			return 0;
	return h->o.nnodes ? -1 : 0;
}

void harvest_set_boot_time(harvest_t *h, double boot_time)
{
	h->o.boot_time = boot_time;
}

void harvest_set_features(harvest_t *h, unsigned features)
{
	struct strbuf why = STRBUF_INIT;

	if (h->o.full_syntax)
		features = ~0u;
	h->features = h->dopts.features = features;
	strbuf_addstr(&why, "not enforced under ");
	if (h->target)
		abi_target_name(h->target, &why);
	else
		strbuf_addstr(&why, "the profile's abi");
	ruleset_set_features(h->rules, features, why.buf);
	strbuf_release(&why);
}

void harvest_set_target(harvest_t *h, const struct abi_target *t)
{
	h->target = t;
	harvest_set_features(h, t->enforced);
}

const struct abi_target *harvest_target(const harvest_t *h)
{
	return h->target;
}

unsigned harvest_not_enforced(const harvest_t *h)
{
	return h->not_enforced;
}

unsigned long long harvest_count(const harvest_t *h, enum harvest_skip s)
{
	return h->counts[s];
}

void harvest_count_skip(harvest_t *h, enum harvest_skip s)
{
	h->counts[s]++;
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

void harvest_get_evidence(const harvest_t *h, struct harvest_evidence *ret)
{
	*ret = h->ev;
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

/* ------------------------------------------------------------- filters */

/*
 * Is the record of the namespace harvested? 0 and the profile it names
 * (profile= or label=, without the ":NS:" of a label in that namespace;
 * NULL if none), or -1: another namespace's, or a stack of several.
 */
static int ns_profile(harvest_t *h, const struct record *r, const char **ret)
{
	const char *label = record_get(r, RF_PROFILE), *ns;
	size_t n;

	ns = record_namespace(r, &n);
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

/* is the root profile of label (NAME of NAME//child) one of those harvested? */
static int wanted(const harvest_t *h, const char *label)
{
	const char *sep = strstr(label, "//");
	size_t rootlen = sep ? (size_t)(sep - label) : strlen(label), i;

	for (i = 0; i < h->o.nprofiles; i++)
		if (strlen(h->o.profiles[i]) == rootlen && !memcmp(h->o.profiles[i], label, rootlen))
			return 1;
	return !h->o.nprofiles;
}

/* the label a record's rules go to, or NULL when it is not harvested */
static const char *target_label(harvest_t *h, const char *label)
{
	const char *sep = strstr(label, "//");
	size_t rootlen = sep ? (size_t)(sep - label) : strlen(label);

	if (!wanted(h, label))
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

/* the start of what the harvest looks at: the gate reaches back to a profile's load */
static double reach_start(const harvest_t *h)
{
	if (h->o.evidence && h->o.evidence_since > 0 &&
	    (h->o.since <= 0 || h->o.evidence_since < h->o.since))
		return h->o.evidence_since;
	return h->o.since;
}

/* the one window check: is t in [from, --until]? (from, until <= 0: open) */
static int window_holds(const harvest_t *h, double from, double t)
{
	return !((from > 0 && t < from) || (h->o.until > 0 && t > h->o.until));
}

int harvest_in_window(const harvest_t *h, double t)
{
	return window_holds(h, h->o.since, t);
}

int harvest_in_reach(const harvest_t *h, double t)
{
	return window_holds(h, reach_start(h), t);
}

int harvest_record_in_window(const harvest_t *h, const struct record *r)
{
	double t = record_time(r, h->o.boot_time);

	if (t < 0)
		return h->o.since <= 0 && h->o.until <= 0;
	return window_holds(h, h->o.since, t);
}

/*
 * A STATUS record of the gate's profile: profile_load or profile_replace
 * with name= the profile loaded (profile= is the loader's own label).
 */
static void status_evidence(harvest_t *h, const struct record *r)
{
	const char *op = record_get(r, RF_OPERATION), *name = record_get(r, RF_NAME);
	const char *info = record_get(r, RF_INFO);
	double t;

	if (!op || !name || (!streq(op, "profile_load") && !streq(op, "profile_replace")) ||
	    !wanted(h, name))
		return;
	h->last.n = -1;   /* its time matters: never replayed */
	t = record_time(r, h->o.boot_time);
	if (t < 0 || !window_holds(h, reach_start(h), t))
		return;
	h->ev.status++;
	if (!(info && strstr(info, "same as current profile")) && t > h->ev.last_load)
		h->ev.last_load = t;
}

/* a record of the profile in the window: the gate's evidence that it ran */
static void run_evidence(harvest_t *h, double t)
{
	h->ev.records++;
	if (t >= 0 && (h->ev.first < 0 || t < h->ev.first))
		h->ev.first = t;
	if (t > h->ev.last)
		h->ev.last = t;
	h->last.n = -1;   /* counted per record: never replayed */
}

/* ------------------------------------------------------------ the stages */

/* the draft's rule under label, merged into the set */
static void put(harvest_t *h, const char *label, const struct draft *d, const struct record *r,
		double t, const char *raw, size_t rawlen)
{
	struct rs_rule *e = ruleset_get(h->rules, label, d->cls, d->head.buf, d->tail.buf,
					d->feature, d->source.buf);
	const char *danger;
	int held;

	int comm;

	h->not_enforced |= d->coarse | (d->feature & ~h->features);
	danger = judge_danger(h->judge, d, label, &held);
	ruleset_grant(e, d->perms, danger, held);
	comm = ruleset_add_evidence(e, r, t, h->cur_host, d->perms, raw, rawlen);
	if (h->last.n >= 0 && h->last.n < HARVEST_MAX_TOUCHED) {
		h->last.comm[h->last.n] = (signed char)comm;
		h->last.perms[h->last.n] = d->perms;
		h->last.rules[h->last.n++] = e;
	} else {
		h->last.n = -1;
	}
}

/* a record that passed the filters: classify -> derive -> judge -> the rule set */
static enum harvest_skip take(harvest_t *h, const struct record *r, const char *label, double t,
			      const char *raw, size_t rawlen)
{
	static const enum harvest_skip outcome[] = {
		[DR_RULES] = HS_USED, [DR_NOTHING_MISSING] = HS_NOTHING_MISSING,
		[DR_UNSUPPORTED] = HS_UNSUPPORTED, [DR_UNEXPRESSIBLE] = HS_UNEXPRESSIBLE,
	};
	enum derive_result dr;
	enum rclass cls;
	int covered = 0, used = 0, rc;
	size_t n, i;

	if (rclass_of(r, &cls) < 0)
		return problem(h, HS_UNSUPPORTED, "records of operation '%s'%s%s are not turned "
			       "into rules", record_get(r, RF_OPERATION) ?
			       record_get(r, RF_OPERATION) : "?",
			       record_get(r, RF_CLASS) ? ", class " : "",
			       record_get(r, RF_CLASS) ? record_get(r, RF_CLASS) : "");
	dr = derive(&h->dopts, r, cls, h->draft, &n, &h->why);
	if (dr != DR_RULES)
		return h->why.len ? problem(h, outcome[dr], "%s", h->why.buf) : outcome[dr];
	if (h->why.len)   /* how a logged value was read (a procfs alias) */
		problem(h, HS_USED, "%s", h->why.buf);
	for (i = 0; i < n; i++) {
		struct draft *d = &h->draft[i];

		rc = judge_covered(h->judge, d, &h->why);
		if (h->why.len)
			problem(h, HS_COVERED, "%s", h->why.buf);
		if (rc) {
			covered++;
			continue;
		}
		if (d->cls == RC_FILE) {
			/* only now: a covered path costs no generalisation */
			rc = derive_file_head(&h->dopts, d, &h->why);
			if (rc < 0)
				return problem(h, HS_UNEXPRESSIBLE, "%s", h->why.buf);
			if (rc > 0)
				problem(h, HS_USED, "%s", h->why.buf);
		}
		put(h, label, d, r, t, raw, rawlen);
		used++;
	}
	return used || !covered ? HS_USED : HS_COVERED;
}

/* whose record it is, which profile, event, comm, pid and time: HS_USED to go on */
static enum harvest_skip filter(harvest_t *h, const struct record *r, const char *raw,
				size_t rawlen, const char **ret_label, double *ret_t)
{
	/* the gate looks at every event of its profiles, harvest only at some */
	int look = event_wanted(h, r->event) ||
		   (h->o.evidence && (r->event == EV_DENIED || r->event == EV_AUDIT ||
				      r->event == EV_ALLOWED));
	const char *profile;

	/* whose record it is comes first: nothing else counts a record the
	   kernel did not write, or one of another policy namespace */
	if (r->event == EV_INVALID && !r->malformed)
		return HS_NOT_APPARMOR;
	if (!record_trusted(r)) {
		if (!h->not_kernel_why)
			h->not_kernel_why = r->origin_why;
		return HS_NOT_KERNEL;
	}
	if (r->event == EV_INVALID)
		return HS_MALFORMED;
	if (ns_profile(h, r, &profile) < 0)
		return HS_OTHER_NAMESPACE;
	if (record_host(h, raw, rawlen) < 0)
		return HS_FILTERED;
	if (r->event == EV_STATUS && h->o.evidence) {
		status_evidence(h, r);
		return HS_FILTERED;
	}
	if (!look)
		return HS_FILTERED;
	if (!profile)
		return problem(h, HS_UNSUPPORTED, "record without a profile (operation %s)",
			       record_get(r, RF_OPERATION) ? record_get(r, RF_OPERATION) : "?");
	if (!(*ret_label = target_label(h, profile)))
		return HS_FILTERED;
	if (h->o.comm && !(record_get(r, RF_COMM) && streq(record_get(r, RF_COMM), h->o.comm)))
		return HS_FILTERED;
	if (h->o.pid && !(record_has(r, RN_PID) && r->num[RN_PID] == h->o.pid))
		return HS_FILTERED;
	*ret_t = record_time(r, h->o.boot_time);
	if ((h->o.since > 0 || h->o.until > 0) && *ret_t < 0) {
		h->last.n = -1;
		return HS_NO_TIME;
	}
	if (!window_holds(h, h->o.since, *ret_t)) {
		h->last.n = -1;
		return HS_FILTERED;
	}
	if (h->o.evidence)
		run_evidence(h, *ret_t);
	return event_wanted(h, r->event) ? HS_USED : HS_FILTERED;
}

enum harvest_skip harvest_add(harvest_t *h, const struct record *r, const char *raw, size_t rawlen)
{
	enum harvest_skip s;
	const char *label = NULL;
	double t = -1;

	/* outcomes that depend on the pid or the time are not replayable (scan
	   checks the time window itself before it replays) */
	h->last.n = h->o.pid ? -1 : 0;
	h->cur_host = -1;
	s = filter(h, r, raw, rawlen, &label, &t);
	if (s == HS_USED)
		s = take(h, r, label, t, raw, rawlen);
	h->counts[s]++;
	h->last.skip = (unsigned char)s;
	h->last.event = (unsigned char)r->event;
	h->last.host = h->cur_host;
	return s;
}

void harvest_last_outcome(const harvest_t *h, struct harvest_outcome *ret)
{
	*ret = h->last;
}

void harvest_replay(harvest_t *h, const struct harvest_outcome *o, double t, long long pid)
{
	h->counts[o->skip]++;
	ruleset_replay(o->rules, o->comm, o->perms, o->n, t, pid, o->event, o->host);
}

/* -------------------------------------------------------------- output */

size_t harvest_nrules(const harvest_t *h)
{
	return ruleset_nrules(h->rules);
}

size_t harvest_nheld(const harvest_t *h)
{
	return ruleset_nheld(h->rules);
}

const char **harvest_profiles(const harvest_t *h)
{
	return ruleset_profiles(h->rules);
}

void harvest_format_rules(const harvest_t *h, const char *profile, const char *indent,
			  struct strbuf *out)
{
	ruleset_format_rules(h->rules, profile, indent, out);
}

void harvest_format_json(const harvest_t *h, struct strbuf *out)
{
	struct json_object *a = harvest_json_rules(h);

	jsonout_add(out, a, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
	strbuf_addch(out, '\n');
	json_object_put(a);
}

struct json_object *harvest_json_rules(const harvest_t *h)
{
	/* the namespace as the kernel logs it */
	_cleanup_free_ char *ns = h->want_ns ?
		xasprintf("root//%.*s", (int)h->want_nslen, h->want_ns) : NULL;

	return ruleset_json(h->rules, ns);
}

const char *harvest_namespace(const harvest_t *h, struct strbuf *out)
{
	if (!h->want_ns)
		return NULL;
	strbuf_addf(out, "root//%.*s", (int)h->want_nslen, h->want_ns);
	return out->buf;
}

int harvest_add_draft(harvest_t *h, const char *label, struct draft *d, int hold,
		      const char *hold_why)
{
	struct rs_rule *e;
	const char *danger;
	int held;

	strbuf_reset(&h->why);
	if (judge_covered(h->judge, d, &h->why))
		return 0;
	danger = judge_danger(h->judge, d, label, &held);
	if (!danger && hold && !h->o.allow_dangerous) {
		danger = hold_why;
		held = 1;
	}
	e = ruleset_get(h->rules, label, d->cls, d->head.buf, d->tail.buf, d->feature, NULL);
	ruleset_grant(e, d->perms, danger, held);
	return held ? 2 : 1;
}

void harvest_format_held(const harvest_t *h, struct strbuf *out)
{
	ruleset_format_held(h->rules, out);
}

void harvest_each_evidence(const harvest_t *h, const char *profile,
			   void (*fn)(void *ctx, const char *text, const char *evidence),
			   void *ctx)
{
	ruleset_each_evidence(h->rules, profile, fn, ctx);
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
		ruleset_grant(ruleset_get(h->rules, label, RC_FILE, copy, "", 0, NULL), bits, NULL, 0);
	} else {
		ruleset_get(h->rules, label, RC_OPAQUE, copy, "", 0, NULL);
	}
	free(copy);
}
