/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * profile.c - the one place where values become AppArmor policy text.
 *
 * AppArmor path rules are patterns: '*', '?', '[...]', '{a,b}' and '@{var}'
 * are special in paths and labels, and whitespace, ',', '#', '"', '{' and
 * '}' end or restructure a rule. Escaping as established on the real
 * kernel (FACTS.md): a backslash makes a glob character literal, '@{' needs
 * '\@\{', and a path with whitespace must be quoted as a whole; inside
 * quotes \" \\ \t and \n are understood. Profile names are also matched as
 * patterns in peer= labels, so names are restricted to a plain charset.
 */
#include "profile.h"

#include <string.h>

static const char *const reserved_words[] = {
	"unconfined", "profile", "hat", "include", "abi", "alias", "deny",
	"audit", "owner", "allow", "capability", "network", "file", "mount",
	"umount", "remount", "pivot_root", "ptrace", "signal", "dbus", "unix",
	"change_profile", "rlimit", "set", "flags", "null", "kill",
};

static int is_name_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || strchr("._+:=-", c) != NULL;
}

static void describe_char(struct strbuf *why, unsigned char c)
{
	if (c == '\n')
		strbuf_addstr(why, "a newline");
	else if (c == '\t')
		strbuf_addstr(why, "a tab");
	else if (c == ' ')
		strbuf_addstr(why, "a space");
	else if (c < 0x20 || c == 0x7f)
		strbuf_addf(why, "the control character 0x%02x", c);
	else if (c >= 0x80)
		strbuf_addf(why, "the byte 0x%02x", c);
	else
		strbuf_addf(why, "'%c'", c);
}

int aa_emit_name(struct strbuf *out, const char *value, struct strbuf *why)
{
	size_t i, len = strlen(value);

	if (!len) {
		strbuf_addstr(why, "a profile name cannot be empty");
		return -1;
	}
	if (len > 255) {
		strbuf_addstr(why, "a profile name is limited to 255 bytes");
		return -1;
	}
	if (!is_name_char(value[0]) || strchr("._+:=-", value[0])) {
		strbuf_addstr(why, "a profile name must start with a letter or digit");
		return -1;
	}
	for (i = 0; i < len; i++) {
		if (!is_name_char((unsigned char)value[i])) {
			strbuf_addstr(why, "a profile name cannot contain ");
			describe_char(why, (unsigned char)value[i]);
			strbuf_addstr(why, " (allowed: letters, digits and . _ + : = -)");
			return -1;
		}
	}
	for (i = 0; i < ARRAY_SIZE(reserved_words); i++) {
		if (streq(value, reserved_words[i])) {
			strbuf_addf(why, "'%s' is reserved in AppArmor policy", value);
			return -1;
		}
	}
	strbuf_addstr(out, value);
	return 0;
}

/* characters that may stand in an unquoted path token without meaning */
static int is_plain_path_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || strchr("/._+:=~%-", c) != NULL;
}

/*
 * Shared by path and glob: refuse control characters, decide quoting and
 * append. literal: escape glob characters so the path matches only itself.
 */
static int emit_pathlike(struct strbuf *out, const char *value, int literal,
			 struct strbuf *why)
{
	const unsigned char *s;
	int quote = 0;

