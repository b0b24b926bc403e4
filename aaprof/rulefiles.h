/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_RULEFILES_H
#define AAPROF_RULEFILES_H

#include "aaglob.h"

/* the largest rules/ file read */
#define RULES_MAX_SIZE (1u << 20)

/*
 * The files named *SUFFIX in dirs, in name order; where two directories
 * hold the same name, the earlier directory's file wins (a site file in
 * /etc/aaprof/rules replaces the shipped one of that name).
 * NULL-terminated; free with rulefiles_free.
 */
char **rulefiles_collect(const char *const *dirs, const char *suffix);
void rulefiles_free(char **paths);
/* the variables the globs of rules/ files may use, as Debian's tunables define them */
aavars_t *rulefiles_tunables(void);

#endif
