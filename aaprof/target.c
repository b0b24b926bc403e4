/* SPDX-License-Identifier: GPL-2.0-or-later */
/* target.c - what a NAME on the command line means: a file and its profiles. See target.h. */
#include "target.h"
#include "parser.h"
#include "paths.h"
#include "profile.h"
#include "util.h"

#include <dirent.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PROFILE_MAX (16u << 20)

void target_names_free(char **v)
{
	size_t i;

	for (i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

void target_release(struct target *t)
{
	free(t->file);
	free(t->base);
	target_names_free(t->profiles);
	free(t->main);
	memset(t, 0, sizeof(*t));
}

int target_check_arg(const char *arg)
{
	const unsigned char *p;

	if (!*arg)
		return error("an empty profile name");
	if (strlen(arg) >= PATH_MAX)
		return error("the profile name '%.64s...' is too long", arg);
	for (p = (const unsigned char *)arg; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return error("invalid profile name '%s': it holds a control character", arg);
		/* "/opt/My App/bin/x" is a program's path; "my app" is a typo */
		if (*p == ' ' && arg[0] != '/')
			return error("invalid profile name '%s': a name with a space must be a path", arg);
	}
	return 0;
}

int target_skipped_name(const char *base)
{
	/* apparmor_parser's skip list (parser_main.c), and hidden files */
	static const char *const suffixes[] = {
		"~", ".rej", ".orig", ".pacnew", ".pacsave", ".dpkg-new", ".dpkg-old",
		".dpkg-dist", ".dpkg-bak", ".dpkg-remove", ".rpmnew", ".rpmsave",
	};
	size_t i;

	if (!*base || base[0] == '.' || streq(base, "README"))
		return 1;
	for (i = 0; i < ARRAY_SIZE(suffixes); i++)
		if (ends_with(base, suffixes[i]))
			return 1;
	return 0;
}

char *target_file_name(const char *profile)
{
	char *name, *p;

	if (strstr(profile, "//"))
		return NULL;
	name = xstrdup(profile + (profile[0] == '/'));
	for (p = name; *p; p++)
		if (*p == '/')
			*p = '.';
	if (target_skipped_name(name) || strlen(name) > NAME_MAX) {
		free(name);
		return NULL;
	}
	return name;
}

/* ------------------------------------------------------------ the cache */

/*
 * STATE/names/<dir>: a line per file, "BASE\tKEY\tPROFILE\t...", KEY its
 * inode, size, mtime and ctime; "BASE\tKEY\t!" a file apparmor_parser
 * cannot read. Only a hint: a file found through it is read again.
 */
struct names_cache {
	char *dir;
	char **lines;
	size_t n, alloc;
	int loaded, dirty;
};
static struct names_cache cache;

static char *stat_key(const struct stat *st)
{
	return xasprintf("%llu:%lld:%lld.%09ld:%lld.%09ld", (unsigned long long)st->st_ino,
			 (long long)st->st_size, (long long)st->st_mtim.tv_sec,
			 st->st_mtim.tv_nsec, (long long)st->st_ctim.tv_sec, st->st_ctim.tv_nsec);
}

static char *cache_path(const char *dir)
{
	char *path;
	int q = quiet_errors;

	(void)state_dir();   /* its warnings are not the cache's to silence */
	quiet_errors = 1;
	path = state_path_for("names", dir, "");
	quiet_errors = q;
	return path;
}

static void cache_drop(void)
{
	size_t i;

	for (i = 0; i < cache.n; i++)
		free(cache.lines[i]);
	free(cache.lines);
	free(cache.dir);
	memset(&cache, 0, sizeof(cache));
}

static void cache_load(const char *dir)
{
	_cleanup_free_ char *path = NULL, *buf = NULL;
	char *line, *save = NULL;

	if (cache.loaded && streq(cache.dir, dir))
		return;
	cache_drop();
	cache.dir = xstrdup(dir);
	cache.loaded = 1;
	path = cache_path(dir);
	if (!path || read_file_quiet(path, 64u << 20, &buf) < 0)
		return;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *tab = strchr(line, '\t');

		if (!tab || !strchr(tab + 1, '\t') || line[0] == '#')
			continue;
		ALLOC_GROW(cache.lines, cache.n + 1, cache.alloc);
		cache.lines[cache.n++] = xstrdup(line);
	}
}

static void cache_save(void)
{
	struct strbuf sb = STRBUF_INIT;
	_cleanup_free_ char *path = NULL;
	size_t i;
	int q = quiet_errors;

	if (!cache.dirty)
		return;
	cache.dirty = 0;
	strbuf_addstr(&sb, "# aaprof: the profiles of each file (apparmor_parser -N), a hint\n");
	for (i = 0; i < cache.n; i++) {
		_cleanup_free_ char *base = xstrndup(cache.lines[i],
						     strcspn(cache.lines[i], "\t"));
		_cleanup_free_ char *file = xasprintf("%s/%s", cache.dir, base);

		if (access(file, F_OK) == 0)   /* forget the files gone */
			strbuf_addf(&sb, "%s\n", cache.lines[i]);
	}
	quiet_errors = 1;   /* a state directory we cannot write: run the parser next time */
	path = cache_path(cache.dir);
	if (path)
		write_file_atomic(path, sb.buf, sb.len, 0644, NULL);
	quiet_errors = q;
	strbuf_release(&sb);
}

/* the cached line of base with key, or NULL */
static const char *cache_get(const char *base, const char *key)
{
	size_t i, bl = strlen(base), kl = strlen(key);

	for (i = 0; i < cache.n; i++) {
		const char *l = cache.lines[i];

		if (!strncmp(l, base, bl) && l[bl] == '\t' && !strncmp(l + bl + 1, key, kl) &&
		    l[bl + 1 + kl] == '\t')
			return l + bl + 1 + kl + 1;
	}
	return NULL;
}

static void cache_put(const char *base, const char *key, char **names)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i, bl = strlen(base);

	if (strpbrk(base, "\t\n"))
		return;
	strbuf_addf(&sb, "%s\t%s", base, key);
	for (i = 0; names && names[i]; i++) {
		if (strpbrk(names[i], "\t\n") || streq(names[i], "!")) {
			strbuf_release(&sb);
			return;
		}
		strbuf_addf(&sb, "\t%s", names[i]);
	}
	if (!names)
		strbuf_addstr(&sb, "\t!");
	for (i = 0; i < cache.n; i++) {
		if (!strncmp(cache.lines[i], base, bl) && cache.lines[i][bl] == '\t') {
			free(cache.lines[i]);
			cache.lines[i] = strbuf_detach(&sb, NULL);
			cache.dirty = 1;
			return;
		}
	}
	ALLOC_GROW(cache.lines, cache.n + 1, cache.alloc);
	cache.lines[cache.n++] = strbuf_detach(&sb, NULL);
	cache.dirty = 1;
}

