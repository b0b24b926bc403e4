/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * policy.c - the model of an existing profile: its rules, read with
 * apparmor_parser's tokens, and what they allow or deny.
 */
#include "policy.h"
#include "aaglob.h"
#include "aalex.h"
#include "strbuf.h"

#include <string.h>

struct prule {
	int deny, owner;
	int is_file;
	unsigned perms;       /* file rules */
	char *glob;           /* file rules: the path pattern as written */
	aaglob_t *compiled;   /* lazily */
	int bad;              /* the pattern did not compile */
	char *text;           /* other rules: normalised text without qualifiers */
};

struct policy {
	struct prule *v;
	size_t n, alloc;
	aavars_t *vars;
	int has_vars;
};

/* a file rule's permission letters as apparmor_parser grants them; 0: not one */
static unsigned parse_file_perms(const char *s)
{
	unsigned bits;

	return perm_parse(s, strlen(s), PERM_POLICY, &bits) < 0 ? 0 : bits;
}

static int is_perm_word(const char *s)
{
	return *s && parse_file_perms(s) != 0;
}

/* a statement's words: raw as written, and as apparmor_parser reads them */
struct words {
	char *raw[64];
	char *id[64];
	size_t n;
};

static void words_release(struct words *w)
{
	size_t i;

	for (i = 0; i < w->n; i++) {
		free(w->raw[i]);
		free(w->id[i]);
	}
	w->n = 0;
}

static void add_statement(policy_t *p, struct words *ws)
{
	char **w = ws->id;
	size_t n = ws->n, i = 0;
	struct prule r = { 0 };
	struct strbuf sb = STRBUF_INIT;

	for (; i < n; i++) {
		if (streq(w[i], "audit") || streq(w[i], "allow") || streq(w[i], "quiet"))
			continue;
		if (streq(w[i], "deny")) { r.deny = 1; continue; }
		if (streq(w[i], "owner")) { r.owner = 1; continue; }
		break;
	}
	if (i >= n || streq(w[i], "abi") || streq(w[i], "alias"))
		return;
	if (streq(w[i], "file") && i + 1 == n) {
		r.is_file = 1;
		r.perms = FP_M | FP_R | FP_W | FP_A | FP_L | FP_K | FP_X;
		r.glob = xstrdup("/**");
	} else if (streq(w[i], "file"))
		i++;
	if (!r.is_file && i + 1 < n && (w[i][0] == '/' || w[i][0] == '@') && is_perm_word(w[i + 1])) {
		r.is_file = 1;
		r.glob = xstrdup(w[i]);
		r.perms = parse_file_perms(w[i + 1]);
	} else if (!r.is_file && i + 1 < n && is_perm_word(w[i]) && (w[i + 1][0] == '/' || w[i + 1][0] == '@')) {
		r.is_file = 1;
		r.glob = xstrdup(w[i + 1]);
		r.perms = parse_file_perms(w[i]);
	} else if (!r.is_file && streq(w[i], "link")) {
		size_t j = i + 1;

		if (j < n && streq(w[j], "subset"))
			j++;
		if (j < n) {
			r.is_file = 1;
			r.glob = xstrdup(w[j]);
			r.perms = FP_L;
		}
	}
	if (!r.is_file) {
		for (; i < n; i++)
			strbuf_addf(&sb, "%s%s", sb.len ? " " : "", ws->raw[i]);
		r.text = strbuf_detach(&sb, NULL);
	}
	ALLOC_GROW(p->v, p->n + 1, p->alloc);
	p->v[p->n++] = r;
}

/* @{NAME} = values / @{NAME} += values */
static void add_assignment(policy_t *p, const char *s, size_t len)
{
	_cleanup_free_ char *a = xstrndup(s, len);
	char *close = strchr(a, '}'), *eq, *v;

	if (a[0] != '@' || a[1] != '{' || !close || !(eq = strchr(close, '=')))
		return;
	*close = '\0';
	for (v = eq + 1; *v; v++)
		if (*v == '\\' && v[1] == '\n')
			v[0] = v[1] = ' ';
	aavars_add(p->vars, a + 2, eq + 1);
	p->has_vars = 1;
}

