/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer: the template language (parse + render with fixed variables) */
#include <stdint.h>
#include <string.h>

#include "strbuf.h"
#include "template.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size);
	tmpl_vars_t *vars = tmpl_vars_new();
	struct strbuf out = STRBUF_INIT;

	quiet_errors = 1;
	tmpl_vars_set(vars, "name", "fuzz");
	tmpl_vars_set(vars, "mode", "complain");
	tmpl_vars_set(vars, "attach", "/usr/bin/x y");
	tmpl_vars_append(vars, "includes", "abstractions/base");
	tmpl_vars_append(vars, "includes", "a b");
	/* includes resolve against no directory: only the cycle/escape checks run */
	tmpl_render_string(text, "fuzz.tmpl", NULL, vars, &out);
	tmpl_vars_free(vars);
	strbuf_release(&out);
	free(text);
	return 0;
}
