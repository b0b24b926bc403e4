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
/*
 * the values of @{name} (name: len bytes, without @{}): 1 with them in
 * *ret_vals and *ret_n if it is defined (maybe with no value), else 0
 */
int aavars_get(const aavars_t *v, const char *name, size_t len, const char *const **ret_vals,
	       size_t *ret_n);
/* how deep variables may nest in variables */
#define AAVARS_MAX_DEPTH 16

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