policy_t *policy_parse(const char *text, const char *vars_root)
{
	policy_t *p = xcalloc(1, sizeof(*p));
	struct words ws = { 0 };
	struct aalex lx;
	struct aatok t;

	p->vars = aavars_new();
	aalex_init(&lx, text, strlen(text));
	while (aalex_next(&lx, &t)) {
		switch (t.kind) {
		case AT_COMMENT:
			continue;
		case AT_COMMA:
			if (!lx.paren) {
				if (ws.n)
					add_statement(p, &ws);
				words_release(&ws);
				continue;
			}
			break;
		case AT_OPEN:
		case AT_CLOSE:
		case AT_INCLUDE:
			words_release(&ws);   /* a block's header, or an include: no rule */
			continue;
		case AT_ASSIGN:
			words_release(&ws);
			add_assignment(p, text + t.start, t.len);
			continue;
		default:
			break;
		}
		/* a word is a run of tokens without space between them */
		if (ws.n && !t.space_before) {
			size_t k = ws.n - 1;
			char *raw = xasprintf("%s%.*s", ws.raw[k], (int)t.len, text + t.start);

			free(ws.raw[k]);
			free(ws.id[k]);
			ws.raw[k] = raw;
			ws.id[k] = xstrdup(raw);
		} else if (ws.n < ARRAY_SIZE(ws.raw)) {
			ws.raw[ws.n] = xstrndup(text + t.start, t.len);
			ws.id[ws.n] = t.kind == AT_WORD || t.kind == AT_QUOTED ?
				      aa_processid(text + t.start, t.len) : xstrdup(ws.raw[ws.n]);
			ws.n++;
		}
	}
	words_release(&ws);
	if (!p->has_vars && vars_root)
		aavars_load(p->vars, vars_root, "tunables/global");
	return p;
}

void policy_free(policy_t *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->n; i++) {
		free(p->v[i].glob);
		free(p->v[i].text);
		aaglob_free(p->v[i].compiled);
	}
	free(p->v);
	aavars_free(p->vars);
	free(p);
}

size_t policy_nrules(const policy_t *p)
{
	return p->n;
}

const char *policy_rule_glob(const policy_t *p, size_t i, unsigned *ret_perms, int *ret_owner,
			     int *ret_deny)
{
	if (i >= p->n || !p->v[i].is_file)
		return NULL;
	*ret_perms = p->v[i].perms;
	*ret_owner = p->v[i].owner;
	*ret_deny = p->v[i].deny;
	return p->v[i].glob;
}

const char *policy_rule_text(const policy_t *p, size_t i, int *ret_deny)
{
	if (i >= p->n || p->v[i].is_file)
		return NULL;
	*ret_deny = p->v[i].deny;
	return p->v[i].text;
}

unsigned policy_file_perms(const policy_t *p, const char *path, int owner, unsigned *ret_denied)
{
	unsigned allowed = 0, denied = 0;
	size_t i;

	for (i = 0; i < p->n; i++) {
		struct prule *r = &p->v[i];

		if (!r->is_file || r->bad || (r->owner && !owner))
			continue;
		if (!r->compiled) {
			struct strbuf why = STRBUF_INIT;

			r->compiled = aaglob_compile(r->glob, p->vars, &why);
			strbuf_release(&why);
			if (!r->compiled) {
				r->bad = 1;
				continue;
			}
		}
		if (!aaglob_match(r->compiled, path))
			continue;
		if (r->deny)
			denied |= r->perms;
		else
			allowed |= r->perms;
	}
	if (ret_denied)
		*ret_denied = denied;
	return allowed & ~denied;
}

/*
 * A non-file rule as (kind, access set, conditions): "signal (send,receive)
 * set=(hup, term) peer=myapp" -> kind signal, access {send, receive},
 * conditions set={hup,term}, peer={myapp}. An empty access set or a missing
 * condition means "any".
 */
struct canon {
	char kind[32];
	char *access[32];
	size_t naccess;
	struct { char *key; char *vals[16]; size_t nvals; } cond[16];
	size_t ncond;
	char *buf;
	int other;   /* words that are neither access nor key=value (network family...) */
	char *rest[8];
	size_t nrest;
};

static const char *const access_words[] = {
	"r", "w", "rw", "read", "write", "send", "receive", "bind", "connect", "listen",
	"accept", "create", "shutdown", "getattr", "setattr", "getopt", "setopt", "trace",
	"tracedby", "readby", "eavesdrop", "open", "delete", "sqpoll", "override_creds",
};

static int is_access_word(const char *w)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(access_words); i++)
		if (streq(w, access_words[i]))
			return 1;
	return 0;
}

