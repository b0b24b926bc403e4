/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "util.h"
#include "testhooks.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <signal.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

static NORETURN void oom(size_t n)
{
	fprintf(stderr, "%s: fatal: out of memory (%zu bytes)\n", progname, n);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		oom(n);
	return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (!p)
		oom(nmemb * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *r = realloc(p, n ? n : 1);

	if (!r)
		oom(n);
	return r;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *r = xmalloc(n + 1);

	memcpy(r, s, n);
	r[n] = '\0';
	return r;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *r;

	va_start(ap, fmt);
	if (vasprintf(&r, fmt, ap) < 0)
		oom(0);
	va_end(ap);
	return r;
}

void *xgrow(void *p, size_t elsize, size_t nr, size_t *alloc)
{
	size_t n;

	if (nr <= *alloc)
		return p;
	n = *alloc < 8 ? 8 : *alloc;
	while (n < nr) {
		if (n > SIZE_MAX / 2)
			oom(SIZE_MAX);
		n *= 2;
	}
	if (n > SIZE_MAX / elsize)
		oom(SIZE_MAX);
	*alloc = n;
	return xrealloc(p, n * elsize);
}

/* read fd (closed here) to its end: at most max bytes, NUL-terminated */
static int read_fd(int fd, const char *path, size_t max, char **ret_buf, size_t *ret_len)
{
	size_t len = 0, alloc = 0;
	char *buf = NULL;
	ssize_t n;

	for (;;) {
		ALLOC_GROW(buf, len + 4096 + 1, alloc);
		n = read(fd, buf + len, alloc - len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			error_errno("cannot read '%s'", path);
			goto fail;
		}
		if (n == 0)
			break;
		len += n;
		if (len > max) {
			error("'%s' is larger than %zu bytes", path, max);
			goto fail;
		}
	}
	close(fd);
	buf[len] = '\0';
	*ret_buf = buf;
	if (ret_len)
		*ret_len = len;
	return 0;
fail:
	close(fd);
	free(buf);
	return -1;
}

int read_file(const char *path, size_t max, char **ret_buf, size_t *ret_len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return error_errno("cannot open '%s'", path);
	return read_fd(fd, path, max, ret_buf, ret_len);
}

int read_file_quiet(const char *path, size_t max, char **ret_buf)
{
	int q = quiet_errors, r;

	quiet_errors = 1;
	r = read_file(path, max, ret_buf, NULL);
	quiet_errors = q;
	return r;
}

static int write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = write(fd, data, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		data += n;
		len -= n;
	}
	return 0;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, slash - path);
}

static char *base_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return xstrdup(slash ? slash + 1 : path);
}

/*
 * The temporary file being written, for the signal handler: SIGINT,
 * SIGTERM, SIGHUP or SIGQUIT in the middle of a write removes it, then
 * the signal takes its default course. It is registered before it is
 * created and unregistered after its rename (a stale name is harmless:
 * unlinkat() fails), so no window leaves it behind.
 */
static struct {
	int active;
	int dirfd;
	char name[NAME_MAX + 1];
} pending;
static const int cleanup_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };

static void remove_pending_and_reraise(int sig)
{
	int e = errno;

	/* async-signal-safe: unlinkat, raise; SA_RESETHAND restored the default */
	if (__atomic_load_n(&pending.active, __ATOMIC_SEQ_CST))
		unlinkat(pending.dirfd, pending.name, 0);
	raise(sig);
	errno = e;
}

