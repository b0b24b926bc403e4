/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cmd-harvest.c - aaprof harvest: audit records -> rules for a profile */
#include "cli.h"
#include "cmds.h"
#include "harvest-run.h"
#include "logsrc.h"
#include "profile.h"
#include "target.h"
#include "testhooks.h"
#include "util.h"

#include <getopt.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char usage_text[] =
"usage: aaprof harvest [options] [PROFILE...]\n"
"\n"
"Turn the AppArmor records a workload left in the logs (complain mode's\n"
"ALLOWED and enforce mode's DENIED) into the rules its profile needs.\n"
"\n"
"Sources (default: the first of these that holds AppArmor records, saying so\n"
"when one holds none: /var/log/audit/audit.log and its rotations, the journal,\n"
"/var/log/kern.log or /var/log/syslog and their rotations):\n"
"  -f, --file FILE        read FILE (plain, gzip, xz or zstd; - for standard input);\n"
"                         repeatable\n"
"      --journal          read the systemd journal (kernel and audit messages)\n"
"      --journal-file F   read the journal file F; repeatable (read together)\n"
"      --journal-dir DIR  read the journal files of DIR together (what\n"
"                         systemd-journal-remote writes: many hosts'); repeatable\n"
"      --dmesg            read the kernel ring buffer (/dev/kmsg)\n"
"      --sources          list the sources read, their lines and AppArmor records\n"
"Selection:\n"
"      --since TIME       only records from TIME on: 30m, 1h, 2d, -1h, '2 days ago',\n"
"                         today, yesterday, boot, @EPOCH, 08:00, 2026-11-22T08:00[:SS]\n"
"                         [Z|+01:00], '2026-11-22 08:00[:SS][ UTC]' (as journalctl);\n"
"                         last: only what is new since the last --since last run\n"
"                         for these profiles (a cursor per source; the first run\n"
"                         reads everything)\n"
"      --until TIME       only records up to TIME\n"
"      --comm NAME        only records of this command\n"
"      --pid PID          only records of this process\n"
"      --denied-only      only DENIED records (default: ALLOWED and DENIED)\n"
"      --allowed-only     only ALLOWED records\n"
"      --node HOST        only records of HOST (node= of an audit log, the host of\n"
"                         a syslog line, the journal's _HOSTNAME); repeatable\n"
"      --namespace NS     records of the AppArmor policy namespace NS (as logged:\n"
"                         root//lxd-NAME_<...>, a nested container's policy)\n"
"                         instead of the host's own\n"
"Rules:\n"
"      --exec MODE        exec rules as ix (default: the program runs under the same\n"
"                         profile, never escaping it), px or cx (needs that profile)\n"
"      --no-generalise    keep literal paths (no rules/ generalisation)\n"
"      --allow-dangerous[=ITEM,...]  write dangerous rules (rules/*.danger) too:\n"
"                         all of them, or those of these capabilities, kinds (mount,\n"
"                         pivot_root, ptrace, signal-unconfined, change_profile,\n"
"                         px) and path globs;\n"
"                         without it they are held back, listed, and harvest exits 4\n"
"      --rules-dir DIR    read generalisation rules from DIR first\n"
"      --keep-addresses   keep the IP addresses and ports of network rules (where\n"
"                         the target enforces them; default: left out, they pin\n"
"                         a workload to its dynamic address)\n"
"      --target FEATURES  write the rules the kernel with these AppArmor features\n"
"                         enforces (a features directory such as a copy of\n"
"                         /sys/kernel/security/apparmor/features, or a features\n"
"                         or abi file: e.g. the fleet's oldest kernel); with the\n"
"                         profile's abi rule it decides each rule's form\n"
"Output:\n"
"      --format FMT       profile (default with one PROFILE that has a file),\n"
"                         rules (default otherwise) or json (rules with evidence)\n"
"      --profile FILE     the profile file to merge into (default: DIR/PROFILE)\n"
"      --profile-dir DIR  where profiles live (default /etc/apparmor.d)\n"
"  -t, --template T       when there is no profile file: render T (default learning)\n"
"      --diff, --dry-run  show what would change in the profile file, change nothing\n"
"      --write            update the profile file atomically, keeping a backup\n"
"  -j, --jobs N           threads reading a log file (default: the CPUs this process\n"
"                         may use, at most 4); the result is the same for any N\n"
"  -q, --quiet            no summary on standard error\n"
"  -h, --help             show this help\n"
"\n"
"Exit status: 0 ok, 1 error, 2 usage, 3 apparmor_parser rejects the profile even\n"
"without the harvested rules (nothing written), 4 rules held back: dangerous ones, or\n"
"rules apparmor_parser cannot compile, each listed with its evidence (the rest\n"
"was written), 6 a rule file or template with unsafe ownership, 8 apparmor_parser\n"
"not installed (needed with a profile).\n";

