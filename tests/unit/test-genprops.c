/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Properties of the shipped generalisation rules (rules/generalise.rules),
 * over random names: a generalised rule matches the logged path; it never
 * matches a path one edit away unless the rules would write that very rule
 * for it too (a name the rule was meant for); the hexadecimal-id rules never
 * match a name with a non-hex character at an id position; the temporary
 * suffix rules never match across '/', another base name or another length,
 * and leave fixed names alone. Globs are matched as apparmor_parser reads
 * them (aalex.c unescaping, aaglob.c matching). The seed is fixed, so a
 * failure is reproducible; GENPROPS_SEED=N tries another.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aaglob.h"
#include "aalex.h"
#include "rulefiles.h"
#include "rules.h"
#include "strbuf.h"
#include "util.h"

#define ROUNDS 3000
#define EDITS 40

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	/* xorshift64*: reproducible, independent of libc */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ull;
}

static size_t below(size_t n)
{
	return n ? (size_t)(rnd() % n) : 0;
}

static char pick(const char *set)
{
	return set[below(strlen(set))];
}

#define HEX "0123456789abcdef"
#define ALNUM "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
/* what an edit may put into a name: every class the rules tell apart */
#define EDIT_CHARS "0159afgzAFGZ._-~#/ "

struct fixture {
	genrules_t *gen;
	genrules_t *loose;   /* the same without the randomness tests */
	aavars_t *vars;
};

/*
 * The rules with the test that a suffix looks random taken out: the
 * negative lookahead right after \K, "\K(?![a-z]{6}|...)". A path may
 * match a generalised rule without the rules writing that rule for it only
 * when these would: the suffix no longer looks random, so it stays literal.
 */
static genrules_t *loose_rules(const char *path)
{
	genrules_t *g = genrules_new();
	char *text = NULL, *p, *q;
	size_t len;
	FILE *fp = fopen(path, "r");

	if (!fp || getdelim(&text, &len, '\0', fp) < 0)
		fail_msg("cannot read '%s'", path);
	fclose(fp);
	while ((p = strstr(text, "\\K(?!"))) {
		q = strchr(p, ')');
		assert_non_null(q);
		memmove(p + 2, q + 1, strlen(q + 1) + 1);
		p[1] = 'K';
		p[0] = '\\';
	}
	if (genrules_load_text(g, path, text) < 0)
		fail_msg("the rules without their randomness tests do not load");
	free(text);
	return g;
}

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	const char *seed = getenv("GENPROPS_SEED");

	if (seed && *seed)
		rng_state = strtoull(seed, NULL, 0) | 1;
	f->gen = genrules_new();
	*state = f;   /* teardown frees what there is, even after a failed setup */
	/* tests/run-all.sh runs the unit tests from the top of the tree */
	if (genrules_load_file(f->gen, "rules/generalise.rules") < 0)
		return -1;
	f->loose = loose_rules("rules/generalise.rules");
	f->vars = rulefiles_tunables();
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	if (!f)
		return 0;
	genrules_free(f->gen);
	genrules_free(f->loose);
	aavars_free(f->vars);
	free(f);
	return 0;
}

/*
 * The rule text for path: 1 generalised (text in out), 0 literal or
 * refused, -1 not expressible.
 */
static int gen_by(const genrules_t *rules, const char *path, struct strbuf *out)
{
	struct strbuf src = STRBUF_INIT, why = STRBUF_INIT;
	int r;

	strbuf_reset(out);
	r = genrules_apply(rules, path, out, &src, &why);
	if (r == 0 && src.len)
		r = 1;
	else if (r > 0)
		r = 0;
	strbuf_release(&src);
	strbuf_release(&why);
	return r;
}

static int gen(const struct fixture *f, const char *path, struct strbuf *out)
{
	return gen_by(f->gen, path, out);
}

/* the glob apparmor_parser reads from the policy text (as written into a rule) */
static aaglob_t *compile_text(const struct fixture *f, const char *text)
{
	char *unq = aa_processid(text, strlen(text));
	struct strbuf why = STRBUF_INIT;
	aaglob_t *g = aaglob_compile(unq, f->vars, &why);

	if (!g)
		fail_msg("'%s' does not compile as a glob: %s", unq, why.buf);
	free(unq);
	strbuf_release(&why);
	return g;
}

/* does the policy text match path? */
static int text_matches(const struct fixture *f, const char *text, const char *path)
{
	aaglob_t *g = compile_text(f, text);
	int m = aaglob_match(g, path);

	aaglob_free(g);
	return m;
}

/* ------------------------------------------------------- random paths */

static void add_random(struct strbuf *sb, const char *set, size_t n)
{
	while (n--)
		strbuf_addch(sb, pick(set));
}

