/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_LOGJOURNAL_H
#define AAPROF_LOGJOURNAL_H

#include <stddef.h>

struct strbuf;

/*
 * The systemd journal, read from since (epoch seconds, 0: from its start)
 * as lines record.c reads: what the kernel and its audit subsystem wrote
 * in their own form, what user space wrote about AppArmor framed as
 * "user-space/TRANSPORT: ...".
 */
struct logjournal;

/*
 * files: journal files (NULL-terminated, read together; their names are
 * appended to name), or NULL for the system's journal. 0, or -1 after
 * error().
 */
int logjournal_open(double since, const char *const *files, struct strbuf *name,
		    struct logjournal **ret);
/* the journal files of a directory (what systemd-journal-remote writes: many
   hosts' files), read together; 0, or -1 after error() */
int logjournal_open_dir(double since, const char *dir, struct logjournal **ret);
/* the _HOSTNAME of the entry of the last line (NULL: none) */
const char *logjournal_host(const struct logjournal *jr, size_t *ret_len);
/* the journal of root ("": this system's); -errno, silently, when it cannot be opened */
int logjournal_open_root(double since, const char *root, struct logjournal **ret);
/*
 * 1: a line (valid until the next call); 0: the end; -1: a read error
 * (after error()). A message longer than max_line is skipped and counted
 * in *long_lines.
 */
int logjournal_next(struct logjournal *jr, size_t max_line, unsigned long long *long_lines,
		    const char **ret_line, size_t *ret_len);
/* logsrc_journal_seek_cursor(), logsrc_journal_cursor() (logsrc.h) */
int logjournal_seek_cursor(struct logjournal *jr, const char *jcursor);
char *logjournal_cursor(struct logjournal *jr);
void logjournal_close(struct logjournal *jr);

#endif
