/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_RCLASS_H
#define AAPROF_RCLASS_H

#include "record.h"
#include "strbuf.h"

/*
 * The record classes: one row each in rclass.c (its name, the rule kind
 * its fine-grained rules are (abi.c's table says under which ABI and kernel
 * they are enforced), the danger kind that holds its rules back), and the
 * one function that derives its
 * rule in derive.c. Adding a class: a value here, a row in rclass.c, a
 * derive function (the compiler names the switch in derive.c that lacks it).
 *
 * Also the vocabulary every module reads and writes rules with: the access
 * words of non-file rules, and the permission letters of file rules with
 * their bits.
 */
enum rclass {
	RC_FILE, RC_CAP, RC_NET, RC_UNIX, RC_SIGNAL, RC_PTRACE, RC_MOUNT, RC_UMOUNT, RC_PIVOT,
	RC_DBUS, RC_MQUEUE, RC_USERNS, RC_IO_URING, RC_CHANGE_PROFILE,
	RC_OPAQUE,   /* a rule kept as written (from an existing section) */
};
/* not an enumerator: a switch over the classes must name every one (-Wswitch) */
#define RC_COUNT (RC_OPAQUE + 1)

/*
 * The rule kinds whose fine-grained form only some ABIs and kernels
 * enforce (abi.h: the target says which): a bit each.
 */
enum harvest_feature {
	HF_NET_FINE = 1,      /* network access lists: network (bind) inet stream */
	HF_MQUEUE = 2,
	HF_USERNS = 4,
	HF_IO_URING = 8,
	HF_NET_ADDR = 16,     /* network ip=/port=, peer=(ip= port=) */
	HF_UNIX = 32,         /* unix rules (else: network unix TYPE) */
};

struct rclass_info {
	enum rclass cls;
	const char *name;      /* as --format json names it */
	unsigned feature;      /* the HF_* kind of its fine-grained rules, 0: none */
	const char *danger;    /* the danger kind (rules.h danger_kind) that may hold
				  its rules back, NULL: none (files and capabilities
				  are judged by path and by name) */
};
const struct rclass_info *rclass_info(enum rclass cls);

/* the class of a record; -1 when aaprof does not turn its kind into rules */
int rclass_of(const struct record *r, enum rclass *ret);

/*
 * A rule's text without its ',': a file rule "HEAD PERMS" (permission
 * letters), any other "HEAD[ ACCESS][ TAIL]" (access words; network and
 * unix rules parenthesise even one, as aa-logprof does).
 */
void rclass_format_rule(enum rclass cls, const char *head, unsigned perms, const char *tail,
			struct strbuf *out);

/* ------------------------------------------------------- access words */

/* the access words of non-file rules ("send", "receive", ...): a bit each */
enum access_word {
	AW_ACCEPT, AW_BIND, AW_CONNECT, AW_CREATE, AW_DELETE, AW_EAVESDROP, AW_GETATTR,
	AW_GETOPT, AW_LISTEN, AW_OPEN, AW_OVERRIDE_CREDS, AW_READ, AW_READBY, AW_RECEIVE,
	AW_SEND, AW_SETATTR, AW_SETOPT, AW_SHUTDOWN, AW_SQPOLL, AW_TRACE, AW_TRACEDBY, AW_WRITE,
	AW_COUNT
};
#define AW_BIT(w) (1u << (AW_##w))

/* the enum access_word of the n bytes at w, -1 if none */
int access_word(const char *w, size_t n);
/* an access word of policy text, with the short forms r, w and rw */
int access_word_known(const char *w);
/*
 * "send receive" or "send, receive" (as the kernel logs an access set) ->
 * bits; userns_create reads as create. -1 and ret_bad at the first word
 * that is none.
 */
int access_words_parse(const char *list, unsigned *ret, const char **ret_bad);
/*
 * The access words of a record of class cls (its requested or denied
 * mask) -> the bits of its rule: each word must be one the class's rules
 * take (apparmor.d(5): ptrace read/trace/readby/tracedby, signal
 * send/receive, ...), after the legacy spellings kernels log are mapped
 * (userns_create -> create). -1 with why naming the word and the class;
 * a word no rule of the class can say is never written.
 */
int rclass_access_parse(enum rclass cls, const char *list, unsigned *ret, struct strbuf *why);
/* the access words the rules of cls take (AW_BIT()s), 0: none */
unsigned rclass_access_words(enum rclass cls);

/* " word" or " (word, word)" in the table's order; nothing for no bits */
void access_words_format(struct strbuf *out, unsigned bits, int always_paren);

/* ------------------------------------------------- permission letters */

enum perm_syntax {
	PERM_KERNEL,   /* a record's requested/denied mask: c and d are writes, x is
			  FP_X, letters that are no file permission are ignored */
	PERM_AAPROF,   /* as perm_format() writes them: w is FP_W, ix, px and cx
			  their own bit; only the letters mrwalkixpc */
	PERM_POLICY,   /* as apparmor_parser grants them: either case, w implies
			  a, any exec mode is FP_X, the qualifiers i p c u b */
};
/* file permissions, in the order AppArmor writes them */
enum {
	FP_M = 1 << 0, FP_R = 1 << 1, FP_W = 1 << 2, FP_A = 1 << 3, FP_L = 1 << 4,
	FP_K = 1 << 5, FP_IX = 1 << 6, FP_PX = 1 << 7, FP_CX = 1 << 8,
	FP_X = FP_IX | FP_PX | FP_CX,
};

/* the FP_* bits of the n letters at s; -1 on a letter the syntax does not know */
int perm_parse(const char *s, size_t n, enum perm_syntax how, unsigned *ret);
/* the letters of FP_* bits in AppArmor's order (w hides a; one exec mode) */
void perm_format(struct strbuf *out, unsigned bits);

#endif
