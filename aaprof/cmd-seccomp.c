/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd-seccomp.c - aaprof seccomp render|harvest: Docker's default seccomp
 * profile, its trial (log) form, and the syscalls a workload needs added
 */
#include "backup.h"
#include "cli.h"
#include "cmds.h"
#include "harvest.h"
#include "lock.h"
#include "logsrc.h"
#include "scan.h"
#include "secharv.h"
#include "secprof.h"
#include "testhooks.h"
#include "util.h"

#include <getopt.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

static const char usage_text[] =
"usage: aaprof seccomp render [--trial] [--log-flag] [-o FILE]\n"
"       aaprof seccomp harvest [options] [LABEL|COMM...]\n"
"\n"
"render: Docker's default seccomp profile (moby's profiles/seccomp/default.json,\n"
"the version named in its \"comment\"), to use with docker run --security-opt\n"
"seccomp=FILE.\n"
"  --trial            defaultAction SCMP_ACT_LOG: every call the profile does not\n"
"                     allow runs and the kernel logs it (type=SECCOMP); needs \"log\"\n"
"                     in /proc/sys/kernel/seccomp/actions_logged\n"
"  --log-flag         keep SCMP_ACT_ERRNO and add flags [\"SECCOMP_FILTER_FLAG_LOG\"]:\n"
"                     calls are refused and logged (runc >= 1.2; \"errno\" must be in\n"
"                     actions_logged)\n"
"  -o, --output FILE  write FILE atomically instead of standard output\n"
"      --template-dir DIR  search DIR for seccomp/docker-default.json first\n"
"\n"
"harvest: read the kernel's SECCOMP records (audit.log, the journal, kern.log,\n"
"dmesg, as aaprof harvest does) of the workloads named by their AppArmor label\n"
"(subj=), command or executable (none: every record), and print the profile\n"
"(Docker's default, or --profile FILE) with the syscalls they made that it does\n"
"not allow added, each as a group of its own whose \"comment\" gives the evidence.\n"
"  -f, --file FILE    read FILE; repeatable      --journal, --journal-file F, --dmesg\n"
"      --since TIME, --until TIME                 the time window, as aaprof harvest\n"
"  -j, --jobs N       threads reading a log file (default: the CPUs, at most 4)\n"
"      --profile FILE the profile to extend (default: Docker's default)\n"
"      --cap-add CAP  the container has CAP too (its capability conditions); repeatable\n"
"      --format FMT   profile (default) or json (every syscall with its evidence)\n"
"      --diff         show what would change in --profile FILE\n"
"      --write        update --profile FILE atomically, keeping a backup\n"
"      --allow-dangerous=NAME[,NAME...]  add these syscalls although Docker refuses\n"
"                     them for escape reasons or allows them only with argument\n"
"                     filters; without it they are held back, listed, and exit 4\n"
"  -q, --quiet        no summary on standard error\n"
"\n"
"Only records the kernel wrote are used; the default action is never SCMP_ACT_ALLOW.\n"
"Exit status: 0 ok, 1 error, 2 usage, 4 syscalls held back (the rest written),\n"
"6 a template with unsafe ownership.\n";

static int emit(const char *text, const char *output)
{
	if (!output) {
		fputs(text, stdout);
		return fflush(stdout) ? error_errno("cannot write standard output") : 0;
	}
	return write_file_atomic(output, text, strlen(text), 0644, NULL);
}

