/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rules.c - path generalisation rules (pcre2), loaded from rules/.
 *
 * A rule is "REGEX => REPLACEMENT". The regex runs on the literal path; the
 * span it matches (\K may move its start) is replaced by the AppArmor text
 * on the right. Spans of different rules never overlap (earlier rules win);
 * everything outside them is escaped as a literal path. A generalised path
 * is refused, and the literal one kept, when it would match a sensitive
 * file it is not, or when its first component is no longer literal.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "aalex.h"
#include "rules.h"
#include "aaglob.h"
#include "aanfa.h"
#include "cli.h"
#include "profile.h"
#include "sanitise.h"

#include <dirent.h>
#include <pcre2.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#define RULES_MAX_SIZE (1u << 20)
#define MAX_SPANS 32

struct genrule {
	pcre2_code *re;
	char *replacement;
	char *where;   /* "file:line" */
};

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

/* the danger list's side of the check (below) */
static size_t danger_zones(const danger_t *d, const char *glob, size_t **ret_zones,
			   struct strbuf *why);
static const char *danger_zone_misses(const danger_t *d, const size_t *zones, size_t n,
				      const char *path);

/* files a generalised rule must never cover unless it is the file itself */
static const char *const sensitive[] = {
	"/etc/shadow", "/etc/gshadow", "/etc/shadow-", "/etc/sudoers", "/etc/sudoers.d/x",
	"/etc/ssh/ssh_host_rsa_key", "/etc/ssh/ssh_host_ed25519_key", "/root/.ssh/id_rsa",
	"/root/.ssh/authorized_keys", "/home/user/.ssh/id_rsa", "/home/user/.ssh/authorized_keys",
	"/etc/apparmor.d/x", "/proc/kcore", "/proc/sysrq-trigger", "/proc/1/mem",
	"/proc/4194304/mem", "/proc/4194304/environ", "/proc/4194304/root/etc/shadow",
	"/sys/kernel/security/apparmor/.remove", "/boot/vmlinuz", "/dev/mem", "/dev/sda",
};

/* the variables shipped replacements may use, as Debian's tunables define them */
static aavars_t *tunables_new(void)
{
	aavars_t *v = aavars_new();

	aavars_add(v, "PROC", "/proc/");
	aavars_add(v, "pid", "{[1-9],[1-9][0-9],[1-9][0-9][0-9],[1-9][0-9][0-9][0-9],"
		   "[1-9][0-9][0-9][0-9][0-9],[1-9][0-9][0-9][0-9][0-9][0-9],"
		   "[1-4][0-9][0-9][0-9][0-9][0-9][0-9]}");
	aavars_add(v, "tid", "@{pid}");
	aavars_add(v, "uid", "{[0-9],[1-9][0-9],[1-9][0-9][0-9],[1-9][0-9][0-9][0-9],"
		   "[1-9][0-9][0-9][0-9][0-9],[1-9][0-9][0-9][0-9][0-9][0-9],"
		   "[1-9][0-9][0-9][0-9][0-9][0-9][0-9],[1-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9],"
		   "[1-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9],"
		   "[1-4][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]}");
	aavars_add(v, "HOMEDIRS", "/home/");
	aavars_add(v, "HOME", "@{HOMEDIRS}/*/ /root/");
	aavars_add(v, "run", "/run/ /var/run/");
	aavars_add(v, "sys", "/sys/");
	aavars_add(v, "multiarch", "*-linux-gnu*");
	return v;
}

