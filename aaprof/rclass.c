/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rclass.c - the record classes, and the words rules are written with.
 */
#include "rclass.h"
#include "util.h"

#include <string.h>

static const struct rclass_info classes[RC_COUNT] = {
	{ RC_FILE, "file", 0, NULL },
	{ RC_CAP, "capability", 0, NULL },
	{ RC_NET, "network", HF_NET_FINE, NULL },
	{ RC_UNIX, "unix", HF_UNIX, NULL },
	{ RC_SIGNAL, "signal", 0, "signal-unconfined" },
	{ RC_PTRACE, "ptrace", 0, "ptrace" },
	{ RC_MOUNT, "mount", 0, "mount" },
	{ RC_UMOUNT, "umount", 0, "mount" },
	{ RC_PIVOT, "pivot_root", 0, "pivot_root" },
	{ RC_DBUS, "dbus", 0, NULL },
	{ RC_MQUEUE, "mqueue", HF_MQUEUE, NULL },
	{ RC_USERNS, "userns", HF_USERNS, NULL },
	{ RC_IO_URING, "io_uring", HF_IO_URING, NULL },
	{ RC_CHANGE_PROFILE, "change_profile", 0, "change_profile" },
	{ RC_OPAQUE, "kept", 0, NULL },
};

const struct rclass_info *rclass_info(enum rclass cls)
{
	return &classes[cls];
}

/* ------------------------------------------------------ classification */

static const char *const file_ops[] = {
	"open", "getattr", "setattr", "exec", "mknod", "mkdir", "rmdir", "unlink",
	"rename_src", "rename_dest", "link", "symlink", "truncate", "chmod", "chown",
	"file_perm", "file_lock", "file_mmap", "inode_permission", "file_receive",
	"file_inherit", "create", "inode_create", "inode_link", "inode_unlink",
	"inode_rename", "inode_mkdir", "inode_rmdir", "inode_mknod", "inode_symlink",
};

static const char *const net_ops[] = {
	"create", "post_create", "bind", "connect", "listen", "accept", "sendmsg",
	"recvmsg", "getsockname", "getpeername", "getsockopt", "setsockopt",
	"socket_create", "socket_post_create", "socket_bind", "socket_connect",
	"socket_listen", "socket_accept", "socket_sendmsg", "socket_recvmsg",
	"socket_getsockname", "socket_getpeername", "socket_getsockopt",
	"socket_setsockopt", "socket_shutdown", "shutdown", "sock_shutdown",
};

static int in_list(const char *v, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		if (streq(v, list[i]))
			return 1;
	return 0;
}

/* by class= (newer kernels) */
static int class_of_key(const char *cls, const char *op, const char *fam, enum rclass *ret)
{
	if (streq(cls, "file")) *ret = RC_FILE;
	else if (streq(cls, "net")) *ret = fam && streq(fam, "unix") ? RC_UNIX : RC_NET;
	else if (streq(cls, "posix_mqueue") || streq(cls, "sysv_mqueue")) *ret = RC_MQUEUE;
	else if (streq(cls, "namespace")) *ret = RC_USERNS;
	else if (streq(cls, "io_uring")) *ret = RC_IO_URING;
	else if (streq(cls, "mount"))
		*ret = streq(op, "umount") ? RC_UMOUNT : streq(op, "pivotroot") ? RC_PIVOT : RC_MOUNT;
	else if (streq(cls, "signal")) *ret = RC_SIGNAL;
	else if (streq(cls, "ptrace")) *ret = RC_PTRACE;
	else if (streq(cls, "dbus")) *ret = RC_DBUS;
	else if (streq(cls, "cap")) *ret = RC_CAP;
	else return -1;
	return 0;
}

int rclass_of(const struct record *r, enum rclass *ret)
{
	const char *cls = record_get(r, RF_CLASS), *op = record_get(r, RF_OPERATION);
	const char *fam = record_get(r, RF_FAMILY);

	if (!op)
		op = "";
	if (streq(op, "change_profile") || streq(op, "change_onexec")) {
		*ret = RC_CHANGE_PROFILE;
		return 0;
	}
	if (streq(op, "change_hat") || streq(op, "exec_hat"))
		return -1;
	if (streq(op, "exec")) {
		*ret = RC_FILE;
		return 0;
	}
	if (cls)
		return class_of_key(cls, op, fam, ret);
	/* older kernels: by operation */
	if (streq(op, "capable")) *ret = RC_CAP;
	else if (streq(op, "signal")) *ret = RC_SIGNAL;
	else if (streq(op, "ptrace")) *ret = RC_PTRACE;
	else if (streq(op, "mount") || streq(op, "remount")) *ret = RC_MOUNT;
	else if (streq(op, "umount")) *ret = RC_UMOUNT;
	else if (streq(op, "pivotroot")) *ret = RC_PIVOT;
	else if (starts_with(op, "dbus_")) *ret = RC_DBUS;
	else if (fam) *ret = streq(fam, "unix") ? RC_UNIX : RC_NET;
	else if (in_list(op, net_ops, ARRAY_SIZE(net_ops)) && !record_get(r, RF_NAME)) *ret = RC_NET;
	else if (record_get(r, RF_NAME) || in_list(op, file_ops, ARRAY_SIZE(file_ops))) *ret = RC_FILE;
	else return -1;
	return 0;
}