	if (value[0] != '/' && !(value[0] == '@' && value[1] == '{')) {
		strbuf_addstr(why, "a path must be absolute");
		return -1;
	}
	if (strlen(value) >= 4096) {
		strbuf_addstr(why, "a path is limited to 4095 bytes (PATH_MAX)");
		return -1;
	}
	for (s = (const unsigned char *)value; *s; s++) {
		if ((*s < 0x20 && !(literal && (*s == '\t' || *s == '\n'))) || *s == 0x7f ||
		    (!literal && (*s == '"' || *s == '\\'))) {
			strbuf_addstr(why, literal ? "a path cannot contain " :
					   "a path pattern cannot contain ");
			describe_char(why, *s);
			return -1;
		}
		if (!is_plain_path_char(*s) && !strchr("*?[]{}@^", *s))
			quote = 1;
	}
	if (quote)
		strbuf_addch(out, '"');
	for (s = (const unsigned char *)value; *s; s++) {
		switch (*s) {
		case '"':
			strbuf_addstr(out, "\\\"");
			break;
		case '\\':
			/*
			 * apparmor_parser keeps \\ as an escaped backslash for the
			 * pattern, which reads it as one backslash (\\\\ would be
			 * two: compiled, "a\\\\b" equals a\134\134b). A last one
			 * is written \134: \\" and \\ + blank would escape the quote
			 * or the blank for apparmor_parser's lexer.
			 */
			strbuf_addstr(out, s[1] ? "\\\\" : "\\134");
			break;
		case '\n':
			strbuf_addstr(out, "\\n");
			break;
		case '\t':
			strbuf_addstr(out, "\\t");
			break;
		case '*': case '?': case '[': case ']': case '{': case '}':
			if (literal)
				strbuf_addch(out, '\\');
			strbuf_addch(out, *s);
			break;
		case '@':
			if (s[1] == '{' && literal)
				strbuf_addch(out, '\\');
			strbuf_addch(out, *s);
			break;
		default:
			strbuf_addch(out, *s);
		}
	}
	if (quote)
		strbuf_addch(out, '"');
	return 0;
}

int aa_emit_path(struct strbuf *out, const char *value, struct strbuf *why)
{
	return emit_pathlike(out, value, 1, why);
}

int aa_emit_glob(struct strbuf *out, const char *value, struct strbuf *why)
{
	const char *v;

	/* @{ must open a well-formed variable reference */
	for (v = strstr(value, "@{"); v; v = strstr(v + 2, "@{")) {
		const char *e = v + 2;

		while ((*e >= 'a' && *e <= 'z') || (*e >= 'A' && *e <= 'Z') ||
		       (*e >= '0' && *e <= '9') || *e == '_')
			e++;
		if (e == v + 2 || *e != '}') {
			strbuf_addstr(why, "'@{' must start a variable reference like @{HOME}");
			return -1;
		}
	}
	return emit_pathlike(out, value, 0, why);
}

int aa_emit_include(struct strbuf *out, const char *value, struct strbuf *why)
{
	const char *seg = value, *s;

	if (!*value || *value == '/') {
		strbuf_addstr(why, "an include name must be relative, like abstractions/nameservice");
		return -1;
	}
	for (s = value;; s++) {
		if (*s == '/' || !*s) {
			if (s == seg || (s - seg == 2 && !memcmp(seg, "..", 2)) ||
			    (s - seg == 1 && *seg == '.')) {
				strbuf_addstr(why, "an include name cannot have empty, '.' or '..' parts");
				return -1;
			}
			if (!*s)
				break;
			seg = s + 1;
		} else if (!is_name_char((unsigned char)*s) || *s == ':' || *s == '=') {
			strbuf_addstr(why, "an include name cannot contain ");
			describe_char(why, (unsigned char)*s);
			return -1;
		}
	}
	strbuf_addstr(out, value);
	return 0;
}

int aa_emit_word(struct strbuf *out, const char *value, struct strbuf *why)
{
	const char *s;

	if (!*value) {
		strbuf_addstr(why, "the value is empty");
		return -1;
	}
	for (s = value; *s; s++) {
		if (!is_name_char((unsigned char)*s)) {
			strbuf_addstr(why, "the value cannot contain ");
			describe_char(why, (unsigned char)*s);
			strbuf_addstr(why, " (allowed: letters, digits and . _ + : = -; "
					   "use a filter such as | path for other values)");
			return -1;
		}
	}
	strbuf_addstr(out, value);
	return 0;
}

/* escape a literal that is matched as a pattern, quoting when needed */
static int emit_literal_pattern(struct strbuf *out, const char *value, const char *what,
				struct strbuf *why)
{
	const unsigned char *s;
	int quote = 0;

