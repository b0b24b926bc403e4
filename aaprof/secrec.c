/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * secrec.c - the kernel's SECCOMP records: architecture, syscall, action
 * (see secrec.h).
 */
#include "secrec.h"
#include "decimal.h"
#include "util.h"

#include <seccomp.h>
#include <string.h>

#define AUDIT_SECCOMP_TYPE 1326
#define X32_SYSCALL_BIT 0x40000000LL

static const struct secarch arches[] = {
	{ "x86_64", 0xc000003e, "SCMP_ARCH_X86_64", "amd64", NULL },
	{ "x86", 0x40000003, "SCMP_ARCH_X86", "x86", "amd64" },
	{ "x32", 0x4000003e, "SCMP_ARCH_X32", "amd64", "amd64" },
	{ "aarch64", 0xc00000b7, "SCMP_ARCH_AARCH64", "arm64", NULL },
	{ "arm", 0x40000028, "SCMP_ARCH_ARM", "arm", "arm64" },
	{ "mips", 0x00000008, "SCMP_ARCH_MIPS", "mips", "mips64" },
	{ "mipsel", 0x40000008, "SCMP_ARCH_MIPSEL", "mipsel", "mipsel64" },
	{ "mips64", 0x80000008, "SCMP_ARCH_MIPS64", "mips64", NULL },
	{ "mips64n32", 0xa0000008, "SCMP_ARCH_MIPS64N32", "mips64n32", "mips64" },
	{ "mipsel64", 0xc0000008, "SCMP_ARCH_MIPSEL64", "mipsel64", NULL },
	{ "mipsel64n32", 0xe0000008, "SCMP_ARCH_MIPSEL64N32", "mips3l64n32", "mipsel64" },
	{ "ppc", 0x00000014, "SCMP_ARCH_PPC", "ppc", "ppc64" },
	{ "ppc64", 0x80000015, "SCMP_ARCH_PPC64", "ppc64", NULL },
	{ "ppc64le", 0xc0000015, "SCMP_ARCH_PPC64LE", "ppc64le", NULL },
	{ "s390", 0x00000016, "SCMP_ARCH_S390", "s390", "s390x" },
	{ "s390x", 0x80000016, "SCMP_ARCH_S390X", "s390x", NULL },
	{ "riscv64", 0xc00000f3, "SCMP_ARCH_RISCV64", "riscv64", NULL },
	{ "loongarch64", 0xc0000102, "SCMP_ARCH_LOONGARCH64", "loong64", NULL },
};

const struct secarch *secarch_of_audit(uint32_t audit, long long nr)
{
	size_t i;

	/* x32 calls are x86_64's, numbered with __X32_SYSCALL_BIT */
	if (audit == 0xc000003e && nr >= X32_SYSCALL_BIT)
		audit = 0x4000003e;
	for (i = 0; i < ARRAY_SIZE(arches); i++)
		if (arches[i].audit == audit)
			return &arches[i];
	return NULL;
}

const struct secarch *secarch_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(arches); i++)
		if (streq(name, arches[i].name) || streq(name, arches[i].scmp))
			return &arches[i];
	return NULL;
}

const char *secarch_host(const struct secarch *a, int compat)
{
	return compat && a->parent ? a->parent : a->native;
}

char *secarch_syscall_name(const struct secarch *a, long long nr)
{
	uint32_t token = seccomp_arch_resolve_name(a->name);

	if (!token || nr < 0 || nr > 0x7fffffff)
		return NULL;
	/* libseccomp's x32 numbers carry the bit (and it accepts them without) */
	return seccomp_syscall_resolve_num_arch(token, (int)nr);
}

