/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * danger.c - the dangerous-access list (rules/ *.danger): rules that grant
 * one of these are held back unless the user opts in; and the paths a
 * generalised rule must not reach into (decided on the globs as automata).
 */
#include "danger.h"
#include "aaglob.h"
#include "aanfa.h"
#include "cli.h"
#include "policy.h"
#include "rulefiles.h"

#include <string.h>
#include <strings.h>

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

	d->vars = rulefiles_tunables();   /* the same variables as the generalisation rules */
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
	char **paths = rulefiles_collect(dirs, ".danger");
	size_t i;
	int errors = 0;

	for (i = 0; paths[i]; i++)
		if (danger_load_file(d, paths[i]) < 0)
			errors++;
	if (!i) {
		rulefiles_free(paths);
		return error("no *.danger file found in the rules directories: without the "
			     "list aaprof cannot hold back dangerous rules (reinstall aaprof)");
	}
	rulefiles_free(paths);
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
size_t danger_zones(const danger_t *cd, const char *glob, size_t **ret_zones,
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
const char *danger_zone_misses(const danger_t *d, const size_t *zones, size_t n,
			       const char *path)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!danger_in_zone(d, zones[i], path))
			return d->v[zones[i]].what;
	return NULL;
}
