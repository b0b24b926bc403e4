/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cmd-package.c - aaprof package: a profile as a Debian package for a fleet's apt */
#include "cli.h"
#include "cmds.h"
#include "pkgdeb.h"
#include "target.h"
#include "util.h"

#include <getopt.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
"usage: aaprof package [options] NAME\n"
"\n"
"Build aaprof-profile-BASE_VERSION_all.deb (dpkg-deb) from the profile NAME: it\n"
"installs the profile as a conffile /etc/apparmor.d/BASE, loads it when\n"
"configured (apparmor_parser -r; skipped where AppArmor is off), unloads it\n"
"when removed, and depends on apparmor. The profile must compile\n"
"(apparmor_parser -QK) first. Publish the package in the fleet's apt repository.\n"
"\n"
"      --version V        the package version (default: the profile file's\n"
"                         modification time, YYYYMMDD.HHMMSS, UTC)\n"
"      --mode MODE        complain or enforce (default: as the file says)\n"
"      --maintainer M     'Name <address>' (default: $DEBFULLNAME <$DEBEMAIL>, else\n"
"                         root at this host's name)\n"
"      --profile FILE     package this file (default: NAME's file in DIR)\n"
"      --profile-dir DIR  where profiles live (default /etc/apparmor.d)\n"
"  -o, --output DIR       where the .deb goes (default: the current directory)\n"
"  -h, --help             show this help\n"
"\n"
"Exit status: 0 ok (the .deb's path on standard output), 1 error, 2 usage,\n"
"3 apparmor_parser rejects the profile, 8 apparmor_parser not installed.\n";

/* $DEBFULLNAME <$DEBEMAIL>, else root <root@HOSTNAME> */
static char *default_maintainer(void)
{
	const char *name = getenv("DEBFULLNAME"), *mail = getenv("DEBEMAIL");
	char host[256] = "localhost";

	if (mail && *mail && !strpbrk(mail, "<>\n"))
		return xasprintf("%s <%s>", name && *name && !strpbrk(name, "<>\n") ? name : "root",
				 mail);
	gethostname(host, sizeof(host) - 1);
	host[sizeof(host) - 1] = '\0';
	return xasprintf("root <root@%s>", host);
}

static int check_maintainer(const char *m)
{
	const char *lt = strchr(m, '<');

	if (!lt || lt == m || !strchr(lt, '@') || m[strlen(m) - 1] != '>' || strchr(m, '\n'))
		return error("--maintainer '%s': expected 'Name <address>'", m);
	return 0;
}

int cmd_package(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "version", required_argument, NULL, 'V' },
		{ "mode", required_argument, NULL, 'm' },
		{ "maintainer", required_argument, NULL, 'M' },
		{ "profile", required_argument, NULL, 'P' },
		{ "profile-dir", required_argument, NULL, 'I' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct pkgdeb_opts o = { .outdir = "." };
	const char *dir = "/etc/apparmor.d", *pfile = NULL;
	_cleanup_free_ char *maint = NULL, *base = NULL;
	struct target t = { 0 };
	int c, rc;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "o:h", longopts)) != -1) {
		switch (c) {
		case 'V':
			if (pkgdeb_check_version(optarg) < 0)
				return EXIT_USAGE;
			o.version = optarg;
			break;
		case 'm':
			if (!streq(optarg, "complain") && !streq(optarg, "enforce")) {
				error("--mode '%s': expected complain or enforce", optarg);
				return EXIT_USAGE;
			}
			o.mode = optarg;
			break;
		case 'M':
			if (check_maintainer(optarg) < 0)
				return EXIT_USAGE;
			o.maintainer = optarg;
			break;
		case 'P': pfile = optarg; break;
		case 'I':
			if (cli_profile_dir(optarg) < 0)
				return EXIT_USAGE;
			dir = optarg;
			break;
		case 'o':
			if (cli_check_dir("--output", optarg) < 0)
				return EXIT_USAGE;
			o.outdir = optarg;
			break;
		case 'h': fputs(usage_text, stdout); return EXIT_OK;
		default: fputs(usage_text, stderr); return EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		error("name one profile to package");
		fputs(usage_text, stderr);
		return EXIT_USAGE;
	}
	if (target_check_arg(argv[optind]) < 0)
		return EXIT_USAGE;
	rc = pfile ? target_of_file(pfile, argv[optind], &t) : target_resolve(dir, argv[optind], 0, &t);
	if (rc)
		return rc;
	if (!o.maintainer) {
		maint = default_maintainer();
		o.maintainer = maint;
	}
	base = xstrdup(t.base ? t.base : strrchr(t.file, '/') ? strrchr(t.file, '/') + 1 : t.file);
	o.file = t.file;
	o.base = base;
	o.names = (const char *const *)t.profiles;
	rc = pkgdeb_build(&o);
	target_release(&t);
	return rc;
}
