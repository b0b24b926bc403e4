/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_PKGDEB_H
#define AAPROF_PKGDEB_H

/*
 * aaprof package: a profile as a Debian package a fleet installs with apt.
 * aaprof-profile-NAME_VERSION_all.deb, built with dpkg-deb (argv, never a
 * shell), installs the profile as a conffile /etc/apparmor.d/BASE; its
 * postinst loads it (apparmor_parser -r -T -W, as dh_apparmor's snippet
 * does, skipped when aa-enabled says AppArmor is off; a load that fails
 * fails the installation), its prerm unloads it on removal, its postrm
 * removes apparmor-utils' links and the cache entries on purge (dpkg
 * removes the conffile). Depends: apparmor.
 */
struct pkgdeb_opts {
	const char *file;         /* the profile file */
	const char *base;         /* its name under /etc/apparmor.d */
	const char *const *names; /* its top-level profiles (for --mode), NULL-terminated */
	const char *version;      /* NULL: from the file's modification time */
	const char *mode;         /* "complain", "enforce", or NULL: as the file says */
	const char *outdir;       /* where the .deb goes */
	const char *maintainer;   /* "Name <address>" */
};

/* a valid Debian version for a binary-only package: 0, or -1 after error() */
int pkgdeb_check_version(const char *v);
/* the package name for base (aaprof-profile-BASE): NULL after error() */
char *pkgdeb_name(const char *base);
/* build it (the profile compiled first): EXIT_OK, or an exit code after a message */
int pkgdeb_build(const struct pkgdeb_opts *o);

#endif