genrules_t *genrules_new(void)
{
	genrules_t *g = xcalloc(1, sizeof(*g));

	g->vars = tunables_new();
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

size_t genrules_count(const genrules_t *g)
{
	return g->n;
}

void genrules_set_danger(genrules_t *g, const danger_t *d)
{
	g->danger = d;
}

/* a replacement is AppArmor path-pattern text without rule-breaking characters */
static int check_replacement(const genrules_t *g, const char *rep, struct strbuf *why)
{
	const char *s;
	aaglob_t *glob;
	int depth = 0;

	if (!*rep) {
		strbuf_addstr(why, "empty replacement");
		return -1;
	}
	for (s = rep; *s; s++) {
		if (*s == '{')
			depth++;
		else if (*s == '}')
			depth--;
		if (*s == ',' && depth <= 0) {
			strbuf_addstr(why, "',' outside {} in the replacement");
			return -1;
		}
		if ((unsigned char)*s <= ' ' || *s == '"' || *s == '#' || *s == '\\' || *s == 0x7f) {
			strbuf_addstr(why, "the replacement cannot contain spaces, quotes, '#' or '\\'");
			return -1;
		}
	}
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
		int err;
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
		if (re_end == line) {
			error("%s:%d: empty regular expression", path, lineno);
			errors++;
			continue;
		}
		if (check_replacement(g, rep, &why) < 0) {
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
		g->v[g->n].where = xasprintf("%s:%d", path, lineno);
		g->n++;
	}
	return errors ? -1 : 0;
}

/*
 * The files named *SUFFIX in dirs, in name order; where two directories
 * hold the same name, the earlier directory's file wins (a site file in
 * /etc/aaprof/rules replaces the shipped one of that name). NULL-terminated.
 */
static char **collect_files(const char *const *dirs, const char *suffix)
{
	char **names = NULL, **paths = NULL;
	size_t n = 0, alloc = 0, alloc2 = 0, i, j;

	for (i = 0; dirs && dirs[i]; i++) {
		struct dirent **ents;
		int k, m = scandir(dirs[i], &ents, NULL, alphasort);

		for (k = 0; k < m; k++) {
			const char *d = ents[k]->d_name;

			if (ends_with(d, suffix) && d[0] != '.') {
				for (j = 0; j < n && strcmp(names[j], d); j++)
					;
				if (j == n) {
					ALLOC_GROW(names, n + 1, alloc);
					ALLOC_GROW(paths, n + 2, alloc2);
					names[n] = xstrdup(d);
					paths[n++] = xasprintf("%s/%s", dirs[i], d);
				}
			}
			free(ents[k]);
		}
		if (m >= 0)
			free(ents);
	}
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			char *t = names[j]; names[j] = names[j - 1]; names[j - 1] = t;
			t = paths[j]; paths[j] = paths[j - 1]; paths[j - 1] = t;
		}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (!paths)
		paths = xcalloc(1, sizeof(char *));
	paths[n] = NULL;
	return paths;
}

static void free_files(char **paths)
{
	size_t i;

	for (i = 0; paths[i]; i++)
		free(paths[i]);
	free(paths);
}

