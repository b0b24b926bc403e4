/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cli.c - what the option parsing of every command shares (see cli.h) */
#include "cli.h"
#include "parser.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

/* optimal string alignment distance (a transposition counts one), case ignored */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, r;
	size_t *d;

	if (la > 64 || lb > 64)
		return (size_t)-1;
	d = xcalloc((la + 1) * (lb + 1), sizeof(*d));
#define D(x, y) d[(x) * (lb + 1) + (y)]
	for (i = 0; i <= la; i++)
		D(i, 0) = i;
	for (j = 0; j <= lb; j++)
		D(0, j) = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			int ne = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
			size_t v = D(i - 1, j - 1) + ne;

			if (D(i - 1, j) + 1 < v)
				v = D(i - 1, j) + 1;
			if (D(i, j - 1) + 1 < v)
				v = D(i, j - 1) + 1;
			if (i > 1 && j > 1 && tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == tolower((unsigned char)b[j - 1]) &&
			    D(i - 2, j - 2) + 1 < v)
				v = D(i - 2, j - 2) + 1;
			D(i, j) = v;
		}
	}
	r = D(la, lb);
#undef D
	free(d);
	return r;
}

const char *cli_nearest(const char *s, const char *const *choices, size_t n)
{
	size_t len = strlen(s), i, best = (size_t)-1, limit;
	const char *found = NULL, *prefix = NULL;
	size_t nprefix = 0;

	for (i = 0; i < n; i++) {
		size_t d = distance(s, choices[i]);

		if (len && !strncasecmp(choices[i], s, len)) {
			prefix = choices[i];
			nprefix++;
		}
		if (d < best) {
			best = d;
			found = choices[i];
		}
	}
	limit = len < 4 ? 1 : len < 12 ? 2 : 3;
	if (found && best <= limit)
		return found;
	return nprefix == 1 ? prefix : NULL;
}

/* the long option named by arg ("--name" or "--name=value"), or NULL */
static const struct option *long_named(const struct option *longopts, const char *arg)
{
	size_t len = strcspn(arg + 2, "=");

	for (; longopts->name; longopts++)
		if (strlen(longopts->name) == len && !strncmp(longopts->name, arg + 2, len))
			return longopts;
	return NULL;
}

static int unknown_long(const struct option *longopts, const char *arg)
{
	const char *names[128];
	_cleanup_free_ char *name = xstrndup(arg + 2, strcspn(arg + 2, "="));
	const char *near;
	size_t n = 0;

	for (; longopts->name && n < ARRAY_SIZE(names); longopts++)
		names[n++] = longopts->name;
	near = *name ? cli_nearest(name, names, n) : NULL;
	if (near && starts_with(near, name))
		return error("unknown option '--%s': options are not abbreviated (did you mean "
			     "'--%s'?)", name, near);
	if (near)
		return error("unknown option '--%s' (did you mean '--%s'?)", name, near);
	return error("unknown option '--%s'", name);
}

int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts)
{
	char opts[128];
	const char *prev;
	int c, idx = -1;

	/* a leading ':' makes getopt_long return ':' for a missing value, silently */
	snprintf(opts, sizeof(opts), ":%s", shortopts);
	opterr = 0;
	c = getopt_long(argc, argv, opts, longopts, &idx);
	if (c == -1)
		return c;
	prev = optind > 0 && optind <= argc ? argv[optind - 1] : "";
	if (c == ':') {
		if (starts_with(prev, "--"))
			error("option '%s' needs a value", prev);
		else
			error("option '-%c' needs a value", optopt);
		return '?';
	}
	if (c == '?') {
		const struct option *o = starts_with(prev, "--") ? long_named(longopts, prev) : NULL;

		if (!optopt && starts_with(prev, "--"))
			unknown_long(longopts, prev);
		else if (o && o->val == optopt && strchr(prev, '='))
			error("option '--%s' takes no value", o->name);
		else if (optopt)
			error("unknown option '-%c'", optopt);
		else
			error("unknown option '%s'", prev);
		return '?';
	}
	if (idx >= 0) {
		/* the argument getopt_long matched: the word before a separate value */
		const char *word = optarg && optind >= 2 && optarg == argv[optind - 1] ?
				   argv[optind - 2] : prev;

		if (!starts_with(word, "--") || long_named(longopts, word) != &longopts[idx]) {
			if (starts_with(word, "--"))
				error("unknown option '%.*s': options are not abbreviated (did you mean "
				      "'--%s'?)", (int)strcspn(word, "="), word, longopts[idx].name);
			else
				error("unknown option '%s'", word);
			return '?';
		}
	}
	return c;
}

int cli_check_dir(const char *option, const char *path)
{
	struct stat st;

	if (!*path)
		return error("%s '': expected a directory", option);
	if (stat(path, &st) < 0) {
		/* not a usage error: the command says what it needs (root, exit 6) */
		if (errno == EACCES)
			return 0;
		return error("%s '%s': %s", option, path, strerror(errno));
	}
	if (!S_ISDIR(st.st_mode))
		return error("%s '%s': not a directory", option, path);
	return 0;
}

int cli_profile_dir(const char *path)
{
	if (cli_check_dir("--profile-dir", path) < 0)
		return -1;
	parser_set_profile_dir(path);
	return 0;
}
