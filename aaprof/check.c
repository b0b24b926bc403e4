/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * check.c - aaprof check: a container as Docker describes it and as the
 * kernel confines it (its AppArmor profile, loaded and enforcing, its
 * processes under it, seccomp, the options that switch a layer off)
 */
#include "check.h"
#include "jsonout.h"
#include "kernel.h"
#include "sanitise.h"
#include "testhooks.h"
#include "util.h"

#include <dirent.h>
#include <stdarg.h>
#include <json-c/json.h>
#include <string.h>

/* the capabilities Docker grants by default (moby's oci/caps/defaults.go) */
static const char *const default_caps[] = {
	"CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW", "SETGID", "SETUID",
	"SETFCAP", "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL", "AUDIT_WRITE",
};

const char *check_class_name(enum check_class cls)
{
	switch (cls) {
	case CHECK_APPARMOR: return "apparmor";
	case CHECK_SECCOMP: return "seccomp";
	case CHECK_PRIVILEGE: return "privilege";
	case CHECK_BASELINE: return "baseline";
	}
	return "?";
}

void check_add(struct check_report *r, enum check_class cls, enum check_level level,
	       const char *fmt, ...)
{
	va_list ap;
	char *text;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	text = xmalloc(len < 0 ? 1 : (size_t)len + 1);
	va_start(ap, fmt);
	if (vsnprintf(text, (size_t)len + 1, fmt, ap) < 0)
		text[0] = '\0';
	va_end(ap);
	ALLOC_GROW(r->v, r->n + 1, r->alloc);
	r->v[r->n].cls = cls;
	r->v[r->n].level = level;
	r->v[r->n].text = text;
	r->n++;
	if (level == CHECK_FAIL)
		r->failed |= cls;
}

/* a value Docker or the kernel gave, for a message: printable, at most 200 bytes */
char *check_shown(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len = strlen(s);

	strbuf_add_printable(&sb, s, len > 200 ? 200 : len, NULL);
	return strbuf_detach(&sb, NULL);
}

/* ---------------------------------------------------- the processes -- */

static const char *procfs(void)
{
	return test_getenv("AAPROF_PROCFS") ? test_getenv("AAPROF_PROCFS") : "/proc";
}

static char *proc_file(long pid, const char *what)
{
	_cleanup_free_ char *path = xasprintf("%s/%ld/%s", procfs(), pid, what);
	char *text = NULL;
	int q = quiet_errors;

	quiet_errors = 1;   /* processes come and go */
	if (read_file(path, 1u << 20, &text, NULL) < 0)
		text = NULL;
	quiet_errors = q;
	return text;
}

/* the container's processes: its init and every process in the init's cgroup */
static size_t container_pids(long init, long **ret)
{
	_cleanup_free_ char *cg = proc_file(init, "cgroup");
	long *v = xcalloc(1, sizeof(*v));
	size_t n = 1, alloc = 1;
	struct dirent *de;
	DIR *d;

	v[0] = init;
	if (!cg || !*cg || !(d = opendir(procfs()))) {
		*ret = v;
		return n;
	}
	while ((de = readdir(d)) && n < KPROCS_MAX) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);
		char *other;

		if (*end || pid <= 0 || pid == init)
			continue;
		other = proc_file(pid, "cgroup");
		if (other && streq(other, cg)) {
			ALLOC_GROW(v, n + 1, alloc);
			v[n++] = pid;
		}
		free(other);
	}
	closedir(d);
	*ret = v;
	return n;
}

/* "Seccomp:\tN" of /proc/PID/status: N, or -1 when it cannot be read */
static int seccomp_mode(long pid)
{
	_cleanup_free_ char *st = proc_file(pid, "status");
	const char *p = st ? strstr(st, "\nSeccomp:") : NULL;

	if (!p)
		return -1;
	p += strlen("\nSeccomp:");
	while (*p == ' ' || *p == '\t')
		p++;
	return *p >= '0' && *p <= '9' ? *p - '0' : -1;
}

/* does the label confine with profile (itself or a child, profile//x)? */
static int label_is(const char *label, const char *profile)
{
	size_t n = strlen(profile);

	return !strncmp(label, profile, n) && (!label[n] || !strncmp(label + n, "//", 2));
}

