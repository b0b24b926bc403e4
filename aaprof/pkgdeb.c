/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pkgdeb.c - aaprof package: a profile as a Debian package (dpkg-deb) */
#include "pkgdeb.h"
#include "parser.h"
#include "profile.h"
#include "strbuf.h"
#include "target.h"
#include "util.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#define DPKG_DEB "/usr/bin/dpkg-deb"

int pkgdeb_check_version(const char *v)
{
	/* an upstream version alone (no revision, no epoch): a binary-only package */
	if (!*v || *v < '0' || *v > '9' || strlen(v) > 64 ||
	    strspn(v, "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.+~") != strlen(v))
		return error("--version '%s': expected a Debian version: a digit first, then "
			     "letters, digits, '.', '+' or '~' (e.g. 1.2 or 20261123.1)", v);
	return 0;
}

char *pkgdeb_name(const char *base)
{
	size_t bad = strspn(base, "abcdefghijklmnopqrstuvwxyz0123456789+-.");
	char *name;

	if (base[bad])
		return error("'%s': a Debian package name holds lowercase letters, digits, '+', "
			     "'-' and '.' only, not '%c' (rename the profile file)", base,
			     base[bad]), NULL;
	name = xasprintf("aaprof-profile-%s", base);
	if (strlen(name) > 100) {
		free(name);
		return error("'%s': too long for a package name", base), NULL;
	}
	return name;
}

/* the files of the package tree, to remove afterwards (deepest last) */
struct tree {
	char *root;
	char **paths;
	size_t n, alloc;
	unsigned long long bytes;
};

static int add_dir(struct tree *t, const char *rel)
{
	char *p = xasprintf("%s/%s", t->root, rel);

	if (mkdir(p, 0755) < 0 && errno != EEXIST) {
		error_errno("cannot create '%s'", p);
		free(p);
		return -1;
	}
	chmod(p, 0755);   /* whatever the umask */
	ALLOC_GROW(t->paths, t->n + 1, t->alloc);
	t->paths[t->n++] = p;
	return 0;
}

static int add_file(struct tree *t, const char *rel, const char *data, size_t len, unsigned mode)
{
	char *p = xasprintf("%s/%s", t->root, rel);

	ALLOC_GROW(t->paths, t->n + 1, t->alloc);
	t->paths[t->n++] = p;
	if (write_file_atomic(p, data, len, mode, NULL) < 0 || chmod(p, mode) < 0)
		return error_errno("cannot write '%s'", p);
	if (strncmp(rel, "DEBIAN/", 7))
		t->bytes += len;
	return 0;
}

static void tree_remove(struct tree *t)
{
	while (t->n-- > 0) {
		if (unlink(t->paths[t->n]) < 0)
			rmdir(t->paths[t->n]);
		free(t->paths[t->n]);
	}
	free(t->paths);
	rmdir(t->root);
	free(t->root);
}

/* gzip -9n of text (no name, no time: the same bytes every build) */
static int gzip_text(const char *text, struct strbuf *out)
{
	z_stream z = { 0 };
	size_t cap = compressBound(strlen(text)) + 64;
	int r;

	if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
		return error("cannot compress the changelog");
	strbuf_grow(out, cap);
	z.next_in = (unsigned char *)text;
	z.avail_in = strlen(text);
	z.next_out = (unsigned char *)out->buf;
	z.avail_out = cap;
	r = deflate(&z, Z_FINISH);
	deflateEnd(&z);
	if (r != Z_STREAM_END)
		return error("cannot compress the changelog");
	strbuf_setlen(out, cap - z.avail_out);
	return 0;
}

/* the profile text to install: the file, its profiles in mode if one was asked */
static int profile_text(const struct pkgdeb_opts *o, char **ret)
{
	char *text = NULL;
	size_t i;

	if (read_file(o->file, 16u << 20, &text, NULL) < 0)
		return EXIT_ERROR;
	for (i = 0; o->mode && o->names[i]; i++) {
		struct strbuf out = STRBUF_INIT, why = STRBUF_INIT;

		if (strstr(o->names[i], "//"))
			continue;   /* children follow their parent */
		if (profile_set_mode(text, o->names[i], o->mode, &out, &why) < 0) {
			error("cannot set %s mode of '%s': %s", o->mode, o->names[i], why.buf);
			strbuf_release(&out);
			strbuf_release(&why);
			free(text);
			return EXIT_ERROR;
		}
		free(text);
		text = strbuf_detach(&out, NULL);
		strbuf_release(&why);
	}
	*ret = text;
	return EXIT_OK;
}

