/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fleet.c - aaprof merge: per-host harvests (their JSON) into one rule set,
 * each rule and permission kept when enough hosts needed it.
 */
#include "fleet.h"
#include "jsonout.h"
#include "fleet-read.h"
#include "evidence.h"
#include "harvest-json.h"
#include "escape.h"
#include "merge.h"
#include "parser.h"
#include "profile.h"
#include "render.h"
#include "rulefields.h"
#include "sanitise.h"
#include "session.h"
#include "util.h"

#include <json-c/json.h>
#include <stdint.h>
#include <string.h>

/* ------------------------------------------------------------- quorum */

static int cmp_fhost(const void *a, const void *b, void *t)
{
	const struct fhost *x = a, *y = b;

	return strcmp(hosttab_name(t, x->host), hosttab_name(t, y->host));
}

/* one host once (a host harvested in two files): the hosts in name order */
static void coalesce(struct fleet *f, struct fentry *e)
{
	size_t i, k = 0;

	qsort_r(e->hosts, e->nhosts, sizeof(*e->hosts), cmp_fhost, &f->hosts);
	for (i = 0; i < e->nhosts; i++) {
		if (k && e->hosts[k - 1].host == e->hosts[i].host) {
			e->hosts[k - 1].perms |= e->hosts[i].perms;
			e->hosts[k - 1].count += e->hosts[i].count;
		} else {
			e->hosts[k++] = e->hosts[i];
		}
	}
	e->nhosts = k;
}

/* the hosts that needed all of bits (0: any of the rule) */
static size_t hosts_with(const struct fentry *e, unsigned bits)
{
	size_t i, n = 0;

	for (i = 0; i < e->nhosts; i++)
		n += (e->hosts[i].perms & bits) == bits;
	return n;
}

/* the permissions enough hosts needed (each bit on its own) */
static unsigned kept_perms(const struct fentry *e, size_t quorum)
{
	unsigned kept = 0, b;

	for (b = 1; b && b <= e->d.perms; b <<= 1)
		if ((e->d.perms & b) && hosts_with(e, b) >= quorum)
			kept |= b;
	return kept;
}

struct sorted_entry {
	struct fentry *e;
	char *text;
};

static int cmp_sorted(const void *a, const void *b)
{
	const struct sorted_entry *x = a, *y = b;
	int c = strcmp(x->e->label, y->e->label);

	return c ? c : strcmp(x->text, y->text);
}

/* every entry with its text, sorted */
static struct sorted_entry *fleet_sorted(struct fleet *f)
{
	struct sorted_entry *v = xcalloc(f->n + 1, sizeof(*v));
	size_t i, n = 0;

	for (i = 0; i < f->nb; i++) {
		struct fentry *e;

		for (e = f->b[i]; e; e = e->next) {
			struct strbuf sb = STRBUF_INIT;

			coalesce(f, e);
			rclass_format_rule(e->d.cls, e->d.head.buf, e->d.perms, e->d.tail.buf, &sb);
			strbuf_addch(&sb, ',');
			v[n].e = e;
			v[n++].text = strbuf_detach(&sb, NULL);
		}
	}
	qsort(v, n, sizeof(*v), cmp_sorted);
	return v;
}

/* the hosts of e that needed bits, as "a, b, c" (printable) */
static void host_list(const struct fleet *f, const struct fentry *e, unsigned bits, struct strbuf *out)
{
	size_t i, k = 0;

	for (i = 0; i < e->nhosts; i++) {
		const char *name = hosttab_name(&f->hosts, e->hosts[i].host);

		if ((e->hosts[i].perms & bits) != bits)
			continue;
		strbuf_addstr(out, k++ ? ", " : "");
		strbuf_add_printable(out, name, strlen(name), NULL);
	}
}

/* a glob that reaches a path of the danger list is held back, as rules.c refuses
   a generalisation that would */
