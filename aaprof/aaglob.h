/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_AAGLOB_H
#define AAPROF_AAGLOB_H

#include "strbuf.h"

/*
 * AppArmor's path globs as regular expressions: '*' (no '/'), '**'
 * (anything), '?', '[...]' and '[^...]', '{a,b}' (nested), '\x' literal,
 * and '@{VAR}' expanded from a variable table (the system's tunables).
 */
typedef struct aavars aavars_t;

aavars_t *aavars_new(void);
void aavars_free(aavars_t *v);
/* add values to @{name}: whitespace-separated, as in tunables */
void aavars_add(aavars_t *v, const char *name, const char *values);
/*
 * load @{VAR}=... and @{VAR}+=... from a tunables tree: the file
 * (tunables/global) and what it includes (include <tunables/x>, #include,
 * include if exists, directories). root: /etc/apparmor.d.
 */
int aavars_load(aavars_t *v, const char *root, const char *file);

/* convert a glob into an anchored pcre2 pattern; -1 with why on bad syntax */
int aaglob_to_regex(const char *glob, const aavars_t *vars, struct strbuf *out,
		    struct strbuf *why);

/* a compiled glob */
typedef struct aaglob aaglob_t;
aaglob_t *aaglob_compile(const char *glob, const aavars_t *vars, struct strbuf *why);
int aaglob_match(const aaglob_t *g, const char *path);
void aaglob_free(aaglob_t *g);

/* JIT-compile a pcre2 pattern (pcre2_code *): every pattern aaprof matches */
struct pcre2_real_code_8;
void aaglob_jit(struct pcre2_real_code_8 *re);

#endif

/*
 * The same globs as automata, to ask whether two globs can match one path
 * (aaglob_match's semantics, "//" folding included): used to refuse a
 * generalised rule that would reach a dangerous path its logged path is not.
 */
typedef struct aanfa aanfa_t;
/* one automaton matching any of the n globs; NULL with why on bad syntax */
aanfa_t *aanfa_compile(const char *const *globs, size_t n, const aavars_t *vars,
		       struct strbuf *why);
void aanfa_free(aanfa_t *a);
/*
 * 1 if some normalised path (no "//": what the kernel logs and harvest
 * checks) matches both a and b and none of except (NULL: no exceptions),
 * 0 if none does. Past an internal size bound the answer is 1:
 * callers refuse on 1, so doubt never widens a rule.
 */
int aanfa_overlap(const aanfa_t *a, const aanfa_t *b, const aanfa_t *except);
