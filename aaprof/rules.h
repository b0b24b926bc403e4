/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_RULES_H
#define AAPROF_RULES_H

#include "strbuf.h"

/*
 * Path generalisation rules, loaded from rules/ *.rules files (format in
 * rules/README). Each rule is a pcre2 pattern over the literal path and an
 * AppArmor replacement for the part it matched; the rest of the path stays
 * literal (escaped), so a rule can never inject policy syntax.
 */
typedef struct genrules genrules_t;

genrules_t *genrules_new(void);
void genrules_free(genrules_t *g);
/* load one file; every bad line is reported as file:line; -1 if any */
int genrules_load_file(genrules_t *g, const char *path);
/* the same from text (modified in place); path names it in messages */
int genrules_load_text(genrules_t *g, const char *path, char *text);
/*
 * load every *.rules file of the first directory in dirs that exists,
 * with same-named files of earlier directories taking precedence (admin
 * overrides in /etc/aaprof/rules replace the shipped file of that name)
 */
int genrules_load_dirs(genrules_t *g, const char *const *dirs);
size_t genrules_count(const genrules_t *g);

/*
 * Append the AppArmor form of the literal path to out: generalised by the
 * rules where they match, escaped everywhere else. ret_source (optional)
 * gets "file:line" of each rule that applied (joined by ", ") or is left
 * alone. Returns 0, or -1 with why set when the path cannot be expressed.
 */
int genrules_apply(const genrules_t *g, const char *path, struct strbuf *out,
		   struct strbuf *ret_source, struct strbuf *why);

#endif

/*
 * Refuse (keeping the literal path) a generalisation that would also cover
 * a path the danger list holds back when the logged path is not one: the
 * globs are compared as automata (aanfa_overlap). d must outlive g.
 */
struct danger;
void genrules_set_danger(genrules_t *g, const struct danger *d);

/*
 * The dangerous-access list (rules/default.danger, site *.danger files):
 * rules that grant one of these are held back unless the user opts in.
 */
typedef struct danger danger_t;

danger_t *danger_new(void);
void danger_free(danger_t *d);
int danger_load_file(danger_t *d, const char *path);
int danger_load_text(danger_t *d, const char *path, char *text);
/* every *.danger file of dirs (an earlier directory's file replaces a later one's of that name) */
int danger_load_dirs(danger_t *d, const char *const *dirs);
/* NULL, or why the access is dangerous (the matching entry): file access with
   FP_* bits to the literal path */
const char *danger_file(const danger_t *d, const char *path, unsigned bits);
const char *danger_capability(const danger_t *d, const char *cap);
/* kind: "mount", "pivot_root", "ptrace", "signal-unconfined", "change_profile", "px" */
const char *danger_kind(const danger_t *d, const char *kind);
/*
 * An --allow-dangerous item: a capability (sys_admin; SYS_ADMIN,
 * CAP_SYS_ADMIN and cap_sys_admin are rewritten in place to sys_admin), a
 * kind above, or an absolute path glob. 0, or -1 with the reason (and the
 * nearest valid item) in why.
 */
int danger_allow_item(char *item, struct strbuf *why);