static char **split_tabs(const char *s)
{
	char **v = xcalloc(strlen(s) / 2 + 2, sizeof(char *));
	size_t n = 0;

	while (*s) {
		size_t len = strcspn(s, "\t");

		if (len)
			v[n++] = xstrndup(s, len);
		s += len + (s[len] == '\t');
	}
	return v;
}

/* ------------------------------------------------------ file -> profiles */

/* the profiles of a file, run now (apparmor_parser -N); NULL with the message in err */
static char **file_names(const char *path, struct strbuf *err)
{
	_cleanup_free_ char *text = NULL;
	char **v;

	if (read_file(path, PROFILE_MAX, &text, NULL) < 0) {
		strbuf_addstr(err, "cannot read it");
		return NULL;
	}
	if (!parser_path()) {
		strbuf_addstr(err, "apparmor_parser not found (install the 'apparmor' package)");
		return NULL;
	}
	v = parser_names(text, err);
	if (v && !v[0]) {
		strbuf_addstr(err, "it defines no profile");
		target_names_free(v);
		return NULL;
	}
	return v;
}

/* dir/base's profiles, from the cache unless fresh; NULL (err set) if it has none */
static char **names_of(const char *dir, const char *base, int fresh, struct strbuf *err)
{
	_cleanup_free_ char *path = xasprintf("%s/%s", dir, base), *key = NULL;
	const char *hit;
	struct stat st;
	char **v;

	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
		strbuf_addstr(err, "not a regular file");
		return NULL;
	}
	cache_load(dir);
	key = stat_key(&st);
	hit = fresh ? NULL : cache_get(base, key);
	if (hit) {
		if (streq(hit, "!")) {
			strbuf_addstr(err, "apparmor_parser cannot read it");
			return NULL;
		}
		return split_tabs(hit);
	}
	v = file_names(path, err);
	/* a file apparmor_parser read, or refused: not one it could not be run on */
	if (v || (parser_path() && access(path, R_OK) == 0))
		cache_put(base, key, v);
	return v;
}

