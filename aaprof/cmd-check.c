/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cmd-check.c - aaprof check: are containers confined as they should be? */
#include "check.h"
#include "cli.h"
#include "cmds.h"
#include "docker.h"
#include "kernel.h"
#include "util.h"

#include <getopt.h>

static const char usage_text[] =
"usage: aaprof check [--json] [--baseline TEMPLATE] [--socket PATH] [--profile-dir DIR]\n"
"                    (CONTAINER... | --all)\n"
"\n"
"Ask Docker (its Engine API on the unix socket, else 'docker inspect') about\n"
"each container (a name or id; --all: every running one) and the kernel about\n"
"its processes, and report:\n"
"  apparmor   Docker attached a named profile (not unconfined, not none), the\n"
"             kernel has it loaded in enforce mode, and the container's\n"
"             processes run confined by it (/proc/PID/attr/apparmor/current)\n"
"  seccomp    no seccomp=unconfined; every process has a filter (Seccomp: 2)\n"
"  privilege  not --privileged; no apparmor=unconfined, label=disable or\n"
"             systempaths=unconfined; no --cap-add ALL (capabilities added\n"
"             beyond Docker's defaults are listed)\n"
"  baseline   (--baseline) the profile's file still holds every deny rule of\n"
"             the template (docker-default) rendered under its name, and has\n"
"             no other kind of rule the template lacks\n"
"\n"
"      --all              every running container\n"
"      --json             one JSON object per container, in an array\n"
"      --baseline TEMPLATE  compare each profile with TEMPLATE (docker-default)\n"
"      --socket PATH      Docker's socket (default " DOCKER_SOCKET ")\n"
"      --profile-dir DIR  where profiles are installed (default /etc/apparmor.d)\n"
"  -h, --help             show this help\n"
"\n"
"Exit status: 0 every container passed, 1 error (Docker unreachable, no such\n"
"container), 2 usage; otherwise 16 plus the failed classes: +1 apparmor,\n"
"+2 seccomp, +4 privilege, +8 baseline (17-31).\n";

static int run(const struct check_opts *o, struct docker_conn *dc, char **refs, size_t n, int json)
{
	struct check_report *v = xcalloc(n ? n : 1, sizeof(*v));
	unsigned failed = 0;
	size_t i, done = 0;
	int rc = EXIT_OK;

	for (i = 0; i < n; i++) {
		struct docker_container c;
		int r = docker_inspect(dc, refs[i], &c);

		if (r == 1)
			error("no such container: '%s'", refs[i]);
		if (r != 0) {
			rc = EXIT_ERROR;
			continue;
		}
		check_container(o, refs[i], &c, &v[done]);
		failed |= v[done].failed;
		done++;
	}
	check_print(v, done, json);
	for (i = 0; i < done; i++)
		check_report_release(&v[i]);
	free(v);
	if (rc != EXIT_OK)
		return rc;
	return failed ? CHECK_EXIT_BASE + (int)failed : EXIT_OK;
}

int cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "baseline", required_argument, NULL, 'b' },
		{ "socket", required_argument, NULL, 's' },
		{ "profile-dir", required_argument, NULL, 'I' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct check_opts o = { .profile_dir = "/etc/apparmor.d" };
	struct docker_conn dc = { 0 };
	_cleanup_free_ char *fsdir = NULL;
	char **refs = NULL;
	size_t n = 0, i;
	int c, json = 0, all = 0, rc;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "h", longopts)) != -1) {
		switch (c) {
		case 'a': all = 1; break;
		case 'j': json = 1; break;
		case 'b': o.baseline = optarg; break;
		case 's': dc.socket = optarg; break;
		case 'I':
			if (cli_profile_dir(optarg) < 0)
				return EXIT_USAGE;
			o.profile_dir = optarg;
			break;
		case 'h': fputs(usage_text, stdout); return EXIT_OK;
		default: fputs(usage_text, stderr); return EXIT_USAGE;
		}
	}
	if (all == (optind < argc)) {
		error(all ? "--all and container names exclude each other" :
		      "name the containers to check, or --all");
		fputs(usage_text, stderr);
		return EXIT_USAGE;
	}
	for (i = optind; i < (size_t)argc; i++)
		if (!docker_valid_ref(argv[i])) {
			error("'%s': not a container name or id", argv[i]);
			return EXIT_USAGE;
		}
	if (docker_connect(&dc) < 0)
		return EXIT_ERROR;
	/* AppArmor missing is a finding of every container, not an error */
	if (kernel_apparmorfs(&fsdir) == EXIT_OK)
		o.fsdir = fsdir;
	if (all) {
		if (docker_running(&dc, &refs, &n) < 0)
			return EXIT_ERROR;
		rc = run(&o, &dc, refs, n, json);
		for (i = 0; i < n; i++)
			free(refs[i]);
		free(refs);
		return rc;
	}
	return run(&o, &dc, argv + optind, argc - optind, json);
}