static const char postinst[] =
"#!/bin/sh\n"
"# load the AppArmor profile %s, as dh_apparmor does; where AppArmor is off,\n"
"# it is installed and loaded at the next boot that has it\n"
"set -e\n"
"if [ \"$1\" = \"configure\" ] && [ -f /etc/apparmor.d/%s ]; then\n"
"\tif aa-enabled --quiet 2>/dev/null; then\n"
"\t\tapparmor_parser -r -T -W /etc/apparmor.d/%s\n"
"\telse\n"
"\t\techo \"%s: AppArmor is not enabled: /etc/apparmor.d/%s installed, not loaded\" >&2\n"
"\tfi\n"
"fi\n"
"exit 0\n";

static const char prerm[] =
"#!/bin/sh\n"
"# unload the AppArmor profile %s when the package is removed\n"
"set -e\n"
"if [ \"$1\" = \"remove\" ] && [ -f /etc/apparmor.d/%s ] && aa-enabled --quiet 2>/dev/null; then\n"
"\tapparmor_parser -R /etc/apparmor.d/%s || true\n"
"fi\n"
"exit 0\n";

static const char postrm[] =
"#!/bin/sh\n"
"# on purge: apparmor-utils' links and the cached policy of %s (dpkg removes\n"
"# the conffile), as dh_apparmor does\n"
"set -e\n"
"if [ \"$1\" = \"purge\" ]; then\n"
"\trm -f /etc/apparmor.d/disable/%s /etc/apparmor.d/force-complain/%s\n"
"\trm -f /var/cache/apparmor/*/%s\n"
"fi\n"
"exit 0\n";

/* DEBIAN/ and the documentation */
static int control_files(struct tree *t, const struct pkgdeb_opts *o, const char *pkg,
			 const char *version, const char *mode)
{
	struct strbuf sb = STRBUF_INIT, gz = STRBUF_INIT;
	_cleanup_free_ char *docdir = xasprintf("usr/share/doc/%s", pkg);
	_cleanup_free_ char *cl = xasprintf("%s/changelog.gz", docdir);
	_cleanup_free_ char *cr = xasprintf("%s/copyright", docdir);
	char date[64];
	time_t now = time(NULL);
	int r = -1;

	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", gmtime(&now));
	if (add_dir(t, "usr") < 0 || add_dir(t, "usr/share") < 0 || add_dir(t, "usr/share/doc") < 0 ||
	    add_dir(t, docdir) < 0)
		goto out;
	strbuf_addf(&sb, "%s (%s) unstable; urgency=medium\n\n  * The AppArmor profile %s "
		    "(%s mode), packaged by aaprof.\n\n -- %s  %s\n", pkg, version, o->base, mode,
		    o->maintainer, date);
	if (gzip_text(sb.buf, &gz) < 0 || add_file(t, cl, gz.buf, gz.len, 0644) < 0)
		goto out;
	strbuf_reset(&sb);
	strbuf_addf(&sb, "The AppArmor profile %s in this package was written (with aaprof)\n"
		    "by the administrators of the site that built the package.\n\n"
		    "Copyright: %.4s %s\n", o->base, date + 12, o->maintainer);
	if (add_file(t, cr, sb.buf, sb.len, 0644) < 0)
		goto out;
	strbuf_reset(&sb);
	strbuf_addf(&sb, "Package: %s\nVersion: %s\nArchitecture: all\nMaintainer: %s\n"
		    "Installed-Size: %llu\nDepends: apparmor\nSection: admin\nPriority: optional\n"
		    "Description: AppArmor profile %s\n The AppArmor profile %s (%s mode), "
		    "installed as\n /etc/apparmor.d/%s and loaded when the package is configured.\n"
		    " Built by aaprof.\n", pkg, version, o->maintainer, (t->bytes + 1023) / 1024 + 4,
		    o->base, o->base, mode, o->base);
	if (add_file(t, "DEBIAN/control", sb.buf, sb.len, 0644) < 0)
		goto out;
	strbuf_reset(&sb);
	strbuf_addf(&sb, "/etc/apparmor.d/%s\n", o->base);
	if (add_file(t, "DEBIAN/conffiles", sb.buf, sb.len, 0644) < 0)
		goto out;
	strbuf_reset(&sb);
	strbuf_addf(&sb, postinst, o->base, o->base, o->base, pkg, o->base);
	if (add_file(t, "DEBIAN/postinst", sb.buf, sb.len, 0755) < 0)
		goto out;
	strbuf_reset(&sb);
	strbuf_addf(&sb, prerm, o->base, o->base, o->base);
	if (add_file(t, "DEBIAN/prerm", sb.buf, sb.len, 0755) < 0)
		goto out;
	strbuf_reset(&sb);
	strbuf_addf(&sb, postrm, o->base, o->base, o->base, o->base);
	r = add_file(t, "DEBIAN/postrm", sb.buf, sb.len, 0755);
out:
	strbuf_release(&sb);
	strbuf_release(&gz);
	return r;
}