	if (!*value) {
		strbuf_addf(why, "%s cannot be empty", what);
		return -1;
	}
	for (s = (const unsigned char *)value; *s; s++) {
		if (*s < 0x20 || *s == 0x7f) {
			strbuf_addf(why, "%s cannot contain ", what);
			describe_char(why, *s);
			return -1;
		}
		if (!is_plain_path_char(*s) && !strchr("*?[]{}@^", *s))
			quote = 1;
	}
	if (quote)
		strbuf_addch(out, '"');
	for (s = (const unsigned char *)value; *s; s++) {
		if (*s == '\\')
			strbuf_addstr(out, "\\\\\\");   /* the string, then the pattern */
		else if (*s == '"')
			strbuf_addch(out, '\\');
		else if (strchr("*?[]{}", *s) || (*s == '@' && s[1] == '{'))
			strbuf_addch(out, '\\');
		strbuf_addch(out, *s);
	}
	if (quote)
		strbuf_addch(out, '"');
	return 0;
}

int aa_emit_label(struct strbuf *out, const char *value, struct strbuf *why)
{
	return emit_literal_pattern(out, value, "a profile label", why);
}

int aa_emit_unix_addr(struct strbuf *out, const char *value, struct strbuf *why)
{
	if (value[0] != '@' && value[0] != '/') {
		strbuf_addstr(why, "a unix address must start with @ or /");
		return -1;
	}
	return emit_literal_pattern(out, value, "a unix address", why);
}

static int emit_charset(struct strbuf *out, const char *value, const char *extra,
			const char *what, struct strbuf *why)
{
	const char *s;

	if (!*value) {
		strbuf_addf(why, "%s cannot be empty", what);
		return -1;
	}
	for (s = value; *s; s++) {
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || strchr(extra, *s))) {
			strbuf_addf(why, "%s cannot contain ", what);
			describe_char(why, (unsigned char)*s);
			return -1;
		}
	}
	strbuf_addstr(out, value);
	return 0;
}

int aa_emit_dbus_path(struct strbuf *out, const char *value, struct strbuf *why)
{
	if (value[0] != '/') {
		strbuf_addstr(why, "a D-Bus object path must start with /");
		return -1;
	}
	return emit_charset(out, value, "_/", "a D-Bus object path", why);
}

int aa_emit_dbus_name(struct strbuf *out, const char *value, struct strbuf *why)
{
	return emit_charset(out, value, "_.:-", "a D-Bus name", why);
}

int aa_emit_mount_source(struct strbuf *out, const char *value, struct strbuf *why)
{
	return emit_charset(out, value, "_.:-", "a mount source", why);
}

static const struct {
	const char *name;
	aa_escaper_fn fn;
} escapers[] = {
	{ "name", aa_emit_name },
	{ "path", aa_emit_path },
	{ "glob", aa_emit_glob },
	{ "include", aa_emit_include },
	{ "word", aa_emit_word },
};

aa_escaper_fn aa_escaper_lookup(const char *filter)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(escapers); i++)
		if (streq(escapers[i].name, filter))
			return escapers[i].fn;
	return NULL;
}

/* ------------------------------------------------------------- policy */

#include "aaglob.h"
#include "aalex.h"

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

static unsigned parse_file_perms(const char *s)
{
	unsigned bits = 0;

	for (; *s; s++) {
		switch (*s) {
		case 'r': case 'R': bits |= FP_R; break;
		case 'w': case 'W': bits |= FP_W | FP_A; break;
		case 'a': case 'A': bits |= FP_A; break;
		case 'l': case 'L': bits |= FP_L; break;
		case 'k': case 'K': bits |= FP_K; break;
		case 'm': case 'M': bits |= FP_M; break;
		case 'x': case 'X': bits |= FP_X; break;
		case 'i': case 'p': case 'P': case 'c': case 'C': case 'u': case 'U': case 'b': case 'B':
			break;
		default:
			return 0;
		}
	}
	return bits;
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

/* ------------------------------------------------------ the structure */

/*
 * The blocks of profile text, found with apparmor_parser's tokens: a '{'
 * in a comment, a quoted string or a path opens nothing, and a header is
 * everything since the last rule, whatever lines it spans.
 */
struct pblock {
	char *name;            /* profile//child; NULL: not a profile (if, else ...) */
	int depth;             /* enclosing blocks */
	size_t hdr_start;      /* the header's first token */
	size_t hdr_end;        /* the end of its last token before the '{' */
	size_t open, close;    /* the braces (close: the text's length if unclosed) */
	size_t flags_start, flags_end;   /* flags=(...), or 0, 0 */
	char *flags;           /* its words, comma-separated; NULL: no flags */
	int bad_flags;         /* flags aaprof cannot read: nested or unclosed (...), twice */
};

struct pblocks {
	struct pblock *v;
	size_t n, alloc;
};

static void pblocks_release(struct pblocks *b)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		free(b->v[i].name);
		free(b->v[i].flags);
	}
	free(b->v);
	memset(b, 0, sizeof(*b));
}