/* a random temporary suffix that looks random: two classes at least */
static void add_suffix(struct strbuf *sb, size_t n)
{
	size_t start = sb->len, digit = below(n);

	add_random(sb, ALNUM, n);
	sb->buf[start + digit] = pick("0123456789");
	sb->buf[start + (digit + 1 + below(n - 1)) % n] = pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ");
}

static void add_word(struct strbuf *sb)
{
	static const char *const words[] = {
		"etc", "srv", "data", "nginx", "sensors", "cache", "fontconfig", "x", "a.b",
		"passwd", "config.json", "lib", "named", ".hidden", "app-1", "evil", "deadbeef",
	};
	strbuf_addstr(sb, words[below(ARRAY_SIZE(words))]);
}

/* one path component of a random kind */
static void add_component(struct strbuf *sb)
{
	switch (below(13)) {
	case 0: case 1:
		add_word(sb);
		break;
	case 2: {   /* a hex id, of a length near and at the ones the rules know */
		static const size_t len[] = { 8, 31, 32, 33, 40, 41, 63, 64, 65, 128 };
		add_random(sb, HEX, len[below(ARRAY_SIZE(len))]);
		break;
	}
	case 3:     /* a UUID, lower or upper case */
		if (below(2)) {
			add_random(sb, HEX, 8); strbuf_addch(sb, '-');
			add_random(sb, HEX, 4); strbuf_addch(sb, '-');
			add_random(sb, HEX, 4); strbuf_addch(sb, '-');
			add_random(sb, HEX, 4); strbuf_addch(sb, '-');
			add_random(sb, HEX, 12);
		} else {
			add_random(sb, "0123456789ABCDEF", 8); strbuf_addch(sb, '-');
			add_random(sb, "0123456789ABCDEF", 4); strbuf_addch(sb, '-');
			add_random(sb, "0123456789ABCDEF", 4); strbuf_addch(sb, '-');
			add_random(sb, "0123456789ABCDEF", 4); strbuf_addch(sb, '-');
			add_random(sb, "0123456789ABCDEF", 12);
		}
		if (below(2))
			strbuf_addstr(sb, "-le64.cache-7");
		break;
	case 4: case 5:   /* mkstemp: name.XXXXXX, name-XXXXXX */
		add_word(sb);
		strbuf_addch(sb, pick(".-"));
		add_suffix(sb, 6);
		break;
	case 6:     /* fontconfig */
		strbuf_addstr(sb, below(2) ? ".uuid.TMP-" : "x-le64.cache-7.TMP-");
		add_suffix(sb, 6);
		break;
	case 7:     /* BIND, Python */
		if (below(2)) {
			strbuf_addstr(sb, "tmp-");
			add_suffix(sb, 10);
		} else {
			strbuf_addstr(sb, "tmp");
			add_random(sb, "abcdefghijklmnopqrstuvwxyz0123456789_", 7);
			strbuf_addch(sb, pick("0123456789_"));
		}
		break;
	case 8:     /* vim */
		strbuf_addch(sb, '.');
		add_word(sb);
		strbuf_addstr(sb, ".sw");
		strbuf_addch(sb, pick("abcdefghijklmnopxyz"));
		break;
	case 9:     /* a number */
		strbuf_addf(sb, "%u", (unsigned)below(5000000));
		break;
	case 10:    /* six random characters of any class mix, alone */
		add_random(sb, ALNUM, 6);
		break;
	default:    /* anything at all */
		add_random(sb, ALNUM "._-~#", 1 + below(12));
		break;
	}
}

static void random_path(struct strbuf *sb)
{
	static const char *const prefixes[] = {
		"/", "/tmp/", "/var/tmp/", "/etc/", "/run/", "/run/nginx/", "/proc/", "/proc/self/",
		"/home/", "/run/user/", "/var/lib/docker/overlay2/", "/var/cache/fontconfig/",
		"/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/",
		"/var/lib/docker/containers/",
	};
	size_t n = 1 + below(3), i;

	strbuf_reset(sb);
	strbuf_addstr(sb, prefixes[below(ARRAY_SIZE(prefixes))]);
	for (i = 0; i < n; i++) {
		if (i)
			strbuf_addch(sb, '/');
		add_component(sb);
	}
	if (below(4) == 0)
		strbuf_addch(sb, '/');
}

/* one random edit of path into out: a substitution, an insertion or a deletion */
static void random_edit(const char *path, struct strbuf *out)
{
	size_t len = strlen(path), pos = 1 + below(len - 1);

	strbuf_reset(out);
	strbuf_add(out, path, pos);
	switch (below(3)) {
	case 0:   /* substitute */
		if (pos < len) {
			strbuf_addch(out, pick(EDIT_CHARS));
			strbuf_addstr(out, path + pos + 1);
			break;
		}
		/* nothing to substitute at the end: insert */
		/* fall through */
	case 1:   /* insert */
		strbuf_addch(out, pick(EDIT_CHARS));
		strbuf_addstr(out, path + pos);
		break;
	default:  /* delete */
		if (pos < len)
			strbuf_addstr(out, path + pos + 1);
		break;
	}
}

