/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * aaglob.c - AppArmor path globs -> pcre2, with @{VAR} from tunables.
 * Used to decide whether a profile already allows an access and to check
 * that generalisation never covers a path it should not.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "aaglob.h"

#include <dirent.h>
#include <pcre2.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

struct aavar {
	char *name;
	char **vals;
	size_t n, alloc;
};

struct aavars {
	struct aavar *v;
	size_t n, alloc;
};

aavars_t *aavars_new(void)
{
	return xcalloc(1, sizeof(aavars_t));
}

void aavars_free(aavars_t *v)
{
	size_t i, j;

	if (!v)
		return;
	for (i = 0; i < v->n; i++) {
		for (j = 0; j < v->v[i].n; j++)
			free(v->v[i].vals[j]);
		free(v->v[i].vals);
		free(v->v[i].name);
	}
	free(v->v);
	free(v);
}

static struct aavar *find_var(const aavars_t *v, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		if (strlen(v->v[i].name) == n && !memcmp(v->v[i].name, name, n))
			return &v->v[i];
	return NULL;
}

int aavars_get(const aavars_t *v, const char *name, size_t len, const char *const **ret_vals,
	       size_t *ret_n)
{
	const struct aavar *var = find_var(v, name, len);

	if (!var)
		return 0;
	*ret_vals = (const char *const *)var->vals;
	*ret_n = var->n;
	return 1;
}

void aavars_add(aavars_t *v, const char *name, const char *values)
{
	struct aavar *var = find_var(v, name, strlen(name));
	const char *s = values;

	if (!var) {
		ALLOC_GROW(v->v, v->n + 1, v->alloc);
		var = &v->v[v->n++];
		memset(var, 0, sizeof(*var));
		var->name = xstrdup(name);
	}
	while (*s) {
		const char *w;
		size_t n;

		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s || *s == '#')
			break;
		if (*s == '"') {
			w = ++s;
			while (*s && *s != '"')
				s++;
			n = s - w;
			if (*s)
				s++;
		} else {
			w = s;
			while (*s && *s != ' ' && *s != '\t')
				s++;
			n = s - w;
		}
		ALLOC_GROW(var->vals, var->n + 1, var->alloc);
		var->vals[var->n++] = xstrndup(w, n);
	}
}

static int load_path(aavars_t *v, const char *root, const char *path, int depth);

static int load_one(aavars_t *v, const char *root, const char *path, int depth)
{
	_cleanup_free_ char *text = NULL;
	char *line, *save = NULL;

	if (depth > 8 || read_file(path, 1 << 20, &text, NULL) < 0)
		return -1;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *s = line, *eq, *lt, *gt;

		while (*s == ' ' || *s == '\t')
			s++;
		if (starts_with(s, "@{")) {
			char *close = strchr(s, '}');

			if (!close)
				continue;
			eq = strchr(close, '=');
			if (!eq)
				continue;
			*close = '\0';
			aavars_add(v, s + 2, eq + 1);
			continue;
		}
		if (starts_with(s, "#include") || starts_with(s, "include")) {
			lt = strchr(s, '<');
			gt = lt ? strchr(lt, '>') : NULL;
			if (lt && gt) {
				_cleanup_free_ char *inc = xasprintf("%s/%.*s", root,
								     (int)(gt - lt - 1), lt + 1);
				int q = quiet_errors;

				quiet_errors = 1;   /* include if exists: a missing file is fine */
				load_path(v, root, inc, depth + 1);
				quiet_errors = q;
			}
		}
	}
	return 0;
}

static int load_path(aavars_t *v, const char *root, const char *path, int depth)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -1;
	if (S_ISDIR(st.st_mode)) {
		struct dirent **ents;
		int n = scandir(path, &ents, NULL, alphasort), i;

		for (i = 0; i < n; i++) {
			if (ents[i]->d_name[0] != '.') {
				char *p = xasprintf("%s/%s", path, ents[i]->d_name);

				load_one(v, root, p, depth);
				free(p);
			}
			free(ents[i]);
		}
		if (n >= 0)
			free(ents);
		return 0;
	}
	return load_one(v, root, path, depth);
}

int aavars_load(aavars_t *v, const char *root, const char *file)
{
	_cleanup_free_ char *path = xasprintf("%s/%s", root, file);

	return load_path(v, root, path, 0);
}

/* ------------------------------------------------------------ convert */

/* the class [...] at g[*i]: pcre2's reading of it; *i ends on its ']' */
static int convert_class(const char *g, size_t n, size_t *i, struct strbuf *out,
			 struct strbuf *why)
{
	size_t j = *i + 1;

	strbuf_addch(out, '[');
	if (j < n && g[j] == '^') {
		strbuf_addch(out, '^');
		j++;
	}
	for (; j < n && g[j] != ']'; j++) {
		if (g[j] == '\\' && j + 1 < n)
			j++;
		if (strchr("\\[]^", g[j]))
			strbuf_addch(out, '\\');
		strbuf_addch(out, g[j]);
	}
	if (j >= n) {
		strbuf_addstr(why, "unclosed [");
		return -1;
	}
	strbuf_addch(out, ']');
	*i = j;
	return 0;
}

static int convert(const char *g, size_t n, const aavars_t *vars, struct strbuf *out,
		   struct strbuf *why, int depth, int *slash);

/* the variable @{...} at g[*i]: its values as alternatives; *i ends on its '}' */
static int convert_var(const char *g, size_t n, size_t *i, const aavars_t *vars,
		       struct strbuf *out, struct strbuf *why, int depth, int *slash)
{
	const char *close = memchr(g + *i, '}', n - *i);
	const struct aavar *v;
	size_t k;
	int start = *slash, any = 0;

