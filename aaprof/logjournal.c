/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * logjournal.c - the systemd journal as log lines, through libsystemd:
 * its kernel and audit transports as the lines record.c reads, any other
 * transport framed as user space.
 */
#include "logjournal.h"
#include "strbuf.h"
#include "util.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <systemd/sd-journal.h>

struct logjournal {
	sd_journal *j;
	struct strbuf line;   /* the line handed out */
	int pending;          /* the current entry is still to be read (seek_cursor) */
	int read_any;         /* an entry was read: it is the current one */
	struct strbuf host;   /* its entry's _HOSTNAME ("": none) */
	size_t threshold;     /* sd_journal_set_data_threshold()'s, 0: not yet set */
};

/* match the kernel and audit transports, seek to since: 0 or -errno */
static int journal_setup(sd_journal *j, double since)
{
	int r;

	/* only what the kernel and its audit subsystem wrote is evidence:
	   libsystemd walks these two fields' entry arrays, the entries of
	   every other transport are never read */
	if ((r = sd_journal_add_match(j, "_TRANSPORT=kernel", 0)) < 0 ||
	    (r = sd_journal_add_disjunction(j)) < 0 ||
	    (r = sd_journal_add_match(j, "_TRANSPORT=audit", 0)) < 0)
		return r;
	r = since > 0 ? sd_journal_seek_realtime_usec(j, (uint64_t)(since * 1e6)) :
			sd_journal_seek_head(j);
	return r < 0 ? r : 0;
}

static struct logjournal *new_journal(sd_journal *j)
{
	struct logjournal *jr = xcalloc(1, sizeof(*jr));

	jr->j = j;
	strbuf_init(&jr->line, 4096);
	strbuf_init(&jr->host, 64);
	return jr;
}

int logjournal_open(double since, const char *const *files, struct strbuf *name,
		    struct logjournal **ret)
{
	sd_journal *j = NULL;
	size_t i;
	int r;

	for (i = 0; files && files[i]; i++) {
		/* sd_journal_open_files() skips a file it cannot open, silently */
		if (access(files[i], R_OK) < 0)
			return error_errno("cannot open the journal file '%s'", files[i]);
		strbuf_addf(name, "%s%s", i ? ", " : "", files[i]);
	}
	if (files && files[0])   /* all of them, their entries interleaved by time */
		r = sd_journal_open_files(&j, (const char **)files, 0);
	else
		r = sd_journal_open(&j, SD_JOURNAL_LOCAL_ONLY | SD_JOURNAL_SYSTEM);
	if (r < 0) {
		errno = -r;
		return error_errno("cannot open the journal%s%s", name->len ? " " : "", name->buf);
	}
	if ((r = journal_setup(j, since)) < 0) {
		sd_journal_close(j);
		errno = -r;
		return error_errno("cannot read the journal");
	}
	*ret = new_journal(j);
	return 0;
}

int logjournal_open_dir(double since, const char *dir, struct logjournal **ret)
{
	sd_journal *j = NULL;
	struct stat st;
	int r;

	/* sd_journal_open_directory() opens a missing directory as an empty journal */
	if (stat(dir, &st) < 0)
		return error_errno("cannot open the journal directory '%s'", dir);
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return error_errno("cannot open the journal directory '%s'", dir);
	}
	r = sd_journal_open_directory(&j, dir, 0);
	if (r >= 0 && (r = journal_setup(j, since)) < 0)
		sd_journal_close(j);
	if (r < 0) {
		errno = -r;
		return error_errno("cannot read the journal directory '%s'", dir);
	}
	*ret = new_journal(j);
	return 0;
}

const char *logjournal_host(const struct logjournal *jr, size_t *ret_len)
{
	*ret_len = jr->host.len;
	return jr->host.len ? jr->host.buf : NULL;
}

