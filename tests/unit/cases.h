/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Golden-file test groups: one cmocka test per file NAME.SUFFIX in a
 * directory of the source tree ($AAPROF_SRCDIR), run with NAME as its state.
 * Include after <cmocka.h>.
 */
#ifndef AAPROF_TEST_CASES_H
#define AAPROF_TEST_CASES_H

#include <dirent.h>
#include <string.h>
#include <unistd.h>

#include "record.h"
#include "util.h"

/*
 * Parse test_multi's BASE.in as libapparmor's test driver does: the whole
 * file is one record, its newlines spaces. Returns the text (free it),
 * whose length goes to *ret_len, for evidence.
 */
static inline char *parse_case_record(const char *base, time_t now, struct record *r,
				      size_t *ret_len)
{
	_cleanup_free_ char *inf = xasprintf("%s.in", base);
	char *in = NULL;
	size_t len, i;

	if (read_file(inf, 1 << 20, &in, &len) < 0)
		return NULL;
	while (len && in[len - 1] == '\n')
		len--;
	for (i = 0; i < len; i++)
		if (in[i] == '\n')
			in[i] = ' ';
	record_init(r);
	record_parse(r, in, len, now);
	*ret_len = len;
	return in;
}

/* extra: one more test to run after the file cases, or NULL */
static inline int run_file_cases(const char *group, const char *dir, const char *suffix,
				 CMUnitTestFunction fn, const struct CMUnitTest *extra)
{
	const char *src = getenv("AAPROF_SRCDIR");
	size_t n = 0, alloc = 0, slen = strlen(suffix);
	struct CMUnitTest *tests = NULL;
	struct dirent **ents;
	char **names;
	int k, nents, rc;

	if (!src || chdir(src) < 0 || chdir(dir) < 0) {
		fprintf(stderr, "set AAPROF_SRCDIR to the source tree (no %s)\n", dir);
		return 1;
	}
	nents = scandir(".", &ents, NULL, alphasort);
	if (nents <= 0)
		return 1;
	names = xcalloc(nents, sizeof(char *));
	for (k = 0; k < nents; k++) {
		if (ends_with(ents[k]->d_name, suffix)) {
			names[k] = xstrndup(ents[k]->d_name, strlen(ents[k]->d_name) - slen);
			ALLOC_GROW(tests, n + 1, alloc);
			tests[n++] = (struct CMUnitTest){ names[k], fn, NULL, NULL, names[k] };
		}
		free(ents[k]);
	}
	free(ents);
	if (extra) {
		ALLOC_GROW(tests, n + 1, alloc);
		tests[n++] = *extra;
	}
	rc = _cmocka_run_group_tests(group, tests, n, NULL, NULL);
	for (k = 0; k < nents; k++)
		free(names[k]);
	free(names);
	free(tests);
	return rc;
}

#endif