int genrules_load_dirs(genrules_t *g, const char *const *dirs)
{
	char **paths = collect_files(dirs, ".rules");
	size_t i;
	int errors = 0;

	for (i = 0; paths[i]; i++)
		if (genrules_load_file(g, paths[i]) < 0)
			errors++;
	free_files(paths);
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

int genrules_apply(const genrules_t *g, const char *path, struct strbuf *out,
		   struct strbuf *ret_source, struct strbuf *why)
{
	struct span spans[MAX_SPANS];
	size_t nspans = 0, len = strlen(path), i, j, pos, start = out->len;
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
	for (pos = 0, i = 0; i <= nspans; i++) {
		size_t end = i < nspans ? spans[i].start : len;

		if (end > pos) {
			/* the literal part: escaped, but never quoted on its own */
			char *lit = xstrndup(path + pos, end - pos);
			struct strbuf tmp = STRBUF_INIT;
			int r;

			if (pos == 0 && lit[0] == '/') {
				r = aa_emit_path(&tmp, lit, why);
			} else {
				char *abs = xasprintf("/%s", lit);

				r = aa_emit_path(&tmp, abs, why);
				if (!r) {
					/* drop the '/' we added, keeping quotes if any */
					if (tmp.buf[0] == '"')
						memmove(tmp.buf + 1, tmp.buf + 2, tmp.len - 1);
					else
						memmove(tmp.buf, tmp.buf + 1, tmp.len);
					tmp.len--;
				}
				free(abs);
			}
			free(lit);
			if (r < 0) {
				strbuf_release(&tmp);
				strbuf_setlen(out, start);
				return -1;
			}
			strbuf_addbuf(out, &tmp);
			strbuf_release(&tmp);
		}
		if (i < nspans) {
			strbuf_addstr(out, spans[i].rule->replacement);
			pos = spans[i].end;
		}
	}
	if (!nspans)
		return 0;
	/* a quoted literal piece inside a pattern: quote the whole thing instead */
	if (memchr(out->buf + start, '"', out->len - start)) {
		struct strbuf q = STRBUF_INIT;

		strbuf_addch(&q, '"');
		for (i = start; i < out->len; i++)
			if (out->buf[i] != '"' || (i > start && out->buf[i - 1] == '\\'))
				strbuf_addch(&q, out->buf[i]);
		strbuf_addch(&q, '"');
		strbuf_setlen(out, start);
		strbuf_addbuf(out, &q);
		strbuf_release(&q);
	}
	{
		const char *text = out->buf + start;
		struct strbuf gwhy = STRBUF_INIT;
		char *unq;
		struct verdict *vd;
		uint64_t hx = 1469598103934665603ull;
		const char *c, *zone;
		size_t *zones = NULL, nzones = 0;
		aaglob_t *glob;
		int refuse = 0;

		/* the glob apparmor_parser will read from the text (aalex.c: its
		   own escapes, octal \134 included) */
		unq = aa_processid(text, strlen(text));
		for (c = unq; *c; c++)
			hx = (hx ^ (unsigned char)*c) * 1099511628211ull;
		/* the verdict depends on the path only when the path is itself one
		   of the sensitive files: those are checked afresh, never cached */
		for (i = 0; i < ARRAY_SIZE(sensitive) && strcmp(sensitive[i], path); i++)
			;
		vd = NULL;
		if (i == ARRAY_SIZE(sensitive)) {
			if (!mg->verdicts) {
				mg->verdicts = xcalloc(VERDICTS, sizeof(*mg->verdicts));
				mg->used = xcalloc(VERDICTS, sizeof(*mg->used));
			}
			vd = &mg->verdicts[hx % VERDICTS];
		}
		if (vd && vd->text && streq(vd->text, unq)) {
			if (vd->refusal) {
				refuse = 1;
				strbuf_addf(why, "generalising '%s' to '%s' %s", path, unq, vd->refusal);
			}
			zones = vd->zones;
			nzones = vd->nzones;
		} else if (too_wide(unq)) {
			refuse = 1;
			strbuf_addf(&gwhy, "would cover whole directories");
		} else if ((glob = aaglob_compile(unq, g->vars, &gwhy))) {
			for (i = 0; i < ARRAY_SIZE(sensitive); i++) {
				if (strcmp(sensitive[i], path) && aaglob_match(glob, sensitive[i])) {
					refuse = 1;
					strbuf_addf(&gwhy, "would cover %s", sensitive[i]);
					break;
				}
			}
			aaglob_free(glob);
			/* and which dangerous paths (rules/ *.danger) it reaches: the
			   entries, decided on the globs themselves, not on samples */
			if (!refuse && g->danger) {
				nzones = danger_zones(g->danger, unq, &zones, &gwhy);
				if (nzones == (size_t)-1) {
					refuse = 1;
					nzones = 0;
				}
			}
		} else {
			refuse = 1;
			strbuf_insertstr(&gwhy, 0, "is invalid: ");
		}
		if (!(vd && vd->text && streq(vd->text, unq))) {
			if (vd) {
				if (!vd->text)
					mg->used[mg->nused++] = vd - mg->verdicts;
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
		if (refuse) {
			strbuf_setlen(out, start);
			if (aa_emit_path(out, path, why) < 0)
				return -1;
			return 1;
		}
	}
	if (ret_source) {
		for (i = 0; i < nspans; i++) {
			for (j = 0; j < i && spans[j].rule != spans[i].rule; j++)
				;
			if (j == i)
				strbuf_addf(ret_source, "%s%s", ret_source->len ? ", " : "",
					    spans[i].rule->where);
		}
	}
	return 0;
}

/* ------------------------------------------------------------ danger */

struct dentry {
	enum { D_CAP, D_READ, D_WRITE, D_KIND } kind;
	int except;
	char *arg;          /* capability, glob, or kind */
	char *what;         /* as written, for messages */
	aaglob_t *glob;
	aanfa_t *nfa;       /* read/write entries: the glob as an automaton (on first use) */
};

struct danger {
	struct dentry *v;
	size_t n, alloc;
	aavars_t *vars;
	aanfa_t *except[2]; /* the !read and !write globs as one automaton each */
	int prepared;
};

danger_t *danger_new(void)
{
	danger_t *d = xcalloc(1, sizeof(*d));

	d->vars = tunables_new();   /* the same variables as the generalisation rules */
	return d;
}

void danger_free(danger_t *d)
{
	size_t i;

	if (!d)
		return;
	for (i = 0; i < d->n; i++) {
		free(d->v[i].arg);
		free(d->v[i].what);
		aaglob_free(d->v[i].glob);
		aanfa_free(d->v[i].nfa);
	}
	aanfa_free(d->except[0]);
	aanfa_free(d->except[1]);
	free(d->v);
	aavars_free(d->vars);
	free(d);
}

int danger_load_file(danger_t *d, const char *path)
{
	_cleanup_free_ char *text = NULL;

	if (read_trusted_file(path, RULES_MAX_SIZE, &text, NULL) < 0)
		return -1;
	return danger_load_text(d, path, text);
}

int danger_load_text(danger_t *d, const char *path, char *text)
{
	char *line, *next;
	int lineno = 0, errors = 0;

	for (line = text; line; line = next) {
		struct dentry e = { 0 };
		struct strbuf why = STRBUF_INIT;
		char *s, *arg, *end;

		lineno++;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		s = line;
		while (*s == ' ' || *s == '\t')
			s++;
		end = s + strlen(s);
		while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
			*--end = '\0';
		if (!*s || *s == '#')
			continue;
		if (*s == '!') {
			e.except = 1;
			s++;
		}
		arg = strchr(s, ' ');
		if (arg) {
			*arg++ = '\0';
			while (*arg == ' ')
				arg++;
		}
		if (streq(s, "capability") && arg && !e.except) {
			e.kind = D_CAP;
		} else if ((streq(s, "read") || streq(s, "write")) && arg) {
			e.kind = streq(s, "read") ? D_READ : D_WRITE;
			e.glob = aaglob_compile(arg, d->vars, &why);
			if (!e.glob) {
				error("%s:%d: bad path pattern '%s': %s", path, lineno, arg, why.buf);
				strbuf_release(&why);
				errors++;
				continue;
			}
		} else if (!arg && !e.except && (streq(s, "mount") || streq(s, "pivot_root") ||
						 streq(s, "ptrace") || streq(s, "signal-unconfined") ||
						 streq(s, "change_profile") || streq(s, "px"))) {
			e.kind = D_KIND;
			arg = s;
		} else {
			error("%s:%d: expected 'capability NAME', '[!]read GLOB', '[!]write GLOB', "
			      "'mount', 'pivot_root', 'ptrace', 'signal-unconfined', 'change_profile' "
			      "or 'px'", path, lineno);
			errors++;
			continue;
		}
		strbuf_release(&why);
		e.arg = xstrdup(arg);
		e.what = e.kind == D_KIND ? xstrdup(arg) : xasprintf("%s %s", s, arg);
		ALLOC_GROW(d->v, d->n + 1, d->alloc);
		d->v[d->n++] = e;
	}
	return errors ? -1 : 0;
}

int danger_load_dirs(danger_t *d, const char *const *dirs)
{
	char **paths = collect_files(dirs, ".danger");
	size_t i;
	int errors = 0;

	for (i = 0; paths[i]; i++)
		if (danger_load_file(d, paths[i]) < 0)
			errors++;
	if (!i) {
		free_files(paths);
		return error("no *.danger file found in the rules directories: without the "
			     "list aaprof cannot hold back dangerous rules (reinstall aaprof)");
	}
	free_files(paths);
	return errors ? -1 : 0;
}

const char *danger_file(const danger_t *d, const char *path, unsigned bits)
{
	int want_read = !!(bits & (FP_R | FP_M | FP_X));
	int want_write = !!(bits & (FP_W | FP_A | FP_L | FP_K));
	const char *hit_read = NULL, *hit_write = NULL;
	int except_read = 0, except_write = 0;
	size_t i;

	for (i = 0; i < d->n; i++) {
		const struct dentry *e = &d->v[i];

		if ((e->kind != D_READ && e->kind != D_WRITE) || !aaglob_match(e->glob, path))
			continue;
		if (e->kind == D_READ) {
			if (e->except)
				except_read = 1;
			else if (!hit_read)
				hit_read = e->what;
		} else {
			if (e->except)
				except_write = 1;
			else if (!hit_write)
				hit_write = e->what;
		}
	}
	if (want_write && hit_write && !except_write)
		return hit_write;
	if (want_read && hit_read && !except_read)
		return hit_read;
	return NULL;
}

const char *danger_capability(const danger_t *d, const char *cap)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->v[i].kind == D_CAP && streq(d->v[i].arg, cap))
			return d->v[i].what;
	return NULL;
}

const char *danger_kind(const danger_t *d, const char *kind)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->v[i].kind == D_KIND && streq(d->v[i].arg, kind))
			return d->v[i].what;
	return NULL;
}

