/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_TARGET_H
#define AAPROF_TARGET_H

#include "strbuf.h"

/*
 * What a NAME on the command line means: a profile file and the profiles
 * it defines. NAME is a profile name (web, snap.lxd.daemon), a path-style
 * profile name (/usr/sbin/chronyd), a file name in the profile directory
 * (usr.bin.man) or a file path (/etc/apparmor.d/usr.bin.man). Profile
 * names and file names are different things: usr.bin.man defines
 * /usr/bin/man, man_filter and man_groff.
 *
 * The profiles of a file are what apparmor_parser -N lists (includes
 * honoured; children and hats as parent//child). The file of a profile is
 * found by searching the profile directory the same way: first the file
 * named as apparmor-utils names it (usr.bin.man for /usr/bin/man; NAME for
 * a plain name), then the rest, which apparmor_parser -r DIR would load,
 * with each file's profiles cached in STATE/names (keyed by the file's
 * inode, size and times; a file found through the cache is read again;
 * saved after a search of the whole directory).
 */
enum {
	TARGET_FILE_OK = 1,      /* a FILE outside the directory (aaprof load) */
	TARGET_MISSING_OK = 2,   /* a profile no file defines: file NULL */
};

struct target {
	char *file;       /* the profile file, NULL: none (TARGET_MISSING_OK) */
	char *base;       /* its name in the directory (usr.bin.man); NULL: outside it */
	char **profiles;  /* what the file defines, in apparmor_parser's order; with no
			     file the name alone; NULL-terminated */
	char *main;       /* the profile named, or its parent; the file's first
			     top-level profile (as aaprof reads it) when the file was named */
	int named_file;   /* NAME named the file, not a profile */
};

/* 0, or an exit code after a message (EXIT_USAGE, EXIT_ERROR, EXIT_REJECTED) */
int target_resolve(const char *dir, const char *arg, unsigned flags, struct target *ret);
void target_release(struct target *t);
/* the profiles of the file path (anywhere), which must define named (NULL: any) */
int target_of_file(const char *path, const char *named, struct target *t);

/* the profiles of dir/base (apparmor_parser -N, through the cache); NULL after error() */
char **target_file_profiles(const char *dir, const char *base);
/* save the cache target_file_profiles() filled (quietly: it is a hint) */
void target_cache_flush(void);
/* the file of profile name in dir (its base name), or NULL; 0, or an exit code */
int target_find_file(const char *dir, const char *name, char **ret_base);

/* "'/usr/bin/man', 'man_filter' and 'man_groff' (usr.bin.man)" */
void target_describe(const struct target *t, struct strbuf *out);
/* the file name apparmor-utils gives profile: usr.bin.man for /usr/bin/man;
   NULL when it makes no usable file name */
char *target_file_name(const char *profile);
/* a NAME on the command line: 0, or -1 after error() (empty, control characters) */
int target_check_arg(const char *arg);
/* would apparmor_parser -r DIR skip a file of this name (README, *.dpkg-new, .x ...) */
int target_skipped_name(const char *base);
void target_names_free(char **v);

#endif
