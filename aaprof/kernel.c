/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kernel.c - AppArmor in the kernel: the apparmor filesystem, the loaded
 * profiles and their modes, the processes a profile confines.
 */
#include "kernel.h"
#include "testhooks.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/apparmor.h>
#include <unistd.h>

int kernel_apparmorfs(char **ret_dir)
{
	const char *env = test_getenv("AAPROF_APPARMORFS");
	char *mnt = NULL;

	if (env) {
		*ret_dir = xstrdup(env);
		return 0;
	}
	if (!aa_is_enabled()) {
		switch (errno) {
		case ENOSYS:
			error("AppArmor is not available in this kernel");
			break;
		case ECANCELED:
			error("AppArmor is built into the kernel but disabled (boot with apparmor=1 "
			      "security=apparmor)");
			break;
		case ENOENT:
			error("the securityfs filesystem is not mounted (mount -t securityfs "
			      "securityfs /sys/kernel/security)");
			break;
		case EPERM:
		case EACCES:
			error("no permission to read the AppArmor state: run as root");
			return EXIT_PERM;
		default:
			error_errno("cannot tell whether AppArmor is enabled");
		}
		return EXIT_NOAPPARMOR;
	}
	if (aa_find_mountpoint(&mnt) < 0) {
		error_errno("cannot find the AppArmor filesystem (is securityfs mounted?)");
		return EXIT_NOAPPARMOR;
	}
	*ret_dir = mnt;
	return 0;
}

const char *kernel_mode_name(const char *mode)
{
	static const char *const known[] = {
		"enforce", "complain", "kill", "unconfined", "prompt", "mixed",
	};
	size_t i;

	if (streq(mode, "user"))   /* APPARMOR_USER: the prompt mode */
		return "prompt";
	for (i = 0; i < ARRAY_SIZE(known); i++)
		if (streq(mode, known[i]))
			return known[i];
	return "unknown";
}

int kernel_profiles(const char *fsdir, struct kprofile **ret, size_t *ret_n)
{
	_cleanup_free_ char *path = xasprintf("%s/profiles", fsdir);
	_cleanup_free_ char *text = NULL;
	struct kprofile *v = NULL;
	size_t n = 0, alloc = 0;
	char *line, *save = NULL;

	if (read_file(path, 64u << 20, &text, NULL) < 0)
		return -1;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *paren = strrchr(line, '(');

		if (!paren || paren == line || paren[-1] != ' ' || line[strlen(line) - 1] != ')')
			continue;
		ALLOC_GROW(v, n + 1, alloc);
		v[n].name = xstrndup(line, paren - 1 - line);
		line[strlen(line) - 1] = '\0';
		v[n].mode = xstrdup(kernel_mode_name(paren + 1));
		n++;
	}
	*ret = v;
	*ret_n = n;
	return 0;
}

void kprofiles_free(struct kprofile *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].mode);
	}
	free(v);
}

char *kernel_profile_mode(const char *fsdir, const char *name)
{
	struct kprofile *v;
	size_t n, i;
	char *mode = NULL;

	if (kernel_profiles(fsdir, &v, &n) < 0)
		return NULL;
	for (i = 0; i < n; i++)
		if (streq(v[i].name, name))
			mode = xstrdup(v[i].mode);
	kprofiles_free(v, n);
	return mode;
}

/*
 * Does the label (a profile, or a stack "a//&b") confine with name, or
 * one of its children or hats (name//child)? A member in another policy
 * namespace (":ns:name") is another profile.
 */
static int label_has(const char *label, const char *name)
{
	size_t nlen = strlen(name);
	const char *p = label;

	for (;;) {
		const char *end = strstr(p, "//&");
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len >= nlen && !strncmp(p, name, nlen) &&
		    (len == nlen || (len > nlen + 1 && !strncmp(p + nlen, "//", 2))))
			return 1;
		if (!end)
			return 0;
		p = end + 3;
	}
}

/* the AppArmor context of pid under the proc directory: "label (mode)" */
static char *task_context(const char *proc, const char *pid)
{
	_cleanup_free_ char *lsm = xasprintf("%s/%s/attr/apparmor/current", proc, pid);
	_cleanup_free_ char *old = xasprintf("%s/%s/attr/current", proc, pid);
	char *text = NULL;
	int q = quiet_errors, r;

	quiet_errors = 1;   /* processes come and go; not ours to read: skipped */
	/* attr/current is the first LSM's: only when there is no apparmor/ */
	r = read_file(access(lsm, F_OK) == 0 ? lsm : old, 64u << 10, &text, NULL);
	quiet_errors = q;
	return r < 0 ? NULL : text;
}

/* "label (mode)" (a label may hold " ("; the mode is the last): cut at the
   mode, which is returned (NULL: none) */
static char *split_context(char *text)
{
	size_t len = strlen(text);
	char *paren;

	if (len && text[len - 1] == '\n')
		text[--len] = '\0';
	paren = strrchr(text, '(');
	if (paren && paren > text + 1 && paren[-1] == ' ' && len && text[len - 1] == ')') {
		text[len - 1] = '\0';
		paren[-1] = '\0';
		return paren + 1;
	}
	return NULL;
}

int kernel_proc_label(long pid, char **ret_label, char **ret_mode)
{
	const char *proc = test_getenv("AAPROF_PROCFS") ? test_getenv("AAPROF_PROCFS") : "/proc";
	_cleanup_free_ char *spid = xasprintf("%ld", pid);
	char *text = task_context(proc, spid), *paren;

	if (!text)
		return -1;
	paren = split_context(text);
	*ret_mode = xstrdup(paren ? kernel_mode_name(paren) :
			    streq(text, "unconfined") ? "unconfined" : "unknown");
	*ret_label = text;
	return 0;
}

int kernel_procs(const char *name, struct kproc **ret, size_t *ret_n)
{
	const char *proc = test_getenv("AAPROF_PROCFS") ? test_getenv("AAPROF_PROCFS") : "/proc";
	DIR *d = opendir(proc);
	struct dirent *de;
	struct kproc *v = NULL;
	size_t n = 0, alloc = 0;

	if (!d)
		return error_errno("cannot read '%s'", proc);
	while ((de = readdir(d)) && n < KPROCS_MAX) {
		char *end, *text, *paren;
		long pid = strtol(de->d_name, &end, 10);

		if (*end || pid <= 0 || !(text = task_context(proc, de->d_name)))
			continue;
		paren = split_context(text);
		if (label_has(text, name)) {
			ALLOC_GROW(v, n + 1, alloc);
			v[n].pid = pid;
			v[n].label = xstrdup(text);
			v[n].mode = xstrdup(paren ? kernel_mode_name(paren) :
					    streq(text, "unconfined") ? "unconfined" : "unknown");
			n++;
		}
		free(text);
	}
	closedir(d);
	*ret = v;
	*ret_n = n;
	return 0;
}

void kprocs_free(struct kproc *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].label);
		free(v[i].mode);
	}
	free(v);
}
