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
#include "decimal.h"
#include "util.h"

#include <ctype.h>
#include <libaudit.h>
#include <string.h>

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

static int is_hex_encoded(const char *v, size_t n)
{
	size_t i;

	if (n < 2 || n % 2)
		return 0;
	for (i = 0; i < n; i++)
		if (hex_digit((unsigned char)v[i]) < 0)
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
		char c = (char)(hex_digit((unsigned char)v[i]) << 4 | hex_digit((unsigned char)v[i + 1]));

		if (!c) {
			r->malformed = 1;
			r->why = "a hex-encoded value contains a NUL byte";
		}
		r->buf[r->len++] = c;
	}
	r->buf[r->len++] = '\0';
	return off;
}

static void set_field(struct record *r, const struct rec_key *key, const char *v, size_t vn,
		      int quoted)
{
	long long x;

	if (!key)
		return;
	if (key->kind & K_NUM) {
		if (parse_decimal(v, vn, &x) < 0)
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

	if (parse_decimal(v, n, &x) == 0)
		return x > 0 && x < 100000 ? (int)x : 0;
	if (n > 9 && !memcmp(v, "UNKNOWN[", 8) && v[n - 1] == ']' &&
	    parse_decimal(v + 8, n - 9, &x) == 0)
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
 * An ENRICHED trailer whose \x1d was lost on the way ("ouid=0FSUID=..."):
 * a number followed at once by an upper-case KEY= ends at its last digit
 * and the trailer is read from there, as libapparmor's lexer reads it (a
 * number token, then a key). Only numeric fields: any other value may hold
 * upper-case letters and '='. Returns where parsing goes on.
 */
static const char *lost_separator(const struct rec_key *key, const char *v, size_t *vn,
				  const char *p)
{
	size_t i = 0, j;

	if (!key || !(key->kind & K_NUM))
		return p;
	if (i < *vn && v[i] == '-')
		i++;
	while (i < *vn && isdigit((unsigned char)v[i]))
		i++;
	if (i == 0 || i == *vn || !isupper((unsigned char)v[i]))
		return p;
	for (j = i; j < *vn && (isupper((unsigned char)v[j]) || isdigit((unsigned char)v[j]) ||
				v[j] == '_'); j++)
		;
	if (j == *vn || v[j] != '=')
		return p;
	*vn = i;
	return v + i;
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
	r->syslog_time = syslog_time_parse(p, end - p, now);

	while (p < end) {
		const struct rec_key *key;
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
			const char *q = boot_secs_parse(p, end, &r->boot_secs);

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
				bus = origin_bus_header(body, k, &bus_why);
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
		key = rec_key_find(k, kn);
		if (!quoted)
			p = lost_separator(key, v, &vn, p);
		set_field(r, key, v, vn, quoted);
	}

	r->origin = origin_of(line, end, r->type, record_get(r, RF_OPERATION), record_get(r, RF_BUS),
			      record_get(r, RF_CLASS), bus, bus_why, &r->origin_why);
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

/*
 * The AppArmor policy namespace of a record's profile, relative to the
 * host's: NULL for the host's own (no namespace=, as the kernel logs its
 * root namespace, or "root", or AppArmor 2.1's "default"), else its name
 * without "root//" and its length. A nested container's policy (LXD or
 * Incus running Docker or snapd) logs namespace="root//lxd-NAME_<...>"; a
 * label that stacks profiles of another namespace shows it as ":NS:".
 */
const char *record_namespace(const struct record *r, size_t *ret_len)
{
	const char *ns = record_get(r, RF_NAMESPACE), *label = record_get(r, RF_PROFILE), *c;

	if (ns && *ns && strcmp(ns, "root") && strcmp(ns, "default")) {
		if (starts_with(ns, "root//"))
			ns += 6;
		*ret_len = strlen(ns);
		return ns;
	}
	c = !label ? NULL : label[0] == ':' ? label : strstr(label, "//&:");
	if (c) {
		const char *e;

		c += c == label ? 1 : 4;   /* past ":" or "//&:" */
		e = strchr(c, ':');
		*ret_len = e ? (size_t)(e - c) : strlen(c);
		return c;
	}
	return NULL;
}
