/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * policy-dump: aaprof's reading of profile text (standard input), for the
 * differential test against apparmor_parser (tests/fuzz/diff-policy.py).
 * Fields are separated by 0x1f, records by 0x1e (paths may hold newlines;
 * the generated ones hold neither separator):
 *   name NAME              each profile (profile_names)
 *   mode NAME MODE         its mode (profile_mode_of)
 *   file PERMS PATH        each file rule (policy_parse): PERMS as apparmor_parser -d
 *                          prints them (rwalkmx), PATH as it reads it
 *   section CHILD RULE     each rule of the harvested section
 */
#include <stdio.h>
#include <string.h>

#include "profile.h"
#include "strbuf.h"
#include "util.h"

static void rec(const char *a, const char *b, const char *c)
{
	printf("%s\x1f%s", a, b);
	if (c)
		printf("\x1f%s", c);
	putchar(0x1e);
}

static void section_rule(void *ctx, const char *child, const char *rule)
{
	(void)ctx;
	rec("section", child, rule);
}

int main(void)
{
	struct strbuf in = STRBUF_INIT;
	char buf[65536], **names;
	size_t n, i;
	policy_t *p;

	while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0)
		strbuf_add(&in, buf, n);
	names = profile_names(in.buf);
	for (i = 0; names[i]; i++) {
		const char *mode = profile_mode_of(in.buf, names[i]);

		rec("name", names[i], NULL);
		rec("mode", names[i], mode ? mode : "?");
		free(names[i]);
	}
	free(names);
	p = policy_parse(in.buf, NULL);
	for (i = 0; i < policy_nrules(p); i++) {
		unsigned perms;
		int owner, deny;
		const char *g = policy_rule_glob(p, i, &perms, &owner, &deny);
		char ps[16];
		size_t k = 0;

		if (!g)
			continue;
		if (perms & FP_R) ps[k++] = 'r';
		if (perms & FP_W) ps[k++] = 'w';
		if (perms & FP_A) ps[k++] = 'a';
		if (perms & FP_L) ps[k++] = 'l';
		if (perms & FP_K) ps[k++] = 'k';
		if (perms & FP_M) ps[k++] = 'm';
		if (perms & FP_X) ps[k++] = 'x';
		ps[k] = '\0';
		rec("file", ps, g);
	}
	policy_free(p);
	profile_section_rules(in.buf, section_rule, NULL);
	strbuf_release(&in);
	return 0;
}
