/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * logshape.c - logged values that are not written as policy says them.
 */
#include "logshape.h"
#include "decimal.h"
#include "util.h"

#include <string.h>

/* ------------------------------------------------------ procfs aliases */

/*
 * The evidence is the name alone, read against the two file systems' fixed
 * layouts: sysfs's top level is block, bus, class, dev, devices, firmware,
 * fs, hypervisor, kernel, module and power, so /sys/net, /sys/vm, ... are
 * no sysfs files, while procfs's sys/ has them (proc(5)); and no root
 * directory of a real system is a pid whose next component is one of
 * procfs's per-process entries. Names of sys/ that sysfs has too (dev, fs,
 * kernel) are ambiguous and left as they are.
 */
static const char *const proc_sys_only[] = {
	"abi", "crypto", "debug", "net", "sunrpc", "user", "vm",
};

static const char *const proc_pid_entries[] = {
	"arch_status", "attr", "autogroup", "auxv", "cgroup", "clear_refs", "cmdline",
	"comm", "coredump_filter", "cpuset", "cwd", "environ", "exe", "fd", "fdinfo",
	"gid_map", "io", "ksm_merging_pages", "ksm_stat", "limits", "loginuid",
	"map_files", "maps", "mem", "mountinfo", "mounts", "mountstats", "net", "ns",
	"numa_maps", "oom_adj", "oom_score", "oom_score_adj", "pagemap", "personality",
	"projid_map", "root", "sched", "schedstat", "sessionid", "setgroups", "smaps",
	"smaps_rollup", "stack", "stat", "statm", "status", "syscall", "task",
	"timens_offsets", "timers", "timerslack_ns", "uid_map", "wchan",
};

/* is the component at s (up to '/' or the end) one of list? */
static int component_in(const char *s, const char *const *list, size_t n)
{
	size_t len = strcspn(s, "/"), i;

	for (i = 0; i < n; i++)
		if (strlen(list[i]) == len && !memcmp(list[i], s, len))
			return 1;
	return 0;
}

/* a pid as the kernel writes it: no leading zero, at most 7 digits */
static size_t pid_len(const char *s)
{
	size_t n = 0;

	if (*s < '1' || *s > '9')
		return 0;
	while (s[n] >= '0' && s[n] <= '9')
		n++;
	return n <= 7 && s[n] == '/' ? n : 0;
}

int procfs_alias(const char *name, struct strbuf *ret)
{
	const char *s = name[0] == '/' ? name + 1 : name;
	size_t n;

	if (starts_with(s, "sys/") && component_in(s + 4, proc_sys_only, ARRAY_SIZE(proc_sys_only))) {
		strbuf_addf(ret, "/proc/%s", s);
		return 1;
	}
	if ((n = pid_len(s)) && component_in(s + n + 1, proc_pid_entries,
					     ARRAY_SIZE(proc_pid_entries))) {
		strbuf_addf(ret, "/proc/%s", s);
		return 1;
	}
	return 0;
}

/* ------------------------------------------------ hex abstract names */

/*
 * The kernel logs an abstract address as "@" and the name as it is, or,
 * when the name holds a control byte (audit_string_contains_control()),
 * "@" and the name's bytes in upper-case hex (audit_log_n_hex()). So a
 * value is hex-encoded exactly when it is upper-case hex of an even length
 * whose bytes hold a control byte: a name that decodes to none would have
 * been logged as it stands.
 */
int unix_addr_hex_encoded(const char *value, struct strbuf *ret)
{
	const char *h = value + 1;
	size_t n = strlen(h) / 2, i, end, ctl = 0;
	unsigned char *b;

	if (value[0] != '@' || !n || strlen(h) % 2)
		return 0;
	for (i = 0; i < 2 * n; i++)
		if (hex_digit((unsigned char)h[i]) < 0)
			return 0;
	b = xmalloc(n);
	for (i = 0; i < n; i++) {
		b[i] = (unsigned char)(hex_digit(h[2 * i]) << 4 | hex_digit(h[2 * i + 1]));
		ctl += b[i] < 0x20 || b[i] == 0x7f;
	}
	if (!ctl) {
		free(b);
		return 0;
	}
	for (end = n; end && !b[end - 1]; end--)
		;   /* the NULs that pad the name */
	strbuf_addstr(ret, "'@");
	for (i = 0; i < end; i++) {
		if (b[i] < 0x20 || b[i] >= 0x7f || b[i] == '\\' || b[i] == '\'')
			strbuf_addf(ret, "\\x%02x", b[i]);
		else
			strbuf_addch(ret, (char)b[i]);
	}
	strbuf_addch(ret, '\'');
	if (end < n)
		strbuf_addf(ret, " followed by %zu NUL bytes", n - end);
	free(b);
	return 1;
}

int unix_addr_unexpressible(const char *value, const char *what, struct strbuf *why)
{
	struct strbuf name = STRBUF_INIT;
	int hex = unix_addr_hex_encoded(value, &name);

	if (hex)
		strbuf_addf(why, "unix %s '%.200s' is hex for the abstract socket name %.300s: "
			    "policy cannot express its NUL or control bytes", what, value, name.buf);
	strbuf_release(&name);
	return hex;
}

/* ------------------------------------------------- disconnected paths */

/*
 * A name without its leading '/': the kernel could not reach it from the
 * profile's root (a file of another mount namespace, or of a detached
 * mount) and refused it whatever the rules say (info="Failed name lookup -
 * disconnected path"). No rule can name it: the profile needs
 * flags=(attach_disconnected), which names it from '/', or
 * attach_disconnected.path=DIR (AppArmor 4), which names it from DIR.
 */
void disconnected_why(const char *name, const char *info, const char *op, struct strbuf *why)
{
	struct strbuf alias = STRBUF_INIT;

	if (!info || !strstr(info, "disconnected")) {
		strbuf_addf(why, "'%.200s' is not an absolute path (operation %s)", name, op);
		return;
	}
	strbuf_addf(why, "'%.200s' is a disconnected path: no rule can name it; the profile "
		    "needs flags=(attach_disconnected) (or attach_disconnected.path=DIR) for the "
		    "kernel to name it from '/'", name);
	if (procfs_alias(name, &alias))
		strbuf_addf(why, " (it is procfs seen through a detached mount, as runc's since "
			    "CVE-2025-52881: then logged as /%.200s, written as %.200s)", name, alias.buf);
	strbuf_release(&alias);
}

/* ------------------------------------------- records no rule can use */

int revoked_fd_why(const char *name, const char *op, struct strbuf *why)
{
	if (!streq(name, "/apparmor/.null"))
		return 0;
	strbuf_addf(why, "'/apparmor/.null' (operation %s) is the kernel's stand-in for a file "
		    "descriptor it revoked at an exec: a rule for it grants nothing; the program "
		    "was handed a descriptor its profile does not allow", op);
	return 1;
}

void userns_unconfined_why(const char *prog, struct strbuf *why)
{
	strbuf_addf(why, "a user namespace refused to an unconfined program ('%.200s'): no rule "
		    "can be added to unconfined; the remedy is a profile for that program that "
		    "allows 'userns,'", prog ? prog : "?");
}
