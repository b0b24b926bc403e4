/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lint-shell.c - docker/podman command lines in any text (see lint-shell.h) */
#include "lint-shell.h"
#include "util.h"

#include <string.h>
#include <strings.h>

/* where a run of the joined line starts in the file */
struct seg {
	size_t off;               /* offset in the joined line */
	unsigned line, col;
};

struct tok {
	char *s;                  /* the word, quotes removed; NULL: an operator */
	size_t start, end;        /* offsets in the joined line */
};

struct cmdline {
	struct strbuf text;       /* physical lines joined where a backslash continues them */
	struct seg *segs;
	size_t nsegs, segs_alloc;
	struct tok *toks;
	size_t ntoks, toks_alloc;
};

struct hit {
	size_t tok;               /* the option's token */
	size_t last;              /* its value's token (or tok) */
	enum lint_rule rule;
};

static void where(const struct cmdline *c, size_t off, unsigned *line, unsigned *col)
{
	size_t lo = 0, hi = c->nsegs;

	/* the last segment starting at or before off */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->segs[mid].off <= off)
			lo = mid;
		else
			hi = mid;
	}
	*line = c->segs[lo].line;
	*col = c->segs[lo].col + (unsigned)(off - c->segs[lo].off);
}

static void add_tok(struct cmdline *c, char *s, size_t start, size_t end)
{
	ALLOC_GROW(c->toks, c->ntoks + 1, c->toks_alloc);
	c->toks[c->ntoks].s = s;
	c->toks[c->ntoks].start = start;
	c->toks[c->ntoks++].end = end;
}

static int is_op(int ch)
{
	return ch == ';' || ch == '&' || ch == '|' || ch == '(' || ch == ')' || ch == '`' ||
	       ch == '<' || ch == '>';
}

/* the end of "$(NAME)" at t[p] (a make variable, one word), or 0 */
static size_t make_var(const char *t, size_t len, size_t p)
{
	size_t q;

	if (p + 1 >= len || t[p] != '$' || t[p + 1] != '(')
		return 0;
	for (q = p + 2; q < len && t[q] != ' ' && t[q] != '\t' && !is_op(t[q]); q++)
		;
	return q < len && t[q] == ')' ? q + 1 : 0;
}

/* one word from text[*i], quotes removed as the shell removes them */
static char *word(const char *t, size_t len, size_t *i)
{
	struct strbuf w = STRBUF_INIT;
	size_t p = *i, q;

	while (p < len && t[p] != ' ' && t[p] != '\t' && !is_op(t[p]) &&
	       !(t[p] == '$' && p + 1 < len && t[p + 1] == '(' && !make_var(t, len, p))) {
		if ((q = make_var(t, len, p))) {
			strbuf_add(&w, t + p, q - p);
			p = q;
		} else if (t[p] == '\'') {
			for (p++; p < len && t[p] != '\''; p++)
				strbuf_addch(&w, t[p]);
			p += p < len;
		} else if (t[p] == '"') {
			for (p++; p < len && t[p] != '"'; p++) {
				if (t[p] == '\\' && p + 1 < len && strchr("\"\\$`", t[p + 1]))
					p++;
				strbuf_addch(&w, t[p]);
			}
			p += p < len;
		} else if (t[p] == '\\' && p + 1 < len) {
			strbuf_addch(&w, t[p + 1]);
			p += 2;
		} else {
			strbuf_addch(&w, t[p++]);
		}
	}
	*i = p;
	return strbuf_detach(&w, NULL);
}

static void tokenize(struct cmdline *c)
{
	const char *t = c->text.buf;
	size_t len = c->text.len, i = 0, start;

	while (i < len) {
		if (t[i] == ' ' || t[i] == '\t' || t[i] == '\r') {
			i++;
			continue;
		}
		if (t[i] == '#')          /* a comment, at the start of a word */
			break;
		start = i;
		if (t[i] == '$' && i + 1 < len && t[i + 1] == '(' && !make_var(t, len, i)) {
			i += 2;
			add_tok(c, NULL, start, i);
		} else if (is_op(t[i])) {
			i++;
			add_tok(c, NULL, start, i);
		} else {
			char *w = word(t, len, &i);

			add_tok(c, w, start, i);
		}
	}
}

