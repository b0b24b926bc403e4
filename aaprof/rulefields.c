/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rulefields.c - a rule's structured fields for --format json, and a rule
 * rebuilt from them, checked, for aaprof merge.
 */
#include "rulefields.h"
#include "aalex.h"
#include "escape.h"
#include "sanitise.h"
#include "util.h"

#include <json-c/json.h>
#include <string.h>

/* the name of a bare value at position pos of a class's tail, "->"'s for arrow */
static const char *positional(enum rclass cls, int pos, int arrow)
{
	if (arrow)
		return cls == RC_MOUNT ? "mountpoint" : "target";
	switch (cls) {
	case RC_NET:
		return pos == 0 ? "family" : pos == 1 ? "type" : NULL;
	case RC_MOUNT:
		return pos == 0 ? "source" : NULL;
	case RC_UMOUNT:
		return pos == 0 ? "mountpoint" : NULL;
	case RC_PIVOT:
		return pos == 0 ? "newroot" : NULL;
	case RC_MQUEUE:
		return pos == 0 ? "name" : NULL;
	default:
		return NULL;
	}
}

/* the end of the item at p: a quoted string, a (...) group or a word */
static const char *item_end(const char *p)
{
	int depth = 0, quoted = 0;

	for (; *p; p++) {
		if (quoted) {
			if (*p == '\\' && p[1])
				p++;
			else if (*p == '"')
				quoted = 0;
		} else if (*p == '"') {
			quoted = 1;
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')') {
			depth--;
		} else if ((*p == ' ' || *p == ',') && depth <= 0) {
			break;
		}
	}
	return p;
}

/*
 * The next item of [*p, end): 1 with it at [*p, *ret_q), else 0. Items are
 * separated by blanks, and inside a group by commas: item_end() stops at a
 * comma, so one left unskipped would never be passed (a fuzzer's
 * peer=(label=a, addr=b) spun for ever); every item is at least a byte.
 */
static int next_item(const char **p, const char *end, const char **ret_q)
{
	const char *q;

	while (*p < end && (**p == ' ' || **p == ','))
		(*p)++;
	if (*p >= end)
		return 0;
	q = item_end(*p);
	*ret_q = q > end ? end : q == *p ? *p + 1 : q;
	return 1;
}

static void add_items(enum rclass cls, const char *s, size_t n, struct json_object *fields,
		      int inner);

/* key=(...): a list of words, or (with key=value items) an object */
static struct json_object *group(enum rclass cls, const char *s, size_t n)
{
	struct json_object *o;
	const char *p, *q, *end = s + n;

	if (memchr(s, '=', n)) {
		o = json_object_new_object();
		add_items(cls, s, n, o, 1);
		return o;
	}
	o = json_object_new_array();
	for (p = s; next_item(&p, end, &q); p = q)
		json_object_array_add(o, json_object_new_string_len(p, (int)(q - p)));
	return o;
}

static void add_items(enum rclass cls, const char *s, size_t n, struct json_object *fields,
		      int inner)
{
	const char *p = s, *q, *end = s + n;
	int pos = 0, arrow = 0;

	for (; next_item(&p, end, &q); p = q) {
		const char *eq;
		char *key;

		if (q - p == 2 && !memcmp(p, "->", 2)) {
			arrow = 1;
			continue;
		}
		eq = *p != '"' && *p != '/' ? memchr(p, '=', q - p) : NULL;
		if (eq && !arrow) {
			key = xstrndup(p, eq - p);
			if (eq[1] == '(' && q[-1] == ')')
				json_object_object_add(fields, key, group(cls, eq + 2, q - eq - 3));
			else
				json_object_object_add(fields, key,
						       json_object_new_string_len(eq + 1, (int)(q - eq - 1)));
			free(key);
		} else {
			const char *name = inner ? NULL : positional(cls, pos++, arrow);

			json_object_object_add(fields, name ? name : "value",
					       json_object_new_string_len(p, (int)(q - p)));
		}
		arrow = 0;
	}
}

static void file_fields(const char *head, const char *tail, struct json_object *f)
{
	int owner = starts_with(head, "owner ");

	if (owner)
		head += 6;
	json_object_object_add(f, "owner", json_object_new_boolean(owner));
	if (starts_with(head, "link ")) {
		head += 5;
		json_object_object_add(f, "link", json_object_new_boolean(1));
	}
	json_object_object_add(f, "path", json_object_new_string(head));
	if (starts_with(tail, "-> "))
		json_object_object_add(f, "target", json_object_new_string(tail + 3));
}

struct json_object *rulefields_perms_json(enum rclass cls, unsigned perms)
{
	struct json_object *a = json_object_new_array();
	struct strbuf sb = STRBUF_INIT;
	const char *p;

