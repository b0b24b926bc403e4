/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ruleset.c - the deduplicated rule set: rules keyed by everything but
 * their permissions (label, class, head, tail), so repeated accesses merge
 * into one rule; the evidence of each; the rules in every output format.
 */
#include "ruleset.h"
#include "evidence.h"
#include "profile.h"
#include "rulefields.h"
#include "sanitise.h"
#include "util.h"

#include <json-c/json.h>
#include <stdint.h>
#include <string.h>

struct rs_rule {
	char *key;
	char *label;
	enum rclass cls;
	char *head, *tail;
	unsigned perms;
	unsigned feature;
	struct evidence ev;
	char *source;
	char *danger;      /* why it is dangerous, or NULL */
	int held;          /* dangerous and not allowed: not written */
	struct rs_rule *next;
};

struct ruleset {
	struct rs_rule **buckets;
	size_t nbuckets, n;
	unsigned features;
	char *unenforced;   /* what the comment of a rule the target does not enforce says */
	struct hosttab hosts;
};

ruleset_t *ruleset_new(void)
{
	ruleset_t *rs = xcalloc(1, sizeof(*rs));

	rs->nbuckets = 1024;
	rs->buckets = xcalloc(rs->nbuckets, sizeof(*rs->buckets));
	return rs;
}

static void rule_free(struct rs_rule *e)
{
	free(e->key);
	free(e->label);
	free(e->head);
	free(e->tail);
	evidence_release(&e->ev);
	free(e->source);
	free(e->danger);
	free(e);
}

void ruleset_free(ruleset_t *rs)
{
	size_t i;

	if (!rs)
		return;
	for (i = 0; i < rs->nbuckets; i++) {
		struct rs_rule *e = rs->buckets[i], *next;

		for (; e; e = next) {
			next = e->next;
			rule_free(e);
		}
	}
	free(rs->buckets);
	free(rs->unenforced);
	hosttab_release(&rs->hosts);
	free(rs);
}

int ruleset_host(ruleset_t *rs, const char *name, size_t len)
{
	return hosttab_id(&rs->hosts, name, len);
}

void ruleset_set_features(ruleset_t *rs, unsigned features, const char *why)
{
	rs->features = features;
	free(rs->unenforced);
	rs->unenforced = xstrdup(why ? why : "not enforced under the profile's abi");
}

size_t ruleset_nrules(const ruleset_t *rs)
{
	return rs->n;
}

/* ------------------------------------------------------------ the table */

static uint64_t hash(const char *s)
{
	uint64_t x = 1469598103934665603ull;

	for (; *s; s++)
		x = (x ^ (unsigned char)*s) * 1099511628211ull;
	return x;
}

static void grow(ruleset_t *rs)
{
	size_t nb = rs->nbuckets * 2, i;
	struct rs_rule **b = xcalloc(nb, sizeof(*b));

	for (i = 0; i < rs->nbuckets; i++) {
		struct rs_rule *e = rs->buckets[i], *next;

		for (; e; e = next) {
			next = e->next;
			e->next = b[hash(e->key) & (nb - 1)];
			b[hash(e->key) & (nb - 1)] = e;
		}
	}
	free(rs->buckets);
	rs->buckets = b;
	rs->nbuckets = nb;
}

struct rs_rule *ruleset_get(ruleset_t *rs, const char *label, enum rclass cls, const char *head,
			    const char *tail, unsigned feature, const char *source)
{
	size_t ll = strlen(label), hl = strlen(head), tl = strlen(tail);
	struct strbuf key = STRBUF_INIT;
	struct rs_rule *e;
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
	for (e = rs->buckets[x & (rs->nbuckets - 1)]; e; e = e->next)
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
		evidence_init(&e->ev);
		if (source && *source)
			e->source = xstrdup(source);
		e->next = rs->buckets[x & (rs->nbuckets - 1)];
		rs->buckets[x & (rs->nbuckets - 1)] = e;
		if (++rs->n > rs->nbuckets * 2)
			grow(rs);
	}
	strbuf_release(&key);
	return e;
}

