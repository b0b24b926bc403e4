/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer: one log line -> record_parse -> harvest (derivation, escaping, output) */
#include <stdint.h>
#include <string.h>

#include "harvest.h"
#include "record.h"
#include "strbuf.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct harvest_opts o = { .allowed = 1, .denied = 1, .exec = EXEC_IX, .full_syntax = 1 };
	struct strbuf out = STRBUF_INIT;
	struct record r;
	harvest_t *h;

	quiet_errors = 1;
	record_init(&r);
	record_parse(&r, (const char *)data, size, 1800000000);
	h = harvest_new(&o);
	harvest_add(h, &r, (const char *)data, size);
	harvest_format_json(h, &out);
	{
		const char **p = harvest_profiles(h);
		size_t i;

		for (i = 0; p[i]; i++)
			harvest_format_rules(h, p[i], "  ", &out);
		free(p);
	}
	harvest_free(h);
	record_release(&r);
	strbuf_release(&out);
	return 0;
}
