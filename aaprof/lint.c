/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lint.c - aaprof lint's findings table and its reports (see lint.h) */
#include "lint.h"
#include "jsonout.h"
#include "sanitise.h"
#include "util.h"

#include <json-c/json.h>
#include <string.h>
#include <strings.h>

/* a file with more findings is reported as far as this (a hostile file's million lines) */
#define LINT_MAX_PER_FILE 1000

struct lint {
	size_t in_file;           /* findings of the current file */
	int truncated;            /* the current file reached LINT_MAX_PER_FILE */
	char **files;
	size_t nfiles, files_alloc;
	struct lint_finding *f;
	size_t n, alloc;
};

static const struct rule {
	const char *id;
	enum lint_severity severity;
	const char *message;
} rules[LR_NRULES] = {
	[LR_PRIVILEGED] = { "privileged", LINT_ERROR,
		"every confinement layer off: AppArmor, seccomp, the capability bounding set, "
		"device access and the masked /proc and /sys paths" },
	[LR_APPARMOR_UNCONFINED] = { "apparmor-unconfined", LINT_ERROR,
		"AppArmor off for the container" },
	[LR_SECCOMP_UNCONFINED] = { "seccomp-unconfined", LINT_ERROR,
		"seccomp off: every system call reachable" },
	[LR_LABEL_DISABLE] = { "label-disable", LINT_ERROR,
		"SELinux labelling off for the container" },
	[LR_SYSTEMPATHS] = { "systempaths-unconfined", LINT_ERROR,
		"the masked and read-only /proc and /sys paths exposed" },
	[LR_CAP_ALL] = { "cap-add-all", LINT_ERROR,
		"every capability added" },
	[LR_CAP_SYS_ADMIN] = { "cap-add-sys-admin", LINT_WARNING,
		"CAP_SYS_ADMIN added: mount, namespaces and much of what root may do" },
	[LR_HOST_PID] = { "host-pid", LINT_WARNING,
		"the host's process namespace shared: host processes visible and signalable" },
	[LR_HOST_IPC] = { "host-ipc", LINT_WARNING,
		"the host's IPC namespace shared" },
	[LR_HOST_USERNS] = { "host-userns", LINT_WARNING,
		"user namespace remapping off: root in the container is root on the host" },
	[LR_PRIV_ESCALATION] = { "allow-privilege-escalation", LINT_WARNING,
		"no_new_privs off: setuid programs and file capabilities gain privileges" },
	[LR_APPARMOR_ANNOTATION] = { "apparmor-annotation", LINT_WARNING,
		"the AppArmor annotation is deprecated since Kubernetes 1.30" },
	[LR_SECCOMP_ANNOTATION] = { "seccomp-annotation", LINT_WARNING,
		"the seccomp annotations are ignored since Kubernetes 1.27" },
};

lint_t *lint_new(void)
{
	return xcalloc(1, sizeof(struct lint));
}

void lint_free(lint_t *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->n; i++) {
		free(l->f[i].what);
		free(l->f[i].name);
	}
	for (i = 0; i < l->nfiles; i++)
		free(l->files[i]);
	free(l->files);
	free(l->f);
	free(l);
}

void lint_set_file(lint_t *l, const char *file)
{
	ALLOC_GROW(l->files, l->nfiles + 1, l->files_alloc);
	l->files[l->nfiles++] = xstrdup(file);
	l->in_file = 0;
	l->truncated = 0;
}

