/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer: the profile reader (policy_parse, coverage queries, section
 * merge, mode switch, profile names), with the invariants its users rely
 * on: a mode set is the mode read back; a section put in is the section
 * read back, whatever comments, quotes and escapes surround it; putting
 * the same section in again changes nothing.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile.h"
#include "strbuf.h"
#include "util.h"

struct seen {
	int n;
	int other;
};

static void count_rule(void *ctx, const char *child, const char *rule)
{
	struct seen *s = ctx;

	s->n++;
	if (*child || strcmp(rule, "/x r,"))
		s->other++;
}

static void check_at(int ok, const char *what, int line)
{
	if (!ok) {
		fprintf(stderr, "fuzz-profile.c:%d: invariant broken: %s\n", line, what);
		abort();
	}
}
#define check(x) check_at((x), #x, __LINE__)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size);
	struct strbuf out = STRBUF_INIT, again = STRBUF_INIT, why = STRBUF_INIT;
	policy_t *p;
	unsigned denied;
	struct seen seen = { 0, 0 };
	char *name = NULL, **names;
	size_t i;

	quiet_errors = 1;
	p = policy_parse(text, NULL);
	policy_file_perms(p, "/etc/passwd", 1, &denied);
	policy_file_perms(p, "/home/x/.cache/y", 0, &denied);
	policy_rule_status(p, "capability chown");
	policy_rule_status(p, "network inet stream");
	policy_rule_status(p, "signal send set=term peer=x");
	policy_free(p);
	profile_section_rules(text, count_rule, &seen);

	/* a section put in is read back, and putting it in again changes nothing */
	if (profile_replace_section(text, NULL, "  /x r,\n", &out, &why) == 0) {
		seen.n = seen.other = 0;
		check(profile_section_rules(out.buf, count_rule, &seen) == 1);
		check(seen.n == 1 && seen.other == 0);
		check(profile_replace_section(out.buf, NULL, "  /x r,\n", &again, &why) == 0);
		check(!strcmp(out.buf, again.buf));
	}
	strbuf_reset(&out);
	strbuf_reset(&again);

	/* a mode set is the mode read back */
	if (profile_set_mode(text, NULL, "complain", &out, &why) == 0) {
		check(profile_mode_of(out.buf, NULL) && !strcmp(profile_mode_of(out.buf, NULL), "complain"));
		if (profile_set_mode(out.buf, NULL, "enforce", &again, &why) == 0)
			check(!strcmp(profile_mode_of(again.buf, NULL), "enforce"));
	}
	profile_mode_of(text, NULL);
	if (profile_main(text, &name, NULL, NULL) == 0)
		free(name);
	names = profile_names(text);
	for (i = 0; names[i]; i++) {
		profile_mode_of(text, names[i]);
		free(names[i]);
	}
	free(names);
	strbuf_release(&out);
	strbuf_release(&again);
	strbuf_release(&why);
	free(text);
	return 0;
}