static int tok_is(const char *text, const struct aatok *t, const char *w)
{
	return t->kind == AT_WORD && t->len == strlen(w) && !memcmp(text + t->start, w, t->len);
}

/* fill in name and flags of a block from its header tokens h[0..n) */
static void read_header(const char *text, const struct aatok *h, size_t n, const char *parent,
			struct pblock *b)
{
	const struct aatok *nt = NULL;
	size_t i;

	if (!n)
		return;
	b->hdr_start = h[0].start;
	b->hdr_end = h[n - 1].start + h[n - 1].len;
	if ((tok_is(text, &h[0], "profile") || tok_is(text, &h[0], "hat") ||
	     tok_is(text, &h[0], "^")) && n > 1)
		nt = &h[1];
	else if ((h[0].kind == AT_WORD || h[0].kind == AT_QUOTED) &&
		 (text[h[0].start + (h[0].kind == AT_QUOTED)] == '/' ||
		  !strncmp(text + h[0].start + (h[0].kind == AT_QUOTED), "@{", 2)))
		nt = &h[0];   /* an attachment alone names the profile */
	if (nt && (nt->kind == AT_WORD || nt->kind == AT_QUOTED)) {
		_cleanup_free_ char *name = aa_processid(text + nt->start, nt->len);

		b->name = parent ? xasprintf("%s//%s", parent, name) : xstrdup(name);
	}
	for (i = 0; i + 1 < n; i++) {
		struct strbuf f = STRBUF_INIT;
		size_t j;

		if (!tok_is(text, &h[i], "flags") || !tok_is(text, &h[i + 1], "="))
			continue;
		if (b->flags_end || i + 2 == n) {
			/* twice, or "flags=" with nothing after it */
			b->bad_flags = 1;
			if (i + 2 == n)
				break;
		}
		if (h[i + 2].kind != AT_LPAREN) {
			/* flags=complain, the old form */
			char *id = aa_processid(text + h[i + 2].start, h[i + 2].len);
			const char *c;

			for (c = id; *c; c++)
				if (!is_name_char((unsigned char)*c))
					b->bad_flags = 1;
			if (h[i + 2].kind != AT_WORD)
				b->bad_flags = 1;
			b->flags_start = h[i].start;
			b->flags_end = h[i + 2].start + h[i + 2].len;
			free(b->flags);
			b->flags = id;
			continue;
		}
		for (j = i + 3; j < n && h[j].kind != AT_RPAREN; j++) {
			if (h[j].kind == AT_LPAREN)
				b->bad_flags = 1;
			if (h[j].kind == AT_WORD || h[j].kind == AT_QUOTED) {
				_cleanup_free_ char *id = aa_processid(text + h[j].start, h[j].len);
				const char *c;

				/* flags are plain words; anything else is not rewritten */
				for (c = id; *c; c++)
					if (!is_name_char((unsigned char)*c))
						b->bad_flags = 1;
				if (h[j].kind == AT_QUOTED)
					b->bad_flags = 1;
				strbuf_addf(&f, "%s%s", f.len ? "," : "", id);
			}
		}
		if (j < n) {
			b->flags_start = h[i].start;
			b->flags_end = h[j].start + 1;
			free(b->flags);
			b->flags = strbuf_detach(&f, NULL);
		} else {
			b->bad_flags = 1;
		}
		strbuf_release(&f);
	}
}

