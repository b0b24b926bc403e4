/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer: aaprof lint's scanners (shell, Compose, Kubernetes, auto) and its reports */
#include <stdint.h>
#include <string.h>

#include "lint-run.h"
#include "lint.h"
#include "strbuf.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum lint_kind kinds[] = { LINT_AUTO, LINT_SHELL, LINT_COMPOSE, LINT_K8S };
	struct strbuf why = STRBUF_INIT, out = STRBUF_INIT;
	lint_t *l = lint_new();
	char *text;
	size_t i;

	quiet_errors = 1;
	/* the first byte picks the kind; the text is the rest (NUL-terminated copy) */
	enum lint_kind kind = size ? kinds[data[0] % 4] : LINT_AUTO;
	text = size ? xstrndup((const char *)data + 1, size - 1) : xstrdup("");
	lint_set_file(l, "fuzz\x1b[2J.yaml");
	lint_text(l, text, size ? size - 1 : 0, kind, size && (data[0] & 4), &why);
	lint_sort(l);
	lint_format_text(l, &out);
	lint_format_json(l, 1, 0, &out);
	for (i = 0; i < out.len; i++)
		if ((unsigned char)out.buf[i] < 0x20 && out.buf[i] != '\n' && out.buf[i] != '\t')
			__builtin_trap();   /* a control character reached the output */
	strbuf_release(&out);
	strbuf_release(&why);
	lint_free(l);
	free(text);
	return 0;
}
