/* SPDX-License-Identifier: GPL-2.0-or-later */
/* render-run.c - aaprof render's job: a template to a checked file or standard output */
#include "render-run.h"
#include "abi.h"
#include "load.h"
#include "util.h"

#include <errno.h>

/* a file is for loading: never write one apparmor_parser rejects */
static int write_checked(const char *output, const char *name, const struct strbuf *text)
{
	struct strbuf perr = STRBUF_INIT;

	if (!parser_path()) {
		error("apparmor_parser not found: cannot check the profile before writing '%s' "
		      "(install the 'apparmor' package, or render to standard output)", output);
		return EXIT_NOPARSER;
	}
	if (parser_check(text->buf, text->len, name, &perr) < 0) {
		error("apparmor_parser rejected the rendered profile ('%s' not written): %s",
		      output, perr.buf);
		strbuf_release(&perr);
		return EXIT_REJECTED;
	}
	strbuf_release(&perr);
	if (write_file_atomic(output, text->buf, text->len, 0644, NULL) < 0)
		return EXIT_ERROR;
	return EXIT_OK;
}

/* under an ABI with fine-grained unix mediation, "network," no longer covers unix sockets */
static void warn_unix_by_network(const struct render_opts *o, const struct strbuf *text)
{
	struct strbuf why = STRBUF_INIT;

	if (abi_unix_by_network(text->buf, o->profile_dir, &why))
		warning("the rendered profile '%s': %s", o->name, why.buf);
	strbuf_release(&why);
}

int render_run(const struct render_opts *o, const char *output)
{
	struct strbuf out = STRBUF_INIT;
	int r, rc = EXIT_OK;

	r = render_profile(o, &out, NULL);
	if (r >= 0)
		warn_unix_by_network(o, &out);
	if (r < 0) {
		rc = r == -EINVAL ? EXIT_USAGE : EXIT_ERROR;
	} else if (output) {
		rc = write_checked(output, o->name, &out);
	} else if (fwrite(out.buf, 1, out.len, stdout) != out.len || fflush(stdout) != 0) {
		error_errno("cannot write to standard output");
		rc = EXIT_ERROR;
	}
	strbuf_release(&out);
	return rc;
}
