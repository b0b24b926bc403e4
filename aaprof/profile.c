/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * profile.c - editing profile text: its blocks and headers as
 * apparmor_parser reads them, the profiles it names, the harvested section,
 * the mode switch.
 */
#include "profile.h"
#include "aalex.h"

#include <string.h>

/* ------------------------------------------------------ the structure */

/*
 * The blocks of profile text, found with apparmor_parser's tokens: a '{'
 * in a comment, a quoted string or a path opens nothing, and a header is
 * everything since the last rule, whatever lines it spans.
 */
struct pblock {
	char *name;            /* profile//child; NULL: not a profile (if, else ...) */
	int depth;             /* enclosing blocks */
	size_t hdr_start;      /* the header's first token */
	size_t hdr_end;        /* the end of its last token before the '{' */
	size_t open, close;    /* the braces (close: the text's length if unclosed) */
	size_t flags_start, flags_end;   /* flags=(...), or 0, 0 */
	char *flags;           /* its words, comma-separated; NULL: no flags */
	int bad_flags;         /* flags aaprof cannot read: nested or unclosed (...), twice */
};

struct pblocks {
	struct pblock *v;
	size_t n, alloc;
};

static void pblocks_release(struct pblocks *b)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		free(b->v[i].name);
		free(b->v[i].flags);
	}
	free(b->v);
	memset(b, 0, sizeof(*b));
}

static int tok_is(const char *text, const struct aatok *t, const char *w)
{
	return t->kind == AT_WORD && t->len == strlen(w) && !memcmp(text + t->start, w, t->len);
}

/* fill in name and flags of a block from its header tokens h[0..n) */
static void read_header(const char *text, const struct aatok *h, size_t n, const char *parent,
			struct pblock *b)
{
	const struct aatok *nt = NULL;
	size_t i;

	if (!n)
		return;
	b->hdr_start = h[0].start;
	b->hdr_end = h[n - 1].start + h[n - 1].len;
	if ((tok_is(text, &h[0], "profile") || tok_is(text, &h[0], "hat") ||
	     tok_is(text, &h[0], "^")) && n > 1)
		nt = &h[1];
	else if ((h[0].kind == AT_WORD || h[0].kind == AT_QUOTED) &&
		 (text[h[0].start + (h[0].kind == AT_QUOTED)] == '/' ||
		  !strncmp(text + h[0].start + (h[0].kind == AT_QUOTED), "@{", 2)))
		nt = &h[0];   /* an attachment alone names the profile */
	if (nt && (nt->kind == AT_WORD || nt->kind == AT_QUOTED)) {
		_cleanup_free_ char *name = aa_processid(text + nt->start, nt->len);

		b->name = parent ? xasprintf("%s//%s", parent, name) : xstrdup(name);
	}
	for (i = 0; i + 1 < n; i++) {
		struct strbuf f = STRBUF_INIT;
		size_t j;

		if (!tok_is(text, &h[i], "flags") || !tok_is(text, &h[i + 1], "="))
			continue;
		if (b->flags_end || i + 2 == n) {
			/* twice, or "flags=" with nothing after it */
			b->bad_flags = 1;
			if (i + 2 == n)
				break;
		}
		if (h[i + 2].kind != AT_LPAREN) {
			/* flags=complain, the old form */
			char *id = aa_processid(text + h[i + 2].start, h[i + 2].len);
			const char *c;

			for (c = id; *c; c++)
				if (!aa_word_char((unsigned char)*c))
					b->bad_flags = 1;
			if (h[i + 2].kind != AT_WORD)
				b->bad_flags = 1;
			b->flags_start = h[i].start;
			b->flags_end = h[i + 2].start + h[i + 2].len;
			free(b->flags);
			b->flags = id;
			continue;
		}
		for (j = i + 3; j < n && h[j].kind != AT_RPAREN; j++) {
			if (h[j].kind == AT_LPAREN)
				b->bad_flags = 1;
			if (h[j].kind == AT_WORD || h[j].kind == AT_QUOTED) {
				_cleanup_free_ char *id = aa_processid(text + h[j].start, h[j].len);
				const char *c;

				/* flags are plain words; anything else is not rewritten */
				for (c = id; *c; c++)
					if (!aa_word_char((unsigned char)*c))
						b->bad_flags = 1;
				if (h[j].kind == AT_QUOTED)
					b->bad_flags = 1;
				strbuf_addf(&f, "%s%s", f.len ? "," : "", id);
			}
		}
		if (j < n) {
			b->flags_start = h[i].start;
			b->flags_end = h[j].start + 1;
			free(b->flags);
			b->flags = strbuf_detach(&f, NULL);
		} else {
			b->bad_flags = 1;
		}
		strbuf_release(&f);
	}
}