/* split "a, b,c" (inside parentheses) into words, in place */
static size_t split_list(char *s, char **out, size_t max)
{
	size_t n = 0;
	char *save = NULL, *w;

	for (w = strtok_r(s, ", \t", &save); w && n < max; w = strtok_r(NULL, ", \t", &save))
		out[n++] = w;
	return n;
}

static void canon_parse(const char *rule, struct canon *c)
{
	char *s, *end;

	memset(c, 0, sizeof(*c));
	c->buf = xstrdup(rule);
	s = c->buf;
	while (*s == ' ')
		s++;
	end = s;
	while (*end && *end != ' ' && *end != '(')
		end++;
	snprintf(c->kind, sizeof(c->kind), "%.*s", (int)(end - s), s);
	s = end;
	while (*s) {
		char *w, *eq;

		while (*s == ' ')
			s++;
		if (!*s)
			break;
		if (*s == '(') {   /* the access set */
			char *close = strchr(s, ')');

			if (!close)
				break;
			*close = '\0';
			c->naccess += split_list(s + 1, c->access + c->naccess,
						 ARRAY_SIZE(c->access) - c->naccess);
			s = close + 1;
			continue;
		}
		w = s;
		eq = NULL;
		while (*s && *s != ' ') {
			if (*s == '=' && !eq) {
				eq = s;
				if (s[1] == '(') {   /* key=(a, b) or peer=(label=x) */
					char *close = strchr(s, ')');

					s = close ? close : s + strlen(s) - 1;
				}
			}
			s++;
		}
		if (*s)
			*s++ = '\0';
		if (eq && c->ncond < ARRAY_SIZE(c->cond)) {
			char *val = eq + 1;

			*eq = '\0';
			c->cond[c->ncond].key = w;
			if (*val == '(' && !strchr(val, '=')) {
				val[strlen(val) - 1] = '\0';
				c->cond[c->ncond].nvals = split_list(val + 1, c->cond[c->ncond].vals, 16);
			} else {
				c->cond[c->ncond].vals[0] = val;
				c->cond[c->ncond].nvals = 1;
			}
			c->ncond++;
		} else if (is_access_word(w) && c->naccess < ARRAY_SIZE(c->access)) {
			c->access[c->naccess++] = w;
		} else if (c->nrest < ARRAY_SIZE(c->rest)) {
			c->rest[c->nrest++] = w;
		}
	}
}

static int in_set(char *const *set, size_t n, const char *w)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (streq(set[i], w))
			return 1;
	return 0;
}

/* does the existing rule e cover the wanted rule w? */
static int canon_covers(const struct canon *e, const struct canon *w)
{
	size_t i, j;

	if (strcmp(e->kind, w->kind))
		return 0;
	if (streq(e->kind, "capability")) {
		if (!e->nrest)
			return 1;
		for (i = 0; i < w->nrest; i++)
			if (!in_set(e->rest, e->nrest, w->rest[i]))
				return 0;
		return 1;
	}
	/* network FAMILY TYPE / other positional words: the existing ones are a prefix */
	if (e->nrest > w->nrest)
		return 0;
	for (i = 0; i < e->nrest; i++)
		if (strcmp(e->rest[i], w->rest[i]))
			return 0;
	if (e->naccess) {
		if (!w->naccess)
			return 0;
		for (i = 0; i < w->naccess; i++)
			if (!in_set(e->access, e->naccess, w->access[i]))
				return 0;
	}
	for (i = 0; i < e->ncond; i++) {
		for (j = 0; j < w->ncond; j++)
			if (streq(e->cond[i].key, w->cond[j].key))
				break;
		if (j == w->ncond)
			return 0;   /* the existing rule is narrower */
		{
			size_t k;

			for (k = 0; k < w->cond[j].nvals; k++)
				if (!in_set(e->cond[i].vals, e->cond[i].nvals, w->cond[j].vals[k]))
					return 0;
		}
	}
	return 1;
}

int policy_rule_status(const policy_t *p, const char *rule)
{
	struct canon want;
	size_t i;
	int status = 0;

	canon_parse(rule, &want);
	for (i = 0; i < p->n; i++) {
		const struct prule *r = &p->v[i];
		struct canon have;
		int covers;

		if (r->is_file || !r->text)
			continue;
		canon_parse(r->text, &have);
		covers = canon_covers(&have, &want);
		free(have.buf);
		if (covers) {
			if (r->deny) {
				status = -1;
				break;
			}
			status = 1;
		}
	}
	free(want.buf);
	return status;
}
