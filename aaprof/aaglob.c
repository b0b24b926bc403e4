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

#define MAX_EXPAND_DEPTH 16

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

	if (depth > MAX_EXPAND_DEPTH) {
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
		case '[': {
			size_t j = i + 1;

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
			i = j;
			break;
		}
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
				const char *close = memchr(g + i, '}', n - i);
				const struct aavar *v;
				size_t k;

				if (!close) {
					strbuf_addstr(why, "unclosed @{");
					return -1;
				}
				v = vars ? find_var(vars, g + i + 2, close - g - i - 2) : NULL;
				if (!v) {
					strbuf_addf(why, "unknown variable @{%.*s}",
						    (int)(close - g - i - 2), g + i + 2);
					return -1;
				}
				int start = *slash, any = 0;

				strbuf_addstr(out, "(?:");
				for (k = 0; k < v->n; k++) {
					if (k)
						strbuf_addch(out, '|');
					*slash = start;
					if (convert(v->vals[k], strlen(v->vals[k]), vars, out, why,
						    depth + 1, slash) < 0)
						return -1;
					any |= *slash;
				}
				*slash = any;
				strbuf_addch(out, ')');
				i = close - g;
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

/* ------------------------------------------------------------ automata */

/*
 * Thompson automata over bytes, built to match exactly what convert()'s
 * regular expression matches (its optional '/' after a '/' included).
 * A state has at most one byte-set edge and any number of empty edges.
 */
#define NFA_MAX_STATES (1 << 20)
#define OVERLAP_MAX_VISITS (1 << 22)

typedef struct { uint32_t w[8]; } byteset;

struct nstate {
	int set;      /* index into sets, -1: no byte edge */
	int next;
	int *eps;
	size_t neps, aeps;
};

struct aanfa {
	struct nstate *s;
	size_t n, alloc;
	byteset *sets;
	size_t nsets, asets;
	unsigned char *accept;
	int start;
};

static void bs_add(byteset *b, unsigned c) { b->w[c >> 5] |= 1u << (c & 31); }
static int bs_has(const byteset *b, unsigned c) { return b->w[c >> 5] >> (c & 31) & 1; }

static int nfa_state(aanfa_t *a)
{
	if (a->n >= NFA_MAX_STATES)
		return -1;
	ALLOC_GROW(a->s, a->n + 1, a->alloc);
	memset(&a->s[a->n], 0, sizeof(a->s[0]));
	a->s[a->n].set = -1;
	a->s[a->n].next = -1;
	return (int)a->n++;
}

static void nfa_eps(aanfa_t *a, int from, int to)
{
	struct nstate *s = &a->s[from];

	ALLOC_GROW(s->eps, s->neps + 1, s->aeps);
	s->eps[s->neps++] = to;
}

/* a byte edge from `from` (through a fresh state if it has one) to a new state */
static int nfa_byte(aanfa_t *a, int from, const byteset *set, int to)
{
	if (a->s[from].set >= 0) {
		int m = nfa_state(a);

		if (m < 0)
			return -1;
		nfa_eps(a, from, m);
		from = m;
	}
	if (to < 0 && (to = nfa_state(a)) < 0)
		return -1;
	ALLOC_GROW(a->sets, a->nsets + 1, a->asets);
	a->sets[a->nsets] = *set;
	a->s[from].set = (int)a->nsets++;
	a->s[from].next = to;
	return to;
}

/* the end of a {...} group or @{...} starting at g[i] == '{' (as convert reads it), or n */
static size_t group_end(const char *g, size_t n, size_t i, int var)
{
	int depth = 0;

	if (var)
		return (const char *)memchr(g + i, '}', n - i) ? (size_t)((const char *)memchr(g + i, '}', n - i) - g) : n;
	for (; i < n; i++) {
		if (g[i] == '\\')
			i++;
		else if (g[i] == '[') {
			for (i++; i < n && g[i] != ']'; i++)
				if (g[i] == '\\')
					i++;
		} else if (g[i] == '@' && i + 1 < n && g[i + 1] == '{') {
			const char *c = memchr(g + i, '}', n - i);

			if (!c)
				return n;
			i = c - g;
		} else if (g[i] == '{') {
			depth++;
		} else if (g[i] == '}' && --depth == 0) {
			return i;
		}
	}
	return n;
}

static int build(aanfa_t *a, const char *g, size_t n, const aavars_t *vars, int cur,
		 int *slash, int depth, struct strbuf *why);

/* alternatives: the pieces of g[0..n) split at top-level commas, or the values of a variable */
static int build_alts(aanfa_t *a, const char *g, size_t n, const struct aavar *var,
		      const aavars_t *vars, int cur, int *slash, int depth, struct strbuf *why)
{
	int join = nfa_state(a), start = *slash, any = 0;
	size_t k, p = 0;

	if (join < 0)
		goto big;
	for (k = 0;; k++) {
		const char *piece;
		size_t len;
		int end;

		if (var) {
			if (k == var->n)
				break;
			piece = var->vals[k];
			len = strlen(piece);
		} else {
			size_t q = p;

			if (p > n)
				break;
			/* the next top-level comma */
			while (q < n && g[q] != ',') {
				if (g[q] == '{' || (g[q] == '@' && q + 1 < n && g[q + 1] == '{'))
					q = group_end(g, n, g[q] == '@' ? q + 1 : q, g[q] == '@');
				else if (g[q] == '[')
					for (q++; q < n && g[q] != ']'; q++)
						q += g[q] == '\\';
				else if (g[q] == '\\')
					q++;
				if (q < n)
					q++;
			}
			if (q > n)
				q = n;
			piece = g + p;
			len = q - p;
			p = q + 1;
		}
		*slash = start;
		end = build(a, piece, len, vars, cur, slash, depth + 1, why);
		if (end < 0)
			return -1;
		any |= *slash;
		nfa_eps(a, end, join);
	}
	*slash = any;
	return join;
big:
	strbuf_addstr(why, "the pattern is too large to compare");
	return -1;
}

static int build(aanfa_t *a, const char *g, size_t n, const aavars_t *vars, int cur,
		 int *slash, int depth, struct strbuf *why)
{
	byteset set;
	size_t i;

	if (depth > MAX_EXPAND_DEPTH * 4) {
		strbuf_addstr(why, "variables or {} nested too deep");
		return -1;
	}
	for (i = 0; i < n && cur >= 0; i++) {
		char c = g[i];
		unsigned k;

		if (c != '/' && c != '{' && c != '}' && c != ',' && !(c == '@' && i + 1 < n && g[i + 1] == '{'))
			*slash = 0;
		memset(&set, 0, sizeof(set));
		switch (c) {
		case '/': {
			int from = cur;

			bs_add(&set, '/');
			cur = nfa_byte(a, from, &set, -1);
			if (cur >= 0 && *slash)
				nfa_eps(a, from, cur);
			*slash = 1;
			break;
		}
		case '\\':
			if (i + 1 < n) {
				bs_add(&set, (unsigned char)g[++i]);
				cur = nfa_byte(a, cur, &set, -1);
			}
			break;
		case '*':
		case '?': {
			int dstar = c == '*' && i + 1 < n && g[i + 1] == '*', loop;

			for (k = 1; k < 256; k++)
				if (k != '/' || dstar)
					bs_add(&set, k);
			while (c == '*' && i + 1 < n && g[i + 1] == '*')
				i++;
			if (c == '?') {
				cur = nfa_byte(a, cur, &set, -1);
				break;
			}
			if ((loop = nfa_state(a)) < 0 || nfa_byte(a, loop, &set, loop) < 0) {
				cur = -1;
				break;
			}
			nfa_eps(a, cur, loop);
			cur = loop;
			break;
		}
		case '[': {
			/* as pcre2 reads the class convert() writes: "\\X" is X, and
			   a '-' (escaped in the glob or not) between two items a range */
			unsigned items[256 * 2];
			int lit[256 * 2], neg = 0;
			size_t j = i + 1, m = 0, x;

			if (j < n && g[j] == '^') {
				neg = 1;
				j++;
			}
			for (; j < n && g[j] != ']' && m < ARRAY_SIZE(items); j++) {
				if (g[j] == '\\' && j + 1 < n)
					j++;
				items[m] = (unsigned char)g[j];
				lit[m++] = strchr("\\[]^", g[j]) != NULL || g[j] != '-';
			}
			if (j >= n || g[j] != ']' || !m) {
				strbuf_addstr(why, "a [...] class aaprof cannot compare");
				return -1;
			}
			for (x = 0; x < m; x++) {
				if (x + 2 < m && !lit[x + 1]) {
					if (items[x + 2] < items[x]) {
						strbuf_addstr(why, "a reversed range in [...]");
						return -1;
					}
					for (k = items[x]; k <= items[x + 2]; k++)
						bs_add(&set, k);
					x += 2;
				} else {
					bs_add(&set, items[x]);
				}
			}
			if (neg)
				for (k = 0; k < 8; k++)
					set.w[k] = ~set.w[k];
			set.w[0] &= ~1u;   /* no path holds a NUL */
			i = j;
			cur = nfa_byte(a, cur, &set, -1);
			break;
		}
		case '{': {
			size_t e = group_end(g, n, i, 0);

			if (e >= n) {
				strbuf_addstr(why, "unclosed {");
				return -1;
			}
			cur = build_alts(a, g + i + 1, e - i - 1, NULL, vars, cur, slash, depth, why);
			i = e;
			break;
		}
		case '}':
			strbuf_addstr(why, "unbalanced }");
			return -1;
		case '@':
			if (i + 1 < n && g[i + 1] == '{') {
				size_t e = group_end(g, n, i + 1, 1);
				const struct aavar *v;

				if (e >= n) {
					strbuf_addstr(why, "unclosed @{");
					return -1;
				}
				v = vars ? find_var(vars, g + i + 2, e - i - 2) : NULL;
				if (!v) {
					strbuf_addf(why, "unknown variable @{%.*s}", (int)(e - i - 2), g + i + 2);
					return -1;
				}
				cur = build_alts(a, NULL, 0, v, vars, cur, slash, depth, why);
				i = e;
				break;
			}
			/* fall through */
		default:
			bs_add(&set, (unsigned char)c);
			cur = nfa_byte(a, cur, &set, -1);
		}
	}
	if (cur < 0 && !why->len)
		strbuf_addstr(why, "the pattern is too large to compare");
	return cur;
}

void aanfa_free(aanfa_t *a)
{
	size_t i;

	if (!a)
		return;
	for (i = 0; i < a->n; i++)
		free(a->s[i].eps);
	free(a->s);
	free(a->sets);
	free(a->accept);
	free(a);
}

aanfa_t *aanfa_compile(const char *const *globs, size_t n, const aavars_t *vars,
		       struct strbuf *why)
{
	aanfa_t *a = xcalloc(1, sizeof(*a));
	int *ends = xcalloc(n + 1, sizeof(int));
	size_t i;

	a->start = nfa_state(a);
	for (i = 0; i < n; i++) {
		int slash = 0, s = nfa_state(a);

		nfa_eps(a, a->start, s);
		ends[i] = build(a, globs[i], strlen(globs[i]), vars, s, &slash, 0, why);
		if (ends[i] < 0) {
			free(ends);
			aanfa_free(a);
			return NULL;
		}
	}
	a->accept = xcalloc(a->n, 1);
	for (i = 0; i < n; i++)
		a->accept[ends[i]] = 1;
	free(ends);
	return a;
}

/* ---- the product a x b x subsets-of(except), explored breadth first */

struct eset_table {
	const aanfa_t *e;
	size_t words;             /* uint64_t words per subset */
	uint64_t *sets;           /* n subsets */
	int *step;                /* n x 256: the subset after a byte, -1 unknown */
	unsigned char *acc;       /* does the subset hold an accepting state? */
	byteset *live;            /* the bytes some state of the subset has an edge for */
	size_t n, alloc, salloc, aalloc, lalloc;
	int dead;                 /* the empty subset, -1 until needed */
};

static void eps_close(const aanfa_t *e, uint64_t *set, int *stack)
{
	size_t sp = 0, i, k;

	for (i = 0; i < e->n; i++)
		if (set[i / 64] >> (i % 64) & 1)
			stack[sp++] = (int)i;
	while (sp) {
		const struct nstate *s = &e->s[stack[--sp]];

		for (k = 0; k < s->neps; k++) {
			int t = s->eps[k];

			if (!(set[t / 64] >> (t % 64) & 1)) {
				set[t / 64] |= 1ull << (t % 64);
				stack[sp++] = t;
			}
		}
	}
}

static int eset_intern(struct eset_table *t, const uint64_t *set)
{
	size_t i, k;

	for (i = 0; i < t->n; i++)
		if (!memcmp(t->sets + i * t->words, set, t->words * 8))
			return (int)i;
	ALLOC_GROW(t->sets, (t->n + 1) * t->words, t->alloc);
	ALLOC_GROW(t->step, (t->n + 1) * 256, t->salloc);
	ALLOC_GROW(t->acc, t->n + 1, t->aalloc);
	ALLOC_GROW(t->live, t->n + 1, t->lalloc);
	memcpy(t->sets + t->n * t->words, set, t->words * 8);
	for (k = 0; k < 256; k++)
		t->step[t->n * 256 + k] = -1;
	t->acc[t->n] = 0;
	memset(&t->live[t->n], 0, sizeof(byteset));
	for (k = 0; k < t->e->n; k++) {
		if (!(set[k / 64] >> (k % 64) & 1))
			continue;
		if (t->e->accept[k])
			t->acc[t->n] = 1;
		if (t->e->s[k].set >= 0) {
			size_t w;

			for (w = 0; w < 8; w++)
				t->live[t->n].w[w] |= t->e->sets[t->e->s[k].set].w[w];
		}
	}
	return (int)t->n++;
}

static int eset_step(struct eset_table *t, int id, unsigned c, int *stack)
{
	uint64_t *next;
	size_t k;
	int r;

	if (t->step[id * 256 + c] >= 0)
		return t->step[id * 256 + c];
	next = xcalloc(t->words, 8);
	for (k = 0; k < t->e->n; k++) {
		const struct nstate *s = &t->e->s[k];

		if ((t->sets[id * t->words + k / 64] >> (k % 64) & 1) && s->set >= 0 &&
		    bs_has(&t->e->sets[s->set], c))
			next[s->next / 64] |= 1ull << (s->next % 64);
	}
	eps_close(t->e, next, stack);
	r = eset_intern(t, next);
	free(next);
	t->step[id * 256 + c] = r;
	return r;
}

struct visited {
	uint64_t *keys;   /* key + 1; 0: empty */
	size_t cap, n;
};

/* 1 if key was new */
static int visit(struct visited *v, uint64_t key)
{
	size_t i;

	if (2 * (v->n + 1) > v->cap) {
		struct visited w = { xcalloc(v->cap ? v->cap * 2 : 1024, 8), v->cap ? v->cap * 2 : 1024, 0 };

		for (i = 0; i < v->cap; i++)
			if (v->keys[i])
				visit(&w, v->keys[i] - 1);
		free(v->keys);
		*v = w;
	}
	for (i = (key * 0x9e3779b97f4a7c15ull) >> 20 & (v->cap - 1); v->keys[i]; i = (i + 1) & (v->cap - 1))
		if (v->keys[i] == key + 1)
			return 0;
	v->keys[i] = key + 1;
	v->n++;
	return 1;
}

struct triple { int a, b, e, slash; };

int aanfa_overlap(const aanfa_t *a, const aanfa_t *b, const aanfa_t *except)
{
	struct eset_table et = { 0 };
	struct visited vis = { 0 };
	struct triple *q = NULL;
	size_t nq = 0, aq = 0, head = 0;
	int *stack = NULL, found = 0;

	et.dead = -1;
	if (except) {
		uint64_t *s0;

		et.e = except;
		et.words = (except->n + 63) / 64;
		stack = xcalloc(except->n + 1, sizeof(int));
		s0 = xcalloc(et.words, 8);
		s0[except->start / 64] |= 1ull << (except->start % 64);
		eps_close(except, s0, stack);
		eset_intern(&et, s0);
		free(s0);
	}
	/* the paths compared are normalised ones (no "//"): slash says the
	   path so far ends in '/', so that the next byte cannot be one */
#define PUSH(A, B, E, S)                                                                      \
	do {                                                                                  \
		if (visit(&vis, (((uint64_t)(A) * b->n + (uint64_t)(B)) * 4096u + (uint64_t)(E)) * 2 + (S))) { \
			ALLOC_GROW(q, nq + 1, aq);                                            \
			q[nq].a = (A); q[nq].b = (B); q[nq].e = (E); q[nq++].slash = (S);     \
		}                                                                             \
	} while (0)
	PUSH(a->start, b->start, 0, 0);
	while (head < nq && !found) {
		struct triple t = q[head++];
		const struct nstate *sa = &a->s[t.a], *sb = &b->s[t.b];
		size_t k;

		if (nq > OVERLAP_MAX_VISITS || et.n >= 4096) {
			found = 1;   /* too big to decide: assume the worst */
			break;
		}
		if (a->accept[t.a] && b->accept[t.b] && !(except && et.acc[t.e])) {
			found = 1;
			break;
		}
		for (k = 0; k < sa->neps; k++)
			PUSH(sa->eps[k], t.b, t.e, t.slash);
		for (k = 0; k < sb->neps; k++)
			PUSH(t.a, sb->eps[k], t.e, t.slash);
		if (sa->set >= 0 && sb->set >= 0) {
			byteset both;
			unsigned c;
			int other = 0;

			for (k = 0; k < 8; k++)
				both.w[k] = a->sets[sa->set].w[k] & b->sets[sb->set].w[k];
			if (t.slash)
				both.w['/' >> 5] &= ~(1u << ('/' & 31));
			for (k = 0; k < 8; k++)
				other |= !!(both.w[k] & ~(k == ('/' >> 5) ? 1u << ('/' & 31) : 0));
			if (!except) {
				if (bs_has(&both, '/'))
					PUSH(sa->next, sb->next, 0, 1);
				if (other)
					PUSH(sa->next, sb->next, 0, 0);
				continue;
			}
			/* bytes no state of the subset reacts to all lead to the empty
			   subset: one step for them, one per byte for the others */
			{
				byteset rest;
				int rest_other = 0;

				for (k = 0; k < 8; k++)
					rest.w[k] = both.w[k] & ~et.live[t.e].w[k];
				for (k = 0; k < 8; k++)
					rest_other |= !!(rest.w[k] & ~(k == ('/' >> 5) ? 1u << ('/' & 31) : 0));
				if (bs_has(&rest, '/') || rest_other) {
					if (et.dead < 0) {
						uint64_t *none = xcalloc(et.words, 8);

						et.dead = eset_intern(&et, none);
						free(none);
					}
					if (bs_has(&rest, '/'))
						PUSH(sa->next, sb->next, et.dead, 1);
					if (rest_other)
						PUSH(sa->next, sb->next, et.dead, 0);
				}
				for (c = 1; c < 256; c++)
					if (bs_has(&both, c) && bs_has(&et.live[t.e], c))
						PUSH(sa->next, sb->next, eset_step(&et, t.e, c, stack), c == '/');
			}
		}
	}
#undef PUSH
	free(q);
	free(vis.keys);
	free(stack);
	free(et.sets);
	free(et.step);
	free(et.acc);
	free(et.live);
	return found;
}