const char *seccomp_action_name(uint32_t code, char *buf, unsigned size)
{
	switch (code & 0xffff0000u) {
	case 0x80000000u: return "KILL_PROCESS";
	case 0x00000000u: return "KILL_THREAD";
	case 0x00030000u: snprintf(buf, size, "TRAP(%u)", code & 0xffff); return buf;
	case 0x00050000u: snprintf(buf, size, "ERRNO(%u)", code & 0xffff); return buf;
	case 0x7fc00000u: return "USER_NOTIF";
	case 0x7ff00000u: snprintf(buf, size, "TRACE(%u)", code & 0xffff); return buf;
	case 0x7ffc0000u: return "LOG";
	case 0x7fff0000u: return "ALLOW";
	}
	snprintf(buf, size, "0x%08x", code);
	return buf;
}

/* the keys of audit_seccomp(), in the kernel's order */
enum { K_AUID, K_UID, K_GID, K_SES, K_SUBJ, K_PID, K_COMM, K_EXE, K_SIG, K_ARCH, K_SYSCALL,
       K_COMPAT, K_IP, K_CODE, K_N };
static const char *const key_names[K_N] = {
	"auid", "uid", "gid", "ses", "subj", "pid", "comm", "exe", "sig", "arch", "syscall",
	"compat", "ip", "code",
};

static int parse_hex(const char *v, size_t n, unsigned long long max, unsigned long long *ret)
{
	unsigned long long x = 0;
	size_t i;

	if (n > 2 && v[0] == '0' && v[1] == 'x')
		v += 2, n -= 2;
	if (!n || n > 16)
		return -1;
	for (i = 0; i < n; i++) {
		int d = hex_digit((unsigned char)v[i]);

		if (d < 0 && v[i] >= 'a' && v[i] <= 'f')
			d = v[i] - 'a' + 10;
		if (d < 0)
			return -1;
		x = x << 4 | (unsigned)d;
	}
	if (x > max)
		return -1;
	*ret = x;
	return 0;
}

/* an untrusted string as the kernel logs it: "quoted" or hex; into out */
static int untrusted(const char *v, size_t n, char *out, size_t size)
{
	size_t i;

	if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
		if (n - 2 >= size || memchr(v + 1, '"', n - 2))
			return -1;
		memcpy(out, v + 1, n - 2);
		out[n - 2] = '\0';
		return 0;
	}
	if (n == 6 && !memcmp(v, "(null)", 6)) {
		out[0] = '\0';
		return 0;
	}
	if (!n || n % 2 || n / 2 >= size)
		return -1;
	for (i = 0; i < n; i += 2) {
		int hi = hex_digit((unsigned char)v[i]), lo = hex_digit((unsigned char)v[i + 1]);

		if (hi < 0 || lo < 0 || !(hi | lo))
			return -1;
		out[i / 2] = (char)(hi << 4 | lo);
	}
	out[n / 2] = '\0';
	return 0;
}

/* one key=value of the body: -1 and s->why when it is not the kernel's */
static int take(struct secrec *s, int k, const char *v, size_t n)
{
	unsigned long long x;
	long long d;

	switch (k) {
	case K_SUBJ:
		if (n >= sizeof(s->subj))
			return s->why = "subj= too long", -1;
		memcpy(s->subj, v, n);
		s->subj[n] = '\0';
		for (x = 0; x < n; x++)
			if ((unsigned char)v[x] < 0x20 || v[x] == 0x7f)
				return s->why = "subj= holds control characters", -1;
		return 0;
	case K_COMM:
		return untrusted(v, n, s->comm, sizeof(s->comm)) < 0 ?
		       (s->why = "comm= is neither quoted nor hex", -1) : 0;
	case K_EXE:
		return untrusted(v, n, s->exe, sizeof(s->exe)) < 0 ?
		       (s->why = "exe= is neither quoted nor hex", -1) : 0;
	case K_ARCH:
		if (parse_hex(v, n, 0xffffffffu, &x) < 0)
			return s->why = "arch= is not hexadecimal", -1;
		s->audit_arch = (uint32_t)x;
		return 0;
	case K_CODE:
		if (parse_hex(v, n, 0xffffffffu, &x) < 0)
			return s->why = "code= is not hexadecimal", -1;
		s->code = (uint32_t)x;
		return 0;
	case K_IP:
		return parse_hex(v, n, ~0ull, &x) < 0 ? (s->why = "ip= is not hexadecimal", -1) : 0;
	case K_SYSCALL:
		if (parse_decimal(v, n, &d) < 0 || d < 0 || d > 0x7fffffff)
			return s->why = "syscall= is not a syscall number", -1;
		s->nr = d;
		return 0;
	case K_COMPAT:
		if (n != 1 || (*v != '0' && *v != '1'))
			return s->why = "compat= is neither 0 nor 1", -1;
		s->compat = *v == '1';
		return 0;
	case K_PID:
		if (parse_decimal(v, n, &d) < 0 || d <= 0)
			return s->why = "pid= is not a process id", -1;
		s->pid = d;
		return 0;
	default:   /* auid uid gid ses sig: numbers */
		if (parse_decimal(v, n, &d) < 0)
			return s->why = "a number field is not a number", -1;
		return 0;
	}
}