static int glob_reaches_danger(const danger_t *danger, const struct draft *d)
{
	size_t *zones = NULL, n;
	struct strbuf why = STRBUF_INIT;

	if (!danger || d->cls != RC_FILE || !strpbrk(d->path.buf, "*?[{"))
		return 0;
	n = danger_zones(danger, d->path.buf, &zones, &why);
	free(zones);
	strbuf_release(&why);
	return n != 0;
}

struct fleet_result {
	size_t hosts, quorum, kept, below, covered, held, other;
	struct json_object *json_rules, *json_below;
	struct strbuf below_text;
};

static struct json_object *entry_json(const struct fleet *f, const struct fentry *e, unsigned bits,
				      size_t nhosts)
{
	struct json_object *o = json_object_new_object(), *a;
	const char *sep = strstr(e->label, "//");
	struct strbuf sb = STRBUF_INIT;
	char *root = sep ? xstrndup(e->label, sep - e->label) : xstrdup(e->label);
	size_t n = hosts_with(e, bits), i;

	json_object_object_add(o, "profile", json_object_new_string(root));
	free(root);
	if (sep)
		json_object_object_add(o, "child", json_object_new_string(sep + 2));
	json_object_object_add(o, "class", json_object_new_string(rclass_info(e->d.cls)->name));
	rclass_format_rule(e->d.cls, e->d.head.buf, bits, e->d.tail.buf, &sb);
	strbuf_addch(&sb, ',');
	json_object_object_add(o, "rule", json_object_new_string(sb.buf));
	rulefields_json(e->d.cls, e->d.head.buf, bits, e->d.tail.buf, o);
	json_object_object_add(o, "hosts_seen", json_object_new_int64((int64_t)n));
	json_object_object_add(o, "hosts_total", json_object_new_int64((int64_t)nhosts));
	strbuf_reset(&sb);
	strbuf_addf(&sb, "seen on %zu of %zu host%s", n, nhosts, nhosts == 1 ? "" : "s");
	json_object_object_add(o, "coverage", json_object_new_string(sb.buf));
	a = json_object_new_array();
	for (i = 0; i < e->nhosts; i++) {
		if ((e->hosts[i].perms & bits) != bits)
			continue;
		json_object_array_add(a, json_object_new_string(hosttab_name(&f->hosts,
									     e->hosts[i].host)));
	}
	json_object_object_add(o, "hosts", a);
	strbuf_release(&sb);
	return o;
}

/* the rules with quorum into h, the others listed in res */
static void apply_quorum(struct fleet *f, harvest_t *h, const danger_t *danger, const char *only,
			 struct fleet_result *res)
{
	struct sorted_entry *v = fleet_sorted(f);
	size_t i, k, olen = only ? strlen(only) : 0;

	for (i = 0; i < f->n; i++) {
		struct fentry *e = v[i].e;
		unsigned kept = e->d.perms ? kept_perms(e, res->quorum) : 0, below = e->d.perms & ~kept;
		int has_quorum = e->d.perms ? kept != 0 : e->nhosts >= res->quorum;

		if (only && (strncmp(e->label, only, olen) || (e->label[olen] && e->label[olen] != '/'))) {
			res->other++;   /* said, not dropped silently */
			continue;
		}
		if (has_quorum) {
			struct draft d = e->d;
			int r;

			d.perms = kept;
			r = harvest_add_draft(h, e->label, &d, glob_reaches_danger(danger, &d),
					      "the path pattern reaches a path of the dangerous-access list");
			res->kept += r > 0;
			res->covered += r == 0;
			if (res->json_rules)
				json_object_array_add(res->json_rules, entry_json(f, e, kept, res->hosts));
		}
		if (!has_quorum || below) {
			unsigned bits = has_quorum ? below : e->d.perms;
			/* each permission below quorum on its own: its hosts differ */
			unsigned b = bits;

			do {
				unsigned one = e->d.perms ? b & -b : 0;
				struct strbuf text = STRBUF_INIT;

				rclass_format_rule(e->d.cls, e->d.head.buf, one, e->d.tail.buf, &text);
				strbuf_addstr(&res->below_text, "  ");
				strbuf_add_printable(&res->below_text, e->label, strlen(e->label), NULL);
				strbuf_addstr(&res->below_text, ": ");
				strbuf_add_printable(&res->below_text, text.buf, text.len, NULL);
				k = hosts_with(e, one);
				strbuf_addf(&res->below_text, ",\n      seen on %zu of %zu host%s: ", k,
					    res->hosts, res->hosts == 1 ? "" : "s");
				host_list(f, e, one, &res->below_text);
				strbuf_addch(&res->below_text, '\n');
				if (res->json_below)
					json_object_array_add(res->json_below,
							      entry_json(f, e, one, res->hosts));
				res->below++;
				strbuf_release(&text);
				b &= ~one;
			} while (b);
		}
	}
	for (i = 0; i < f->n; i++)
		free(v[i].text);
	free(v);
}