void rclass_format_rule(enum rclass cls, const char *head, unsigned perms, const char *tail,
			struct strbuf *out)
{
	if (cls == RC_FILE && *tail) {
		/* "[owner ]link PATH" and "-> TARGET": the permission is the l of link */
		strbuf_addf(out, "%s %s", head, tail);
		return;
	}
	if (cls == RC_FILE) {
		strbuf_addf(out, "%s ", head);
		perm_format(out, perms);
		return;
	}
	strbuf_addstr(out, head);
	access_words_format(out, perms, cls == RC_NET || cls == RC_UNIX);
	if (*tail)
		strbuf_addf(out, " %s", tail);
}

/* ------------------------------------------------------- access words */

static const char *const words[AW_COUNT] = {
	[AW_ACCEPT] = "accept", [AW_BIND] = "bind", [AW_CONNECT] = "connect",
	[AW_CREATE] = "create", [AW_DELETE] = "delete", [AW_EAVESDROP] = "eavesdrop",
	[AW_GETATTR] = "getattr", [AW_GETOPT] = "getopt", [AW_LISTEN] = "listen",
	[AW_OPEN] = "open", [AW_OVERRIDE_CREDS] = "override_creds", [AW_READ] = "read",
	[AW_READBY] = "readby", [AW_RECEIVE] = "receive", [AW_SEND] = "send",
	[AW_SETATTR] = "setattr", [AW_SETOPT] = "setopt", [AW_SHUTDOWN] = "shutdown",
	[AW_SQPOLL] = "sqpoll", [AW_TRACE] = "trace", [AW_TRACEDBY] = "tracedby",
	[AW_WRITE] = "write",
};

int access_word(const char *w, size_t n)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(words); i++)
		if (strlen(words[i]) == n && !memcmp(words[i], w, n))
			return (int)i;
	return -1;
}

int access_word_known(const char *w)
{
	return access_word(w, strlen(w)) >= 0 || streq(w, "r") || streq(w, "w") || streq(w, "rw");
}

/* the next word of a list "a, b c" at *s: its length, 0 at the end */
static size_t next_word(const char **s, const char **ret_w)
{
	const char *p = *s;

	while (*p == ' ' || *p == ',')
		p++;
	*ret_w = p;
	while (*p && *p != ' ' && *p != ',')
		p++;
	*s = p;
	return p - *ret_w;
}

/*
 * What kernels log that a rule spells differently: the operation name
 * userns_create in requested= (a rule says "userns create"). Nothing else
 * is mapped: an old kernel's ptrace requested_mask="receive" names no
 * ptrace permission and no peer, so no rule can be derived from it.
 */
static const struct { enum rclass cls; const char *logged; enum access_word w; } legacy[] = {
	{ RC_USERNS, "userns_create", AW_CREATE },
};

/* the access word w (n bytes) of a record of class cls (RC_COUNT: any), -1 if none */
static int logged_word(enum rclass cls, const char *w, size_t n)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(legacy); i++)
		if ((cls == RC_COUNT || legacy[i].cls == cls) && strlen(legacy[i].logged) == n &&
		    !memcmp(legacy[i].logged, w, n))
			return legacy[i].w;
	return access_word(w, n);
}

int access_words_parse(const char *list, unsigned *ret, const char **ret_bad)
{
	const char *s = list, *w;
	unsigned bits = 0;
	size_t n;

	while ((n = next_word(&s, &w))) {
		int b = logged_word(RC_COUNT, w, n);

		if (b < 0) {
			*ret_bad = w;
			return -1;
		}
		bits |= 1u << b;
	}
	*ret = bits;
	return 0;
}

/* the words each class's rules take (apparmor.d(5)) */
#define AW_SOCKET (AW_BIT(CREATE) | AW_BIT(BIND) | AW_BIT(LISTEN) | AW_BIT(ACCEPT) | \
		   AW_BIT(CONNECT) | AW_BIT(SHUTDOWN) | AW_BIT(GETATTR) | AW_BIT(SETATTR) | \
		   AW_BIT(GETOPT) | AW_BIT(SETOPT) | AW_BIT(SEND) | AW_BIT(RECEIVE))

