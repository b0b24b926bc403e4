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
			/* two layers read it: the quoted string, then the pattern */
			strbuf_addstr(out, "\\\\\\\\");
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

/* split a statement into words; quoted words keep their content (escapes kept) */
static size_t split_words(char *s, char **w, size_t max)
{
	size_t n = 0;

	while (*s && n < max) {
		while (*s == ' ' || *s == '\t' || *s == '\n')
			s++;
		if (!*s)
			break;
		if (*s == '"') {
			w[n++] = ++s;
			while (*s && *s != '"') {
				if (*s == '\\' && s[1])
					s++;
				s++;
			}
		} else {
			w[n++] = s;
			while (*s && *s != ' ' && *s != '\t' && *s != '\n') {
				if (*s == '"') {   /* /a/"b c" style: keep going to the quote's end */
					s++;
					while (*s && *s != '"')
						s++;
				}
				if (*s)
					s++;
			}
		}
		if (*s)
			*s++ = '\0';
	}
	return n;
}

static void add_statement(policy_t *p, char *stmt)
{
	char *w[64];
	size_t n = split_words(stmt, w, ARRAY_SIZE(w)), i = 0;
	struct prule r = { 0 };
	struct strbuf sb = STRBUF_INIT;

	for (; i < n; i++) {
		if (streq(w[i], "audit") || streq(w[i], "allow") || streq(w[i], "quiet"))
			continue;
		if (streq(w[i], "deny")) { r.deny = 1; continue; }
		if (streq(w[i], "owner")) { r.owner = 1; continue; }
		break;
	}
	if (i >= n)
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
			strbuf_addf(&sb, "%s%s", sb.len ? " " : "", w[i]);
		r.text = strbuf_detach(&sb, NULL);
	}
	ALLOC_GROW(p->v, p->n + 1, p->alloc);
	p->v[p->n++] = r;
}

