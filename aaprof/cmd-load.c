/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd-load.c - aaprof load, complain, enforce, unload: put profiles into
 * the kernel and move them from complain to enforce.
 */
#include "backup.h"
#include "cli.h"
#include "cmds.h"
#include "deploy.h"
#include "target.h"
#include "testhooks.h"
#include "util.h"

#include <getopt.h>
#include <string.h>
#include <time.h>

static const char load_usage[] =
"usage: aaprof load [--complain [--force-complain] | --enforce] [options] NAME|FILE\n"
"       aaprof load --rollback[=N] [options] NAME\n"
"       aaprof load --rollback --list [options] NAME\n"
"\n"
"Install a profile into the profile directory (atomically, keeping the previous\n"
"version) and load it with apparmor_parser -r. NAME is a profile (web,\n"
"/usr/sbin/chronyd) or a file of the profile directory (usr.bin.man, or its\n"
"path): the file that defines it is loaded, or the learning template rendered\n"
"when none does; FILE (a path elsewhere) is installed over the file of its\n"
"profile, or as the file apparmor-utils names after it (usr.sbin.chronyd).\n"
"Every profile the file defines (hats and children too) is loaded, set to the\n"
"mode asked for, and its mode checked in the kernel. If apparmor_parser rejects\n"
"it, the previous file is put back and the previous policy stays loaded.\n"
"When FILE or the template replaces an installed file whose harvested section\n"
"holds rules the new text lacks, the section is carried over into it (or, when\n"
"the new text has a harvested section of its own, the load is refused).\n"
"A load removes the file's disable/ link (aa-disable's mark) in the profile\n"
"directory; --enforce also its force-complain/ link (aa-complain's mark).\n"
"\n"
"      --complain         load in complain mode (sets flags=(complain))\n"
"      --force-complain   (with --complain) also create the force-complain/ link, as\n"
"                         aa-complain does: apparmor_parser then loads NAME in\n"
"                         complain mode whatever its flags say, until 'aaprof enforce'\n"
"      --enforce          load in enforce mode\n"
"      --replace          drop the harvested rules of the installed file that FILE or\n"
"                         the template lacks, instead of carrying them over\n"
"      --rollback[=N]     put back version N (default 1, the newest) of the previous\n"
"                         versions of NAME and load it (roll back to a previous or the\n"
"                         docker-default profile, never to unconfined); the last\n"
"                         $AAPROF_BACKUPS (default 5) versions are kept\n"
"      --list             (with --rollback) list the versions kept, change nothing\n"
"      --profile-dir DIR  where profiles are installed (default /etc/apparmor.d)\n"
"  -t, --template T       the template to render when NAME has no profile yet\n"
"  -n, --dry-run          compile with -QK, show the diff and the parser command,\n"
"                         change nothing\n"
"  -q, --quiet            say nothing on success\n"
"  -h, --help             show this help\n"
"\n"
"Exit status: 0 ok, 1 error, 2 usage, 3 apparmor_parser rejected the profile,\n"
"5 AppArmor not available, 6 not root, 8 apparmor_parser not installed.\n";

static const char mode_usage[] =
"usage: aaprof complain [--force-complain] [options] NAME\n"
"       aaprof enforce [--quiet-for DURATION [SOURCES]] [options] NAME\n"
"\n"
"Switch every profile of the file NAME means (a profile such as /usr/bin/man or\n"
"man_groff, a file of the profile directory such as usr.bin.man, or its path) to\n"
"complain or enforce mode in that file, hats and children too, and reload it;\n"
"the kernel's mode of each is checked afterwards. Both remove the file's\n"
"disable/ link (aa-disable's mark) in the profile directory; enforce also its\n"
"force-complain/ link (aa-complain's mark), which would keep it in complain mode.\n"
"\n"
"      --force-complain   (complain) also create the force-complain/ link, as\n"
"                         aa-complain does: apparmor_parser then loads NAME in\n"
"                         complain mode whatever its flags say, until 'aaprof enforce'\n"
"      --quiet-for DUR    (enforce) the gate: enforce only if the logs of the last DUR\n"
"                         (30m, 24h, 7d) show NAME ran (a record of it), all of it\n"
"                         in complain mode (loaded before the window began), and\n"
"                         logged no ALLOWED record its rules do not cover; else\n"
"                         say why, with the sources read (exit 7)\n"
"      --no-evidence-ok   (with --quiet-for) enforce even when the window holds no\n"
"                         record of NAME (the other checks still apply)\n"
"      --sources          (with --quiet-for) list the sources read and their counts\n"
"  -f, --file FILE        (with --quiet-for) read FILE instead of the default logs\n"
"      --journal          (with --quiet-for) read the journal\n"
"      --dmesg            (with --quiet-for) read the kernel ring buffer\n"
"      --profile-dir DIR  where profiles are installed (default /etc/apparmor.d)\n"
"  -n, --dry-run          show the diff and the parser command, change nothing\n"
"  -q, --quiet            say nothing on success\n"
"  -h, --help             show this help\n"
"\n"
"Exit status: 0 ok, 1 error, 2 usage, 3 apparmor_parser rejected the profile,\n"
"5 AppArmor not available, 6 not root, 7 the gate refused, 8 no apparmor_parser.\n";

