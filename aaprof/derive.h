/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_DERIVE_H
#define AAPROF_DERIVE_H

#include "rclass.h"
#include "record.h"
#include "rules.h"
#include "strbuf.h"

/*
 * derive: one AppArmor record -> the rule (or, for a file record, the
 * owner and the other rule) that would have allowed what it shows
 * missing, as drafts the caller owns. It knows the record and the options
 * below, nothing of what was harvested before or of the existing policy.
 */
enum exec_mode { EXEC_IX = 'i', EXEC_PX = 'p', EXEC_CX = 'c' };

struct derive_opts {
	enum exec_mode exec;       /* how exec records become rules */
	unsigned features;         /* the HF_* rule kinds the target enforces (abi.h):
				      the others get their coarse form or a comment */
	int keep_addresses;        /* keep ip=/port= in network rules (--keep-addresses) */
	const genrules_t *gen;     /* generalisation of file paths, or NULL */
};

struct draft {
	enum rclass cls;
	struct strbuf head, tail;  /* the rule's text: head[ access][ tail] */
	unsigned perms;            /* FP_* of a file rule, else AW_* bits */
	unsigned feature;          /* the HF_* bit its text needs, 0: none */
	unsigned coarse;           /* the HF_* kinds the record showed that the rule
				      leaves out (the target does not enforce them),
				      and DRAFT_ADDRESSES_LEFT_OUT */
	/* a file rule */
	int owner;                 /* an "owner" rule: the access was by the file's owner */
	struct strbuf path;        /* the path it grants, as apparmor_parser reads it */
	struct strbuf source;      /* the generalisation rule that wrote head, if one did */
	struct strbuf target;      /* a link rule: the target path (link PATH -> TARGET) */
	struct strbuf also;        /* the same object's other name (a procfs alias and its
				      /proc name): dangerous when either is */
	/* what judge looks at (a value of the record) */
	const char *peer;          /* ptrace, signal: the peer; change_profile: the target */
};
/* in draft.coarse: network addresses left out without --keep-addresses */
#define DRAFT_ADDRESSES_LEFT_OUT (1u << 30)
void draft_init(struct draft *d);
void draft_release(struct draft *d);

/* drafts from one record at most: a file record's owner and other access,
   for a procfs alias under both names */
#define DERIVE_MAX 4

enum derive_result {
	DR_RULES,            /* *ret_n drafts */
	DR_NOTHING_MISSING,  /* the record shows nothing the profile lacked */
	DR_UNSUPPORTED,      /* not a record aaprof turns into a rule: why says why */
	DR_UNEXPRESSIBLE,    /* a value aaprof cannot write safely: why says which */
};

/* the drafts of record r, of class cls (rclass_of) */
enum derive_result derive(const struct derive_opts *o, const struct record *r, enum rclass cls,
			  struct draft out[DERIVE_MAX], size_t *ret_n, struct strbuf *why);

/* file records, in derive-file.c: the drafts of file record r (derive()
   calls it for RC_FILE) */
enum derive_result derive_file(const struct derive_opts *o, const struct record *r,
			       struct draft *out, size_t *ret_n, struct strbuf *why);
/*
 * The head of a file draft, its path written (generalised by o->gen): only
 * once judge found the rule needed. 0; 1 when the literal path was kept
 * (why says why); -1 when the path cannot be written (why).
 */
int derive_file_head(const struct derive_opts *o, struct draft *d, struct strbuf *why);

#endif
