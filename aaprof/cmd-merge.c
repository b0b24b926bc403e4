/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cmd-merge.c - aaprof merge: per-host harvests (JSON) into one rule set, with quorum */
#include "cli.h"
#include "cmds.h"
#include "fleet.h"
#include "target.h"
#include "util.h"

#include <getopt.h>
#include <string.h>

static const char usage_text[] =
"usage: aaprof merge [options] FILE.json... | DIR... | -\n"
"\n"
"Merge the JSON of 'aaprof harvest --format json' from many hosts (files,\n"
"directories of *.json, - for standard input) into one rule set: a rule, and\n"
"each of its permissions, is kept when at least K hosts needed it; the others\n"
"are listed with their hosts on standard error, never dropped silently. Every\n"
"rule is rebuilt from its structured fields and checked as a harvested one\n"
"(the danger list included).\n"
"\n"
"  -k, --quorum K|P%      hosts a rule needs: K hosts, or P percent of the hosts\n"
"                         seen (default 1: any)\n"
"      --format FMT       rules (default), profile (the rules merged into the\n"
"                         harvested section of PROFILE, checked with\n"
"                         apparmor_parser -QK) or json (each rule \"seen on N of M\n"
"                         hosts\", and those below the quorum)\n"
"  -p, --name PROFILE     the profile merged into (--format profile)\n"
"      --profile FILE     the profile to merge into (--format profile; default: the\n"
"                         profile directory's file of PROFILE, else the template)\n"
"  -t, --template T       without a profile file: render T (default learning)\n"
"      --profile-dir DIR  where profiles live (default /etc/apparmor.d)\n"
"      --rules-dir DIR    read the dangerous-access list from DIR first\n"
"      --allow-dangerous  write dangerous rules too (default: held back, listed)\n"
"  -q, --quiet            no summary on standard error\n"
"  -h, --help             show this help\n"
"\n"
"Exit status: 0 every rule had the quorum, 1 error (a bad input: nothing is\n"
"written), 2 usage, 3 apparmor_parser rejects the profile, 4 rules held back as\n"
"dangerous or not compilable (the rest written), 8 apparmor_parser not installed,\n"
"9 rules held below the quorum (listed; the rest written).\n";

/* "3" or "60%": 0, or -1 after a message */
static int parse_quorum(const char *arg, struct fleet_opts *o)
{
	size_t n = strspn(arg, "0123456789");
	long v = n && n <= 6 ? strtol(arg, NULL, 10) : -1;

	if (n && arg[n] == '%' && !arg[n + 1] && v >= 1 && v <= 100) {
		o->quorum_pct = (unsigned)v;
		o->quorum = 0;
		return 0;
	}
	if (n && !arg[n] && v >= 1 && v <= 1000000) {
		o->quorum = (unsigned)v;
		o->quorum_pct = 0;
		return 0;
	}
	return error("--quorum '%s': expected a number of hosts (1 or more) or a percentage "
		     "(1%% to 100%%)", arg);
}

int cmd_merge(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "quorum", required_argument, NULL, 'k' },
		{ "format", required_argument, NULL, 'F' },
		{ "name", required_argument, NULL, 'p' },
		{ "profile", required_argument, NULL, 'P' },
		{ "template", required_argument, NULL, 't' },
		{ "profile-dir", required_argument, NULL, 'I' },
		{ "rules-dir", required_argument, NULL, 'R' },
		{ "allow-dangerous", no_argument, NULL, 'A' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct fleet_opts o = { .format = "rules" };
	const char *profile_dir = "/etc/apparmor.d";
	struct target t = { 0 };
	int opt, rc;

	optind = 0;
	while ((opt = cli_getopt(argc, argv, "k:p:t:qh", longopts)) != -1) {
		switch (opt) {
		case 'k':
			if (parse_quorum(optarg, &o) < 0)
				return EXIT_USAGE;
			break;
		case 'F':
			if (!streq(optarg, "profile") && !streq(optarg, "rules") &&
			    !streq(optarg, "json")) {
				error("--format '%s': expected profile, rules or json", optarg);
				return EXIT_USAGE;
			}
			o.format = optarg;
			break;
		case 'p':
			if (target_check_arg(optarg) < 0)
				return EXIT_USAGE;
			o.name = optarg;
			break;
		case 'P': o.pfile = optarg; break;
		case 't': o.template_name = optarg; break;
		case 'I':
			if (cli_profile_dir(optarg) < 0)
				return EXIT_USAGE;
			profile_dir = optarg;
			break;
		case 'R':
			if (cli_check_dir("--rules-dir", optarg) < 0)
				return EXIT_USAGE;
			o.rules_dir = optarg;
			break;
		case 'A': o.allow_dangerous = 1; break;
		case 'q': o.quiet = 1; break;
		case 'h': fputs(usage_text, stdout); return EXIT_OK;
		default: fputs(usage_text, stderr); return EXIT_USAGE;
		}
	}
	if (optind == argc) {
		error("no input: name the JSON files of 'aaprof harvest --format json', or "
		      "directories of them");
		return EXIT_USAGE;
	}
	if (streq(o.format, "profile") && !o.name) {
		error("--format profile needs the profile: --name PROFILE");
		return EXIT_USAGE;
	}
	if ((o.pfile || o.template_name) && !streq(o.format, "profile")) {
		error("--profile and --template are for --format profile");
		return EXIT_USAGE;
	}
	if (streq(o.format, "profile") && !o.pfile) {
		rc = target_resolve(profile_dir, o.name, TARGET_MISSING_OK, &t);
		if (rc)
			return rc;
		o.pfile = t.file;
	}
	o.inputs = (const char *const *)argv + optind;
	o.ninputs = argc - optind;
	rc = fleet_merge(&o);
	target_release(&t);
	return rc;
}
