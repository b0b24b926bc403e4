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

/* what logjournal_next() needs of an entry, from one pass over its fields */
struct entry {
	int transport;               /* T_* */
	int facility;                /* SYSLOG_FACILITY: -1 none, -2 not a digit, else it */
	int has_type, has_id, has_src;
	char type[32], id[32];       /* _AUDIT_TYPE, _AUDIT_ID (journald's: short) */
	uint64_t src_usec;           /* _SOURCE_REALTIME_TIMESTAMP */
	const char *msg;             /* MESSAGE, NULL: none */
	size_t mlen;
	int msg_stale;               /* another field was read after it */
};
enum { T_NONE, T_KERNEL, T_AUDIT, T_OTHER };

/* is the field of data (len bytes) name? then its value */
static int is_field(const char *data, size_t len, const char *name, size_t nlen,
		    const char **ret, size_t *ret_len)
{
	if (len <= nlen || data[nlen] != '=' || memcmp(data, name, nlen))
		return 0;
	*ret = data + nlen + 1;
	*ret_len = len - nlen - 1;
	return 1;
}
#define FIELD(d, l, name, v, vl) is_field(d, l, name, sizeof(name) - 1, v, vl)

/* a short value into buf (NUL-terminated): 0, or -1 when it does not fit */
static int copy_short(char *buf, size_t size, const char *v, size_t len)
{
	if (len >= size || memchr(v, '\0', len))
		return -1;
	memcpy(buf, v, len);
	buf[len] = '\0';
	return 0;
}

/*
 * One pass over the entry's fields (sd_journal_enumerate_data(): each
 * field's object looked up once, where sd_journal_get_data() walks the
 * entry's fields again for each name), the first of each name taken, as
 * sd_journal_get_data() would. The small fields are copied; MESSAGE is
 * not: its data stays valid until the next call, so it is kept only when
 * it comes last, as journald stores it (its data object is the newest);
 * otherwise msg_stale says it is to be asked for again.
 */
static void read_entry(struct logjournal *jr, struct entry *e)
{
	const void *data;
	size_t len;

	memset(e, 0, sizeof(*e));
	e->facility = -1;
	strbuf_reset(&jr->host);
	sd_journal_restart_data(jr->j);
	while (sd_journal_enumerate_data(jr->j, &data, &len) > 0) {
		const char *d = data, *v;
		size_t vl;

		if (e->msg)
			e->msg_stale = 1;
		if (!len)
			continue;
		if (d[0] == 'M' && !e->msg && FIELD(d, len, "MESSAGE", &v, &vl)) {
			e->msg = v;
			e->mlen = vl;
			e->msg_stale = 0;
		} else if (d[0] != '_' && d[0] != 'S') {
			continue;
		} else if (!e->transport && FIELD(d, len, "_TRANSPORT", &v, &vl)) {
			e->transport = vl == 6 && !memcmp(v, "kernel", 6) ? T_KERNEL :
				       vl == 5 && !memcmp(v, "audit", 5) ? T_AUDIT : T_OTHER;
		} else if (e->facility == -1 && FIELD(d, len, "SYSLOG_FACILITY", &v, &vl)) {
			e->facility = vl == 1 && v[0] >= '0' && v[0] <= '9' ? v[0] - '0' : -2;
		} else if (!jr->host.len && FIELD(d, len, "_HOSTNAME", &v, &vl)) {
			/* journald's own field (a client cannot set it);
			   journal-remote keeps the sending host's */
			if (vl && vl <= 255 && !memchr(v, ' ', vl) && !memchr(v, '\n', vl) &&
			    !memchr(v, '\0', vl))
				strbuf_add(&jr->host, v, vl);
		} else if (!e->has_type && FIELD(d, len, "_AUDIT_TYPE", &v, &vl)) {
			e->has_type = copy_short(e->type, sizeof(e->type), v, vl) == 0 ? 1 : -1;
		} else if (!e->has_id && FIELD(d, len, "_AUDIT_ID", &v, &vl)) {
			e->has_id = copy_short(e->id, sizeof(e->id), v, vl) == 0 ? 1 : -1;
		} else if (!e->has_src && FIELD(d, len, "_SOURCE_REALTIME_TIMESTAMP", &v, &vl)) {
			size_t k;

			e->has_src = 1;
			for (k = 0; k < vl && k < 20 && v[k] >= '0' && v[k] <= '9'; k++)
				e->src_usec = e->src_usec * 10 + (v[k] - '0');
		}
	}
}

/* MESSAGE again, when another field came after it: 0, or -1 for none */
static int get_message(struct logjournal *jr, struct entry *e)
{
	const void *data;
	size_t len;

	if (e->msg && !e->msg_stale)
		return 0;
	if (!e->msg || sd_journal_get_data(jr->j, "MESSAGE", &data, &len) < 0 || len < 8)
		return -1;
	e->msg = (const char *)data + 8;
	e->mlen = len - 8;
	return 0;
}

/*
 * An audit-transport entry in the audit.log form, "type=N msg=audit(T:ID):
 * MESSAGE", into jr->line: 1, or 0 when it has no kernel type or id (then
 * it is user space's).
 */
static int audit_line(struct logjournal *jr, const struct entry *e)
{
	const char *msg = e->msg;
	size_t mlen = e->mlen, k = 0;
	uint64_t usec = e->src_usec;

	if (e->has_type != 1 || e->has_id != 1)
		return 0;
	if (!e->has_src)
		sd_journal_get_realtime_usec(jr->j, &usec);
	while (k < mlen && ((msg[k] >= 'A' && msg[k] <= 'Z') ||
			    (msg[k] >= '0' && msg[k] <= '9') || msg[k] == '_'))
		k++;
	if (k && k < mlen && msg[k] == ' ') {   /* "AVC ", "USER_AVC ": journald's */
		msg += k + 1;
		mlen -= k + 1;
	}
	strbuf_reset(&jr->line);
	strbuf_addf(&jr->line, "type=%s msg=audit(%llu.%03llu:%s): %.*s", e->type,
		    (unsigned long long)(usec / 1000000), (unsigned long long)(usec / 1000 % 1000),
		    e->id, (int)mlen, msg);
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
		struct entry e;
		const char *nul;
		int r = jr->pending ? 1 : sd_journal_next(jr->j);

		jr->pending = 0;
		if (r < 0) {
			errno = -r;
			return error_errno("cannot read the journal");
		}
		if (r == 0)
			return 0;
		jr->read_any = 1;
		read_entry(jr, &e);
		if (e.transport != T_KERNEL && e.transport != T_AUDIT)
			continue;   /* not matched: never read */
		if (!e.msg)
			continue;
		if (e.mlen > max_line) {
			(*long_lines)++;
			continue;
		}
		if (get_message(jr, &e) < 0)
			continue;
		if (e.transport == T_AUDIT && audit_line(jr, &e)) {
			*ret_line = jr->line.buf;
			*ret_len = strlen(jr->line.buf);
			return 1;
		}
		if (e.transport == T_KERNEL && e.facility <= 0) {   /* 0 or none */
			if (e.facility == -2)
				goto user;
			nul = memchr(e.msg, '\0', e.mlen);
			*ret_line = e.msg;
			*ret_len = nul ? (size_t)(nul - e.msg) : e.mlen;
			return 1;
		}
user:
		strbuf_reset(&jr->line);
		strbuf_addf(&jr->line, "user-space/%s: %.*s", e.transport == T_AUDIT ? "audit" : "kmsg",
			    (int)e.mlen, e.msg);
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
