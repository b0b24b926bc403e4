/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_PATHS_H
#define AAPROF_PATHS_H

#ifndef AAPROF_DATADIR
#define AAPROF_DATADIR "/usr/share/aaprof"
#endif
#ifndef AAPROF_SYSCONFDIR
#define AAPROF_SYSCONFDIR "/etc/aaprof"
#endif

/*
 * The search path for a data directory ("templates", "rules"), most
 * specific first: override (a command-line option, may be NULL), the
 * source tree when aaprof runs from its build directory, then
 * AAPROF_SYSCONFDIR/sub (admin overrides), then AAPROF_DATADIR/sub.
 * Returns a NULL-terminated array to free with paths_free().
 */
char **data_search_path(const char *sub, const char *override);
void paths_free(char **dirs);

/* the top of the source tree aaprof runs from, or NULL when installed */
const char *source_tree(void);

/*
 * aaprof's state (backups, locks, caches): $AAPROF_STATE_DIR, else
 * /var/lib/aaprof. As root (release build) $AAPROF_STATE_DIR is used only
 * when it and every directory above it are owned by root and writable by
 * root alone; else a warning, and /var/lib/aaprof.
 */
const char *state_dir(void);
/*
 * Where the previous version of a profile file is kept when aaprof
 * replaces it: STATE/backup/<the path with '/' as '%2F'>. Outside
 * /etc/apparmor.d, so a backup is never loaded as a profile. The
 * directory is created (0700).
 */
char *profile_backup_path(const char *profile_file);
/* STATE/sub/<profile_file's resolved path escaped as above>suffix (sub created) */
char *state_path_for(const char *sub, const char *profile_file, const char *suffix);

#endif