static const char unload_usage[] =
"usage: aaprof unload [--purge] [options] NAME\n"
"\n"
"Remove every profile of the file NAME means (a profile, a file of the profile\n"
"directory, or its path) from the kernel (apparmor_parser -R FILE) and create\n"
"the file's disable/ link in the profile directory, as aa-disable does, so that\n"
"apparmor_parser does not load it again at boot or on 'systemctl reload\n"
"apparmor' (the next aaprof load, complain or enforce removes the link). The\n"
"file stays unless --purge is given (a copy is kept in /var/lib/aaprof/backup;\n"
"its disable/ and force-complain/ links go with it).\n"
"Processes it confined become unconfined: prefer 'aaprof load --rollback' or the\n"
"docker-default profile when a workload must stay confined.\n"
"\n"
"      --purge            remove the profile file too\n"
"      --profile-dir DIR  where profiles are installed (default /etc/apparmor.d)\n"
"  -n, --dry-run          show what would be done, change nothing\n"
"  -q, --quiet            say nothing on success\n"
"  -h, --help             show this help\n"
"\n"
"Exit status: 0 ok, 1 error, 2 usage, 3 apparmor_parser rejected the profile,\n"
"5 AppArmor not available, 6 not root, 8 apparmor_parser not installed.\n";

/* --rollback[=N]: the version to roll back to (1: the newest) */
static int parse_generation(const char *arg, int *ret)
{
	char *end;
	long n;

	if (!arg) {
		*ret = 1;
		return 0;
	}
	n = strtol(arg, &end, 10);
	if (*arg < '0' || *arg > '9' || *end || n < 1 || n > BACKUP_KEEP_MAX)
		return error("--rollback=%s: expected the number of a kept version, 1 (the newest) "
			     "to %d ('aaprof load --rollback --list NAME' lists them)", arg,
			     BACKUP_KEEP_MAX);
	*ret = (int)n;
	return 0;
}

int cmd_load(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "complain", no_argument, NULL, 'C' },
		{ "force-complain", no_argument, NULL, 'F' },
		{ "enforce", no_argument, NULL, 'E' },
		{ "replace", no_argument, NULL, 'P' },
		{ "rollback", optional_argument, NULL, 'R' },
		{ "list", no_argument, NULL, 'L' },
		{ "profile-dir", required_argument, NULL, 'I' },
		{ "template", required_argument, NULL, 't' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct load_opts lo = { .profile_dir = "/etc/apparmor.d" };
	const char *mode = NULL, *template_name = NULL;
	int c, rollback = 0, list = 0, force_complain = 0;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "t:nqh", longopts)) != -1) {
		switch (c) {
		case 'C': mode = "complain"; break;
		case 'F': force_complain = 1; break;
		case 'E': mode = "enforce"; break;
		case 'P': lo.replace = 1; break;
		case 'R':
			if (parse_generation(optarg, &rollback) < 0)
				return EXIT_USAGE;
			break;
		case 'L': list = 1; break;
		case 'I':
			if (cli_check_dir("--profile-dir", optarg) < 0)
				return EXIT_USAGE;
			lo.profile_dir = optarg;
			break;
		case 't': template_name = optarg; break;
		case 'n': lo.dry_run = 1; break;
		case 'q': lo.quiet = 1; break;
		case 'h': fputs(load_usage, stdout); return EXIT_OK;
		default: fputs(load_usage, stderr); return EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		error("expected one NAME or FILE");
		fputs(load_usage, stderr);
		return EXIT_USAGE;
	}
	parser_set_profile_dir(lo.profile_dir);
	if (list && !rollback) {
		error("--list goes with --rollback: aaprof load --rollback --list NAME");
		return EXIT_USAGE;
	}
	if (force_complain && !(mode && streq(mode, "complain"))) {
		error("--force-complain goes with --complain");
		return EXIT_USAGE;
	}
	if (rollback) {
		if (mode || lo.replace || template_name) {
			error("--rollback restores a previous version as it was: no --complain, "
			      "--enforce, --replace or --template");
			return EXIT_USAGE;
		}
		return deploy_rollback(&lo, argv[optind], rollback, list);
	}
	lo.force_complain = force_complain ? 1 : mode && streq(mode, "enforce") ? -1 : 0;
	return deploy_profile(&lo, argv[optind], mode, template_name);
}