static int seccomp_render(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "trial", no_argument, NULL, 't' },
		{ "log-flag", no_argument, NULL, 'l' },
		{ "output", required_argument, NULL, 'o' },
		{ "template-dir", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *output = NULL, *tdir = NULL;
	int c, trial = 0, logflag = 0, rc;
	secprof_t *p = NULL;
	char *text;

	optind = 0;
	while ((c = cli_getopt(argc, argv, "o:h", longopts)) != -1) {
		switch (c) {
		case 't': trial = 1; break;
		case 'l': logflag = 1; break;
		case 'o': output = optarg; break;
		case 'T':
			if (cli_check_dir("--template-dir", optarg) < 0)
				return EXIT_USAGE;
			tdir = optarg;
			break;
		case 'h': fputs(usage_text, stdout); return EXIT_OK;
		default: fputs(usage_text, stderr); return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		error("seccomp render: unexpected argument '%s'", argv[optind]);
		return EXIT_USAGE;
	}
	if (secprof_load_default(tdir, &p, NULL) < 0)
		return untrusted_refused ? EXIT_PERM : EXIT_ERROR;
	if (trial)
		secprof_set_trial(p);
	if (logflag)
		secprof_add_log_flag(p);
	text = secprof_text(p);
	rc = text && emit(text, output) == 0 ? EXIT_OK : EXIT_ERROR;
	free(text);
	secprof_free(p);
	return rc;
}

struct sh_cmd {
	const char **files, **jfiles, **caps, **allow;
	size_t njfiles, ncaps, nallow;
	const char *since_s, *until_s, *profile, *format;
	int diff, write, quiet;
	struct scan_opts so;
	struct harvest_opts ho;
	char **copies;
	size_t ncopies;
};

static void seccomp_sink(void *ctx, const struct record *r, const char *line, size_t len,
			 int in_window)
{
	secharv_add(ctx, r, line, len, in_window);
}

/* --allow-dangerous=NAME,...: 0 or -1 after a message */
static int parse_allow(struct sh_cmd *c, const char *arg)
{
	char *copy = xstrdup(arg), *item, *save = NULL;

	c->copies[c->ncopies++] = copy;
	for (item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		if (strspn(item, "abcdefghijklmnopqrstuvwxyz0123456789_") != strlen(item))
			return error("--allow-dangerous '%s': expected syscall names", item);
		c->allow[c->nallow++] = item;
	}
	return c->nallow ? 0 : error("--allow-dangerous: name the syscalls to add");
}

static int parse_option(struct sh_cmd *c, int opt)
{
	switch (opt) {
	case 'f': c->files[c->so.nfiles++] = optarg; break;
	case 'J': c->so.journal = 1; break;
	case 'y': c->jfiles[c->njfiles++] = optarg; c->so.journal = 1; break;
	case 'D': c->so.dmesg = 1; break;
	case 'S': c->since_s = optarg; break;
	case 'U': c->until_s = optarg; break;
	case 'P': c->profile = optarg; break;
	case 'C':
		if (strncmp(optarg, "CAP_", 4) || strspn(optarg + 4, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_") !=
		    strlen(optarg + 4)) {
			error("--cap-add '%s': expected a capability (CAP_SYS_ADMIN)", optarg);
			return EXIT_USAGE;
		}
		c->caps[c->ncaps++] = optarg;
		break;
	case 'F':
		if (!streq(optarg, "profile") && !streq(optarg, "json")) {
			error("--format '%s': expected profile or json", optarg);
			return EXIT_USAGE;
		}
		c->format = optarg;
		break;
	case 'i': c->diff = 1; break;
	case 'w': c->write = 1; break;
	case 'A':
		if (!optarg) {
			error("--allow-dangerous needs =NAME: the syscalls to add although dangerous");
			return EXIT_USAGE;
		}
		if (parse_allow(c, optarg) < 0)
			return EXIT_USAGE;
		break;
	case 'j':
		if (strspn(optarg, "0123456789") != strlen(optarg) || strlen(optarg) > 3 ||
		    atoi(optarg) < 1 || atoi(optarg) > 64) {
			error("--jobs '%s': expected a number of threads from 1 to 64", optarg);
			return EXIT_USAGE;
		}
		c->so.jobs = atoi(optarg);
		break;
	case 'q': c->quiet = 1; break;
	case 'h': fputs(usage_text, stdout); return EXIT_OK;
	default: fputs(usage_text, stderr); return EXIT_USAGE;
	}
	return -1;
}

static int check_window(struct sh_cmd *c, double now)
{
	c->ho.boot_time = logsrc_boot_time();
	if ((c->since_s && parse_time_spec(c->since_s, now, c->ho.boot_time, &c->ho.since) < 0) ||
	    (c->until_s && parse_time_spec(c->until_s, now, c->ho.boot_time, &c->ho.until) < 0)) {
		error("--since/--until '%s': not a time (30m, -1h, boot, @EPOCH, 2026-11-22T08:00)",
		      c->since_s ? c->since_s : c->until_s);
		return EXIT_USAGE;
	}
	if ((c->diff || c->write) && !c->profile) {
		error("--diff and --write change a profile file: name it with --profile FILE");
		return EXIT_USAGE;
	}
	if (c->diff && c->write) {
		error("--diff changes nothing and --write changes the file: give one of them");
		return EXIT_USAGE;
	}
	if ((c->diff || c->write) && streq(c->format, "json")) {
		error("--format json prints evidence: --diff and --write need --format profile");
		return EXIT_USAGE;
	}
	return -1;
}

/* read the sources into sh: -1 after error() */
static int read_sources(struct sh_cmd *c, secharv_t *sh)
{
	harvest_t *h = harvest_new(&c->ho);
	struct scan_stats st = { 0 };
	int r;

	c->so.since = c->ho.since;
	c->so.until = c->ho.until;
	c->so.boot_time = c->ho.boot_time;
	c->so.seccomp = seccomp_sink;
	c->so.seccomp_ctx = sh;
	c->so.secharv = sh;
	c->so.seccomp_only = 1;
	c->so.quiet = 1;
	r = scan_sources(h, &c->so, &st);
	if (r == 0 && !st.seccomp_in_window && !c->quiet) {
		struct strbuf src = STRBUF_INIT;

		scan_format_sources(&st, "  ", &src);
		warning("no SECCOMP record in the sources read%s:\n%s(the kernel logs only "
			"the actions in /proc/sys/kernel/seccomp/actions_logged: run the "
			"workload under 'aaprof seccomp render --trial')",
			c->ho.since > 0 ? " (in the time window)" : "", src.buf);
		strbuf_release(&src);
	}
	scan_stats_release(&st);
	harvest_free(h);
	return r;
}

/* the harvested profile: print, show the diff or write it; an exit code */
static int output(struct sh_cmd *c, const char *text, const char *old)
{
	int pushed;

	if (c->diff)
		return show_diff(c->profile, old, text, "harvested") < 0 ? EXIT_ERROR : EXIT_OK;
	if (!c->write)
		return emit(text, NULL) < 0 ? EXIT_ERROR : EXIT_OK;
	if (old && streq(old, text))
		return EXIT_OK;
	pushed = old ? backup_push(c->profile, old) : 0;
	if (pushed < 0 ||
	    write_file_checked(c->profile, text, strlen(text), 0644, NULL, old) < 0) {
		if (pushed > 0)
			backup_pop(c->profile);
		return EXIT_ERROR;
	}
	if (!c->quiet)
		note("wrote '%s'", c->profile);
	return EXIT_OK;
}

static int harvest_into(struct sh_cmd *c, const struct secharv_opts *hopts)
{
	_cleanup_free_ char *old = NULL, *text = NULL;
	secharv_t *sh = secharv_new(hopts);
	secprof_t *p = NULL;
	struct strbuf sb = STRBUF_INIT;
	size_t held = 0;
	int rc = EXIT_ERROR;

	if (c->profile) {
		if (read_file(c->profile, 4u << 20, &old, NULL) < 0 ||
		    secprof_parse(old, c->profile, &p) < 0)
			goto out;
	} else if (secprof_load_default(NULL, &p, NULL) < 0) {
		rc = untrusted_refused ? EXIT_PERM : EXIT_ERROR;
		goto out;
	}
	if (read_sources(c, sh) < 0)
		goto out;
	held = secharv_apply(sh, p);
	if (streq(c->format, "json")) {
		secharv_format_json(sh, &sb);
		rc = emit(sb.buf, NULL) < 0 ? EXIT_ERROR : EXIT_OK;
	} else {
		text = secprof_text(p);
		rc = text ? output(c, text, old) : EXIT_ERROR;
	}
	strbuf_reset(&sb);
	if (!c->quiet) {
		secharv_format_summary(sh, &sb);
		note("%s", sb.buf);
	}
	if (held) {
		strbuf_reset(&sb);
		secharv_format_held(sh, &sb);
		strbuf_setlen(&sb, sb.len - 1);
		warning("held back %zu syscall%s, not added:\n%s", held, held == 1 ? "" : "s",
			sb.buf);
		if (rc == EXIT_OK)
			rc = EXIT_DANGEROUS;
	}
out:
	strbuf_release(&sb);
	secprof_free(p);
	secharv_free(sh);
	return rc;
}

static int seccomp_harvest(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "file", required_argument, NULL, 'f' },
		{ "journal", no_argument, NULL, 'J' },
		{ "journal-file", required_argument, NULL, 'y' },
		{ "dmesg", no_argument, NULL, 'D' },
		{ "since", required_argument, NULL, 'S' },
		{ "until", required_argument, NULL, 'U' },
		{ "profile", required_argument, NULL, 'P' },
		{ "cap-add", required_argument, NULL, 'C' },
		{ "format", required_argument, NULL, 'F' },
		{ "diff", no_argument, NULL, 'i' },
		{ "write", no_argument, NULL, 'w' },
		{ "allow-dangerous", optional_argument, NULL, 'A' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct sh_cmd c = { .format = "profile" };
	struct secharv_opts hopts = { 0 };
	double now = test_getenv("AAPROF_NOW") ? atof(test_getenv("AAPROF_NOW")) : (double)time(NULL);
	const char **caps = xcalloc(argc + 20, sizeof(char *));
	struct utsname u;
	int opt, rc = -1, locked = 0;
	size_t i;

	c.files = xcalloc(argc + 1, sizeof(char *));
	c.jfiles = xcalloc(argc + 1, sizeof(char *));
	c.caps = xcalloc(argc + 1, sizeof(char *));
	c.allow = xcalloc(argc + 1, sizeof(char *));
	c.copies = xcalloc(argc + 1, sizeof(char *));
	optind = 0;
	while (rc == -1 && (opt = cli_getopt(argc, argv, "f:j:qh", longopts)) != -1)
		rc = parse_option(&c, opt);
	if (rc == -1)
		rc = check_window(&c, now);
	if (rc == -1 && c.write && profile_lock(c.profile) < 0)
		rc = EXIT_ERROR;
	else if (rc == -1)
		locked = c.write;
	if (rc == -1) {
		for (i = 0; secprof_docker_caps[i]; i++)
			caps[i] = secprof_docker_caps[i];
		memcpy(caps + i, c.caps, c.ncaps * sizeof(char *));
		hopts.targets = (const char *const *)argv + optind;
		hopts.ntargets = argc - optind;
		hopts.allow = c.allow;
		hopts.nallow = c.nallow;
		hopts.caps = caps;
		hopts.kernel = uname(&u) == 0 && !test_getenv("AAPROF_NOW") ? u.release : NULL;
		hopts.boot_time = c.ho.boot_time;
		c.so.files = c.files;
		c.so.journal_files = c.njfiles ? c.jfiles : NULL;
		c.so.now = now;
		if (!c.so.jobs)
			c.so.jobs = scan_default_jobs();
		rc = harvest_into(&c, &hopts);
	}
	if (locked)
		profile_unlock(c.profile);
	for (i = 0; i < c.ncopies; i++)
		free(c.copies[i]);
	free(c.copies);
	free(c.files);
	free(c.jfiles);
	free(c.caps);
	free(c.allow);
	free(caps);
	return rc;
}

int cmd_seccomp(int argc, char **argv)
{
	if (argc < 2 || streq(argv[1], "-h") || streq(argv[1], "--help")) {
		fputs(usage_text, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	if (streq(argv[1], "render"))
		return seccomp_render(argc - 1, argv + 1);
	if (streq(argv[1], "harvest"))
		return seccomp_harvest(argc - 1, argv + 1);
	error("seccomp: unknown subcommand '%s' (render or harvest)", argv[1]);
	return EXIT_USAGE;
}
