/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_ESCAPE_H
#define AAPROF_ESCAPE_H

#include "strbuf.h"

/*
 * Safe serialisation of values into AppArmor policy text. Every value that
 * reaches a profile (names, paths, peers, template variables) goes through
 * one of these. Each appends the policy-text form of value to out and
 * returns 0, or appends nothing, puts the reason in why and returns -1.
 * None of them ever emits text that changes the structure of a rule.
 */
typedef int (*aa_escaper_fn)(struct strbuf *out, const char *value, struct strbuf *why);

/* profile name: [A-Za-z0-9][A-Za-z0-9._+:=-]*, at most 255 bytes, not a reserved word */
int aa_emit_name(struct strbuf *out, const char *value, struct strbuf *why);
/* a literal absolute path: glob characters and @{ escaped, quoted when needed */
int aa_emit_path(struct strbuf *out, const char *value, struct strbuf *why);
/* an absolute path pattern: AppArmor globs allowed, quoted when needed */
int aa_emit_glob(struct strbuf *out, const char *value, struct strbuf *why);
/* an abstraction or include name: a/b/c of [A-Za-z0-9_.+-] segments, no .. */
int aa_emit_include(struct strbuf *out, const char *value, struct strbuf *why);
/* a plain word: [A-Za-z0-9_.+:=-]+ (flags, modes, capability names) */
int aa_emit_word(struct strbuf *out, const char *value, struct strbuf *why);
/* a character of a plain word or profile name: [A-Za-z0-9._+:=-] */
int aa_word_char(unsigned char c);

/* the escaper for a template filter name ("name", "path", ...) or NULL */
aa_escaper_fn aa_escaper_lookup(const char *filter);
/* the filter used when a template names none */
#define AA_DEFAULT_FILTER "word"

/*
 * A literal profile label in a peer= or label= condition: labels there are
 * patterns, so glob characters are escaped and the label matches only
 * itself; quoted when it holds spaces. Control characters are refused.
 */
int aa_emit_label(struct strbuf *out, const char *value, struct strbuf *why);
/* a literal unix socket address: @abstract or /path, escaped like a path */
int aa_emit_unix_addr(struct strbuf *out, const char *value, struct strbuf *why);
/* D-Bus names: object path, interface/member, bus name (their own charsets) */
int aa_emit_dbus_path(struct strbuf *out, const char *value, struct strbuf *why);
int aa_emit_dbus_name(struct strbuf *out, const char *value, struct strbuf *why);
/* a mount source that is not a path ("tmpfs", "none", "overlay"); any other
   (NFS "host:/export") quoted, its glob characters escaped */
int aa_emit_mount_source(struct strbuf *out, const char *value, struct strbuf *why);

/*
 * A generalised path (rules.c): path with the spans replaced by glob text,
 * everything else escaped as aa_emit_path() escapes a literal path; quoted
 * as a whole when any literal part needs quotes. The spans are in path
 * order and do not overlap; a glob that aa_check_glob_piece() refuses
 * fails the whole (-1 with why, nothing appended).
 */
struct aa_glob_span {
	size_t start, end;   /* the part of the path replaced */
	const char *glob;    /* what replaces it */
};
int aa_emit_generalised(struct strbuf *out, const char *path, const struct aa_glob_span *spans,
			size_t n, struct strbuf *why);
/*
 * Glob text that may stand for part of a path without changing the
 * structure of a rule: not empty, no blank, control character, quote, '#'
 * or '\', no ',' outside {}. 0, or -1 with why.
 */
int aa_check_glob_piece(const char *glob, struct strbuf *why);

#endif