policy_t *policy_parse(const char *text, const char *vars_root)
{
	policy_t *p = xcalloc(1, sizeof(*p));
	struct strbuf stmt = STRBUF_INIT;
	const char *s = text;
	int quote = 0, brace = 0, paren = 0;

	p->vars = aavars_new();
	while (*s) {
		/* a line that starts with @{ defines a variable */
		if ((s == text || s[-1] == '\n') && !quote) {
			const char *t = s;

			while (*t == ' ' || *t == '\t')
				t++;
			if (starts_with(t, "@{") && strchr(t, '=') &&
			    (!strchr(t, '\n') || strchr(t, '=') < strchr(t, '\n'))) {
				const char *close = strchr(t, '}'), *eq, *nl = strchr(t, '\n');
				_cleanup_free_ char *name = NULL, *vals = NULL;

				if (close && (eq = strchr(close, '=')) && (!nl || eq < nl)) {
					name = xstrndup(t + 2, close - t - 2);
					vals = nl ? xstrndup(eq + 1, nl - eq - 1) : xstrdup(eq + 1);
					aavars_add(p->vars, name, vals);
					p->has_vars = 1;
				}
				s = nl ? nl + 1 : t + strlen(t);
				strbuf_reset(&stmt);
				continue;
			}
			if (starts_with(t, "include") || starts_with(t, "#include") ||
			    starts_with(t, "abi") || starts_with(t, "alias")) {
				const char *nl = strchr(t, '\n');

				s = nl ? nl + 1 : t + strlen(t);
				strbuf_reset(&stmt);
				continue;
			}
		}
		if (!quote && *s == '#' && (stmt.len == 0 || stmt.buf[stmt.len - 1] == ' ')) {
			/* a comment; '#' inside a word is literal, as apparmor_parser reads it */
			while (*s && *s != '\n')
				s++;
			continue;
		}
		if (*s == '"' && (s == text || s[-1] != '\\'))
			quote = !quote;
		if (!quote) {
			int at_word_start = stmt.len == 0 || stmt.buf[stmt.len - 1] == ' ' ||
					    stmt.buf[stmt.len - 1] == '\n' || stmt.buf[stmt.len - 1] == '\t';

			if (*s == '{' && at_word_start && !brace) {
				strbuf_reset(&stmt);   /* a block opens: its header is no rule */
				s++;
				continue;
			}
			if (*s == '}' && !brace && at_word_start) {
				strbuf_reset(&stmt);
				s++;
				continue;
			}
			if (*s == '{') brace++;
			else if (*s == '}') brace--;
			else if (*s == '(') paren++;
			else if (*s == ')') paren--;
			else if (*s == ',' && brace <= 0 && paren <= 0) {
				add_statement(p, stmt.buf);
				strbuf_reset(&stmt);
				brace = paren = 0;
				s++;
				continue;
			}
		}
		strbuf_addch(&stmt, *s == '\n' || *s == '\t' ? ' ' : *s);
		s++;
	}
	strbuf_release(&stmt);
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

/* ------------------------------------------------------- the section */

static const char *find_line_with(const char *text, const char *marker)
{
	const char *p = strstr(text, marker);

	if (!p)
		return NULL;
	while (p > text && p[-1] != '\n')
		p--;
	return p;
}

int profile_section_rules(const char *text, void (*fn)(void *ctx, const char *child,
						       const char *rule), void *ctx)
{
	const char *begin = find_line_with(text, AAPROF_SECTION_BEGIN);
	const char *end = begin ? find_line_with(begin, AAPROF_SECTION_END) : NULL;
	const char *s;
	char child[512] = "";

	if (!begin || !end)
		return 0;
	s = strchr(begin, '\n');
	while (s && ++s < end) {
		const char *nl = strchr(s, '\n');
		_cleanup_free_ char *line = xstrndup(s, nl ? (size_t)(nl - s) : strlen(s));
		char *l = line, *e;

		while (*l == ' ' || *l == '\t')
			l++;
		e = l + strlen(l);
		while (e > l && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
			*--e = '\0';
		if (!*l || *l == '#') {
			/* kept: nothing; comments in the section are aaprof's own */
		} else if (*l == '^' && e[-1] == '{') {
			e[-1] = '\0';
			while (e - 1 > l && e[-2] == ' ')
				*(--e - 1) = '\0';
			snprintf(child, sizeof(child), "%s", l + 1);
			if (strlen(child) >= 2 && child[0] == '"' && child[strlen(child) - 1] == '"') {
				memmove(child, child + 1, strlen(child));
				child[strlen(child) - 1] = '\0';
			}
		} else if (streq(l, "}")) {
			child[0] = '\0';
		} else {
			fn(ctx, child, l);
		}
		s = nl;
	}
	return 1;
}

int profile_replace_section(const char *text, const char *section, struct strbuf *out,
			    struct strbuf *why)
{
	const char *begin = find_line_with(text, AAPROF_SECTION_BEGIN);
	const char *end = begin ? find_line_with(begin, AAPROF_SECTION_END) : NULL;
	const char *after_begin;

	if (begin && end) {
		after_begin = strchr(begin, '\n');
		if (!after_begin || after_begin > end) {
			strbuf_addstr(why, "the aaprof section markers are on one line");
			return -1;
		}
		strbuf_add(out, text, after_begin + 1 - text);
		strbuf_addstr(out, section);
		strbuf_addstr(out, end);
		return 0;
	}
	if (begin || (!begin && strstr(text, AAPROF_SECTION_END))) {
		strbuf_addstr(why, "the profile has only one of the aaprof section markers");
		return -1;
	}
	{
		/* no section yet: add one before the profile's last closing brace */
		const char *close = strrchr(text, '}');

		if (!close) {
			strbuf_addstr(why, "no closing brace: is this a profile?");
			return -1;
		}
		while (close > text && close[-1] != '\n')
			close--;
		strbuf_add(out, text, close - text);
		strbuf_addf(out, "\n  %s (aaprof harvest --write replaces this section) ---\n%s"
			    "  %s ---\n", AAPROF_SECTION_BEGIN, section, AAPROF_SECTION_END);
		strbuf_addstr(out, close);
	}
	return 0;
}

/* ----------------------------------------------------------- the header */

int profile_main(const char *text, char **ret_name, size_t *ret_hdr_start, size_t *ret_hdr_end)
{
	const char *line = text;

	while (line && *line) {
		const char *nl = strchr(line, '\n'), *s = line, *end;
		size_t len = nl ? (size_t)(nl - line) : strlen(line);

		while (*s == ' ' || *s == '\t')
			s++;
		end = line + len;
		while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
			end--;
		if (s < end && end[-1] == '{' && *s != '#' && *s != '^') {
			const char *n = s, *ne;

			if (starts_with(n, "profile "))
				n += 8;
			while (*n == ' ')
				n++;
			if (*n == '"') {
				ne = strchr(n + 1, '"');
				if (!ne || ne > end)
					return -1;
				*ret_name = xstrndup(n + 1, ne - n - 1);
			} else {
				ne = n;
				while (ne < end && *ne != ' ' && *ne != '{')
					ne++;
				*ret_name = xstrndup(n, ne - n);
			}
			if (ret_hdr_start)
				*ret_hdr_start = line - text;
			if (ret_hdr_end)
				*ret_hdr_end = line - text + len;
			return 0;
		}
		line = nl ? nl + 1 : NULL;
	}
	return -1;
}

/* the flags=(...) of the header [start, end), or NULL */
static const char *find_flags(const char *text, size_t start, size_t end, size_t *ret_len)
{
	const char *f = memmem(text + start, end - start, "flags=(", 7), *close;

	if (!f)
		return NULL;
	close = memchr(f, ')', text + end - f);
	if (!close)
		return NULL;
	*ret_len = close + 1 - f;
	return f;
}

const char *profile_mode_of(const char *text)
{
	size_t start, end, flen;
	char *name = NULL;
	const char *f;
	const char *mode = "enforce";

	if (profile_main(text, &name, &start, &end) < 0)
		return NULL;
	free(name);
	f = find_flags(text, start, end, &flen);
	if (f) {
		_cleanup_free_ char *flags = xstrndup(f + 7, flen - 8);
		char *w, *save = NULL;

		for (w = strtok_r(flags, ", ", &save); w; w = strtok_r(NULL, ", ", &save)) {
			if (streq(w, "complain"))
				mode = "complain";
			else if (streq(w, "kill"))
				mode = "kill";
			else if (streq(w, "unconfined"))
				mode = "unconfined";
		}
	}
	return mode;
}

int profile_set_mode(const char *text, const char *mode, struct strbuf *out, struct strbuf *why)
{
	size_t start, end, flen;
	char *name = NULL;
	const char *f;
	struct strbuf flags = STRBUF_INIT;

	if (!streq(mode, "complain") && !streq(mode, "enforce")) {
		strbuf_addf(why, "unknown mode '%s'", mode);
		return -1;
	}
	if (profile_main(text, &name, &start, &end) < 0) {
		strbuf_addstr(why, "no profile header found");
		return -1;
	}
	free(name);
	f = find_flags(text, start, end, &flen);
	if (f) {
		_cleanup_free_ char *old = xstrndup(f + 7, flen - 8);
		char *w, *save = NULL;

		for (w = strtok_r(old, ", ", &save); w; w = strtok_r(NULL, ", ", &save)) {
			if (streq(w, "complain") || streq(w, "enforce"))
				continue;
			if (streq(w, "unconfined") || streq(w, "kill")) {
				strbuf_addf(why, "the profile has flags=(%s): aaprof only switches "
					    "between complain and enforce", w);
				strbuf_release(&flags);
				return -1;
			}
			strbuf_addf(&flags, "%s%s", flags.len ? "," : "", w);
		}
	}
	if (streq(mode, "complain"))
		strbuf_addf(&flags, "%scomplain", flags.len ? "," : "");
	if (f) {
		strbuf_add(out, text, f - text);
		/* drop the space before an empty flags=() */
		if (!flags.len && out->len && out->buf[out->len - 1] == ' ')
			strbuf_setlen(out, out->len - 1);
		if (flags.len)
			strbuf_addf(out, "flags=(%s)", flags.buf);
		strbuf_addstr(out, f + flen);
	} else if (flags.len) {
		const char *brace = text + end;

		while (brace > text + start && brace[-1] != '{')
			brace--;
		brace--;
		while (brace > text + start && brace[-1] == ' ')
			brace--;
		strbuf_add(out, text, brace - text);
		strbuf_addf(out, " flags=(%s)", flags.buf);
		strbuf_addstr(out, brace);
	} else {
		strbuf_addstr(out, text);
	}
	strbuf_release(&flags);
	return 0;
}
