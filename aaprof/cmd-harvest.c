/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cmd-harvest.c - aaprof harvest: audit records -> rules for a profile */
#include "cli.h"
#include "cmds.h"
#include "harvest.h"
#include "load.h"
#include "lock.h"
#include "logsrc.h"
#include "merge.h"
#include "paths.h"
#include "profile.h"
#include "record.h"
#include "render.h"
#include "rules.h"
#include "scan.h"
#include "session.h"
#include "testhooks.h"
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
"Sources (default: the first of these that holds AppArmor records, saying so\n"
"when one holds none: /var/log/audit/audit.log and its rotations, the journal,\n"
"/var/log/kern.log or /var/log/syslog and their rotations):\n"
"  -f, --file FILE        read FILE (plain, gzip, xz or zstd; - for standard input);\n"
"                         repeatable\n"
"      --journal          read the systemd journal (kernel and audit messages)\n"
"      --journal-file F   read the journal file F; repeatable (read together)\n"
"      --dmesg            read the kernel ring buffer (/dev/kmsg)\n"
"      --sources          list the sources read, their lines and AppArmor records\n"
"Selection:\n"
"      --since TIME       only records from TIME on: 30m, 1h, 2d, -1h, '2 days ago',\n"
"                         today, yesterday, boot, @EPOCH, 08:00, 2026-11-22T08:00[:SS]\n"
"                         [Z|+01:00], '2026-11-22 08:00[:SS][ UTC]' (as journalctl)\n"
"      --until TIME       only records up to TIME\n"
"      --comm NAME        only records of this command\n"
"      --pid PID          only records of this process\n"
"      --denied-only      only DENIED records (default: ALLOWED and DENIED)\n"
"      --allowed-only     only ALLOWED records\n"
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

