/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lint-yaml.c - Compose files and Kubernetes manifests (see lint-yaml.h) */
#include "lint-yaml.h"
#include "util.h"

#include <string.h>

/* aliases are followed: the walk's depth and visits are bounded */
#define WALK_MAX_DEPTH 512

struct walk {
	lint_t *l;
	enum lint_kind kind;
	size_t visits;
	int over;                 /* the budget spent, or too deep */
	int deep;
	const char *pod;          /* the last metadata.name seen */
};

static int visit(struct walk *w)
{
	if (++w->visits > LINT_YAML_BUDGET)
		w->over = 1;
	return !w->over;
}

static const char *scalar(const struct ynode *n)
{
	return n && n->kind == Y_SCALAR ? n->value : NULL;
}

/* a finding at n, shown as "KEY: VALUE" */
static void add_kv(struct walk *w, const struct ynode *at, enum lint_rule rule, const char *key,
		   const char *value, const char *name)
{
	_cleanup_free_ char *what = xasprintf("%s: %s", key, value);

	lint_add(w->l, at->line, at->col, rule, w->kind, what, name);
}

/* the setting key of m, when it is true (a scalar YAML reads as true) */
static void check_true(struct walk *w, const struct ynode *m, const char *key,
		       enum lint_rule rule, const char *name)
{
	struct ynode *k = NULL, *v = ymap_lookup(m, key, &k);

	if (yscalar_true(v))
		add_kv(w, k, rule, key, v->value, name);
}

/* each capability of a list (cap_add, capabilities.add) */
static void check_caps(struct walk *w, const struct ynode *seq, const char *key, const char *name)
{
	size_t i;

	if (!seq || seq->kind != Y_SEQ)
		return;
	for (i = 0; i < seq->n && visit(w); i++) {
		const char *v = scalar(seq->items[i]);
		enum lint_rule r = v ? lint_cap(v) : LR_NRULES;

		if (r != LR_NRULES)
			add_kv(w, seq->items[i], r, key, v, name);
	}
}

/* a setting of m that is "host" */
static void check_host(struct walk *w, const struct ynode *m, const char *key,
		       enum lint_rule rule, const char *name)
{
	struct ynode *k = NULL, *v = ymap_lookup(m, key, &k);

	if (yscalar_is(v, "host"))
		add_kv(w, k, rule, key, v->value, name);
}

static void compose_service(struct walk *w, const char *name, const struct ynode *s)
{
	struct ynode *opts = ymap_get(s, "security_opt");
	size_t i;

	check_true(w, s, "privileged", LR_PRIVILEGED, name);
	if (opts && opts->kind == Y_SEQ) {
		for (i = 0; i < opts->n && visit(w); i++) {
			const char *v = scalar(opts->items[i]);
			enum lint_rule r = v ? lint_security_opt(v) : LR_NRULES;

			if (r != LR_NRULES)
				add_kv(w, opts->items[i], r, "security_opt", v, name);
		}
	}
	check_caps(w, ymap_get(s, "cap_add"), "cap_add", name);
	check_host(w, s, "pid", LR_HOST_PID, name);
	check_host(w, s, "ipc", LR_HOST_IPC, name);
	check_host(w, s, "userns_mode", LR_HOST_USERNS, name);
}

static int finish(struct walk *w, struct strbuf *why)
{
	if (!w->over)
		return 0;
	if (w->deep)
		strbuf_addf(why, "nested deeper than %d through aliases", WALK_MAX_DEPTH);
	else
		strbuf_addf(why, "more than %d nodes to visit (aliases expanding without bound?)",
		    LINT_YAML_BUDGET);
	return -1;
}

int lint_compose(lint_t *l, const yaml_doc_t *doc, struct strbuf *why)
{
	struct walk w = { .l = l, .kind = LINT_COMPOSE };
	size_t d, i;

	for (d = 0; d < yaml_doc_count(doc) && !w.over; d++) {
		struct ynode *svcs = ymap_get(yaml_doc_root(doc, d), "services");

		if (!svcs || svcs->kind != Y_MAP)
			continue;
		for (i = 0; i + 1 < svcs->n && visit(&w); i += 2)
			if (svcs->items[i + 1]->kind == Y_MAP)
				compose_service(&w, scalar(svcs->items[i]), svcs->items[i + 1]);
	}
	return finish(&w, why);
}

/* a profile's type: "appArmorProfile.type: Unconfined" */
static void check_profile(struct walk *w, const struct ynode *sc, const char *key,
			  enum lint_rule rule, const char *name)
{
	struct ynode *k = NULL, *t = ymap_lookup(ymap_get(sc, key), "type", &k);

