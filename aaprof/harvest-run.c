/* SPDX-License-Identifier: GPL-2.0-or-later */
/* harvest-run.c - aaprof harvest's job: the sources into rules, a profile or JSON */
#include "harvest-run.h"
#include "backup.h"
#include "cursor.h"
#include "harvest-json.h"
#include "load.h"
#include "lock.h"
#include "merge.h"
#include "paths.h"
#include "profile.h"
#include "render.h"
#include "session.h"
#include "summary.h"
#include "util.h"

#include <string.h>

/* the profile to merge into: its file (locked for --write) or the rendered template */
static int read_base(const struct harvest_run_opts *o, char **ret_text, int *ret_locked)
{
	struct render_opts ro = { .name = o->ho.profiles[0], .template_name = o->template_name };
	struct strbuf pre = STRBUF_INIT;

	if (o->pfile) {
		/* one writer of the profile from this read to the write */
		if (o->write) {
			if (profile_lock(o->pfile) < 0)
				return -1;
			*ret_locked = 1;
		}
		return read_file(o->pfile, 16u << 20, ret_text, NULL);
	}
	if (render_profile(&ro, &pre, NULL) < 0)
		return -1;
	*ret_text = strbuf_detach(&pre, NULL);
	return 0;
}

/* the rules of each profile harvested, in a profile block each unless one was named */
static void format_rules(const harvest_t *h, size_t nprofiles, struct strbuf *out)
{
	const char **profiles = harvest_profiles(h);
	char *prev = NULL;
	size_t i;

	for (i = 0; profiles[i]; i++) {
		const char *sep = strstr(profiles[i], "//");
		char *root = sep ? xstrndup(profiles[i], sep - profiles[i]) : xstrdup(profiles[i]);

		if (prev && streq(prev, root)) {
			free(root);
			continue;
		}
		if (nprofiles != 1) {
			struct strbuf why = STRBUF_INIT;

			strbuf_addstr(out, "profile ");
			if (aa_emit_label(out, root, &why) < 0)
				strbuf_addstr(out, "invalid");
			strbuf_addstr(out, " {\n");
			strbuf_release(&why);
		}
		harvest_format_rules(h, root, nprofiles != 1 ? "  " : "", out);
		if (nprofiles != 1)
			strbuf_addstr(out, "}\n");
		free(prev);
		prev = root;
	}
	free(prev);
	free(profiles);
}

/*
 * The rules merged into the profile base: shown (--diff), written
 * (--write) or added to out. *ret_held: the rules apparmor_parser cannot
 * compile, held back.
 */
static int into_profile(const struct harvest_run_opts *o, const harvest_t *h, const char *base,
			struct strbuf *out, size_t *ret_held, struct summary_out *sum)
{
	struct strbuf section = STRBUF_INIT, merged = STRBUF_INIT;
	int rc;

	harvest_format_rules(h, o->ho.profiles[0], "  ", &section);
	rc = merge_compilable(h, base, o->ho.profiles[0], section.buf, o->pfile, &merged, ret_held);
	if (rc)
		goto out;
	summary_count_added(base, merged.buf, &sum->rules, &sum->widened);
	rc = EXIT_ERROR;
	if (o->diff && show_diff(o->pfile, base, merged.buf, "harvested") < 0)
		goto out;
	if (o->write) {
		_cleanup_free_ char *backup = profile_backup_path(o->pfile);
		int pushed;

		if (!streq(base, merged.buf)) {
			/* the previous version as the newest of the backups (backup.h) */
			pushed = backup_push(o->pfile, base);
			if (pushed < 0 || write_file_checked(o->pfile, merged.buf, merged.len, 0644,
							     NULL, base) < 0) {
				if (pushed > 0)
					backup_pop(o->pfile);
				goto out;
			}
			if (!o->quiet)
				note("updated %s (previous version in %s)", o->pfile, backup);
		} else if (!o->quiet) {
			note("%s is up to date", o->pfile);
		}
	}
	if (!o->diff && !o->write)
		strbuf_addbuf(out, &merged);
	rc = 0;
out:
	strbuf_release(&section);
	strbuf_release(&merged);
	return rc;
}

/*
 * The rules of the other profiles of the file (harvested with it, records
 * of every profile it defines): the section holds the first one's only, so
 * they are held back, named. How many profiles.
 */
static size_t other_profiles(const struct harvest_run_opts *o, const harvest_t *h)
{
	const char **profiles = harvest_profiles(h);
	struct strbuf list = STRBUF_INIT;
	size_t i, n = 0;

	for (i = 0; profiles[i]; i++) {
		const char *sep = strstr(profiles[i], "//");
		size_t len = sep ? (size_t)(sep - profiles[i]) : strlen(profiles[i]);

		if (len == strlen(o->ho.profiles[0]) && !strncmp(profiles[i], o->ho.profiles[0], len))
			continue;
		if (!sep || !strstr(list.buf, profiles[i]))
			strbuf_addf(&list, "%s'%.*s'", n++ ? ", " : "", (int)len, profiles[i]);
	}
	free(profiles);
	if (n) {
		quiet_errors = 0;
		warning("the rules of %s (also defined in %s) are held back: aaprof keeps one "
			"harvested section per file, in '%s'; see them with --format rules",
			list.buf, o->pfile, o->ho.profiles[0]);
	}
	strbuf_release(&list);
	return n;
}