/* the version: given, or the profile file's modification time (UTC) */
static char *default_version(const char *file)
{
	struct stat st;
	char buf[32];

	if (stat(file, &st) < 0)
		return error_errno("cannot stat '%s'", file), NULL;
	strftime(buf, sizeof(buf), "%Y%m%d.%H%M%S", gmtime(&st.st_mtime));
	return xstrdup(buf);
}

int pkgdeb_build(const struct pkgdeb_opts *o)
{
	_cleanup_free_ char *pkg = pkgdeb_name(o->base), *text = NULL, *version = NULL;
	_cleanup_free_ char *deb = NULL, *tmpdeb = NULL, *prof = NULL;
	struct tree t = { 0 };
	struct strbuf err = STRBUF_INIT;
	const char *mode;
	int rc;

	if (!pkg)
		return EXIT_USAGE;
	if (target_skipped_name(o->base)) {
		error("'%s': apparmor_parser skips a file of this name in /etc/apparmor.d", o->base);
		return EXIT_USAGE;
	}
	if (!parser_path()) {
		error("apparmor_parser not found: the profile must compile before it is packaged "
		      "(install the 'apparmor' package)");
		return EXIT_NOPARSER;
	}
	version = o->version ? xstrdup(o->version) : default_version(o->file);
	if (!version)
		return EXIT_ERROR;
	rc = profile_text(o, &text);
	if (rc)
		return rc;
	if (parser_check(text, strlen(text), o->base, &err) < 0) {
		error("apparmor_parser rejects %s: %s", o->file, err.buf);
		strbuf_release(&err);
		return EXIT_REJECTED;
	}
	strbuf_release(&err);
	mode = profile_mode_of(text, NULL);
	mode = mode ? mode : "enforce";
	t.root = xasprintf("%s/.aaprof-package-XXXXXX", o->outdir);
	if (!mkdtemp(t.root)) {
		error_errno("cannot create a directory in '%s'", o->outdir);
		free(t.root);
		return EXIT_ERROR;
	}
	chmod(t.root, 0755);
	rc = EXIT_ERROR;
	prof = xasprintf("etc/apparmor.d/%s", o->base);
	if (add_dir(&t, "DEBIAN") < 0 || add_dir(&t, "etc") < 0 || add_dir(&t, "etc/apparmor.d") < 0 ||
	    add_file(&t, prof, text, strlen(text), 0644) < 0 ||
	    control_files(&t, o, pkg, version, mode) < 0)
		goto out;
	deb = xasprintf("%s/%s_%s_all.deb", o->outdir, pkg, version);
	tmpdeb = xasprintf("%s/.%s_%s_all.deb.aaprof-tmp", o->outdir, pkg, version);
	{
		const char *argv[] = { "dpkg-deb", "--root-owner-group", "-Zxz", "--build", t.root,
				       tmpdeb, NULL };
		int r = run_program(DPKG_DEB, argv);

		if (r != 0) {
			if (r > 0)
				error("dpkg-deb failed (exit %d) building %s", r, deb);
			unlink(tmpdeb);
			goto out;
		}
	}
	if (rename(tmpdeb, deb) < 0) {
		error_errno("cannot rename '%s' to '%s'", tmpdeb, deb);
		unlink(tmpdeb);
		goto out;
	}
	printf("%s\n", deb);
	rc = EXIT_OK;
out:
	tree_remove(&t);
	return rc;
}
