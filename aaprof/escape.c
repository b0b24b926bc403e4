/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * escape.c - the one place where values become AppArmor policy text.
 *
 * AppArmor path rules are patterns: '*', '?', '[...]', '{a,b}' and '@{var}'
 * are special in paths and labels, and whitespace, ',', '#', '"', '{' and
 * '}' end or restructure a rule. Escaping as established on the real
 * kernel (FACTS.md): a backslash makes a glob character literal, '@{' needs
 * '\@\{', and a path with whitespace must be quoted as a whole; inside
 * quotes \" \\ \t and \n are understood. Profile names are also matched as
 * patterns in peer= labels, so names are restricted to a plain charset.
 */
#include "escape.h"

#include <string.h>

static const char *const reserved_words[] = {
	"unconfined", "profile", "hat", "include", "abi", "alias", "deny",
	"audit", "owner", "allow", "capability", "network", "file", "mount",
	"umount", "remount", "pivot_root", "ptrace", "signal", "dbus", "unix",
	"change_profile", "rlimit", "set", "flags", "null", "kill",
};

int aa_word_char(unsigned char c)
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
	if (!aa_word_char(value[0]) || strchr("._+:=-", value[0])) {
		strbuf_addstr(why, "a profile name must start with a letter or digit");
		return -1;
	}
	for (i = 0; i < len; i++) {
		if (!aa_word_char((unsigned char)value[i])) {
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
		} else if (!aa_word_char((unsigned char)*s) || *s == ':' || *s == '=') {
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
		if (!aa_word_char((unsigned char)*s)) {
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

/* escape a literal that is matched as a pattern, quoting when needed (or always) */
static int emit_literal_pattern(struct strbuf *out, const char *value, const char *what,
				int quote, struct strbuf *why)
{
	const unsigned char *s;

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
	return emit_literal_pattern(out, value, "a profile label", 0, why);
}

int aa_emit_unix_addr(struct strbuf *out, const char *value, struct strbuf *why)
{
	if (value[0] != '@' && value[0] != '/') {
		strbuf_addstr(why, "a unix address must start with @ or /");
		return -1;
	}
	return emit_literal_pattern(out, value, "a unix address", 0, why);
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
	const char *s;

	for (s = value; *s && (aa_word_char((unsigned char)*s) && *s != '+' && *s != '='); s++)
		;
	if (*value && !*s)
		return emit_charset(out, value, "_.:-", "a mount source", why);
	/* a network file system's source (NFS "host:/export", CIFS
	   "//server/share"): the literal, quoted, its glob characters escaped */
	return emit_literal_pattern(out, value, "a mount source", 1, why);
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

/* ------------------------------------------------- generalised paths */

int aa_check_glob_piece(const char *glob, struct strbuf *why)
{
	const char *s;
	int depth = 0;

	if (!*glob) {
		strbuf_addstr(why, "empty replacement");
		return -1;
	}
	for (s = glob; *s; s++) {
		if (*s == '{')
			depth++;
		else if (*s == '}')
			depth--;
		if (*s == ',' && depth <= 0) {
			strbuf_addstr(why, "',' outside {} in the replacement");
			return -1;
		}
		if ((unsigned char)*s <= ' ' || *s == '"' || *s == '#' || *s == '\\' || *s == 0x7f) {
			strbuf_addstr(why, "the replacement cannot contain spaces, quotes, '#' or '\\'");
			return -1;
		}
	}
	return 0;
}

/*
 * A literal part of a generalised path, path[pos, end): escaped as a path,
 * quoted if it needs to be; a part that does not start the path is escaped
 * as if it did (behind a '/' that is then dropped).
 */
static int emit_path_part(struct strbuf *out, const char *path, size_t pos, size_t end,
			  struct strbuf *why)
{
	char *lit = xstrndup(path + pos, end - pos);
	struct strbuf tmp = STRBUF_INIT;
	int r;

	if (pos == 0 && lit[0] == '/') {
		r = aa_emit_path(&tmp, lit, why);
	} else {
		char *abs = xasprintf("/%s", lit);

		r = aa_emit_path(&tmp, abs, why);
		if (!r) {
			/* drop the '/' we added, keeping quotes if any */
			if (tmp.buf[0] == '"')
				memmove(tmp.buf + 1, tmp.buf + 2, tmp.len - 1);
			else
				memmove(tmp.buf, tmp.buf + 1, tmp.len);
			tmp.len--;
		}
		free(abs);
	}
	free(lit);
	if (r == 0)
		strbuf_addbuf(out, &tmp);
	strbuf_release(&tmp);
	return r;
}

int aa_emit_generalised(struct strbuf *out, const char *path, const struct aa_glob_span *spans,
			size_t n, struct strbuf *why)
{
	size_t len = strlen(path), start = out->len, pos, i;

	for (i = 0; i < n; i++)
		if (aa_check_glob_piece(spans[i].glob, why) < 0)
			return -1;
	for (pos = 0, i = 0; i <= n; i++) {
		size_t end = i < n ? spans[i].start : len;

		if (end > pos && emit_path_part(out, path, pos, end, why) < 0) {
			strbuf_setlen(out, start);
			return -1;
		}
		if (i < n) {
			strbuf_addstr(out, spans[i].glob);
			pos = spans[i].end;
		}
	}
	if (!n)
		return 0;
	/* a quoted literal piece inside a pattern: quote the whole thing instead */
	if (memchr(out->buf + start, '"', out->len - start)) {
		struct strbuf q = STRBUF_INIT;

		strbuf_addch(&q, '"');
		for (i = start; i < out->len; i++)
			if (out->buf[i] != '"' || (i > start && out->buf[i - 1] == '\\'))
				strbuf_addch(&q, out->buf[i]);
		strbuf_addch(&q, '"');
		strbuf_setlen(out, start);
		strbuf_addbuf(out, &q);
		strbuf_release(&q);
	}
	return 0;
}
