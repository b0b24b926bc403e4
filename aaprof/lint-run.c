/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lint-run.c - aaprof lint's job: files to findings (see lint-run.h) */
#include "lint-run.h"
#include "lint-shell.h"
#include "lint-yaml.h"
#include "util.h"
#include "yamltree.h"

#include <string.h>

static int scan_yaml(lint_t *l, const yaml_doc_t *doc, enum lint_kind kind, struct strbuf *why)
{
	if (kind == LINT_K8S)
		return lint_k8s(l, doc, why);
	return lint_compose(l, doc, why);
}

int lint_text(lint_t *l, const char *text, size_t len, enum lint_kind kind, int yaml_name,
	      struct strbuf *why)
{
	yaml_doc_t *doc = NULL;
	int r;

	if (memchr(text, '\0', len))
		return 1;
	if (kind == LINT_SHELL) {
		lint_shell(l, text, len);
		return 0;
	}
	if (yaml_doc_parse(text, len, &doc, why) < 0) {
		if (kind == LINT_AUTO && !yaml_name) {
			strbuf_reset(why);
			lint_shell(l, text, len);
			return 0;
		}
		strbuf_insertstr(why, 0, "malformed YAML: ");
		return -1;
	}
	if (kind == LINT_AUTO)
		kind = lint_yaml_kind(doc);
	if (kind == LINT_SHELL) {
		/* YAML of another kind (a CI file): its command lines */
		lint_shell(l, text, len);
		r = 0;
	} else {
		r = scan_yaml(l, doc, kind, why);
	}
	yaml_doc_free(doc);
	return r;
}

static int yaml_named(const char *path)
{
	return ends_with(path, ".yml") || ends_with(path, ".yaml") || ends_with(path, ".json");
}

/* scan one file: 0, or -1 after a message */
static int lint_one(lint_t *l, const char *path, enum lint_kind kind)
{
	_cleanup_free_ char *text = NULL;
	struct strbuf why = STRBUF_INIT;
	size_t len = 0;
	int r;

	lint_set_file(l, path);
	if (read_file(streq(path, "-") ? "/dev/stdin" : path, LINT_MAX_FILE, &text, &len) < 0)
		return -1;
	r = lint_text(l, text, len, kind, yaml_named(path), &why);
	if (r > 0)
		note("'%s': a binary file, not scanned", path);
	else if (r < 0)
		error("'%s': %s", path, why.buf);
	strbuf_release(&why);
	return r < 0 ? -1 : 0;
}

int lint_run(char *const *files, size_t n, enum lint_kind kind, int json)
{
	lint_t *l = lint_new();
	struct strbuf out = STRBUF_INIT;
	size_t i, bad = 0;
	int rc;

	for (i = 0; i < n; i++)
		if (lint_one(l, files[i], kind) < 0)
			bad++;
	lint_sort(l);
	if (json)
		lint_format_json(l, n, bad, &out);
	else
		lint_format_text(l, &out);
	rc = bad ? EXIT_ERROR : lint_count(l) ? EXIT_FINDINGS : EXIT_OK;
	if (fwrite(out.buf, 1, out.len, stdout) != out.len || fflush(stdout) != 0) {
		error_errno("cannot write to standard output");
		rc = EXIT_ERROR;
	}
	if (!json && lint_count(l))
		note("%zu error%s, %zu warning%s", lint_errors(l), lint_errors(l) == 1 ? "" : "s",
		     lint_count(l) - lint_errors(l), lint_count(l) - lint_errors(l) == 1 ? "" : "s");
	strbuf_release(&out);
	lint_free(l);
	return rc;
}