/* the summary on standard error; 1 when dangerous rules were held back */
static int report(const struct harvest_run_opts *o, const struct harvest_session *s,
		  struct summary_out *sum)
{
	size_t nheld = harvest_nheld(s->h);

	if (o->list_sources) {
		struct strbuf src = STRBUF_INIT;

		scan_format_sources(&s->st, "  ", &src);
		strbuf_setlen(&src, src.len - 1);
		note("sources read:\n%s", src.buf);
		strbuf_release(&src);
	}
	sum->held = nheld;
	if (!o->quiet)
		summary_report(s->h, &s->st, sum);
	scan_warn_empty(&s->st);
	if (nheld) {
		struct strbuf held = STRBUF_INIT;

		harvest_format_held(s->h, &held);
		quiet_errors = 0;
		warning("%zu dangerous rule%s held back (not written); allow %s with "
			"--allow-dangerous or --allow-dangerous=ITEM,... after checking the "
			"evidence:\n%s", nheld, nheld == 1 ? "" : "s", nheld == 1 ? "it" : "them",
			held.buf);
		strbuf_release(&held);
	}
	return nheld != 0;
}

int harvest_run(const struct harvest_run_opts *o)
{
	struct harvest_setup hs = { .ho = o->ho, .so = o->so, .rules_dir = o->rules_dir,
				    .generalise = o->generalise, .profile_dir = o->profile_dir,
				    .target_file = o->target_file };
	struct harvest_session s = { 0 };
	struct summary_out sum = { .pfile = o->pfile, .write = o->write, .diff = o->diff };
	struct strbuf out = STRBUF_INIT;
	_cleanup_free_ char *base = NULL, *what = NULL, *only = NULL;
	int profile = streq(o->format, "profile"), locked = 0, rc = EXIT_ERROR;
	size_t unexpressible = 0;
	struct cursor *cur = NULL;

	/* the profile is read (its includes expanded) and the result checked by apparmor_parser */
	if (profile && !parser_path()) {
		error("apparmor_parser not found: harvest needs it to read and check the profile "
		      "(install the 'apparmor' package, or use --format rules)");
		return EXIT_NOPARSER;
	}
	/* the cursor's lock first, then the profile's: one order for every run */
	if (o->since_last) {
		if (cursor_open(o->ho.profiles, o->ho.nprofiles, o->ho.namespace, &cur) < 0)
			goto out;
		hs.so.cursor = cur;
	}
	if (profile) {
		if (read_base(o, &base, &locked) < 0)
			goto out;
		what = o->pfile ? xasprintf("the profile %s", o->pfile) : xstrdup("the profile");
		/* what this profile allows, not the file's other profiles */
		only = profile_only(base, o->ho.profiles[0]);
		hs.policy_text = only;
		hs.policy_what = what;
		hs.section_of = o->ho.profiles[0];
		hs.abi_text = base;   /* the abi rule is the file's, before its profiles */
	} else if (o->pfile && read_file(o->pfile, 16u << 20, &base, NULL) < 0) {
		goto out;
	} else {
		hs.abi_text = base;   /* the profile file's, or none: abi 3.0 */
	}
	rc = harvest_open(&hs, &s);
	if (rc)
		goto out;
	rc = EXIT_ERROR;
	if (harvest_read(&s) < 0)
		goto out;
	if (streq(o->format, "json")) {
		struct strbuf rules = STRBUF_INIT;

		harvest_json_doc(s.h, &s.st, &out);
		format_rules(s.h, o->ho.nprofiles, &rules);
		sum.rules = summary_count_rules(rules.buf);
		strbuf_release(&rules);
	} else if (streq(o->format, "rules")) {
		format_rules(s.h, o->ho.nprofiles, &out);
		sum.rules = summary_count_rules(out.buf);
	} else {
		sum.profile = 1;
		rc = into_profile(o, s.h, base, &out, &unexpressible, &sum);
		if (rc)
			goto out;
		if (o->pfile)
			unexpressible += other_profiles(o, s.h);
		rc = EXIT_ERROR;
	}
	if (out.len && (fwrite(out.buf, 1, out.len, stdout) != out.len || fflush(stdout))) {
		error_errno("cannot write to standard output");
		goto out;
	}
	rc = report(o, &s, &sum) || unexpressible ? EXIT_DANGEROUS : EXIT_OK;
	/* the output is out (and the profile written): the next run starts here */
	if (cur && cursor_save(cur) < 0)
		rc = EXIT_ERROR;
out:
	cursor_close(cur);
	if (locked)
		profile_unlock(o->pfile);
	harvest_close(&s);
	strbuf_release(&out);
	return rc;
}