	if (!close) {
		strbuf_addstr(why, "unclosed @{");
		return -1;
	}
	v = vars ? find_var(vars, g + *i + 2, close - g - *i - 2) : NULL;
	if (!v) {
		strbuf_addf(why, "unknown variable @{%.*s}", (int)(close - g - *i - 2), g + *i + 2);
		return -1;
	}
	strbuf_addstr(out, "(?:");
	for (k = 0; k < v->n; k++) {
		if (k)
			strbuf_addch(out, '|');
		*slash = start;
		if (convert(v->vals[k], strlen(v->vals[k]), vars, out, why, depth + 1, slash) < 0)
			return -1;
		any |= *slash;
	}
	*slash = any;
	strbuf_addch(out, ')');
	*i = close - g;
	return 0;
}

/*
 * *slash: the last thing matched is a '/', so a following '/' is optional
 * (AppArmor collapses "//" that variable expansion produces, as in
 * @{HOME}/x where HOME ends in a slash).
 */
static int convert(const char *g, size_t n, const aavars_t *vars, struct strbuf *out,
		   struct strbuf *why, int depth, int *slash)
{
	size_t i;
	int brace = 0, group_start[64], group_any[64];

	if (depth > AAVARS_MAX_DEPTH) {
		strbuf_addstr(why, "variables nested too deep (a cycle?)");
		return -1;
	}
	for (i = 0; i < n; i++) {
		char c = g[i];

		if (c != '/' && c != '{' && c != '}' && c != ',' && !(c == '@' && i + 1 < n && g[i + 1] == '{'))
			*slash = 0;
		switch (c) {
		case '/':
			strbuf_addstr(out, *slash ? "/?" : "/");
			*slash = 1;
			break;
		case '\\':
			if (i + 1 < n) {
				i++;
				if (strchr("\\^$.|?*+()[]{}/", g[i]))
					strbuf_addch(out, '\\');
				strbuf_addch(out, g[i]);
			}
			break;
		case '*':
			if (i + 1 < n && g[i + 1] == '*') {
				strbuf_addstr(out, "[^\\x00]*");
				while (i + 1 < n && g[i + 1] == '*')
					i++;
			} else {
				strbuf_addstr(out, "[^/\\x00]*");
			}
			break;
		case '?':
			strbuf_addstr(out, "[^/\\x00]");
			break;
		case '[':
			if (convert_class(g, n, &i, out, why) < 0)
				return -1;
			break;
		case '{':
			if (brace >= 64) {
				strbuf_addstr(why, "{} nested too deep");
				return -1;
			}
			group_start[brace] = *slash;
			group_any[brace] = 0;
			brace++;
			strbuf_addstr(out, "(?:");
			break;
		case '}':
			if (!brace) {
				strbuf_addstr(why, "unbalanced }");
				return -1;
			}
			brace--;
			*slash = *slash || group_any[brace];
			strbuf_addch(out, ')');
			break;
		case ',':
			if (brace) {
				group_any[brace - 1] |= *slash;
				*slash = group_start[brace - 1];
				strbuf_addch(out, '|');
			} else {
				strbuf_addch(out, ',');
			}
			break;
		case '@':
			if (i + 1 < n && g[i + 1] == '{') {
				if (convert_var(g, n, &i, vars, out, why, depth, slash) < 0)
					return -1;
				break;
			}
			/* fall through */
		default:
			if (strchr("^$.|+()", c))
				strbuf_addch(out, '\\');
			strbuf_addch(out, c);
		}
	}
	if (brace) {
		strbuf_addstr(why, "unclosed {");
		return -1;
	}
	return 0;
}

int aaglob_to_regex(const char *glob, const aavars_t *vars, struct strbuf *out,
		    struct strbuf *why)
{
	int slash = 0;

	strbuf_addch(out, '^');
	if (convert(glob, strlen(glob), vars, out, why, 0, &slash) < 0)
		return -1;
	strbuf_addch(out, '$');
	return 0;
}

struct aaglob {
	pcre2_code *re;
	pcre2_match_data *md;
};

void aaglob_jit(pcre2_code *re)
{
#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
	/*
	 * JIT pays off over a log's worth of paths. Fuzzers build patterns by
	 * the thousand and match each a few times: there it only costs an
	 * executable mapping per pattern, in pcre2's code rather than ours.
	 */
	pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
#else
	(void)re;
#endif
}

aaglob_t *aaglob_compile(const char *glob, const aavars_t *vars, struct strbuf *why)
{
	struct strbuf re = STRBUF_INIT;
	aaglob_t *g;
	int err;
	PCRE2_SIZE off;

	if (aaglob_to_regex(glob, vars, &re, why) < 0) {
		strbuf_release(&re);
		return NULL;
	}
	g = xcalloc(1, sizeof(*g));
	g->re = pcre2_compile((PCRE2_SPTR)re.buf, re.len, PCRE2_DOTALL, &err, &off, NULL);
	strbuf_release(&re);
	if (!g->re) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(err, msg, sizeof(msg));
		strbuf_addf(why, "cannot compile: %s", (char *)msg);
		free(g);
		return NULL;
	}
	aaglob_jit(g->re);
	g->md = pcre2_match_data_create_from_pattern(g->re, NULL);
	return g;
}

int aaglob_match(const aaglob_t *g, const char *path)
{
	return pcre2_match(g->re, (PCRE2_SPTR)path, strlen(path), 0, 0, g->md, NULL) >= 0;
}

void aaglob_free(aaglob_t *g)
{
	if (!g)
		return;
	pcre2_match_data_free(g->md);
	pcre2_code_free(g->re);
	free(g);
}