static const char *const kinds[] = {
	"mount", "pivot_root", "ptrace", "signal-unconfined", "change_profile", "px",
};

/* the kernel's capability names (include/uapi/linux/capability.h, 6.x) */
static const char *const capabilities[] = {
	"chown", "dac_override", "dac_read_search", "fowner", "fsetid", "kill", "setgid",
	"setuid", "setpcap", "linux_immutable", "net_bind_service", "net_broadcast",
	"net_admin", "net_raw", "ipc_lock", "ipc_owner", "sys_module", "sys_rawio",
	"sys_chroot", "sys_ptrace", "sys_pacct", "sys_admin", "sys_boot", "sys_nice",
	"sys_resource", "sys_time", "sys_tty_config", "mknod", "lease", "audit_write",
	"audit_control", "setfcap", "mac_override", "mac_admin", "syslog", "wake_alarm",
	"block_suspend", "audit_read", "perfmon", "bpf", "checkpoint_restore",
};

int danger_allow_item(char *item, struct strbuf *why)
{
	const char *choices[ARRAY_SIZE(kinds) + ARRAY_SIZE(capabilities)];
	const char *near;
	char *p, *cap = item;
	int upper = 1, lower = 1;
	size_t i, n = 0;

	if (!*item) {
		strbuf_addstr(why, "an empty item");
		return -1;
	}
	if (item[0] == '/' || item[0] == '@') {
		aaglob_t *g = aaglob_compile(item, NULL, why);

		aaglob_free(g);
		return g ? 0 : -1;
	}
	for (i = 0; i < ARRAY_SIZE(kinds); i++)
		if (streq(item, kinds[i]))
			return 0;
	/* sys_admin, SYS_ADMIN, CAP_SYS_ADMIN, cap_sys_admin: what people write */
	for (p = item; *p; p++) {
		if (*p >= 'a' && *p <= 'z')
			upper = 0;
		else if (*p >= 'A' && *p <= 'Z')
			lower = 0;
	}
	if (upper || lower) {
		if (!strncasecmp(cap, "cap_", 4))
			cap += 4;
		for (i = 0; i < ARRAY_SIZE(capabilities); i++) {
			if (!strcasecmp(cap, capabilities[i])) {
				memmove(item, capabilities[i], strlen(capabilities[i]) + 1);
				return 0;
			}
		}
	}
	for (i = 0; i < ARRAY_SIZE(kinds); i++)
		choices[n++] = kinds[i];
	for (i = 0; i < ARRAY_SIZE(capabilities); i++)
		choices[n++] = capabilities[i];
	near = cli_nearest(cap, choices, n);
	if (!near && cap != item)
		near = cli_nearest(item, choices, n);
	strbuf_addstr(why, "not a capability, a kind of danger (");
	for (i = 0; i < ARRAY_SIZE(kinds); i++)
		strbuf_addf(why, "%s%s", i ? ", " : "", kinds[i]);
	strbuf_addstr(why, ") or an absolute path glob");
	if (near)
		strbuf_addf(why, "; did you mean '%s'?", near);
	return -1;
}

