/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * record.c - one log line -> one struct record.
 *
 * A line is read as a sequence of space-separated tokens. Tokens before
 * the audit stamp are prefix (syslog date, host, "kernel:", "[secs.usecs]",
 * "audit:", node=); "type=T" names the message type; "msg=audit(S):" or
 * "audit(S):" is the stamp; after it come key=value pairs, where a value
 * is "quoted" (the kernel never escapes inside quotes: it hex-encodes
 * values that would need it) or unquoted (hex-decoded for the fields the
 * kernel logs as untrusted strings). A USER_AVC's AppArmor fields live in
 * msg='...', which replaces the sender's own fields. \x1d starts the
 * ENRICHED trailer, whose upper-case keys are ignored.
 */
#include "record.h"
#include "util.h"

#include <ctype.h>
#include <limits.h>
#include <libaudit.h>
#include <string.h>

/* ---------------------------------------------------------------- keys */

/*
 * K_HEX: the kernel logs the value with audit_log_untrustedstring(): quoted
 * when harmless, else hex-encoded; an unquoted value that is not valid hex
 * is therefore garbage and makes the record untrustworthy.
 * K_MAYBE_HEX: hex-decoded when it is valid hex, else taken as it is.
 */
enum { K_STR = 1, K_NUM = 2, K_HEX = 4, K_NONE_IS_ABSENT = 8, K_MAYBE_HEX = 16,
       K_LABEL = 32 /* a profile label: control characters mean garbage */ };

static const struct key {
	const char *name;
	int kind;
	int idx;
} keys[] = {
	{ "operation", K_STR, RF_OPERATION },
	{ "requested_mask", K_STR, RF_REQUESTED },
	{ "requested", K_STR, RF_REQUESTED },
	{ "denied_mask", K_STR, RF_DENIED },
	{ "denied", K_STR, RF_DENIED },
	{ "mask", K_STR, RF_DENIED },
	{ "profile", K_STR | K_HEX | K_LABEL, RF_PROFILE },
	{ "label", K_STR | K_HEX | K_LABEL, RF_PROFILE },
	{ "peer", K_STR | K_HEX | K_LABEL, RF_PEER },
	{ "peer_profile", K_STR | K_HEX | K_LABEL, RF_PEER_PROFILE },
	{ "peer_label", K_STR | K_HEX | K_LABEL, RF_PEER_PROFILE },
	{ "name", K_STR | K_HEX, RF_NAME },
	{ "comm", K_STR | K_HEX, RF_COMM },
	{ "name2", K_STR | K_HEX, RF_NAME2 },
	{ "target", K_STR | K_HEX | K_LABEL, RF_NAME2 },
	{ "attribute", K_STR, RF_ATTRIBUTE },
	{ "namespace", K_STR | K_HEX | K_LABEL, RF_NAMESPACE },
	{ "info", K_STR, RF_INFO },
	{ "peer_info", K_STR, RF_PEER_INFO },
	{ "signal", K_STR, RF_SIGNAL },
	{ "fstype", K_STR | K_HEX, RF_FSTYPE },
	{ "execpath", K_STR | K_HEX, RF_EXECPATH },
	{ "addr", K_STR | K_MAYBE_HEX | K_NONE_IS_ABSENT, RF_ADDR },
	{ "peer_addr", K_STR | K_MAYBE_HEX | K_NONE_IS_ABSENT, RF_PEER_ADDR },
	{ "bus", K_STR, RF_BUS },
	{ "flags", K_STR, RF_FLAGS },
	{ "family", K_STR, RF_FAMILY },
	{ "path", K_STR, RF_DBUS_PATH },
	{ "srcname", K_STR | K_HEX, RF_SRCNAME },
	{ "sock_type", K_STR, RF_SOCK_TYPE },
	{ "interface", K_STR, RF_INTERFACE },
	{ "protocol", K_STR, RF_PROTOCOL },
	{ "member", K_STR, RF_MEMBER },
	{ "method", K_STR, RF_MEMBER },
	{ "laddr", K_STR, RF_LADDR },
	{ "saddr", K_STR, RF_SADDR },
	{ "faddr", K_STR, RF_FADDR },
	{ "daddr", K_STR, RF_DADDR },
	{ "tcontext", K_STR | K_HEX | K_LABEL, RF_PEER_PROFILE },
	{ "class", K_STR, RF_CLASS },
	{ "capname", K_STR, RF_CAPNAME },
	{ "exe", K_STR | K_MAYBE_HEX, RF_EXE },
	{ "node", K_STR, RF_NODE },
	{ "fsuid", K_NUM, RN_FSUID },
	{ "ouid", K_NUM, RN_OUID },
	{ "task", K_NUM, RN_TASK },
	{ "parent", K_NUM, RN_PARENT },
	{ "magic_token", K_NUM, RN_TOKEN },
	{ "error", K_NUM, RN_ERROR },
	{ "pid", K_NUM, RN_PID },
	{ "peer_pid", K_NUM, RN_PEER_PID },
	{ "lport", K_NUM, RN_LPORT },
	{ "src", K_NUM, RN_SRC },
	{ "fport", K_NUM, RN_FPORT },
	{ "dest", K_NUM, RN_DEST },
	{ "capability", K_NUM, RN_CAPABILITY },
};