int cmd_harvest(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "file", required_argument, NULL, 'f' },
		{ "journal", no_argument, NULL, 'J' },
		{ "journal-file", required_argument, NULL, 'y' },
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
	const char **journal_files = xcalloc(argc + 1, sizeof(char *));
	size_t njournal_files = 0;
	int use_journal = 0, use_dmesg = 0, generalise = 1, diff = 0, do_write = 0, quiet = 0, locked = 0;
	int list_sources = 0;
	size_t nfiles = 0, i;
	int c, rc = EXIT_ERROR;
	char *allow_copy = NULL, **allow = NULL;
	struct harvest_setup hs = { 0 };
	struct harvest_session s = { 0 };
	harvest_t *h = NULL;
	char *base_text = NULL, *pfile = NULL, *what = NULL;
	struct strbuf out = STRBUF_INIT, section = STRBUF_INIT, merged = STRBUF_INIT;
	struct scan_opts so = { 0 };
	size_t unexpressible = 0;
	double now = test_getenv("AAPROF_NOW") ? atof(test_getenv("AAPROF_NOW")) : (double)time(NULL);

	optind = 0;
	while ((c = cli_getopt(argc, argv, "f:t:j:qh", longopts)) != -1) {
		switch (c) {
		case 'f': files[nfiles++] = optarg; break;
		case 'J': use_journal = 1; break;
		case 'y': journal_files[njournal_files++] = optarg; use_journal = 1; break;
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
		case 's': list_sources = 1; break;
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
		case 'n':
			if (o.namespace || !*optarg || strpbrk(optarg, " \t\n\r\"'")) {
				error(o.namespace ? "--namespace: give one namespace" :
				      "--namespace '%s': expected a namespace as the kernel logs it "
				      "(root//lxd-NAME_<...>)", optarg);
				rc = EXIT_USAGE;
				goto out;
			}
			o.namespace = optarg;
			break;
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
		case 'R':
			if (cli_check_dir("--rules-dir", optarg) < 0) {
				rc = EXIT_USAGE;
				goto out;
			}
			rules_dir = optarg;
			break;
		case 'F':
			if (!streq(optarg, "profile") && !streq(optarg, "rules") && !streq(optarg, "json")) {
				error("--format '%s': expected profile, rules or json", optarg);
				rc = EXIT_USAGE;
				goto out;
			}
			format = optarg;
			break;
		case 'P': profile_file = optarg; break;
		case 'I':
			if (cli_check_dir("--profile-dir", optarg) < 0) {
				rc = EXIT_USAGE;
				goto out;
			}
			profile_dir = optarg;
			break;
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
				     item = strtok_r(NULL, ",", &save)) {
					struct strbuf why = STRBUF_INIT;

					if (danger_allow_item(item, &why) < 0) {
						error("--allow-dangerous '%s': %s", item, why.buf);
						strbuf_release(&why);
						rc = EXIT_USAGE;
						goto out;
					}
					strbuf_release(&why);
					allow[o.nallow++] = item;
				}
				if (!o.nallow) {
					error("--allow-dangerous=: no item (write --allow-dangerous "
					      "for all, or name capabilities, kinds or path globs)");
					rc = EXIT_USAGE;
					goto out;
				}
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
		error("--since '%s': not a time (30m, -1h, '2 days ago', today, "
		      "yesterday, boot, @EPOCH, 2026-11-22T08:00, '2026-11-22 08:00 UTC')", since_s);
		rc = EXIT_USAGE;
		goto out;
	}
	if (until_s && parse_time_spec(until_s, now, o.boot_time, &o.until) < 0) {
		error("--until '%s': not a time (30m, -1h, '2 days ago', today, "
		      "yesterday, boot, @EPOCH, 2026-11-22T08:00, '2026-11-22 08:00 UTC')", until_s);
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
		/* another namespace's profile is not the host's file of that name */
		pfile = profile_file ? xstrdup(profile_file) : o.namespace ? NULL :
				       xasprintf("%s/%s", profile_dir, o.profiles[0]);
		if (pfile && access(pfile, F_OK) < 0 && !profile_file)
			FREE_AND_NULL(pfile);
	} else if (profile_file) {
		error("--profile needs exactly one PROFILE name");
		rc = EXIT_USAGE;
		goto out;
	}
	if ((diff || do_write) && !pfile && o.namespace && o.nprofiles == 1) {
		error("--namespace: the profile of another namespace is not the host's %s/%s; "
		      "name its file with --profile", profile_dir, o.profiles[0]);
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
	if (diff && do_write) {
		error("--diff/--dry-run change nothing and --write changes the profile file: "
		      "give one of them");
		rc = EXIT_USAGE;
		goto out;
	}
	if ((diff || do_write) && !pfile) {
		error("no profile file for '%s' (looked for %s/%s; render one with 'aaprof render "
		      "-o FILE' or name it with --profile)", o.profiles[0], profile_dir, o.profiles[0]);
		goto out;
	}

	/* the profile is read (its includes expanded) and the result checked by apparmor_parser */
	if (streq(format, "profile") && !parser_path()) {
		error("apparmor_parser not found: harvest needs it to read and check the profile "
		      "(install the 'apparmor' package, or use --format rules)");
		rc = EXIT_NOPARSER;
		goto out;
	}

	if (streq(format, "profile")) {
		if (pfile) {
			/* one writer of the profile from this read to the write */
			if (do_write) {
				if (profile_lock(pfile) < 0)
					goto out;
				locked = 1;
			}
			if (read_file(pfile, 16u << 20, &base_text, NULL) < 0)
				goto out;
		} else {
			struct render_opts ro = { .name = o.profiles[0], .template_name = template_name };
			struct strbuf pre = STRBUF_INIT;

			if (render_profile(&ro, &pre, NULL) < 0)
				goto out;
			base_text = strbuf_detach(&pre, NULL);
		}
		what = pfile ? xasprintf("the profile %s", pfile) : xstrdup("the profile");
		hs.policy_text = base_text;
		hs.policy_what = what;
		hs.section_of = o.profiles[0];
	}
	hs.ho = o;
	hs.rules_dir = rules_dir;
	hs.generalise = generalise;
	/* the sources */
	so.files = files;
	so.nfiles = nfiles;
	so.journal = use_journal;
	so.journal_files = njournal_files ? journal_files : NULL;
	so.dmesg = use_dmesg;
	so.now = now;
	so.quiet = quiet;
	if (!so.jobs)
		so.jobs = scan_default_jobs();
	hs.so = so;
	rc = harvest_open(&hs, &s);
	if (rc)
		goto out;
	rc = EXIT_ERROR;
	h = s.h;
	if (harvest_read(&s) < 0)
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
		harvest_format_rules(h, o.profiles[0], "  ", &section);
		rc = merge_compilable(h, base_text, o.profiles[0], section.buf, pfile, &merged,
				      &unexpressible);
		if (rc)
			goto out;
		rc = EXIT_ERROR;
		if (diff) {
			if (show_diff(pfile, base_text, merged.buf, "harvested") < 0)
				goto out;
		}
		if (do_write) {
			_cleanup_free_ char *backup = profile_backup_path(pfile);

			if (!streq(base_text, merged.buf)) {
				if (write_file_checked(pfile, merged.buf, merged.len, 0644, backup,
						       base_text) < 0)
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

	if (list_sources) {
		struct strbuf src = STRBUF_INIT;

		scan_format_sources(&s.st, "  ", &src);
		strbuf_setlen(&src, src.len - 1);
		note("sources read:\n%s", src.buf);
		strbuf_release(&src);
	}
	if (!quiet)
		scan_report(h, &s.st);
	scan_warn_empty(&s.st);
	rc = unexpressible ? EXIT_DANGEROUS : EXIT_OK;
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
	if (locked)
		profile_unlock(pfile);
	harvest_close(&s);
	free(allow);
	free(allow_copy);
	free(what);
	free(files);
	free(journal_files);
	free(base_text);
	free(pfile);
	strbuf_release(&out);
	strbuf_release(&section);
	strbuf_release(&merged);
	return rc;
}