/* ------------------------------------------------------------- output */

static void format_rules(const harvest_t *h, struct strbuf *out)
{
	const char **profiles = harvest_profiles(h);
	char *prev = NULL;
	size_t i, n = 0;

	for (i = 0; profiles[i]; i++)
		n++;
	for (i = 0; profiles[i]; i++) {
		const char *sep = strstr(profiles[i], "//");
		char *root = sep ? xstrndup(profiles[i], sep - profiles[i]) : xstrdup(profiles[i]);
		struct strbuf why = STRBUF_INIT;

		if (prev && streq(prev, root)) {
			free(root);
			continue;
		}
		strbuf_addstr(out, "profile ");
		if (aa_emit_label(out, root, &why) < 0)
			strbuf_addstr(out, "invalid");
		strbuf_addstr(out, " {\n");
		harvest_format_rules(h, root, "  ", out);
		strbuf_addstr(out, "}\n");
		strbuf_release(&why);
		free(prev);
		prev = root;
	}
	free(prev);
	free(profiles);
}

static int read_base(const struct fleet_opts *o, char **ret)
{
	struct render_opts ro = { .name = o->name, .template_name = o->template_name };
	struct strbuf pre = STRBUF_INIT;

	if (o->pfile)
		return read_file(o->pfile, 16u << 20, ret, NULL);
	if (render_profile(&ro, &pre, NULL) < 0)
		return -1;
	*ret = strbuf_detach(&pre, NULL);
	return 0;
}

static size_t count_hosts(const struct fleet *f)
{
	return f->hosts.n;
}

static int write_out(const struct strbuf *out)
{
	if (out->len && (fwrite(out->buf, 1, out->len, stdout) != out->len || fflush(stdout)))
		return error_errno("cannot write to standard output");
	return 0;
}

