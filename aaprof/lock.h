/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_LOCK_H
#define AAPROF_LOCK_H

/*
 * One writer at a time per profile file. An exclusive flock(2) on
 * STATE/lock/<the file's resolved path, '/' as %2F>.lock, taken before
 * the profile is read and held until it is written (and loaded): two
 * harvest --write runs, or a harvest and an enforce, of one profile
 * serialise instead of losing one side's rules. A symlinked profile and
 * its target share one lock. Calls nest within a process (counted); the
 * lock goes with the last profile_unlock() (given the path the first
 * profile_lock() was given; a path not locked is ignored), or with the
 * process.
 * Editors that take no lock are caught by write_file_checked().
 * Returns 0, or -1 after error().
 */
int profile_lock(const char *path);
void profile_unlock(const char *path);

#endif