/*
 * Keys are looked up for every token of every record: index them once by
 * (length, first character), so a lookup compares one or two candidates.
 */
#define KEY_MAXLEN 16
static signed char key_index[KEY_MAXLEN + 1][26][4];

static void build_key_index(void)
{
	size_t i, j;

	memset(key_index, -1, sizeof(key_index));
	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		size_t n = strlen(keys[i].name);
		signed char *slot = key_index[n][keys[i].name[0] - 'a'];

		for (j = 0; j < 4 && slot[j] >= 0; j++)
			;
		if (n > KEY_MAXLEN || j == 4)
			abort();   /* the table outgrew the index: a programming error */
		slot[j] = (signed char)i;
	}
}

static const struct key *find_key(const char *k, size_t n)
{
	static int built;
	const signed char *slot;
	size_t j;

	if (!built) {
		build_key_index();
		built = 1;
	}
	if (n > KEY_MAXLEN || k[0] < 'a' || k[0] > 'z')
		return NULL;
	slot = key_index[n][k[0] - 'a'];
	for (j = 0; j < 4 && slot[j] >= 0; j++)
		if (!memcmp(keys[slot[j]].name, k, n))
			return &keys[slot[j]];
	return NULL;
}

/* ------------------------------------------------------------- helpers */

void record_init(struct record *r)
{
	memset(r, 0, sizeof(*r));
}

void record_release(struct record *r)
{
	free(r->buf);
	record_init(r);
}

static void reset(struct record *r)
{
	size_t i;

	r->event = EV_INVALID;
	r->type = 0;
	r->has_stamp = 0;
	r->epoch = 0;
	r->ms = 0;
	r->serial = 0;
	r->boot_secs = -1;
	r->syslog_time = -1;
	r->malformed = 0;
	r->why = NULL;
	r->origin = RO_USER;
	r->origin_why = NULL;
	r->has_num = 0;
	for (i = 0; i < RF_COUNT; i++)
		r->off[i] = -1;
	r->len = 0;
}