static void cleanup_signals_init(void)
{
	static int done;
	struct sigaction sa = { .sa_handler = remove_pending_and_reraise,
				.sa_flags = SA_RESETHAND | SA_RESTART };
	size_t i;

	if (done)
		return;
	done = 1;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < ARRAY_SIZE(cleanup_signals); i++) {
		struct sigaction old;

		/* a signal ignored by whoever started aaprof stays ignored */
		if (sigaction(cleanup_signals[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;
		sigaction(cleanup_signals[i], &sa, NULL);
	}
}

static void pending_set(int dirfd, const char *name)
{
	snprintf(pending.name, sizeof(pending.name), "%s", name);
	pending.dirfd = dirfd;
	__atomic_store_n(&pending.active, 1, __ATOMIC_SEQ_CST);
}

static void pending_clear(void)
{
	__atomic_store_n(&pending.active, 0, __ATOMIC_SEQ_CST);
}

/*
 * Create a new temporary file for base in dirfd: ".BASE.aaprof-XXXXXX".
 * The leading dot matters: apparmor_parser skips hidden files when it
 * loads a directory (apparmor_parser -r /etc/apparmor.d/ at boot), so a
 * file left by SIGKILL or a power cut is never loaded as a second copy of
 * the profile. Returns its descriptor, its name in name.
 */
static int create_temp(int dirfd, const char *base, char *name, size_t size)
{
	static const char chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	unsigned char rnd[6];
	int tries, fd, i;

	for (tries = 0; tries < 100; tries++) {
		if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd)) {
			struct timespec ts;

			clock_gettime(CLOCK_MONOTONIC, &ts);
			for (i = 0; i < 6; i++)
				rnd[i] = (unsigned char)((ts.tv_nsec >> (i * 4)) ^ (getpid() >> i) ^ tries);
		}
		snprintf(name, size, ".%.200s.aaprof-", base);
		for (i = 0; i < 6; i++) {
			char c[2] = { chars[rnd[i] % (sizeof(chars) - 1)], '\0' };

			strncat(name, c, size - strlen(name) - 1);
		}
		pending_set(dirfd, name);
		fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd >= 0)
			return fd;
		pending_clear();
		if (errno != EEXIST)
			return -1;
	}
	errno = EEXIST;
	return -1;
}

/*
 * The file path names, following symbolic links: a profile that is a link
 * (config management, a git checkout) is written in place of its target,
 * and the link stays. Returns the target's path, or NULL after error().
 */
static char *write_target(const char *path)
{
	char real[PATH_MAX];
	struct stat st;

	if (lstat(path, &st) < 0 || !S_ISLNK(st.st_mode))
		return xstrdup(path);
	if (!realpath(path, real)) {
		error_errno("'%s' is a symbolic link that cannot be followed", path);
		return NULL;
	}
	return xstrdup(real);
}

/* what base in dirfd holds now: 1 (and its text, if ret_text), 0 if it does not exist,
   -1 after error() */
static int read_current(int dirfd, const char *base, const char *path, struct stat *st,
			char **ret_text, size_t *ret_len)
{
	int fd = openat(dirfd, base, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0 && errno == ELOOP)
		return error("'%s' became a symbolic link while aaprof was writing it", path);
	if (fd < 0)
		return error_errno("cannot open '%s'", path);
	if (fstat(fd, st) < 0 || !S_ISREG(st->st_mode)) {
		close(fd);
		return error("'%s' exists and is not a regular file", path);
	}
	if (!ret_text) {
		close(fd);
		return 1;
	}
	if (read_fd(fd, path, SIZE_MAX / 2, ret_text, ret_len) < 0)
		return -1;
	return 1;
}

static int same_text(int exists, const char *text, size_t len, const char *expect)
{
	if (!expect)
		return !exists;
	return exists && len == strlen(expect) && !memcmp(text, expect, len);
}