	if (cls == RC_FILE) {
		perm_format(&sb, perms);
		for (p = sb.buf; *p; p++) {
			/* ix, px, cx are one permission each */
			int two = p[1] == 'x' && (*p == 'i' || *p == 'p' || *p == 'c');

			json_object_array_add(a, json_object_new_string_len(p, two ? 2 : 1));
			p += two;
		}
	} else {
		access_words_format(&sb, perms, 1);
		for (p = sb.buf; *p;) {
			const char *q;

			while (*p == ' ' || *p == '(' || *p == ',' || *p == ')')
				p++;
			for (q = p; *q && *q != ',' && *q != ')' && *q != ' '; q++)
				;
			if (q > p)
				json_object_array_add(a, json_object_new_string_len(p, (int)(q - p)));
			p = q;
		}
	}
	strbuf_release(&sb);
	return a;
}

void rulefields_json(enum rclass cls, const char *head, unsigned perms, const char *tail,
		     struct json_object *o)
{
	struct json_object *f = json_object_new_object();

	if (cls == RC_FILE)
		file_fields(head, tail, f);
	else if (cls == RC_CAP && starts_with(head, "capability "))
		json_object_object_add(f, "capability", json_object_new_string(head + 11));
	else if (cls != RC_OPAQUE)
		add_items(cls, tail, strlen(tail), f, 0);
	json_object_object_add(o, "fields", f);
	json_object_object_add(o, "permissions", rulefields_perms_json(cls, perms));
}

/* ------------------------------------------------------ back from JSON */

/*
 * One value as policy text: a single token that cannot end, open or
 * comment out anything: no control character, no blank or parenthesis
 * outside quotes, ',' only inside {}, balanced {}, a quoted string closed
 * only at its end.
 */
static int check_value(const char *v, size_t n, const char *what, struct strbuf *why)
{
	size_t i;
	int brace = 0;

	if (!n || n > 4096)
		return strbuf_addf(why, "%s: %s value", what, n ? "too long a" : "empty"), -1;
	for (i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
			return strbuf_addf(why, "%s: control character in the value", what), -1;
	if (v[0] == '"') {
		for (i = 1; i < n - 1; i++) {
			if (v[i] == '\\')
				i++;
			else if (v[i] == '"')
				break;
		}
		if (n < 2 || i != n - 1 || v[n - 1] != '"')
			return strbuf_addf(why, "%s: a quoted value must be one quoted string", what), -1;
		return 0;
	}
	if (v[0] == '#' || v[0] == '-' || v[0] == '^')
		return strbuf_addf(why, "%s: a value may not start with '%c'", what, v[0]), -1;
	for (i = 0; i < n; i++) {
		char c = v[i];

		if (c == '\\' && i + 1 < n) {
			i++;
			continue;
		}
		if (c == '{')
			brace++;
		else if (c == '}' && --brace < 0)
			break;
		else if (c == ' ' || c == '"' || c == '(' || c == ')' || c == '\\' ||
			 (c == ',' && !brace))
			return strbuf_addf(why, "%s: '%c' in an unquoted value", what, c), -1;
	}
	if (brace)
		return strbuf_addf(why, "%s: unbalanced braces", what), -1;
	return 0;
}

static const char *get_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string) ?
		json_object_get_string(v) : NULL;
}

/* one field's value appended to out, checked */
static int add_value(struct strbuf *out, struct json_object *v, const char *key, struct strbuf *why)
{
	size_t i, n;

	if (json_object_is_type(v, json_type_string)) {
		const char *s = json_object_get_string(v);

		if (check_value(s, strlen(s), key, why) < 0)
			return -1;
		strbuf_addstr(out, s);
		return 0;
	}
	if (json_object_is_type(v, json_type_array)) {
		n = json_object_array_length(v);
		if (!n)
			return strbuf_addf(why, "%s: an empty list", key), -1;
		strbuf_addch(out, '(');
		for (i = 0; i < n; i++) {
			strbuf_addstr(out, i ? ", " : "");
			if (add_value(out, json_object_array_get_idx(v, i), key, why) < 0 ||
			    json_object_is_type(json_object_array_get_idx(v, i), json_type_array))
				return why->len ? -1 : (strbuf_addf(why, "%s: a nested list", key), -1);
		}
		strbuf_addch(out, ')');
		return 0;
	}
	if (json_object_is_type(v, json_type_object)) {
		int first = 1;

		strbuf_addch(out, '(');
		json_object_object_foreach(v, k, x) {
			if (check_value(k, strlen(k), "field name", why) < 0 || strpbrk(k, "={}\"") ||
			    !json_object_is_type(x, json_type_string))
				return why->len ? -1 : (strbuf_addf(why, "%s: bad member '%s'", key, k), -1);
			strbuf_addf(out, "%s%s=", first ? "" : " ", k);
			if (add_value(out, x, k, why) < 0)
				return -1;
			first = 0;
		}
		strbuf_addch(out, ')');
		return first ? (strbuf_addf(why, "%s: an empty group", key), -1) : 0;
	}
	return strbuf_addf(why, "%s: not a string, list or object", key), -1;
}

