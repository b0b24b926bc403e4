/* SPDX-License-Identifier: GPL-2.0-or-later */
/* status.c - aaprof's profiles as the kernel sees them. See status.h. */
#include "status.h"
#include "jsonout.h"
#include "load.h"
#include "profile.h"
#include "sanitise.h"
#include "target.h"
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

/* a row: a profile and its file (NULL: none) */
struct prow {
	char *name, *file;
};

static void add_row(struct prow **v, size_t *n, size_t *alloc, const char *name, const char *file)
{
	ALLOC_GROW(*v, *n + 1, *alloc);
	(*v)[*n].name = xstrdup(name);
	(*v)[*n].file = file ? xstrdup(file) : NULL;
	(*n)++;
}

/* the profiles of each file in dir that aaprof manages, sorted by file */
static void managed_rows(const char *dir, struct prow **v, size_t *n, size_t *alloc)
{
	struct dirent **ents;
	int k, m = scandir(dir, &ents, NULL, alphasort);

	for (k = 0; k < m; k++) {
		const char *base = ents[k]->d_name;
		_cleanup_free_ char *p = xasprintf("%s/%s", dir, base);

		if (ents[k]->d_type != DT_DIR && !target_skipped_name(base) && is_managed(p)) {
			char **names = target_file_profiles(dir, base);
			size_t i;

			for (i = 0; names && names[i]; i++)
				add_row(v, n, alloc, names[i], p);
			if (!names)   /* said why; still a row of its own */
				add_row(v, n, alloc, base, p);
			target_names_free(names);
		}
		free(ents[k]);
	}
	if (m >= 0)
		free(ents);
	target_cache_flush();
}

/* the rows of the NAMEs: each profile of the file each means; 0 or an exit code */
static int named_rows(const char *dir, const char *const *names, size_t nn, struct prow **v,
		      size_t *n, size_t *alloc)
{
	size_t i, j;

	for (i = 0; i < nn; i++) {
		struct target t;
		int rc = target_resolve(dir, names[i], TARGET_MISSING_OK, &t);

		if (rc)
			return rc;
		for (j = 0; t.profiles[j]; j++)
			add_row(v, n, alloc, t.profiles[j], t.file);
		target_release(&t);
	}
	return 0;
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

/* each row, as a table or into arr */
static void show_each(const struct prow *rows, size_t n, const struct kprofile *kp, size_t nk,
		      struct json_object *arr)
{
	struct strbuf procs = STRBUF_INIT;
	size_t i, j;

	for (i = 0; i < n; i++) {
		_cleanup_free_ char *text = NULL;
		struct pstatus ps = { .name = rows[i].name, .path = rows[i].file };

		for (j = 0; j < nk; j++)
			if (streq(kp[j].name, rows[i].name))
				ps.kmode = kp[j].mode;
		if (ps.path && access(ps.path, R_OK) == 0 &&
		    read_file(ps.path, 16u << 20, &text, NULL) == 0)
			ps.fmode = profile_mode_of(text, rows[i].name);
		ps.has_file = text != NULL;
		if (kernel_procs(rows[i].name, &ps.pr, &ps.np) < 0)
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
	char *fsdir = NULL;
	struct prow *rows = NULL;
	size_t nrows = 0, alloc = 0, i, nk = 0;
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
	if (n)
		rc = named_rows(dir, names, n, &rows, &nrows, &alloc);
	else
		managed_rows(dir, &rows, &nrows, &alloc);
	if (rc)
		goto out;
	if (json)
		arr = json_object_new_array();
	else
		printf("%-24s %-10s %-10s %-8s %s\n", "PROFILE", "KERNEL", "FILE", "PROCS", "PATH");
	show_each(rows, nrows, kp, nk, arr);
	if (json) {
		struct strbuf s = STRBUF_INIT;

		jsonout_add(&s, arr, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
		puts(s.buf);
		strbuf_release(&s);
		json_object_put(arr);
	}
out:
	for (i = 0; i < nrows; i++) {
		free(rows[i].name);
		free(rows[i].file);
	}
	free(rows);
	kprofiles_free(kp, nk);
	free(fsdir);
	return rc;
}