/* the command line: what harvest_run() is given, and what it points into */
struct harvest_cmd {
	struct harvest_run_opts r;
	const char **files, **journal_files, **journal_dirs, **nodes;
	size_t njournal_files;
	const char *since_s, *until_s, *profile_file, *profile_dir;
	char *allow_copy, **allow;   /* --allow-dangerous=ITEM,... */
	char *pfile;
	char **names;                /* the profiles harvested: those of the file named */
};

/* --allow-dangerous=ITEM,...: 0, or -1 after a message */
static int parse_allow(struct harvest_cmd *c, const char *arg)
{
	struct harvest_opts *o = &c->r.ho;
	char *item, *save = NULL;

	c->allow_copy = xstrdup(arg);
	c->allow = xcalloc(strlen(arg) + 1, sizeof(char *));
	for (item = strtok_r(c->allow_copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		struct strbuf why = STRBUF_INIT;

		if (danger_allow_item(item, &why) < 0) {
			error("--allow-dangerous '%s': %s", item, why.buf);
			strbuf_release(&why);
			return -1;
		}
		strbuf_release(&why);
		c->allow[o->nallow++] = item;
	}
	if (!o->nallow)
		return error("--allow-dangerous=: no item (write --allow-dangerous "
			     "for all, or name capabilities, kinds or path globs)");
	o->allow = (const char *const *)c->allow;
	return 0;
}

/* parse_option(), check_args(): go on, or exit with this code */
#define GO_ON (-1)

/* one option: GO_ON, or an exit code (after a message when not EXIT_OK) */
static int parse_option(struct harvest_cmd *c, int opt)
{
	struct harvest_opts *o = &c->r.ho;
	long long sec;

	switch (opt) {
	case 'f': c->files[c->r.so.nfiles++] = optarg; break;
	case 'J': c->r.so.journal = 1; break;
	case 'y': c->journal_files[c->njournal_files++] = optarg; c->r.so.journal = 1; break;
	case 'j':
		/* each thread holds two 1 MiB chunks in flight: a bound keeps memory one */
		if (strspn(optarg, "0123456789") != strlen(optarg) || strlen(optarg) > 3 ||
		    atoi(optarg) < 1 || atoi(optarg) > 64) {
			error("--jobs '%s': expected a number of threads from 1 to 64",
				     optarg);
			return EXIT_USAGE;
		}
		c->r.so.jobs = atoi(optarg);
		break;
	case 'Y':
		if (cli_check_dir("--journal-dir", optarg) < 0)
			return EXIT_USAGE;
		c->journal_dirs[c->r.so.njournal_dirs++] = optarg;
		break;
	case 'N':
		/* compared with the names the logs give hosts: one such name */
		if (!*optarg || strlen(optarg) > 255 || strpbrk(optarg, " \t\n\r\"'")) {
			error("--node '%s': expected a host name as the logs give it", optarg);
			return EXIT_USAGE;
		}
		c->nodes[o->nnodes++] = optarg;
		o->nodes = (const char *const *)c->nodes;
		break;
	case 'D': c->r.so.dmesg = 1; break;
	case 's': c->r.list_sources = 1; break;
	case 'S': c->since_s = optarg; break;
	case 'U': c->until_s = optarg; break;
	case 'c': o->comm = optarg; break;
	case 'p':
		if (parse_duration(optarg, &sec) < 0 || strspn(optarg, "0123456789") != strlen(optarg) ||
		    sec <= 0 || sec > 4194304) {
			error("--pid '%s': expected a process id", optarg);
			return EXIT_USAGE;
		}
		o->pid = sec;
		break;
	case 'n':
		if (o->namespace || !*optarg || strpbrk(optarg, " \t\n\r\"'")) {
			error(o->namespace ? "--namespace: give one namespace" :
				     "--namespace '%s': expected a namespace as the kernel logs it "
				     "(root//lxd-NAME_<...>)", optarg);
			return EXIT_USAGE;
		}
		o->namespace = optarg;
		break;
	case 'd': o->allowed = 0; break;
	case 'a': o->denied = 0; break;
	case 'x':
		if (streq(optarg, "ix")) o->exec = EXEC_IX;
		else if (streq(optarg, "px")) o->exec = EXEC_PX;
		else if (streq(optarg, "cx")) o->exec = EXEC_CX;
		else {
			error("--exec '%s': expected ix, px or cx", optarg);
			return EXIT_USAGE;
		}
		break;
	case 'G': c->r.generalise = 0; break;
	case 'K': o->keep_addresses = 1; break;
	case 'T': c->r.target_file = optarg; break;
	case 'R':
		if (cli_check_dir("--rules-dir", optarg) < 0)
			return EXIT_USAGE;
		c->r.rules_dir = optarg;
		break;
	case 'F':
		if (!streq(optarg, "profile") && !streq(optarg, "rules") && !streq(optarg, "json")) {
			error("--format '%s': expected profile, rules or json", optarg);
			return EXIT_USAGE;
		}
		c->r.format = optarg;
		break;
	case 'P': c->profile_file = optarg; break;
	case 'I':
		if (cli_profile_dir(optarg) < 0)
			return EXIT_USAGE;
		c->profile_dir = optarg;
		c->r.profile_dir = optarg;
		break;
	case 't': c->r.template_name = optarg; break;
	case 'i': c->r.diff = 1; break;
	case 'w': c->r.write = 1; break;
	case 'A':
		if (!optarg)
			o->allow_dangerous = 1;
		else if (parse_allow(c, optarg) < 0)
			return EXIT_USAGE;
		break;
	case 'q': c->r.quiet = 1; break;
	case 'h': fputs(usage_text, stdout); return EXIT_OK;
	default: fputs(usage_text, stderr); return EXIT_USAGE;
	}
	return GO_ON;
}

/* --since and --until: GO_ON, or EXIT_USAGE after a message */
static int parse_window(struct harvest_cmd *c, double now)
{
	struct harvest_opts *o = &c->r.ho;

	/* "boot" means this boot; dmesg [secs] stamps map through it for --dmesg only */
	o->boot_time = logsrc_boot_time();
	if (c->since_s && streq(c->since_s, "last")) {
		size_t i;

		for (i = 0; i < c->r.so.nfiles; i++)
			if (streq(c->files[i], "-")) {
				error("--since last: standard input keeps no place to come back to "
				      "(name the file with -f FILE)");
				return EXIT_USAGE;
			}
		if (c->r.so.dmesg || c->r.diff) {
			error(c->r.diff ? "--since last moves the cursor, --diff/--dry-run change "
			      "nothing: give one of them" : "--since last: the kernel ring buffer "
			      "keeps no place to come back to (use --since TIME with --dmesg)");
			return EXIT_USAGE;
		}
		if (c->r.so.njournal_dirs) {
			error("--since last: no cursor is kept for --journal-dir yet "
			      "(use --since TIME with it)");
			return EXIT_USAGE;
		}
		c->r.since_last = 1;
	} else if (c->since_s && parse_time_spec(c->since_s, now, o->boot_time, &o->since) < 0) {
		error("--since '%s': not a time (30m, -1h, '2 days ago', today, "
		      "yesterday, boot, @EPOCH, 2026-11-22T08:00, '2026-11-22 08:00 UTC')", c->since_s);
		return EXIT_USAGE;
	}
	if (c->until_s && parse_time_spec(c->until_s, now, o->boot_time, &o->until) < 0) {
		error("--until '%s': not a time (30m, -1h, '2 days ago', today, "
		      "yesterday, boot, @EPOCH, 2026-11-22T08:00, '2026-11-22 08:00 UTC')", c->until_s);
		return EXIT_USAGE;
	}
	if (o->since > 0 && o->until > 0 && o->until < o->since) {
		error("--until is before --since");
		return EXIT_USAGE;
	}
	return GO_ON;
}

/*
 * The profiles to harvest when the one PROFILE named means a file (a profile
 * name, a file of the profile directory, or --profile FILE): every top-level
 * profile the file defines (children come with them), the one whose block
 * holds (or will hold) the harvested section first. GO_ON, or an exit code.
 */
static int file_profiles(struct harvest_cmd *c, const struct target *t)
{
	struct harvest_opts *o = &c->r.ho;
	_cleanup_free_ char *text = NULL, *owner = NULL;
	size_t i, n = 0;

	if (read_file(t->file, 16u << 20, &text, NULL) < 0)
		return EXIT_ERROR;
	owner = profile_section_owner(text);
	if (owner && strstr(owner, "//"))
		*strstr(owner, "//") = '\0';
	if (owner && !t->named_file && strcmp(owner, t->main)) {
		error("the harvested section of %s is in the profile '%s', not '%s': aaprof keeps "
		      "one section per file (harvest '%s', or move the section)", t->file, owner,
		      t->main, owner);
		return EXIT_ERROR;
	}
	c->names = xcalloc(2 + strlen(text), sizeof(char *));   /* more than any file defines */
	c->names[n++] = xstrdup(owner ? owner : t->main);
	for (i = 0; t->profiles[i]; i++)
		if (!strstr(t->profiles[i], "//") && strcmp(t->profiles[i], c->names[0]))
			c->names[n++] = xstrdup(t->profiles[i]);
	o->profiles = (const char *const *)c->names;
	o->nprofiles = n;
	return GO_ON;
}

/* the profile file, the format and what to do with it: GO_ON, or an exit code after a message */
static int check_output(struct harvest_cmd *c)
{
	const struct harvest_opts *o = &c->r.ho;
	int change = c->r.diff || c->r.write, rc = GO_ON;
	struct target t = { 0 };

	if (c->profile_file && o->nprofiles != 1) {
		error("--profile needs exactly one PROFILE name");
		return EXIT_USAGE;
	}
	if (o->nprofiles == 1 && c->profile_file) {
		int r = target_of_file(c->profile_file, o->profiles[0], &t);

		if (r)
			return r;
	} else if (o->nprofiles == 1 && !o->namespace) {
		/* another namespace's profile is not the host's file of that name */
		int r = target_resolve(c->profile_dir, o->profiles[0], TARGET_MISSING_OK, &t);

		if (r)
			return r;
	}
	if (change && !t.file && o->namespace && o->nprofiles == 1) {
		error("--namespace: the profile of another namespace is not the host's %s/%s; "
		      "name its file with --profile", c->profile_dir, o->profiles[0]);
		rc = EXIT_ERROR;
	} else if (!c->r.format) {
		c->r.format = t.file || c->r.template_name ? "profile" : "rules";
	}
	if (rc == GO_ON && streq(c->r.format, "profile") && o->nprofiles != 1) {
		error("--format profile needs exactly one PROFILE name");
		rc = EXIT_USAGE;
	} else if (rc == GO_ON && change && !streq(c->r.format, "profile")) {
		error("--diff and --write work on a profile file: name one PROFILE that has one");
		rc = EXIT_USAGE;
	} else if (rc == GO_ON && c->r.diff && c->r.write) {
		error("--diff/--dry-run change nothing and --write changes the profile file: "
		      "give one of them");
		rc = EXIT_USAGE;
	} else if (rc == GO_ON && change && !t.file) {
		error("no file in %s defines the profile '%s' (render one with 'aaprof render "
		      "-o FILE' or name it with --profile)", c->profile_dir, o->profiles[0]);
		rc = EXIT_ERROR;
	}
	if (rc == GO_ON && t.file) {
		c->pfile = xstrdup(t.file);
		c->r.pfile = c->pfile;
		rc = file_profiles(c, &t);
	}
	target_release(&t);
	return rc;
}

/* the operands and the options together: GO_ON, or an exit code after a message */
static int check_args(struct harvest_cmd *c, double now)
{
	const struct harvest_opts *o = &c->r.ho;
	size_t i;
	int rc;

	if (!o->allowed && !o->denied) {
		error("--denied-only and --allowed-only exclude each other");
		return EXIT_USAGE;
	}
	/* names are only compared with the records' (escape.c writes them into
	   policy text): any name a tool gives a profile, no control characters */
	for (i = 0; i < o->nprofiles; i++)
		if (target_check_arg(o->profiles[i]) < 0)
			return EXIT_USAGE;
	rc = parse_window(c, now);
	if (rc != GO_ON)
		return rc;
	return check_output(c);
}

int cmd_harvest(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "file", required_argument, NULL, 'f' },
		{ "journal", no_argument, NULL, 'J' },
		{ "journal-file", required_argument, NULL, 'y' },
		{ "journal-dir", required_argument, NULL, 'Y' },
		{ "node", required_argument, NULL, 'N' },
		{ "dmesg", no_argument, NULL, 'D' },
		{ "sources", no_argument, NULL, 's' },
		{ "since", required_argument, NULL, 'S' },
		{ "until", required_argument, NULL, 'U' },
		{ "comm", required_argument, NULL, 'c' },
		{ "pid", required_argument, NULL, 'p' },
		{ "denied-only", no_argument, NULL, 'd' },
		{ "allowed-only", no_argument, NULL, 'a' },
		{ "namespace", required_argument, NULL, 'n' },
		{ "exec", required_argument, NULL, 'x' },
		{ "no-generalise", no_argument, NULL, 'G' },
		{ "no-generalize", no_argument, NULL, 'G' },
		{ "rules-dir", required_argument, NULL, 'R' },
		{ "keep-addresses", no_argument, NULL, 'K' },
		{ "target", required_argument, NULL, 'T' },
		{ "format", required_argument, NULL, 'F' },
		{ "profile", required_argument, NULL, 'P' },
		{ "profile-dir", required_argument, NULL, 'I' },
		{ "template", required_argument, NULL, 't' },
		{ "diff", no_argument, NULL, 'i' },
		{ "write", no_argument, NULL, 'w' },
		{ "dry-run", no_argument, NULL, 'i' },
		{ "allow-dangerous", optional_argument, NULL, 'A' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct harvest_cmd c = {
		.r = { .ho = { .allowed = 1, .denied = 1, .exec = EXEC_IX }, .generalise = 1 },
		.profile_dir = "/etc/apparmor.d",
		.files = xcalloc(argc + 1, sizeof(char *)),
		.journal_files = xcalloc(argc + 1, sizeof(char *)),
		.journal_dirs = xcalloc(argc + 1, sizeof(char *)),
		.nodes = xcalloc(argc + 1, sizeof(char *)),
	};
	double now = test_getenv("AAPROF_NOW") ? atof(test_getenv("AAPROF_NOW")) : (double)time(NULL);
	int opt, rc = GO_ON;

	optind = 0;
	while (rc == GO_ON && (opt = cli_getopt(argc, argv, "f:t:j:qh", longopts)) != -1)
		rc = parse_option(&c, opt);
	if (rc == GO_ON) {
		c.r.ho.profiles = (const char *const *)argv + optind;
		c.r.ho.nprofiles = argc - optind;
		rc = check_args(&c, now);
	}
	if (rc == GO_ON) {
		c.r.so.files = c.files;
		c.r.so.journal_files = c.njournal_files ? c.journal_files : NULL;
		c.r.so.journal_dirs = c.journal_dirs;
		c.r.so.now = now;
		c.r.so.quiet = c.r.quiet;
		if (!c.r.so.jobs)
			c.r.so.jobs = scan_default_jobs();
		rc = harvest_run(&c.r);
	}
	free(c.allow);
	free(c.allow_copy);
	free(c.files);
	free(c.journal_files);
	free(c.journal_dirs);
	free(c.nodes);
	free(c.pfile);
	target_names_free(c.names);
	return rc;
}
