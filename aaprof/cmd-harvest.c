/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cmd-harvest.c - aaprof harvest: audit records -> rules for a profile */
#include "cli.h"
#include "cmds.h"
#include "harvest.h"
#include "load.h"
#include "lock.h"
#include "logsrc.h"
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
/*
 * Rules apparmor_parser cannot compile. One such rule (a path form it cannot
 * express, a rule kind it lacks) or a set too large for its automaton
 * ("Too many states") would block the whole merge: the section's rules are
 * compiled in parts instead, each rule that fails is held back with the
 * parser's message, and the rest is written. Never a profile that does not
 * compile.
 */
struct sline {
	char *text;          /* the line as formatted (indent included) */
	int is_rule;         /* else a child's header or end, or a comment */
	int out;             /* held back: it does not compile */
	int probe;           /* in the current compile */
	char *why;           /* the parser's message when held back */
	char *evidence;      /* its records, when it has some */
};

struct merge {
	const char *base, *name;
	struct sline *v;
	size_t n;
	unsigned compiles;
	struct strbuf err;   /* the last compile's message */
};

/* base with the section of the rules chosen (probe, or all not held back) */
static int merge_text(struct merge *m, int probe, struct strbuf *out, struct strbuf *why)
{
	struct strbuf section = STRBUF_INIT;
	size_t i;
	int r;

	for (i = 0; i < m->n; i++) {
		if (m->v[i].is_rule && (probe ? !m->v[i].probe : m->v[i].out))
			continue;
		strbuf_addf(&section, "%s\n", m->v[i].text);
	}
	r = profile_replace_section(m->base, m->name, section.buf, out, why);
	strbuf_release(&section);
	return r;
}

/* compile base with the probed rules: 0 ok, 1 rejected (message in m->err), -1 error */
static int merge_compiles(struct merge *m)
{
	struct strbuf text = STRBUF_INIT, why = STRBUF_INIT;
	int r;

	strbuf_reset(&m->err);
	if (merge_text(m, 1, &text, &why) < 0) {
		r = error("cannot merge into the profile: %s", why.buf);
	} else {
		m->compiles++;
		r = parser_check(text.buf, text.len, m->name, &m->err) < 0 ? 1 : 0;
	}
	strbuf_release(&text);
	strbuf_release(&why);
	return r;
}

static void probe_only(struct merge *m, const size_t *set, size_t n)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		m->v[i].probe = 0;
	for (i = 0; i < n; i++)
		m->v[set[i]].probe = 1;
}

/* the rule that line N of the last compile named, if it is one of set */
static long named_rule(struct merge *m, const size_t *set, size_t n)
{
	struct strbuf text = STRBUF_INIT, why = STRBUF_INIT;
	const char *at = strstr(m->err.buf, " at line "), *l;
	long line = at ? atol(at + 9) : 0, found = -1;
	size_t i;

	if (line <= 0 || merge_text(m, 1, &text, &why) < 0)
		goto out;
	for (l = text.buf; l && --line > 0;) {
		l = strchr(l, '\n');
		if (l)
			l++;
	}
	if (!l)
		goto out;
	for (i = 0; i < n; i++) {
		const char *t = m->v[set[i]].text;

		if (!strncmp(l, t, strlen(t)) && (l[strlen(t)] == '\n' || !l[strlen(t)]))
			found = set[i];
	}
out:
	strbuf_release(&text);
	strbuf_release(&why);
	return found;
}

/*
 * Hold back the rules of set that do not compile alongside good (both
 * index lists into m->v). Halving: a half that compiles with good joins it,
 * a half that does not is searched in turn, down to single rules; when the
 * parser names a line of a rule in set, that rule is tried alone first.
 */
