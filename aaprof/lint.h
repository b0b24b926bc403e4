/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_LINT_H
#define AAPROF_LINT_H

#include <stddef.h>

#include "strbuf.h"

/*
 * aaprof lint's findings: the wrong moves that switch a whole confinement
 * layer off (--privileged, apparmor=unconfined, seccomp=unconfined, ...),
 * each at FILE:LINE:COL, with its severity and what to do instead. The
 * scanners (lint-shell.c, lint-yaml.c) add to the table; lint-run.c reads
 * the files and picks the scanner.
 */

enum lint_severity { LINT_WARNING, LINT_ERROR };

/* what a file is; LINT_AUTO: decided by its content (lint-run.c) */
enum lint_kind { LINT_AUTO, LINT_SHELL, LINT_COMPOSE, LINT_K8S };

enum lint_rule {
	LR_PRIVILEGED,            /* --privileged, privileged: true */
	LR_APPARMOR_UNCONFINED,   /* apparmor=unconfined, appArmorProfile Unconfined */
	LR_SECCOMP_UNCONFINED,    /* seccomp=unconfined, seccompProfile Unconfined */
	LR_LABEL_DISABLE,         /* label=disable (SELinux off) */
	LR_SYSTEMPATHS,           /* systempaths=unconfined, procMount: Unmasked */
	LR_CAP_ALL,               /* --cap-add ALL */
	LR_CAP_SYS_ADMIN,         /* --cap-add SYS_ADMIN (warning) */
	LR_HOST_PID,              /* --pid=host, hostPID (warning) */
	LR_HOST_IPC,              /* --ipc=host, hostIPC (warning) */
	LR_HOST_USERNS,           /* --userns=host (warning) */
	LR_PRIV_ESCALATION,       /* allowPrivilegeEscalation: true (warning) */
	LR_APPARMOR_ANNOTATION,   /* the deprecated AppArmor annotation (warning) */
	LR_SECCOMP_ANNOTATION,    /* the removed seccomp annotations (warning) */
	LR_NRULES
};

struct lint_finding {
	size_t file;              /* index into the table's file names */
	unsigned line, col;       /* 1-based; col 0: not known */
	enum lint_rule rule;
	enum lint_severity severity;
	enum lint_kind kind;      /* decides the advice's wording */
	char *what;               /* the option or setting as written */
	char *name;               /* the profile name the advice uses */
};

typedef struct lint lint_t;

lint_t *lint_new(void);
void lint_free(lint_t *l);

/* the file the next findings belong to */
void lint_set_file(lint_t *l, const char *file);
/*
 * A finding in the current file. what: the option as written (shown
 * escaped); name: a container or service name for the advice's profile
 * name (kept only if it is a plain profile name), or NULL. Findings of
 * the same rule at the same place count once (an anchor merged twice).
 * severity: the rule's, or LINT_ERROR when an annotation says unconfined.
 */
void lint_add(lint_t *l, unsigned line, unsigned col, enum lint_rule rule,
	      enum lint_kind kind, const char *what, const char *name);

/* findings so far; those of severity error */
size_t lint_count(const lint_t *l);
size_t lint_errors(const lint_t *l);
const struct lint_finding *lint_get(const lint_t *l, size_t i);
const char *lint_file_name(const lint_t *l, size_t file);

/* the rule's short name ("privileged", "apparmor-unconfined", ...) */
const char *lint_rule_id(enum lint_rule rule);
/* what the rule's move does; what to do instead (for kind, with name) */
const char *lint_rule_message(enum lint_rule rule);
void lint_advice(struct strbuf *out, enum lint_rule rule, enum lint_kind kind, const char *name);

/*
 * The rule an option value breaks, or LR_NRULES: a --security-opt or
 * security_opt value ("apparmor=unconfined", "label:disable", ASCII case
 * ignored); one capability ("ALL", "CAP_SYS_ADMIN").
 */
enum lint_rule lint_security_opt(const char *v);
enum lint_rule lint_cap(const char *v);

/*
 * Sort by file, line and column; then print "FILE:LINE:COL: SEVERITY: ..."
 * with an "instead:" line each (text), or one JSON object (json) with
 * nfiles, nbad (files not read) as its summary. Values are escaped.
 */
void lint_sort(lint_t *l);
void lint_format_text(const lint_t *l, struct strbuf *out);
void lint_format_json(const lint_t *l, size_t nfiles, size_t nbad, struct strbuf *out);

#endif