void ruleset_grant(struct rs_rule *e, unsigned perms, const char *danger, int held)
{
	e->perms |= perms;
	if (danger && !e->danger)
		e->danger = xstrdup(danger);
	if (held)
		e->held = 1;
}

/* ------------------------------------------------------------- evidence */

int ruleset_add_evidence(struct rs_rule *e, const struct record *r, double t, int host,
			 unsigned perms, const char *raw, size_t rawlen)
{
	const char *comm = record_get(r, RF_COMM) ? record_get(r, RF_COMM) : record_get(r, RF_EXE);

	return evidence_add(&e->ev, t, r->event, comm, record_has(r, RN_PID) ? r->num[RN_PID] : 0,
			    host, perms, raw, rawlen);
}

void ruleset_replay(struct rs_rule *const *rules, const signed char *comms, const unsigned *perms,
		    int n, double t, long long pid, enum rec_event ev, int host)
{
	int i;

	for (i = 0; i < n; i++)
		evidence_replay(&rules[i]->ev, t, ev, comms[i], pid, host, perms[i]);
}

/* ------------------------------------------------------------- output */

static int unenforced(const ruleset_t *rs, const struct rs_rule *e)
{
	return e->feature && !(rs->features & e->feature);
}

static void render_rule(const ruleset_t *rs, const struct rs_rule *e, struct strbuf *out)
{
	if (unenforced(rs, e))
		strbuf_addf(out, "# %s: ", rs->unenforced ? rs->unenforced : "not enforced");
	rclass_format_rule(e->cls, e->head, e->perms, e->tail, out);
	strbuf_addch(out, ',');
}

struct sorted {
	const struct rs_rule *e;
	char *text;
};

static int cmp_sorted(const void *a, const void *b)
{
	const struct sorted *x = a, *y = b;
	int c = strcmp(x->e->label, y->e->label);

	return c ? c : strcmp(x->text, y->text);
}

/* all entries, rendered and sorted by (label, text) */
static struct sorted *sorted_entries(const ruleset_t *rs, size_t *ret_n)
{
	struct sorted *v = xcalloc(rs->n + 1, sizeof(*v));
	size_t i, n = 0;

