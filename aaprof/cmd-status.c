/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cmd-status.c - aaprof status: aaprof's profiles as the kernel sees them */
#include "cli.h"
#include "cmds.h"
#include "load.h"
#include "profile.h"
#include "sanitise.h"
#include "testhooks.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <json-c/json.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
"usage: aaprof status [--json] [--profile-dir DIR] [NAME...]\n"
"\n"
"For each profile aaprof manages (files in the profile directory rendered by\n"
"aaprof) and each NAME: whether the kernel has it loaded, its mode as the\n"
"kernel reports it, the mode its file asks for, the file, and the processes it\n"
"confines (alone or in a stack), each with its mode. Modes: enforce, complain,\n"
"kill, unconfined, prompt (the kernel's 'user'), and for a process confined by\n"
"a stack of profiles in different modes, mixed. Only enforce enforces.\n"
"\n"
"      --json             one JSON object per profile, in an array\n"
"      --profile-dir DIR  where profiles are installed (default /etc/apparmor.d)\n"
"  -h, --help             show this help\n"
"\n"
"Exit status: 0 ok, 1 error, 2 usage, 5 AppArmor not available, 6 not root.\n";

static int is_managed(const char *path)
{
	_cleanup_free_ char *text = NULL;

	if (read_file(path, 16u << 20, &text, NULL) < 0)
		return 0;
	return strstr(text, "rendered by aaprof") || strstr(text, AAPROF_SECTION_BEGIN);
}

int cmd_status(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "profile-dir", required_argument, NULL, 'I' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = "/etc/apparmor.d";
	char **names = NULL, *fsdir = NULL;
	size_t n = 0, alloc = 0, i, nk = 0;
	struct kprofile *kp = NULL;
	struct json_object *arr = NULL;
	struct strbuf procs = STRBUF_INIT;
	int c, json = 0, rc;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "h", longopts)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'I':
			if (cli_check_dir("--profile-dir", optarg) < 0)
				return EXIT_USAGE;
			dir = optarg;
			break;
		case 'h': fputs(usage_text, stdout); return EXIT_OK;
		default: fputs(usage_text, stderr); return EXIT_USAGE;
		}
	}
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
	for (i = optind; i < (size_t)argc; i++) {
		ALLOC_GROW(names, n + 1, alloc);
		names[n++] = xstrdup(argv[i]);
	}
	if (optind == argc) {
		struct dirent **ents;
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
	}
	if (json)
		arr = json_object_new_array();
	else
		printf("%-24s %-10s %-10s %-8s %s\n", "PROFILE", "KERNEL", "FILE", "PROCS", "PATH");
	for (i = 0; i < n; i++) {
		_cleanup_free_ char *path = xasprintf("%s/%s", dir, names[i]);
		_cleanup_free_ char *text = NULL;
		const char *kmode = NULL, *fmode = NULL;
		struct kproc *pr = NULL;
		size_t np = 0, j;

		for (j = 0; j < nk; j++)
			if (streq(kp[j].name, names[i]))
				kmode = kp[j].mode;
		if (access(path, R_OK) == 0 && read_file(path, 16u << 20, &text, NULL) == 0)
			fmode = profile_mode_of(text, names[i]);
		if (kernel_procs(names[i], &pr, &np) < 0)
			np = 0;
		if (json) {
			struct json_object *o = json_object_new_object(), *pa = json_object_new_array();

			json_object_object_add(o, "profile", json_object_new_string(names[i]));
			json_object_object_add(o, "loaded", json_object_new_boolean(kmode != NULL));
			json_object_object_add(o, "mode", kmode ? json_object_new_string(kmode) : NULL);
			json_object_object_add(o, "file", text ? json_object_new_string(path) : NULL);
			json_object_object_add(o, "file_mode", fmode ? json_object_new_string(fmode) : NULL);
			struct json_object *ps = json_object_new_array();

			for (j = 0; j < np; j++) {
				struct json_object *p = json_object_new_object();

				json_object_array_add(pa, json_object_new_int64(pr[j].pid));
				json_object_object_add(p, "pid", json_object_new_int64(pr[j].pid));
				json_object_object_add(p, "label", json_object_new_string(pr[j].label));
				json_object_object_add(p, "mode", json_object_new_string(pr[j].mode));
				json_object_array_add(ps, p);
			}
			json_object_object_add(o, "pids", pa);
			json_object_object_add(o, "processes", ps);
			json_object_array_add(arr, o);
		} else {
			printf("%-24s %-10s %-10s %-8zu %s\n", names[i], kmode ? kmode : "not-loaded",
			       fmode ? fmode : "-", np, text ? path : "-");
			for (j = 0; j < np; j++) {
				strbuf_addf(&procs, "%-8ld %-10s ", pr[j].pid, pr[j].mode);
				strbuf_add_printable(&procs, pr[j].label, strlen(pr[j].label), NULL);
				strbuf_addch(&procs, '\n');
			}
		}
		kprocs_free(pr, np);
	}
	if (procs.len)
		printf("\n%-8s %-10s %s\n%s", "PID", "MODE", "CONFINED BY", procs.buf);
	if (json) {
		printf("%s\n", json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PRETTY |
							      JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(arr);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	kprofiles_free(kp, nk);
	free(fsdir);
	strbuf_release(&procs);
	return EXIT_OK;
}