/* store a value; returns its offset */
static int store(struct record *r, const char *v, size_t n)
{
	int off;

	if (r->len + n + 1 > r->alloc)
		ALLOC_GROW(r->buf, r->len + n + 1, r->alloc);
	off = (int)r->len;
	memcpy(r->buf + r->len, v, n);
	r->buf[r->len + n] = '\0';
	r->len += n + 1;
	return off;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int is_hex_encoded(const char *v, size_t n)
{
	size_t i;

	if (n < 2 || n % 2)
		return 0;
	for (i = 0; i < n; i++)
		if (hexval((unsigned char)v[i]) < 0)
			return 0;
	return 1;
}

/* store hex-decoded v; a NUL byte makes the record untrustworthy */
static int store_hex(struct record *r, const char *v, size_t n)
{
	int off;
	size_t i;

	if (r->len + n / 2 + 1 > r->alloc)
		ALLOC_GROW(r->buf, r->len + n / 2 + 1, r->alloc);
	off = (int)r->len;
	for (i = 0; i < n; i += 2) {
		char c = (char)(hexval((unsigned char)v[i]) << 4 | hexval((unsigned char)v[i + 1]));

		if (!c) {
			r->malformed = 1;
			r->why = "a hex-encoded value contains a NUL byte";
		}
		r->buf[r->len++] = c;
	}
	r->buf[r->len++] = '\0';
	return off;
}

static int parse_ll(const char *v, size_t n, long long *ret)
{
	long long x = 0;
	int neg = 0;
	size_t i = 0;

	if (n && (v[0] == '-' || v[0] == '+'))
		neg = v[i++] == '-';
	if (i == n)
		return -1;
	for (; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		if (x > (LLONG_MAX - 9) / 10)
			return -1;
		x = x * 10 + (v[i] - '0');
	}
	*ret = neg ? -x : x;
	return 0;
}

static void set_field(struct record *r, const char *k, size_t kn, const char *v, size_t vn,
		      int quoted)
{
	const struct key *key = find_key(k, kn);
	long long x;

	if (!key)
		return;
	if (key->kind & K_NUM) {
		if (parse_ll(v, vn, &x) < 0)
			return;
		if (key->idx == RN_ERROR && x < 0)
			x = -x;
		r->num[key->idx] = x;
		r->has_num |= 1u << key->idx;
		return;
	}
	if ((key->kind & K_NONE_IS_ABSENT) && !quoted &&
	    ((vn == 4 && !memcmp(v, "none", 4)) || (vn == 1 && *v == '?'))) {
		r->off[key->idx] = -1;
		return;
	}
	if ((key->kind & (K_HEX | K_MAYBE_HEX)) && !quoted && is_hex_encoded(v, vn)) {
		const char *d;

		r->off[key->idx] = store_hex(r, v, vn);
		for (d = r->buf + r->off[key->idx]; (key->kind & K_LABEL) && *d; d++) {
			if ((unsigned char)*d < 0x20 || *d == 0x7f) {
				r->malformed = 1;
				r->why = "a profile label contains control characters";
				break;
			}
		}
	} else if ((key->kind & K_HEX) && !quoted && vn) {
		r->malformed = 1;
		r->why = "an unquoted value is not valid hex";
	} else {
		r->off[key->idx] = store(r, v, vn);
	}
}

/* audit type from its logged form: 1400, AVC, APPARMOR_DENIED, UNKNOWN[1503] */
static int type_number(const char *v, size_t n)
{
	static const struct { const char *name; int type; } aa_types[] = {
		{ "APPARMOR", 1500 }, { "APPARMOR_AUDIT", 1501 },
		{ "APPARMOR_ALLOWED", 1502 }, { "APPARMOR_DENIED", 1503 },
		{ "APPARMOR_HINT", 1504 }, { "APPARMOR_STATUS", 1505 },
		{ "APPARMOR_ERROR", 1506 }, { "APPARMOR_KILL", 1507 },
	};
	char name[64];
	long long x;
	size_t i;
	int t;

	if (parse_ll(v, n, &x) == 0)
		return x > 0 && x < 100000 ? (int)x : 0;
	if (n > 9 && !memcmp(v, "UNKNOWN[", 8) && v[n - 1] == ']' &&
	    parse_ll(v + 8, n - 9, &x) == 0)
		return x > 0 && x < 100000 ? (int)x : 0;
	if (n >= sizeof(name))
		return 0;
	memcpy(name, v, n);
	name[n] = '\0';
	for (i = 0; i < ARRAY_SIZE(aa_types); i++)
		if (streq(name, aa_types[i].name))
			return aa_types[i].type;
	t = audit_name_to_msg_type(name);
	return t > 0 ? t : 0;
}

const char *audit_stamp_parse(const char *s, const char *end, struct audit_stamp *ret)
{
	const char *p = s, *dot, *colon;
	long long epoch, ms, serial;

	while (p < end && *p != ')')
		p++;
	if (p >= end)
		return NULL;
	dot = memchr(s, '.', p - s);
	colon = memchr(s, ':', p - s);
	if (!dot || !colon || colon < dot ||
	    parse_ll(s, dot - s, &epoch) < 0 || epoch < 0 ||
	    parse_ll(dot + 1, colon - dot - 1, &ms) < 0 || ms < 0 || ms > 999 ||
	    parse_ll(colon + 1, p - colon - 1, &serial) < 0 || serial < 0)
		return NULL;
	ret->epoch = epoch;
	ret->ms = (unsigned)ms;
	ret->serial = (unsigned long long)serial;
	return p + 1;
}

/*
 * The stamp at s (just after "audit("), into r: returns the position of
 * the body (after "):"), or NULL with the record malformed
 */
static const char *take_stamp(struct record *r, const char *s, const char *end)
{
	struct audit_stamp st;
	const char *p = audit_stamp_parse(s, end, &st);

	if (!p) {
		r->malformed = 1;
		r->why = "bad audit(EPOCH.MS:SERIAL) stamp";
		return NULL;
	}
	r->epoch = st.epoch;
	r->ms = st.ms;
	r->serial = st.serial;
	r->has_stamp = 1;
	r->off[RF_AUDIT_ID] = store(r, s, p - 1 - s);
	return p < end && *p == ':' ? p + 1 : p;
}

/* "[ 1234.567890]" at s (s points at '['); returns the position after ']' */
static const char *parse_boot_secs(struct record *r, const char *s, const char *end)
{
	size_t n = record_boot_secs_len(s, end);   /* the shape scan.c's cache skips */
	const char *p = s + 1;
	double secs = 0, scale = 0.1;

	if (!n)
		return NULL;
	while (*p == ' ')
		p++;
	for (; isdigit((unsigned char)*p); p++)
		secs = secs * 10 + (*p - '0');
	for (p++; isdigit((unsigned char)*p); p++, scale /= 10)
		secs += (*p - '0') * scale;
	r->boot_secs = secs;
	return s + n;
}

/* ------------------------------------------------------- syslog stamps */

static const char months[][4] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

static int two(const char *s)
{
	return isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) ?
	       (s[0] - '0') * 10 + (s[1] - '0') : -1;
}