static int switch_mode(int argc, char **argv, const char *mode)
{
	static const struct option longopts[] = {
		{ "quiet-for", required_argument, NULL, 'Q' },
		{ "no-evidence-ok", no_argument, NULL, 'O' },
		{ "sources", no_argument, NULL, 'S' },
		{ "file", required_argument, NULL, 'f' },
		{ "journal", no_argument, NULL, 'J' },
		{ "dmesg", no_argument, NULL, 'D' },
		{ "force-complain", no_argument, NULL, 'F' },
		{ "profile-dir", required_argument, NULL, 'I' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct load_opts lo = { .profile_dir = "/etc/apparmor.d" };
	struct scan_opts so = { 0 };
	const char **files = xcalloc(argc + 1, sizeof(char *));
	long long window = -1;
	int c, rc = EXIT_USAGE, no_evidence_ok = 0, sources = 0, force_complain = 0;

	so.now = test_getenv("AAPROF_NOW") ? atof(test_getenv("AAPROF_NOW")) : (double)time(NULL);
	optind = 0;
	while ((c = cli_getopt(argc, argv, "f:nqh", longopts)) != -1) {
		switch (c) {
		case 'Q':
			if (parse_duration(optarg, &window) < 0 || window <= 0) {
				error("--quiet-for '%s': expected a duration such as 30m, 24h, 7d", optarg);
				goto out;
			}
			break;
		case 'O': no_evidence_ok = 1; break;
		case 'S': sources = 1; break;
		case 'f': files[so.nfiles++] = optarg; break;
		case 'J': so.journal = 1; break;
		case 'D': so.dmesg = 1; break;
		case 'F': force_complain = 1; break;
		case 'I':
			if (cli_check_dir("--profile-dir", optarg) < 0)
				goto out;
			lo.profile_dir = optarg;
			break;
		case 'n': lo.dry_run = 1; break;
		case 'q': lo.quiet = 1; break;
		case 'h': fputs(mode_usage, stdout); rc = EXIT_OK; goto out;
		default: fputs(mode_usage, stderr); goto out;
		}
	}
	so.files = files;
	if (argc - optind != 1) {
		error("expected one profile NAME");
		fputs(mode_usage, stderr);
		goto out;
	}
	if (window >= 0 && streq(mode, "complain")) {
		error("--quiet-for is the enforce gate: it goes with 'aaprof enforce'");
		goto out;
	}
	if (window < 0 && (so.nfiles || so.journal || so.dmesg || no_evidence_ok || sources)) {
		error("-f, --journal, --dmesg, --no-evidence-ok and --sources go with the "
		      "--quiet-for gate");
		goto out;
	}
	if (force_complain && !streq(mode, "complain")) {
		error("--force-complain goes with 'aaprof complain' (enforce removes the link)");
		goto out;
	}
	parser_set_profile_dir(lo.profile_dir);
	lo.force_complain = streq(mode, "enforce") ? -1 : force_complain;
	if (window >= 0) {
		struct gate_opts go = { .window = window, .so = so, .no_evidence_ok = no_evidence_ok,
					.sources = sources, .quiet = lo.quiet };

		rc = deploy_mode(&lo, argv[optind], mode, &go);
	} else {
		rc = deploy_mode(&lo, argv[optind], mode, NULL);
	}
out:
	free(files);
	return rc;
}

int cmd_complain(int argc, char **argv)
{
	return switch_mode(argc, argv, "complain");
}

int cmd_enforce(int argc, char **argv)
{
	return switch_mode(argc, argv, "enforce");
}

/* unload the file NAME means, and every profile it defines */
static int unload_target(struct load_opts *lo, const char *arg, int purge)
{
	struct target t;
	int rc = target_resolve(lo->profile_dir, arg, 0, &t);

	if (rc)
		return rc;
	if (!t.base) {
		error("'%s' is not a file of the profile directory %s", arg, lo->profile_dir);
		rc = EXIT_ERROR;
	} else {
		lo->profiles = (const char *const *)t.profiles;
		rc = unload_profile(lo, t.base, purge);
	}
	target_release(&t);
	return rc;
}

int cmd_unload(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "purge", no_argument, NULL, 'P' },
		{ "profile-dir", required_argument, NULL, 'I' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct load_opts lo = { .profile_dir = "/etc/apparmor.d" };
	int c, purge = 0;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "nqh", longopts)) != -1) {
		switch (c) {
		case 'P': purge = 1; break;
		case 'I':
			if (cli_check_dir("--profile-dir", optarg) < 0)
				return EXIT_USAGE;
			lo.profile_dir = optarg;
			break;
		case 'n': lo.dry_run = 1; break;
		case 'q': lo.quiet = 1; break;
		case 'h': fputs(unload_usage, stdout); return EXIT_OK;
		default: fputs(unload_usage, stderr); return EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		error("expected one profile NAME");
		fputs(unload_usage, stderr);
		return EXIT_USAGE;
	}
	parser_set_profile_dir(lo.profile_dir);
	return unload_target(&lo, argv[optind], purge);
}