	if (yscalar_is(t, "Unconfined")) {
		_cleanup_free_ char *what = xasprintf("%s.type", key);

		add_kv(w, k, rule, what, t->value, name);
	}
}

static void security_context(struct walk *w, const struct ynode *sc, const char *name)
{
	struct ynode *k = NULL, *v;

	check_profile(w, sc, "appArmorProfile", LR_APPARMOR_UNCONFINED, name);
	check_profile(w, sc, "seccompProfile", LR_SECCOMP_UNCONFINED, name);
	check_true(w, sc, "privileged", LR_PRIVILEGED, name);
	check_true(w, sc, "allowPrivilegeEscalation", LR_PRIV_ESCALATION, name);
	check_caps(w, ymap_get(ymap_get(sc, "capabilities"), "add"), "capabilities.add", name);
	v = ymap_lookup(sc, "procMount", &k);
	if (yscalar_is(v, "Unmasked"))
		add_kv(w, k, LR_SYSTEMPATHS, "procMount", v->value, name);
}

#define AA_ANNOTATION "container.apparmor.security.beta.kubernetes.io/"
#define SECCOMP_POD_ANNOTATION "seccomp.security.alpha.kubernetes.io/pod"
#define SECCOMP_ANNOTATION "container.seccomp.security.alpha.kubernetes.io/"

static void annotations(struct walk *w, const struct ynode *m)
{
	size_t i;

	for (i = 0; i + 1 < m->n && visit(w); i += 2) {
		const struct ynode *k = m->items[i];
		const char *key = scalar(k), *v = scalar(m->items[i + 1]);
		int unconfined = yscalar_is(m->items[i + 1], "unconfined");

		if (!key || !v)
			continue;
		if (starts_with(key, AA_ANNOTATION)) {
			const char *name = key + strlen(AA_ANNOTATION);

			if (unconfined)
				add_kv(w, k, LR_APPARMOR_UNCONFINED, key, v, name);
			add_kv(w, k, LR_APPARMOR_ANNOTATION, key, v,
			       starts_with(v, "localhost/") ? v + 10 : name);
		} else if (streq(key, SECCOMP_POD_ANNOTATION) || starts_with(key, SECCOMP_ANNOTATION)) {
			if (unconfined)
				add_kv(w, k, LR_SECCOMP_UNCONFINED, key, v, w->pod);
			add_kv(w, k, LR_SECCOMP_ANNOTATION, key, v, w->pod);
		}
	}
}

static void walk(struct walk *w, const struct ynode *n, int depth)
{
	size_t i;

	if (!visit(w) || n->kind == Y_SCALAR)
		return;
	if (depth > WALK_MAX_DEPTH) {
		w->over = w->deep = 1;
		return;
	}
	if (n->kind == Y_MAP) {
		const char *name = scalar(ymap_get(ymap_get(n, "metadata"), "name"));
		const char *self = scalar(ymap_get(n, "name"));
		int pod = ymap_get(n, "containers") != NULL;

		if (name)
			w->pod = name;
		if (pod) {
			check_true(w, n, "hostPID", LR_HOST_PID, w->pod);
			check_true(w, n, "hostIPC", LR_HOST_IPC, w->pod);
		}
		for (i = 0; i + 1 < n->n && !w->over; i += 2) {
			const char *key = scalar(n->items[i]);
			const struct ynode *v = n->items[i + 1];

			if (key && streq(key, "securityContext") && v->kind == Y_MAP)
				security_context(w, v, pod ? w->pod : self);
			else if (key && streq(key, "annotations") && v->kind == Y_MAP)
				annotations(w, v);
			walk(w, v, depth + 1);
		}
		return;
	}
	for (i = 0; i < n->n && !w->over; i++)
		walk(w, n->items[i], depth + 1);
}

int lint_k8s(lint_t *l, const yaml_doc_t *doc, struct strbuf *why)
{
	struct walk w = { .l = l, .kind = LINT_K8S };
	size_t d;

	for (d = 0; d < yaml_doc_count(doc) && !w.over; d++) {
		w.pod = NULL;
		walk(&w, yaml_doc_root(doc, d), 0);
	}
	return finish(&w, why);
}

enum lint_kind lint_yaml_kind(const yaml_doc_t *doc)
{
	size_t d;
	int compose = 0;

	for (d = 0; d < yaml_doc_count(doc); d++) {
		const struct ynode *r = yaml_doc_root(doc, d), *s;

		if (ymap_get(r, "apiVersion") && ymap_get(r, "kind"))
			return LINT_K8S;
		s = ymap_get(r, "services");
		compose |= s && s->kind == Y_MAP;
	}
	return compose ? LINT_COMPOSE : LINT_SHELL;
}
