/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_HARVEST_H
#define AAPROF_HARVEST_H

#include "derive.h"
#include "rclass.h"
#include "record.h"
#include "rules.h"
#include "ruleset.h"
#include "strbuf.h"

/*
 * harvest: AppArmor records -> a deduplicated, merged rule set per profile:
 * the options and filters, then classify (rclass.h) -> derive (derive.h)
 * -> judge (judge.h) -> the rule set (ruleset.h). Memory grows with the
 * number of distinct rules, never with the log.
 */
typedef struct harvest harvest_t;

struct harvest_opts {
	const char *const *profiles;   /* harvest only these (and their children); none: all */
	size_t nprofiles;
	enum exec_mode exec;           /* how exec records become rules (default ix) */
	int allowed, denied;           /* which events to use (default both) */
	const char *comm;              /* only records of this command */
	long long pid;                 /* only this pid (0: any) */
	double since, until;           /* time window in epoch seconds (0: open) */
	double boot_time;              /* for dmesg [secs] stamps; 0 if unknown */
	const genrules_t *gen;         /* generalisation, or NULL */
	const struct policy *existing; /* the profile's current rules, or NULL */
	const danger_t *danger;        /* dangerous accesses to hold back, or NULL */
	int allow_dangerous;           /* hold back nothing */
	const char *const *allow;      /* or these: capability names, mount, pivot_root,
					  ptrace, signal-unconfined, path globs */
	size_t nallow;
	int keep_children;             /* keep //null- children as hats (aa-logprof's
					  view; the conformance test); default: with
					  exec ix they fold into their parent */
	int full_syntax;               /* write every rule kind in its fine-grained
					  form (network ip=/port=, access lists,
					  unix, mqueue, userns, io_uring) whatever
					  the target: aa-logprof's view */
	int keep_addresses;            /* keep ip=/port= in network rules where the
					  target enforces them (default: left out) */
	int evidence;                  /* the enforce gate: count the records that show
					  the profiles ran (harvest_get_evidence) */
	double evidence_since;         /* and STATUS records of their loads from this
					  time on (0: since); before since, they only
					  count as evidence */
	const char *const *nodes;      /* only the records of these hosts (--node) */
	size_t nnodes;
	const char *local_host;        /* the host of records that name none (NULL:
					  this machine's name) */
	const char *namespace;         /* harvest this AppArmor policy namespace
					  ("root//lxd-foo_<var-lib-lxd>"), not
					  the host's own (NULL, "root") */
};

/* why a record did not become a rule */
enum harvest_skip {
	HS_USED = 0,
	HS_NOT_APPARMOR,      /* not an AppArmor record */
	HS_MALFORMED,         /* looked like AppArmor, could not be trusted */
	HS_FILTERED,          /* other profile, event, comm, pid or time */
	HS_NO_TIME,           /* --since/--until given, the record has no time */
	HS_NOTHING_MISSING,   /* the record shows nothing the profile lacked */
	HS_COVERED,           /* the existing profile already allows (or denies) it */
	HS_UNEXPRESSIBLE,     /* a value aaprof cannot write safely: reported */
	HS_UNSUPPORTED,       /* a record class aaprof does not turn into rules */
	HS_NOT_KERNEL,        /* written or framed by user space (record_trusted()) */
	HS_OTHER_NAMESPACE,   /* of another AppArmor policy namespace than the one harvested */
	HS_COUNT
};

harvest_t *harvest_new(const struct harvest_opts *o);
void harvest_free(harvest_t *h);

/* feed one parsed record (raw: the log line, kept as evidence) */
enum harvest_skip harvest_add(harvest_t *h, const struct record *r, const char *raw, size_t rawlen);

/* counters per skip reason and problems seen (for the report) */
unsigned long long harvest_count(const harvest_t *h, enum harvest_skip s);
/* distinct problems (unexpressible values, unsupported classes), one per line */
const char *harvest_problems(const harvest_t *h);
/* why the first record not from the kernel was not, and the first other
   namespace seen (NULL if none) */
const char *harvest_not_kernel_example(const harvest_t *h);
const char *harvest_other_namespace_example(const harvest_t *h);
size_t harvest_nrules(const harvest_t *h);
/* rules held back as dangerous, and their listing with evidence */
size_t harvest_nheld(const harvest_t *h);
void harvest_format_held(const harvest_t *h, struct strbuf *out);

/*
 * What the logs show of the profiles (harvest_opts.evidence), counted
 * after the profile and time filters: records that never pass them
 * never count.
 */
struct harvest_evidence {
	unsigned long long records;   /* ALLOWED, DENIED, AUDIT records of the
					 profiles or their children, in the window */
	unsigned long long status;    /* STATUS profile_load/profile_replace records
					 naming them (name=), from evidence_since on */
	double first, last;           /* of those records (-1: none) */
	double last_load;             /* the latest STATUS load or replace that
					 changed the policy (not "same as current
					 profile, skipping"), -1: none */
};
void harvest_get_evidence(const harvest_t *h, struct harvest_evidence *ret);