static void check_procs(const struct check_report *rc, const char *profile, struct check_report *r)
{
	_cleanup_free_ long *pids = NULL;
	size_t n = container_pids(rc->c.pid, &pids), i, confined = 0, filtered = 0;

	for (i = 0; i < n; i++) {
		char *label, *mode;
		int sc = seccomp_mode(pids[i]);

		if (kernel_proc_label(pids[i], &label, &mode) < 0) {
			if (i == 0)
				check_add(r, CHECK_APPARMOR, CHECK_FAIL, "cannot read the confinement of its "
				    "process %ld (root needed?)", pids[i]);
			continue;
		}
		if (profile && label_is(label, profile) && streq(mode, "enforce")) {
			confined++;
		} else {
			_cleanup_free_ char *l = check_shown(label);

			check_add(r, CHECK_APPARMOR, CHECK_FAIL, "process %ld runs as '%s' (%s)%s", pids[i], l,
			    mode, profile ? "" : "");
		}
		if (sc == 2)
			filtered++;
		else if (sc >= 0)
			check_add(r, CHECK_SECCOMP, CHECK_FAIL, "process %ld has no seccomp filter "
			    "(Seccomp: %d)", pids[i], sc);
		free(label);
		free(mode);
	}
	if (confined)
		check_add(r, CHECK_APPARMOR, CHECK_OK, "%zu of %zu processes confined by it", confined, n);
	if (filtered)
		check_add(r, CHECK_SECCOMP, CHECK_OK, "%zu of %zu processes have a seccomp filter",
		    filtered, n);
}

/* ------------------------------------------------------- the options -- */

/* a security option "key=value" (or Docker's older "key:value") */
static int secopt_is(const char *opt, const char *key, const char *value)
{
	size_t k = strlen(key);

	return !strncmp(opt, key, k) && (opt[k] == '=' || opt[k] == ':') && streq(opt + k + 1, value);
}

static void check_options(struct check_report *r)
{
	static const struct { const char *key, *value; enum check_class cls; } off[] = {
		{ "seccomp", "unconfined", CHECK_SECCOMP },
		{ "apparmor", "unconfined", CHECK_PRIVILEGE },
		{ "label", "disable", CHECK_PRIVILEGE },
		{ "systempaths", "unconfined", CHECK_PRIVILEGE },
	};
	struct strbuf extra = STRBUF_INIT;
	size_t i, j;

	if (r->c.privileged)
		check_add(r, CHECK_PRIVILEGE, CHECK_FAIL, "runs --privileged (every capability and device, "
		    "no AppArmor, no seccomp)");
	for (i = 0; i < r->c.nsecopt; i++)
		for (j = 0; j < ARRAY_SIZE(off); j++)
			if (secopt_is(r->c.secopt[i], off[j].key, off[j].value))
				check_add(r, off[j].cls, CHECK_FAIL, "--security-opt %s=%s switches a layer off",
				    off[j].key, off[j].value);
	for (i = 0; i < r->c.ncapadd; i++) {
		const char *cap = r->c.capadd[i];
		int dflt = 0;

		if (!strncasecmp(cap, "CAP_", 4))
			cap += 4;
		if (!strcasecmp(cap, "ALL")) {
			check_add(r, CHECK_PRIVILEGE, CHECK_FAIL, "--cap-add ALL grants every capability");
			continue;
		}
		for (j = 0; j < ARRAY_SIZE(default_caps); j++)
			dflt |= !strcasecmp(cap, default_caps[j]);
		if (!dflt) {
			_cleanup_free_ char *s = check_shown(cap);

			strbuf_addf(&extra, "%s%s", extra.len ? ", " : "", s);
		}
	}
	if (extra.len)
		check_add(r, CHECK_PRIVILEGE, CHECK_NOTE, "capabilities added beyond Docker's defaults: %s",
		    extra.buf);
	strbuf_release(&extra);
	if (!(r->failed & CHECK_PRIVILEGE))
		check_add(r, CHECK_PRIVILEGE, CHECK_OK, "not privileged, no security layer switched off");
}

/* ------------------------------------------------------- the profile -- */

static void check_profile(const struct check_opts *o, struct check_report *r, const char **ret_profile)
{
	const char *p = r->c.apparmor;
	_cleanup_free_ char *ps = check_shown(p);
	_cleanup_free_ char *mode = NULL;

	*ret_profile = NULL;
	if (!*p) {
		check_add(r, CHECK_APPARMOR, CHECK_FAIL, "Docker attached no AppArmor profile%s",
		    r->c.running ? " (AppArmor disabled for dockerd?)" : " (not started yet?)");
		return;
	}
	if (streq(p, "unconfined")) {
		check_add(r, CHECK_APPARMOR, CHECK_FAIL, "AppArmor profile 'unconfined': not confined");
		return;
	}
	*ret_profile = p;
	if (!o->fsdir) {
		check_add(r, CHECK_APPARMOR, CHECK_FAIL, "profile '%s': AppArmor is not available to ask "
		    "whether it is loaded", ps);
		return;
	}
	mode = kernel_profile_mode(o->fsdir, p);
	if (!mode)
		check_add(r, CHECK_APPARMOR, CHECK_FAIL, "profile '%s' is not loaded in the kernel", ps);
	else if (!streq(mode, "enforce"))
		check_add(r, CHECK_APPARMOR, CHECK_FAIL, "profile '%s' is loaded in %s mode, not enforce",
		    ps, mode);
	else
		check_add(r, CHECK_APPARMOR, CHECK_OK, "profile '%s' is loaded in enforce mode", ps);
}