int logjournal_open_root(double since, const char *root, struct logjournal **ret)
{
	sd_journal *j = NULL;
	int r;

	if (*root)
		r = sd_journal_open_directory(&j, root, SD_JOURNAL_OS_ROOT);
	else
		r = sd_journal_open(&j, SD_JOURNAL_LOCAL_ONLY | SD_JOURNAL_SYSTEM);
	if (r < 0)
		return r;
	if ((r = journal_setup(j, since)) < 0) {
		sd_journal_close(j);
		return r;
	}
	*ret = new_journal(j);
	return 0;
}

static int get_field(sd_journal *j, const char *field, const char **ret, size_t *ret_len)
{
	const void *data;
	size_t len, flen = strlen(field);

	if (sd_journal_get_data(j, field, &data, &len) < 0 || len <= flen + 1)
		return -1;
	*ret = (const char *)data + flen + 1;
	*ret_len = len - flen - 1;
	return 0;
}

/* the entry's _HOSTNAME into jr->host ("": none or not a host name) */
static void read_host(struct logjournal *jr)
{
	const char *host;
	size_t len;

	strbuf_reset(&jr->host);
	/* journald's own field (a client cannot set it); journal-remote
	   keeps the sending host's */
	if (get_field(jr->j, "_HOSTNAME", &host, &len) == 0 && len <= 255 &&
	    !memchr(host, ' ', len) && !memchr(host, '\n', len))
		strbuf_add(&jr->host, host, len);
}

/*
 * An audit-transport entry in the audit.log form, "type=N msg=audit(T:ID):
 * MESSAGE", into jr->line: 1, 0 when it has no kernel type or id (then it
 * is user space's), -1 for a message longer than max_line. Each field is
 * used before the next is asked for (sd_journal_get_data()'s data is valid
 * until the next call).
 */
static int audit_line(struct logjournal *jr, size_t max_line)
{
	const char *v, *msg;
	size_t len, mlen, k = 0;
	uint64_t usec = 0;

	strbuf_reset(&jr->line);
	if (get_field(jr->j, "_SOURCE_REALTIME_TIMESTAMP", &v, &len) == 0)
		usec = strtoull(v, NULL, 10);
	else
		sd_journal_get_realtime_usec(jr->j, &usec);
	if (get_field(jr->j, "_AUDIT_TYPE", &v, &len) < 0)
		return 0;
	strbuf_addf(&jr->line, "type=%.*s msg=audit(%llu.%03llu:", (int)len, v,
		    (unsigned long long)(usec / 1000000), (unsigned long long)(usec / 1000 % 1000));
	if (get_field(jr->j, "_AUDIT_ID", &v, &len) < 0)
		return 0;
	strbuf_addf(&jr->line, "%.*s): ", (int)len, v);
	if (get_field(jr->j, "MESSAGE", &msg, &mlen) < 0)
		return 0;
	if (mlen > max_line)
		return -1;
	while (k < mlen && ((msg[k] >= 'A' && msg[k] <= 'Z') ||
			    (msg[k] >= '0' && msg[k] <= '9') || msg[k] == '_'))
		k++;
	if (k && k < mlen && msg[k] == ' ') {   /* "AVC ", "USER_AVC ": journald's */
		msg += k + 1;
		mlen -= k + 1;
	}
	strbuf_addf(&jr->line, "%.*s", (int)mlen, msg);
	return 1;
}

/*
 * A journal entry as a line record.c reads, framed by what journald itself
 * recorded of its origin (fields a client cannot set), never by what its
 * MESSAGE says. Only the kernel and audit transports are read
 * (journal_setup()'s matches):
 * - _TRANSPORT=audit: journald's copy of what the kernel's audit subsystem
 *   multicast, its type the kernel's (_AUDIT_TYPE); rebuilt as audit.log's
 *   "type=N msg=audit(T:ID): ..." (journald put the type's name in front
 *   of the message: it goes);
 * - _TRANSPORT=kernel: /dev/kmsg; the kernel's own messages have facility
 *   0 (SYSLOG_FACILITY=0, or none from older journald) and are handed out
 *   as they are stored, not copied; what user space wrote into /dev/kmsg
 *   has another (the kernel forces LOG_USER on it): that is framed as
 *   "user-space/kmsg: ...", to be counted as not from the kernel, as is
 *   an audit entry without the kernel's type and id.
 * The MESSAGE field is asked for last: its data is what is handed out.
 */
