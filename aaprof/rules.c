/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rules.c - path generalisation rules (pcre2), loaded from rules/.
 *
 * A rule is "REGEX => REPLACEMENT". The regex runs on the literal path; the
 * span it matches (\K may move its start) is replaced by the AppArmor text
 * on the right. Spans of different rules never overlap (earlier rules win);
 * everything outside them is escaped as a literal path (the text is written
 * by escape.c's aa_emit_generalised). A generalised path is refused, and
 * the literal one kept, when it would match a sensitive file it is not, a
 * path the danger list holds back that it is not (danger.c), or when its
 * first component is no longer literal.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "rules.h"
#include "aaglob.h"
#include "aalex.h"
#include "escape.h"
#include "rulefiles.h"

#include <pcre2.h>
#include <stdint.h>
#include <string.h>

#define MAX_SPANS 32

struct genrule {
	pcre2_code *re;
	char *replacement;
	char *where;   /* "file:line" */
	int per_char;  /* the replacement stands for one character: repeated */
};

/* "REGEX => GLOB per character": GLOB once for each character replaced */
#define PER_CHAR " per character"
/* the longest span a per-character rule replaces */
#define PER_CHAR_MAX 256

#define VERDICTS 4096

struct verdict {
	char *text;       /* a generalised pattern already checked */
	char *refusal;    /* NULL: fine; else why it was refused */
	size_t *zones;    /* the danger entries whose paths it would also cover */
	size_t nzones;
};

struct genrules {
	struct genrule *v;
	size_t n, alloc;
	pcre2_match_data *md;
	aavars_t *vars;
	struct verdict *verdicts;   /* the safety check, remembered: VERDICTS slots */
	uint16_t *used;             /* the slots filled, so that freeing is as cheap */
	size_t nused;               /* as a rule file without matches */
	const danger_t *danger;     /* what a generalisation must not reach into */
};

/* files a generalised rule must never cover unless it is the file itself */
static const char *const sensitive[] = {
	"/etc/shadow", "/etc/gshadow", "/etc/shadow-", "/etc/sudoers", "/etc/sudoers.d/x",
	"/etc/ssh/ssh_host_rsa_key", "/etc/ssh/ssh_host_ed25519_key", "/root/.ssh/id_rsa",
	"/root/.ssh/authorized_keys", "/home/user/.ssh/id_rsa", "/home/user/.ssh/authorized_keys",
	"/etc/apparmor.d/x", "/proc/kcore", "/proc/sysrq-trigger", "/proc/1/mem",
	"/proc/4194304/mem", "/proc/4194304/environ", "/proc/4194304/root/etc/shadow",
	"/sys/kernel/security/apparmor/.remove", "/boot/vmlinuz", "/dev/mem", "/dev/sda",
};

genrules_t *genrules_new(void)
{
	genrules_t *g = xcalloc(1, sizeof(*g));

	g->vars = rulefiles_tunables();
	return g;
}

void genrules_free(genrules_t *g)
{
	size_t i;

	if (!g)
		return;
	for (i = 0; i < g->n; i++) {
		pcre2_code_free(g->v[i].re);
		free(g->v[i].replacement);
		free(g->v[i].where);
	}
	free(g->v);
	for (i = 0; i < g->nused; i++) {
		free(g->verdicts[g->used[i]].text);
		free(g->verdicts[g->used[i]].refusal);
		free(g->verdicts[g->used[i]].zones);
	}
	free(g->verdicts);
	free(g->used);
	pcre2_match_data_free(g->md);
	aavars_free(g->vars);
	free(g);
}

void genrules_set_danger(genrules_t *g, const danger_t *d)
{
	g->danger = d;
}

/* a replacement is AppArmor path-pattern text without rule-breaking characters */
static int check_replacement(const genrules_t *g, const char *rep, struct strbuf *why)
{
	aaglob_t *glob;

	if (aa_check_glob_piece(rep, why) < 0)
		return -1;
	if (strstr(rep, "**")) {
		strbuf_addstr(why, "'**' in a replacement would cross directories");
		return -1;
	}
	glob = aaglob_compile(rep, g->vars, why);
	if (!glob)
		return -1;
	aaglob_free(glob);
	return 0;
}

/*
 * a per-character replacement matches one character, never '/': '?' or
 * one positive class without '/' ('*' repeated would be '**')
 */
static int check_per_char(const char *rep, struct strbuf *why)
{
	size_t len = strlen(rep);

	if (streq(rep, "?"))
		return 0;
	if (len < 3 || rep[0] != '[' || rep[1] == '^' || rep[1] == '!' || rep[len - 1] != ']' ||
	    memchr(rep + 1, ']', len - 2) || memchr(rep, '/', len) || memchr(rep + 1, '[', len - 1)) {
		strbuf_addstr(why, "a per-character replacement must be '?' or one class "
			      "'[...]' (not negated, without '/')");
		return -1;
	}
	return 0;
}

int genrules_load_file(genrules_t *g, const char *path)
{
	_cleanup_free_ char *text = NULL;

	if (read_trusted_file(path, RULES_MAX_SIZE, &text, NULL) < 0)
		return -1;
	return genrules_load_text(g, path, text);
}

int genrules_load_text(genrules_t *g, const char *path, char *text)
{
	char *line, *next;
	int lineno = 0, errors = 0;

	for (line = text; line; line = next) {
		char *arrow, *re_end, *rep, *e;
		struct strbuf why = STRBUF_INIT;
		pcre2_code *re;
		int err, per_char = 0;
		PCRE2_SIZE off;

		lineno++;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		while (*line == ' ' || *line == '\t')
			line++;
		if (!*line || *line == '#')
			continue;
		arrow = strstr(line, " => ");
		if (!arrow) {
			error("%s:%d: expected 'REGEX => REPLACEMENT'", path, lineno);
			errors++;
			continue;
		}
		re_end = arrow;
		while (re_end > line && (re_end[-1] == ' ' || re_end[-1] == '\t'))
			re_end--;
		rep = arrow + 4;
		while (*rep == ' ' || *rep == '\t')
			rep++;
		e = rep + strlen(rep);
		while (e > rep && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
			*--e = '\0';
		if ((size_t)(e - rep) > strlen(PER_CHAR) && streq(e - strlen(PER_CHAR), PER_CHAR)) {
			per_char = 1;
			e -= strlen(PER_CHAR);
			*e = '\0';
			while (e > rep && (e[-1] == ' ' || e[-1] == '\t'))
				*--e = '\0';
		}
		if (re_end == line) {
			error("%s:%d: empty regular expression", path, lineno);
			errors++;
			continue;
		}
		if (check_replacement(g, rep, &why) < 0 || (per_char && check_per_char(rep, &why) < 0)) {
			error("%s:%d: bad replacement '%s': %s", path, lineno, rep, why.buf);
			strbuf_release(&why);
			errors++;
			continue;
		}
		strbuf_release(&why);
		re = pcre2_compile((PCRE2_SPTR)line, re_end - line, PCRE2_UTF | PCRE2_MATCH_INVALID_UTF,
				   &err, &off, NULL);
		if (!re) {
			PCRE2_UCHAR msg[256];

			pcre2_get_error_message(err, msg, sizeof(msg));
			error("%s:%d: bad regular expression at offset %zu: %s", path, lineno,
			      (size_t)off, (char *)msg);
			errors++;
			continue;
		}
		aaglob_jit(re);
		ALLOC_GROW(g->v, g->n + 1, g->alloc);
		g->v[g->n].re = re;
		g->v[g->n].replacement = xstrdup(rep);
		/* relative to its rules directory: the same evidence from the
		   source tree's rules/ and the installed package's */
		g->v[g->n].where = xasprintf("%s:%d", strrchr(path, '/') ? strrchr(path, '/') + 1 :
					     path, lineno);
		g->v[g->n].per_char = per_char;
		g->n++;
	}
	return errors ? -1 : 0;
}

int genrules_load_dirs(genrules_t *g, const char *const *dirs)
{
	char **paths = rulefiles_collect(dirs, ".rules");
	size_t i;
	int errors = 0;

	for (i = 0; paths[i]; i++)
		if (genrules_load_file(g, paths[i]) < 0)
			errors++;
	rulefiles_free(paths);
	return errors ? -1 : 0;
}

struct span {
	size_t start, end;
	const struct genrule *rule;
};

/* is the generalised text too wide: its first component not literal? */
static int too_wide(const char *text)
{
	const char *glob = strpbrk(text, "*?[{");
	const char *s;
	int slashes = 0;

	if (starts_with(text, "@{HOME}/") || starts_with(text, "@{PROC}/") ||
	    starts_with(text, "@{run}/") || starts_with(text, "@{sys}/"))
		return text[strlen(text) - 1] == '*' && strchr(text + 8, '/') == NULL &&
		       strlen(text) < 10;
	if (text[0] == '@')
		return 1;
	if (!glob)
		return 0;
	for (s = text; s < glob; s++)
		slashes += *s == '/';
	return slashes < 2;
}


/* the spans of path the rules match (earlier rules win), in path order */
static size_t find_spans(const genrules_t *g, const char *path, struct span *spans)
{
	size_t nspans = 0, len = strlen(path), i, j;
	genrules_t *mg = (genrules_t *)g;

	if (!g->md && g->n)
		mg->md = pcre2_match_data_create(16, NULL);
	for (i = 0; i < g->n; i++) {
		PCRE2_SIZE off = 0;

		while (off <= len && nspans < MAX_SPANS) {
			PCRE2_SIZE *ov;
			int rc = pcre2_match(g->v[i].re, (PCRE2_SPTR)path, len, off, 0, g->md, NULL);
			size_t s, e;

			if (rc < 0)
				break;
			ov = pcre2_get_ovector_pointer(g->md);
			s = ov[0];
			e = ov[1];
			if (e <= s) {   /* empty match (or \K past the end): move on */
				off = e + 1;
				continue;
			}
			for (j = 0; j < nspans; j++)
				if (s < spans[j].end && e > spans[j].start)
					break;
			if (j == nspans) {
				spans[nspans].start = s;
				spans[nspans].end = e;
				spans[nspans++].rule = &g->v[i];
			}
			off = e;
		}
	}
	/* in path order */
	for (i = 1; i < nspans; i++)
		for (j = i; j > 0 && spans[j - 1].start > spans[j].start; j--) {
			struct span t = spans[j];
			spans[j] = spans[j - 1];
			spans[j - 1] = t;
		}
	return nspans;
}

/*
 * The remembered verdict slot for the glob unq (NULL: not to be cached).
 * The verdict depends on the path only when the path is itself one of the
 * sensitive files: those are checked afresh, never cached.
 */
static struct verdict *verdict_slot(genrules_t *g, const char *path, const char *unq)
{
	uint64_t hx = 1469598103934665603ull;
	const char *c;
	size_t i;

	for (c = unq; *c; c++)
		hx = (hx ^ (unsigned char)*c) * 1099511628211ull;
	for (i = 0; i < ARRAY_SIZE(sensitive) && strcmp(sensitive[i], path); i++)
		;
	if (i < ARRAY_SIZE(sensitive))
		return NULL;
	if (!g->verdicts) {
		g->verdicts = xcalloc(VERDICTS, sizeof(*g->verdicts));
		g->used = xcalloc(VERDICTS, sizeof(*g->used));
	}
	return &g->verdicts[hx % VERDICTS];
}

/*
 * Judge the generalised glob unq of path afresh: 1 refused (why in gwhy),
 * 0 fine; the danger entries it reaches in *ret_zones, *ret_nzones.
 */
static int judge_glob(const genrules_t *g, const char *path, const char *unq,
		      size_t **ret_zones, size_t *ret_nzones, struct strbuf *gwhy)
{
	aaglob_t *glob;
	size_t i, nzones;

	if (too_wide(unq)) {
		strbuf_addf(gwhy, "would cover whole directories");
		return 1;
	}
	glob = aaglob_compile(unq, g->vars, gwhy);
	if (!glob) {
		strbuf_insertstr(gwhy, 0, "is invalid: ");
		return 1;
	}
	for (i = 0; i < ARRAY_SIZE(sensitive); i++) {
		if (strcmp(sensitive[i], path) && aaglob_match(glob, sensitive[i])) {
			strbuf_addf(gwhy, "would cover %s", sensitive[i]);
			aaglob_free(glob);
			return 1;
		}
	}
	aaglob_free(glob);
	/* and which dangerous paths (rules/ *.danger) it reaches: the entries,
	   decided on the globs themselves, not on samples */
	if (g->danger) {
		nzones = danger_zones(g->danger, unq, ret_zones, gwhy);
		if (nzones == (size_t)-1)
			return 1;
		*ret_nzones = nzones;
	}
	return 0;
}

/*
 * Is the generalised text (policy text, as written) of path to be refused?
 * 1 with why, or 0.
 */
static int refuse_generalised(genrules_t *g, const char *path, const char *text,
			      struct strbuf *why)
{
	struct strbuf gwhy = STRBUF_INIT;
	/* the glob apparmor_parser will read from the text (aalex.c: its own
	   escapes, octal \134 included) */
	char *unq = aa_processid(text, strlen(text));
	struct verdict *vd = verdict_slot(g, path, unq);
	size_t *zones = NULL, nzones = 0;
	const char *zone;
	int refuse;

	if (vd && vd->text && streq(vd->text, unq)) {
		refuse = vd->refusal != NULL;
		if (refuse)
			strbuf_addf(why, "generalising '%s' to '%s' %s", path, unq, vd->refusal);
		zones = vd->zones;
		nzones = vd->nzones;
	} else {
		refuse = judge_glob(g, path, unq, &zones, &nzones, &gwhy);
		if (vd) {
			if (!vd->text)
				g->used[g->nused++] = vd - g->verdicts;
			free(vd->text);
			free(vd->refusal);
			free(vd->zones);
			vd->text = xstrdup(unq);
			vd->refusal = refuse ? xstrdup(gwhy.buf) : NULL;
			vd->zones = zones;
			vd->nzones = nzones;
		}
		if (refuse)
			strbuf_addf(why, "generalising '%s' to '%s' %s", path, unq, gwhy.buf);
	}
	/* a dangerous path it would cover that the logged path is not */
	if (!refuse && nzones && (zone = danger_zone_misses(g->danger, zones, nzones, path))) {
		refuse = 1;
		strbuf_addf(why, "generalising '%s' to '%s' would also cover paths that "
			    "'%s' (rules/*.danger) holds back", path, unq, zone);
	}
	if (!vd)
		free(zones);
	free(unq);
	strbuf_release(&gwhy);
	return refuse;
}

/*
 * What replaces span s of path: the rule's replacement, or (a per-character
 * rule) the replacement once for each character, in *ret_buf to be freed.
 * NULL when a per-character span is longer than PER_CHAR_MAX.
 */
static const char *span_glob(const struct span *s, char **ret_buf)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	*ret_buf = NULL;
	if (!s->rule->per_char)
		return s->rule->replacement;
	if (s->end - s->start > PER_CHAR_MAX)
		return NULL;
	for (i = s->start; i < s->end; i++)
		strbuf_addstr(&sb, s->rule->replacement);
	*ret_buf = strbuf_detach(&sb, NULL);
	return *ret_buf;
}

int genrules_apply(const genrules_t *g, const char *path, struct strbuf *out,
		   struct strbuf *ret_source, struct strbuf *why)
{
	struct span spans[MAX_SPANS];
	struct aa_glob_span pieces[MAX_SPANS];
	char *bufs[MAX_SPANS];
	size_t nspans = find_spans(g, path, spans), start = out->len, i, n;
	int r = 0;

	for (i = n = 0; i < nspans; i++) {
		const char *glob = span_glob(&spans[i], &bufs[n]);

		if (!glob)
			continue;   /* too long to write out: that part stays literal */
		spans[n] = spans[i];
		pieces[n].start = spans[i].start;
		pieces[n].end = spans[i].end;
		pieces[n++].glob = glob;
	}
	nspans = n;
	if (aa_emit_generalised(out, path, pieces, nspans, why) < 0) {
		r = -1;
	} else if (nspans && refuse_generalised((genrules_t *)g, path, out->buf + start, why)) {
		strbuf_setlen(out, start);
		r = aa_emit_path(out, path, why) < 0 ? -1 : 1;
	} else if (ret_source) {
		/* the evidence shows what was generalised: each rule, and the
		   logged text it replaced */
		for (i = 0; i < nspans; i++) {
			strbuf_addf(ret_source, "%s%s ('", ret_source->len ? ", " : "",
				    spans[i].rule->where);
			strbuf_add(ret_source, path + spans[i].start, spans[i].end - spans[i].start);
			strbuf_addstr(ret_source, "')");
		}
	}
	for (i = 0; i < nspans; i++)
		free(bufs[i]);
	return r;
}