/* a name the advice may print as a profile name, or NULL */
static int plain_name(const char *s)
{
	size_t i;

	if (!s || !*s || strlen(s) > 64 || !strchr("abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", *s))
		return 0;
	for (i = 0; s[i]; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-", s[i]))
			return 0;
	return 1;
}

void lint_add(lint_t *l, unsigned line, unsigned col, enum lint_rule rule,
	      enum lint_kind kind, const char *what, const char *name)
{
	struct lint_finding *f;
	size_t i, file = l->nfiles ? l->nfiles - 1 : 0;

	if (!l->nfiles)
		lint_set_file(l, "-");
	if (l->in_file >= LINT_MAX_PER_FILE) {
		if (!l->truncated)
			warning("'%s': more than %d findings, the rest not reported",
				l->files[file], LINT_MAX_PER_FILE);
		l->truncated = 1;
		return;
	}
	for (i = l->n; i-- > 0 && l->f[i].file == file;)
		if (l->f[i].line == line && l->f[i].col == col && l->f[i].rule == rule)
			return;
	ALLOC_GROW(l->f, l->n + 1, l->alloc);
	f = &l->f[l->n++];
	l->in_file++;
	f->file = file;
	f->line = line;
	f->col = col;
	f->rule = rule;
	f->severity = rules[rule].severity;
	f->kind = kind;
	f->what = xstrdup(what);
	f->name = xstrdup(plain_name(name) ? name : "APP");
}

size_t lint_count(const lint_t *l)
{
	return l->n;
}

size_t lint_errors(const lint_t *l)
{
	size_t i, n = 0;

	for (i = 0; i < l->n; i++)
		n += l->f[i].severity == LINT_ERROR;
	return n;
}

const struct lint_finding *lint_get(const lint_t *l, size_t i)
{
	return i < l->n ? &l->f[i] : NULL;
}

const char *lint_file_name(const lint_t *l, size_t file)
{
	return file < l->nfiles ? l->files[file] : "-";
}

const char *lint_rule_id(enum lint_rule rule)
{
	return rules[rule].id;
}

const char *lint_rule_message(enum lint_rule rule)
{
	return rules[rule].message;
}

/* the loop that develops profile name with aaprof, in the words of kind */
static void aaprof_loop(struct strbuf *out, enum lint_kind kind, const char *name)
{
	strbuf_addf(out, "develop a profile for it with aaprof: 'aaprof render %s -o %s.profile', "
		    "'aaprof load --complain %s.profile', run the workload ", name, name, name);
	if (kind == LINT_K8S)
		strbuf_addf(out, "with securityContext.appArmorProfile {type: Localhost, "
			    "localhostProfile: %s} ('aaprof render --k8s %s' prints it; the profile "
			    "loaded on every node)", name, name);
	else if (kind == LINT_COMPOSE)
		strbuf_addf(out, "with 'security_opt: [\"apparmor=%s\"]'", name);
	else
		strbuf_addf(out, "with '--security-opt apparmor=%s'", name);
	strbuf_addf(out, ", 'aaprof harvest --write %s', 'aaprof load %s', then "
		    "'aaprof enforce --quiet-for 24h %s'", name, name, name);
}

static const char *cap_option(enum lint_kind kind)
{
	return kind == LINT_K8S ? "capabilities: {add: [NAME]}" :
	       kind == LINT_COMPOSE ? "cap_add: [NAME]" : "--cap-add NAME";
}

void lint_advice(struct strbuf *out, enum lint_rule rule, enum lint_kind kind, const char *name)
{
	switch (rule) {
	case LR_PRIVILEGED:
		strbuf_addf(out, "drop it; add only the capability (%s) and the device (%s) the "
			    "workload needs, and confine it with a named AppArmor profile: ",
			    cap_option(kind), kind == LINT_K8S ? "a device plugin" :
			    kind == LINT_COMPOSE ? "devices: [/dev/X]" : "--device /dev/X");
		aaprof_loop(out, kind, name);
		break;
	case LR_APPARMOR_UNCONFINED:
		aaprof_loop(out, kind, name);
		break;
	case LR_APPARMOR_ANNOTATION:
		strbuf_addf(out, "use the field in the container's securityContext: "
			    "'localhost/%s' is appArmorProfile {type: Localhost, localhostProfile: %s} "
			    "('aaprof render --k8s %s' prints it), 'runtime/default' is {type: "
			    "RuntimeDefault}", name, name, name);
		break;
	case LR_SECCOMP_UNCONFINED:
		strbuf_addstr(out, "keep seccomp: start from Docker's default profile (moby's "
			      "profiles/seccomp/default.json), add only the one system call that was "
			      "blocked to its allow list, and use that file: ");
		strbuf_addstr(out, kind == LINT_K8S ? "seccompProfile {type: Localhost, "
			      "localhostProfile: profiles/NAME.json} (or type: RuntimeDefault)" :
			      kind == LINT_COMPOSE ? "'security_opt: [\"seccomp=./NAME.json\"]'" :
			      "'--security-opt seccomp=./NAME.json'");
		break;
	case LR_SECCOMP_ANNOTATION:
		strbuf_addstr(out, "use securityContext.seccompProfile {type: RuntimeDefault}, or "
			      "{type: Localhost, localhostProfile: profiles/NAME.json}: Docker's "
			      "default profile with only the one system call added");
		break;
	case LR_LABEL_DISABLE:
		strbuf_addstr(out, "keep SELinux labelling: relabel the bind mounts with ':z' "
			      "(shared) or ':Z' (private), or give the container a type of its own "
			      "(udica)");
		break;
	case LR_SYSTEMPATHS:
		strbuf_addstr(out, kind == LINT_K8S ? "keep procMount: Default; mount only the one "
			      "path the workload needs, read-only" : "keep /proc and /sys masked: "
			      "bind-mount only the one path the workload needs, read-only");
		break;
	case LR_CAP_ALL:
	case LR_CAP_SYS_ADMIN:
		strbuf_addf(out, "add only the capabilities the workload uses, by name (%s): "
			    "in complain mode under a profile developed with aaprof, 'aaprof "
			    "harvest %s' lists the capability records", cap_option(kind), name);
		break;
	case LR_HOST_PID:
	case LR_HOST_IPC:
		strbuf_addstr(out, kind == LINT_K8S ? "share no host namespace (hostPID, hostIPC: "
			      "false); share one pod's containers' with shareProcessNamespace" :
			      "share no host namespace; share one container's instead "
			      "(container:NAME)");
		break;
	case LR_HOST_USERNS:
		strbuf_addstr(out, "keep user namespace remapping: drop the host user namespace");
		break;
	case LR_PRIV_ESCALATION:
		strbuf_addstr(out, "set allowPrivilegeEscalation: false");
		break;
	case LR_NRULES:
		break;
	}
}

enum lint_rule lint_security_opt(const char *v)
{
	size_t k = strcspn(v, "=:");
	const char *val = v[k] ? v + k + 1 : "";

	if (k == 8 && !strncasecmp(v, "apparmor", 8))
		return strcasecmp(val, "unconfined") ? LR_NRULES : LR_APPARMOR_UNCONFINED;
	if (k == 7 && !strncasecmp(v, "seccomp", 7))
		return strcasecmp(val, "unconfined") ? LR_NRULES : LR_SECCOMP_UNCONFINED;
	if (k == 5 && !strncasecmp(v, "label", 5))
		return strcasecmp(val, "disable") ? LR_NRULES : LR_LABEL_DISABLE;
	if (k == 11 && !strncasecmp(v, "systempaths", 11))
		return strcasecmp(val, "unconfined") ? LR_NRULES : LR_SYSTEMPATHS;
	return LR_NRULES;
}

enum lint_rule lint_cap(const char *v)
{
	if (!strncasecmp(v, "CAP_", 4))
		v += 4;
	if (!strcasecmp(v, "ALL"))
		return LR_CAP_ALL;
	if (!strcasecmp(v, "SYS_ADMIN"))
		return LR_CAP_SYS_ADMIN;
	return LR_NRULES;
}

static int cmp_finding(const void *a, const void *b)
{
	const struct lint_finding *x = a, *y = b;

	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return (int)x->rule - (int)y->rule;
}

void lint_sort(lint_t *l)
{
	if (l->n)
		qsort(l->f, l->n, sizeof(*l->f), cmp_finding);
}

static void add_printable(struct strbuf *out, const char *s)
{
	strbuf_add_printable(out, s, strlen(s), NULL);
}

void lint_format_text(const lint_t *l, struct strbuf *out)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		const struct lint_finding *f = &l->f[i];

		add_printable(out, l->files[f->file]);
		strbuf_addf(out, ":%u:", f->line);
		if (f->col)
			strbuf_addf(out, "%u:", f->col);
		strbuf_addf(out, " %s: ", f->severity == LINT_ERROR ? "error" : "warning");
		add_printable(out, f->what);
		strbuf_addf(out, ": %s [%s]\n    instead: ", rules[f->rule].message, rules[f->rule].id);
		lint_advice(out, f->rule, f->kind, f->name);
		strbuf_addch(out, '\n');
	}
}