void check_container(const struct check_opts *o, const char *ref, struct docker_container *c,
		     struct check_report *r)
{
	const char *profile;

	memset(r, 0, sizeof(*r));
	r->container = xstrdup(ref);
	r->c = *c;
	memset(c, 0, sizeof(*c));
	check_profile(o, r, &profile);
	check_options(r);
	if (r->c.running && r->c.pid > 0)
		check_procs(r, profile, r);
	else
		check_add(r, CHECK_APPARMOR, CHECK_NOTE, "not running: its processes were not checked");
	if (o->baseline && profile && !streq(profile, o->baseline))
		check_baseline(o, profile, r);
	else if (o->baseline && profile)
		check_add(r, CHECK_BASELINE, CHECK_OK, "the profile is the baseline, %s", o->baseline);
}

void check_report_release(struct check_report *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->v[i].text);
	free(r->v);
	free(r->container);
	docker_container_release(&r->c);
	memset(r, 0, sizeof(*r));
}

/* --------------------------------------------------------- the output -- */

static struct json_object *strings_json(char *const *v, size_t n)
{
	struct json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_string(v[i]));
	return a;
}

static struct json_object *report_json(const struct check_report *r)
{
	static const char *const level[] = { "ok", "note", "fail" };
	struct json_object *o = json_object_new_object(), *f = json_object_new_array();
	struct json_object *failed = json_object_new_array();
	unsigned b;
	size_t i;

	json_object_object_add(o, "container", json_object_new_string(r->container));
	json_object_object_add(o, "id", json_object_new_string(r->c.id ? r->c.id : ""));
	json_object_object_add(o, "name", json_object_new_string(r->c.name ? r->c.name : ""));
	json_object_object_add(o, "running", json_object_new_boolean(r->c.running));
	json_object_object_add(o, "apparmor_profile",
			       json_object_new_string(r->c.apparmor ? r->c.apparmor : ""));
	json_object_object_add(o, "security_opt", strings_json(r->c.secopt, r->c.nsecopt));
	json_object_object_add(o, "privileged", json_object_new_boolean(r->c.privileged));
	json_object_object_add(o, "cap_add", strings_json(r->c.capadd, r->c.ncapadd));
	json_object_object_add(o, "ok", json_object_new_boolean(!r->failed));
	for (b = 1; b <= CHECK_BASELINE; b <<= 1)
		if (r->failed & b)
			json_object_array_add(failed, json_object_new_string(check_class_name(b)));
	json_object_object_add(o, "failed", failed);
	for (i = 0; i < r->n; i++) {
		struct json_object *e = json_object_new_object();

		json_object_object_add(e, "class", json_object_new_string(check_class_name(r->v[i].cls)));
		json_object_object_add(e, "level", json_object_new_string(level[r->v[i].level]));
		json_object_object_add(e, "text", json_object_new_string(r->v[i].text));
		json_object_array_add(f, e);
	}
	json_object_object_add(o, "findings", f);
	return o;
}

void check_print(const struct check_report *v, size_t n, int json)
{
	static const char *const level[] = { "ok", "note", "FAIL" };
	size_t i, j;

	if (json) {
		struct json_object *a = json_object_new_array();
		struct strbuf s = STRBUF_INIT;

		for (i = 0; i < n; i++)
			json_object_array_add(a, report_json(&v[i]));
		jsonout_add(&s, a, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
		puts(s.buf);
		strbuf_release(&s);
		json_object_put(a);
		return;
	}
	for (i = 0; i < n; i++) {
		const struct check_report *r = &v[i];
		unsigned b;

		printf("%s", r->c.name && *r->c.name ? r->c.name : r->container);
		if (r->c.id)
			printf(" (%.12s)", r->c.id);
		if (!r->failed) {
			printf(": ok\n");
		} else {
			printf(": FAIL");
			for (b = 1; b <= CHECK_BASELINE; b <<= 1)
				if (r->failed & b)
					printf(" %s", check_class_name(b));
			printf("\n");
		}
		for (j = 0; j < r->n; j++)
			printf("  %-4s  %-9s  %s\n", level[r->v[j].level],
			       check_class_name(r->v[j].cls), r->v[j].text);
	}
}
