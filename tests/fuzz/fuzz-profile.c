/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer: the profile reader (policy_parse, coverage queries, section merge, mode switch) */
#include <stdint.h>
#include <string.h>

#include "profile.h"
#include "strbuf.h"
#include "util.h"

static void count_rule(void *ctx, const char *child, const char *rule)
{
	(void)child;
	(void)rule;
	(*(int *)ctx)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size);
	struct strbuf out = STRBUF_INIT, why = STRBUF_INIT;
	policy_t *p;
	unsigned denied;
	int n = 0;
	char *name = NULL;

	quiet_errors = 1;
	p = policy_parse(text, NULL);
	policy_file_perms(p, "/etc/passwd", 1, &denied);
	policy_file_perms(p, "/home/x/.cache/y", 0, &denied);
	policy_rule_status(p, "capability chown");
	policy_rule_status(p, "network inet stream");
	policy_rule_status(p, "signal send set=term peer=x");
	policy_free(p);
	profile_section_rules(text, count_rule, &n);
	profile_replace_section(text, NULL, "  /x r,\n", &out, &why);
	strbuf_reset(&out);
	profile_set_mode(text, NULL, "complain", &out, &why);
	profile_mode_of(text, NULL);
	if (profile_main(text, &name, NULL, NULL) == 0)
		free(name);
	strbuf_release(&out);
	strbuf_release(&why);
	free(text);
	return 0;
}
