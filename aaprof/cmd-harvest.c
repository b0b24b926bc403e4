/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cmd-harvest.c - aaprof harvest: audit records -> rules for a profile */
#include "cmds.h"
#include "harvest.h"
#include "load.h"
#include "logsrc.h"
#include "paths.h"
#include "profile.h"
#include "record.h"
#include "render.h"
#include "rules.h"
#include "scan.h"
#include "util.h"

#include <getopt.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char usage_text[] =
"usage: aaprof harvest [options] [PROFILE...]\n"
"\n"
"Turn the AppArmor records a workload left in the logs (complain mode's\n"
"ALLOWED and enforce mode's DENIED) into the rules its profile needs.\n"
"\n"
"Sources (default: /var/log/audit/audit.log and its rotations, else the\n"
"journal, else /var/log/kern.log or /var/log/syslog):\n"
"  -f, --file FILE        read FILE (plain or .gz; - for standard input); repeatable\n"
"      --journal          read the systemd journal (kernel and audit messages)\n"
"      --journal-file F   read the journal file F\n"
"      --dmesg            read the kernel ring buffer (/dev/kmsg)\n"
"Selection:\n"
"      --since TIME       only records from TIME on: 30m, 1h, 2d, boot, @EPOCH,\n"
"                         2026-11-22T08:00[:SS][Z|+01:00], '2026-11-22 08:00'\n"
"      --until TIME       only records up to TIME\n"
"      --comm NAME        only records of this command\n"
"      --pid PID          only records of this process\n"
"      --denied-only      only DENIED records (default: ALLOWED and DENIED)\n"
"      --allowed-only     only ALLOWED records\n"
"Rules:\n"
"      --exec MODE        exec rules as ix (default: the program runs under the same\n"
"                         profile, never escaping it), px or cx (needs that profile)\n"
"      --no-generalise    keep literal paths (no rules/ generalisation)\n"
"      --allow-dangerous[=ITEM,...]  write dangerous rules (rules/*.danger) too:\n"
"                         all of them, or those of these capabilities, kinds (mount,\n"
"                         pivot_root, ptrace, signal-unconfined) and path globs;\n"
"                         without it they are held back, listed, and harvest exits 4\n"
"      --rules-dir DIR    read generalisation rules from DIR first\n"
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
"Exit status: 0 ok, 1 error, 2 usage, 3 apparmor_parser rejected the merged profile,\n"
"4 dangerous rules held back (the rest was written).\n";

struct section_ctx {
	harvest_t *h;
	const char *name;
};

static void add_section_rule(void *ctx, const char *child, const char *rule)
{
	struct section_ctx *c = ctx;
	_cleanup_free_ char *label = *child ? xasprintf("%s//%s", c->name, child) : xstrdup(c->name);

	harvest_add_rule_text(c->h, label, rule);
}

