/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd-load.c - aaprof load, complain, enforce, unload: put profiles into
 * the kernel and move them from complain to enforce.
 */
#include "cli.h"
#include "cmds.h"
#include "gate.h"
#include "harvest.h"
#include "load.h"
#include "lock.h"
#include "paths.h"
#include "profile.h"
#include "render.h"
#include "scan.h"
#include "testhooks.h"
#include "util.h"

#include <getopt.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char load_usage[] =
"usage: aaprof load [--complain | --enforce] [options] NAME|FILE\n"
"       aaprof load --rollback [options] NAME\n"
"\n"
"Install a profile into the profile directory (atomically, keeping the previous\n"
"version) and load it with apparmor_parser -r. NAME loads the installed profile\n"
"of that name, or renders the learning template when there is none; FILE (a\n"
"path) installs that file under the name of its profile. After loading, the\n"
"kernel's mode for the profile is checked. If apparmor_parser rejects it, the\n"
"previous file is put back and the previous policy stays loaded.\n"
"\n"
"      --complain         load in complain mode (sets flags=(complain))\n"
"      --enforce          load in enforce mode\n"
"      --rollback         put back the previous version of NAME and load it (roll back\n"
"                         to the previous or the docker-default profile, never to\n"
"                         unconfined)\n"
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
"usage: aaprof complain [options] NAME\n"
"       aaprof enforce [--quiet-for DURATION [SOURCES]] [options] NAME\n"
"\n"
"Switch the installed profile NAME to complain or enforce mode in its file and\n"
"reload it; the kernel's mode is checked afterwards.\n"
"\n"
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
"Remove the profile NAME from the kernel (apparmor_parser -R). Its file stays\n"
"unless --purge is given (a copy is kept in /var/lib/aaprof/backup).\n"
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

static int valid_name(const char *name)
{
	struct strbuf out = STRBUF_INIT, why = STRBUF_INIT;
	int r = aa_emit_name(&out, name, &why);

	if (r < 0)
		error("invalid profile name '%s': %s", name, why.buf);
	strbuf_release(&out);
	strbuf_release(&why);
	return r;
}

static int set_mode(char **text, const char *name, const char *mode)
{
	struct strbuf out = STRBUF_INIT, why = STRBUF_INIT;

	if (profile_set_mode(*text, name, mode, &out, &why) < 0) {
		error("cannot set %s mode: %s", mode, why.buf);
		strbuf_release(&out);
		strbuf_release(&why);
		return -1;
	}
	free(*text);
	*text = strbuf_detach(&out, NULL);
	strbuf_release(&why);
	return 0;
}