static void scan_blocks(const char *text, struct pblocks *out)
{
	struct aatok *h = NULL, t;
	size_t nh = 0, alloc = 0, *stack = NULL, sdepth = 0, salloc = 0;
	struct aalex lx;

	memset(out, 0, sizeof(*out));
	aalex_init(&lx, text, strlen(text));
	while (aalex_next(&lx, &t)) {
		switch (t.kind) {
		case AT_COMMENT:
			break;
		case AT_OPEN: {
			struct pblock b = { 0 };
			const char *parent = NULL;
			size_t k;

			for (k = sdepth; k > 0; k--) {
				if (out->v[stack[k - 1]].name) {
					parent = out->v[stack[k - 1]].name;
					break;
				}
			}
			b.depth = sdepth;
			b.open = t.start;
			b.close = strlen(text);
			b.hdr_start = b.hdr_end = t.start;
			read_header(text, h, nh, parent, &b);
			ALLOC_GROW(out->v, out->n + 1, out->alloc);
			out->v[out->n] = b;
			ALLOC_GROW(stack, sdepth + 1, salloc);
			stack[sdepth++] = out->n++;
			nh = 0;
			break;
		}
		case AT_CLOSE:
			if (sdepth)
				out->v[stack[--sdepth]].close = t.start;
			nh = 0;
			break;
		case AT_INCLUDE:
		case AT_ASSIGN:
			nh = 0;
			break;
		default:
			if (t.kind == AT_COMMA && !lx.paren) {
				nh = 0;   /* a rule ended; a ',' inside flags=(...) is kept */
				break;
			}
			ALLOC_GROW(h, nh + 1, alloc);
			h[nh++] = t;
		}
	}
	free(h);
	free(stack);
}

/* the block of the profile name (NULL: the first profile at the top level) */
static const struct pblock *find_profile(const struct pblocks *b, const char *name)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		if (!b->v[i].name)
			continue;
		if (name ? streq(b->v[i].name, name) : b->v[i].depth == 0)
			return &b->v[i];
	}
	return NULL;
}

char **profile_names(const char *text)
{
	struct pblocks b;
	char **v;
	size_t i, n = 0;

	scan_blocks(text, &b);
	v = xcalloc(b.n + 1, sizeof(char *));
	for (i = 0; i < b.n; i++)
		if (b.v[i].name)
			v[n++] = xstrdup(b.v[i].name);
	pblocks_release(&b);
	return v;
}

/* ------------------------------------------------------- the section */

/*
 * A section marker is a comment of its own line that starts with the
 * marker text; marker text inside a quoted path, a path with '#' or a
 * comment after a rule is none. Finds the line of the only such marker
 * (its start and the start of the next line); 0 none, 1 found, -1 several.
 */
static int find_marker(const char *text, const char *marker, size_t *ret_line, size_t *ret_next)
{
	struct aalex lx;
	struct aatok t;
	int found = 0;

	aalex_init(&lx, text, strlen(text));
	while (aalex_next(&lx, &t)) {
		size_t b = t.start;

		if (t.kind != AT_COMMENT || !t.line_start || t.len < strlen(marker) ||
		    memcmp(text + t.start, marker, strlen(marker)))
			continue;
		if (found++)
			return -1;
		while (b > 0 && text[b - 1] != '\n')
			b--;
		*ret_line = b;
		*ret_next = t.start + t.len + (text[t.start + t.len] == '\n');
	}
	return found;
}

/* both markers, begin before end: 1; neither: 0; else -1 with why */
static int find_section(const char *text, size_t *ret_begin, size_t *ret_body,
			size_t *ret_end, struct strbuf *why)
{
	size_t bl = 0, bn = 0, el = 0, en = 0;
	int b = find_marker(text, AAPROF_SECTION_BEGIN, &bl, &bn);
	int e = find_marker(text, AAPROF_SECTION_END, &el, &en);

	if (b < 0 || e < 0) {
		strbuf_addstr(why, "the profile has more than one aaprof section marker of a kind");
		return -1;
	}
	if (!b && !e)
		return 0;
	if (!b || !e) {
		strbuf_addstr(why, "the profile has only one of the aaprof section markers");
		return -1;
	}
	if (el < bn) {
		strbuf_addstr(why, "the aaprof section's end marker comes before its begin marker");
		return -1;
	}
	*ret_begin = bl;
	*ret_body = bn;
	*ret_end = el;
	return 1;
}

