/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer: the rules-file parsers (generalisation and danger) and applying them */
#include <stdint.h>
#include <string.h>

#include "profile.h"
#include "rules.h"
#include "strbuf.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = {
		"/proc/1234/status", "/home/bob/.cache/x y", "/tmp/tmpabcdefgh", "/etc/shadow",
		"/var/lib/docker/overlay2/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef/x",
	};
	char *a = xstrndup((const char *)data, size), *b = xstrndup((const char *)data, size);
	genrules_t *g = genrules_new();
	danger_t *d = danger_new();
	size_t i;

	quiet_errors = 1;
	genrules_load_text(g, "fuzz.rules", a);
	danger_load_text(d, "fuzz.danger", b);
	for (i = 0; i < ARRAY_SIZE(paths); i++) {
		struct strbuf out = STRBUF_INIT, src = STRBUF_INIT, why = STRBUF_INIT;

		genrules_apply(g, paths[i], &out, &src, &why);
		danger_file(d, paths[i], FP_R | FP_W);
		strbuf_release(&out);
		strbuf_release(&src);
		strbuf_release(&why);
	}
	danger_capability(d, "sys_admin");
	danger_kind(d, "mount");
	genrules_free(g);
	danger_free(d);
	free(a);
	free(b);
	return 0;
}