int rulefields_perms(enum rclass cls, struct json_object *a, unsigned *ret, struct strbuf *why)
{
	struct json_object *v;
	struct strbuf sb = STRBUF_INIT;
	size_t i, n;
	int r = 0;

	*ret = 0;
	if (!a || !json_object_is_type(a, json_type_array))
		return strbuf_addstr(why, "no \"permissions\" list"), -1;
	n = json_object_array_length(a);
	for (i = 0; i < n && !r; i++) {
		const char *s;
		int w;

		v = json_object_array_get_idx(a, i);
		if (!json_object_is_type(v, json_type_string))
			return strbuf_release(&sb), strbuf_addstr(why, "a permission is not a string"), -1;
		s = json_object_get_string(v);
		if (cls == RC_FILE) {
			strbuf_addstr(&sb, s);
		} else if ((w = access_word(s, strlen(s))) < 0 || !(rclass_access_words(cls) & (1u << w))) {
			strbuf_addf(why, "unknown permission '%.40s' of a %s rule", s, rclass_info(cls)->name);
			r = -1;
		} else {
			*ret |= 1u << w;
		}
	}
	if (!r && cls == RC_FILE && (perm_parse(sb.buf, sb.len, PERM_AAPROF, ret) < 0 || !*ret)) {
		strbuf_addf(why, "bad file permissions '%.40s'", sb.buf);
		r = -1;
	}
	strbuf_release(&sb);
	return r;
}

static int file_draft(struct json_object *f, struct draft *d, struct strbuf *why)
{
	struct json_object *v;
	const char *path = get_str(f, "path"), *target = get_str(f, "target");
	char *p;

	d->owner = json_object_object_get_ex(f, "owner", &v) && json_object_get_boolean(v);
	if (d->owner)
		strbuf_addstr(&d->head, "owner ");
	if (json_object_object_get_ex(f, "link", &v) && json_object_get_boolean(v)) {
		strbuf_addstr(&d->head, "link ");
		if (!target || d->perms != FP_L)
			return strbuf_addstr(why, "a link rule needs a target and only 'l'"), -1;
	} else if (target) {
		return strbuf_addstr(why, "a target without \"link\""), -1;
	}
	if (!path || check_value(path, strlen(path), "path", why) < 0)
		return why->len ? -1 : (strbuf_addstr(why, "no \"path\""), -1);
	p = aa_processid(path, strlen(path));
	strbuf_addstr(&d->path, p);
	free(p);
	if (d->path.buf[0] != '/' && !starts_with(d->path.buf, "@{"))
		return strbuf_addf(why, "path '%.80s' is not absolute", path), -1;
	strbuf_addstr(&d->head, path);
	if (target) {
		if (check_value(target, strlen(target), "target", why) < 0)
			return -1;
		p = aa_processid(target, strlen(target));
		strbuf_addstr(&d->target, p);
		free(p);
		if (d->target.buf[0] != '/')
			return strbuf_addf(why, "target '%.80s' is not absolute", target), -1;
		strbuf_addf(&d->tail, "-> %s", target);
	}
	return 0;
}

/* the tail, in the order of the fields: bare values, "-> value", key=value */
static int tail_draft(enum rclass cls, struct json_object *f, struct draft *d, struct strbuf *why)
{
	int pos = 0;

	json_object_object_foreach(f, key, v) {
		const char *name = positional(cls, pos, 0);
		size_t start;

		if (d->tail.len)
			strbuf_addch(&d->tail, ' ');
		if (name && streq(key, name)) {
			pos++;
		} else if (streq(key, positional(cls, 0, 1)) &&
			   (cls == RC_MOUNT || cls == RC_CHANGE_PROFILE)) {
			strbuf_addstr(&d->tail, "-> ");
		} else if (positional(cls, 0, 0) && streq(key, positional(cls, 0, 0))) {
			return strbuf_addf(why, "field '%s' out of its place", key), -1;
		} else {
			if (check_value(key, strlen(key), "field name", why) < 0 ||
			    strpbrk(key, "={}\"\\/"))
				return why->len ? -1 : (strbuf_addf(why, "bad field name '%.40s'", key), -1);
			strbuf_addf(&d->tail, "%s=", key);
		}
		start = d->tail.len;
		if (add_value(&d->tail, v, key, why) < 0)
			return -1;
		if ((streq(key, "peer") || streq(key, "target")) && d->tail.buf[start] != '(') {
			char *p = aa_processid(d->tail.buf + start, d->tail.len - start);

			strbuf_reset(&d->also);   /* (scratch: the peer, unquoted) */
			strbuf_addstr(&d->also, p);
			free(p);
			d->peer = d->also.buf;
		}
	}
	return 0;
}

