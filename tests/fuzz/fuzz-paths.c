/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer: one hostile path, logged by the kernel (hex-encoded), through
 * the real harvest: normalisation, generalisation (rules/ *.rules, loaded
 * as harvest loads them), escaping and the danger check (rules/ *.danger).
 * Properties, checked with aaprof's own matcher (aaglob.c) and the
 * system's tunables (/etc/apparmor.d/tunables/global), not generalisation's:
 *  1. a path with a "." or ".." component gives no rule; any other path
 *     gives at most one, and it matches the logged path (normalised);
 *  2. for each kind (read, write) the logged path is not dangerous for,
 *     the rule matches none of the dangerous sample paths, which are
 *     instantiated here from the danger files' own read/write globs;
 *  3. the rule is held back exactly when the normalised path is dangerous;
 *  4. the terminal form of the path holds no control character, no C1 or
 *     bidi control and no invalid UTF-8.
 * A failure aborts with the property and the values on stderr.
 */
#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "aaglob.h"
#include "aalex.h"
#include "harvest.h"
#include "logshape.h"
#include "profile.h"
#include "record.h"
#include "rules.h"
#include "sanitise.h"
#include "strbuf.h"
#include "util.h"

#ifndef AAPROF_SRCDIR
#define AAPROF_SRCDIR "."
#endif

static genrules_t *gen;
static danger_t *dng;
static aavars_t *vars;
static char **samples;
static unsigned char *sample_kinds;   /* 1: read-dangerous, 2: write-dangerous */
static size_t nsamples, asamples;

static void die_prop(const char *prop, const char *path, const char *rule, const char *detail)
{
	fprintf(stderr, "fuzz-paths: property violated: %s\n  logged path: '%s'\n  rule: %s\n  %s\n",
		prop, path, rule ? rule : "(none)", detail ? detail : "");
	abort();
}

/* the values a danger glob's variables take in the samples */
static const char *const var_samples[][3] = {
	{ "PROC", "/proc/", NULL }, { "pid", "1", "4194304" }, { "tid", "1", NULL },
	{ "uid", "0", "1000" }, { "HOME", "/home/user/", "/root/" }, { "HOMEDIRS", "/home/", NULL },
	{ "run", "/run/", "/var/run/" }, { "sys", "/sys/", NULL }, { "multiarch", "x86_64-linux-gnu", NULL },
};

static void add_sample(const char *s)
{
	struct strbuf n = STRBUF_INIT, why = STRBUF_INIT;
	size_t i;

	if (path_normalise(s, &n, &why) == 0 && (danger_file(dng, n.buf, FP_R) || danger_file(dng, n.buf, FP_W))) {
		for (i = 0; i < nsamples && strcmp(samples[i], n.buf); i++)
			;
		if (i == nsamples) {
			ALLOC_GROW(samples, nsamples + 1, asamples);
			samples[nsamples++] = strbuf_detach(&n, NULL);
		}
	}
	strbuf_release(&n);
	strbuf_release(&why);
}