/* docker, podman or nerdctl: a path, a make variable ($(DOCKER)), @docker in a recipe */
static int is_engine(const char *s)
{
	size_t n;
	const char *slash = strrchr(s, '/');

	if (slash)
		s = slash + 1;
	while (*s == '@' || *s == '-' || *s == '+' || *s == '$' || *s == '{' || *s == '(')
		s++;
	n = strcspn(s, ")}");
	if (s[n] && s[n + 1])
		return 0;
	return (n == 6 && !strncasecmp(s, "docker", 6)) || (n == 6 && !strncasecmp(s, "podman", 6)) ||
	       (n == 7 && !strncasecmp(s, "nerdctl", 7));
}

static int in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (streq(s, *list))
			return 1;
	return 0;
}

/* the engine's own options before the subcommand that take a value */
static const char *const global_with_value[] = {
	"-H", "--host", "-c", "--context", "--config", "-l", "--log-level", "--url",
	"--connection", "--root", "--runroot", "--storage-driver", "--cgroup-manager",
	"--runtime", "--tlscacert", "--tlscert", "--tlskey", "--namespace", "-n",
	"--address", "-a", NULL,
};

/* options of run, create and exec that take no value */
static const char *const flags[] = {
	"--detach", "--interactive", "--tty", "--rm", "--privileged", "--publish-all",
	"--init", "--read-only", "--sig-proxy", "--oom-kill-disable", "--no-healthcheck",
	"--help", "--quiet", "--disable-content-trust", "--use-api-socket", "--replace",
	"--rmi", "--no-hosts", "--read-only-tmpfs", "--env-host", "--http-proxy",
	"--rootfs", "--tls-verify", "--passwd", "--privileged=true", NULL,
};

/* the index of the first option after "run", "create" or "exec", or 0 */
static size_t subcommand(const struct cmdline *c, size_t i)
{
	for (; i < c->ntoks && c->toks[i].s; i++) {
		const char *s = c->toks[i].s;

		if (streq(s, "container"))
			continue;
		if (streq(s, "run") || streq(s, "create") || streq(s, "exec"))
			return i + 1;
		if (s[0] != '-')
			return 0;
		if (!strchr(s, '=') && in_list(s, global_with_value))
			i++;
	}
	return 0;
}

#define MAX_HITS 16

static void hit(struct hit *hits, size_t *nhits, size_t tok, size_t last, enum lint_rule rule)
{
	if (rule != LR_NRULES && *nhits < MAX_HITS)
		hits[(*nhits)++] = (struct hit){ tok, last, rule };
}

/* the rules one option breaks (value: its value, or NULL) */
static void check_option(struct hit *hits, size_t *nhits, size_t tok, size_t last,
			 const char *opt, const char *value)
{
	if (streq(opt, "--privileged") && (!value || !strcasecmp(value, "true")))
		hit(hits, nhits, tok, last, LR_PRIVILEGED);
	if (!value)
		return;
	if (streq(opt, "--security-opt")) {
		hit(hits, nhits, tok, last, lint_security_opt(value));
	} else if (streq(opt, "--cap-add")) {
		_cleanup_free_ char *copy = xstrdup(value);
		char *p, *save = NULL;

		/* podman takes a list: --cap-add=net_admin,sys_admin */
		for (p = strtok_r(copy, ", ", &save); p; p = strtok_r(NULL, ", ", &save))
			hit(hits, nhits, tok, last, lint_cap(p));
	} else if (strcasecmp(value, "host")) {
		return;
	} else if (streq(opt, "--pid")) {
		hit(hits, nhits, tok, last, LR_HOST_PID);
	} else if (streq(opt, "--ipc")) {
		hit(hits, nhits, tok, last, LR_HOST_IPC);
	} else if (streq(opt, "--userns")) {
		hit(hits, nhits, tok, last, LR_HOST_USERNS);
	}
}

