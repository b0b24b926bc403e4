/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * secprof.c - a Docker seccomp profile: read, judged, extended, written
 * (see secprof.h). The conditions are moby's (profiles/seccomp/
 * seccomp_linux.go): a group applies when none of its excludes holds
 * (arches, caps, minKernel) and all of its includes do.
 */
#include "secprof.h"
#include "jsonout.h"
#include "paths.h"
#include "secrec.h"
#include "util.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct secprof {
	json_object *root;
};

const char *const secprof_docker_caps[] = {
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
	"CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
	"CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE", NULL,
};

static const char *const actions[] = {
	"SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",
	"SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY",
};

/* the length of an array; 0 for anything else (json-c asserts) */
static size_t alen(json_object *a)
{
	return json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
}

static json_object *member(json_object *o, const char *key)
{
	json_object *v = NULL;

	return json_object_is_type(o, json_type_object) && json_object_object_get_ex(o, key, &v) ?
	       v : NULL;
}

static const char *member_str(json_object *o, const char *key)
{
	json_object *v = member(o, key);

	return json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static int is_action(const char *s)
{
	size_t i;

	for (i = 0; s && i < ARRAY_SIZE(actions); i++)
		if (streq(s, actions[i]))
			return 1;
	return 0;
}

/* an array of strings, or null/absent (ok_null) */
static int string_array(json_object *a, int ok_null)
{
	size_t i;

	if (!a)
		return ok_null;
	if (!json_object_is_type(a, json_type_array))
		return 0;
	for (i = 0; i < alen(a); i++)
		if (!json_object_is_type(json_object_array_get_idx(a, i), json_type_string))
			return 0;
	return 1;
}

static int check_cond(json_object *c)
{
	json_object *mk = member(c, "minKernel");

	if (!c)
		return 1;
	return json_object_is_type(c, json_type_object) && string_array(member(c, "arches"), 1) &&
	       string_array(member(c, "caps"), 1) &&
	       (!mk || json_object_is_type(mk, json_type_string));
}

static int check(json_object *root, const char *what)
{
	json_object *sc = member(root, "syscalls"), *am = member(root, "archMap");
	const char *da = member_str(root, "defaultAction");
	size_t i;

	if (!json_object_is_type(root, json_type_object))
		return error("%s: not a JSON object", what);
	if (!is_action(da))
		return error("%s: no defaultAction, or not a seccomp action", what);
	if (streq(da, "SCMP_ACT_ALLOW"))
		return error("%s: defaultAction SCMP_ACT_ALLOW filters nothing: aaprof extends "
			     "a profile that refuses what it does not list (start from Docker's)", what);
	if (!json_object_is_type(sc, json_type_array) || !alen(sc))
		return error("%s: no syscalls groups: a container cannot even start under an empty "
			     "allowlist (start from Docker's default)", what);
	if (am && !json_object_is_type(am, json_type_array))
		return error("%s: archMap is not an array", what);
	for (i = 0; i < alen(sc); i++) {
		json_object *g = json_object_array_get_idx(sc, i), *args = member(g, "args");

		if (!json_object_is_type(g, json_type_object) || !is_action(member_str(g, "action")) ||
		    !(string_array(member(g, "names"), 0) || member_str(g, "name")) ||
		    !check_cond(member(g, "includes")) || !check_cond(member(g, "excludes")) ||
		    (args && !json_object_is_type(args, json_type_array) &&
		     !json_object_is_type(args, json_type_null)))
			return error("%s: syscalls group %zu is not a Docker seccomp group (names, "
				     "action, args, includes, excludes)", what, i + 1);
	}
	return 0;
}

int secprof_parse(const char *text, const char *what, secprof_t **ret)
{
	struct json_tokener *tok = json_tokener_new_ex(64);
	json_object *root;
	size_t len = strlen(text);

	if (!tok)
		return error("%s: out of memory", what);
	root = json_tokener_parse_ex(tok, text, (int)len);
	if (!root || json_tokener_get_error(tok) != json_tokener_success ||
	    json_tokener_get_parse_end(tok) + strspn(text + json_tokener_get_parse_end(tok), " \t\r\n")
	    != len) {
		error("%s: not valid JSON (%s, near byte %zu)", what,
		      root ? "text after the object" :
		      json_tokener_error_desc(json_tokener_get_error(tok)),
		      json_tokener_get_parse_end(tok));
		json_object_put(root);
		json_tokener_free(tok);
		return -1;
	}
	json_tokener_free(tok);
	if (check(root, what) < 0) {
		json_object_put(root);
		return -1;
	}
	*ret = xcalloc(1, sizeof(**ret));
	(*ret)->root = root;
	return 0;
}

int secprof_load(const char *path, secprof_t **ret)
{
	_cleanup_free_ char *text = NULL, *what = xasprintf("'%s'", path);

	if (read_file(path, 4u << 20, &text, NULL) < 0)
		return -1;
	return secprof_parse(text, what, ret);
}

int secprof_load_default(const char *template_dir, secprof_t **ret, char **ret_path)
{
	char **dirs = data_search_path("templates", template_dir);
	_cleanup_free_ char *text = NULL;
	char *path = NULL, *what;
	size_t i;
	int r;

	for (i = 0; dirs[i] && !path; i++) {
		path = xasprintf("%s/seccomp/%s", dirs[i], SECPROF_DEFAULT);
		if (access(path, F_OK) < 0)
			FREE_AND_NULL(path);
	}
	paths_free(dirs);
	if (!path)
		return error("Docker's default seccomp profile (templates/seccomp/%s) not found",
			     SECPROF_DEFAULT);
	/* policy comes from it: trusted as templates are */
	if (read_trusted_file(path, 4u << 20, &text, NULL) < 0) {
		free(path);
		return -1;
	}
	what = xasprintf("'%s'", path);
	r = secprof_parse(text, what, ret);
	free(what);
	if (r == 0 && ret_path)
		*ret_path = path;
	else
		free(path);
	return r;
}

void secprof_free(secprof_t *p)
{
	if (!p)
		return;
	json_object_put(p->root);
	free(p);
}

static int in_strings(json_object *a, const char *s)
{
	size_t i;

	for (i = 0; a && json_object_is_type(a, json_type_array) && i < alen(a); i++)
		if (streq(json_object_get_string(json_object_array_get_idx(a, i)), s))
			return 1;
	return 0;
}

static int has_cap(const struct secprof_ctx *c, const char *cap)
{
	const char *const *caps = c->caps ? c->caps : secprof_docker_caps;
	size_t i;

	for (i = 0; caps[i]; i++)
		if (streq(caps[i], cap))
			return 1;
	return 0;
}

/* kernel >= "MAJOR.MINOR"? (no kernel given: yes) */
static int kernel_at_least(const char *kernel, const char *min)
{
	unsigned ka = 0, kb = 0, ma = 0, mb = 0;

	if (!kernel || sscanf(min, "%u.%u", &ma, &mb) < 1)
		return 1;
	if (sscanf(kernel, "%u.%u", &ka, &kb) < 1)
		return 1;
	return ka > ma || (ka == ma && kb >= mb);
}

/* does the condition object hold (all its parts: includes; any: excludes)? */
static int cond_all(json_object *cond, const struct secprof_ctx *c)
{
	json_object *caps = member(cond, "caps");
	const char *mk = member_str(cond, "minKernel");
	size_t i;

	if (alen(member(cond, "arches")) &&
	    !in_strings(member(cond, "arches"), c->host_arch))
		return 0;
	for (i = 0; caps && i < alen(caps); i++)
		if (!has_cap(c, json_object_get_string(json_object_array_get_idx(caps, i))))
			return 0;
	return !mk || kernel_at_least(c->kernel, mk);
}

static int cond_any(json_object *cond, const struct secprof_ctx *c)
{
	json_object *caps = member(cond, "caps");
	const char *mk = member_str(cond, "minKernel");
	size_t i;

	if (in_strings(member(cond, "arches"), c->host_arch))
		return 1;
	for (i = 0; caps && i < alen(caps); i++)
		if (has_cap(c, json_object_get_string(json_object_array_get_idx(caps, i))))
			return 1;
	return mk && kernel_at_least(c->kernel, mk);
}

static int group_names(json_object *g, const char *name)
{
	const char *one = member_str(g, "name");

	return (one && streq(one, name)) || in_strings(member(g, "names"), name);
}

enum secprof_verdict secprof_judge(const secprof_t *p, const char *name,
				   const struct secprof_ctx *c)
{
	json_object *sc = member(p->root, "syscalls");
	enum secprof_verdict v = SP_DEFAULT;
	size_t i;

	for (i = 0; i < alen(sc); i++) {
		json_object *g = json_object_array_get_idx(sc, i), *args = member(g, "args");
		const char *act = member_str(g, "action");

		if (!group_names(g, name))
			continue;
		if (member(g, "excludes") && cond_any(member(g, "excludes"), c))
			continue;
		if (member(g, "includes") && !cond_all(member(g, "includes"), c))
			continue;
		if (streq(act, "SCMP_ACT_ALLOW") || streq(act, "SCMP_ACT_LOG")) {
			if (!alen(args))
				return SP_ALLOWED;
			if (v == SP_DEFAULT)
				v = SP_ARGS;
		} else if (!alen(args)) {
			v = SP_REFUSED;
		}
	}
	return v;
}

void secprof_set_trial(secprof_t *p)
{
	json_object_object_add(p->root, "defaultAction", json_object_new_string("SCMP_ACT_LOG"));
	json_object_object_del(p->root, "defaultErrnoRet");
}

void secprof_add_log_flag(secprof_t *p)
{
	json_object *f = member(p->root, "flags");

	if (!json_object_is_type(f, json_type_array)) {
		f = json_object_new_array();
		json_object_object_add(p->root, "flags", f);
	}
	if (!in_strings(f, "SECCOMP_FILTER_FLAG_LOG"))
		json_object_array_add(f, json_object_new_string("SECCOMP_FILTER_FLAG_LOG"));
}

void secprof_set_comment(secprof_t *p, const char *comment)
{
	json_object_object_add(p->root, "comment", json_object_new_string(comment));
}

void secprof_add_group(secprof_t *p, const char *const *names, size_t n, const char *host_arch,
		       const char *comment)
{
	json_object *g = json_object_new_object(), *a = json_object_new_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_string(names[i]));
	json_object_object_add(g, "names", a);
	json_object_object_add(g, "action", json_object_new_string("SCMP_ACT_ALLOW"));
	if (comment)
		json_object_object_add(g, "comment", json_object_new_string(comment));
	if (host_arch) {
		json_object *inc = json_object_new_object(), *ar = json_object_new_array();

		json_object_array_add(ar, json_object_new_string(host_arch));
		json_object_object_add(inc, "arches", ar);
		json_object_object_add(g, "includes", inc);
	}
	json_object_array_add(member(p->root, "syscalls"), g);
}

const char *secprof_default_action(const secprof_t *p)
{
	return member_str(p->root, "defaultAction");
}

char *secprof_text(const secprof_t *p)
{
	const char *da = secprof_default_action(p);
	struct strbuf s = STRBUF_INIT;

	if (!da || streq(da, "SCMP_ACT_ALLOW")) {
		error("refusing to write a seccomp profile whose default action is %s",
		      da ? da : "missing");
		return NULL;
	}
	jsonout_add(&s, p->root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_PRETTY_TAB |
		    JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE);
	strbuf_addch(&s, '\n');
	return strbuf_detach(&s, NULL);
}