/*
 * For each rule of profile (or of one of its children) that has records:
 * fn with its text as harvest_format_rules renders it (without indent) and
 * its evidence, "seen N times by COMM\n      e.g. LINE\n". One pass over
 * the rules, whatever their number.
 */
void harvest_each_evidence(const harvest_t *h, const char *profile,
			   void (*fn)(void *ctx, const char *text, const char *evidence),
			   void *ctx);

/* profiles (root labels) that have rules, sorted; NULL-terminated, free the array only */
const char **harvest_profiles(const harvest_t *h);

/*
 * The rules of one profile (root label) as policy text, sorted, one rule a
 * line with indent; its hats/children as nested ^name { } blocks.
 */
void harvest_format_rules(const harvest_t *h, const char *profile, const char *indent,
			  struct strbuf *out);
/* every rule with its evidence as a JSON array (the "rules" of harvest-json.h) */
void harvest_format_json(const harvest_t *h, struct strbuf *out);
struct json_object;
struct json_object *harvest_json_rules(const harvest_t *h);
/* the policy namespace harvested, as the kernel logs it, into out; NULL: the host's */
const char *harvest_namespace(const harvest_t *h, struct strbuf *out);

/*
 * The host of the records that follow when their line names none (the
 * journal entry's _HOSTNAME; NULL: this machine). A record's host is what
 * its framing names (origin_host()), else this, else this machine.
 */
void harvest_set_source_host(harvest_t *h, const char *host, size_t len);
/* the time of r as the harvest reads it (-1: none) */
double harvest_record_time(const harvest_t *h, const struct record *r);

/*
 * aaprof merge: a rule rebuilt from JSON (rulefields.h) under label, judged
 * as a harvested one: 0 when the profile already allows it, 1 added, 2
 * added but held back as dangerous (by the danger list, or hold: then
 * hold_why says why).
 */
int harvest_add_draft(harvest_t *h, const char *label, struct draft *d, int hold,
		      const char *hold_why);

/*
 * The target the rules are written for (abi.h; t must outlive h): rule
 * kinds it does not enforce get their coarse form, or are written as
 * comments ("# not enforced under abi <abi/3.0>: userns create,").
 * harvest_set_features() sets the kinds alone (bit per enum
 * harvest_feature, rclass.h).
 */
struct abi_target;
void harvest_set_target(harvest_t *h, const struct abi_target *t);
void harvest_set_features(harvest_t *h, unsigned features);
/* the target set, or NULL */
const struct abi_target *harvest_target(const harvest_t *h);
/* the HF_* kinds records showed that the rules left out or commented */
unsigned harvest_not_enforced(const harvest_t *h);
/* the boot time that dmesg [secs] stamps of the next records are relative to (0: unknown) */
void harvest_set_boot_time(harvest_t *h, double boot_time);

/* does the time window (--since/--until) admit t? */
int harvest_in_window(const harvest_t *h, double t);
/* does the harvest look at a record of time t at all (the window; for the
   gate, back to evidence_since)? */
int harvest_in_reach(const harvest_t *h, double t);
/* does it admit the record (by its time; one without a time only when the window is open)? */
int harvest_record_in_window(const harvest_t *h, const struct record *r);
/* count a record skipped before harvest_add saw it */
void harvest_count_skip(harvest_t *h, enum harvest_skip s);

/*
 * For scan's cache of repeated records: what the last harvest_add() did,
 * to be done again for a record identical to it but for its time and pid,
 * without parsing it.
 */
#define HARVEST_MAX_TOUCHED 4
struct harvest_outcome {
	struct rs_rule *rules[HARVEST_MAX_TOUCHED];   /* the rules it created or merged into */
	signed char comm[HARVEST_MAX_TOUCHED];   /* the command's slot in each */
	unsigned perms[HARVEST_MAX_TOUCHED];     /* what the record needed of each */
	int host;               /* the record's host (-1: none) */
	signed char n;          /* how many; -1: not to be replayed (the outcome
				   depended on the record's time or pid, or it
				   touched more rules) */
	unsigned char skip;     /* enum harvest_skip */
	unsigned char event;    /* enum rec_event */
};
void harvest_last_outcome(const harvest_t *h, struct harvest_outcome *ret);
/* that outcome again (o->n >= 0), for an identical record of time t and pid (0: none) */
void harvest_replay(harvest_t *h, const struct harvest_outcome *o, double t, long long pid);

/*
 * Add a rule as policy text (a line of an existing harvested section):
 * file rules merge their permissions with harvested ones, other rules are
 * kept as written. label: the profile (or profile//child) it belongs to.
 */
void harvest_add_rule_text(harvest_t *h, const char *label, const char *text);

#endif
