/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_LOGSRC_H
#define AAPROF_LOGSRC_H

#include <stddef.h>

#include "logchunk.h"
#include "loghost.h"

/*
 * Where log lines come from: files (plain or gzip, "-" for stdin), the
 * systemd journal (kernel and audit transports), the kernel ring buffer
 * (/dev/kmsg). Lines are handed out without their newline; they stay
 * valid until the next call. A line longer than LOGSRC_MAX_LINE is
 * skipped whole and counted, never buffered (logchunk.h).
 */

typedef struct logsrc logsrc_t;

int logsrc_open_file(const char *path, logsrc_t **ret);
/*
 * since: epoch seconds to start from (0: everything); files: journal files
 * (NULL-terminated, read together), or NULL for the system's journal
 */
int logsrc_open_journal(double since, const char *const *files, logsrc_t **ret);
int logsrc_open_dmesg(logsrc_t **ret);
/* a directory of journal files (systemd-journal-remote's), read together */
int logsrc_open_journal_dir(double since, const char *dir, logsrc_t **ret);
/* the host of the last line when the source says it apart from the line (the
   journal's _HOSTNAME), else NULL */
const char *logsrc_host(const logsrc_t *s, size_t *ret_len);
/* "file", "stdin", "journal" or "kmsg" */
const char *logsrc_kind(const logsrc_t *s);

/*
 * A compressed regular file: decode it in a thread of its own, up to
 * nblocks LOGPIPE_BLOCKs ahead of the lines read (logdec_ahead()): 1 when
 * it does, else 0 (another source, or no thread could start).
 */
int logsrc_decode_ahead(logsrc_t *s, size_t nblocks);

/* 1: a line; 0: the end; -1: a read error (after error()) */
int logsrc_next(logsrc_t *s, const char **ret_line, size_t *ret_len);
const char *logsrc_name(const logsrc_t *s);
unsigned long long logsrc_long_lines(const logsrc_t *s);
unsigned long long logsrc_lost(const logsrc_t *s);  /* kmsg records overwritten */
void logsrc_close(logsrc_t *s);

/*
 * A file source that can seek: position it at the first line whose
 * audit(EPOCH...) stamp is at or after since, and end it where every stamp
 * is after until (binary searches over a chronological audit.log; 0: open);
 * a no-op for sources that cannot seek.
 */
int logsrc_seek_time(logsrc_t *s, double since, double until);

/*
 * Regular files can also be read as chunks of whole lines, several at once
 * by several threads. logsrc_span(): 1 and the byte range left to read (from
 * where logsrc_seek_time() put it to the current end of the file), or 0 for
 * a source that cannot be chunked (gzip, stdin, journal, kmsg).
 * logchunk_read() reads the lines that start in [from, to): the lines
 * logsrc_next() would give, over all chunks, in order. It is reentrant (no
 * error() call: -errno on a read error) for use in worker threads.
 */
int logsrc_span(logsrc_t *s, long long *ret_from, long long *ret_to);
int logchunk_read(const logsrc_t *s, long long from, long long to, long long size,
		  struct logchunk *c);

/*
 * harvest --since last (cursor.h). logsrc_fd(): the descriptor of a plain
 * regular file (else -1), for its identity and hash; logsrc_set_range():
 * read it from byte from up to byte to only (a no-op for other sources).
 * The journal: logsrc_journal_seek_cursor() positions it after the entry
 * jcursor names (1; 0 when that entry is gone: from the nearest one after
 * it; -1 after error()); logsrc_journal_cursor() the cursor of the last
 * entry read (to free), NULL when none was or for another source.
 */
int logsrc_fd(const logsrc_t *s);
int logsrc_set_range(logsrc_t *s, long long from, long long to);
int logsrc_journal_seek_cursor(logsrc_t *s, const char *jcursor);
char *logsrc_journal_cursor(logsrc_t *s);

/* the time the system booted (epoch seconds), or 0 */
double logsrc_boot_time(void);

/* the journal of root ("": this system's); -errno, silently, when it cannot be opened */
int logsrc_open_journal_root(double since, const char *root, logsrc_t **ret);

#endif
