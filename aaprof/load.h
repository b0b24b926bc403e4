/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_LOAD_H
#define AAPROF_LOAD_H

/*
 * Install and load profiles. The apparmor_parser driver (parser.h) and
 * the kernel interface (kernel.h) come with this header.
 */
#include "kernel.h"
#include "parser.h"

struct load_opts {
	const char *profile_dir;   /* default /etc/apparmor.d */
	int dry_run;
	int quiet;
	/* the installed file's text that text was made from (NULL: none): if
	   the file no longer holds it, nothing is written */
	const char *base;
	/* apparmor-utils' links (utilsstate.h) next to the file, changed just
	   before the load and put back when it fails: the disable/ link is
	   removed by every load; force_complain 1 creates the force-complain/
	   link, -1 removes it, 0 leaves it (the kernel's mode is then checked
	   against it) */
	int force_complain;
	/* deploy_profile(): drop the harvested rules of the installed file
	   that the new text lacks instead of carrying them over (carry.h) */
	int replace;
	/* the profiles the file defines (apparmor_parser -N, children as
	   parent//child), each checked in the kernel after a load or unload;
	   NULL: the file's name is its one profile */
	const char *const *profiles;
};
/*
 * Install text as profile_dir/NAME (atomically, keeping a backup), load it
 * with apparmor_parser -r, check the kernel's mode of each of its profiles
 * (o->profiles) against the flags text gives it; under the profile's
 * lock (lock.h), which callers that read the file first take before.
 * When the parser rejects it, the previous file is restored and the
 * previous policy stays loaded. Returns an exit code.
 */
int install_and_load(const struct load_opts *o, const char *name, const char *text);
/*
 * profile_lock() for a load (lock.h); not as root, first the checks a load
 * makes (apparmor_parser, AppArmor, root), so that a user is told that root
 * is needed. Returns 0 or an exit code after a message.
 */
int lock_for_load(const char *path);
/*
 * apparmor_parser -R of the installed file NAME (each of o->profiles is
 * checked gone), and its disable/ link created (utilsstate.h) so that
 * apparmor_parser does not load it again at boot; purge: remove the file
 * too (a backup kept, backup.h), and any disable/ or force-complain/ link
 * to it
 */
int unload_profile(const struct load_opts *o, const char *name, int purge);

#endif