/*
 * Is path one that a rule is written for: harvest normalises a logged
 * path first (derive.c: '//' collapsed, '.' and '..' refused)?
 */
static int normal(const char *path)
{
	const char *c;

	if (strstr(path, "//"))
		return 0;
	for (c = path; (c = strstr(c, "/.")); c++)
		if (c[2] == '/' || !c[2] || (c[2] == '.' && (c[3] == '/' || !c[3])))
			return 0;
	return 1;
}

/* ------------------------------------------------------------ the tests */

/*
 * A generalised rule matches its path, and a path one edit away only when
 * the rules would write the same rule for it.
 */
static void generalised_rules_match_only_what_they_mean(void **state)
{
	const struct fixture *f = *state;
	struct strbuf path = STRBUF_INIT, g = STRBUF_INIT, edited = STRBUF_INIT, g2 = STRBUF_INIT;
	size_t round, k, ngen = 0;
	aaglob_t *glob;

	for (round = 0; round < ROUNDS; round++) {
		random_path(&path);
		if (gen(f, path.buf, &g) != 1)
			continue;
		ngen++;
		glob = compile_text(f, g.buf);
		if (!aaglob_match(glob, path.buf))
			fail_msg("'%s' generalised to '%s', which does not match it", path.buf, g.buf);
		for (k = 0; k < EDITS; k++) {
			random_edit(path.buf, &edited);
			if (!normal(edited.buf))
				continue;
			if (!aaglob_match(glob, edited.buf))
				continue;
			if (gen(f, edited.buf, &g2) == 1 && streq(g2.buf, g.buf))
				continue;
			/* literal only because the suffix no longer looks random */
			if (gen_by(f->loose, edited.buf, &g2) == 1 && streq(g2.buf, g.buf))
				continue;
			gen(f, edited.buf, &g2);
			fail_msg("'%s' generalised to '%s', which also matches '%s' (the rules "
				 "write '%s' for that)", path.buf, g.buf, edited.buf, g2.buf);
		}
		aaglob_free(glob);
	}
	/* the generator must reach the rules, or this test tests nothing */
	if (ngen < ROUNDS / 4)
		fail_msg("only %zu of %d random paths were generalised", ngen, ROUNDS);
	strbuf_release(&path);
	strbuf_release(&g);
	strbuf_release(&edited);
	strbuf_release(&g2);
}

/* the hex-id rules: a non-hex character at any id position never matches */
static void hex_ids_only(void **state)
{
	static const size_t len[] = { 32, 40, 64, 100 };
	const struct fixture *f = *state;
	struct strbuf path = STRBUF_INIT, g = STRBUF_INIT, other = STRBUF_INIT;
	size_t round, i;

	for (round = 0; round < ROUNDS / 10; round++) {
		size_t n = len[below(ARRAY_SIZE(len))], at;
		const char *tail = below(2) ? "/config.v2.json" : "";

		strbuf_reset(&path);
		strbuf_addstr(&path, "/var/lib/docker/containers/");
		at = path.len;
		add_random(&path, HEX, n);
		strbuf_addstr(&path, tail);
		if (gen(f, path.buf, &g) != 1)
			fail_msg("the hex id in '%s' is not generalised", path.buf);
		assert_true(text_matches(f, g.buf, path.buf));
		for (i = 0; i < n; i++) {
			strbuf_reset(&other);
			strbuf_addbuf(&other, &path);
			other.buf[at + i] = pick("ghijklmnopqrstuvwxyzGHIJKLMNOPQRSTUVWXYZ._-~/");
			if (text_matches(f, g.buf, other.buf))
				fail_msg("'%s' (for '%s') matches '%s'", g.buf, path.buf, other.buf);
		}
		/* one longer, one shorter, and names that only start with hex */
		strbuf_reset(&other);
		strbuf_add(&other, path.buf, at + n);
		strbuf_addch(&other, pick(HEX));
		strbuf_addstr(&other, tail);
		assert_false(text_matches(f, g.buf, other.buf));
		strbuf_reset(&other);
		strbuf_add(&other, path.buf, at + n - 1);
		strbuf_addstr(&other, tail);
		assert_false(text_matches(f, g.buf, other.buf));
		strbuf_reset(&other);
		strbuf_addf(&other, "/var/lib/docker/containers/evil%s", tail);
		assert_false(text_matches(f, g.buf, other.buf));
		strbuf_reset(&other);
		strbuf_addf(&other, "/var/lib/docker/containers/%c%s", pick(HEX), tail);
		assert_false(text_matches(f, g.buf, other.buf));
	}
	strbuf_release(&path);
	strbuf_release(&g);
	strbuf_release(&other);
}