int profile_section_rules(const char *text, void (*fn)(void *ctx, const char *child,
						       const char *rule), void *ctx)
{
	struct strbuf why = STRBUF_INIT;
	size_t begin, body, end, first = 0, nstmt = 0;
	struct aalex lx;
	struct aatok t;
	char child[512] = "";
	int r = find_section(text, &begin, &body, &end, &why);

	strbuf_release(&why);
	if (r <= 0)
		return 0;
	aalex_init(&lx, text, end);
	lx.pos = body;
	while (aalex_next(&lx, &t)) {
		if (t.kind == AT_COMMENT) {
			/* kept: nothing; comments in the section are aaprof's own */
		} else if (t.kind == AT_OPEN) {
			_cleanup_free_ char *hdr = xstrndup(text + first, t.start - first);
			char *e = hdr + strlen(hdr);

			while (e > hdr && (e[-1] == ' ' || e[-1] == '\t'))
				*--e = '\0';
			if (nstmt && hdr[0] == '^') {
				_cleanup_free_ char *id = aa_processid(hdr + 1, strlen(hdr + 1));

				snprintf(child, sizeof(child), "%s", id);
			}
			nstmt = 0;
		} else if (t.kind == AT_CLOSE) {
			child[0] = '\0';
			nstmt = 0;
		} else if (t.kind == AT_COMMA && !lx.paren) {
			_cleanup_free_ char *rule = xstrndup(text + first, t.start + 1 - first);

			if (nstmt)
				fn(ctx, child, rule);
			nstmt = 0;
		} else if (t.kind == AT_INCLUDE || t.kind == AT_ASSIGN) {
			nstmt = 0;
		} else {
			if (!nstmt++)
				first = t.start;
		}
	}
	return 1;
}

char *profile_section_body(const char *text)
{
	struct strbuf why = STRBUF_INIT;
	size_t begin, body, end;
	int r = find_section(text, &begin, &body, &end, &why);

	strbuf_release(&why);
	return r > 0 ? xstrndup(text + body, end - body) : NULL;
}

char *profile_only(const char *text, const char *name)
{
	struct strbuf out = STRBUF_INIT;
	struct pblocks b;
	size_t i, at = 0, len = strlen(text);

	scan_blocks(text, &b);
	for (i = 0; i < b.n; i++) {
		const struct pblock *p = &b.v[i];

		if (p->depth || !p->name || streq(p->name, name) || p->close >= len ||
		    p->hdr_start < at)
			continue;
		strbuf_add(&out, text + at, p->hdr_start - at);
		at = p->close + 1;
	}
	strbuf_addstr(&out, text + at);
	pblocks_release(&b);
	return strbuf_detach(&out, NULL);
}

char *profile_section_owner(const char *text)
{
	struct strbuf why = STRBUF_INIT;
	size_t begin, body, end, i;
	const struct pblock *in = NULL;
	struct pblocks b;
	char *name = NULL;

	if (find_section(text, &begin, &body, &end, &why) <= 0) {
		strbuf_release(&why);
		return NULL;
	}
	strbuf_release(&why);
	scan_blocks(text, &b);
	for (i = 0; i < b.n; i++)
		if (b.v[i].name && b.v[i].open < begin && begin < b.v[i].close &&
		    (!in || b.v[i].depth > in->depth))
			in = &b.v[i];
	if (in)
		name = xstrdup(in->name);
	pblocks_release(&b);
	return name;
}

int profile_replace_section(const char *text, const char *name, const char *section,
			    struct strbuf *out, struct strbuf *why)
{
	size_t begin, body, end;
	int r = find_section(text, &begin, &body, &end, why);

	if (r < 0)
		return -1;
	if (r > 0) {
		strbuf_add(out, text, body);
		strbuf_addstr(out, section);
		strbuf_addstr(out, text + end);
		return 0;
	}
	{
		/* no section yet: add one before the profile's closing brace */
		struct pblocks b;
		const struct pblock *p;
		size_t close;

		scan_blocks(text, &b);
		p = find_profile(&b, name);
		if (!p || p->close >= strlen(text)) {
			if (!p && name)
				strbuf_addf(why, "no profile '%s' in the text", name);
			else
				strbuf_addstr(why, p ? "the profile's block is not closed" :
						       "no profile found: is this a profile?");
			pblocks_release(&b);
			return -1;
		}
		close = p->close;
		pblocks_release(&b);
		/* at the start of the closing brace's line when only blanks precede it */
		{
			size_t c = close;

			while (c > 0 && (text[c - 1] == ' ' || text[c - 1] == '\t'))
				c--;
			if (c == 0 || text[c - 1] == '\n')
				close = c;
		}
		strbuf_add(out, text, close);
		if (close && text[close - 1] != '\n')
			strbuf_addch(out, '\n');
		strbuf_addf(out, "\n  %s (aaprof harvest --write replaces this section) ---\n%s"
			    "  %s ---\n", AAPROF_SECTION_BEGIN, section, AAPROF_SECTION_END);
		strbuf_addstr(out, text + close);
	}
	return 0;
}

