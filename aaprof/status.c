/* SPDX-License-Identifier: GPL-2.0-or-later */
/* status.c - aaprof's profiles as the kernel sees them. See status.h. */
#include "status.h"
#include "load.h"
#include "profile.h"
#include "sanitise.h"
#include "testhooks.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <json-c/json.h>
#include <string.h>
#include <unistd.h>

/* one profile: what the kernel and its file say */
struct pstatus {
	const char *name, *path;
	const char *kmode, *fmode;   /* NULL: not loaded; no file or no mode */
	int has_file;
	struct kproc *pr;
	size_t np;
};

static int is_managed(const char *path)
{
	_cleanup_free_ char *text = NULL;

	if (read_file(path, 16u << 20, &text, NULL) < 0)
		return 0;
	return strstr(text, "rendered by aaprof") || strstr(text, AAPROF_SECTION_BEGIN);
}

/* the profiles in dir that aaprof manages, sorted */
static char **managed_names(const char *dir, size_t *ret_n)
{
	struct dirent **ents;
	char **names = NULL;
	size_t n = 0, alloc = 0;
	int k, m = scandir(dir, &ents, NULL, alphasort);

	for (k = 0; k < m; k++) {
		_cleanup_free_ char *p = xasprintf("%s/%s", dir, ents[k]->d_name);

		if (ents[k]->d_type != DT_DIR && ents[k]->d_name[0] != '.' && is_managed(p)) {
			ALLOC_GROW(names, n + 1, alloc);
			names[n++] = xstrdup(ents[k]->d_name);
		}
		free(ents[k]);
	}
	if (m >= 0)
		free(ents);
	*ret_n = n;
	return names;
}

static struct json_object *json_status(const struct pstatus *ps)
{
	struct json_object *o = json_object_new_object(), *pa = json_object_new_array();
	struct json_object *procs = json_object_new_array();
	size_t j;

	json_object_object_add(o, "profile", json_object_new_string(ps->name));
	json_object_object_add(o, "loaded", json_object_new_boolean(ps->kmode != NULL));
	json_object_object_add(o, "mode", ps->kmode ? json_object_new_string(ps->kmode) : NULL);
	json_object_object_add(o, "file", ps->has_file ? json_object_new_string(ps->path) : NULL);
	json_object_object_add(o, "file_mode", ps->fmode ? json_object_new_string(ps->fmode) : NULL);
	for (j = 0; j < ps->np; j++) {
		struct json_object *p = json_object_new_object();

		json_object_array_add(pa, json_object_new_int64(ps->pr[j].pid));
		json_object_object_add(p, "pid", json_object_new_int64(ps->pr[j].pid));
		json_object_object_add(p, "label", json_object_new_string(ps->pr[j].label));
		json_object_object_add(p, "mode", json_object_new_string(ps->pr[j].mode));
		json_object_array_add(procs, p);
	}
	json_object_object_add(o, "pids", pa);
	json_object_object_add(o, "processes", procs);
	return o;
}

/* a line of the table; its processes into procs, listed after the table */
static void print_status(const struct pstatus *ps, struct strbuf *procs)
{
	size_t j;

	printf("%-24s %-10s %-10s %-8zu %s\n", ps->name, ps->kmode ? ps->kmode : "not-loaded",
	       ps->fmode ? ps->fmode : "-", ps->np, ps->has_file ? ps->path : "-");
	for (j = 0; j < ps->np; j++) {
		strbuf_addf(procs, "%-8ld %-10s ", ps->pr[j].pid, ps->pr[j].mode);
		strbuf_add_printable(procs, ps->pr[j].label, strlen(ps->pr[j].label), NULL);
		strbuf_addch(procs, '\n');
	}
}

/* each profile of names, as a table or into arr */
static void show_each(const char *dir, char **names, size_t n, const struct kprofile *kp,
		      size_t nk, struct json_object *arr)
{
	struct strbuf procs = STRBUF_INIT;
	size_t i, j;

	for (i = 0; i < n; i++) {
		_cleanup_free_ char *path = xasprintf("%s/%s", dir, names[i]);
		_cleanup_free_ char *text = NULL;
		struct pstatus ps = { .name = names[i], .path = path };

		for (j = 0; j < nk; j++)
			if (streq(kp[j].name, names[i]))
				ps.kmode = kp[j].mode;
		if (access(path, R_OK) == 0 && read_file(path, 16u << 20, &text, NULL) == 0)
			ps.fmode = profile_mode_of(text, names[i]);
		ps.has_file = text != NULL;
		if (kernel_procs(names[i], &ps.pr, &ps.np) < 0)
			ps.np = 0;
		if (arr)
			json_object_array_add(arr, json_status(&ps));
		else
			print_status(&ps, &procs);
		kprocs_free(ps.pr, ps.np);
	}
	if (procs.len)
		printf("\n%-8s %-10s %s\n%s", "PID", "MODE", "CONFINED BY", procs.buf);
	strbuf_release(&procs);
}

int status_show(const char *dir, const char *const *names, size_t n, int json)
{
	char **list = NULL, *fsdir = NULL;
	size_t nlist = 0, i, nk = 0;
	struct kprofile *kp = NULL;
	struct json_object *arr = NULL;
	int rc;

	rc = kernel_apparmorfs(&fsdir);
	if (rc)
		return rc;
	/* the kernel's profile list is root's to read, like aa-status */
	if (geteuid() != 0 && !test_getenv("AAPROF_APPARMORFS")) {
		error("status needs root (the kernel's list of profiles is readable by root only)");
		free(fsdir);
		return EXIT_PERM;
	}
	if (kernel_profiles(fsdir, &kp, &nk) < 0) {
		int denied = errno == EACCES || errno == EPERM;

		free(fsdir);
		return denied ? EXIT_PERM : EXIT_ERROR;
	}
	if (n) {
		list = xcalloc(n, sizeof(char *));
		for (i = 0; i < n; i++)
			list[nlist++] = xstrdup(names[i]);
	} else {
		list = managed_names(dir, &nlist);
	}
	if (json)
		arr = json_object_new_array();
	else
		printf("%-24s %-10s %-10s %-8s %s\n", "PROFILE", "KERNEL", "FILE", "PROCS", "PATH");
	show_each(dir, list, nlist, kp, nk, arr);
	if (json) {
		printf("%s\n", json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PRETTY |
							      JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(arr);
	}
	for (i = 0; i < nlist; i++)
		free(list[i]);
	free(list);
	kprofiles_free(kp, nk);
	free(fsdir);
	return EXIT_OK;
}