/* the automata, built on first use (most runs never generalise into a danger zone) */
static int danger_prepare(danger_t *d, struct strbuf *why)
{
	const char **ex;
	size_t i, n;
	int k, rc = 0;

	if (d->prepared)
		return d->prepared < 0 ? -1 : 0;
	d->prepared = 1;
	ex = xcalloc(d->n + 1, sizeof(char *));
	for (i = 0; i < d->n && rc == 0; i++) {
		struct dentry *e = &d->v[i];

		if ((e->kind == D_READ || e->kind == D_WRITE) && !e->except) {
			e->nfa = aanfa_compile((const char *const *)&e->arg, 1, d->vars, why);
			if (!e->nfa)
				rc = -1;
		}
	}
	for (k = 0; k < 2 && rc == 0; k++) {
		for (i = 0, n = 0; i < d->n; i++)
			if (d->v[i].except && d->v[i].kind == (k ? D_WRITE : D_READ))
				ex[n++] = d->v[i].arg;
		if (n && !(d->except[k] = aanfa_compile(ex, n, d->vars, why)))
			rc = -1;
	}
	free(ex);
	if (rc < 0)
		d->prepared = -1;
	return rc;
}

/*
 * The read/write entries whose dangerous paths (the entry's, less the
 * exceptions of its kind) glob would also match: their indices in
 * *ret_zones, their number returned; (size_t)-1 with why when that cannot
 * be decided (the caller then refuses the generalisation).
 */