static void scan_blocks(const char *text, struct pblocks *out)
{
	struct aatok *h = NULL, t;
	size_t nh = 0, alloc = 0, *stack = NULL, sdepth = 0, salloc = 0;
	struct aalex lx;

	memset(out, 0, sizeof(*out));
	aalex_init(&lx, text, strlen(text));
	while (aalex_next(&lx, &t)) {
		switch (t.kind) {
		case AT_COMMENT:
			break;
		case AT_OPEN: {
			struct pblock b = { 0 };
			const char *parent = NULL;
			size_t k;

			for (k = sdepth; k > 0; k--) {
				if (out->v[stack[k - 1]].name) {
					parent = out->v[stack[k - 1]].name;
					break;
				}
			}
			b.depth = sdepth;
			b.open = t.start;
			b.close = strlen(text);
			b.hdr_start = b.hdr_end = t.start;
			read_header(text, h, nh, parent, &b);
			ALLOC_GROW(out->v, out->n + 1, out->alloc);
			out->v[out->n] = b;
			ALLOC_GROW(stack, sdepth + 1, salloc);
			stack[sdepth++] = out->n++;
			nh = 0;
			break;
		}
		case AT_CLOSE:
			if (sdepth)
				out->v[stack[--sdepth]].close = t.start;
			nh = 0;
			break;
		case AT_INCLUDE:
		case AT_ASSIGN:
			nh = 0;
			break;
		default:
			if (t.kind == AT_COMMA && !lx.paren) {
				nh = 0;   /* a rule ended; a ',' inside flags=(...) is kept */
				break;
			}
			ALLOC_GROW(h, nh + 1, alloc);
			h[nh++] = t;
		}
	}
	free(h);
	free(stack);
}

/* the block of the profile name (NULL: the first profile at the top level) */
static const struct pblock *find_profile(const struct pblocks *b, const char *name)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		if (!b->v[i].name)
			continue;
		if (name ? streq(b->v[i].name, name) : b->v[i].depth == 0)
			return &b->v[i];
	}
	return NULL;
}

char **profile_names(const char *text)
{
	struct pblocks b;
	char **v;
	size_t i, n = 0;

	scan_blocks(text, &b);
	v = xcalloc(b.n + 1, sizeof(char *));
	for (i = 0; i < b.n; i++)
		if (b.v[i].name)
			v[n++] = xstrdup(b.v[i].name);
	pblocks_release(&b);
	return v;
}

/* ------------------------------------------------------- the section */

/*
 * A section marker is a comment of its own line that starts with the
 * marker text; marker text inside a quoted path, a path with '#' or a
 * comment after a rule is none. Finds the line of the only such marker
 * (its start and the start of the next line); 0 none, 1 found, -1 several.
 */
static int find_marker(const char *text, const char *marker, size_t *ret_line, size_t *ret_next)
{
	struct aalex lx;
	struct aatok t;
	int found = 0;

	aalex_init(&lx, text, strlen(text));
	while (aalex_next(&lx, &t)) {
		size_t b = t.start;

		if (t.kind != AT_COMMENT || !t.line_start || t.len < strlen(marker) ||
		    memcmp(text + t.start, marker, strlen(marker)))
			continue;
		if (found++)
			return -1;
		while (b > 0 && text[b - 1] != '\n')
			b--;
		*ret_line = b;
		*ret_next = t.start + t.len + (text[t.start + t.len] == '\n');
	}
	return found;
}

/* both markers, begin before end: 1; neither: 0; else -1 with why */
static int find_section(const char *text, size_t *ret_begin, size_t *ret_body,
			size_t *ret_end, struct strbuf *why)
{
	size_t bl = 0, bn = 0, el = 0, en = 0;
	int b = find_marker(text, AAPROF_SECTION_BEGIN, &bl, &bn);
	int e = find_marker(text, AAPROF_SECTION_END, &el, &en);

	if (b < 0 || e < 0) {
		strbuf_addstr(why, "the profile has more than one aaprof section marker of a kind");
		return -1;
	}
	if (!b && !e)
		return 0;
	if (!b || !e) {
		strbuf_addstr(why, "the profile has only one of the aaprof section markers");
		return -1;
	}
	if (el < bn) {
		strbuf_addstr(why, "the aaprof section's end marker comes before its begin marker");
		return -1;
	}
	*ret_begin = bl;
	*ret_body = bn;
	*ret_end = el;
	return 1;
}

