/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_RULES_H
#define AAPROF_RULES_H

#include "danger.h"
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

/*
 * Append the AppArmor form of the literal path to out: generalised by the
 * rules where they match, escaped everywhere else. ret_source (optional)
 * gets "file:line" of each rule that applied (joined by ", ") or is left
 * alone. Returns 0; 1 when a generalisation was refused (why says why)
 * and the literal path appended instead; -1 with why set when the path
 * cannot be expressed.
 */
int genrules_apply(const genrules_t *g, const char *path, struct strbuf *out,
		   struct strbuf *ret_source, struct strbuf *why);

/*
 * Refuse (keeping the literal path) a generalisation that would also cover
 * a path the danger list holds back when the logged path is not one: the
 * globs are compared as automata (aanfa_overlap). d must outlive g.
 */
void genrules_set_danger(genrules_t *g, const struct danger *d);

#endif
