/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_LOGSRC_H
#define AAPROF_LOGSRC_H

#include <stddef.h>

/*
 * Where log lines come from: files (plain or gzip, "-" for stdin), the
 * systemd journal (kernel and audit transports), the kernel ring buffer
 * (/dev/kmsg). Lines are handed out without their newline; they stay
 * valid until the next call. A line longer than LOGSRC_MAX_LINE is
 * skipped whole and counted, never buffered.
 */
#define LOGSRC_MAX_LINE (1u << 20)

typedef struct logsrc logsrc_t;

int logsrc_open_file(const char *path, logsrc_t **ret);
/* since: epoch seconds to start from (0: everything); file: a journal file or NULL */
int logsrc_open_journal(double since, const char *file, logsrc_t **ret);
int logsrc_open_dmesg(logsrc_t **ret);

/* 1: a line; 0: the end; -1: a read error (after error()) */
int logsrc_next(logsrc_t *s, const char **ret_line, size_t *ret_len);
const char *logsrc_name(const logsrc_t *s);
unsigned long long logsrc_long_lines(const logsrc_t *s);
unsigned long long logsrc_lost(const logsrc_t *s);  /* kmsg records overwritten */
void logsrc_close(logsrc_t *s);

/*
 * A file source that can seek: position it at the first line whose
 * audit(EPOCH...) stamp is at or after since (binary search over a
 * chronological audit.log); a no-op for sources that cannot seek.
 */
int logsrc_seek_time(logsrc_t *s, double since);

/* the time the system booted (epoch seconds), or 0 */
double logsrc_boot_time(void);

/*
 * The default sources, as a Debian/Ubuntu user expects: audit.log and its
 * rotations (oldest first), else the journal, else kern.log or syslog and
 * their rotations. root: "" on a real system (tests point it elsewhere).
 * Returns the file paths (NULL-terminated) or sets *ret_journal.
 */
int logsrc_default(const char *root, char ***ret_paths, int *ret_journal);
/* base and its rotations base.1, base.2.gz, ... oldest first */
char **logsrc_rotations(const char *base);

#endif