/*
 * "Mmm dd HH:MM:SS " (BSD syslog: the year is inferred as the latest one
 * that does not put the line more than a day in the future of now) or
 * "YYYY-MM-DDTHH:MM:SS[.frac](Z|+hh:mm) " (RFC 3339, rsyslog's default on
 * newer systems). Returns the epoch or -1.
 */
static long long parse_syslog_time(const char *s, size_t n, time_t now)
{
	struct tm tm = { 0 };
	long long t;
	int i;

	if (n >= 20 && isdigit((unsigned char)s[0]) && s[4] == '-' && s[7] == '-' &&
	    (s[10] == 'T' || s[10] == ' ') && s[13] == ':' && s[16] == ':') {
		const char *p = s + 19;
		int off = 0;

		tm.tm_year = two(s) * 100 + two(s + 2) - 1900;
		tm.tm_mon = two(s + 5) - 1;
		tm.tm_mday = two(s + 8);
		tm.tm_hour = two(s + 11);
		tm.tm_min = two(s + 14);
		tm.tm_sec = two(s + 17);
		if (tm.tm_year < 0 || tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 ||
		    tm.tm_hour < 0 || tm.tm_min < 0 || tm.tm_sec < 0)
			return -1;
		if (p < s + n && *p == '.')
			for (p++; p < s + n && isdigit((unsigned char)*p); p++)
				;
		if (p < s + n && (*p == '+' || *p == '-') && p + 6 <= s + n && p[3] == ':') {
			off = (two(p + 1) * 60 + two(p + 4)) * 60;
			if (*p == '-')
				off = -off;
		} else if (p < s + n && *p != 'Z' && *p != ' ') {
			return -1;
		}
		t = timegm(&tm);
		return t < 0 ? -1 : t - off;
	}
	if (n < 16 || s[3] != ' ' || s[6] != ' ' || s[9] != ':' || s[12] != ':')
		return -1;
	for (i = 0; i < 12; i++)
		if (!memcmp(s, months[i], 3))
			break;
	if (i == 12)
		return -1;
	tm.tm_mon = i;
	tm.tm_mday = s[4] == ' ' ? two((char[]){ '0', s[5] }) : two(s + 4);
	tm.tm_hour = two(s + 7);
	tm.tm_min = two(s + 10);
	tm.tm_sec = two(s + 13);
	if (tm.tm_mday < 1 || tm.tm_hour < 0 || tm.tm_min < 0 || tm.tm_sec < 0)
		return -1;
	{
		/* mktime() reads the time zone file on every call: remember hours
		   (DST changes on hour boundaries, so this is exact) */
		static time_t cached_now = -1;
		static int cached_year;
		static struct { int key; long long base; } hours[256];
		int sec = tm.tm_min * 60 + tm.tm_sec;
		int key = (tm.tm_mon * 32 + tm.tm_mday) * 24 + tm.tm_hour + 1;
		int slot = key & 255;

		if (!now)
			now = time(NULL);
		if (now != cached_now) {
			struct tm nowtm;

			localtime_r(&now, &nowtm);
			cached_now = now;
			cached_year = nowtm.tm_year;
			memset(hours, 0, sizeof(hours));
		}
		if (hours[slot].key != key) {
			struct tm h = tm;

			h.tm_min = h.tm_sec = 0;
			h.tm_year = cached_year;
			h.tm_isdst = -1;
			t = mktime(&h);
			if (t + sec > (long long)now + 86400) {
				h = tm;
				h.tm_min = h.tm_sec = 0;
				h.tm_year = cached_year - 1;
				h.tm_isdst = -1;
				t = mktime(&h);
			}
			hours[slot].key = key;
			hours[slot].base = t;
		}
		t = hours[slot].base + sec;
	}
	return t;
}

/* ---------------------------------------------------------------- origin */