static size_t danger_zones(const danger_t *cd, const char *glob, size_t **ret_zones,
			   struct strbuf *why)
{
	danger_t *d = (danger_t *)cd;
	aanfa_t *p;
	size_t i, n = 0;

	*ret_zones = NULL;
	if (danger_prepare(d, why) < 0)
		return (size_t)-1;
	p = aanfa_compile(&glob, 1, d->vars, why);
	if (!p)
		return (size_t)-1;
	for (i = 0; i < d->n; i++) {
		const struct dentry *e = &d->v[i];

		/* without the exceptions first: that is cheap, and mostly enough */
		if (!e->nfa || !aanfa_overlap(p, e->nfa, NULL) ||
		    (d->except[e->kind == D_WRITE] &&
		     !aanfa_overlap(p, e->nfa, d->except[e->kind == D_WRITE])))
			continue;
		*ret_zones = xrealloc(*ret_zones, (n + 1) * sizeof(size_t));
		(*ret_zones)[n++] = i;
	}
	aanfa_free(p);
	return n;
}

/* is path itself dangerous by entry i (its glob, and no exception of its kind)? */
static int danger_in_zone(const danger_t *d, size_t i, const char *path)
{
	const struct dentry *e = &d->v[i];
	size_t k;

	if (!aaglob_match(e->glob, path))
		return 0;
	for (k = 0; k < d->n; k++)
		if (d->v[k].except && d->v[k].kind == e->kind && aaglob_match(d->v[k].glob, path))
			return 0;
	return 1;
}

/* the first of the zones that path is not in: a generalisation would reach it */
static const char *danger_zone_misses(const danger_t *d, const size_t *zones, size_t n,
				      const char *path)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!danger_in_zone(d, zones[i], path))
			return d->v[zones[i]].what;
	return NULL;
}
