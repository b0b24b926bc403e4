/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_LOGHOST_H
#define AAPROF_LOGHOST_H

#include <stddef.h>

struct strbuf;

/*
 * The default sources, in the order aaprof tries them (the first that holds
 * AppArmor records is read; the next when it holds none): audit.log and its
 * rotations (auditd, when it runs, owns the kernel's records), the journal's
 * kernel and audit messages, kern.log (else syslog) and its rotations.
 * root: "" on a real system (tests point it at a fake root; its journal is
 * then read from ROOT/var/log/journal and ROOT/run/log/journal).
 */
enum logsrc_default_kind { LSD_AUDIT, LSD_JOURNAL, LSD_SYSLOG };

struct logsrc_default {
	enum logsrc_default_kind kind;
	char *name;      /* the log file (its rotations are in paths), or "the journal" */
	char **paths;    /* the files to read, oldest first; NULL for the journal */
	int err;         /* errno when it exists but cannot be read (then not read) */
};

/* what the host shows about where its AppArmor records go */
struct logsrc_host {
	char *root;
	struct logsrc_default src[3];
	size_t nsrc;             /* the sources that exist, in the order to try */
	int auditd;              /* auditd runs (ROOT/run/auditd.pid names a live process) */
	int apparmor;            /* ROOT/sys/module/apparmor/parameters/enabled: 1 Y, 0 not,
				    -1 unreadable */
	int printk_ratelimit;    /* ROOT/proc/sys/kernel/printk_ratelimit, -1 unknown */
};
void logsrc_host_probe(const char *root, struct logsrc_host *ret);
void logsrc_host_release(struct logsrc_host *h);
/*
 * When no source held an AppArmor record: the likely causes, a line each
 * ("  - ..."), most likely first.
 */
void logsrc_host_hints(const struct logsrc_host *h, struct strbuf *out);
/* base and its rotations base.1, base.2.gz, ... oldest first */
char **logsrc_rotations(const char *base);

#endif
