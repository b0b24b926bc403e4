/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * origin.c - who wrote a log line: the kernel, the D-Bus daemon (as the
 * kernel says), or user space; from the line's framing alone.
 */
#include "origin.h"
#include "logtime.h"
#include "util.h"

#include <string.h>

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
	const char *q;

	if (p >= end || *p != '[')
		return 0;
	q = memchr(p, ']', end - p > 32 ? 32 : end - p);
	if (!q || q - p < 24 || p[4] != ' ' || p[8] != ' ' || q[-5] != ' ' ||
	    !all_digits(q - 4, 4) || q[-8] != ':' || q[-11] != ':')
		return 0;
	return q + 1 - p;
}

static enum frame line_frame(const char *p, const char *end, const char **ret_why,
			     const char **ret_host, size_t *ret_hostlen)
{
	size_t n, d;
	int node = 0;

	*ret_host = NULL;
	*ret_hostlen = 0;
	n = token(&p, end);
	if (tok_starts(p, n, "node=")) {
		*ret_host = p + 5;
		*ret_hostlen = n - 5;
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
	*ret_host = NULL;
	*ret_hostlen = 0;
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
		*ret_host = p;
		*ret_hostlen = n;
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
int origin_bus_header(const char *p, const char *msg, const char **ret_why)
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

enum rec_origin origin_of(const char *line, const char *end, int type, const char *op,
			  const char *bus, const char *cls, int bus_verdict, const char *bus_why,
			  const char **ret_why)
{
	const char *why = NULL, *host;
	size_t hostlen;
	int t = type;

	*ret_why = NULL;
	if (line_frame(line, end, &why, &host, &hostlen) == FR_USER) {
		*ret_why = why;
	} else if (t == 1400 || (t >= 1500 && t <= 1599)) {
		return RO_KERNEL;
	} else if (t == 1107) {
		if (!op || strncmp(op, "dbus_", 5) || !bus || (cls && strcmp(cls, "dbus")))
			*ret_why = "a USER_AVC of another class than D-Bus (user space "
				   "can send any)";
		else if (bus_verdict < 0)
			*ret_why = bus_why;
		else
			return RO_BUS;
	} else if (!t) {
		*ret_why = "no audit type";
	} else if ((t >= 1100 && t <= 1199) || (t >= 2100 && t <= 2999)) {
		*ret_why = "an audit type user space sends";
	} else {
		*ret_why = "not an AppArmor audit type";
	}
	return RO_USER;
}

enum rec_origin origin_of_seccomp(const char *line, const char *end, int type,
				  const char **ret_why)
{
	const char *why = NULL, *host;
	size_t hostlen;

	*ret_why = NULL;
	if (line_frame(line, end, &why, &host, &hostlen) == FR_USER) {
		*ret_why = why;
		return RO_USER;
	}
	if (type != 1326) {
		*ret_why = type ? "not the SECCOMP audit type" : "no audit type";
		return RO_USER;
	}
	return RO_KERNEL;
}

int origin_host(const char *line, const char *end, const char **ret_host, size_t *ret_len)
{
	const char *why = NULL, *host;
	size_t n, i;

	if (line_frame(line, end, &why, &host, &n) == FR_USER || !host || !n || n > 255)
		return -1;
	for (i = 0; i < n; i++)
		if ((unsigned char)host[i] <= 0x20 || host[i] == 0x7f || host[i] == '"')
			return -1;
	*ret_host = host;
	*ret_len = n;
	return 0;
}
