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
#include "profile.h"
#include "aaglob.h"
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
	/* scratch, reused for every record */
	struct strbuf head, tail, why, label, src, path;
	/* the rules the current harvest_add() touched, for scan's cache */
	struct hent *touched[HARVEST_MAX_TOUCHED];
	int ntouched;    /* -1: not replayable */
	/* danger_file() verdicts of recent paths: logs repeat their paths */
	struct { char *path; unsigned bits; const char *why; } dcache[1024];
};

harvest_t *harvest_new(const struct harvest_opts *o)
{
	harvest_t *h = xcalloc(1, sizeof(*h));

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
	strbuf_init(&h->head, 0);
	strbuf_init(&h->tail, 0);
	strbuf_init(&h->why, 0);
	strbuf_init(&h->label, 0);
	strbuf_init(&h->src, 0);
	strbuf_init(&h->path, 0);
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
	strbuf_release(&h->head);
	strbuf_release(&h->tail);
	strbuf_release(&h->why);
	strbuf_release(&h->label);
	strbuf_release(&h->src);
	strbuf_release(&h->path);
	for (i = 0; i < ARRAY_SIZE(h->dcache); i++)
		free(h->dcache[i].path);
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
		h->features = features;
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

/* the entry for h->label/cls/h->head/h->tail, created if new */
static struct hent *lookup(harvest_t *h, enum rclass cls, unsigned feature)
{
	struct strbuf key = STRBUF_INIT;
	struct hent *e;
	uint64_t x;

	strbuf_grow(&key, h->label.len + h->head.len + h->tail.len + 8);
	strbuf_addbuf(&key, &h->label);
	strbuf_addch(&key, '\n');
	strbuf_addch(&key, 'A' + (int)cls);
	strbuf_addch(&key, '\n');
	strbuf_addbuf(&key, &h->head);
	strbuf_addch(&key, '\n');
	strbuf_addbuf(&key, &h->tail);
	x = hash(key.buf);
	for (e = h->buckets[x & (h->nbuckets - 1)]; e; e = e->next)
		if (streq(e->key, key.buf))
			break;
	if (!e) {
		e = xcalloc(1, sizeof(*e));
		e->key = strbuf_detach(&key, NULL);
		e->label = xstrdup(h->label.buf);
		e->cls = cls;
		e->head = xstrdup(h->head.buf);
		e->tail = xstrdup(h->tail.buf);
		e->feature = feature;
		e->first = e->last = -1;
		if (h->src.len)
			e->source = xstrdup(h->src.buf);
		e->next = h->buckets[x & (h->nbuckets - 1)];
		h->buckets[x & (h->nbuckets - 1)] = e;
		if (++h->n > h->nbuckets * 2)
			grow(h);
	}
	strbuf_release(&key);
	return e;
}

/* does the user allow this dangerous access? item: the kind word, a
   capability name, or a path glob the literal path matches */
static int user_allows(const harvest_t *h, const char *item, const char *path)
{
	size_t i;

	if (h->o.allow_dangerous)
		return 1;
	for (i = 0; i < h->o.nallow; i++) {
		const char *a = h->o.allow[i];

		if (item && streq(a, item))
			return 1;
		if (path && (a[0] == '/' || a[0] == '@')) {
			struct strbuf why = STRBUF_INIT;
			aaglob_t *g = aaglob_compile(a, NULL, &why);
			int m = g && aaglob_match(g, path);

			aaglob_free(g);
			strbuf_release(&why);
			if (m)
				return 1;
		}
	}
	return 0;
}

/* is target the profile label itself or one of its children (not a stack)? */
static int own_or_child(const char *label, const char *target)
{
	size_t n = strlen(label);

	if (!target || strncmp(target, label, n))
		return 0;
	return !target[n] || (starts_with(target + n, "//") && !strstr(target + n, "//&"));
}

/* merge the rule h->head/h->tail with perms under h->label */
static void put(harvest_t *h, enum rclass cls, unsigned perms, unsigned feature,
		const struct record *r, double t, const char *raw, size_t rawlen,
		const char *danger, int held)
{
	struct hent *e = lookup(h, cls, feature);

	if (h->ntouched >= 0 && h->ntouched < HARVEST_MAX_TOUCHED)
		h->touched[h->ntouched++] = e;
	else
		h->ntouched = -1;
	e->perms |= perms;
	if (danger && !e->danger)
		e->danger = xstrdup(danger);
	if (held)
		e->held = 1;
	add_evidence(e, r, t, raw, rawlen);
}

/* a rule from text: no evidence */
static void put_text(harvest_t *h, enum rclass cls, unsigned perms)
{
	lookup(h, cls, 0)->perms |= perms;
}

/* ------------------------------------------------------------ derivation */

static int emit(harvest_t *h, struct strbuf *sb, aa_escaper_fn fn, const char *v)
{
	strbuf_reset(&h->why);
	return fn(sb, v, &h->why);
}

#define EMIT_OR_FAIL(sb, fn, v, what)                                                   \
	do {                                                                              \
		if (emit(h, (sb), (fn), (v)) < 0)                                         \
			return problem(h, HS_UNEXPRESSIBLE, "%s: %s", (what), h->why.buf); \
	} while (0)

static const char *danger_file_cached(harvest_t *h, const char *path, unsigned bits)
{
	uint64_t x = hash(path) ^ bits;
	size_t slot = x & (ARRAY_SIZE(h->dcache) - 1);

	if (!h->dcache[slot].path || h->dcache[slot].bits != bits ||
	    strcmp(h->dcache[slot].path, path)) {
		free(h->dcache[slot].path);
		h->dcache[slot].path = xstrdup(path);
		h->dcache[slot].bits = bits;
		h->dcache[slot].why = danger_file(h->o.danger, path, bits);
	}
	return h->dcache[slot].why;
}

/* the mask that says what was missing: denied, else nothing */
static const char *missing_mask(const struct record *r, int *ret_nothing)
{
	const char *d = record_get(r, RF_DENIED);

	*ret_nothing = 0;
	if (d && *d)
		return d;
	if (record_get(r, RF_REQUESTED) && *record_get(r, RF_REQUESTED))
		*ret_nothing = 1;   /* requested but nothing denied: already allowed */
	return NULL;
}

static unsigned file_bits(const char *m, size_t n, const struct record *r, enum exec_mode ex)
{
	unsigned bits;

	perm_parse(m, n, PERM_KERNEL, &bits);
	if (bits & FP_X) {
		bits &= ~FP_X;
		if (record_get(r, RF_OPERATION) && streq(record_get(r, RF_OPERATION), "exec"))
			bits |= ex == EXEC_PX ? FP_PX : ex == EXEC_CX ? FP_CX : FP_IX;
	}
	return bits;
}

static enum harvest_skip derive_file(harvest_t *h, const struct record *r, double t,
				     const char *raw, size_t rawlen)
{
	const char *name = record_get(r, RF_NAME), *mask, *sep;
	unsigned owner_bits = 0, other_bits = 0;
	int nothing, pass, rc, covered = 0, used = 0;

	mask = missing_mask(r, &nothing);
	if (!mask)
		return nothing ? HS_NOTHING_MISSING : problem(h, HS_UNSUPPORTED,
			"file record without a permission mask (operation %s)",
			record_get(r, RF_OPERATION) ? record_get(r, RF_OPERATION) : "?");
	if (!name)
		return problem(h, HS_UNSUPPORTED, "file record without a name (operation %s)",
			       record_get(r, RF_OPERATION) ? record_get(r, RF_OPERATION) : "?");
	sep = strstr(mask, "::");
	if (sep) {
		owner_bits = file_bits(mask, sep - mask, r, h->o.exec);
		other_bits = file_bits(sep + 2, strlen(sep + 2), r, h->o.exec);
	} else if (record_has(r, RN_FSUID) && record_has(r, RN_OUID) &&
		   r->num[RN_FSUID] == r->num[RN_OUID]) {
		owner_bits = file_bits(mask, strlen(mask), r, h->o.exec);
	} else {
		other_bits = file_bits(mask, strlen(mask), r, h->o.exec);
	}
	if (!owner_bits && !other_bits)
		return HS_NOTHING_MISSING;
	if (name[0] != '/')
		return problem(h, HS_UNEXPRESSIBLE, "'%.200s' is not an absolute path "
			       "(a disconnected path; the profile has attach_disconnected)", name);
	/* from here on the path is the one apparmor_parser would read: every
	   check (coverage, danger, generalisation) sees what the rule grants */
	strbuf_reset(&h->path);
	strbuf_reset(&h->why);
	if (path_normalise(name, &h->path, &h->why) < 0)
		return problem(h, HS_UNEXPRESSIBLE, "path '%.200s': %s", name, h->why.buf);
	name = h->path.buf;
	strbuf_reset(&h->tail);
	strbuf_reset(&h->src);
	for (pass = 0; pass < 2; pass++) {
		unsigned bits = pass ? other_bits : owner_bits, denied = 0, allowed;

		if (!bits)
			continue;
		if (h->o.existing) {
			allowed = policy_file_perms(h->o.existing, name, !pass, &denied);
			if (bits & FP_X && allowed & FP_X)
				allowed |= FP_X;
			if (bits & denied)
				problem(h, HS_COVERED, "the profile denies what '%.200s' was refused "
					"(an explicit deny rule: no allow rule can lift it)", name);
			bits &= ~(allowed | denied);
			if (!bits) {
				covered++;
				continue;
			}
		}
		strbuf_reset(&h->head);
		if (!pass)
			strbuf_addstr(&h->head, "owner ");
		strbuf_reset(&h->why);
		strbuf_reset(&h->src);
		rc = h->o.gen ? genrules_apply(h->o.gen, name, &h->head, &h->src, &h->why) :
				aa_emit_path(&h->head, name, &h->why);
		if (rc < 0)
			return problem(h, HS_UNEXPRESSIBLE, "path: %s", h->why.buf);
		if (rc > 0)
			problem(h, HS_USED, "%s: kept the literal path", h->why.buf);
		{
			const char *why = h->o.danger ? danger_file_cached(h, name, bits) : NULL;
			const char *px = NULL;
			_cleanup_free_ char *both = NULL;
			int held = why && !user_allows(h, NULL, name);

			/* px runs the program under whatever profile attaches to
			   it, which the log cannot tell: maybe an unconfined one */
			if ((bits & FP_PX) && h->o.danger && (px = danger_kind(h->o.danger, "px"))) {
				held |= !user_allows(h, "px", NULL);
				why = why ? (both = xasprintf("%s; %s", why, px)) : px;
			}
			put(h, RC_FILE, bits, 0, r, t, raw, rawlen, why, held);
		}
		used++;
	}
	strbuf_reset(&h->src);
	return used || !covered ? HS_USED : HS_COVERED;
}

static enum harvest_skip word_perms(harvest_t *h, const struct record *r, unsigned *bits,
				    int allow_none)
{
	const char *mask, *bad = NULL;
	int nothing;

	*bits = 0;
	mask = missing_mask(r, &nothing);
	if (!mask) {
		if (nothing)
			return HS_NOTHING_MISSING;
		return allow_none ? HS_USED : problem(h, HS_UNSUPPORTED,
			"%s record without a permission mask", record_get(r, RF_OPERATION) ?
			record_get(r, RF_OPERATION) : "?");
	}
	if (access_words_parse(mask, bits, &bad) < 0)
		return problem(h, HS_UNSUPPORTED, "unknown access '%.40s' in a %s record", bad,
			       record_get(r, RF_OPERATION) ? record_get(r, RF_OPERATION) : "?");
	return HS_USED;
}

static enum harvest_skip derive(harvest_t *h, const struct record *r, enum rclass cls,
				double t, const char *raw, size_t rawlen)
{
	unsigned bits = 0, feature = 0;
	enum harvest_skip s;
	const char *v;

	if (cls == RC_FILE)
		return derive_file(h, r, t, raw, rawlen);
	strbuf_reset(&h->head);
	strbuf_reset(&h->tail);
	strbuf_reset(&h->src);
	switch (cls) {
	case RC_CAP: {
		const char *cap = record_get(r, RF_CAPNAME) ? record_get(r, RF_CAPNAME) :
				  record_get(r, RF_NAME);
		const char *info = record_get(r, RF_INFO);

		if (info && strstr(info, "optional: no audit"))
			return HS_NOTHING_MISSING;   /* a probe, not a need (FACTS.md) */
		if (!cap)
			return problem(h, HS_UNSUPPORTED, "capability record without a name");
		strbuf_addstr(&h->head, "capability ");
		EMIT_OR_FAIL(&h->head, aa_emit_word, cap, "capability");
		break;
	}
	case RC_NET: {
		const char *fam = record_get(r, RF_FAMILY), *type = record_get(r, RF_SOCK_TYPE);
		const char *la, *fa;
		long long lp, fp;
		int fine;

		if ((s = word_perms(h, r, &bits, 1)) != HS_USED)
			return s;
		if (!fam)
			return problem(h, HS_UNSUPPORTED, "network record without a family");
		strbuf_addstr(&h->head, "network");
		EMIT_OR_FAIL(&h->tail, aa_emit_word, fam, "network family");
		if (type && !strstr(type, "unknown")) {
			strbuf_addch(&h->tail, ' ');
			EMIT_OR_FAIL(&h->tail, aa_emit_word, type, "socket type");
		}
		/* newer kernels log saddr/src/daddr/dest (only what the operation
		   concerns); older ones laddr/lport/faddr/fport */
		if (record_get(r, RF_SADDR) || record_has(r, RN_SRC) || record_get(r, RF_DADDR) ||
		    record_has(r, RN_DEST)) {
			la = record_get(r, RF_SADDR);
			fa = record_get(r, RF_DADDR);
			lp = record_has(r, RN_SRC) ? r->num[RN_SRC] : -1;
			fp = record_has(r, RN_DEST) ? r->num[RN_DEST] : -1;
		} else {
			la = record_get(r, RF_LADDR);
			fa = record_get(r, RF_FADDR);
			lp = record_has(r, RN_LPORT) ? r->num[RN_LPORT] : -1;
			fp = record_has(r, RN_FPORT) ? r->num[RN_FPORT] : -1;
		}
		fine = bits || la || fa || lp >= 0 || fp >= 0;
		if (fine && !(h->features & HF_NET_FINE)) {
			/* apparmor_parser 3.x knows only "network FAMILY TYPE," */
			bits = 0;
			break;
		}
		if (fine)
			feature = HF_NET_FINE;
		if (la) {
			strbuf_addstr(&h->tail, " ip=");
			EMIT_OR_FAIL(&h->tail, aa_emit_word, la, "address");
		}
		if (lp >= 0)
			strbuf_addf(&h->tail, " port=%lld", lp);
		if (fa || fp >= 0) {
			strbuf_addstr(&h->tail, " peer=(");
			if (fa) {
				strbuf_addstr(&h->tail, "ip=");
				EMIT_OR_FAIL(&h->tail, aa_emit_word, fa, "address");
			}
			if (fp >= 0)
				strbuf_addf(&h->tail, "%sport=%lld", fa ? " " : "", fp);
			strbuf_addch(&h->tail, ')');
		}
		break;
	}
	case RC_UNIX: {
		const char *type = record_get(r, RF_SOCK_TYPE);

		if ((s = word_perms(h, r, &bits, 0)) != HS_USED)
			return s;
		strbuf_addstr(&h->head, "unix");
		if (type) {
			strbuf_addstr(&h->tail, "type=");
			EMIT_OR_FAIL(&h->tail, aa_emit_word, type, "socket type");
		}
		/* addr= names abstract sockets only: a pathname socket is mediated
		   by the file rule for its path, logged as a file record */
		if ((v = record_get(r, RF_ADDR)) && v[0] != '/') {
			strbuf_addstr(&h->tail, h->tail.len ? " addr=" : "addr=");
			EMIT_OR_FAIL(&h->tail, aa_emit_unix_addr, v, "unix address");
		}
		if ((v = record_get(r, RF_PEER_ADDR)) && v[0] != '/') {
			strbuf_addstr(&h->tail, h->tail.len ? " peer=(addr=" : "peer=(addr=");
			EMIT_OR_FAIL(&h->tail, aa_emit_unix_addr, v, "unix peer address");
			strbuf_addch(&h->tail, ')');
		}
		break;
	}
	case RC_SIGNAL:
		if ((s = word_perms(h, r, &bits, 0)) != HS_USED)
			return s;
		strbuf_addstr(&h->head, "signal");
		if ((v = record_get(r, RF_SIGNAL))) {
			strbuf_addstr(&h->tail, "set=");
			EMIT_OR_FAIL(&h->tail, aa_emit_word, v, "signal");
		}
		if ((v = record_get(r, RF_PEER))) {
			strbuf_addstr(&h->tail, h->tail.len ? " peer=" : "peer=");
			EMIT_OR_FAIL(&h->tail, aa_emit_label, v, "signal peer");
		}
		break;
	case RC_PTRACE:
		if ((s = word_perms(h, r, &bits, 0)) != HS_USED)
			return s;
		strbuf_addstr(&h->head, "ptrace");
		v = record_get(r, RF_PEER) ? record_get(r, RF_PEER) : record_get(r, RF_NAME2);
		if (v && *v) {
			strbuf_addstr(&h->tail, "peer=");
			EMIT_OR_FAIL(&h->tail, aa_emit_label, v, "ptrace peer");
		}
		break;
	case RC_MOUNT: {
		const char *fstype = record_get(r, RF_FSTYPE), *flags = record_get(r, RF_FLAGS);
		const char *src = record_get(r, RF_SRCNAME), *dst = record_get(r, RF_NAME);
		const char *op = record_get(r, RF_OPERATION);

		if (record_has(r, RN_ERROR) && r->event == EV_INVALID)
			return HS_NOTHING_MISSING;
		strbuf_addstr(&h->head, "mount");
		if (fstype) {
			strbuf_addstr(&h->tail, "fstype=");
			EMIT_OR_FAIL(&h->tail, aa_emit_word, fstype, "fstype");
		}
		if (flags || (op && streq(op, "remount"))) {
			/* options sorted, as aa-logprof writes them */
			char *copy = xstrdup(flags ? flags : "");
			const char *opts[64];
			size_t nopts = 0, i, j;
			char *tok, *save = NULL;
			int bad = 0;

			for (tok = strtok_r(copy, ", ", &save); tok && nopts < 63;
			     tok = strtok_r(NULL, ", ", &save))
				opts[nopts++] = tok;
			if (op && streq(op, "remount"))
				opts[nopts++] = "remount";
			for (i = 1; i < nopts; i++)
				for (j = i; j > 0 && strcmp(opts[j - 1], opts[j]) > 0; j--) {
					const char *x = opts[j];
					opts[j] = opts[j - 1];
					opts[j - 1] = x;
				}
			strbuf_addstr(&h->tail, h->tail.len ? " options=(" : "options=(");
			for (i = 0; i < nopts; i++) {
				if (i && !strcmp(opts[i], opts[i - 1]))
					continue;
				if (i)
					strbuf_addstr(&h->tail, ", ");
				if (emit(h, &h->tail, aa_emit_word, opts[i]) < 0)
					bad = 1;
			}
			strbuf_addch(&h->tail, ')');
			free(copy);
			if (bad)
				return problem(h, HS_UNEXPRESSIBLE, "mount option: %s", h->why.buf);
		}
		if (src) {
			strbuf_addch(&h->tail, ' ');
			EMIT_OR_FAIL(&h->tail, src[0] == '/' ? aa_emit_path : aa_emit_mount_source,
				     src, "mount source");
		}
		if (dst) {
			strbuf_addstr(&h->tail, h->tail.len ? " -> " : "-> ");
			EMIT_OR_FAIL(&h->tail, aa_emit_path, dst, "mount point");
		}
		break;
	}
	case RC_UMOUNT:
		strbuf_addstr(&h->head, "umount");
		if ((v = record_get(r, RF_NAME)))
			EMIT_OR_FAIL(&h->tail, aa_emit_path, v, "umount point");
		break;
	case RC_PIVOT:
		strbuf_addstr(&h->head, "pivot_root");
		if ((v = record_get(r, RF_SRCNAME))) {
			strbuf_addstr(&h->tail, "oldroot=");
			EMIT_OR_FAIL(&h->tail, aa_emit_path, v, "pivot_root old root");
		}
		if ((v = record_get(r, RF_NAME))) {
			if (h->tail.len)
				strbuf_addch(&h->tail, ' ');
			EMIT_OR_FAIL(&h->tail, aa_emit_path, v, "pivot_root new root");
		}
		break;
	case RC_DBUS: {
		if ((s = word_perms(h, r, &bits, 0)) != HS_USED)
			return s;
		strbuf_addstr(&h->head, "dbus");
		if ((v = record_get(r, RF_BUS))) {
			strbuf_addstr(&h->tail, "bus=");
			EMIT_OR_FAIL(&h->tail, aa_emit_dbus_name, v, "D-Bus bus");
		}
		if (bits == AW_BIT(EAVESDROP))
			break;
		if (bits == AW_BIT(BIND)) {
			if ((v = record_get(r, RF_NAME))) {
				strbuf_addstr(&h->tail, " name=");
				EMIT_OR_FAIL(&h->tail, aa_emit_dbus_name, v, "D-Bus name");
			}
			break;
		}
		if ((v = record_get(r, RF_DBUS_PATH))) {
			strbuf_addstr(&h->tail, " path=");
			EMIT_OR_FAIL(&h->tail, aa_emit_dbus_path, v, "D-Bus path");
		}
		if ((v = record_get(r, RF_INTERFACE))) {
			strbuf_addstr(&h->tail, " interface=");
			EMIT_OR_FAIL(&h->tail, aa_emit_dbus_name, v, "D-Bus interface");
		}
		if ((v = record_get(r, RF_MEMBER))) {
			strbuf_addstr(&h->tail, " member=");
			EMIT_OR_FAIL(&h->tail, aa_emit_dbus_name, v, "D-Bus member");
		}
		if ((v = record_get(r, RF_PEER_PROFILE))) {
			strbuf_addstr(&h->tail, " peer=(label=");
			EMIT_OR_FAIL(&h->tail, aa_emit_label, v, "D-Bus peer label");
			strbuf_addch(&h->tail, ')');
		}
		break;
	}
	case RC_MQUEUE: {
		const char *c = record_get(r, RF_CLASS);

		if ((s = word_perms(h, r, &bits, 0)) != HS_USED)
			return s;
		feature = HF_MQUEUE;
		strbuf_addstr(&h->head, "mqueue");
		strbuf_addf(&h->tail, "type=%s", c && streq(c, "sysv_mqueue") ? "sysv" : "posix");
		if ((v = record_get(r, RF_NAME))) {
			strbuf_addch(&h->tail, ' ');
			EMIT_OR_FAIL(&h->tail, v[0] == '/' ? aa_emit_path : aa_emit_word, v,
				     "mqueue name");
		}
		break;
	}
	case RC_USERNS:
		if ((s = word_perms(h, r, &bits, 0)) != HS_USED)
			return s;
		feature = HF_USERNS;
		strbuf_addstr(&h->head, "userns");
		break;
	case RC_IO_URING:
		if ((s = word_perms(h, r, &bits, 0)) != HS_USED)
			return s;
		feature = HF_IO_URING;
		strbuf_addstr(&h->head, "io_uring");
		if ((v = record_get(r, RF_PEER_PROFILE))) {
			strbuf_addstr(&h->tail, "label=");
			EMIT_OR_FAIL(&h->tail, aa_emit_label, v, "io_uring label");
		}
		break;
	case RC_CHANGE_PROFILE:
		if (record_has(r, RN_ERROR) && r->num[RN_ERROR] == 2)
			return HS_NOTHING_MISSING;   /* "label not found": nothing to allow */
		v = record_get(r, RF_NAME2) ? record_get(r, RF_NAME2) : record_get(r, RF_NAME);
		if (!v || !*v)
			return problem(h, HS_UNSUPPORTED, "change_profile record without a target");
		if (streq(v, "unconfined"))
			return problem(h, HS_UNEXPRESSIBLE, "a change_profile to unconfined: aaprof "
				       "never writes a way out of confinement");
		strbuf_addstr(&h->head, "change_profile");
		strbuf_addstr(&h->tail, "-> ");
		EMIT_OR_FAIL(&h->tail, aa_emit_label, v, "change_profile target");
		break;
	case RC_FILE:
	case RC_OPAQUE:
		break;
	}
	if (h->o.existing) {
		struct strbuf text = STRBUF_INIT;
		int st;

		rclass_format_rule(cls, h->head.buf, bits, h->tail.buf, &text);
		st = policy_rule_status(h->o.existing, text.buf);
		if (st < 0)
			problem(h, HS_COVERED, "the profile denies '%.200s' (an explicit deny rule)",
				text.buf);
		strbuf_release(&text);
		if (st)
			return HS_COVERED;
	}
	{
		const char *why = NULL, *item = NULL;

		if (h->o.danger) {
			if (cls == RC_CAP) {
				item = h->head.buf + 11;   /* after "capability " */
				why = danger_capability(h->o.danger, item);
			} else if (cls == RC_MOUNT || cls == RC_UMOUNT) {
				item = "mount";
				why = danger_kind(h->o.danger, item);
			} else if (cls == RC_PIVOT) {
				item = "pivot_root";
				why = danger_kind(h->o.danger, item);
			} else if (cls == RC_PTRACE) {
				const char *peer = record_get(r, RF_PEER);
				const char *sep = strstr(h->label.buf, "//");
				size_t rl = sep ? (size_t)(sep - h->label.buf) : strlen(h->label.buf);

				if (!peer || strncmp(peer, h->label.buf, rl) ||
				    (peer[rl] && strncmp(peer + rl, "//", 2))) {
					item = "ptrace";
					why = danger_kind(h->o.danger, item);
				}
			} else if (cls == RC_CHANGE_PROFILE &&
				   !own_or_child(h->label.buf, record_get(r, RF_NAME2) ?
						 record_get(r, RF_NAME2) : record_get(r, RF_NAME))) {
				/* a transition to any other profile may be a way out: on
				   Ubuntu some shipped profiles are flags=(unconfined) */
				item = "change_profile";
				why = danger_kind(h->o.danger, item);
			} else if (cls == RC_SIGNAL && record_get(r, RF_PEER) &&
				   streq(record_get(r, RF_PEER), "unconfined") &&
				   (bits & AW_BIT(SEND))) {
				item = "signal-unconfined";
				why = danger_kind(h->o.danger, item);
			}
		}
		put(h, cls, bits, feature, r, t, raw, rawlen, why, why && !user_allows(h, item, NULL));
	}
	return HS_USED;
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
				s = derive(h, r, cls, t, raw, rawlen);
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
	strbuf_reset(&h->label);
	strbuf_addstr(&h->label, label);
	strbuf_reset(&h->head);
	strbuf_reset(&h->tail);
	strbuf_reset(&h->src);
	/* "[owner ]PATH PERMS" with a plain permission word: merge as a file rule */
	sp = strrchr(copy, ' ');
	e = sp ? sp + 1 : NULL;
	if (e && *e && perm_parse(e, strlen(e), PERM_AAPROF, &bits) == 0 &&
	    (copy[0] == '/' || copy[0] == '"' || copy[0] == '@' || starts_with(copy, "owner "))) {
		strbuf_add(&h->head, copy, sp - copy);
		put_text(h, RC_FILE, bits);
	} else {
		strbuf_addstr(&h->head, copy);
		put_text(h, RC_OPAQUE, 0);
	}
	free(copy);
}
