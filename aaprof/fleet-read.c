/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fleet-read.c - aaprof merge's input: per-host harvest JSON, read as
 * written by anyone, into a table of rules rebuilt from their fields.
 */
#include "fleet-read.h"
#include "escape.h"
#include "harvest-json.h"
#include "rulefields.h"
#include "sanitise.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

/* inputs larger than this are refused: a harvest of 100 000 rules is ~100 MB */
#define FLEET_MAX_INPUT (512u << 20)

static uint64_t hash_str(const char *s)
{
	uint64_t x = 1469598103934665603ull;

	for (; *s; s++)
		x = (x ^ (unsigned char)*s) * 1099511628211ull;
	return x;
}

static void fleet_grow(struct fleet *f)
{
	size_t nb = f->nb ? f->nb * 2 : 1024, i;
	struct fentry **b = xcalloc(nb, sizeof(*b));

	for (i = 0; i < f->nb; i++) {
		struct fentry *e = f->b[i], *next;

		for (; e; e = next) {
			next = e->next;
			e->next = b[hash_str(e->key) & (nb - 1)];
			b[hash_str(e->key) & (nb - 1)] = e;
		}
	}
	free(f->b);
	f->b = b;
	f->nb = nb;
}

/* the entry of d under label: d moves into a new one (and is re-initialised) */
static struct fentry *fleet_get(struct fleet *f, const char *label, struct draft *d)
{
	_cleanup_free_ char *key = xasprintf("%s\n%c\n%s\n%s", label, 'A' + (int)d->cls,
					     d->head.buf, d->tail.buf);
	struct fentry *e;
	uint64_t x;

	if (f->n + 1 > f->nb)
		fleet_grow(f);
	x = hash_str(key);
	for (e = f->b[x & (f->nb - 1)]; e; e = e->next)
		if (streq(e->key, key)) {
			e->d.perms |= d->perms;
			return e;
		}
	e = xcalloc(1, sizeof(*e));
	e->key = steal_pointer(&key);
	e->label = xstrdup(label);
	e->d = *d;
	if (d->peer)   /* it points into d->also, which moved with it */
		e->d.peer = e->d.also.buf;
	draft_init(d);
	e->next = f->b[x & (f->nb - 1)];
	f->b[x & (f->nb - 1)] = e;
	f->n++;
	return e;
}

void fleet_release(struct fleet *f)
{
	size_t i;

	for (i = 0; i < f->nb; i++) {
		struct fentry *e = f->b[i], *next;

		for (; e; e = next) {
			next = e->next;
			free(e->key);
			free(e->label);
			draft_release(&e->d);
			free(e->hosts);
			free(e);
		}
	}
	free(f->b);
	hosttab_release(&f->hosts);
}

/* ------------------------------------------------------------ reading */

static const char *member_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string) ?
		json_object_get_string(v) : NULL;
}

/* a host's or profile's name from JSON: printable, no blank or quote, at most 255 bytes */
static int check_name(const char *s, const char *what, struct strbuf *why)
{
	size_t i, n = s ? strlen(s) : 0;

	if (!n || n > 255)
		return strbuf_addf(why, "%s: %s", what, n ? "longer than 255 bytes" : "missing or empty"), -1;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f || s[i] == '"')
			return strbuf_addf(why, "%s: a blank, control character or quote", what), -1;
	return 0;
}

/* a profile's name: one aa_emit_label() writes (it is written only so) */
static int check_label(const char *s, const char *what, struct strbuf *why)
{
	struct strbuf sb = STRBUF_INIT, w = STRBUF_INIT;
	int r = 0;

	if (!s || !*s || strlen(s) > 4096 || aa_emit_label(&sb, s, &w) < 0) {
		strbuf_addf(why, "%s: %s", what, w.len ? w.buf : "missing, empty or too long");
		r = -1;
	}
	strbuf_release(&sb);
	strbuf_release(&w);
	return r;
}

/* the hosts of a rule into e */
static int add_hosts(struct fleet *f, struct fentry *e, struct json_object *rule,
		     enum rclass cls, unsigned rule_perms, struct strbuf *why)
{
	struct json_object *a, *h, *v;
	size_t i, n;

	if (!json_object_object_get_ex(rule, "hosts", &a) || !json_object_is_type(a, json_type_array) ||
	    !(n = json_object_array_length(a)))
		return strbuf_addstr(why, "no \"hosts\" list: not the JSON of aaprof harvest"), -1;
	for (i = 0; i < n; i++) {
		const char *name;
		unsigned perms = rule_perms;
		struct fhost *fh;

		h = json_object_array_get_idx(a, i);
		name = json_object_is_type(h, json_type_object) ? member_str(h, "host") : NULL;
		if (check_name(name, "host", why) < 0)
			return -1;
		if (json_object_object_get_ex(h, "permissions", &v) &&
		    (rulefields_perms(cls, v, &perms, why) < 0 || (perms & ~rule_perms)))
			return why->len ? -1 :
				(strbuf_addf(why, "host '%s' needed permissions the rule has not", name), -1);
		ALLOC_GROW(e->hosts, e->nhosts + 1, e->alloc);
		fh = &e->hosts[e->nhosts++];
		fh->host = hosttab_id(&f->hosts, name, strlen(name));
		fh->perms = perms;
		fh->count = json_object_object_get_ex(h, "count", &v) ?
			(unsigned long long)json_object_get_int64(v) : 0;
	}
	return 0;
}