int logjournal_next(struct logjournal *jr, size_t max_line, unsigned long long *long_lines,
		    const char **ret_line, size_t *ret_len)
{
	if (!jr->threshold) {
		/* libsystemd decompresses a field only up to the threshold (64 KiB
		   by default): a longer message must show as longer than max_line,
		   never come out cut short */
		jr->threshold = max_line + sizeof("MESSAGE=");
		sd_journal_set_data_threshold(jr->j, jr->threshold);
	}
	for (;;) {
		const char *msg, *transport, *fac;
		size_t mlen, tlen, flen;
		int kernel, r = jr->pending ? 1 : sd_journal_next(jr->j);

		jr->pending = 0;
		if (r < 0) {
			errno = -r;
			return error_errno("cannot read the journal");
		}
		if (r == 0)
			return 0;
		jr->read_any = 1;
		if (get_field(jr->j, "_TRANSPORT", &transport, &tlen) < 0)
			continue;
		if (tlen == 5 && !memcmp(transport, "audit", 5)) {
			read_host(jr);
			r = audit_line(jr, max_line);
			if (r < 0) {
				(*long_lines)++;
				continue;
			}
			if (r > 0) {
				*ret_line = jr->line.buf;
				*ret_len = strlen(jr->line.buf);
				return 1;
			}
			if (get_field(jr->j, "MESSAGE", &msg, &mlen) < 0)
				continue;
			transport = "audit", tlen = 5;
			kernel = 0;
		} else if (tlen == 6 && !memcmp(transport, "kernel", 6)) {
			kernel = get_field(jr->j, "SYSLOG_FACILITY", &fac, &flen) < 0 ||
				 (flen == 1 && fac[0] == '0');
			read_host(jr);
			if (get_field(jr->j, "MESSAGE", &msg, &mlen) < 0)
				continue;
			transport = "kmsg", tlen = 4;
		} else {
			continue;   /* not matched: never read */
		}
		if (mlen > max_line) {
			(*long_lines)++;
			continue;
		}
		if (kernel) {
			const char *nul = memchr(msg, '\0', mlen);

			*ret_line = msg;
			*ret_len = nul ? (size_t)(nul - msg) : mlen;
			return 1;
		}
		strbuf_reset(&jr->line);
		strbuf_addf(&jr->line, "user-space/%.*s: %.*s", (int)tlen, transport, (int)mlen, msg);
		*ret_line = jr->line.buf;
		*ret_len = strlen(jr->line.buf);
		return 1;
	}
}

int logjournal_seek_cursor(struct logjournal *jr, const char *jcursor)
{
	int r = sd_journal_seek_cursor(jr->j, jcursor);

	if (r >= 0)
		r = sd_journal_next(jr->j);
	if (r < 0) {
		errno = -r;
		return error_errno("cannot seek to the journal cursor");
	}
	if (r == 0)
		return 0;   /* an empty journal */
	jr->read_any = 1;
	if (sd_journal_test_cursor(jr->j, jcursor) > 0)
		return 1;   /* read last time */
	jr->pending = 1;
	return 0;
}

char *logjournal_cursor(struct logjournal *jr)
{
	char *c = NULL, *ret;

	if (!jr->read_any || sd_journal_get_cursor(jr->j, &c) < 0)
		return NULL;
	ret = xstrdup(c);
	free(c);
	return ret;
}

void logjournal_close(struct logjournal *jr)
{
	if (!jr)
		return;
	sd_journal_close(jr->j);
	strbuf_release(&jr->line);
	strbuf_release(&jr->host);
	free(jr);
}
