/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Rule derivation against aa-logprof: for each test_multi case with a
 * .profile (the rules aa-logprof derives from the .in line), harvest the
 * record with generalisation off and compare the rule sets (normalised:
 * one "label<TAB>rule" string per rule, whitespace trimmed). Where aaprof
 * deliberately differs, tests/data/test_multi.differences gives aaprof's
 * rules for the case and the reason; those are checked instead.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <string.h>
#include <unistd.h>

#include "harvest.h"
#include "record.h"
#include "strbuf.h"
#include "util.h"
#include "cases.h"

static char *differences;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* parse profile text into sorted "label\trule" lines, joined by \n */
static char *normalise(const char *text)
{
	char *copy = xstrdup(text), *line, *save = NULL;
	char *labels[8] = { 0 }, *out[512];
	size_t depth = 0, n = 0, i;
	struct strbuf sb = STRBUF_INIT;

	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *s = line, *e;

		while (*s == ' ' || *s == '\t')
			s++;
		e = s + strlen(s);
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			*--e = '\0';
		if (!*s || *s == '#')
			continue;
		if (e[-1] == '{') {
			e[-1] = '\0';
			while (e - 1 > s && e[-2] == ' ')
				*(--e - 1) = '\0';
			if (starts_with(s, "profile "))
				s += 8;
			if (*s == '^')
				s++;
			if (*s == '"' && s[strlen(s) - 1] == '"') {
				s[strlen(s) - 1] = '\0';
				s++;
			}
			labels[depth] = depth ? xasprintf("%s//%s", labels[depth - 1], s) : xstrdup(s);
			depth++;
			continue;
		}
		if (*s == '}') {
			if (depth)
				free(labels[--depth]);
			continue;
		}
		if (n < ARRAY_SIZE(out))
			out[n++] = xasprintf("%s\t%s", depth ? labels[depth - 1] : "?", s);
	}
	while (depth)
		free(labels[--depth]);
	qsort(out, n, sizeof(char *), cmp_str);
	for (i = 0; i < n; i++) {
		strbuf_addf(&sb, "%s\n", out[i]);
		free(out[i]);
	}
	free(copy);
	return strbuf_detach(&sb, NULL);
}

/* aaprof's rules for a case from the differences file, or NULL */
static char *expected_difference(const char *base)
{
	struct strbuf sb = STRBUF_INIT;
	char *copy = xstrdup(differences), *line, *save = NULL;
	int found = 0;

	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *tab = strchr(line, '\t'), *hash;

		if (line[0] == '#' || !tab)
			continue;
		*tab = '\0';
		if (strcmp(line, base))
			continue;
		found = 1;
		hash = strstr(tab + 1, "\t#");
		if (hash)
			*hash = '\0';
		if (strcmp(tab + 1, "-"))
			strbuf_addf(&sb, "%s\n", tab + 1);
	}
	free(copy);
	if (!found) {
		strbuf_release(&sb);
		return NULL;
	}
	{
		/* sort the lines like normalise() does */
		char *lines[64], *l, *s2 = NULL, *text = strbuf_detach(&sb, NULL);
		size_t n = 0, i;

		for (l = strtok_r(text, "\n", &s2); l && n < 64; l = strtok_r(NULL, "\n", &s2))
			lines[n++] = l;
		qsort(lines, n, sizeof(char *), cmp_str);
		for (i = 0; i < n; i++)
			strbuf_addf(&sb, "%s\n", lines[i]);
		free(text);
		return strbuf_detach(&sb, NULL);
	}
}

static void derive_case(void **state)
{
	const char *base = *state;
	_cleanup_free_ char *proff = xasprintf("%s.profile", base);
	_cleanup_free_ char *in = NULL, *prof = NULL, *want = NULL, *got = NULL;
	struct harvest_opts o = { .allowed = 1, .denied = 1, .exec = EXEC_IX,
				  .keep_children = 1, .full_syntax = 1 };
	struct strbuf text = STRBUF_INIT;
	const char **profiles;
	harvest_t *h;
	struct record r;
	size_t len = 0, i;

	in = parse_case_record(base, 1800000000, &r, &len);
	assert_non_null(in);
	assert_int_equal(read_file(proff, 1 << 20, &prof, NULL), 0);
	h = harvest_new(&o);
	harvest_add(h, &r, in, len);
	profiles = harvest_profiles(h);
	for (i = 0; profiles[i]; i++) {
		const char *sep = strstr(profiles[i], "//");
		_cleanup_free_ char *root = sep ? xstrndup(profiles[i], sep - profiles[i]) :
					       xstrdup(profiles[i]);

		strbuf_addf(&text, "profile \"%s\" {\n", root);
		harvest_format_rules(h, root, "  ", &text);
		strbuf_addstr(&text, "}\n");
	}
	free(profiles);
	got = normalise(text.buf);
	want = expected_difference(base);
	if (!want)
		want = normalise(prof);
	if (strcmp(got, want)) {
		print_error("%s: aa-logprof (or the documented difference):\n%s--- aaprof:\n%s"
			    "--- problems: %s\n", base, want, got, harvest_problems(h));
		fail();
	}
	harvest_free(h);
	record_release(&r);
	strbuf_release(&text);
}

int main(void)
{
	const char *src = getenv("AAPROF_SRCDIR");
	_cleanup_free_ char *path = src ? xasprintf("%s/tests/data/test_multi.differences", src) : NULL;
	int rc;

	if (!path || read_file(path, 1 << 20, &differences, NULL) < 0) {
		fprintf(stderr, "set AAPROF_SRCDIR to the source tree\n");
		return 1;
	}
	rc = run_file_cases("derive", "tests/data/test_multi", ".profile", derive_case, NULL);
	free(differences);
	return rc;
}