/* the ENRICHED trailer's SYSCALL= (the rest is auditd's view of the numbers) */
static void trailer(struct secrec *s, const char *p, const char *end)
{
	const char *q = p;

	while ((q = memmem(q, end - q, "SYSCALL=", 8))) {
		const char *v = q + 8, *e = v;

		if (q == p || q[-1] == ' ' || q[-1] == 0x1d) {
			while (e < end && *e != ' ' && *e != 0x1d)
				e++;
			if ((size_t)(e - v) < sizeof(s->trailer_syscall)) {
				memcpy(s->trailer_syscall, v, e - v);
				s->trailer_syscall[e - v] = '\0';
			}
			return;
		}
		q = v;
	}
}

static int key_of(const char *k, size_t n)
{
	int i;

	for (i = 0; i < K_N; i++)
		if (strlen(key_names[i]) == n && !memcmp(key_names[i], k, n))
			return i;
	return -1;
}

int secrec_parse(const struct record *r, const char *line, size_t len, struct secrec *s)
{
	const char *body = record_get(r, RF_BODY), *p, *end, *tr;
	unsigned seen = 0;
	int last = -1;

	memset(s, 0, sizeof(*s));
	if (r->type != AUDIT_SECCOMP_TYPE && !(body && strstr(body, "arch=") &&
					       strstr(body, " syscall=") && strstr(body, " code=0x")))
		return 0;   /* (another type with audit_seccomp()'s fields: forged, counted) */
	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	s->origin = origin_of_seccomp(line, line + len, r->type, &s->origin_why);
	if (s->origin != RO_KERNEL)
		return 1;
	if (!body)
		return s->why = r->why ? r->why : "no audit(...) stamp", -1;
	end = body + strlen(body);
	tr = memchr(body, 0x1d, end - body);
	if (tr) {
		trailer(s, tr + 1, end);
		end = tr;
	}
	for (p = body; p < end;) {
		const char *k, *v, *eq;
		int key;

		while (p < end && *p == ' ')
			p++;
		if (p >= end)
			break;
		k = p;
		eq = memchr(p, '=', end - p);
		if (!eq)
			return s->why = "a token without '='", -1;
		key = key_of(k, eq - k);
		if (key < 0)
			return s->why = "a key audit_seccomp() does not write", -1;
		if (key <= last || (seen >> key & 1))
			return s->why = "keys out of the kernel's order", -1;
		v = eq + 1;
		p = v;
		if (key == K_SUBJ) {
			/* a label may hold spaces ("name (complain)"): it ends at " pid=" */
			const char *q = memmem(v, end - v, " pid=", 5);

			p = q ? q : end;
		} else {
			while (p < end && *p != ' ')
				p++;
		}
		if (take(s, key, v, p - v) < 0)
			return -1;
		seen |= 1u << key;
		last = key;
	}
	if (!(seen >> K_ARCH & 1) || !(seen >> K_SYSCALL & 1) || !(seen >> K_CODE & 1) ||
	    !(seen >> K_PID & 1))
		return s->why = "arch=, syscall=, code= or pid= missing", -1;
	s->arch = secarch_of_audit(s->audit_arch, s->nr);
	return 1;
}
