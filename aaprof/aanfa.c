/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * aanfa.c - AppArmor path globs as automata, to ask whether two globs can
 * match one path: a generalised rule must not reach a dangerous path its
 * logged path is not (rules.c, danger.c).
 */
#include "aanfa.h"

#include <stdint.h>
#include <string.h>

/*
 * Thompson automata over bytes, built to match exactly what the regular
 * expression of aaglob_to_regex() matches (its optional '/' after a '/'
 * included).
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

/* the end of a {...} group or @{...} starting at g[i] == '{' (as aaglob_to_regex reads it), or n */
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

/* the values of a variable */
struct valset {
	const char *const *vals;
	size_t n;
};

/* alternatives: the pieces of g[0..n) split at top-level commas, or the values of a variable */
static int build_alts(aanfa_t *a, const char *g, size_t n, const struct valset *var,
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

/* '*', '**' or '?' at g[*i] (*i ends on the last '*'): the new current state */
static int build_star(aanfa_t *a, const char *g, size_t n, size_t *i, int cur)
{
	char c = g[*i];
	int dstar = c == '*' && *i + 1 < n && g[*i + 1] == '*', loop;
	byteset set;
	unsigned k;

	memset(&set, 0, sizeof(set));
	for (k = 1; k < 256; k++)
		if (k != '/' || dstar)
			bs_add(&set, k);
	while (c == '*' && *i + 1 < n && g[*i + 1] == '*')
		(*i)++;
	if (c == '?')
		return nfa_byte(a, cur, &set, -1);
	if ((loop = nfa_state(a)) < 0 || nfa_byte(a, loop, &set, loop) < 0)
		return -1;
	nfa_eps(a, cur, loop);
	return loop;
}

/*
 * The bytes of the class [...] at g[*i] (*i ends on its ']'), as pcre2
 * reads the class aaglob_to_regex() writes: "\\X" is X, and a '-' (escaped
 * in the glob or not) between two items a range. -1 with why.
 */
static int class_set(const char *g, size_t n, size_t *i, byteset *set, struct strbuf *why)
{
	unsigned items[256 * 2], k;
	int lit[256 * 2], neg = 0;
	size_t j = *i + 1, m = 0, x;

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
				bs_add(set, k);
			x += 2;
		} else {
			bs_add(set, items[x]);
		}
	}
	if (neg)
		for (k = 0; k < 8; k++)
			set->w[k] = ~set->w[k];
	set->w[0] &= ~1u;   /* no path holds a NUL */
	*i = j;
	return 0;
}

