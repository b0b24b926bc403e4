/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "cli.h"
#include "cmds.h"
#include "lint-run.h"
#include "util.h"

#include <getopt.h>
#include <string.h>

static const char usage_text[] =
"usage: aaprof lint [--format text|json] [--kind KIND] FILE...\n"
"\n"
"Find the moves that switch a whole confinement layer off, with FILE:LINE:COL,\n"
"and say what to do instead: --privileged, --security-opt apparmor=unconfined,\n"
"seccomp=unconfined, label=disable, systempaths=unconfined, --cap-add ALL in\n"
"docker/podman run, create and exec command lines (shell scripts, Makefiles, CI\n"
"files, documentation); privileged, security_opt, cap_add in Compose files;\n"
"appArmorProfile and seccompProfile Unconfined, privileged, capabilities.add,\n"
"procMount: Unmasked and the deprecated AppArmor annotations in Kubernetes\n"
"manifests. Warnings: CAP_SYS_ADMIN, the host's pid, ipc or user namespace,\n"
"allowPrivilegeEscalation: true, the deprecated annotations. FILE '-' is\n"
"standard input.\n"
"\n"
"      --format F   text (default: FILE:LINE:COL: SEVERITY: ...) or json\n"
"      --kind K     read every FILE as K: shell, compose or kubernetes (default:\n"
"                   auto, by content: YAML with apiVersion and kind is\n"
"                   Kubernetes, YAML with services is Compose, else shell)\n"
"  -h, --help       show this help\n"
"\n"
"Exit status: 0 no findings, 9 findings (errors or warnings), 1 a file could\n"
"not be read or is malformed YAML (the other files are still reported),\n"
"2 usage.\n";

static int parse_kind(const char *s, enum lint_kind *ret)
{
	if (streq(s, "auto"))
		*ret = LINT_AUTO;
	else if (streq(s, "shell"))
		*ret = LINT_SHELL;
	else if (streq(s, "compose"))
		*ret = LINT_COMPOSE;
	else if (streq(s, "kubernetes") || streq(s, "k8s"))
		*ret = LINT_K8S;
	else
		return error("--kind '%s': expected auto, shell, compose or kubernetes", s);
	return 0;
}

int cmd_lint(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "kind", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum lint_kind kind = LINT_AUTO;
	int c, json = 0;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "h", longopts)) != -1) {
		switch (c) {
		case 'f':
			if (!streq(optarg, "text") && !streq(optarg, "json")) {
				error("--format '%s': expected text or json", optarg);
				return EXIT_USAGE;
			}
			json = streq(optarg, "json");
			break;
		case 'k':
			if (parse_kind(optarg, &kind) < 0)
				return EXIT_USAGE;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return EXIT_OK;
		default:
			fputs(usage_text, stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		error("missing the FILE to check");
		fputs(usage_text, stderr);
		return EXIT_USAGE;
	}
	return lint_run(argv + optind, argc - optind, kind, json);
}