static int hold_back(struct merge *m, size_t *good, size_t *ngood, size_t *set, size_t n,
		     const char *known_err)
{
	size_t *probe = xcalloc(*ngood + n + 1, sizeof(size_t)), half, i, j;
	int r;

	memcpy(probe, good, *ngood * sizeof(size_t));
	memcpy(probe + *ngood, set, n * sizeof(size_t));
	probe_only(m, probe, *ngood + n);
	if (known_err) {   /* this very compile failed already */
		strbuf_reset(&m->err);
		strbuf_addstr(&m->err, known_err);
		r = 1;
	} else {
		r = merge_compiles(m);
	}
	if (r <= 0) {
		if (r == 0) {   /* all of set compiles with good */
			memcpy(good + *ngood, set, n * sizeof(size_t));
			*ngood += n;
		}
		goto out;
	}
	if (n == 1) {
		m->v[set[0]].out = 1;
		m->v[set[0]].why = strbuf_detach(&m->err, NULL);
		r = 0;
		goto out;
	}
	{
		long named = named_rule(m, set, n);

		if (named >= 0) {
			/* the rule on the line the parser names is the one when the
			   rest compiles without it, or when it fails alone */
			size_t *rest = xcalloc(*ngood + n, sizeof(size_t)), nrest = 0, one = named;
			char *msg = strbuf_detach(&m->err, NULL);

			memcpy(rest, good, *ngood * sizeof(size_t));
			for (i = 0; i < n; i++)
				if (set[i] != one)
					rest[*ngood + nrest++] = set[i];
			probe_only(m, rest, *ngood + nrest);
			r = merge_compiles(m);
			if (r == 0) {
				memcpy(good + *ngood, rest + *ngood, nrest * sizeof(size_t));
				*ngood += nrest;
			} else if (r > 0) {
				rest[*ngood] = one;
				probe_only(m, rest, *ngood + 1);
				r = merge_compiles(m);
				if (r > 0) {
					free(msg);
					msg = strbuf_detach(&m->err, NULL);
					for (i = j = 0; i < n; i++)
						if (set[i] != one)
							set[j++] = set[i];
					r = hold_back(m, good, ngood, set, n - 1, NULL);
					if (r == 0)
						r = 1;
				} else if (r == 0) {
					r = 2;   /* neither: halve the set as it is */
				}
			}
			if (r == 0 || r == 1) {
				m->v[one].out = 1;
				m->v[one].why = msg;
				msg = NULL;
				r = 0;
			}
			free(msg);
			free(rest);
			if (r != 2)
				goto out;
		}
	}
	half = n / 2;
	if (strstr(m->err.buf, "Too many states")) {
		/* no rule is at fault: the automaton outgrew what the parser can
		   build. Keep what fits of the first half, hold back the second
		   half whole when it still does not fit (a few compiles, each of
		   which can take a minute, instead of one per rule) */
		r = hold_back(m, good, ngood, set, half, NULL);
		if (r)
			goto out;
		memcpy(probe, good, *ngood * sizeof(size_t));
		memcpy(probe + *ngood, set + half, (n - half) * sizeof(size_t));
		probe_only(m, probe, *ngood + n - half);
		r = merge_compiles(m);
		if (r > 0 && strstr(m->err.buf, "Too many states")) {
			for (i = half; i < n; i++) {
				m->v[set[i]].out = 1;
				m->v[set[i]].why = xstrdup(m->err.buf);
			}
			r = 0;
		} else if (r > 0) {
			r = hold_back(m, good, ngood, set + half, n - half, NULL);
		} else if (r == 0) {
			memcpy(good + *ngood, set + half, (n - half) * sizeof(size_t));
			*ngood += n - half;
		}
		goto out;
	}
	r = hold_back(m, good, ngood, set, half, NULL);
	if (r == 0)
		r = hold_back(m, good, ngood, set + half, n - half, NULL);
out:
	free(probe);
	return r;
}

static const struct sline *sort_base;

static const char *rule_text(const struct sline *l)
{
	return l->text + strspn(l->text, " \t");
}

static int cmp_line(const void *a, const void *b)
{
	return strcmp(rule_text(&sort_base[*(const size_t *)a]),
		      rule_text(&sort_base[*(const size_t *)b]));
}

struct ev_ctx {
	struct merge *m;
	size_t *idx, n;   /* the rules, sorted by text */
};

