/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_SECREC_H
#define AAPROF_SECREC_H

#include <stdint.h>

#include "record.h"

/*
 * The kernel's SECCOMP records (type=SECCOMP, type=1326), written by
 * audit_seccomp(): "auid= uid= gid= ses= [subj=LABEL] pid= comm= exe= sig=
 * arch=AUDIT_ARCH syscall=NR compat= ip= code=", ENRICHED with an "ARCH=
 * SYSCALL=" trailer by auditd. record_parse() reads the line's framing
 * (stamp, syslog, dmesg, journal) and decides who wrote it (origin.h);
 * secrec_parse() reads the rest: the architecture, the syscall's number
 * and name (libseccomp) and the action the filter took (code=).
 */

/* an architecture Docker's archMap can name */
struct secarch {
	const char *name;       /* libseccomp's name: x86_64, x86, x32, aarch64 ... */
	uint32_t audit;         /* AUDIT_ARCH_* as the kernel logs it */
	const char *scmp;       /* Docker's SCMP_ARCH_* */
	const char *native;     /* what moby's includes/excludes "arches" compare with
				   on a host of this architecture */
	const char *parent;     /* the 64-bit architecture whose compat mode it is, or NULL */
};

/* the architecture of a logged arch= (and syscall number: x32 is x86_64's with
   bit 30 set), or NULL */
const struct secarch *secarch_of_audit(uint32_t audit, long long nr);
/* by libseccomp name ("x86_64") or Docker's "SCMP_ARCH_X86_64", or NULL */
const struct secarch *secarch_by_name(const char *name);
/* the host architecture (moby's "arches" value) a call on a runs under */
const char *secarch_host(const struct secarch *a, int compat);
/* the syscall's name on a (malloc'd), or NULL when libseccomp knows none */
char *secarch_syscall_name(const struct secarch *a, long long nr);

/* the action of a code= value: "LOG", "ERRNO(1)", "KILL_PROCESS", ... into buf */
const char *seccomp_action_name(uint32_t code, char *buf, unsigned size);
#define SECCOMP_RET_ALLOW_CODE 0x7fff0000u

struct secrec {
	const struct secarch *arch;   /* NULL: an architecture aaprof does not know */
	uint32_t audit_arch;
	long long nr;                 /* the syscall number as logged */
	uint32_t code;
	int compat;
	long long pid;
	char subj[256];               /* the AppArmor label, "" if none logged */
	char comm[64];
	char exe[512];
	char trailer_syscall[64];     /* ENRICHED SYSCALL=, "" if none */
	const char *why;              /* for a malformed record: what was wrong */
	enum rec_origin origin;       /* RO_KERNEL: the kernel wrote it (origin.h) */
	const char *origin_why;       /* else why not */
};

/*
 * r: the line [line, line + len) as record_parse() parsed it. Returns 0
 * when it is not a SECCOMP record, 1 when s holds it, -1 when it is one
 * but malformed (s->why). Who wrote it: s->origin (origin_of_seccomp()),
 * only RO_KERNEL records are evidence.
 */
int secrec_parse(const struct record *r, const char *line, size_t len, struct secrec *s);

#endif