static int write_file(const char *path, const char *data, size_t len, unsigned mode,
		      const char *backup, int check, const char *expect)
{
	_cleanup_free_ char *target = write_target(path), *dir = NULL, *base = NULL, *cur = NULL;
	char tmp[NAME_MAX + 1];
	size_t cur_len = 0;
	struct stat st;
	int dirfd = -1, fd = -1, have_old, r = -1;

	if (!target)
		return -1;
	dir = dir_of(target);
	base = base_of(target);
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return error_errno("cannot open the directory '%s'", dir);
	/* the text only when it is compared or backed up */
	have_old = read_current(dirfd, base, path, &st, check || backup ? &cur : NULL, &cur_len);
	if (have_old < 0)
		goto out;
	if (check && !same_text(have_old, cur, cur_len, expect))
		goto changed;
	if (have_old)
		mode = st.st_mode & 07777;
	if (have_old && backup && write_file(backup, cur, cur_len, mode, NULL, 0, NULL) < 0) {
		error("cannot keep a backup of '%s'", path);
		goto out;
	}

	cleanup_signals_init();
	fd = create_temp(dirfd, base, tmp, sizeof(tmp));
	if (fd < 0) {
		error_errno("cannot create a temporary file for '%s' in '%s'", path, dir);
		goto out;
	}
	if (have_old && geteuid() == 0)
		(void)!fchown(fd, st.st_uid, st.st_gid);   /* a checkout's owner keeps it */
	if (test_fault_enospc()) {
		errno = ENOSPC;
		error_errno("cannot write '%s/%s'", dir, tmp);
		goto fail;
	}
	if (fchmod(fd, mode) < 0 || write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		error_errno("cannot write '%s/%s'", dir, tmp);
		goto fail;
	}
	if (close(fd) < 0) {
		fd = -1;
		error_errno("cannot write '%s/%s'", dir, tmp);
		goto fail;
	}
	fd = -1;
	test_write_delay();
	if (check) {
		/* an edit since the caller read the file (another program: aaprof's
		   own writers hold the profile lock) would be lost: not written */
		free(cur);
		cur = NULL;
		have_old = read_current(dirfd, base, path, &st, &cur, &cur_len);
		if (have_old < 0)
			goto fail;
		if (!same_text(have_old, cur, cur_len, expect)) {
			unlinkat(dirfd, tmp, 0);
			pending_clear();
			goto changed;
		}
	}
	if (renameat(dirfd, tmp, dirfd, base) < 0) {
		error_errno("cannot rename '%s/%s' to '%s'", dir, tmp, target);
		goto fail;
	}
	pending_clear();
	if (fsync(dirfd) < 0 && errno != EINVAL)
		error_errno("cannot fsync directory '%s'", dir);
	else
		r = 0;
	goto out;
changed:
	error("'%s' was changed by another program since aaprof read it: nothing written "
	      "(run aaprof again)", path);
	goto out;
fail:
	if (fd >= 0)
		close(fd);
	unlinkat(dirfd, tmp, 0);
	pending_clear();
out:
	close(dirfd);
	return r;
}

int write_file_atomic(const char *path, const char *data, size_t len,
		      unsigned mode, const char *backup)
{
	return write_file(path, data, len, mode, backup, 0, NULL);
}

int write_file_checked(const char *path, const char *data, size_t len,
		       unsigned mode, const char *backup, const char *expect)
{
	return write_file(path, data, len, mode, backup, 1, expect);
}

int untrusted_refused;

/* root-owned and writable by root alone: 0, else -1 after error() */
static int trusted_stat(const struct stat *st, const char *path, const char *what, const char *dir)
{
	const char *in = dir ? "': its directory '" : "";

	if (st->st_uid != 0) {
		untrusted_refused = 1;
		return error("refusing %s '%s%s%s': owned by uid %u, not root", what, path, in,
			     dir ? dir : "", (unsigned)st->st_uid);
	}
	if (st->st_mode & (S_IWGRP | S_IWOTH)) {
		untrusted_refused = 1;
		return error("refusing %s '%s%s%s': writable by group or others (mode %04o)%s", what,
			     path, in, dir ? dir : "", (unsigned)(st->st_mode & 07777),
			     st->st_mode & S_ISVTX ? ": anyone may have put files there" : "");
	}
	return 0;
}

/*
 * Open the directory real (an absolute path without symbolic links) one
 * component at a time from /, never following a link, and check each
 * directory on the way. Returns a descriptor of real, or -1 after error().
 */