int profile_section_rules(const char *text, void (*fn)(void *ctx, const char *child,
						       const char *rule), void *ctx)
{
	struct strbuf why = STRBUF_INIT;
	size_t begin, body, end, first = 0, nstmt = 0;
	struct aalex lx;
	struct aatok t;
	char child[512] = "";
	int r = find_section(text, &begin, &body, &end, &why);

	strbuf_release(&why);
	if (r <= 0)
		return 0;
	aalex_init(&lx, text, end);
	lx.pos = body;
	while (aalex_next(&lx, &t)) {
		if (t.kind == AT_COMMENT) {
			/* kept: nothing; comments in the section are aaprof's own */
		} else if (t.kind == AT_OPEN) {
			_cleanup_free_ char *hdr = xstrndup(text + first, t.start - first);
			char *e = hdr + strlen(hdr);

			while (e > hdr && (e[-1] == ' ' || e[-1] == '\t'))
				*--e = '\0';
			if (nstmt && hdr[0] == '^') {
				_cleanup_free_ char *id = aa_processid(hdr + 1, strlen(hdr + 1));

				snprintf(child, sizeof(child), "%s", id);
			}
			nstmt = 0;
		} else if (t.kind == AT_CLOSE) {
			child[0] = '\0';
			nstmt = 0;
		} else if (t.kind == AT_COMMA && !lx.paren) {
			_cleanup_free_ char *rule = xstrndup(text + first, t.start + 1 - first);

			if (nstmt)
				fn(ctx, child, rule);
			nstmt = 0;
		} else if (t.kind == AT_INCLUDE || t.kind == AT_ASSIGN) {
			nstmt = 0;
		} else {
			if (!nstmt++)
				first = t.start;
		}
	}
	return 1;
}

int profile_replace_section(const char *text, const char *name, const char *section,
			    struct strbuf *out, struct strbuf *why)
{
	size_t begin, body, end;
	int r = find_section(text, &begin, &body, &end, why);

	if (r < 0)
		return -1;
	if (r > 0) {
		strbuf_add(out, text, body);
		strbuf_addstr(out, section);
		strbuf_addstr(out, text + end);
		return 0;
	}
	{
		/* no section yet: add one before the profile's closing brace */
		struct pblocks b;
		const struct pblock *p;
		size_t close;

		scan_blocks(text, &b);
		p = find_profile(&b, name);
		if (!p || p->close >= strlen(text)) {
			if (!p && name)
				strbuf_addf(why, "no profile '%s' in the text", name);
			else
				strbuf_addstr(why, p ? "the profile's block is not closed" :
						       "no profile found: is this a profile?");
			pblocks_release(&b);
			return -1;
		}
		close = p->close;
		pblocks_release(&b);
		/* at the start of the closing brace's line when only blanks precede it */
		{
			size_t c = close;

			while (c > 0 && (text[c - 1] == ' ' || text[c - 1] == '\t'))
				c--;
			if (c == 0 || text[c - 1] == '\n')
				close = c;
		}
		strbuf_add(out, text, close);
		if (close && text[close - 1] != '\n')
			strbuf_addch(out, '\n');
		strbuf_addf(out, "\n  %s (aaprof harvest --write replaces this section) ---\n%s"
			    "  %s ---\n", AAPROF_SECTION_BEGIN, section, AAPROF_SECTION_END);
		strbuf_addstr(out, text + close);
	}
	return 0;
}

/* ----------------------------------------------------------- the header */

int profile_main(const char *text, char **ret_name, size_t *ret_hdr_start, size_t *ret_hdr_end)
{
	struct pblocks b;
	const struct pblock *p;

	scan_blocks(text, &b);
	p = find_profile(&b, NULL);
	if (!p) {
		pblocks_release(&b);
		return -1;
	}
	*ret_name = xstrdup(p->name);
	if (ret_hdr_start)
		*ret_hdr_start = p->hdr_start;
	if (ret_hdr_end)
		*ret_hdr_end = p->open + 1;
	pblocks_release(&b);
	return 0;
}