/* a JSON string of s: escaped for a terminal first, so always valid UTF-8 */
static struct json_object *jstr(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	struct json_object *o;

	add_printable(&sb, s);
	o = json_object_new_string_len(sb.buf, (int)sb.len);
	strbuf_release(&sb);
	return o;
}

void lint_format_json(const lint_t *l, size_t nfiles, size_t nbad, struct strbuf *out)
{
	struct json_object *top = json_object_new_object(), *arr = json_object_new_array();
	struct json_object *sum = json_object_new_object();
	struct strbuf adv = STRBUF_INIT;
	size_t i, errors = 0;

	for (i = 0; i < l->n; i++) {
		const struct lint_finding *f = &l->f[i];
		struct json_object *o = json_object_new_object();

		errors += f->severity == LINT_ERROR;
		strbuf_reset(&adv);
		lint_advice(&adv, f->rule, f->kind, f->name);
		json_object_object_add(o, "file", jstr(l->files[f->file]));
		json_object_object_add(o, "line", json_object_new_int64(f->line));
		json_object_object_add(o, "column", json_object_new_int64(f->col));
		json_object_object_add(o, "severity", json_object_new_string(
			f->severity == LINT_ERROR ? "error" : "warning"));
		json_object_object_add(o, "rule", json_object_new_string(rules[f->rule].id));
		json_object_object_add(o, "kind", json_object_new_string(
			f->kind == LINT_K8S ? "kubernetes" : f->kind == LINT_COMPOSE ? "compose" : "shell"));
		json_object_object_add(o, "match", jstr(f->what));
		json_object_object_add(o, "message", json_object_new_string(rules[f->rule].message));
		json_object_object_add(o, "instead", jstr(adv.buf));
		json_object_array_add(arr, o);
	}
	json_object_object_add(sum, "files", json_object_new_int64((int64_t)nfiles));
	json_object_object_add(sum, "unreadable", json_object_new_int64((int64_t)nbad));
	json_object_object_add(sum, "errors", json_object_new_int64((int64_t)errors));
	json_object_object_add(sum, "warnings", json_object_new_int64((int64_t)(l->n - errors)));
	json_object_object_add(top, "findings", arr);
	json_object_object_add(top, "summary", sum);
	jsonout_add(out, top, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		    JSON_C_TO_STRING_NOSLASHESCAPE);
	strbuf_addch(out, '\n');
	json_object_put(top);
	strbuf_release(&adv);
}