static int open_trusted_dir(const char *real, const char *path, const char *what)
{
	_cleanup_free_ char *walk = xstrdup(real);
	char at[PATH_MAX] = "/";   /* the directory reached: a prefix of real */
	size_t len = 1, n;
	char *comp, *save = NULL;
	struct stat st;
	int fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC), next;

	if (fd < 0)
		return error_errno("cannot open '/'");
	for (comp = strtok_r(walk, "/", &save);; comp = strtok_r(NULL, "/", &save)) {
		if (fstat(fd, &st) < 0) {
			error_errno("cannot stat '%s'", at);
			break;
		}
		/* a root-owned sticky directory (/tmp) on the way is no risk: no
		   one else can rename or remove the root-owned directory below it,
		   which is checked next; it never qualifies as the file's own */
		if (!(comp && st.st_uid == 0 && (st.st_mode & S_ISVTX)) &&
		    trusted_stat(&st, path, what, at) < 0)
			break;
		if (!comp)
			return fd;
		n = strlen(comp);
		if (len + 1 + n >= sizeof(at)) {
			error("'%s': path too long", path);
			break;
		}
		if (len > 1)
			at[len++] = '/';
		memcpy(at + len, comp, n + 1);
		len += n;
		next = openat(fd, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0) {
			error_errno("cannot open the directory '%s' of '%s'", at, path);
			break;
		}
		close(fd);
		fd = next;
	}
	close(fd);
	return -1;
}