/* ----------------------------------------------------------- the header */

int profile_main(const char *text, char **ret_name, size_t *ret_hdr_start, size_t *ret_hdr_end)
{
	struct pblocks b;
	const struct pblock *p;

	scan_blocks(text, &b);
	p = find_profile(&b, NULL);
	if (!p) {
		pblocks_release(&b);
		return -1;
	}
	*ret_name = xstrdup(p->name);
	if (ret_hdr_start)
		*ret_hdr_start = p->hdr_start;
	if (ret_hdr_end)
		*ret_hdr_end = p->open + 1;
	pblocks_release(&b);
	return 0;
}

static const char *mode_of_flags(const char *flags)
{
	_cleanup_free_ char *copy = xstrdup(flags ? flags : "");
	const char *mode = "enforce";
	char *w, *save = NULL;

	for (w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		if (streq(w, "complain") || streq(w, "mode=complain"))
			mode = "complain";
		else if (streq(w, "kill") || streq(w, "mode=kill"))
			mode = "kill";
		else if (streq(w, "unconfined") || streq(w, "mode=unconfined") ||
			 streq(w, "default_allow"))
			mode = "unconfined";
		else if (streq(w, "prompt") || streq(w, "mode=prompt"))
			mode = "prompt";   /* the kernel reports it as "user" */
	}
	return mode;
}

const char *profile_mode_of(const char *text, const char *name)
{
	struct pblocks b;
	const struct pblock *p;
	const char *mode = NULL;

	scan_blocks(text, &b);
	p = find_profile(&b, name);
	if (p && !p->bad_flags)
		mode = mode_of_flags(p->flags);
	pblocks_release(&b);
	return mode;
}

int profile_set_mode(const char *text, const char *name, const char *mode, struct strbuf *out,
		     struct strbuf *why)
{
	struct pblocks b;
	const struct pblock *p;
	struct strbuf flags = STRBUF_INIT;
	size_t out_len = out->len;
	int r = -1;

	if (!streq(mode, "complain") && !streq(mode, "enforce")) {
		strbuf_addf(why, "unknown mode '%s'", mode);
		return -1;
	}
	scan_blocks(text, &b);
	p = find_profile(&b, name);
	if (!p) {
		if (name)
			strbuf_addf(why, "no profile '%s' found", name);
		else
			strbuf_addstr(why, "no profile header found");
		goto out;
	}
	if (p->bad_flags) {
		strbuf_addstr(why, "cannot read the profile's flags=(...)");
		goto out;
	}
	if (p->flags) {
		_cleanup_free_ char *old = xstrdup(p->flags);
		char *w, *save = NULL;

		for (w = strtok_r(old, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
			if (streq(w, "complain") || streq(w, "enforce"))
				continue;
			if (streq(w, "unconfined") || streq(w, "kill") || streq(w, "prompt") ||
			    streq(w, "default_allow") || starts_with(w, "mode=")) {
				strbuf_addf(why, "the profile has flags=(%s): aaprof only switches "
					    "between complain and enforce", w);
				goto out;
			}
			strbuf_addf(&flags, "%s%s", flags.len ? "," : "", w);
		}
	}
	if (streq(mode, "complain"))
		strbuf_addf(&flags, "%scomplain", flags.len ? "," : "");
	if (p->flags) {
		strbuf_add(out, text, p->flags_start);
		/* drop the space before an empty flags=() */
		if (!flags.len && out->len && out->buf[out->len - 1] == ' ')
			strbuf_setlen(out, out->len - 1);
		if (flags.len)
			strbuf_addf(out, "flags=(%s)", flags.buf);
		strbuf_addstr(out, text + p->flags_end);
	} else if (flags.len && p->hdr_end > p->hdr_start) {
		strbuf_add(out, text, p->hdr_end);
		strbuf_addf(out, " flags=(%s)", flags.buf);
		strbuf_addstr(out, text + p->hdr_end);
	} else if (flags.len) {
		strbuf_addstr(why, "the profile's header has no name");
		goto out;
	} else {
		strbuf_addstr(out, text);
	}
	/* read it back: a header the parser reads otherwise (a keyword that
	   takes the next word as a name, a brace glued to it) is refused */
	{
		const char *now = profile_mode_of(out->buf + out_len, name);

		if (!now || !streq(now, mode)) {
			strbuf_setlen(out, out_len);
			strbuf_addstr(why, "the profile's header cannot be rewritten: "
				      "its flags would not read back");
			goto out;
		}
	}
	r = 0;
out:
	strbuf_release(&flags);
	pblocks_release(&b);
	return r;
}