/* every instance of glob g (prefix: what is built so far): {} and @{} each way, wildcards as x and a/b */
static void instantiate(const char *prefix, const char *g, int depth)
{
	const char *s;
	char *p;

	if (depth > 12 || nsamples > 4000)
		return;
	for (s = g; *s; s++) {
		if (*s == '\\' && s[1]) {
			s++;
			continue;
		}
		if (*s == '{' || *s == '*' || *s == '?' || *s == '[' || (*s == '@' && s[1] == '{'))
			break;
	}
	p = xasprintf("%s%.*s", prefix, (int)(s - g), g);
	/* undo \X escapes of the literal part */
	{
		char *r = p, *w = p;

		for (; *r; r++)
			*w++ = (*r == '\\' && r[1]) ? *++r : *r;
		*w = '\0';
	}
	if (!*s) {
		add_sample(p);
	} else if (*s == '*') {
		const char *rest = s[1] == '*' ? s + 2 : s + 1;
		char *q;

		q = xasprintf("%sx", p); instantiate(q, rest, depth + 1); free(q);
		if (s[1] == '*') {
			q = xasprintf("%sa/b", p); instantiate(q, rest, depth + 1); free(q);
		}
	} else if (*s == '?') {
		char *q = xasprintf("%sx", p);

		instantiate(q, s + 1, depth + 1);
		free(q);
	} else if (*s == '[') {
		const char *e = strchr(s, ']');
		char *q;

		if (e) {
			q = s[1] == '^' ? xasprintf("%sx", p) : xasprintf("%s%c", p, s[1]);
			instantiate(q, e + 1, depth + 1);
			free(q);
		}
	} else if (*s == '@') {
		const char *e = strchr(s, '}');
		size_t i, k;

		for (i = 0; e && i < ARRAY_SIZE(var_samples); i++) {
			if (strlen(var_samples[i][0]) != (size_t)(e - s - 2) ||
			    memcmp(var_samples[i][0], s + 2, e - s - 2))
				continue;
			for (k = 1; k < 3 && var_samples[i][k]; k++) {
				char *q = xasprintf("%s%s", p, var_samples[i][k]);

				instantiate(q, e + 1, depth + 1);
				free(q);
			}
		}
	} else {   /* '{': each alternative, then the rest */
		const char *a = s + 1, *c;
		int d = 0;

		for (c = a; *c; c++) {
			if (*c == '\\' && c[1]) {
				c++;
			} else if (*c == '{') {
				d++;
			} else if ((*c == ',' && !d) || (*c == '}' && !d--)) {
				const char *close = c;
				int dd = 0;
				char *alt;

				/* the '}' that closes this group */
				for (; *close && !(*close == '}' && !dd); close++) {
					if (*close == '{')
						dd++;
					else if (*close == '}')
						dd--;
				}
				alt = xasprintf("%.*s%s", (int)(c - a), a, *close ? close + 1 : "");
				instantiate(p, alt, depth + 1);
				free(alt);
				if (*c == '}')
					break;
				a = c + 1;
				if (d < 0)
					break;
			}
		}
	}
	free(p);
}

/* the read/write globs of the danger files, instantiated */
static void load_samples(const char *dir)
{
	static const char *const files[] = { "default.danger" };
	size_t f;

	for (f = 0; f < ARRAY_SIZE(files); f++) {
		_cleanup_free_ char *path = xasprintf("%s/%s", dir, files[f]);
		_cleanup_free_ char *text = NULL;
		char *line, *save = NULL;

		if (read_file(path, 1 << 20, &text, NULL) < 0)
			abort();
		for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			if (starts_with(line, "read "))
				instantiate("", line + 5, 0);
			else if (starts_with(line, "write "))
				instantiate("", line + 6, 0);
		}
	}
	/* and the generalisation check's own sensitive files */
	add_sample("/etc/shadow");
	add_sample("/dev/mem");
	add_sample("/var/run/docker.sock");
	add_sample("/root/.ssh/authorized_keys");
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("FUZZ_RULES_DIR") ? getenv("FUZZ_RULES_DIR") : AAPROF_SRCDIR "/rules";
	const char *dirs[] = { dir, NULL };

	(void)argc;
	(void)argv;
	gen = genrules_new();
	dng = danger_new();
	if (genrules_load_dirs(gen, dirs) < 0 || danger_load_dirs(dng, dirs) < 0) {
		fprintf(stderr, "fuzz-paths: cannot load the rules in %s (FUZZ_RULES_DIR)\n", dir);
		abort();
	}
	genrules_set_danger(gen, dng);
	vars = aavars_new();
	if (aavars_load(vars, "/etc/apparmor.d", "tunables/global") < 0) {
		fprintf(stderr, "fuzz-paths: no /etc/apparmor.d/tunables/global\n");
		abort();
	}
	load_samples(dir);
	sample_kinds = xcalloc(nsamples, 1);
	for (size_t i = 0; i < nsamples; i++)
		sample_kinds[i] = !!danger_file(dng, samples[i], FP_R) | !!danger_file(dng, samples[i], FP_W) << 1;
	if (getenv("FUZZ_PATHS_VERBOSE"))
		for (size_t i = 0; i < nsamples; i++)
			fprintf(stderr, "sample %s\n", samples[i]);
	if (nsamples < 50) {
		fprintf(stderr, "fuzz-paths: only %zu dangerous samples\n", nsamples);
		abort();
	}
	return 0;
}

