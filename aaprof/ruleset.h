/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_RULESET_H
#define AAPROF_RULESET_H

#include "rclass.h"
#include "record.h"
#include "strbuf.h"

/*
 * ruleset: the deduplicated rules, each with the evidence that shows it,
 * and their output, sorted, in every format. A rule is keyed by everything
 * but its permissions (its profile label, class, head and tail): repeated
 * accesses merge into one rule. Memory grows with the rules, not the log.
 */
typedef struct ruleset ruleset_t;
/* one rule of the set; the handle scan's cache of repeated records keeps */
struct rs_rule;

ruleset_t *ruleset_new(void);
void ruleset_free(ruleset_t *rs);
/* the HF_* rule kinds the target enforces (abi.h): rules that need others
   are written as comments, "# WHY: RULE," (default: none) */
void ruleset_set_features(ruleset_t *rs, unsigned features, const char *why);

/*
 * The rule label/cls/head/tail, created if new: with feature (the HF_* bit
 * its text needs) and source (the generalisation rule that wrote head, or
 * NULL) as given the first time.
 */
struct rs_rule *ruleset_get(ruleset_t *rs, const char *label, enum rclass cls, const char *head,
			    const char *tail, unsigned feature, const char *source);
/* grant perms; danger: why the rule is dangerous (the first reason is kept);
   held: dangerous and not allowed, so not written */
void ruleset_grant(struct rs_rule *e, unsigned perms, const char *danger, int held);
/* the number of a host name (len bytes), for the evidence */
int ruleset_host(ruleset_t *rs, const char *name, size_t len);
/* a record (raw: its log line) of host (-1: none) that shows the rule
   needed perms of it, of time t (-1: none); returns its command's slot for
   ruleset_replay() */
int ruleset_add_evidence(struct rs_rule *e, const struct record *r, double t, int host,
			 unsigned perms, const char *raw, size_t rawlen);
/* the evidence of an identical record again, but for its time t and pid (0:
   none); comms: what ruleset_add_evidence() returned for each rule, perms
   what the record needed of each */
void ruleset_replay(struct rs_rule *const *rules, const signed char *comms, const unsigned *perms,
		    int n, double t, long long pid, enum rec_event ev, int host);

size_t ruleset_nrules(const ruleset_t *rs);
size_t ruleset_nheld(const ruleset_t *rs);

/* the output, each as harvest.h's harvest_* of the same name says */
const char **ruleset_profiles(const ruleset_t *rs);
void ruleset_format_rules(const ruleset_t *rs, const char *profile, const char *indent,
			  struct strbuf *out);
/* ns: the policy namespace harvested as the kernel logs it, or NULL; the
   rules as a JSON array (schema 1, aaprof(8)); json_object_put() it */
struct json_object;
struct json_object *ruleset_json(const ruleset_t *rs, const char *ns);
void ruleset_format_held(const ruleset_t *rs, struct strbuf *out);
void ruleset_each_evidence(const ruleset_t *rs, const char *profile,
			   void (*fn)(void *ctx, const char *text, const char *evidence),
			   void *ctx);

#endif
