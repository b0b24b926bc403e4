/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * loghost.c - where this host's AppArmor records go: the default log
 * sources in the order to try them, each file's rotations, and the likely
 * causes when none held a record.
 */
#include "loghost.h"
#include "strbuf.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct rot {
	char *path;
	long n;
};

static int cmp_rot(const void *a, const void *b)
{
	const struct rot *x = a, *y = b;

	return x->n < y->n ? 1 : x->n > y->n ? -1 : 0;   /* oldest (highest) first */
}

char **logsrc_rotations(const char *base)
{
	_cleanup_free_ char *dir = NULL;
	const char *slash = strrchr(base, '/'), *name = slash ? slash + 1 : base;
	size_t nlen = strlen(name), n = 0, alloc = 0, i;
	struct rot *v = NULL;
	struct dirent *de;
	char **out;
	DIR *d;

	dir = slash ? xstrndup(base, slash == base ? 1 : (size_t)(slash - base)) : xstrdup(".");
	d = opendir(dir);
	while (d && (de = readdir(d))) {
		const char *suffix;
		char *end;
		long num;

		if (strncmp(de->d_name, name, nlen))
			continue;
		suffix = de->d_name + nlen;
		if (!*suffix) {
			num = 0;
		} else if (*suffix == '.') {
			num = strtol(suffix + 1, &end, 10);
			if (end == suffix + 1 || num <= 0 || (*end && strcmp(end, ".gz") &&
						       strcmp(end, ".xz") && strcmp(end, ".zst")))
				continue;
		} else {
			continue;
		}
		ALLOC_GROW(v, n + 1, alloc);
		v[n].path = xasprintf("%s/%s", dir, de->d_name);
		v[n++].n = num;
	}
	if (d)
		closedir(d);
	qsort(v, n, sizeof(*v), cmp_rot);
	out = xcalloc(n + 1, sizeof(char *));
	for (i = 0; i < n; i++)
		out[i] = v[i].path;
	free(v);
	return out;
}

/* a file source: exists? readable? its rotations */
static int add_file_source(struct logsrc_host *h, enum logsrc_default_kind kind, const char *path)
{
	struct logsrc_default *d;

	if (access(path, F_OK) < 0)
		return 0;
	d = &h->src[h->nsrc++];
	d->kind = kind;
	d->name = xstrdup(path);
	if (access(path, R_OK) < 0)
		d->err = errno;
	else
		d->paths = logsrc_rotations(path);
	return 1;
}

/* the first line of ROOT/rel, or NULL */
static char *read_line(const char *root, const char *rel)
{
	_cleanup_free_ char *p = xasprintf("%s%s", root, rel);
	char *buf = NULL;

	if (read_file_quiet(p, 4096, &buf) < 0)
		return NULL;
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

static int auditd_runs(const char *root)
{
	static const char *const pidfiles[] = { "/run/auditd.pid", "/var/run/auditd.pid" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(pidfiles); i++) {
		_cleanup_free_ char *line = read_line(root, pidfiles[i]);
		char *end;
		long pid;

		if (!line)
			continue;
		pid = strtol(line, &end, 10);
		if (end == line || *end || pid <= 0 || pid > 4194304)
			continue;
		if (kill((pid_t)pid, 0) < 0 && errno != EPERM)
			continue;   /* a stale pid file */
		if (!*root) {
			/* on this system: is the live process auditd? */
			_cleanup_free_ char *comm = NULL, *rel = xasprintf("/proc/%ld/comm", pid);

			comm = read_line("", rel);
			if (comm && !streq(comm, "auditd"))
				continue;
		}
		return 1;
	}
	return 0;
}

void logsrc_host_probe(const char *root, struct logsrc_host *h)
{
	static const char *const jdirs[] = { "/var/log/journal", "/run/log/journal",
					     "/run/systemd/journal" };
	_cleanup_free_ char *audit = xasprintf("%s/var/log/audit/audit.log", root);
	_cleanup_free_ char *kern = xasprintf("%s/var/log/kern.log", root);
	_cleanup_free_ char *syslog = xasprintf("%s/var/log/syslog", root);
	_cleanup_free_ char *enabled = NULL, *rl = NULL;
	size_t i;

	memset(h, 0, sizeof(*h));
	h->root = xstrdup(root);
	add_file_source(h, LSD_AUDIT, audit);
	for (i = 0; i < ARRAY_SIZE(jdirs); i++) {
		_cleanup_free_ char *p = xasprintf("%s%s", root, jdirs[i]);

		if (access(p, F_OK) == 0) {
			h->src[h->nsrc].kind = LSD_JOURNAL;
			h->src[h->nsrc++].name = xstrdup("the journal");
			break;
		}
	}
	if (!add_file_source(h, LSD_SYSLOG, kern))
		add_file_source(h, LSD_SYSLOG, syslog);
	h->auditd = auditd_runs(root);
	enabled = read_line(root, "/sys/module/apparmor/parameters/enabled");
	{
		_cleanup_free_ char *p = xasprintf("%s/sys/module/apparmor/parameters/enabled", root);

		h->apparmor = enabled ? streq(enabled, "Y") :
			      access(p, F_OK) == 0 ? -1 : 0;
	}
	rl = read_line(root, "/proc/sys/kernel/printk_ratelimit");
	h->printk_ratelimit = rl && *rl ? atoi(rl) : -1;
}

void logsrc_host_release(struct logsrc_host *h)
{
	size_t i, k;

	for (i = 0; i < h->nsrc; i++) {
		for (k = 0; h->src[i].paths && h->src[i].paths[k]; k++)
			free(h->src[i].paths[k]);
		free(h->src[i].paths);
		free(h->src[i].name);
	}
	free(h->root);
	memset(h, 0, sizeof(*h));
}

void logsrc_host_hints(const struct logsrc_host *h, struct strbuf *out)
{
	const struct logsrc_default *audit = NULL;
	size_t i;

	for (i = 0; i < h->nsrc; i++) {
		if (h->src[i].kind == LSD_AUDIT)
			audit = &h->src[i];
		if (h->src[i].err)
			strbuf_addf(out, "  - cannot read %s: %s\n", h->src[i].name,
				    strerror(h->src[i].err));
	}
	if (geteuid() != 0)
		strbuf_addf(out, "  - not running as root (uid %u): audit.log, kern.log and the "
			    "journal's kernel messages are readable by root (or the adm group) only\n",
			    (unsigned)geteuid());
	if (h->apparmor == 0)
		strbuf_addf(out, "  - AppArmor is not enabled in this kernel (%s/sys/module/apparmor/"
			    "parameters/enabled is not Y)\n", h->root);
	if (h->auditd && (!audit || audit->err))
		strbuf_addf(out, "  - auditd runs: the kernel hands it the AppArmor records, which go "
			    "to %s/var/log/audit/audit.log only; that log was not read\n", h->root);
	else if (h->auditd)
		strbuf_addstr(out, "  - auditd runs and owns the records: check its rules and "
			      "log_format (ausearch -m AVC,APPARMOR_ALLOWED,APPARMOR_DENIED)\n");
	if (!h->auditd && h->printk_ratelimit > 0)
		strbuf_addf(out, "  - kernel.printk_ratelimit is %d: without auditd the kernel "
			    "drops most AppArmor records on their way to the kernel log "
			    "(sysctl -w kernel.printk_ratelimit=0)\n", h->printk_ratelimit);
	if (!h->nsrc)
		strbuf_addf(out, "  - no log found: no %s/var/log/audit/audit.log, no journal, no "
			    "%s/var/log/kern.log or syslog\n", h->root, h->root);
}