/*
 * Who wrote a record is decided from what its sender cannot choose.
 *
 * The line's framing, up to the audit stamp: auditd writes
 * "[node=N ]type=T msg=audit(" with the type the kernel gave the message;
 * the kernel's own text is "[secs] audit: type=T audit(" (or "audit(S):
 * type=T" on old kernels), alone in dmesg and the journal's kernel
 * transport, or after a syslog date, a host and the tag "kernel:" in
 * kern.log and syslog. Any other tag ("myprog:", "dbus-daemon[612]:",
 * "audit[612]:", "kern.notice:") is one any local user can write with
 * logger(1), and so is any other prefix.
 *
 * The audit type: the kernel's AppArmor records are AVC (1400) and
 * APPARMOR_* (1500-1599), types user space cannot send (it may send only
 * 1100-1199 and 2100-2999). A USER_AVC (1107) is a message a process with
 * CAP_AUDIT_WRITE sent (every default Docker container has it): everything
 * inside its msg='...' is the sender's. Only the D-Bus daemon's USER_AVCs of
 * D-Bus mediation are used, and only when the header the kernel writes in
 * front of msg='...' says the bus sent it: "pid=N uid=N auid=N ses=N
 * subj=LABEL", where subj= is the sender's own AppArmor label (a Docker
 * container's processes show docker-default, a nested LXD container's its
 * namespace's profile). The bus is trusted when its label is unconfined or
 * a bus daemon's profile, it runs as a user other than root (the system bus
 * drops to messagebus/dbus) and outside any login session (auid unset: it
 * was started by init). A kernel that logs no label (subj= missing or
 * "?") cannot tell the bus from a container: such records are not used.
 */

static const char *const bus_labels[] = {
	"unconfined", "dbus-daemon", "dbus-broker", "dbus-system", "dbus-session",
	"/usr/bin/dbus-daemon", "/bin/dbus-daemon", "/usr/bin/dbus-broker",
	"/usr/bin/dbus-broker-launch",
};

enum frame { FR_USER, FR_AUDITD, FR_KERNEL };

/* the token at *p (skipping blanks before it), its length; 0 at end */
static size_t token(const char **p, const char *end)
{
	const char *q;

	while (*p < end && **p == ' ')
		(*p)++;
	for (q = *p; q < end && *q != ' '; q++)
		;
	return q - *p;
}

static int tok_is(const char *t, size_t n, const char *s)
{
	return n == strlen(s) && !memcmp(t, s, n);
}

static int tok_starts(const char *t, size_t n, const char *s)
{
	return n >= strlen(s) && !memcmp(t, s, strlen(s));
}

static int all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return n > 0;
}

/* dmesg -T's "[Sat Nov 22 08:00:01 2025]" at p: its length, else 0 */
static size_t dmesg_date_len(const char *p, const char *end)
{
	const char *q = memchr(p, ']', end - p > 32 ? 32 : end - p);

	if (*p != '[' || !q || q - p < 24 || p[4] != ' ' || p[8] != ' ' || q[-5] != ' ' ||
	    !all_digits(q - 4, 4) || q[-8] != ':' || q[-11] != ':')
		return 0;
	return q + 1 - p;
}

static enum frame line_frame(const char *p, const char *end, const char **ret_why)
{
	size_t n, d;
	int node = 0;

