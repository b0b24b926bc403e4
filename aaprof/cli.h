/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_CLI_H
#define AAPROF_CLI_H

#include <getopt.h>
#include <stddef.h>

/*
 * What the option parsing of every cmd-*.c shares.
 *
 * cli_getopt(): getopt_long without its prefix matching. getopt_long takes
 * "--allow-d" for "--allow-dangerous" and "--w" for "--write": a typo or a
 * shortened option silently becomes a different, sometimes dangerous one.
 * Here a long option must be written in full; an unknown or abbreviated
 * option, a missing value and a value given to an option that takes none
 * are reported with error() (naming the nearest option) and return '?'.
 * Otherwise as getopt_long (optind = 0 before the first call).
 */
int cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts);

/*
 * The choice nearest to s (edit distance, case ignored; a choice s is a
 * prefix of counts as near), or NULL when none is near enough to suggest.
 */
const char *cli_nearest(const char *s, const char *const *choices, size_t n);

/* a directory option (--profile-dir DIR): 0, or -1 after error() naming it */
int cli_check_dir(const char *option, const char *path);

/*
 * --profile-dir DIR: cli_check_dir(), then apparmor_parser looks there first
 * for includes (parser_set_profile_dir()). 0, or -1 after error()
 */
int cli_profile_dir(const char *path);

#endif
