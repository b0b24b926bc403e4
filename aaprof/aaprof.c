/* SPDX-License-Identifier: GPL-2.0-or-later */
/* aaprof.c - main(): the command table, nothing else */
#include "cmds.h"
#include "util.h"
#include "version.h"

#include <string.h>

static const struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "render", cmd_render, "render a profile from a template (docker-default-derived)" },
	{ "harvest", cmd_harvest, "turn audit records into the rules a profile needs" },
	{ "merge", cmd_merge, "merge many hosts' harvests (JSON), keeping rules seen on K hosts" },
	{ "load", cmd_load, "install a profile and load it (--complain, --enforce, --rollback)" },
	{ "complain", cmd_complain, "switch an installed profile to complain mode" },
	{ "enforce", cmd_enforce, "switch to enforce mode (--quiet-for: only if nothing is missing)" },
	{ "unload", cmd_unload, "remove a profile from the kernel" },
	{ "status", cmd_status, "aaprof's profiles as the kernel sees them" },
	{ "check", cmd_check, "are containers confined as they should be (AppArmor, seccomp)" },
	{ "seccomp", cmd_seccomp, "Docker's seccomp profile: render (--trial), harvest the syscalls needed" },
	{ "lint", cmd_lint, "find --privileged, unconfined and the like in scripts, Compose, Kubernetes" },
	{ "package", cmd_package, "build a Debian package of a profile for a fleet's apt repository" },
	{ "help", cmd_help, "show help for aaprof or one command" },
	{ "version", cmd_version, "show the version" },
};

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (streq(commands[i].name, name))
			return &commands[i];
	return NULL;
}

void print_main_usage(FILE *f)
{
	size_t i;

	fputs("usage: aaprof [--help] [--version] COMMAND [ARGS]\n\n"
	      "Develop AppArmor profiles for containers in complain mode, then enforce.\n\n"
	      "Commands:\n", f);
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fputs("\nRun 'aaprof help COMMAND' or 'aaprof COMMAND --help' for its options.\n\n"
	      "Exit status: 0 success, 1 error, 2 usage error, 3 apparmor_parser rejected\n"
	      "a profile, 4 rules held back (dangerous, or apparmor_parser cannot compile\n"
	      "them; the rest was written), 5 AppArmor not available, 6 not permitted\n"
	      "(root needed or unsafe file ownership), 7 enforce gate refused,\n"
	      "8 apparmor_parser not installed, 9 lint found wrong moves or merge held\n"
	      "rules below the quorum.\n", f);
}

int show_command_help(const char *name)
{
	const struct command *cmd = find_command(name);
	char *argv[] = { (char *)name, (char *)"--help", NULL };

	if (!cmd) {
		error("'%s' is not an aaprof command; see 'aaprof --help'", name);
		return EXIT_USAGE;
	}
	return cmd->fn(2, argv);
}

int cmd_help(int argc, char **argv)
{
	if (argc > 1 && !streq(argv[1], "--help") && !streq(argv[1], "-h"))
		return show_command_help(argv[1]);
	print_main_usage(stdout);
	return EXIT_OK;
}

int cmd_version(int argc UNUSED, char **argv UNUSED)
{
	printf("aaprof %s\n", AAPROF_VERSION);
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	const struct command *cmd;
	static char prog[64];
	int rc;

	if (argc < 2) {
		print_main_usage(stderr);
		return EXIT_USAGE;
	}
	if (streq(argv[1], "--help") || streq(argv[1], "-h"))
		return cmd_help(1, argv);
	if (streq(argv[1], "--version") || streq(argv[1], "-V"))
		return cmd_version(1, argv);
	cmd = find_command(argv[1]);
	if (!cmd) {
		error("'%s' is not an aaprof command; see 'aaprof --help'", argv[1]);
		return EXIT_USAGE;
	}
	snprintf(prog, sizeof(prog), "aaprof %s", cmd->name);
	progname = prog;
	rc = cmd->fn(argc - 1, argv + 1);
	/* a template or rule file with unsafe ownership: its own exit status */
	return rc == EXIT_ERROR && untrusted_refused ? EXIT_PERM : rc;
}