unsigned rclass_access_words(enum rclass cls)
{
	switch (cls) {
	case RC_NET: case RC_UNIX: return AW_SOCKET;
	case RC_SIGNAL: return AW_BIT(SEND) | AW_BIT(RECEIVE);
	case RC_PTRACE: return AW_BIT(READ) | AW_BIT(TRACE) | AW_BIT(READBY) | AW_BIT(TRACEDBY);
	case RC_DBUS: return AW_BIT(SEND) | AW_BIT(RECEIVE) | AW_BIT(BIND) | AW_BIT(EAVESDROP);
	case RC_MQUEUE:
		return AW_BIT(CREATE) | AW_BIT(OPEN) | AW_BIT(DELETE) | AW_BIT(READ) |
		       AW_BIT(WRITE) | AW_BIT(GETATTR) | AW_BIT(SETATTR);
	case RC_USERNS: return AW_BIT(CREATE);
	case RC_IO_URING: return AW_BIT(SQPOLL) | AW_BIT(OVERRIDE_CREDS);
	case RC_FILE: case RC_CAP: case RC_MOUNT: case RC_UMOUNT: case RC_PIVOT:
	case RC_CHANGE_PROFILE: case RC_OPAQUE:
		break;
	}
	return 0;
}

int rclass_access_parse(enum rclass cls, const char *list, unsigned *ret, struct strbuf *why)
{
	unsigned bits = 0, vocab = rclass_access_words(cls);
	const char *s = list, *w;
	size_t n;

	while ((n = next_word(&s, &w))) {
		int b = logged_word(cls, w, n);

		if (b < 0 || !((vocab >> b) & 1)) {
			const char *c = rclass_info(cls)->name;

			strbuf_addf(why, "the access '%.*s' of a %s record is not a %s permission: "
				    "%s rules take", (int)(n > 40 ? 40 : n), w, c, c, c);
			access_words_format(why, vocab, 1);
			return -1;
		}
		bits |= 1u << b;
	}
	*ret = bits;
	return 0;
}

void access_words_format(struct strbuf *sb, unsigned bits, int always_paren)
{
	size_t i;
	int n = 0, k;

	for (i = 0; i < ARRAY_SIZE(words); i++)
		n += (bits >> i) & 1;
	if (!n)
		return;
	strbuf_addch(sb, ' ');
	if (n > 1 || always_paren)
		strbuf_addch(sb, '(');
	for (i = 0, k = 0; i < ARRAY_SIZE(words); i++)
		if ((bits >> i) & 1)
			strbuf_addf(sb, "%s%s", k++ ? ", " : "", words[i]);
	if (n > 1 || always_paren)
		strbuf_addch(sb, ')');
}

/* ------------------------------------------------- permission letters */

/* one letter read as apparmor_parser grants it; -1: not a permission */
static int policy_letter(char c, unsigned *bits)
{
	switch (c) {
	case 'r': case 'R': *bits |= FP_R; break;
	case 'w': case 'W': *bits |= FP_W | FP_A; break;
	case 'a': case 'A': *bits |= FP_A; break;
	case 'l': case 'L': *bits |= FP_L; break;
	case 'k': case 'K': *bits |= FP_K; break;
	case 'm': case 'M': *bits |= FP_M; break;
	case 'x': case 'X': *bits |= FP_X; break;
	case 'i': case 'p': case 'P': case 'c': case 'C': case 'u': case 'U': case 'b': case 'B':
		break;
	default:
		return -1;
	}
	return 0;
}

int perm_parse(const char *s, size_t n, enum perm_syntax how, unsigned *ret)
{
	unsigned bits = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (how == PERM_POLICY) {
			if (policy_letter(s[i], &bits) < 0)
				return -1;
			continue;
		}
		switch (s[i]) {
		case 'r': bits |= FP_R; break;
		case 'w': bits |= FP_W; break;
		case 'a': bits |= FP_A; break;
		case 'l': bits |= FP_L; break;
		case 'k': bits |= FP_K; break;
		case 'm': bits |= FP_M; break;
		case 'x':
			if (how == PERM_KERNEL)
				bits |= FP_X;
			else
				bits |= i && s[i - 1] == 'p' ? FP_PX : i && s[i - 1] == 'c' ? FP_CX : FP_IX;
			break;
		case 'c': case 'd':
			if (how == PERM_KERNEL)
				bits |= FP_W;   /* create, delete */
			else if (s[i] == 'd')
				return -1;
			break;
		case 'i': case 'p':
			break;
		default:
			if (how != PERM_KERNEL)
				return -1;
		}
	}
	*ret = bits;
	return 0;
}

void perm_format(struct strbuf *out, unsigned bits)
{
	if (bits & FP_M) strbuf_addch(out, 'm');
	if (bits & FP_R) strbuf_addch(out, 'r');
	if (bits & FP_W) strbuf_addch(out, 'w');
	else if (bits & FP_A) strbuf_addch(out, 'a');
	if (bits & FP_L) strbuf_addch(out, 'l');
	if (bits & FP_K) strbuf_addch(out, 'k');
	if (bits & FP_IX) strbuf_addstr(out, "ix");
	else if (bits & FP_PX) strbuf_addstr(out, "px");
	else if (bits & FP_CX) strbuf_addstr(out, "cx");
}