static int build(aanfa_t *a, const char *g, size_t n, const aavars_t *vars, int cur,
		 int *slash, int depth, struct strbuf *why)
{
	byteset set;
	size_t i;

	if (depth > AAVARS_MAX_DEPTH * 4) {
		strbuf_addstr(why, "variables or {} nested too deep");
		return -1;
	}
	for (i = 0; i < n && cur >= 0; i++) {
		char c = g[i];

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
		case '?':
			cur = build_star(a, g, n, &i, cur);
			break;
		case '[':
			if (class_set(g, n, &i, &set, why) < 0)
				return -1;
			cur = nfa_byte(a, cur, &set, -1);
			break;
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
				struct valset v;

				if (e >= n) {
					strbuf_addstr(why, "unclosed @{");
					return -1;
				}
				if (!vars || !aavars_get(vars, g + i + 2, e - i - 2, &v.vals, &v.n)) {
					strbuf_addf(why, "unknown variable @{%.*s}", (int)(e - i - 2), g + i + 2);
					return -1;
				}
				cur = build_alts(a, NULL, 0, &v, vars, cur, slash, depth, why);
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

/* the breadth-first search of aanfa_overlap */
struct search {
	struct visited vis;
	struct triple *q;        /* the triples reached, in order; head: the next to visit */
	size_t nq, aq, head;
	uint64_t bn;             /* the states of b: a triple's key */
	struct eset_table et;    /* the subsets of except reached */
	int *stack;
};

/* the paths compared are normalised ones (no "//"): slash says the path so
   far ends in '/', so that the next byte cannot be one */
static void push(struct search *s, int a, int b, int e, int slash)
{
	if (visit(&s->vis, (((uint64_t)a * s->bn + (uint64_t)b) * 4096u + (uint64_t)e) * 2 + slash)) {
		ALLOC_GROW(s->q, s->nq + 1, s->aq);
		s->q[s->nq].a = a;
		s->q[s->nq].b = b;
		s->q[s->nq].e = e;
		s->q[s->nq++].slash = slash;
	}
}

/* does the set hold a byte other than '/'? */
static int bs_other(const byteset *set)
{
	size_t k;
	int other = 0;

	for (k = 0; k < 8; k++)
		other |= !!(set->w[k] & ~(k == ('/' >> 5) ? 1u << ('/' & 31) : 0));
	return other;
}

/*
 * The steps on the bytes both (a's and b's edge) with the subset e of
 * except: bytes no state of the subset reacts to all lead to the empty
 * subset, one step for them; one per byte for the others.
 */
static void step_except(struct search *s, const struct nstate *sa, const struct nstate *sb,
			const byteset *both, int e)
{
	struct eset_table *et = &s->et;
	byteset rest;
	int rest_other;
	unsigned c;
	size_t k;

	for (k = 0; k < 8; k++)
		rest.w[k] = both->w[k] & ~et->live[e].w[k];
	rest_other = bs_other(&rest);
	if (bs_has(&rest, '/') || rest_other) {
		if (et->dead < 0) {
			uint64_t *none = xcalloc(et->words, 8);

			et->dead = eset_intern(et, none);
			free(none);
		}
		if (bs_has(&rest, '/'))
			push(s, sa->next, sb->next, et->dead, 1);
		if (rest_other)
			push(s, sa->next, sb->next, et->dead, 0);
	}
	for (c = 1; c < 256; c++)
		if (bs_has(both, c) && bs_has(&et->live[e], c))
			push(s, sa->next, sb->next, eset_step(et, e, c, s->stack), c == '/');
}

/* the triples after t: its empty edges, then the bytes a and b both take */
static void step(struct search *s, const aanfa_t *a, const aanfa_t *b, const aanfa_t *except,
		 struct triple t)
{
	const struct nstate *sa = &a->s[t.a], *sb = &b->s[t.b];
	byteset both;
	size_t k;

	for (k = 0; k < sa->neps; k++)
		push(s, sa->eps[k], t.b, t.e, t.slash);
	for (k = 0; k < sb->neps; k++)
		push(s, t.a, sb->eps[k], t.e, t.slash);
	if (sa->set < 0 || sb->set < 0)
		return;
	for (k = 0; k < 8; k++)
		both.w[k] = a->sets[sa->set].w[k] & b->sets[sb->set].w[k];
	if (t.slash)
		both.w['/' >> 5] &= ~(1u << ('/' & 31));
	if (except) {
		step_except(s, sa, sb, &both, t.e);
		return;
	}
	if (bs_has(&both, '/'))
		push(s, sa->next, sb->next, 0, 1);
	if (bs_other(&both))
		push(s, sa->next, sb->next, 0, 0);
}

int aanfa_overlap(const aanfa_t *a, const aanfa_t *b, const aanfa_t *except)
{
	struct search s = { 0 };
	int found = 0;

	s.bn = b->n;
	s.et.dead = -1;
	if (except) {
		uint64_t *s0;

		s.et.e = except;
		s.et.words = (except->n + 63) / 64;
		s.stack = xcalloc(except->n + 1, sizeof(int));
		s0 = xcalloc(s.et.words, 8);
		s0[except->start / 64] |= 1ull << (except->start % 64);
		eps_close(except, s0, s.stack);
		eset_intern(&s.et, s0);
		free(s0);
	}
	push(&s, a->start, b->start, 0, 0);
	while (s.head < s.nq) {
		struct triple t = s.q[s.head++];

		if (s.nq > OVERLAP_MAX_VISITS || s.et.n >= 4096) {
			found = 1;   /* too big to decide: assume the worst */
			break;
		}
		if (a->accept[t.a] && b->accept[t.b] && !(except && s.et.acc[t.e])) {
			found = 1;
			break;
		}
		step(&s, a, b, except, t);
	}
	free(s.q);
	free(s.vis.keys);
	free(s.stack);
	free(s.et.sets);
	free(s.et.step);
	free(s.et.acc);
	free(s.et.live);
	return found;
}
