/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_POLICY_H
#define AAPROF_POLICY_H

#include "rclass.h"

#include <stddef.h>

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
/* rule i: a non-file rule's text (qualifiers but deny dropped, without the
   ','), or NULL for a file rule */
const char *policy_rule_text(const policy_t *p, size_t i, int *ret_deny);
/* the permissions the policy grants for path (owner: the access was by the
   file's owner); *ret_denied gets those an explicit deny rule takes away */
unsigned policy_file_perms(const policy_t *p, const char *path, int owner, unsigned *ret_denied);
/* a non-file rule (as harvest writes it, without the ','): 1 allowed,
   -1 explicitly denied, 0 neither */
int policy_rule_status(const policy_t *p, const char *rule);

#endif