char **target_file_profiles(const char *dir, const char *base)
{
	struct strbuf err = STRBUF_INIT;
	char **v = names_of(dir, base, 0, &err);

	if (!v)
		error("'%s/%s': %s", dir, base, err.buf);
	strbuf_release(&err);
	return v;
}

void target_cache_flush(void)
{
	cache_save();
}

static int has_name(char *const *v, const char *name)
{
	size_t i;

	for (i = 0; v && v[i]; i++)
		if (streq(v[i], name))
			return 1;
	return 0;
}

/* ------------------------------------------------------ profile -> file */

/* does dir/base define name, read now */
static int defines(const char *dir, const char *base, const char *name)
{
	struct strbuf err = STRBUF_INIT;
	char **v = names_of(dir, base, 1, &err);
	int r = has_name(v, name);

	target_names_free(v);
	strbuf_release(&err);
	return r;
}

int target_find_file(const char *dir, const char *name, char **ret_base)
{
	_cleanup_free_ char *conv = target_file_name(name);
	struct strbuf found = STRBUF_INIT;
	struct dirent **ents;
	char *first = NULL;
	size_t nfound = 0;
	int k, m, rc = 0;

	*ret_base = NULL;
	/* the files named after it first: one parser run each */
	if (conv && defines(dir, conv, name)) {
		*ret_base = steal_pointer(&conv);
		return 0;
	}
	if (!strchr(name, '/') && (!conv || strcmp(conv, name)) && !target_skipped_name(name) &&
	    defines(dir, name, name)) {
		*ret_base = xstrdup(name);
		return 0;
	}
	/* then every file apparmor_parser -r DIR would load, through the cache */
	m = scandir(dir, &ents, NULL, alphasort);
	for (k = 0; k < m; k++) {
		const char *base = ents[k]->d_name;
		struct strbuf err = STRBUF_INIT;
		char **v;

		if (!target_skipped_name(base) && ents[k]->d_type != DT_DIR) {
			v = names_of(dir, base, 0, &err);
			if (has_name(v, name) && defines(dir, base, name)) {
				strbuf_addf(&found, "%s%s/%s", nfound ? ", " : "", dir, base);
				if (!nfound++)
					first = xstrdup(base);
			}
			target_names_free(v);
		}
		strbuf_release(&err);
		free(ents[k]);
	}
	if (m >= 0)
		free(ents);
	cache_save();
	if (nfound > 1) {
		error("the profile '%s' is defined in %zu files (%s): apparmor_parser loads "
		      "whichever comes last; name the file", name, nfound, found.buf);
		free(first);
		rc = EXIT_ERROR;
	} else {
		*ret_base = first;
	}
	strbuf_release(&found);
	return rc;
}

/* -------------------------------------------------------------- resolve */