static void note_evidence(void *ctx, const char *text, const char *evidence)
{
	struct ev_ctx *c = ctx;
	size_t lo = 0, hi = c->n;

	while (lo < hi) {   /* the first rule whose text is not below text */
		size_t mid = (lo + hi) / 2;

		if (strcmp(rule_text(&c->m->v[c->idx[mid]]), text) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < c->n && !strcmp(rule_text(&c->m->v[c->idx[lo]]), text); lo++)
		if (!c->m->v[c->idx[lo]].evidence)
			c->m->v[c->idx[lo]].evidence = xstrdup(evidence);
}

/*
 * Merge section into base; when apparmor_parser rejects the result, find
 * the rules it cannot compile, take them out and report each with the
 * parser's message and its evidence. Returns 0 with the merged text in
 * out, and in *ret_held how many rules were held back; EXIT_REJECTED when
 * the profile does not compile even without the section; EXIT_ERROR.
 */
static int merge_compilable(harvest_t *h, const char *base, const char *name,
			    const char *section, const char *pfile, struct strbuf *out,
			    size_t *ret_held)
{
	struct merge m = { .base = base, .name = name, .err = STRBUF_INIT };
	struct strbuf why = STRBUF_INIT, report = STRBUF_INIT;
	size_t *good = NULL, *set = NULL, ngood = 0, nset = 0, nheld = 0, i, alloc = 0;
	char *copy = xstrdup(section), *line, *save = NULL, *first_err = NULL;
	int rc = EXIT_ERROR, r, k;

	*ret_held = 0;
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *t = line + strspn(line, " \t");

		ALLOC_GROW(m.v, m.n + 1, alloc);
		memset(&m.v[m.n], 0, sizeof(m.v[m.n]));
		m.v[m.n].text = xstrdup(line);
		m.v[m.n].is_rule = *t != '#' && *t != '^' && *t != '}';
		m.n++;
	}
	free(copy);
	if (merge_text(&m, 0, out, &why) < 0) {
		error("cannot merge into %s: %s", pfile ? pfile : "the profile", why.buf);
		goto out;
	}
	if (parser_check(out->buf, out->len, name, &m.err) == 0) {
		rc = 0;
		goto out;
	}
	m.compiles++;
	first_err = strbuf_detach(&m.err, NULL);
	strbuf_reset(out);
	/* does the profile compile without the rules? */
	probe_only(&m, NULL, 0);
	r = merge_compiles(&m);
	if (r) {
		if (r > 0)
			error("apparmor_parser rejects %s even without the harvested rules (nothing "
			      "written): %s", pfile ? pfile : "the profile", m.err.buf);
		rc = r > 0 ? EXIT_REJECTED : EXIT_ERROR;
		goto out;
	}
	good = xcalloc(m.n + 1, sizeof(size_t));
	set = xcalloc(m.n + 1, sizeof(size_t));
	/* rules backed by this run's records first: when two rules only fail
	   together, the later one is held back, and that is best a rule kept
	   from the section (an older aaprof may have written it) */
	{
		struct ev_ctx ec = { &m, xcalloc(m.n + 1, sizeof(size_t)), 0 };

		for (i = 0; i < m.n; i++)
			if (m.v[i].is_rule)
				ec.idx[ec.n++] = i;
		sort_base = m.v;
		qsort(ec.idx, ec.n, sizeof(size_t), cmp_line);
		harvest_each_evidence(h, name, note_evidence, &ec);
		free(ec.idx);
	}
	for (k = 0; k < 2; k++)
		for (i = 0; i < m.n; i++)
			if (m.v[i].is_rule && (m.v[i].evidence == NULL) == k)
				set[nset++] = i;
	if (!quiet_errors)
		note("apparmor_parser rejects the merged profile: finding the rules it cannot "
		     "compile (%zu rules)", nset);
	if (hold_back(&m, good, &ngood, set, nset, first_err) < 0)
		goto out;
	/* what is left must compile as a whole */
	probe_only(&m, good, ngood);
	r = merge_compiles(&m);
	if (r) {
		if (r > 0)
			error("apparmor_parser still rejects the merged profile after holding rules "
			      "back (nothing written): %s", m.err.buf);
		rc = r > 0 ? EXIT_REJECTED : EXIT_ERROR;
		goto out;
	}
	for (i = 0; i < m.n; i++) {
		const char *t = m.v[i].text + strspn(m.v[i].text, " \t");

		if (!m.v[i].out)
			continue;
		nheld++;
		strbuf_addf(&report, "  %s\n      apparmor_parser: %s\n      ", t,
			    m.v[i].why && *m.v[i].why ? m.v[i].why : "(no message)");
		strbuf_addstr(&report, m.v[i].evidence ? m.v[i].evidence :
				       "kept from the profile's harvested section (no record)\n");
	}
	for (i = 0; i < report.len; i++)   /* the parser's messages span lines */
		if (report.buf[i] == '\n' && i + 1 < report.len && report.buf[i + 1] != ' ')
			strbuf_insertstr(&report, i + 1, "      ");
	quiet_errors = 0;
	warning("%zu rule%s held back as unexpressible: apparmor_parser cannot compile %s "
		"(found in %u compiles); the rest is written:\n%s", nheld, nheld == 1 ? "" : "s",
		nheld == 1 ? "it" : "them", m.compiles, report.buf);
	if (merge_text(&m, 0, out, &why) < 0) {
		error("cannot merge into %s: %s", pfile ? pfile : "the profile", why.buf);
		goto out;
	}
	*ret_held = nheld;
	rc = 0;
out:
	for (i = 0; i < m.n; i++) {
		free(m.v[i].text);
		free(m.v[i].why);
		free(m.v[i].evidence);
	}
	free(m.v);
	free(good);
	free(set);
	free(first_err);
	strbuf_release(&m.err);
	strbuf_release(&why);
	strbuf_release(&report);
	return rc;
}

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
