/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_RECORD_H
#define AAPROF_RECORD_H

#include <stddef.h>
#include <time.h>

/*
 * One log line -> one AppArmor record. The parser understands every line
 * shape real hosts produce: auditd's audit.log (type=AVC / type=1400 /
 * APPARMOR_*, ENRICHED with its \x1d trailer, node= prefixes), syslog and
 * kern.log (BSD and RFC 3339 stamps), dmesg ([secs.usecs] audit: ...),
 * journald's kernel lines, and dbus USER_AVC (msg='...') lines. Hex-encoded
 * values are decoded. No allocation per line once the record has grown.
 */

enum rec_event {
	EV_INVALID = 0,   /* not an AppArmor record (or an unsupported legacy one) */
	EV_ERROR,
	EV_AUDIT,
	EV_ALLOWED,
	EV_DENIED,
	EV_HINT,
	EV_STATUS,
};

/*
 * Who wrote the record, decided from the line's framing alone: the parts
 * a sender cannot choose (auditd's type=, the syslog tag, the kernel
 * header of a USER_AVC), never from the AppArmor fields, which user space
 * can write into a log as easily as the kernel. Only RO_KERNEL and RO_BUS
 * records are evidence.
 */
enum rec_origin {
	RO_KERNEL = 0,     /* the kernel: an AppArmor audit type, a kernel: line, dmesg text */
	RO_BUS,            /* a D-Bus mediation USER_AVC whose kernel-filled header
			      names the bus daemon as its sender */
	RO_USER,           /* written, or framed, by user space: never evidence */
};

/* string fields, in the order libapparmor's test_multi prints them */
enum rec_field {
	RF_OPERATION,
	RF_REQUESTED,      /* requested_mask= or requested= */
	RF_DENIED,         /* denied_mask=, denied= or (dbus) mask= */
	RF_PROFILE,        /* profile= or label= */
	RF_PEER,           /* peer= */
	RF_PEER_PROFILE,   /* peer_profile= or peer_label= */
	RF_NAME,
	RF_COMM,           /* comm=, else exe= */
	RF_NAME2,          /* name2= or target= */
	RF_ATTRIBUTE,
	RF_NAMESPACE,
	RF_INFO,
	RF_PEER_INFO,
	RF_SIGNAL,
	RF_FSTYPE,
	RF_EXECPATH,
	RF_ADDR,           /* addr= (unix) */
	RF_PEER_ADDR,
	RF_BUS,
	RF_FLAGS,
	RF_FAMILY,
	RF_DBUS_PATH,
	RF_SRCNAME,
	RF_SOCK_TYPE,
	RF_INTERFACE,
	RF_PROTOCOL,
	RF_MEMBER,         /* member= or method= */
	RF_LADDR,
	RF_FADDR,
	RF_SADDR,          /* saddr=/daddr=: newer kernels' source/destination */
	RF_DADDR,
	RF_CLASS,
	RF_CAPNAME,
	RF_EXE,
	RF_NODE,           /* node= of remote-aggregated logs */
	RF_AUDIT_ID,       /* "EPOCH.MS:SERIAL" as logged */
	RF_TYPE_NAME,      /* the type= value as logged (AVC, 1400, APPARMOR_DENIED) */
	RF_BODY,           /* legacy/non-AppArmor records only: the text after "): " */
	RF_COUNT
};

/* numeric fields */
enum rec_num {
	RN_FSUID,
	RN_OUID,
	RN_TASK,
	RN_PARENT,
	RN_TOKEN,
	RN_ERROR,          /* absolute value of error= */
	RN_PID,
	RN_PEER_PID,
	RN_LPORT,
	RN_FPORT,
	RN_CAPABILITY,
	RN_SRC,            /* src=/dest= ports of newer kernels */
	RN_DEST,
	RN_COUNT
};