static int is_regular(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* the base name of path when the file is in dir (its directory is dir), else NULL */
static char *base_in_dir(const char *dir, const char *path)
{
	const char *slash = strrchr(path, '/');
	_cleanup_free_ char *parent = slash ? xstrndup(path, slash - path) : xstrdup(".");
	char rd[PATH_MAX], rp[PATH_MAX];

	if (!realpath(dir, rd) || !realpath(*parent ? parent : "/", rp) || strcmp(rd, rp))
		return NULL;
	return xstrdup(slash ? slash + 1 : path);
}

/* the first top-level profile of the file that both aaprof and apparmor_parser see */
static char *main_profile(const char *path, char *const *profiles)
{
	_cleanup_free_ char *text = NULL;
	char *mine = NULL;
	size_t i;

	if (read_file(path, PROFILE_MAX, &text, NULL) == 0 &&
	    profile_main(text, &mine, NULL, NULL) == 0 && has_name(profiles, mine))
		return mine;
	free(mine);
	for (i = 0; profiles[i]; i++)
		if (!strstr(profiles[i], "//"))
			return xstrdup(profiles[i]);
	return xstrdup(profiles[0]);
}

/* the root of a profile name: parent of parent//child */
static char *root_of(const char *name)
{
	const char *sep = strstr(name, "//");

	return sep ? xstrndup(name, sep - name) : xstrdup(name);
}

/* t from the file path (base: its name in the directory, or NULL) */
static int from_file(const char *dir, const char *path, const char *base, const char *named,
		     struct target *t)
{
	struct strbuf err = STRBUF_INIT;

	if (access(path, R_OK) < 0) {
		error_errno("cannot read the profile file '%s'", path);
		return EXIT_ERROR;
	}
	if (!parser_path()) {
		error("apparmor_parser not found: it reads which profiles '%s' defines "
		      "(install the 'apparmor' package)", path);
		return EXIT_NOPARSER;
	}
	if (base) {
		t->profiles = names_of(dir, base, 1, &err);
	} else {
		t->profiles = file_names(path, &err);
	}
	if (!t->profiles) {
		int none = !strcmp(err.buf, "it defines no profile");

		error("'%s' %s: %s", path, none ? "is no profile file" :
		      "cannot be read by apparmor_parser", err.buf);
		strbuf_release(&err);
		return none ? EXIT_ERROR : EXIT_REJECTED;
	}
	strbuf_release(&err);
	t->file = base ? xasprintf("%s/%s", dir, base) : xstrdup(path);
	t->base = base ? xstrdup(base) : NULL;
	t->named_file = !named;
	t->main = named ? root_of(named) : main_profile(path, t->profiles);
	return 0;
}

int target_of_file(const char *path, const char *named, struct target *t)
{
	int rc;

	memset(t, 0, sizeof(*t));
	if (named && target_check_arg(named) < 0)
		return EXIT_USAGE;
	rc = from_file(NULL, path, NULL, named, t);
	if (!rc && named && !has_name(t->profiles, named)) {
		struct strbuf list = STRBUF_INIT;

		target_describe(t, &list);
		error("'%s' does not define the profile '%s' (apparmor_parser -N lists %s)",
		      path, named, list.buf);
		strbuf_release(&list);
		target_release(t);
		rc = EXIT_ERROR;
	}
	return rc;
}

int target_resolve(const char *dir, const char *arg, unsigned flags, struct target *t)
{
	_cleanup_free_ char *base = NULL, *inpath = NULL;
	int rc;

	memset(t, 0, sizeof(*t));
	if (target_check_arg(arg) < 0)
		return EXIT_USAGE;
	if (strchr(arg, '/')) {
		/* a file of the directory, a path-style profile name, or a FILE */
		if (is_regular(arg) && (base = base_in_dir(dir, arg)))
			return from_file(dir, arg, base, NULL, t);
		if (arg[0] == '/' || !is_regular(arg)) {
			/* /usr/sbin/chronyd, incus-web_</var/lib/incus> */
			rc = target_find_file(dir, arg, &base);
			if (rc)
				return rc;
			if (base) {
				inpath = xasprintf("%s/%s", dir, base);
				return from_file(dir, inpath, base, arg, t);
			}
		}
		if (is_regular(arg) && (flags & TARGET_FILE_OK))
			return from_file(dir, arg, NULL, NULL, t);
		/* a program of a path-named profile no file defines yet is no error */
		if (is_regular(arg) && !(arg[0] == '/' && (flags & TARGET_MISSING_OK))) {
			error("'%s' is not a file of the profile directory %s, and no file there "
			      "defines a profile of that name", arg, dir);
			return EXIT_ERROR;
		}
		if (arg[0] != '/' && (flags & TARGET_FILE_OK)) {
			error_errno("cannot read the profile file '%s'", arg);
			return EXIT_ERROR;
		}
	} else {
		inpath = xasprintf("%s/%s", dir, arg);
		if (!target_skipped_name(arg) && is_regular(inpath))
			return from_file(dir, inpath, arg, NULL, t);
		FREE_AND_NULL(inpath);
		/* a FILE in the current directory, as aaprof load always took it */
		if ((flags & TARGET_FILE_OK) && is_regular(arg))
			return from_file(dir, arg, NULL, NULL, t);
		rc = target_find_file(dir, arg, &base);
		if (rc)
			return rc;
		if (base) {
			inpath = xasprintf("%s/%s", dir, base);
			return from_file(dir, inpath, base, arg, t);
		}
	}
	if (!(flags & TARGET_MISSING_OK)) {
		error("no file in %s defines the profile '%s'", dir, arg);
		return EXIT_ERROR;
	}
	t->profiles = xcalloc(2, sizeof(char *));
	t->profiles[0] = xstrdup(arg);
	t->main = root_of(arg);
	return 0;
}

void target_describe(const struct target *t, struct strbuf *out)
{
	size_t i, n = 0;

	while (t->profiles[n])
		n++;
	for (i = 0; i < n; i++)
		strbuf_addf(out, "%s'%s'", !i ? "" : i + 1 == n ? " and " : ", ", t->profiles[i]);
	if (t->file)
		strbuf_addf(out, " (%s)", t->file);
}
