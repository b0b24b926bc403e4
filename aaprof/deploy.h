/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_DEPLOY_H
#define AAPROF_DEPLOY_H

#include "gate.h"
#include "load.h"

/*
 * What aaprof load, complain and enforce put into the kernel, each through
 * install_and_load() under the profile's lock: a FILE, NAME's installed
 * profile or a rendered template; the previous version (--rollback); the
 * installed profile in another mode, for enforce through the gate. Each
 * returns an exit code, after a message when not EXIT_OK.
 */

/* 0 when name is a valid profile name, else -1 after error() */
int deploy_check_name(const char *name);
/*
 * arg: a FILE (a path, or a regular file), installed under the name of the
 * profile it defines; else a NAME: its installed profile, or the template
 * (template_name, or the default one) rendered when it has none or
 * template_name is given. mode (NULL: as it is): set complain or enforce.
 * The harvested rules of the file it replaces are carried over (carry.h;
 * lo->replace: dropped).
 */
int deploy_profile(const struct load_opts *lo, const char *arg, const char *mode,
		   const char *template_name);
/*
 * Version gen (1: the newest; backup.h) of the file NAME means (backups
 * are per file) loaded as it was, every profile its text defines; list:
 * only list the versions kept
 */
int deploy_rollback(const struct load_opts *lo, const char *name, unsigned gen, int list);
/*
 * The installed profile name in mode; gate (NULL: none) decides first
 * whether it may go to enforce mode (its name and text are filled in).
 */
int deploy_mode(const struct load_opts *lo, const char *name, const char *mode,
		const struct gate_opts *gate);

#endif