static const char *mode_of_flags(const char *flags)
{
	_cleanup_free_ char *copy = xstrdup(flags ? flags : "");
	const char *mode = "enforce";
	char *w, *save = NULL;

	for (w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		if (streq(w, "complain") || streq(w, "mode=complain"))
			mode = "complain";
		else if (streq(w, "kill") || streq(w, "mode=kill"))
			mode = "kill";
		else if (streq(w, "unconfined") || streq(w, "mode=unconfined") ||
			 streq(w, "default_allow"))
			mode = "unconfined";
		else if (streq(w, "prompt") || streq(w, "mode=prompt"))
			mode = "prompt";   /* the kernel reports it as "user" */
	}
	return mode;
}

const char *profile_mode_of(const char *text, const char *name)
{
	struct pblocks b;
	const struct pblock *p;
	const char *mode = NULL;

	scan_blocks(text, &b);
	p = find_profile(&b, name);
	if (p && !p->bad_flags)
		mode = mode_of_flags(p->flags);
	pblocks_release(&b);
	return mode;
}

int profile_set_mode(const char *text, const char *name, const char *mode, struct strbuf *out,
		     struct strbuf *why)
{
	struct pblocks b;
	const struct pblock *p;
	struct strbuf flags = STRBUF_INIT;
	size_t out_len = out->len;
	int r = -1;

	if (!streq(mode, "complain") && !streq(mode, "enforce")) {
		strbuf_addf(why, "unknown mode '%s'", mode);
		return -1;
	}
	scan_blocks(text, &b);
	p = find_profile(&b, name);
	if (!p) {
		if (name)
			strbuf_addf(why, "no profile '%s' found", name);
		else
			strbuf_addstr(why, "no profile header found");
		goto out;
	}
	if (p->bad_flags) {
		strbuf_addstr(why, "cannot read the profile's flags=(...)");
		goto out;
	}
	if (p->flags) {
		_cleanup_free_ char *old = xstrdup(p->flags);
		char *w, *save = NULL;

		for (w = strtok_r(old, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
			if (streq(w, "complain") || streq(w, "enforce"))
				continue;
			if (streq(w, "unconfined") || streq(w, "kill") || streq(w, "prompt") ||
			    streq(w, "default_allow") || starts_with(w, "mode=")) {
				strbuf_addf(why, "the profile has flags=(%s): aaprof only switches "
					    "between complain and enforce", w);
				goto out;
			}
			strbuf_addf(&flags, "%s%s", flags.len ? "," : "", w);
		}
	}
	if (streq(mode, "complain"))
		strbuf_addf(&flags, "%scomplain", flags.len ? "," : "");
	if (p->flags) {
		strbuf_add(out, text, p->flags_start);
		/* drop the space before an empty flags=() */
		if (!flags.len && out->len && out->buf[out->len - 1] == ' ')
			strbuf_setlen(out, out->len - 1);
		if (flags.len)
			strbuf_addf(out, "flags=(%s)", flags.buf);
		strbuf_addstr(out, text + p->flags_end);
	} else if (flags.len && p->hdr_end > p->hdr_start) {
		strbuf_add(out, text, p->hdr_end);
		strbuf_addf(out, " flags=(%s)", flags.buf);
		strbuf_addstr(out, text + p->hdr_end);
	} else if (flags.len) {
		strbuf_addstr(why, "the profile's header has no name");
		goto out;
	} else {
		strbuf_addstr(out, text);
	}
	/* read it back: a header the parser reads otherwise (a keyword that
	   takes the next word as a name, a brace glued to it) is refused */
	{
		const char *now = profile_mode_of(out->buf + out_len, name);

		if (!now || !streq(now, mode)) {
			strbuf_setlen(out, out_len);
			strbuf_addstr(why, "the profile's header cannot be rewritten: "
				      "its flags would not read back");
			goto out;
		}
	}
	r = 0;
out:
	strbuf_release(&flags);
	pblocks_release(&b);
	return r;
}