static int add_rule(struct fleet *f, struct json_object *rule, struct strbuf *why)
{
	const char *profile = member_str(rule, "profile"), *child = member_str(rule, "child");
	struct draft d;
	struct fentry *e;
	int r = -1;

	draft_init(&d);
	if (!json_object_is_type(rule, json_type_object)) {
		strbuf_addstr(why, "not an object");
		goto out;
	}
	if (check_label(profile, "profile", why) < 0 || (child && check_label(child, "child", why) < 0))
		goto out;
	if (streq(profile, "unconfined")) {
		strbuf_addstr(why, "profile: 'unconfined' is no profile aaprof writes rules for");
		goto out;
	}
	if (strstr(profile, "//") || (child && starts_with(child, "//"))) {
		strbuf_addstr(why, "profile: a child's name belongs in \"child\"");
		goto out;
	}
	if (rulefields_draft(rule, &d, why) < 0)
		goto out;
	{
		_cleanup_free_ char *label = child ? xasprintf("%s//%s", profile, child) : xstrdup(profile);
		enum rclass cls = d.cls;
		unsigned perms = d.perms;

		e = fleet_get(f, label, &d);
		r = add_hosts(f, e, rule, cls, perms, why);
	}
out:
	draft_release(&d);
	return r;
}

/* one JSON file: 0, or -1 with its errors counted and named */
static int read_input(struct fleet *f, const char *path)
{
	_cleanup_free_ char *text = NULL;
	struct json_tokener *tok;
	struct json_object *doc = NULL, *v, *rules;
	size_t len = 0, i, n, bad = 0;
	int r = -1;

	if (read_file(path, FLEET_MAX_INPUT, &text, &len) < 0)
		return -1;
	tok = json_tokener_new();
	doc = json_tokener_parse_ex(tok, text, (int)len);
	if (!doc || json_tokener_get_error(tok) != json_tokener_success ||
	    (size_t)json_tokener_get_parse_end(tok) != len) {
		size_t end = json_tokener_get_parse_end(tok);

		while (end < len && strchr(" \t\r\n", text[end]))
			end++;
		if (!doc || end != len) {
			error("%s: not JSON (at byte %zu: %s)", path, (size_t)json_tokener_get_parse_end(tok),
			      doc ? "text after the document" :
			      json_tokener_error_desc(json_tokener_get_error(tok)));
			goto out;
		}
	}
	if (!json_object_is_type(doc, json_type_object) ||
	    !json_object_object_get_ex(doc, "schema", &v) || !json_object_is_type(v, json_type_int)) {
		error("%s: not the JSON of 'aaprof harvest --format json' (no \"schema\")", path);
		goto out;
	}
	if (json_object_get_int64(v) != HARVEST_JSON_SCHEMA) {
		error("%s: schema %lld: this aaprof reads schema %d", path,
		      (long long)json_object_get_int64(v), HARVEST_JSON_SCHEMA);
		goto out;
	}
	if (!json_object_object_get_ex(doc, "rules", &rules) ||
	    !json_object_is_type(rules, json_type_array)) {
		error("%s: no \"rules\" list", path);
		goto out;
	}
	n = json_object_array_length(rules);
	for (i = 0; i < n; i++) {
		struct strbuf why = STRBUF_INIT;

		if (add_rule(f, json_object_array_get_idx(rules, i), &why) < 0) {
			struct strbuf safe = STRBUF_INIT;

			strbuf_add_printable(&safe, why.buf, why.len, NULL);
			error("%s: rule %zu: %s", path, i + 1, safe.buf);
			strbuf_release(&safe);
			bad++;
		}
		strbuf_release(&why);
	}
	r = bad ? -1 : 0;
out:
	f->errors += r < 0;
	json_tokener_free(tok);
	json_object_put(doc);
	return r;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* an operand: a file, or a directory's *.json files in name order */
int fleet_read(struct fleet *f, const char *path)
{
	struct stat st;
	DIR *dir;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, alloc = 0, i;
	int r = 0;

	if (streq(path, "-")) {   /* a harvest piped in */
		f->nfiles++;
		return read_input(f, "/dev/stdin");
	}
	if (stat(path, &st) < 0)
		return error_errno("cannot read '%s'", path);
	if (!S_ISDIR(st.st_mode)) {
		f->nfiles++;
		return read_input(f, path);
	}
	if (!(dir = opendir(path)))
		return error_errno("cannot read the directory '%s'", path);
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.' || !ends_with(de->d_name, ".json"))
			continue;
		ALLOC_GROW(names, n + 1, alloc);
		names[n++] = xasprintf("%s/%s", path, de->d_name);
	}
	closedir(dir);
	qsort(names, n, sizeof(*names), cmp_str);
	if (!n)
		r = error("no *.json file in the directory '%s'", path);
	for (i = 0; i < n; i++) {
		f->nfiles++;
		if (read_input(f, names[i]) < 0)
			r = -1;
		free(names[i]);
	}
	free(names);
	return r;
}

