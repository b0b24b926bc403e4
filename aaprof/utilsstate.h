/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_UTILSSTATE_H
#define AAPROF_UTILSSTATE_H

/*
 * apparmor-utils' state on disk, which apparmor_parser itself honours for
 * a profile file DIR/FILE (DIR its --base, /etc/apparmor.d by default):
 *   DIR/disable/FILE         (aa-disable) the file is skipped: not loaded
 *                            at boot or by 'apparmor_parser -r DIR/FILE'
 *   DIR/force-complain/FILE  (aa-complain) loaded in complain mode whatever
 *                            its flags say
 * Each is a symbolic link to the profile file, as apparmor-utils makes it.
 */
enum utils_link {
	UTILS_DISABLE,
	UTILS_FORCE_COMPLAIN,
};

/* DIR/disable/FILE or DIR/force-complain/FILE for the profile file path */
char *utils_link_path(const char *profile_file, enum utils_link kind);
/* 1 when the link (or any file of that name) exists, else 0 */
int utils_link_exists(const char *profile_file, enum utils_link kind);
/*
 * Create the link (and its directory, 0755), to the profile file's
 * absolute path: 1 created, 0 it was there, -1 after error().
 */
int utils_link_add(const char *profile_file, enum utils_link kind);
/* remove it: 1 removed, 0 there was none, -1 after error() */
int utils_link_remove(const char *profile_file, enum utils_link kind);

/*
 * Bring a link to want (1: there, 0: gone) and say so on standard error
 * unless quiet ("removed /etc/apparmor.d/disable/web (aa-disable's mark:
 * ...)"); dry_run: only say what would be done, on standard output.
 * Returns 1 when it changed something (or would), 0 when not, -1 after
 * error().
 */
int utils_link_set(const char *profile_file, enum utils_link kind, int want, int quiet,
		   int dry_run);

#endif