int check_trusted_dir(const char *dir, const char *what)
{
	char real[PATH_MAX];
	int fd;

	if (geteuid() != 0)
		return 0;
	if (!realpath(dir, real))
		return error_errno("cannot resolve '%s'", dir);
	fd = open_trusted_dir(real, dir, what);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

int read_trusted_file(const char *path, size_t max, char **ret_buf, size_t *ret_len)
{
	_cleanup_free_ char *dir = NULL, *base = NULL;
	char real[PATH_MAX];
	struct stat st;
	int dfd, fd;

	if (geteuid() != 0)
		return read_file(path, max, ret_buf, ret_len);
	/* the directory's real path; the file itself is opened without following a link */
	dir = dir_of(path);
	base = base_of(path);
	if (!*base || streq(base, ".") || streq(base, ".."))
		return error("'%s' is not a file", path);
	if (!realpath(dir, real))
		return error_errno("cannot open '%s'", path);
	dfd = open_trusted_dir(real, path, "file");
	if (dfd < 0)
		return -1;
	fd = openat(dfd, base, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	close(dfd);
	if (fd < 0 && errno == ELOOP) {
		untrusted_refused = 1;
		return error("refusing file '%s': a symbolic link (as root, aaprof reads templates "
			     "and rules only from regular files)", path);
	}
	if (fd < 0)
		return error_errno("cannot open '%s'", path);
	/* judge the file that was opened, and read that one */
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || trusted_stat(&st, path, "file", NULL) < 0) {
		if (!S_ISREG(st.st_mode))
			error("'%s' is not a regular file", path);
		close(fd);
		return -1;
	}
	return read_fd(fd, path, max, ret_buf, ret_len);
}

int parse_duration(const char *s, long long *ret_seconds)
{
	long long mult = 1;
	char *end;
	long long v;

	if (!s || !*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s)
		return -1;
	if (*end) {
		if (end[1])
			return -1;
		switch (*end) {
		case 's': mult = 1; break;
		case 'm': mult = 60; break;
		case 'h': mult = 3600; break;
		case 'd': mult = 86400; break;
		case 'w': mult = 7 * 86400; break;
		default: return -1;
		}
	}
	if (v > LLONG_MAX / mult)
		return -1;
	*ret_seconds = v * mult;
	return 0;
}

int streq(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

int starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

int ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && memcmp(s + ls - lx, suffix, lx) == 0;
}

/*
 * A span as systemd writes it: "1h", "2 days", "1h 30min", "90" (seconds).
 * Units: s sec second(s), m min minute(s), h hr hour(s), d day(s),
 * w week(s), M month(s) (30.44 days), y year(s) (365.25 days).
 */
static int parse_span(const char *s, long long *ret_seconds)
{
	static const struct {
		const char *name;
		long long secs;
	} units[] = {
		{ "s", 1 }, { "sec", 1 }, { "second", 1 }, { "seconds", 1 },
		{ "m", 60 }, { "min", 60 }, { "minute", 60 }, { "minutes", 60 },
		{ "h", 3600 }, { "hr", 3600 }, { "hour", 3600 }, { "hours", 3600 },
		{ "d", 86400 }, { "day", 86400 }, { "days", 86400 },
		{ "w", 604800 }, { "week", 604800 }, { "weeks", 604800 },
		{ "M", 2629800 }, { "month", 2629800 }, { "months", 2629800 },
		{ "y", 31557600 }, { "year", 31557600 }, { "years", 31557600 },
	};
	long long total = 0;
	int parts = 0;

	for (;;) {
		long long v, mult = 1;
		const char *w;
		size_t i, n;
		char *end;

		while (*s == ' ')
			s++;
		if (!*s)
			break;
		if (*s < '0' || *s > '9')
			return -1;
		errno = 0;
		v = strtoll(s, &end, 10);
		if (errno)
			return -1;
		s = end;
		while (*s == ' ')
			s++;
		for (w = s; (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'); s++)
			;
		n = s - w;
		if (n) {
			for (i = 0; i < ARRAY_SIZE(units); i++)
				if (strlen(units[i].name) == n && !strncmp(units[i].name, w, n))
					break;
			if (i == ARRAY_SIZE(units))
				return -1;
			mult = units[i].secs;
		} else if (*s) {
			return -1;   /* a bare number only alone or last: seconds */
		}
		if (v > (LLONG_MAX - total) / mult)
			return -1;
		total += v * mult;
		parts++;
	}
	if (!parts)
		return -1;
	*ret_seconds = total;
	return 0;
}

/* local midnight of the day of now, plus days */
static double local_midnight(double now, int days)
{
	time_t t = (time_t)now;
	struct tm tm;

	localtime_r(&t, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_mday += days;
	tm.tm_isdst = -1;
	return (double)mktime(&tm);
}

int parse_time_spec(const char *s, double now, double boot_time, double *ret)
{
	struct tm tm = { 0 };
	long long secs;
	const char *p;
	char *end;
	int zone = 0, off = 0;

	if (!s || !*s)
		return -1;
	/* what journalctl takes: today, yesterday, -1h, +1h, "1 hour ago" */
	if (streq(s, "today") || streq(s, "yesterday") || streq(s, "tomorrow")) {
		*ret = local_midnight(now, streq(s, "today") ? 0 : streq(s, "yesterday") ? -1 : 1);
		return 0;
	}
	if ((*s == '-' || *s == '+') && parse_span(s + 1, &secs) == 0) {
		*ret = *s == '-' ? now - (double)secs : now + (double)secs;
		return 0;
	}
	if (ends_with(s, " ago")) {
		_cleanup_free_ char *span = xstrndup(s, strlen(s) - 4);

		if (parse_span(span, &secs) < 0)
			return -1;
		*ret = now - (double)secs;
		return 0;
	}
	if (*s >= '0' && *s <= '9' && parse_span(s, &secs) == 0) {
		*ret = now - (double)secs;
		return 0;
	}
	/* a time of day alone: today at that time (local) */
	p = strptime(s, "%H:%M:%S", &tm);
	if (!p || *p) {
		memset(&tm, 0, sizeof(tm));
		p = strptime(s, "%H:%M", &tm);
	}
	if (p && !*p) {
		time_t t = (time_t)now;
		struct tm today;

		localtime_r(&t, &today);
		today.tm_hour = tm.tm_hour;
		today.tm_min = tm.tm_min;
		today.tm_sec = tm.tm_sec;
		today.tm_isdst = -1;
		*ret = (double)mktime(&today);
		return 0;
	}
	memset(&tm, 0, sizeof(tm));
	if (streq(s, "boot")) {
		if (boot_time <= 0)
			return -1;
		*ret = boot_time;
		return 0;
	}
	if (streq(s, "now")) {
		*ret = now;
		return 0;
	}
	if (*s == '@') {
		double v = strtod(s + 1, &end);

		if (end == s + 1 || *end || v < 0)
			return -1;
		*ret = v;
		return 0;
	}
	if (parse_duration(s, &secs) == 0) {
		*ret = now - (double)secs;
		return 0;
	}
	p = strptime(s, "%Y-%m-%d", &tm);
	if (!p)
		return -1;
	if (*p == 'T' || *p == ' ') {
		const char *q = strptime(p + 1, "%H:%M:%S", &tm);

		if (!q)
			q = strptime(p + 1, "%H:%M", &tm);
		if (!q)
			return -1;
		p = q;
		if (*p == '.')
			for (p++; *p >= '0' && *p <= '9'; p++)
				;
	}
	if (*p == 'Z') {
		zone = 1;
		p++;
	} else if (streq(p, " UTC") || streq(p, " GMT") || streq(p, " Z")) {
		zone = 1;   /* as journalctl prints it: 2023-11-14 22:13:20 UTC */
		p += strlen(p);
	} else if ((*p == '+' || *p == '-') && strlen(p) >= 5) {
		int h = (p[1] - '0') * 10 + (p[2] - '0');
		int m = p[3] == ':' ? (p[4] - '0') * 10 + (p[5] - '0') : (p[3] - '0') * 10 + (p[4] - '0');

		zone = 1;
		off = (h * 60 + m) * 60 * (*p == '-' ? -1 : 1);
		p += p[3] == ':' ? 6 : 5;
	}
	if (*p)
		return -1;
	if (zone) {
		*ret = (double)timegm(&tm) - off;
	} else {
		tm.tm_isdst = -1;
		*ret = (double)mktime(&tm);
	}
	return 0;
}

int run_program(const char *path, const char *const *argv)
{
	extern char **environ;
	pid_t pid;
	int status, r;

	r = posix_spawn(&pid, path, NULL, NULL, (char *const *)argv, environ);
	if (r) {
		errno = r;
		return error_errno("cannot run %s", path);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return error_errno("cannot wait for %s", path);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* text into a new temporary file; its path in tmpl (XXXXXX replaced) */
static int temp_with(char *tmpl, const char *text)
{
	int fd = mkstemp(tmpl);

	if (fd < 0)
		return error_errno("cannot create a temporary file");
	close(fd);
	if (write_file_atomic(tmpl, text, strlen(text), 0600, NULL) < 0) {
		unlink(tmpl);
		return -1;
	}
	return 0;
}

int show_diff(const char *path, const char *old_text, const char *new_text, const char *suffix)
{
	char tmp_old[] = "/tmp/aaprof-old.XXXXXX", tmp_new[] = "/tmp/aaprof-new.XXXXXX";
	_cleanup_free_ char *la = xasprintf("--label=%s", path);
	_cleanup_free_ char *lb = xasprintf("--label=%s (%s)", path, suffix);
	const char *argv[] = { "diff", "-u", "-N", la, lb, "/dev/null", tmp_new, NULL, NULL };
	int rc = -1;

	if (colour_wanted(STDOUT_FILENO))   /* GNU diff's colours, on a terminal */
		argv[7] = "--color=always";

	if (old_text && temp_with(tmp_old, old_text) < 0)
		return -1;
	if (old_text)
		argv[5] = tmp_old;
	if (temp_with(tmp_new, new_text) == 0) {
		fflush(stdout);
		rc = run_program("/usr/bin/diff", argv);
		rc = rc == 0 || rc == 1 ? 0 : error("diff failed");
		unlink(tmp_new);
	}
	if (old_text)
		unlink(tmp_old);
	return rc;
}

int mkdir_p(const char *path, unsigned mode)
{
	_cleanup_free_ char *p = xstrdup(path);
	char *s;

	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, mode) < 0 && errno != EEXIST)
			return error_errno("cannot create '%s'", p);
		*s = '/';
	}
	if (mkdir(p, mode) < 0 && errno != EEXIST)
		return error_errno("cannot create '%s'", p);
	return 0;
}
