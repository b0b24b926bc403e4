/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_RULEFIELDS_H
#define AAPROF_RULEFIELDS_H

#include "derive.h"
#include "rclass.h"
#include "strbuf.h"

struct json_object;

/*
 * A rule's structured fields, both ways. Out: the members "fields" (the
 * parts of the rule: path, owner, target, capability, family, type, peer,
 * ...; each value as the rule writes it) and "permissions" (the letters of
 * a file rule, the access words of another) of rule class cls, head, perms
 * and tail (a rule aaprof derived). In (aaprof merge): a rule object of
 * JSON anyone may have written back into a draft, whose text is rebuilt
 * from those fields alone, each value checked to be a single token that
 * cannot change the structure of the rule, and the whole re-read as
 * apparmor_parser reads it (aalex.h); the rule text the object carries
 * must be the one rebuilt. Never pastes text into a profile.
 */
void rulefields_json(enum rclass cls, const char *head, unsigned perms, const char *tail,
		     struct json_object *o);
/* the "permissions" list of perms (of a rule of class cls) */
struct json_object *rulefields_perms_json(enum rclass cls, unsigned perms);
/* the bits of a "permissions" list (p), or -1 and why */
int rulefields_perms(enum rclass cls, struct json_object *p, unsigned *ret, struct strbuf *why);
/*
 * 0 and d filled (d->head, tail, perms, feature, owner, path, target,
 * peer: valid while rule lives), or -1 and why.
 */
int rulefields_draft(struct json_object *rule, struct draft *d, struct strbuf *why);

#endif
