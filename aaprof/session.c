/* SPDX-License-Identifier: GPL-2.0-or-later */
/* session.c - one harvest set up for `aaprof harvest` and the enforce gate alike */
#include "session.h"
#include "load.h"
#include "paths.h"
#include "profile.h"
#include "util.h"

#include <string.h>

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

/* the dangerous-access list, and the generalisation rules that must respect it */
static int load_rules(const struct harvest_setup *o, struct harvest_session *s)
{
	char **dirs = data_search_path("rules", o->rules_dir);
	int r = 0;

	s->danger = danger_new();
	if (danger_load_dirs(s->danger, (const char *const *)dirs) < 0) {
		if (o->danger_optional) {
			danger_free(s->danger);
			s->danger = NULL;
		} else {
			r = error("cannot load the list of dangerous accesses");
		}
	}
	paths_free(dirs);
	if (r < 0 || !o->generalise)
		return r;
	dirs = data_search_path("rules", o->rules_dir);
	s->gen = genrules_new();
	if (genrules_load_dirs(s->gen, (const char *const *)dirs) < 0)
		r = error("cannot load the generalisation rules (--no-generalise to go without)");
	else
		genrules_set_danger(s->gen, s->danger);
	paths_free(dirs);
	return r;
}

int harvest_open(const struct harvest_setup *o, struct harvest_session *s)
{
	struct harvest_opts ho = o->ho;

	memset(s, 0, sizeof(*s));
	if (o->policy_text) {
		/* what the profile already allows, with its includes expanded */
		struct strbuf err = STRBUF_INIT;

		if (parser_policy(o->policy_text, &s->existing, &err) < 0) {
			error("apparmor_parser cannot read %s: %s", o->policy_what, err.buf);
			strbuf_release(&err);
			return EXIT_REJECTED;
		}
		strbuf_release(&err);
	}
	if (load_rules(o, s) < 0)
		return EXIT_ERROR;
	ho.existing = s->existing;
	ho.danger = s->danger;
	ho.gen = s->gen;
	s->h = harvest_new(&ho);
	/* the rule forms are the target's, never the installed parser's */
	if (abi_target_init(&s->target, o->abi_text ? o->abi_text : o->policy_text,
			    o->profile_dir, o->target_file) < 0)
		return EXIT_ERROR;
	harvest_set_target(s->h, &s->target);
	if (o->section_of) {
		struct section_ctx sc = { s->h, o->section_of };

		profile_section_rules(o->policy_text, add_section_rule, &sc);
	}
	/* the gate reads back to evidence_since, to the load of the profile */
	s->so = o->so;
	s->so.since = ho.evidence_since > 0 ? ho.evidence_since : ho.since;
	s->so.until = ho.until;
	s->so.boot_time = ho.boot_time;
	return 0;
}

int harvest_read(struct harvest_session *s)
{
	return scan_sources(s->h, &s->so, &s->st);
}

void harvest_close(struct harvest_session *s)
{
	scan_stats_release(&s->st);
	harvest_free(s->h);
	abi_target_release(&s->target);
	genrules_free(s->gen);
	danger_free(s->danger);
	policy_free(s->existing);
	memset(s, 0, sizeof(*s));
}