	n = token(&p, end);
	if (tok_starts(p, n, "node=")) {
		p += n;
		n = token(&p, end);
		node = 1;
	}
	if (tok_starts(p, n, "type=")) {
		const char *q = p + n;
		size_t m = token(&q, end);

		if (tok_starts(q, m, "msg=audit("))
			return FR_AUDITD;
	}
	if (node) {
		*ret_why = "not framed as auditd frames records";
		return FR_USER;
	}
	/* a syslog header: date, host, tag */
	d = record_date_len(p, end - p);
	if (!d && n == 10 && p[4] == '-' && p[7] == '-' && all_digits(p, 4)) {
		const char *q = p + n;   /* "YYYY-MM-DD HH:MM:SS..." */
		size_t m = token(&q, end);

		if (m >= 8 && q[2] == ':' && q[5] == ':')
			d = q + m - p;
	}
	if (d) {
		p += d;
		while (p < end && *p != ' ')   /* the rest of the time: .frac, +hh:mm */
			p++;
		n = token(&p, end);   /* the host */
		p += n;
		n = token(&p, end);
		if (!tok_is(p, n, "kernel:")) {
			*ret_why = n ? "a syslog line whose tag is not kernel: (user space can log it)" :
				       "not framed as the kernel frames records";
			return FR_USER;
		}
		p += n;
	} else if ((d = dmesg_date_len(p, end))) {
		p += d;
	} else if (tok_is(p, n, "kernel:")) {
		/* kern.log's tag without its date and host, as bug reports quote
		   lines: the same trust as the whole line (a file aaprof reads
		   always has the syslog daemon's date and host in front) */
		p += n;
	}
	/* the kernel's text: [secs] audit: type=T audit(S) */
	token(&p, end);
	/* dmesg -r and /dev/kmsg: "<N>" with facility 0 is the kernel's (the
	   kernel gives lines user space writes to /dev/kmsg facility 1 or more) */
	if (end - p >= 3 && p[0] == '<' && p[1] >= '0' && p[1] <= '7' && p[2] == '>')
		p += 3;
	if ((d = record_boot_secs_len(p, end))) {
		const char *q;

		p += d;
		/* printk's caller id after the stamp: "[    T44]", "[  C1]" */
		token(&p, end);
		if (p < end && *p == '[' && (q = memchr(p, ']', end - p > 16 ? 16 : end - p))) {
			const char *c = p + 1;

			while (c < q && *c == ' ')
				c++;
			if (c < q && (*c == 'T' || *c == 'C') && all_digits(c + 1, q - c - 1))
				p = q + 1;
		}
	}
	n = token(&p, end);
	if (tok_starts(p, n, "user-space/")) {   /* logsrc.c's mark */
		*ret_why = "user space wrote it (its journal transport or kmsg facility says so)";
		return FR_USER;
	}
	if (tok_is(p, n, "audit:")) {
		p += n;
		n = token(&p, end);
	}
	if (tok_starts(p, n, "type=")) {
		p += n;
		n = token(&p, end);
	}
	if (tok_starts(p, n, "audit("))
		return FR_KERNEL;
	*ret_why = "not framed as the kernel frames records";
	return FR_USER;
}

/*
 * The header the kernel writes in front of a USER_AVC's msg='...' (p to
 * msg): 0 when it names the D-Bus daemon as the sender, else -1 and why.
 */
static int bus_header(const char *p, const char *msg, const char **ret_why)
{
	static const char *const hdr[] = { "pid=", "uid=", "auid=", "ses=" };
	const char *subj = NULL, *uid = NULL, *auid = NULL;
	size_t n, subjn = 0, uidn = 0, auidn = 0, i;

	for (i = 0; i < ARRAY_SIZE(hdr); i++) {
		size_t kl = strlen(hdr[i]);

		n = token(&p, msg);
		if (!tok_starts(p, n, hdr[i]) || !all_digits(p + kl, n - kl)) {
			*ret_why = "a USER_AVC whose header is not the kernel's";
			return -1;
		}
		if (i == 1)
			uid = p + kl, uidn = n - kl;
		if (i == 2)
			auid = p + kl, auidn = n - kl;
		p += n;
	}
	n = token(&p, msg);
	if (tok_starts(p, n, "subj=")) {
		subj = p + 5;
		subjn = n - 5;
		p += n;
		n = token(&p, msg);
	}
	if (n) {
		*ret_why = "a USER_AVC whose header is not the kernel's";
		return -1;
	}
	if (!subj || tok_is(subj, subjn, "?")) {
		*ret_why = "a USER_AVC whose sender's AppArmor label the kernel did not log "
			   "(subj=): a container could have sent it";
		return -1;
	}
	for (i = 0; i < ARRAY_SIZE(bus_labels) && !tok_is(subj, subjn, bus_labels[i]); i++)
		;
	if (i == ARRAY_SIZE(bus_labels)) {
		*ret_why = "a USER_AVC whose sender (subj=) is not the D-Bus daemon";
		return -1;
	}
	if (tok_is(uid, uidn, "0")) {
		*ret_why = "a USER_AVC whose sender runs as root, not as the bus user";
		return -1;
	}
	if (!tok_is(auid, auidn, "4294967295")) {
		*ret_why = "a USER_AVC whose sender belongs to a login session (auid=)";
		return -1;
	}
	return 0;
}

/* the record's origin, once it is parsed (bus: bus_header()'s verdict) */
static void set_origin(struct record *r, const char *line, const char *end, int bus,
		       const char *bus_why)
{
	const char *why = NULL, *op = record_get(r, RF_OPERATION), *cls = record_get(r, RF_CLASS);
	int t = r->type;

	r->origin = RO_USER;
	if (line_frame(line, end, &why) == FR_USER) {
		r->origin_why = why;
	} else if (t == 1400 || (t >= 1500 && t <= 1599)) {
		r->origin = RO_KERNEL;
	} else if (t == 1107) {
		if (!op || strncmp(op, "dbus_", 5) || !record_get(r, RF_BUS) ||
		    (cls && strcmp(cls, "dbus")))
			r->origin_why = "a USER_AVC of another class than D-Bus (user space "
					"can send any)";
		else if (bus < 0)
			r->origin_why = bus_why;
		else
			r->origin = RO_BUS;
	} else if (!t) {
		r->origin_why = "no audit type";
	} else if ((t >= 1100 && t <= 1199) || (t >= 2100 && t <= 2999)) {
		r->origin_why = "an audit type user space sends";
	} else {
		r->origin_why = "not an AppArmor audit type";
	}
}

