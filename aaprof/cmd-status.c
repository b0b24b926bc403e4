/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cmd-status.c - aaprof status: aaprof's profiles as the kernel sees them */
#include "cli.h"
#include "cmds.h"
#include "status.h"
#include "util.h"

#include <getopt.h>

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

int cmd_status(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "profile-dir", required_argument, NULL, 'I' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = "/etc/apparmor.d";
	int c, json = 0;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "h", longopts)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'I':
			if (cli_profile_dir(optarg) < 0)
				return EXIT_USAGE;
			dir = optarg;
			break;
		case 'h': fputs(usage_text, stdout); return EXIT_OK;
		default: fputs(usage_text, stderr); return EXIT_USAGE;
		}
	}
	return status_show(dir, (const char *const *)argv + optind, argc - optind, json);
}