struct record {
	enum rec_event event;
	int type;                /* audit message type number, 0 if none */
	/* audit(EPOCH.MS:SERIAL); has_stamp 0 when the line had none */
	int has_stamp;
	long long epoch;
	unsigned ms;
	unsigned long long serial;
	double boot_secs;        /* dmesg [secs.usecs], or -1 */
	long long syslog_time;   /* epoch from a syslog prefix, or -1 (year inferred) */
	int malformed;           /* looked like AppArmor but could not be trusted */
	const char *why;         /* for malformed: what was wrong */
	enum rec_origin origin;
	const char *origin_why;  /* for RO_USER: why the kernel did not write it */

	unsigned has_num;        /* bit n: num[n] is set */
	long long num[RN_COUNT];
	int off[RF_COUNT];       /* offset into buf, or -1 */
	char *buf;
	size_t len, alloc;
};

void record_init(struct record *r);
void record_release(struct record *r);

/*
 * Parse one line (len bytes, need not be NUL-terminated; a trailing newline
 * is ignored). Always fills r; returns r->event. A line that mentions
 * apparmor= but cannot be parsed has event EV_INVALID and malformed set.
 * now: the reference time for inferring syslog years (0: time(NULL)).
 */
enum rec_event record_parse(struct record *r, const char *line, size_t len, time_t now);

static inline const char *record_get(const struct record *r, enum rec_field f)
{
	return r->off[f] < 0 ? NULL : r->buf + r->off[f];
}

static inline int record_has(const struct record *r, enum rec_num n)
{
	return (r->has_num >> n) & 1;
}

/* did the kernel write it (or the D-Bus daemon, as the kernel says)? */
static inline int record_trusted(const struct record *r)
{
	return r->origin != RO_USER;
}

/*
 * Shapes that the parser and scan.c's cache of repeated lines must see
 * alike (the cache leaves them out of a line's signature, so nothing the
 * parser decides may depend on what they hold):
 * record_date_len(): the bytes of a leading syslog date, "Mmm dd HH:MM:SS"
 * or an RFC 3339 "YYYY-MM-DDTHH:MM:SS..." token, else 0;
 * record_boot_secs_len(): the bytes of a dmesg "[ secs.usecs]" at p (the
 * start of a token), else 0.
 */
static inline size_t record_date_len(const char *p, size_t len)
{
	size_t n = 0;

	if (len > 16 && p[3] == ' ' && p[6] == ' ' && p[9] == ':' && p[12] == ':')
		return 15;
	if (len > 20 && p[0] >= '0' && p[0] <= '9' && p[4] == '-' && p[10] == 'T') {
		while (n < len && p[n] != ' ')
			n++;
		return n;
	}
	return 0;
}

static inline size_t record_boot_secs_len(const char *p, const char *end)
{
	const char *q = p + 1;
	int digits = 0;

	if (q >= end || *p != '[')
		return 0;
	while (q < end && *q == ' ')
		q++;
	for (; q < end && *q >= '0' && *q <= '9'; q++)
		digits++;
	if (!digits || q >= end || *q != '.')
		return 0;
	for (q++; q < end && *q >= '0' && *q <= '9'; q++)
		;
	return q < end && *q == ']' ? (size_t)(q + 1 - p) : 0;
}

/*
 * The audit stamp "EPOCH.MS:SERIAL)" at s, just after "audit(", the line
 * ending at end: EPOCH and SERIAL non-negative decimal numbers (a sign
 * allowed), MS 0 to 999. Fills *ret and returns the position after ')',
 * or returns NULL when it is not a stamp. The one reading of a stamp: the
 * parser's, and --since's search of a log file (logsrc.c).
 */
struct audit_stamp {
	long long epoch;
	unsigned ms;
	unsigned long long serial;
};
const char *audit_stamp_parse(const char *s, const char *end, struct audit_stamp *ret);

/* the record's time in seconds since the epoch, best source first; -1 if unknown */
double record_time(const struct record *r, double boot_time);

const char *record_event_name(enum rec_event ev);
/* "tcp" for 6 etc., else NULL */
const char *record_protocol_name(long long proto);

#endif
