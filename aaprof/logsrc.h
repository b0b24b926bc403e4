/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_LOGSRC_H
#define AAPROF_LOGSRC_H

#include <stddef.h>

struct strbuf;

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
/*
 * since: epoch seconds to start from (0: everything); files: journal files
 * (NULL-terminated, read together), or NULL for the system's journal
 */
int logsrc_open_journal(double since, const char *const *files, logsrc_t **ret);
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

struct logchunk {
	char *buf;                    /* the bytes read, NUL-terminated */
	size_t alloc, len;
	size_t pos, limit;            /* the next line; lines start before limit */
	int eof;                      /* buf ends at the end of the file */
	unsigned long long long_lines;
};
int logchunk_read(const logsrc_t *s, long long from, long long to, long long size,
		  struct logchunk *c);
/* 1: a line (valid while c is); 0: the chunk's end */
int logchunk_next(struct logchunk *c, const char **ret_line, size_t *ret_len);
void logchunk_release(struct logchunk *c);

/* the time the system booted (epoch seconds), or 0 */
double logsrc_boot_time(void);

/*
 * The default sources, in the order aaprof tries them (the first that holds
 * AppArmor records is read; the next when it holds none): audit.log and its
 * rotations (auditd, when it runs, owns the kernel's records), the journal's
 * kernel and audit messages, kern.log (else syslog) and its rotations.
 * root: "" on a real system (tests point it at a fake root; its journal is
 * then read from ROOT/var/log/journal and ROOT/run/log/journal).
 */
enum logsrc_default_kind { LSD_AUDIT, LSD_JOURNAL, LSD_SYSLOG };

struct logsrc_default {
	enum logsrc_default_kind kind;
	char *name;      /* the log file (its rotations are in paths), or "the journal" */
	char **paths;    /* the files to read, oldest first; NULL for the journal */
	int err;         /* errno when it exists but cannot be read (then not read) */
};

/* what the host shows about where its AppArmor records go */
struct logsrc_host {
	char *root;
	struct logsrc_default src[3];
	size_t nsrc;             /* the sources that exist, in the order to try */
	int auditd;              /* auditd runs (ROOT/run/auditd.pid names a live process) */
	int apparmor;            /* ROOT/sys/module/apparmor/parameters/enabled: 1 Y, 0 not,
				    -1 unreadable */
	int printk_ratelimit;    /* ROOT/proc/sys/kernel/printk_ratelimit, -1 unknown */
};
void logsrc_host_probe(const char *root, struct logsrc_host *ret);
void logsrc_host_release(struct logsrc_host *h);
/*
 * When no source held an AppArmor record: the likely causes, a line each
 * ("  - ..."), most likely first.
 */
void logsrc_host_hints(const struct logsrc_host *h, struct strbuf *out);
/* the journal of root ("": this system's); -errno, silently, when it cannot be opened */
int logsrc_open_journal_root(double since, const char *root, logsrc_t **ret);

/* base and its rotations base.1, base.2.gz, ... oldest first */
char **logsrc_rotations(const char *base);

#endif
