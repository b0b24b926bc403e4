/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * check-baseline.c - aaprof check --baseline: does a container's profile
 * still hold the baseline's (docker-default's) deny rules, and does it
 * allow what the baseline does not?
 */
#include "check.h"
#include "parser.h"
#include "policy.h"
#include "render.h"
#include "target.h"
#include "util.h"

#include <string.h>

/* the deny file rules of the baseline the profile lacks (a glob it does not
   deny with at least the same permissions) */
static size_t lacking_file_denies(const policy_t *pp, const policy_t *bp, const char *base,
				  struct check_report *r)
{
	size_t i, j, held = 0;

	for (i = 0; i < policy_nrules(bp); i++) {
		unsigned perms, have = 0, p2;
		int owner, deny, o2, d2;
		const char *g = policy_rule_glob(bp, i, &perms, &owner, &deny), *g2;

		if (!g || !deny)
			continue;
		for (j = 0; j < policy_nrules(pp); j++)
			if ((g2 = policy_rule_glob(pp, j, &p2, &o2, &d2)) && d2 && streq(g, g2) &&
			    (!o2 || owner))
				have |= p2;
		if (perms & ~have) {
			_cleanup_free_ char *s = check_shown(g);

			check_add(r, CHECK_BASELINE, CHECK_FAIL, "lacks %s's deny rule for '%s'%s", base, s,
				  have ? " (it denies fewer permissions)" : "");
		} else {
			held++;
		}
	}
	return held;
}

static size_t lacking_other_denies(const policy_t *pp, const policy_t *bp, const char *base,
				   struct check_report *r)
{
	size_t i, held = 0;

	for (i = 0; i < policy_nrules(bp); i++) {
		int deny, st;
		const char *t = policy_rule_text(bp, i, &deny);

		if (!t || !deny)
			continue;
		st = policy_rule_status(pp, t);
		if (st == -1) {
			held++;
			continue;
		}
		{
			_cleanup_free_ char *s = check_shown(t);

			check_add(r, CHECK_BASELINE, CHECK_FAIL, "lacks %s's 'deny %s,'%s", base, s,
				  st == 1 ? " and allows it" : "");
		}
	}
	return held;
}

/* the profile's non-file rules the baseline does not allow */
static void wider(const policy_t *pp, const policy_t *bp, const char *base, struct check_report *r)
{
	size_t i;

	for (i = 0; i < policy_nrules(pp); i++) {
		int deny;
		const char *t = policy_rule_text(pp, i, &deny);

		if (!t || deny || policy_rule_status(bp, t) == 1)
			continue;
		{
			_cleanup_free_ char *s = check_shown(t);

			check_add(r, CHECK_BASELINE, CHECK_FAIL, "allows '%s,', which %s does not", s, base);
		}
	}
}

int check_baseline_text(const char *profile_text, const char *baseline_text, const char *base,
			struct check_report *r)
{
	struct strbuf err = STRBUF_INIT;
	policy_t *pp = NULL, *bp = NULL;
	unsigned before = r->failed;
	size_t held;

	if (parser_policy(profile_text, &pp, &err) < 0) {
		error("apparmor_parser -p: %s", err.buf);
		strbuf_release(&err);
		return -1;
	}
	if (parser_policy(baseline_text, &bp, &err) < 0) {
		policy_free(pp);
		error("apparmor_parser -p (the baseline %s): %s", base, err.buf);
		strbuf_release(&err);
		return -1;
	}
	strbuf_release(&err);
	r->failed &= ~CHECK_BASELINE;
	held = lacking_file_denies(pp, bp, base, r) + lacking_other_denies(pp, bp, base, r);
	wider(pp, bp, base, r);
	if (!(r->failed & CHECK_BASELINE))
		check_add(r, CHECK_BASELINE, CHECK_OK, "holds %s's %zu deny rules and allows no other "
			  "kind of rule", base, held);
	r->failed |= before;
	policy_free(pp);
	policy_free(bp);
	return 0;
}

void check_baseline(const struct check_opts *o, const char *profile, struct check_report *r)
{
	struct render_opts ro = { .name = profile, .template_name = o->baseline,
				  .profile_dir = o->profile_dir };
	struct strbuf base = STRBUF_INIT;
	_cleanup_free_ char *file = NULL, *path = NULL, *text = NULL, *ps = check_shown(profile);

	if (target_check_arg(profile) < 0 || target_find_file(o->profile_dir, profile, &file) != 0 ||
	    !file) {
		check_add(r, CHECK_BASELINE, CHECK_FAIL, "no file in %s defines profile '%s': it "
			  "cannot be compared with %s", o->profile_dir, ps, o->baseline);
		return;
	}
	path = xasprintf("%s/%s", o->profile_dir, file);
	if (read_file(path, 16u << 20, &text, NULL) < 0) {
		check_add(r, CHECK_BASELINE, CHECK_FAIL, "cannot read '%s'", path);
		return;
	}
	/* the baseline as it would be for this profile: the same name in its peers */
	if (render_profile(&ro, &base, NULL) < 0) {
		check_add(r, CHECK_BASELINE, CHECK_FAIL, "cannot render the baseline '%s' for '%s'",
			  o->baseline, ps);
	} else if (check_baseline_text(text, base.buf, o->baseline, r) < 0) {
		check_add(r, CHECK_BASELINE, CHECK_FAIL, "cannot compare '%s' with %s", path,
			  o->baseline);
	}
	strbuf_release(&base);
}