/*
 * The temporary-suffix rules, in any directory: the suffix generalised
 * without crossing '/', changing the base name or the length.
 */
static void temp_suffixes(void **state)
{
	static const char *const shapes[][2] = {
		{ "/run/nginx/nginx.pid.", "" },
		{ "/home/u/snap/indicator-sensors/44/.config/indicator-sensors/sensors.", "" },
		{ "/usr/share/fonts/truetype/.uuid.TMP-", "" },
		{ "/var/cache/fontconfig/x-le64.cache-7.TMP-", "" },
		{ "/home/u/.config/app/settings.conf.", "" },
		{ "/run/systemd/namespace-", "/" },
		{ "/tmp/sdtest.19033-29001-", "/mountpoint/" },
		{ "/tmp/", "" },
	};
	const struct fixture *f = *state;
	struct strbuf path = STRBUF_INIT, g = STRBUF_INIT, other = STRBUF_INIT;
	size_t round, i;

	for (round = 0; round < ROUNDS / 10; round++) {
		const char *const *s = shapes[below(ARRAY_SIZE(shapes))];
		size_t at, blen;

		strbuf_reset(&path);
		strbuf_addstr(&path, s[0]);
		at = path.len;
		add_suffix(&path, 6);
		strbuf_addstr(&path, s[1]);
		if (gen(f, path.buf, &g) != 1)
			fail_msg("the temporary suffix of '%s' is not generalised", path.buf);
		assert_true(text_matches(f, g.buf, path.buf));
		if (!strstr(g.buf, strrchr(s[0], '/')))
			fail_msg("'%s' (for '%s') does not keep '%s' literal", g.buf, path.buf,
				 strrchr(s[0], '/'));
		/* never across '/', nor another length */
		for (i = 0; i < 6; i++) {
			strbuf_reset(&other);
			strbuf_addbuf(&other, &path);
			other.buf[at + i] = '/';
			assert_false(text_matches(f, g.buf, other.buf));
		}
		strbuf_reset(&other);
		strbuf_add(&other, path.buf, at + 6);
		strbuf_addstr(&other, "x/y");
		strbuf_addstr(&other, s[1]);
		assert_false(text_matches(f, g.buf, other.buf));
		strbuf_reset(&other);
		strbuf_add(&other, path.buf, at + 5);
		strbuf_addstr(&other, s[1]);
		assert_false(text_matches(f, g.buf, other.buf));
		/* nor another base name: each character of the base changed */
		blen = strrchr(s[0], '/') - s[0] + 1;
		for (i = blen; i < at; i++) {
			strbuf_reset(&other);
			strbuf_addbuf(&other, &path);
			other.buf[i] = other.buf[i] == 'q' ? 'r' : 'q';
			if (text_matches(f, g.buf, other.buf))
				fail_msg("'%s' (for '%s') matches '%s'", g.buf, path.buf, other.buf);
		}
	}
	strbuf_release(&path);
	strbuf_release(&g);
	strbuf_release(&other);
}

/* fixed names that look like a suffix shape but are not random stay literal */
static void fixed_names_stay_literal(void **state)
{
	static const char *const fixed[] = {
		"/etc/passwd.backup", "/etc/myapp/config.jsonxy", "/usr/bin/fail2ban-server",
		"/usr/lib/NetworkManager/nm-dhcp-helper", "/usr/lib/connman/scripts/dhclient-script",
		"/etc/ssl/certs/ca-certificates.crt", "/usr/lib/x86_64-linux-gnu/libz.so.1",
		"/srv/www/index.html", "/var/lib/app/db.sqlite", "/var/log/nginx/access.log.1",
		"/etc/fonts/conf.d/.uuid", "/run/nginx.pid.tmp", "/srv/app/ABCDEF", "/srv/app/123456",
		"/etc/bind/slave/tmp-abcdefghij", "/srv/x/tmpfilesx", "/srv/cache/evil",
		"/srv/cache/deadbeef", "/srv/x/.file.swx", "/srv/x/.file.sw", "/tmp/backup",
	};
	const struct fixture *f = *state;
	struct strbuf g = STRBUF_INIT;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(fixed); i++)
		if (gen(f, fixed[i], &g) != 0)
			fail_msg("the fixed name '%s' is generalised to '%s'", fixed[i], g.buf);
	strbuf_release(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(generalised_rules_match_only_what_they_mean),
		cmocka_unit_test(hex_ids_only),
		cmocka_unit_test(temp_suffixes),
		cmocka_unit_test(fixed_names_stay_literal),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