	for (i = 0; i < rs->nbuckets; i++) {
		const struct rs_rule *e;

		for (e = rs->buckets[i]; e; e = e->next) {
			struct strbuf sb = STRBUF_INIT;

			render_rule(rs, e, &sb);
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

const char **ruleset_profiles(const ruleset_t *rs)
{
	size_t n, i, k = 0;
	struct sorted *v = sorted_entries(rs, &n);
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
static int subsumed_owner_rule(const ruleset_t *rs, const struct rs_rule *e)
{
	struct strbuf key = STRBUF_INIT;
	const struct rs_rule *o;
	uint64_t x;

	if (e->cls != RC_FILE || !starts_with(e->head, "owner "))
		return 0;
	strbuf_addf(&key, "%s\n%c\n%s\n%s", e->label, 'A' + (int)RC_FILE, e->head + 6, e->tail);
	x = hash(key.buf);
	for (o = rs->buckets[x & (rs->nbuckets - 1)]; o; o = o->next)
		if (streq(o->key, key.buf))
			break;
	strbuf_release(&key);
	return o && (o->perms | e->perms) == o->perms;
}

void ruleset_format_rules(const ruleset_t *rs, const char *profile, const char *indent,
			  struct strbuf *out)
{
	size_t n, i, plen = strlen(profile);
	struct sorted *v = sorted_entries(rs, &n);
	const char *open_child = NULL;

	for (i = 0; i < n; i++) {
		const char *label = v[i].e->label;

		if (root_len(label) != plen || memcmp(label, profile, plen))
			continue;
		if (i && !strcmp(v[i].text, v[i - 1].text) && !strcmp(label, v[i - 1].e->label))
			continue;   /* two keys that render the same (downgraded network) */
		if (subsumed_owner_rule(rs, v[i].e) || v[i].e->held)
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

struct json_object *ruleset_json(const ruleset_t *rs, const char *ns)
{
	size_t n, i;
	struct sorted *v = sorted_entries(rs, &n);
	struct json_object *arr = json_object_new_array();

	for (i = 0; i < n; i++) {
		const struct rs_rule *e = v[i].e;
		struct json_object *o = json_object_new_object();
		size_t rl = root_len(e->label);
		char *root = xstrndup(e->label, rl);

		json_object_object_add(o, "profile", json_object_new_string(root));
		free(root);
		if (ns && e->ev.count)
			json_object_object_add(o, "namespace", json_object_new_string(ns));
		if (e->label[rl])
			json_object_object_add(o, "child", json_object_new_string(e->label + rl + 2));
		json_object_object_add(o, "class", json_object_new_string(rclass_info(e->cls)->name));
		json_object_object_add(o, "rule", json_object_new_string(v[i].text));
		rulefields_json(e->cls, e->head, e->perms, e->tail, o);
		evidence_json(&e->ev, &rs->hosts, e->cls, o);
		if (e->source)
			json_object_object_add(o, "generalised_by", json_object_new_string(e->source));
		if (e->danger) {
			json_object_object_add(o, "dangerous", json_object_new_string(e->danger));
			json_object_object_add(o, "held_back", json_object_new_boolean(e->held));
		}
		if (unenforced(rs, e))
			json_object_object_add(o, "not_enforced", json_object_new_string(
				rs->unenforced ? rs->unenforced : "not enforced"));
		json_object_array_add(arr, o);
	}
	free_sorted(v, n);
	return arr;
}

size_t ruleset_nheld(const ruleset_t *rs)
{
	size_t i, n = 0;

	for (i = 0; i < rs->nbuckets; i++) {
		const struct rs_rule *e;

		for (e = rs->buckets[i]; e; e = e->next)
			n += e->held;
	}
	return n;
}

void ruleset_format_held(const ruleset_t *rs, struct strbuf *out)
{
	size_t n, i;
	struct sorted *v = sorted_entries(rs, &n);
	int k;

	for (i = 0; i < n; i++) {
		const struct rs_rule *e = v[i].e;

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
		strbuf_addf(out, "; seen %llu time%s", e->ev.count, e->ev.count == 1 ? "" : "s");
		for (k = 0; k < e->ev.ncomms; k++) {
			strbuf_addstr(out, k ? ", " : " by ");
			strbuf_add_printable(out, e->ev.comms[k].name, strlen(e->ev.comms[k].name), NULL);
		}
		strbuf_addch(out, '\n');
		if (e->source) {
			strbuf_addstr(out, "      generalised by ");
			strbuf_add_printable(out, e->source, strnlen(e->source, 300), NULL);
			strbuf_addch(out, '\n');
		}
		if (e->ev.sample) {
			strbuf_addstr(out, "      e.g. ");
			strbuf_add_printable(out, e->ev.sample, strnlen(e->ev.sample, 300), NULL);
			strbuf_addch(out, '\n');
		}
	}
	free_sorted(v, n);
}

void ruleset_each_evidence(const ruleset_t *rs, const char *profile,
			   void (*fn)(void *ctx, const char *text, const char *evidence),
			   void *ctx)
{
	size_t n, i, plen = strlen(profile);
	struct sorted *v = sorted_entries(rs, &n);
	struct strbuf ev = STRBUF_INIT;
	int k;

	for (i = 0; i < n; i++) {
		const struct rs_rule *e = v[i].e;

		if (root_len(e->label) != plen || memcmp(e->label, profile, plen) || !e->ev.count)
			continue;
		strbuf_reset(&ev);
		strbuf_addf(&ev, "seen %llu time%s", e->ev.count, e->ev.count == 1 ? "" : "s");
		for (k = 0; k < e->ev.ncomms; k++)
			strbuf_addf(&ev, "%s%s", k ? ", " : " by ", e->ev.comms[k].name);
		strbuf_addch(&ev, '\n');
		if (e->ev.sample)
			strbuf_addf(&ev, "      e.g. %.300s\n", e->ev.sample);
		fn(ctx, v[i].text, ev.buf);
	}
	strbuf_release(&ev);
	free_sorted(v, n);
}
