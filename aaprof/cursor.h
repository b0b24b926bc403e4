/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_CURSOR_H
#define AAPROF_CURSOR_H

#include <stddef.h>

/*
 * harvest --since last: where the last harvest of a profile set stopped in
 * each source, so the next one reads only what is new. One file per
 * profile set, STATE/cursor/<the names, sorted, joined with ','> ("_all"
 * with none), one line per source:
 *   file DEV INO OFFSET HASH PATH      a file (and its rotations): the
 *                                      live file, the offset after its last
 *                                      whole line read, an FNV-1a hash of
 *                                      the (at most) 4 KiB before it
 *   journal CURSOR KEY                 the journal's cursor of the last
 *                                      entry read
 * The file is locked (lock.h) from cursor_open() to cursor_close(): two
 * runs of one set never read the same records. cursor_save() writes it
 * atomically; a run that fails does not call it, and the cursor stays.
 */
struct cursor;

/* the set of profiles (and namespace, or NULL); 0, or -1 after error() */
int cursor_open(const char *const *profiles, size_t n, const char *namespace,
		struct cursor **ret);
int cursor_save(struct cursor *c);
void cursor_close(struct cursor *c);
/* the cursor file: for messages */
const char *cursor_path(const struct cursor *c);

struct logsrc;

/*
 * The files of the source key (paths: it and its rotations, oldest first,
 * key last) to read: the index of the first, the rotation that was the live
 * file when the last harvest read it (those before it were read then), or
 * key's when it is gone (said on stderr). Without an entry (a first run):
 * 0, all of them, or for a file named with -f (named) only itself.
 */
size_t cursor_files(struct cursor *c, const char *key, const char *const *paths, size_t n,
		    int named, int quiet);
/* -f FILE: its rotations and itself as named, oldest first (*ret_n; free with paths_free()) */
char **cursor_named_paths(const char *path, size_t *ret_n);
/*
 * The file src (path, of source key; a plain regular file, else nothing
 * is done) is read from the entry's offset when it is the file the entry
 * names, unchanged up to there, else from its start (a rotation's new
 * file; or truncated, or rewritten: said on stderr); up to its last whole
 * line (a line still being written is left for the next run). The file
 * key itself becomes the entry. 0, or -1 after error().
 */
int cursor_setup_file(struct cursor *c, const char *key, const char *path, struct logsrc *src,
		      int quiet);
/* the journal src positioned after the entry read last (said on stderr); 0, or -1 */
int cursor_setup_journal(struct cursor *c, const char *key, struct logsrc *src, int quiet);

/* the journal's entry for key (NULL: none) */
const char *cursor_journal(const struct cursor *c, const char *key);
void cursor_journal_done(struct cursor *c, const char *key, const char *jcursor);

#endif
