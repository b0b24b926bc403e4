/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_DANGER_H
#define AAPROF_DANGER_H

#include "strbuf.h"

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

/*
 * For the generalisation rules (rules.c): the read/write entries whose
 * dangerous paths (the entry's, less the exceptions of its kind) glob would
 * also match: their indices in *ret_zones (free it), their number returned;
 * (size_t)-1 with why when that cannot be decided (the caller then refuses
 * the generalisation).
 */
size_t danger_zones(const danger_t *d, const char *glob, size_t **ret_zones,
		    struct strbuf *why);
/* the first of the zones that path is not in (a generalisation would reach
   it): the entry as written, or NULL */
const char *danger_zone_misses(const danger_t *d, const size_t *zones, size_t n,
			       const char *path);

#endif