/* ----------------------------------------------------------------- parse */

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == 0x1d;
}

static int is_key_char(int c)
{
	return isalnum(c) || c == '_';
}

static enum rec_event event_from_apparmor(const char *v)
{
	if (streq(v, "ALLOWED"))
		return EV_ALLOWED;
	if (streq(v, "DENIED"))
		return EV_DENIED;
	if (streq(v, "AUDIT"))
		return EV_AUDIT;
	if (streq(v, "HINT"))
		return EV_HINT;
	if (streq(v, "STATUS"))
		return EV_STATUS;
	if (streq(v, "ERROR"))
		return EV_ERROR;
	if (streq(v, "KILL"))
		return EV_DENIED;
	return EV_INVALID;
}

static void clear_fields(struct record *r)
{
	int node = r->off[RF_NODE], id = r->off[RF_AUDIT_ID], tn = r->off[RF_TYPE_NAME];
	size_t i;

	for (i = 0; i < RF_COUNT; i++)
		r->off[i] = -1;
	r->off[RF_NODE] = node;
	r->off[RF_AUDIT_ID] = id;
	r->off[RF_TYPE_NAME] = tn;
	r->has_num = 0;
}

/* the value at p (after "key="): quoted or up to a space; returns where it ends */
static const char *read_value(struct record *r, const char *p, const char *end, int in_msg,
			      const char **ret_v, size_t *ret_vn, int *ret_quoted)
{
	const char *v;

	*ret_quoted = p < end && *p == '"';
	if (*ret_quoted) {
		v = ++p;
		while (p < end && *p != '"')
			p++;
		*ret_vn = p - v;
		if (p < end) {
			p++;
		} else {
			r->malformed = 1;
			r->why = "unterminated quoted value";
		}
	} else {
		v = p;
		while (p < end && !is_space((unsigned char)*p) && !(in_msg && *p == '\''))
			p++;
		*ret_vn = p - v;
	}
	*ret_v = v;
	return p;
}

/*
 * The event, once every field is read (aa: the apparmor= value, if any;
 * body: where the text after the stamp starts), and what of the record
 * stays: of a malformed one, only what identifies the line.
 */
static enum rec_event settle(struct record *r, const char *aa, int saw_type, const char *body,
			     const char *end)
{
	if (r->malformed && !r->has_stamp && !aa) {
		r->event = EV_INVALID;
		clear_fields(r);
		return r->event;
	}
	if (aa)
		r->event = event_from_apparmor(aa);
	else if (r->type >= 1501 && r->type <= 1506)
		r->event = (enum rec_event[]){ EV_AUDIT, EV_ALLOWED, EV_DENIED, EV_HINT,
					       EV_STATUS, EV_ERROR }[r->type - 1501];
	if (r->event == EV_INVALID && aa && !r->malformed) {
		r->malformed = 1;
		r->why = "unknown apparmor= value";
	}
	if (r->event == EV_INVALID && !aa)
		r->malformed = 0;   /* not AppArmor at all: nothing to distrust */
	if (r->malformed) {
		/* keep what identifies the line, drop what cannot be trusted */
		int id = r->off[RF_AUDIT_ID], op = r->off[RF_OPERATION], node = r->off[RF_NODE];
		int prof = r->off[RF_PROFILE], comm = r->off[RF_COMM];
		int has_pid = record_has(r, RN_PID);

		r->event = EV_INVALID;
		clear_fields(r);
		r->off[RF_AUDIT_ID] = id;
		r->off[RF_OPERATION] = op;
		r->off[RF_NODE] = node;
		r->off[RF_PROFILE] = prof;
		r->off[RF_COMM] = comm;
		if (has_pid)
			r->has_num = 1u << RN_PID;
	} else if (r->event == EV_INVALID && r->has_stamp && saw_type && body) {
		/* not AppArmor (or pre-2.1 AppArmor text): keep what it is */
		const char *tn = record_get(r, RF_TYPE_NAME);

		clear_fields(r);
		while (body < end && *body == ' ')
			body++;
		if (!starts_with(tn, "UNKNOWN["))
			r->off[RF_OPERATION] = r->off[RF_TYPE_NAME];
		r->off[RF_BODY] = store(r, body, end - body);
	} else if (r->event == EV_INVALID) {
		clear_fields(r);
	}
	return r->event;
}

