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
};

/* match the kernel and audit transports, seek to since: 0 or -errno */
static int journal_setup(sd_journal *j, double since)
{
	int r;

	/* every transport: the kernel's and the audit subsystem's are read as
	   records, the others only to count what pretends to be (logjournal_next) */
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

/*
 * A journal entry as a line record.c reads, framed by what journald itself
 * recorded of its origin (fields a client cannot set), never by what its
 * MESSAGE says:
 * - _TRANSPORT=audit: journald's copy of what the kernel's audit subsystem
 *   multicast, its type the kernel's (_AUDIT_TYPE); rebuilt as audit.log's
 *   "type=N msg=audit(T:ID): ..." (journald put the type's name in front
 *   of the message: it goes);
 * - _TRANSPORT=kernel: /dev/kmsg; the kernel's own messages have facility
 *   0 (SYSLOG_FACILITY=0, or none from older journald), what user space
 *   wrote into /dev/kmsg has another (the kernel forces LOG_USER on it):
 *   that is framed as "user-space/kmsg: ...";
 * - any other transport (syslog, journal, stdout): user space; only a
 *   message that mentions apparmor= is handed out, as
 *   "user-space/TRANSPORT: ...", to be counted as not from the kernel.
 */
int logjournal_next(struct logjournal *jr, size_t max_line, unsigned long long *long_lines,
		    const char **ret_line, size_t *ret_len)
{
	for (;;) {
		const char *msg, *transport, *type, *id, *fac;
		size_t mlen, tlen, ylen, ilen, flen;
		uint64_t usec = 0;
		int r = jr->pending ? 1 : sd_journal_next(jr->j);

		jr->pending = 0;
		if (r < 0) {
			errno = -r;
			return error_errno("cannot read the journal");
		}
		if (r == 0)
			return 0;
		jr->read_any = 1;
		if (get_field(jr->j, "MESSAGE", &msg, &mlen) < 0)
			continue;
		if (get_field(jr->j, "_TRANSPORT", &transport, &tlen) < 0)
			transport = "unknown", tlen = 7;
		if (!(tlen == 5 && !memcmp(transport, "audit", 5)) &&
		    !(tlen == 6 && !memcmp(transport, "kernel", 6)) &&
		    !memmem(msg, mlen, "apparmor=", 9))
			continue;
		if (mlen > max_line) {
			(*long_lines)++;
			continue;
		}
		strbuf_reset(&jr->line);
		strbuf_reset(&jr->host);
		/* journald's own field (a client cannot set it); journal-remote
		   keeps the sending host's */
		if (get_field(jr->j, "_HOSTNAME", &type, &ylen) == 0 && ylen <= 255 &&
		    !memchr(type, ' ', ylen) && !memchr(type, '\n', ylen))
			strbuf_add(&jr->host, type, ylen);
		sd_journal_get_realtime_usec(jr->j, &usec);
		if (tlen == 5 && !memcmp(transport, "audit", 5) &&
		    get_field(jr->j, "_AUDIT_TYPE", &type, &ylen) == 0 &&
		    get_field(jr->j, "_AUDIT_ID", &id, &ilen) == 0) {
			/* rebuild the audit.log form: type=N msg=audit(T:ID): MESSAGE */
			const char *src;
			size_t slen, k = 0;

			if (get_field(jr->j, "_SOURCE_REALTIME_TIMESTAMP", &src, &slen) == 0)
				usec = strtoull(src, NULL, 10);
			while (k < mlen && ((msg[k] >= 'A' && msg[k] <= 'Z') ||
					    (msg[k] >= '0' && msg[k] <= '9') || msg[k] == '_'))
				k++;
			if (k && k < mlen && msg[k] == ' ') {   /* "AVC ", "USER_AVC " */
				msg += k + 1;
				mlen -= k + 1;
			}
			strbuf_addf(&jr->line, "type=%.*s msg=audit(%llu.%03llu:%.*s): %.*s", (int)ylen, type,
				 (unsigned long long)(usec / 1000000),
				 (unsigned long long)(usec / 1000 % 1000), (int)ilen, id, (int)mlen, msg);
		} else if (tlen == 6 && !memcmp(transport, "kernel", 6) &&
			   (get_field(jr->j, "SYSLOG_FACILITY", &fac, &flen) < 0 ||
			    (flen == 1 && fac[0] == '0'))) {
			strbuf_addf(&jr->line, "%.*s", (int)mlen, msg);
		} else {
			strbuf_addf(&jr->line, "user-space/%.*s: %.*s", (int)(tlen > 16 ? 16 : tlen), transport,
				 (int)mlen, msg);
		}
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
