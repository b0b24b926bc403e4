/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_ABI_H
#define AAPROF_ABI_H

#include "strbuf.h"

/*
 * The target a profile's rules are written for: the ABI the profile
 * declares (its "abi <abi/3.0>," rule) and, optionally, the features of
 * the oldest kernel it must hold on (--target: a features directory such
 * as /sys/kernel/security/apparmor/features, or a features or abi file as
 * apparmor_parser reads them). The kernel enforces a rule's fine-grained
 * form only when both have the feature it needs; abi.c's one table says,
 * per rule kind (enum harvest_feature, rclass.h), which ABI and kernel
 * feature that is and what is written instead. Nothing here asks the
 * installed apparmor_parser: the same logs give the same rules on every
 * host.
 */

/* a feature set: "path" -> "words" (network_v9/af_unix -> yes) */
typedef struct features features_t;

/* the brace format of abi files and apparmor_parser --features-file */
features_t *features_parse(const char *text);
/* a features directory, or a file in the brace format; NULL after error() */
features_t *features_load(const char *path);
void features_free(features_t *f);
/* does f have path (not "no"), with word among its words (word NULL: any)? */
int features_has(const features_t *f, const char *path, const char *word);

struct abi_target {
	char *abi;             /* as the profile names it ("abi/3.0"); NULL: it names none */
	int version;           /* 30, 40, 50 for the ABIs aaprof knows; 0: another file */
	features_t *abi_feat;  /* what the ABI lets the parser enforce */
	features_t *kernel;    /* --target, or NULL: the ABI alone */
	char *kernel_what;     /* --target's path */
	unsigned enforced;     /* the HF_* rule kinds both have (abi_target_init) */
};

/* "abi/3.0" of the profile text's first abi rule (free it), NULL: none */
char *abi_of_text(const char *text);
/*
 * The target of profile text (NULL: no profile, taken as abi 3.0, the ABI
 * aaprof's templates pin) under profile_dir (abi files that are no ABI aaprof
 * knows are read from it), with the kernel features at target_file (NULL:
 * none). 0, or -1 after error().
 */
int abi_target_init(struct abi_target *t, const char *text, const char *profile_dir,
		    const char *target_file);
void abi_target_release(struct abi_target *t);
/* "abi <abi/3.0>" or "no abi rule (taken as abi 3.0)" */
void abi_target_name(const struct abi_target *t, struct strbuf *out);
/*
 * What the rule kinds of bits (HF_*, the ones harvested but not enforced
 * under t) became, and what raising the ABI or the kernel would need: a
 * sentence per kind, each line starting with indent.
 */
void abi_explain(const struct abi_target *t, unsigned bits, const char *indent,
		 struct strbuf *out);
/* why one kind is not enforced, short: "needs abi 4.0 and a kernel with namespaces/mask userns_create" */
void abi_needs(const struct abi_target *t, unsigned bit, struct strbuf *out);

/* ----------------------------------------------------------- the table */

struct abi_form {
	unsigned bit;            /* the HF_* kind */
	const char *kind;        /* "network access lists" */
	const char *fine;        /* the fine-grained form */
	int min_version;         /* the lowest ABI aaprof writes it under (30, 40, 50) */
	const char *feature, *word;     /* the feature it needs in the ABI and the kernel */
	const char *feature2, *word2;   /* or this one, NULL: none */
	const char *coarse;      /* what is written instead, NULL: a comment (the
				    class is not mediated, no rule is needed) */
};
/* the table's rows, n of them */
const struct abi_form *abi_forms(size_t *ret_n);

/*
 * Profile text whose ABI mediates unix sockets finely (abi 5.0:
 * network_v9/af_unix) and that has a "network," rule but no unix rule:
 * on kernels with that mediation (6.17+) "network," no longer covers its
 * unix sockets. 1 with why, else 0.
 */
int abi_unix_by_network(const char *text, const char *profile_dir, struct strbuf *why);

#endif