enum rec_event record_parse(struct record *r, const char *line, size_t len, time_t now)
{
	const char *p = line, *end = line + len, *body = NULL;
	char aa[16] = "";
	int have_aa = 0, in_msg = 0, saw_type = 0, saw_msgq = 0, bus = -1;
	const char *bus_why = "a USER_AVC whose header is not the kernel's";

	reset(r);
	while (end > p && (end[-1] == '\n' || end[-1] == '\r'))
		end--;
	r->syslog_time = parse_syslog_time(p, end - p, now);

	while (p < end) {
		const char *k, *v;
		size_t kn, vn;
		int quoted;

		while (p < end && is_space((unsigned char)*p))
			p++;
		if (p >= end)
			break;
		if (in_msg && *p == '\'') {           /* end of msg='...' */
			in_msg = 0;
			p++;
			continue;
		}
		if (*p == '[' && !r->has_stamp) {
			const char *q = parse_boot_secs(r, p, end);

			if (q) {
				p = q;
				continue;
			}
		}
		if (!r->has_stamp && (end - p > 6 && !memcmp(p, "audit(", 6))) {
			if (!(p = body = take_stamp(r, p + 6, end)))
				break;
			continue;
		}
		/* key=value? */
		k = p;
		while (p < end && is_key_char((unsigned char)*p))
			p++;
		kn = p - k;
		if (!kn || p >= end || *p != '=') {
			/* prefix or free text: skip the token */
			while (p < end && !is_space((unsigned char)*p) && !(in_msg && *p == '\''))
				p++;
			continue;
		}
		p++;
		if (kn == 3 && !memcmp(k, "msg", 3) && p < end && *p == '\'') {
			/* USER_AVC: the AppArmor fields are inside msg='...' */
			if (!saw_msgq++ && body)
				bus = bus_header(body, k, &bus_why);
			p++;
			in_msg = 1;
			clear_fields(r);
			continue;
		}
		if (kn == 3 && !memcmp(k, "msg", 3) && end - p > 6 && !memcmp(p, "audit(", 6)) {
			if (!saw_type || r->has_stamp) {
				r->malformed = 1;
				r->why = "msg=audit( without a type=";
				break;
			}
			if (!(p = body = take_stamp(r, p + 6, end)))
				break;
			continue;
		}
		p = read_value(r, p, end, in_msg, &v, &vn, &quoted);
		if (kn == 4 && !memcmp(k, "type", 4)) {
			if (!saw_type) {
				saw_type = 1;
				r->type = type_number(v, vn);
				r->off[RF_TYPE_NAME] = store(r, v, vn);
			}
			continue;
		}
		if (kn == 8 && !memcmp(k, "apparmor", 8)) {
			/* the kernel always quotes it; "apparmor=1" is a boot parameter */
			if (!quoted)
				continue;
			have_aa = 1;
			snprintf(aa, sizeof(aa), "%.*s", (int)(vn < 15 ? vn : 15), v);
			continue;
		}
		set_field(r, k, kn, v, vn, quoted);
	}

	set_origin(r, line, end, bus, bus_why);
	return settle(r, have_aa ? aa : NULL, saw_type, body, end);
}

double record_time(const struct record *r, double boot_time)
{
	if (r->has_stamp && r->epoch > 0)
		return r->epoch + r->ms / 1000.0;
	if (r->boot_secs >= 0 && boot_time > 0)
		return boot_time + r->boot_secs;
	if (r->syslog_time >= 0)
		return (double)r->syslog_time;
	return -1;
}

const char *record_event_name(enum rec_event ev)
{
	static const char *const names[] = {
		"AA_RECORD_INVALID", "AA_RECORD_ERROR", "AA_RECORD_AUDIT", "AA_RECORD_ALLOWED",
		"AA_RECORD_DENIED", "AA_RECORD_HINT", "AA_RECORD_STATUS",
	};

	return (unsigned)ev < ARRAY_SIZE(names) ? names[ev] : "UNKNOWN EVENT TYPE";
}

const char *record_protocol_name(long long proto)
{
	switch (proto) {
	case 0: return "ip";
	case 1: return "icmp";
	case 2: return "igmp";
	case 6: return "tcp";
	case 17: return "udp";
	case 41: return "ipv6";
	case 58: return "ipv6-icmp";
	case 132: return "sctp";
	case 136: return "udplite";
	case 255: return "raw";
	}
	return NULL;
}