int cmd_harvest(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "file", required_argument, NULL, 'f' },
		{ "journal", no_argument, NULL, 'J' },
		{ "journal-file", required_argument, NULL, 'y' },
		{ "dmesg", no_argument, NULL, 'D' },
		{ "since", required_argument, NULL, 'S' },
		{ "until", required_argument, NULL, 'U' },
		{ "comm", required_argument, NULL, 'c' },
		{ "pid", required_argument, NULL, 'p' },
		{ "denied-only", no_argument, NULL, 'd' },
		{ "allowed-only", no_argument, NULL, 'a' },
		{ "exec", required_argument, NULL, 'x' },
		{ "no-generalise", no_argument, NULL, 'G' },
		{ "no-generalize", no_argument, NULL, 'G' },
		{ "rules-dir", required_argument, NULL, 'R' },
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
	struct harvest_opts o = { .allowed = 1, .denied = 1, .exec = EXEC_IX };
	const char **files = xcalloc(argc + 1, sizeof(char *));
	const char *since_s = NULL, *until_s = NULL, *format = NULL, *profile_file = NULL;
	const char *profile_dir = "/etc/apparmor.d", *template_name = NULL, *rules_dir = NULL;
	const char *journal_file = NULL;
	int use_journal = 0, use_dmesg = 0, generalise = 1, diff = 0, do_write = 0, quiet = 0;
	size_t nfiles = 0, i;
	int c, rc = EXIT_ERROR;
	genrules_t *gen = NULL;
	danger_t *danger = NULL;
	char *allow_copy = NULL, **allow = NULL;
	harvest_t *h = NULL;
	policy_t *existing = NULL;
	char *base_text = NULL, *pfile = NULL;
	struct strbuf out = STRBUF_INIT, section = STRBUF_INIT, merged = STRBUF_INIT;
	struct scan_stats st = { 0 };
	struct scan_opts so = { 0 };
	double now = getenv("AAPROF_NOW") ? atof(getenv("AAPROF_NOW")) : (double)time(NULL);

	optind = 0;
	while ((c = getopt_long(argc, argv, "f:t:j:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': files[nfiles++] = optarg; break;
		case 'J': use_journal = 1; break;
		case 'y': journal_file = optarg; use_journal = 1; break;
		case 'j':
			/* each thread holds two 1 MiB chunks in flight: a bound keeps memory one */
			if (strspn(optarg, "0123456789") != strlen(optarg) || strlen(optarg) > 3 ||
			    atoi(optarg) < 1 || atoi(optarg) > 64) {
				error("--jobs '%s': expected a number of threads from 1 to 64", optarg);
				rc = EXIT_USAGE;
				goto out;
			}
			so.jobs = atoi(optarg);
			break;
		case 'D': use_dmesg = 1; break;
		case 'S': since_s = optarg; break;
		case 'U': until_s = optarg; break;
		case 'c': o.comm = optarg; break;
		case 'p': {
			long long sec;

			if (parse_duration(optarg, &sec) < 0 || strspn(optarg, "0123456789") != strlen(optarg) ||
			    sec <= 0 || sec > 4194304) {
				error("--pid '%s': expected a process id", optarg);
				rc = EXIT_USAGE;
				goto out;
			}
			o.pid = sec;
			break;
		}
		case 'd': o.allowed = 0; break;
		case 'a': o.denied = 0; break;
		case 'x':
			if (streq(optarg, "ix")) o.exec = EXEC_IX;
			else if (streq(optarg, "px")) o.exec = EXEC_PX;
			else if (streq(optarg, "cx")) o.exec = EXEC_CX;
			else {
				error("--exec '%s': expected ix, px or cx", optarg);
				rc = EXIT_USAGE;
				goto out;
			}
			break;
		case 'G': generalise = 0; break;
		case 'R': rules_dir = optarg; break;
		case 'F':
			if (!streq(optarg, "profile") && !streq(optarg, "rules") && !streq(optarg, "json")) {
				error("--format '%s': expected profile, rules or json", optarg);
				rc = EXIT_USAGE;
				goto out;
			}
			format = optarg;
			break;
		case 'P': profile_file = optarg; break;
		case 'I': profile_dir = optarg; break;
		case 't': template_name = optarg; break;
		case 'i': diff = 1; break;
		case 'w': do_write = 1; break;
		case 'A':
			if (!optarg) {
				o.allow_dangerous = 1;
			} else {
				char *item, *save = NULL;

				allow_copy = xstrdup(optarg);
				allow = xcalloc(strlen(optarg) + 1, sizeof(char *));
				for (item = strtok_r(allow_copy, ",", &save); item;
				     item = strtok_r(NULL, ",", &save))
					allow[o.nallow++] = item;
				o.allow = (const char *const *)allow;
			}
			break;
		case 'q': quiet = 1; break;
		case 'h':
			fputs(usage_text, stdout);
			rc = EXIT_OK;
			goto out;
		default:
			fputs(usage_text, stderr);
			rc = EXIT_USAGE;
			goto out;
		}
	}
	if (!o.allowed && !o.denied) {
		error("--denied-only and --allowed-only exclude each other");
		rc = EXIT_USAGE;
		goto out;
	}
	o.profiles = (const char *const *)argv + optind;
	o.nprofiles = argc - optind;
	for (i = 0; i < o.nprofiles; i++) {
		struct strbuf why = STRBUF_INIT, tmp = STRBUF_INIT;

		if (aa_emit_name(&tmp, o.profiles[i], &why) < 0 &&
		    !(o.profiles[i][0] == '/' && aa_emit_path(&tmp, o.profiles[i], &why) == 0)) {
			error("invalid profile name '%s': %s", o.profiles[i], why.buf);
			strbuf_release(&why);
			strbuf_release(&tmp);
			rc = EXIT_USAGE;
			goto out;
		}
		strbuf_release(&why);
		strbuf_release(&tmp);
	}
	/* "boot" means this boot; dmesg [secs] stamps map through it for --dmesg only */
	o.boot_time = logsrc_boot_time();
	if (since_s && parse_time_spec(since_s, now, o.boot_time, &o.since) < 0) {
		error("--since '%s': not a time (30m, 1h, 2d, boot, @EPOCH, 2026-11-22T08:00)", since_s);
		rc = EXIT_USAGE;
		goto out;
	}
	if (until_s && parse_time_spec(until_s, now, o.boot_time, &o.until) < 0) {
		error("--until '%s': not a time (30m, 1h, 2d, boot, @EPOCH, 2026-11-22T08:00)", until_s);
		rc = EXIT_USAGE;
		goto out;
	}
	if (o.since > 0 && o.until > 0 && o.until < o.since) {
		error("--until is before --since");
		rc = EXIT_USAGE;
		goto out;
	}

	/* the profile file, when there is one */
	if (o.nprofiles == 1 && o.profiles[0][0] != '/') {
		pfile = profile_file ? xstrdup(profile_file) :
				       xasprintf("%s/%s", profile_dir, o.profiles[0]);
		if (access(pfile, F_OK) < 0 && !profile_file)
			FREE_AND_NULL(pfile);
	} else if (profile_file) {
		error("--profile needs exactly one PROFILE name");
		rc = EXIT_USAGE;
		goto out;
	}
	if (!format)
		format = pfile || template_name ? "profile" : "rules";
	if (streq(format, "profile") && o.nprofiles != 1) {
		error("--format profile needs exactly one PROFILE name");
		rc = EXIT_USAGE;
		goto out;
	}
	if ((diff || do_write) && !streq(format, "profile")) {
		error("--diff and --write work on a profile file: name one PROFILE that has one");
		rc = EXIT_USAGE;
		goto out;
	}
	if ((diff || do_write) && !pfile) {
		error("no profile file for '%s' (looked for %s/%s; render one with 'aaprof render "
		      "-o FILE' or name it with --profile)", o.profiles[0], profile_dir, o.profiles[0]);
		goto out;
	}

	{
		char **dirs = data_search_path("rules", rules_dir);

		danger = danger_new();
		if (danger_load_dirs(danger, (const char *const *)dirs) < 0) {
			paths_free(dirs);
			error("cannot load the list of dangerous accesses");
			goto out;
		}
		paths_free(dirs);
		o.danger = danger;
	}
	if (generalise) {
		char **dirs = data_search_path("rules", rules_dir);

		gen = genrules_new();
		if (genrules_load_dirs(gen, (const char *const *)dirs) < 0) {
			paths_free(dirs);
			error("cannot load the generalisation rules (--no-generalise to go without)");
			goto out;
		}
		paths_free(dirs);
		o.gen = gen;
	}

	if (streq(format, "profile")) {
		struct strbuf pre = STRBUF_INIT;

		if (pfile) {
			if (read_file(pfile, 16u << 20, &base_text, NULL) < 0)
				goto out;
		} else {
			struct render_opts ro = { .name = o.profiles[0], .template_name = template_name };

			if (render_profile(&ro, &pre, NULL) < 0)
				goto out;
			base_text = strbuf_detach(&pre, NULL);
		}
		/* what the profile already allows, with its includes expanded */
		if (parser_policy(base_text, &existing, &pre) < 0) {
			error("apparmor_parser cannot read the profile%s%s: %s", pfile ? " " : "",
			      pfile ? pfile : "", pre.buf);
			strbuf_release(&pre);
			rc = EXIT_REJECTED;
			goto out;
		}
		strbuf_release(&pre);
		o.existing = existing;
	}

	h = harvest_new(&o);
	if (parser_path())
		harvest_set_features(h, parser_features());
	if (streq(format, "profile")) {
		struct section_ctx sc = { h, o.profiles[0] };

		profile_section_rules(base_text, add_section_rule, &sc);
	}

	/* the sources */
	so.files = files;
	so.nfiles = nfiles;
	so.journal = use_journal;
	so.journal_file = journal_file;
	so.dmesg = use_dmesg;
	so.since = o.since;
	so.boot_time = o.boot_time;
	so.now = now;
	so.quiet = quiet;
	if (!so.jobs)
		so.jobs = scan_default_jobs();
	if (scan_sources(h, &so, &st) < 0)
		goto out;

	/* the output */
	if (streq(format, "json")) {
		harvest_format_json(h, &out);
	} else if (streq(format, "rules")) {
		const char **profiles = harvest_profiles(h);
		char *prev = NULL;

		for (i = 0; profiles[i]; i++) {
			const char *sep = strstr(profiles[i], "//");
			char *root = sep ? xstrndup(profiles[i], sep - profiles[i]) : xstrdup(profiles[i]);

			if (prev && streq(prev, root)) {
				free(root);
				continue;
			}
			if (o.nprofiles != 1) {
				struct strbuf why = STRBUF_INIT;

				strbuf_addstr(&out, "profile ");
				if (aa_emit_label(&out, root, &why) < 0)
					strbuf_addstr(&out, "invalid");
				strbuf_addstr(&out, " {\n");
				strbuf_release(&why);
			}
			harvest_format_rules(h, root, o.nprofiles != 1 ? "  " : "", &out);
			if (o.nprofiles != 1)
				strbuf_addstr(&out, "}\n");
			free(prev);
			prev = root;
		}
		free(prev);
		free(profiles);
	} else {
		struct strbuf why = STRBUF_INIT, perr = STRBUF_INIT;

		harvest_format_rules(h, o.profiles[0], "  ", &section);
		if (profile_replace_section(base_text, o.profiles[0], section.buf, &merged, &why) < 0) {
			error("cannot merge into %s: %s", pfile ? pfile : "the profile", why.buf);
			strbuf_release(&why);
			goto out;
		}
		strbuf_release(&why);
		if (parser_check(merged.buf, merged.len, o.profiles[0], &perr) < 0) {
			error("apparmor_parser rejected the merged profile (nothing written): %s", perr.buf);
			strbuf_release(&perr);
			rc = EXIT_REJECTED;
			goto out;
		}
		strbuf_release(&perr);
		if (diff) {
			if (show_diff(pfile, base_text, merged.buf, "harvested") < 0)
				goto out;
		}
		if (do_write) {
			_cleanup_free_ char *backup = profile_backup_path(pfile);

			if (!streq(base_text, merged.buf)) {
				if (write_file_atomic(pfile, merged.buf, merged.len, 0644, backup) < 0)
					goto out;
				if (!quiet)
					note("updated %s (previous version in %s)", pfile, backup);
			} else if (!quiet) {
				note("%s is up to date", pfile);
			}
		}
		if (!diff && !do_write)
			strbuf_addbuf(&out, &merged);
	}
	if (out.len && (fwrite(out.buf, 1, out.len, stdout) != out.len || fflush(stdout))) {
		error_errno("cannot write to standard output");
		goto out;
	}

	if (!quiet)
		scan_report(h, &st);
	rc = EXIT_OK;
	if (harvest_nheld(h)) {
		struct strbuf held = STRBUF_INIT;

		harvest_format_held(h, &held);
		quiet_errors = 0;
		warning("%zu dangerous rule%s held back (not written); allow them with "
			"--allow-dangerous or --allow-dangerous=ITEM,... after checking the "
			"evidence:\n%s", harvest_nheld(h), harvest_nheld(h) == 1 ? "" : "s", held.buf);
		strbuf_release(&held);
		rc = EXIT_DANGEROUS;
	}
out:
	harvest_free(h);
	genrules_free(gen);
	danger_free(danger);
	free(allow);
	free(allow_copy);
	policy_free(existing);
	free(files);
	free(base_text);
	free(pfile);
	strbuf_release(&out);
	strbuf_release(&section);
	strbuf_release(&merged);
	return rc;
}