static void free_names(char **v)
{
	size_t i;

	for (i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

/*
 * The profile a FILE defines, as apparmor_parser reads it (-N, includes
 * honoured): exactly one at the top level, and the one whose header aaprof
 * finds and edits. Returns 0 or an exit code after a message.
 */
static int file_profile_name(const char *file, const char *text, char **ret_name)
{
	struct strbuf err = STRBUF_INIT, list = STRBUF_INIT;
	_cleanup_free_ char *mine = NULL;
	char **names;
	const char *top = NULL;
	size_t i, ntop = 0;
	int rc = EXIT_ERROR;

	if (profile_main(text, &mine, NULL, NULL) < 0)
		mine = NULL;
	if (!parser_path()) {
		/* install_and_load says what is missing */
		*ret_name = mine ? steal_pointer(&mine) : xstrdup("unknown");
		return 0;
	}
	names = parser_names(text, &err);
	if (!names) {
		error("apparmor_parser cannot read '%s': %s", file, err.buf);
		strbuf_release(&err);
		return EXIT_REJECTED;
	}
	for (i = 0; names[i]; i++) {
		if (strstr(names[i], "//"))
			continue;
		strbuf_addf(&list, "%s'%s'", ntop ? ", " : "", names[i]);
		if (!ntop++)
			top = names[i];
	}
	if (!ntop)
		error("'%s' holds no profile", file);
	else if (ntop > 1)
		error("'%s' defines %zu profiles (%s): aaprof installs a file of one profile "
		      "under its name", file, ntop, list.buf);
	else if (!mine || strcmp(mine, top))
		error("apparmor_parser reads the profile in '%s' as '%s', aaprof as '%s': "
		      "refusing to install or edit it", file, top, mine ? mine : "none");
	else {
		*ret_name = xstrdup(top);
		rc = 0;
	}
	free_names(names);
	strbuf_release(&list);
	strbuf_release(&err);
	return rc;
}

/*
 * The installed file of NAME must define NAME where aaprof finds its header
 * (apparmor_parser -N lists it, and aaprof's reader finds the same header)
 * before its flags are edited.
 */
static int check_profile_name(const char *path, const char *text, const char *name)
{
	struct strbuf err = STRBUF_INIT;
	char **names, **mine;
	int in_parser = 0, in_mine = 0;
	size_t i;

	if (!parser_path())
		return 0;   /* install_and_load says what is missing */
	names = parser_names(text, &err);
	if (!names) {
		error("apparmor_parser cannot read '%s': %s", path, err.buf);
		strbuf_release(&err);
		return EXIT_REJECTED;
	}
	strbuf_release(&err);
	mine = profile_names(text);
	for (i = 0; names[i]; i++)
		in_parser |= streq(names[i], name);
	for (i = 0; mine[i]; i++)
		in_mine |= streq(mine[i], name);
	free_names(names);
	free_names(mine);
	if (!in_parser || !in_mine) {
		error("'%s' does not define the profile '%s' (as %s reads it)", path, name,
		      !in_parser ? "apparmor_parser" : "aaprof");
		return EXIT_ERROR;
	}
	return 0;
}

int cmd_load(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "complain", no_argument, NULL, 'C' },
		{ "enforce", no_argument, NULL, 'E' },
		{ "rollback", no_argument, NULL, 'R' },
		{ "profile-dir", required_argument, NULL, 'I' },
		{ "template", required_argument, NULL, 't' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct load_opts lo = { .profile_dir = "/etc/apparmor.d" };
	const char *mode = NULL, *template_name = NULL, *arg;
	_cleanup_free_ char *text = NULL, *name = NULL, *installed = NULL, *base = NULL;
	int c, rollback = 0, rc;
	struct stat st;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "t:nqh", longopts)) != -1) {
		switch (c) {
		case 'C': mode = "complain"; break;
		case 'E': mode = "enforce"; break;
		case 'R': rollback = 1; break;
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
	arg = argv[optind];
	if (rollback) {
		_cleanup_free_ char *path = NULL, *backup = NULL;

		if (mode) {
			error("--rollback restores the previous version as it was: no --complain/--enforce");
			return EXIT_USAGE;
		}
		if (valid_name(arg) < 0)
			return EXIT_USAGE;
		path = xasprintf("%s/%s", lo.profile_dir, arg);
		backup = profile_backup_path(path);
		/* the backup is rewritten by every write of the profile: read it under the lock */
		if (!lo.dry_run && (rc = lock_for_load(path)))
			return rc;
		if (access(backup, R_OK) < 0) {
			error("no previous version of '%s' to roll back to (%s); load the "
			      "docker-default profile instead: aaprof load -t docker-default %s",
			      arg, backup, arg);
			rc = EXIT_ERROR;
		} else if (read_file(backup, 16u << 20, &text, NULL) < 0) {
			rc = EXIT_ERROR;
		} else {
			if (!lo.quiet && !lo.dry_run)
				note("rolling %s back to the version saved in %s", arg, backup);
			rc = install_and_load(&lo, arg, text);
		}
		if (!lo.dry_run)
			profile_unlock(path);
		return rc;
	}
	if (strchr(arg, '/') || (stat(arg, &st) == 0 && S_ISREG(st.st_mode))) {
		if (read_file(arg, 16u << 20, &text, NULL) < 0)
			return EXIT_ERROR;
		rc = file_profile_name(arg, text, &name);
		if (rc)
			return rc;
	} else {
		if (valid_name(arg) < 0)
			return EXIT_USAGE;
		name = xstrdup(arg);
		installed = xasprintf("%s/%s", lo.profile_dir, name);
		/* one writer from this read to the write */
		if (!lo.dry_run && (rc = lock_for_load(installed)))
			return rc;
		if (access(installed, F_OK) == 0 && !template_name) {
			if (read_file(installed, 16u << 20, &text, NULL) < 0) {
				profile_unlock(installed);
				return EXIT_ERROR;
			}
			base = xstrdup(text);
			lo.base = base;
		} else {
			struct render_opts ro = { .name = name, .template_name = template_name,
						  .mode = mode };
			struct strbuf sb = STRBUF_INIT;

			if (render_profile(&ro, &sb, NULL) < 0) {
				profile_unlock(installed);
				return EXIT_ERROR;
			}
			text = strbuf_detach(&sb, NULL);
			if (!lo.quiet && !lo.dry_run)
				note("no profile %s yet: rendered the %s template", installed,
				     template_name ? template_name : RENDER_DEFAULT_TEMPLATE);
		}
	}
	rc = EXIT_ERROR;
	if (valid_name(name) == 0 && (!mode || set_mode(&text, name, mode) == 0))
		rc = install_and_load(&lo, name, text);
	if (installed && !lo.dry_run)
		profile_unlock(installed);
	return rc;
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
		{ "profile-dir", required_argument, NULL, 'I' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct load_opts lo = { .profile_dir = "/etc/apparmor.d" };
	struct scan_opts so = { 0 };
	const char **files = xcalloc(argc + 1, sizeof(char *));
	_cleanup_free_ char *path = NULL, *text = NULL, *base = NULL;
	long long window = -1;
	int c, rc = EXIT_USAGE, no_evidence_ok = 0, sources = 0, locked = 0;

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
	if (valid_name(argv[optind]) < 0)
		goto out;
	path = xasprintf("%s/%s", lo.profile_dir, argv[optind]);
	rc = EXIT_ERROR;
	/* one writer from this read, through the gate's scan, to the write */
	if (!lo.dry_run) {
		if ((rc = lock_for_load(path)))
			goto out;
		rc = EXIT_ERROR;
		locked = 1;
	}
	if (read_file(path, 16u << 20, &text, NULL) < 0) {
		error("'%s' is not installed: aaprof load --%s %s", argv[optind], mode, argv[optind]);
		goto out;
	}
	rc = check_profile_name(path, text, argv[optind]);
	if (rc)
		goto out;
	rc = EXIT_ERROR;
	base = xstrdup(text);
	lo.base = base;
	if (set_mode(&text, argv[optind], mode) < 0)
		goto out;
	if (window >= 0) {
		struct gate_opts go = { .name = argv[optind], .text = text, .window = window,
					.so = so, .no_evidence_ok = no_evidence_ok,
					.sources = sources, .quiet = lo.quiet };

		go.so.boot_time = 0;
		rc = gate_check(&go);
		if (rc)
			goto out;
	}
	rc = install_and_load(&lo, argv[optind], text);
out:
	if (locked)
		profile_unlock(path);
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
	if (valid_name(argv[optind]) < 0)
		return EXIT_USAGE;
	return unload_profile(&lo, argv[optind], purge);
}