/* property 4: nothing a terminal acts on */
static void check_printable(const char *path, size_t len, const char *keep)
{
	struct strbuf t = STRBUF_INIT;
	const unsigned char *s;

	strbuf_add_printable(&t, path, len, keep);
	for (s = (const unsigned char *)t.buf; *s; s++) {
		unsigned cp;
		int n, k;

		if (*s < 0x80) {
			if ((*s < 0x20 && !(keep && strchr(keep, *s))) || *s == 0x7f)
				die_prop("4: a control character reaches the terminal", path, NULL, t.buf);
			continue;
		}
		n = (*s & 0xe0) == 0xc0 ? 2 : (*s & 0xf0) == 0xe0 ? 3 : (*s & 0xf8) == 0xf0 ? 4 : 0;
		cp = n == 2 ? *s & 0x1f : n == 3 ? *s & 0x0f : *s & 0x07;
		for (k = 1; k < n; k++) {
			if ((s[k] & 0xc0) != 0x80)
				n = 0;
			else
				cp = cp << 6 | (s[k] & 0x3f);
		}
		if (!n || (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069))
			die_prop("4: invalid UTF-8, a C1 or a bidi control reaches the terminal", path, NULL, t.buf);
		s += n - 1;
	}
	strbuf_release(&t);
}