static void json_doc(const struct fleet *f, struct fleet_result *res, struct strbuf *out)
{
	struct json_object *doc = json_object_new_object();

	json_object_object_add(doc, "schema", json_object_new_int(HARVEST_JSON_SCHEMA));
	json_object_object_add(doc, "inputs", json_object_new_int64((int64_t)f->nfiles));
	json_object_object_add(doc, "hosts_total", json_object_new_int64((int64_t)res->hosts));
	json_object_object_add(doc, "quorum", json_object_new_int64((int64_t)res->quorum));
	json_object_object_add(doc, "rules", res->json_rules);
	json_object_object_add(doc, "below_quorum", res->json_below);
	res->json_rules = res->json_below = NULL;
	jsonout_add(out, doc, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
	strbuf_addch(out, '\n');
	json_object_put(doc);
}

int fleet_merge(const struct fleet_opts *o)
{
	struct fleet f = { 0 };
	struct fleet_result res = { 0 };
	struct harvest_setup hs = { .ho = { .allowed = 1, .denied = 1,
					    .allow_dangerous = o->allow_dangerous },
				    .rules_dir = o->rules_dir };
	struct harvest_session s = { 0 };
	struct strbuf out = STRBUF_INIT;
	_cleanup_free_ char *base = NULL, *only = NULL;
	const char *names[2] = { o->name, NULL };
	int profile = streq(o->format, "profile"), rc = EXIT_ERROR;
	size_t i, held = 0;

	strbuf_init(&res.below_text, 0);
	for (i = 0; i < o->ninputs; i++)
		fleet_read(&f, o->inputs[i]);
	if (f.errors) {
		error("%zu of %zu input%s could not be read: nothing merged", f.errors, f.nfiles,
		      f.nfiles == 1 ? "" : "s");
		goto out;
	}
	res.hosts = count_hosts(&f);
	res.quorum = o->quorum ? o->quorum : o->quorum_pct ?
		(res.hosts * o->quorum_pct + 99) / 100 : 1;
	if (!res.quorum)
		res.quorum = 1;
	if (profile && !parser_path()) {
		error("apparmor_parser not found: merge needs it to check the profile "
		      "(install the 'apparmor' package, or use --format rules)");
		rc = EXIT_NOPARSER;
		goto out;
	}
	if (profile) {
		if (read_base(o, &base) < 0)
			goto out;
		only = profile_only(base, o->name);
		hs.policy_text = only;
		hs.policy_what = "the profile";
		hs.ho.profiles = names;
		hs.ho.nprofiles = 1;
	}
	rc = harvest_open(&hs, &s);
	if (rc)
		goto out;
	rc = EXIT_ERROR;
	if (streq(o->format, "json")) {
		res.json_rules = json_object_new_array();
		res.json_below = json_object_new_array();
	}
	apply_quorum(&f, s.h, s.danger, profile ? o->name : NULL, &res);
	if (profile) {
		struct strbuf section = STRBUF_INIT;

		harvest_format_rules(s.h, o->name, "  ", &section);
		rc = merge_compilable(s.h, base, o->name, section.buf, o->pfile, &out, &held);
		strbuf_release(&section);
		if (rc)
			goto out;
		rc = EXIT_ERROR;
	} else if (streq(o->format, "rules")) {
		format_rules(s.h, &out);
	} else {
		json_doc(&f, &res, &out);
	}
	if (write_out(&out) < 0)
		goto out;
	if (!o->quiet)
		note("merged %zu input%s from %zu host%s, quorum %zu: %zu rule%s kept, %zu below the "
		     "quorum%s", f.nfiles, f.nfiles == 1 ? "" : "s", res.hosts, res.hosts == 1 ? "" : "s",
		     res.quorum, res.kept, res.kept == 1 ? "" : "s", res.below,
		     res.covered ? " (some already allowed by the profile)" : "");
	if (res.below) {
		quiet_errors = 0;
		warning("%zu rule%s held below the quorum of %zu host%s (not written; decide "
			"from their hosts):\n%s", res.below, res.below == 1 ? "" : "s", res.quorum,
			res.quorum == 1 ? "" : "s", res.below_text.buf);
	}
	if (res.other) {
		quiet_errors = 0;
		warning("%zu rule%s of other profiles than '%s' left out (see them with --format rules)",
			res.other, res.other == 1 ? "" : "s", o->name);
	}
	held += harvest_nheld(s.h);
	if (harvest_nheld(s.h)) {
		struct strbuf list = STRBUF_INIT;

		harvest_format_held(s.h, &list);
		quiet_errors = 0;
		warning("%zu dangerous rule%s held back (not written):\n%s", harvest_nheld(s.h),
			harvest_nheld(s.h) == 1 ? "" : "s", list.buf);
		strbuf_release(&list);
	}
	rc = held ? EXIT_DANGEROUS : res.below ? EXIT_QUORUM : EXIT_OK;
out:
	json_object_put(res.json_rules);
	json_object_put(res.json_below);
	strbuf_release(&res.below_text);
	strbuf_release(&out);
	harvest_close(&s);
	fleet_release(&f);
	return rc;
}
