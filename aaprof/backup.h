/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_BACKUP_H
#define AAPROF_BACKUP_H

#include <stdio.h>

/*
 * The previous versions of a profile file, newest first: generation 1 is
 * profile_backup_path() (paths.h), generation N its name with "%~N"
 * appended (a '%' never comes out of the escaping otherwise but as %2F or
 * %25, so no profile's backup is mistaken for another's). They live in
 * aaprof's state directory, outside the profile directory: apparmor_parser
 * never loads one. Each is written atomically; callers hold the profile's
 * lock (lock.h).
 */
#define BACKUP_KEEP_DEFAULT 5
#define BACKUP_KEEP_MAX 99

/* how many generations are kept: $AAPROF_BACKUPS (1..99), else 5 */
unsigned backup_keep(void);
/* generation n (1: the newest) of profile_file's backups */
char *backup_path(const char *profile_file, unsigned n);
/*
 * Keep old (the text profile_file holds before it is replaced) as
 * generation 1, the others one older, those beyond backup_keep() removed
 * (the oldest by the next push: until then backup_pop() restores it).
 * Nothing changes when generation 1 already holds old. Returns 1 when a
 * generation was added, 0 when not, -1 after error() (nothing changed).
 */
int backup_push(const char *profile_file, const char *old);
/* undo a backup_push() that returned 1 (the write it prepared did not happen) */
void backup_pop(const char *profile_file);
/*
 * Print the generations to out, one a line: number, time, size, the mode
 * and the count of harvested rules of profile name, "= current" when it
 * holds the text current (may be NULL). Returns how many there are.
 */
unsigned backup_list(const char *profile_file, const char *name, const char *current, FILE *out);

#endif