static void report(lint_t *l, const struct cmdline *c, const struct hit *h, const char *name)
{
	unsigned line, col;
	const struct tok *t = &c->toks[h->tok];
	_cleanup_free_ char *what = xstrndup(c->text.buf + t->start,
					      c->toks[h->last].end - t->start);

	where(c, t->start, &line, &col);
	lint_add(l, line, col, h->rule, LINT_SHELL, what, name);
}

/* the options of one command from toks[i] to the image: report what they break */
static size_t scan_options(lint_t *l, const struct cmdline *c, size_t i)
{
	struct hit hits[MAX_HITS];
	size_t nhits = 0, k;
	const char *name = NULL;

	for (; i < c->ntoks && c->toks[i].s; i++) {
		const char *s = c->toks[i].s, *eq;
		size_t last = i;

		if (s[0] != '-' || !s[1] || streq(s, "--"))
			break;
		if (s[1] != '-') {
			/* a cluster of short options: -it, -e X, -v/a:/b */
			size_t n = strspn(s + 1, "ditPq");

			if (!s[1 + n] || s[2 + n])
				continue;
			if (i + 1 < c->ntoks && c->toks[i + 1].s)
				i++;
			continue;
		}
		eq = strchr(s, '=');
		if (eq) {
			_cleanup_free_ char *opt = xstrndup(s, eq - s);

			check_option(hits, &nhits, i, i, opt, eq + 1);
			if (streq(opt, "--name"))
				name = eq + 1;
			continue;
		}
		if (in_list(s, flags)) {
			check_option(hits, &nhits, i, i, s, NULL);
			continue;
		}
		if (i + 1 >= c->ntoks || !c->toks[i + 1].s)
			break;
		last = ++i;
		check_option(hits, &nhits, last - 1, last, s, c->toks[last].s);
		if (streq(s, "--name"))
			name = c->toks[last].s;
	}
	for (k = 0; k < nhits; k++)
		report(l, c, &hits[k], name);
	return i;
}

static void scan_line(lint_t *l, struct cmdline *c)
{
	size_t i, k;

	tokenize(c);
	for (i = 0; i < c->ntoks; i++) {
		if (!c->toks[i].s || !is_engine(c->toks[i].s))
			continue;
		k = subcommand(c, i + 1);
		if (k)
			i = scan_options(l, c, k);
	}
	for (i = 0; i < c->ntoks; i++)
		free(c->toks[i].s);
	c->ntoks = 0;
	c->nsegs = 0;
	strbuf_reset(&c->text);
}

/* a line ending in an odd number of backslashes continues on the next */
static int continued(const char *p, size_t n)
{
	size_t bs = 0;

	while (bs < n && p[n - 1 - bs] == '\\')
		bs++;
	return bs % 2;
}

void lint_shell(lint_t *l, const char *text, size_t len)
{
	struct cmdline c = { .text = STRBUF_INIT };
	size_t pos = 0;
	unsigned line = 0;

	while (pos < len) {
		const char *p = text + pos, *nl = memchr(p, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - p) : len - pos, skip = 0;
		int more;

		line++;
		pos += n + (nl != NULL);
		if (n && p[n - 1] == '\r')
			n--;
		more = continued(p, n);
		if (more)
			n--;
		/* the continuation's leading blanks are kept: columns stay true */
		ALLOC_GROW(c.segs, c.nsegs + 1, c.segs_alloc);
		c.segs[c.nsegs++] = (struct seg){ c.text.len, line, 1 };
		strbuf_add(&c.text, p + skip, n - skip);
		if (more && pos < len) {
			strbuf_addch(&c.text, ' ');
			continue;
		}
		scan_line(l, &c);
	}
	if (c.text.len)
		scan_line(l, &c);
	free(c.segs);
	free(c.toks);
	strbuf_release(&c.text);
}
