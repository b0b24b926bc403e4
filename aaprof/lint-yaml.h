/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_LINT_YAML_H
#define AAPROF_LINT_YAML_H

#include "lint.h"
#include "strbuf.h"
#include "yamltree.h"

/*
 * The YAML scanners, on a parsed stream (yamltree.h), adding to l under
 * its current file:
 * - Compose: each service of "services" (with "<<" merges): privileged,
 *   security_opt, cap_add, pid, ipc, userns_mode.
 * - Kubernetes: every document, walked whole, so that any workload's pod
 *   template (Pod, Deployment, StatefulSet, DaemonSet, Job, CronJob, a
 *   List's items, custom resources) is seen: securityContext at pod and
 *   container level (appArmorProfile, seccompProfile, privileged,
 *   allowPrivilegeEscalation, capabilities.add, procMount), hostPID,
 *   hostIPC, and the deprecated AppArmor and seccomp annotations.
 * A walk follows aliases, but past LINT_YAML_BUDGET node visits it stops
 * and returns -1 with why set (an alias bomb); else 0.
 */
#define LINT_YAML_BUDGET 200000

int lint_compose(lint_t *l, const yaml_doc_t *doc, struct strbuf *why);
int lint_k8s(lint_t *l, const yaml_doc_t *doc, struct strbuf *why);

/* what the stream is: LINT_K8S (a document's root has apiVersion and kind),
   LINT_COMPOSE (a root's "services" is a mapping), else LINT_SHELL */
enum lint_kind lint_yaml_kind(const yaml_doc_t *doc);

#endif
