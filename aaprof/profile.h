/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_PROFILE_H
#define AAPROF_PROFILE_H

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

/* the escaper for a template filter name ("name", "path", ...) or NULL */
aa_escaper_fn aa_escaper_lookup(const char *filter);
/* the filter used when a template names none */
#define AA_DEFAULT_FILTER "word"

#endif

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
/* a mount source that is not a path ("tmpfs", "none", "overlay") */
int aa_emit_mount_source(struct strbuf *out, const char *value, struct strbuf *why);

/* markers of the section 'aaprof harvest --write' owns in a profile */
#define AAPROF_SECTION_BEGIN "# --- BEGIN aaprof harvested rules"
#define AAPROF_SECTION_END "# --- END aaprof harvested rules"

/* file permissions, in the order AppArmor writes them */
enum {
	FP_M = 1 << 0, FP_R = 1 << 1, FP_W = 1 << 2, FP_A = 1 << 3, FP_L = 1 << 4,
	FP_K = 1 << 5, FP_IX = 1 << 6, FP_PX = 1 << 7, FP_CX = 1 << 8,
	FP_X = FP_IX | FP_PX | FP_CX,
};

/*
 * The rules of an existing profile, read from its text (best from
 * apparmor_parser -p, which expands includes and carries the tunables'
 * variable definitions), to tell what it already allows or denies.
 */
typedef struct policy policy_t;

/* vars_root: where tunables live when the text defines no variables
   ("/etc/apparmor.d"); NULL: none */
policy_t *policy_parse(const char *text, const char *vars_root);
void policy_free(policy_t *p);
size_t policy_nrules(const policy_t *p);
/* rule i (below policy_nrules): a file rule's path pattern as apparmor_parser
   reads it (escapes resolved, glob escapes kept) and its permissions, or
   NULL for another kind of rule */
const char *policy_rule_glob(const policy_t *p, size_t i, unsigned *ret_perms, int *ret_owner,
			     int *ret_deny);
/* the permissions the policy grants for path (owner: the access was by the
   file's owner); *ret_denied gets those an explicit deny rule takes away */
unsigned policy_file_perms(const policy_t *p, const char *path, int owner, unsigned *ret_denied);
/* a non-file rule (as harvest writes it, without the ','): 1 allowed,
   -1 explicitly denied, 0 neither */
int policy_rule_status(const policy_t *p, const char *rule);

/*
 * The harvested section of profile text: call fn for each rule in it
 * (child: "" for the profile itself, else the ^hat/child name). The
 * markers are comments of their own lines (marker text in a path or after
 * a rule is no marker). Returns 1 if the section exists, 0 if not.
 */
int profile_section_rules(const char *text, void (*fn)(void *ctx, const char *child,
						       const char *rule), void *ctx);
/*
 * Put section (indented rule lines) between the markers, replacing what was
 * there; without markers, add them before the closing brace of the profile
 * name (NULL: the first profile of the text).
 */
int profile_replace_section(const char *text, const char *name, const char *section,
			    struct strbuf *out, struct strbuf *why);

/*
 * Profile text read with apparmor_parser's tokens (comments, quoted
 * strings, escapes): the profiles it defines, with their children and hats
 * as parent//child, in the order of the text (NULL-terminated; free each
 * and the array). What apparmor_parser -N would list, without its includes.
 */
char **profile_names(const char *text);
/*
 * The main profile of profile text: the first profile at the top level, its
 * name ("profile NAME ... {", or an attachment "/usr/bin/x {"), the start of
 * its header and the end of its opening brace.
 */
int profile_main(const char *text, char **ret_name, size_t *ret_hdr_start, size_t *ret_hdr_end);
/* "complain" or "enforce" (or "kill", "unconfined", "prompt") from the flags
   of the profile name (NULL: the main profile), as kernel_mode_name() names
   the kernel's mode; NULL when there is no such profile */
const char *profile_mode_of(const char *text, const char *name);
/* set the mode of the profile name (NULL: the main one): adds or removes
   complain in its flags=(...) */
int profile_set_mode(const char *text, const char *name, const char *mode, struct strbuf *out,
		     struct strbuf *why);