static int has_dot_component(const char *p)
{
	const char *c = p;

	while (*c) {
		const char *e;

		while (*c == '/')
			c++;
		e = c;
		while (*e && *e != '/')
			e++;
		if ((e - c == 1 && c[0] == '.') || (e - c == 2 && c[0] == '.' && c[1] == '.'))
			return 1;
		c = e;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct harvest_opts o = { .allowed = 1, .denied = 1, .exec = EXEC_IX, .gen = gen, .danger = dng };
	struct strbuf line = STRBUF_INIT, json = STRBUF_INIT, norm = STRBUF_INIT, why = STRBUF_INIT;
	struct strbuf alias = STRBUF_INIT, awhy = STRBUF_INIT, araw = STRBUF_INIT;
	char *path = xstrndup((const char *)data, size);   /* up to a NUL: what a name can hold */
	struct json_object *arr;
	struct record r;
	harvest_t *h;
	size_t i, n, plen = strlen(path);
	int normal;

	quiet_errors = 1;
	check_printable(path, plen, NULL);
	check_printable(path, plen, "\n\t");
	normal = path[0] == '/' && path_normalise(path, &norm, &why) == 0;
	if (normal && (strstr(norm.buf, "//") || has_dot_component(norm.buf)))
		die_prop("normalisation leaves '//', '.' or '..'", path, NULL, norm.buf);

	strbuf_addstr(&line, "type=AVC msg=audit(1763798401.000:1): apparmor=\"ALLOWED\" "
		      "operation=\"open\" profile=\"fz\" name=");
	for (i = 0; i < plen; i++)
		strbuf_addf(&line, "%02X", (unsigned char)path[i]);
	if (!plen)
		strbuf_addstr(&line, "\"\"");
	strbuf_addstr(&line, " pid=1 comm=\"fz\" requested_mask=\"rw\" denied_mask=\"rw\" fsuid=0 ouid=1");
	record_init(&r);
	record_parse(&r, line.buf, line.len, 1800000000);
	h = harvest_new(&o);
	harvest_add(h, &r, line.buf, line.len);
	harvest_format_json(h, &json);
	arr = json_tokener_parse(json.buf);
	n = arr ? json_object_array_length(arr) : 0;
	if (!arr)
		die_prop("the JSON output parses", path, NULL, json.buf);
	if (n && (!normal || has_dot_component(path)))
		die_prop("1: no rule for a path with '.' or '..' components", path,
			 json_object_get_string(json_object_object_get(json_object_array_get_idx(arr, 0), "rule")), NULL);
	/* procfs seen through a detached mount (/sys/net/..., /<pid>/...) gets
	   a rule for its /proc name too: each rule matches one of the two */
	if (normal && procfs_alias(path, &araw) && path_normalise(araw.buf, &alias, &awhy) < 0)
		strbuf_reset(&alias);
	if (n > 1 + !!alias.len)
		die_prop("1: at most one rule per path (two for a procfs alias)", path, json.buf, NULL);
	for (i = 0; i < n; i++) {
		struct json_object *o1 = json_object_array_get_idx(arr, i), *hb;
		const char *rule = json_object_get_string(json_object_object_get(o1, "rule"));
		struct strbuf tok = STRBUF_INIT, glob = STRBUF_INIT, gwhy = STRBUF_INIT;
		const char *sp, *start = rule;
		const char *dr, *dw, *at = NULL;
		aaglob_t *g;
		size_t k;
		int held;

		if (starts_with(start, "owner "))
			start += 6;
		sp = strrchr(start, ' ');
		if (!sp)
			die_prop("1: a file rule is 'PATH PERMS,'", path, rule, NULL);
		strbuf_add(&tok, start, sp - start);
		{
			char *gl = aa_processid(tok.buf, tok.len);   /* as the policy reader does */

			strbuf_addstr(&glob, gl);
			free(gl);
		}
		g = aaglob_compile(glob.buf, vars, &gwhy);
		if (!g)
			die_prop("1: the rule is a valid glob", path, rule, gwhy.buf);
		if (aaglob_match(g, norm.buf))
			at = norm.buf;
		else if (alias.len && aaglob_match(g, alias.buf))
			at = alias.buf;
		else
			die_prop("1: the rule matches the logged path (normalised)", path, rule, norm.buf);
		dr = danger_file(dng, at, FP_R);
		dw = danger_file(dng, at, FP_W);
		for (k = 0; k < nsamples; k++) {
			if (streq(samples[k], at))
				continue;
			if (((!dr && (sample_kinds[k] & 1)) || (!dw && (sample_kinds[k] & 2))) &&
			    aaglob_match(g, samples[k]))
				die_prop("2: the rule reaches a dangerous path its logged path is not", path,
					 rule, samples[k]);
		}
		/* and the logged path moved across the tunables' alternatives
		   (@{HOME}: /home/USER/ and /root/; @{run}: /run/ and /var/run/):
		   where the moved path is dangerous and the logged one not, the
		   rule must not reach it */
		{
			static const char *const hops[][2] = {
				{ "/root/", "/home/user/" }, { "/run/", "/var/run/" },
				{ "/var/run/", "/run/" },
			};
			struct strbuf moved = STRBUF_INIT;
			const char *rest = NULL;

			if (starts_with(at, "/home/") && strchr(at + 6, '/'))
				rest = strchr(at + 6, '/') + 1;
			for (k = 0; k < ARRAY_SIZE(hops) + 1; k++) {
				strbuf_reset(&moved);
				if (k == 0 && rest)
					strbuf_addf(&moved, "/root/%s", rest);
				else if (k > 0 && starts_with(at, hops[k - 1][0]))
					strbuf_addf(&moved, "%s%s", hops[k - 1][1], at + strlen(hops[k - 1][0]));
				if (!moved.len || streq(moved.buf, at))
					continue;
				if (((!dr && danger_file(dng, moved.buf, FP_R)) ||
				     (!dw && danger_file(dng, moved.buf, FP_W))) && aaglob_match(g, moved.buf))
					die_prop("2: the rule reaches a dangerous path its logged path is not", path,
						 rule, moved.buf);
			}
			strbuf_release(&moved);
		}
		hb = json_object_object_get(o1, "held_back");
		held = hb && json_object_get_boolean(hb);
		if (held != (!!danger_file(dng, norm.buf, FP_R | FP_W) ||
			     (alias.len && danger_file(dng, alias.buf, FP_R | FP_W))))
			die_prop("3: held back exactly when the (normalised) path, or its /proc name, is dangerous", path, rule,
				 held ? "held, not dangerous" : "dangerous, not held");
		aaglob_free(g);
		strbuf_release(&tok);
		strbuf_release(&glob);
		strbuf_release(&gwhy);
	}
	json_object_put(arr);
	harvest_free(h);
	record_release(&r);
	strbuf_release(&line);
	strbuf_release(&json);
	strbuf_release(&norm);
	strbuf_release(&alias);
	strbuf_release(&awhy);
	strbuf_release(&araw);
	strbuf_release(&why);
	free(path);
	return 0;
}
