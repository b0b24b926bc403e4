/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * utilsstate.c - the disable/ and force-complain/ links of apparmor-utils
 * next to a profile file. See utilsstate.h.
 */
#include "utilsstate.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const link_dir[] = {
	[UTILS_DISABLE] = "disable",
	[UTILS_FORCE_COMPLAIN] = "force-complain",
};

/* why the link matters, said with each change */
static const char *const link_meaning[][2] = {
	[UTILS_DISABLE] = {
		"apparmor_parser no longer loads it at boot or on 'systemctl reload apparmor'",
		"apparmor_parser loads it again at boot",
	},
	[UTILS_FORCE_COMPLAIN] = {
		"apparmor_parser loads it in complain mode whatever its flags say",
		"its flags decide its mode again",
	},
};

static char *link_dir_path(const char *profile_file, enum utils_link kind)
{
	const char *slash = strrchr(profile_file, '/');

	if (!slash)
		return xasprintf("%s", link_dir[kind]);
	return xasprintf("%.*s/%s", (int)(slash - profile_file), profile_file, link_dir[kind]);
}

char *utils_link_path(const char *profile_file, enum utils_link kind)
{
	_cleanup_free_ char *dir = link_dir_path(profile_file, kind);
	const char *slash = strrchr(profile_file, '/');

	return xasprintf("%s/%s", dir, slash ? slash + 1 : profile_file);
}

int utils_link_exists(const char *profile_file, enum utils_link kind)
{
	_cleanup_free_ char *link = utils_link_path(profile_file, kind);
	struct stat st;

	return lstat(link, &st) == 0;
}

/* the profile file's absolute path, as aa-disable writes it into the link */
static char *link_target(const char *profile_file)
{
	const char *slash = strrchr(profile_file, '/');
	_cleanup_free_ char *dir = slash ? xstrndup(profile_file, slash - profile_file) : xstrdup(".");
	char real[PATH_MAX];

	if (!realpath(*dir ? dir : "/", real))
		return xstrdup(profile_file);
	return xasprintf("%s/%s", streq(real, "/") ? "" : real, slash ? slash + 1 : profile_file);
}

int utils_link_add(const char *profile_file, enum utils_link kind)
{
	_cleanup_free_ char *dir = link_dir_path(profile_file, kind);
	_cleanup_free_ char *link = utils_link_path(profile_file, kind);
	_cleanup_free_ char *target = link_target(profile_file);

	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return error_errno("cannot create '%s'", dir);
	/* symlink(2) creates the name or fails: never a half-made link */
	if (symlink(target, link) == 0)
		return 1;
	if (errno == EEXIST)
		return 0;
	return error_errno("cannot create the link '%s'", link);
}

int utils_link_remove(const char *profile_file, enum utils_link kind)
{
	_cleanup_free_ char *link = utils_link_path(profile_file, kind);
	struct stat st;

	if (lstat(link, &st) < 0)
		return 0;
	if (S_ISDIR(st.st_mode))
		return error("cannot remove '%s': it is a directory", link);
	if (unlink(link) < 0 && errno != ENOENT)
		return error_errno("cannot remove '%s'", link);
	return 1;
}

int utils_link_set(const char *profile_file, enum utils_link kind, int want, int quiet,
		   int dry_run)
{
	_cleanup_free_ char *link = utils_link_path(profile_file, kind);
	int there = utils_link_exists(profile_file, kind), r;

	if (there == !!want)
		return 0;
	if (dry_run) {
		printf("would %s %s (%s)\n", want ? "create" : "remove", link,
		       link_meaning[kind][!want]);
		return 1;
	}
	r = want ? utils_link_add(profile_file, kind) : utils_link_remove(profile_file, kind);
	if (r > 0 && !quiet)
		note("%s %s: %s", want ? "created" : "removed", link, link_meaning[kind][!want]);
	return r;
}