/* the rule text read back as apparmor_parser reads it: one rule, nothing else */
static int check_structure(const char *text, const char *keyword, struct strbuf *why)
{
	struct aalex lx;
	struct aatok t;
	int n = 0, depth = 0, ended = 0;

	aalex_init(&lx, text, strlen(text));
	while (aalex_next(&lx, &t)) {
		if (ended)
			return strbuf_addstr(why, "text after the end of the rule"), -1;
		switch (t.kind) {
		case AT_WORD: case AT_QUOTED:
			if (!n && keyword && (t.len != strlen(keyword) || memcmp(text + t.start, keyword, t.len)))
				return strbuf_addf(why, "the rule does not start with '%s'", keyword), -1;
			break;
		case AT_LPAREN:
			depth++;
			break;
		case AT_RPAREN:
			if (--depth < 0)
				return strbuf_addstr(why, "unbalanced parentheses"), -1;
			break;
		case AT_COMMA:
			ended = !depth;
			break;
		default:
			return strbuf_addstr(why, "the rule holds a block, comment, include or variable"), -1;
		}
		n++;
	}
	return ended ? 0 : (strbuf_addstr(why, "the rule does not end"), -1);
}

int rulefields_draft(struct json_object *rule, struct draft *d, struct strbuf *why)
{
	struct json_object *f;
	const char *cname = get_str(rule, "class"), *text = get_str(rule, "rule");
	struct strbuf built = STRBUF_INIT;
	int i, r = -1;

	d->cls = RC_OPAQUE;
	for (i = 0; cname && i < RC_OPAQUE; i++)
		if (streq(cname, rclass_info(i)->name))
			d->cls = i;
	if (d->cls == RC_OPAQUE)
		return strbuf_addf(why, "unknown rule class '%.40s'", cname ? cname : "(none)"), -1;
	if (!json_object_object_get_ex(rule, "permissions", &f))
		f = NULL;
	if (rulefields_perms(d->cls, f, &d->perms, why) < 0)
		return -1;
	if (!json_object_object_get_ex(rule, "fields", &f) || !json_object_is_type(f, json_type_object))
		return strbuf_addstr(why, "no \"fields\" object"), -1;
	d->feature = rclass_info(d->cls)->feature;
	if (d->cls == RC_FILE) {
		if (file_draft(f, d, why) < 0)
			return -1;
	} else if (d->cls == RC_CAP) {
		const char *cap = get_str(f, "capability");

		if (json_object_object_length(f) != 1 || !cap)
			return strbuf_addstr(why, "a capability rule has one field, \"capability\""), -1;
		strbuf_addstr(&d->head, "capability ");
		if (aa_emit_word(&d->head, cap, why) < 0)
			return -1;
	} else {
		strbuf_addstr(&d->head, rclass_info(d->cls)->name);
		if (tail_draft(d->cls, f, d, why) < 0)
			return -1;
		if (d->cls == RC_NET)
			d->feature = d->perms || strstr(d->tail.buf, "=") ? HF_NET_FINE : 0;
		/* as derive.c: never a way out of confinement, whatever is allowed */
		if (d->cls == RC_CHANGE_PROFILE && (!d->peer || streq(d->peer, "unconfined")))
			return strbuf_addstr(why, "a change_profile to unconfined (or to no "
					     "target): aaprof never writes a way out of confinement"), -1;
	}
	rclass_format_rule(d->cls, d->head.buf, d->perms, d->tail.buf, &built);
	strbuf_addch(&built, ',');
	if (check_structure(built.buf, d->cls == RC_FILE ? NULL : d->cls == RC_CAP ? "capability" :
			    rclass_info(d->cls)->name, why) < 0)
		goto out;
	/* a rule the target does not enforce is written as a comment (abi.c):
	   what is compared is the rule after its "# not enforced ...: " */
	if (text && (starts_with(text, "# not enforced ") ||
		     starts_with(text, "# needs a newer apparmor_parser: ")) && strstr(text, ": "))
		text = strstr(text, ": ") + 2;
	if (!text || !streq(text, built.buf)) {
		strbuf_addstr(why, "its \"rule\" is not the rule its fields make: ");
		strbuf_add_printable(why, built.buf, built.len > 200 ? 200 : built.len, NULL);
		goto out;
	}
	r = 0;
out:
	strbuf_release(&built);
	return r;
}
