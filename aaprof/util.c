/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "util.h"
#include "sanitise.h"
#include "strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

const char *progname = "aaprof";
int quiet_errors;
struct strbuf *message_sink;

/*
 * The message, however long (a list of held-back rules is), with what a
 * log value may carry into it made harmless: every control character but
 * the message's own newlines and tabs is escaped (sanitise.h).
 */
static void vreport(const char *prefix, const char *fmt, va_list ap, const char *suffix)
{
	struct strbuf msg = STRBUF_INIT;
	char *buf;
	int n;

	if (quiet_errors)
		return;
	n = vasprintf(&buf, fmt, ap);
	if (n < 0) {
		fprintf(stderr, "%s: fatal: out of memory\n", progname);
		abort();
	}
	strbuf_add_printable(&msg, buf, n, "\n\t");
	free(buf);
	if (message_sink) {
		strbuf_addf(message_sink, "%s%s%s%s\n", prefix, msg.buf, suffix ? ": " : "",
			    suffix ? suffix : "");
	} else if (suffix) {
		fprintf(stderr, "%s: %s%s: %s\n", progname, prefix, msg.buf, suffix);
	} else {
		fprintf(stderr, "%s: %s%s\n", progname, prefix, msg.buf);
	}
	strbuf_release(&msg);
}

int error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("error: ", fmt, ap, NULL);
	va_end(ap);
	return -1;
}

int error_errno(const char *fmt, ...)
{
	int e = errno;
	va_list ap;

	va_start(ap, fmt);
	vreport("error: ", fmt, ap, strerror(e));
	va_end(ap);
	errno = e;
	return -1;
}

void warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("warning: ", fmt, ap, NULL);
	va_end(ap);
}

void note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("", fmt, ap, NULL);
	va_end(ap);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	quiet_errors = 0;
	vreport("fatal: ", fmt, ap, NULL);
	va_end(ap);
	exit(EXIT_ERROR);
}

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

int read_file(const char *path, size_t max, char **ret_buf, size_t *ret_len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0, alloc = 0;
	char *buf = NULL;
	ssize_t n;

	if (fd < 0)
		return error_errno("cannot open '%s'", path);
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

static int fsync_dir(const char *path)
{
	_cleanup_free_ char *dir = dir_of(path);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return error_errno("cannot open directory '%s'", dir);
	if (fsync(fd) < 0 && errno != EINVAL) {
		close(fd);
		return error_errno("cannot fsync directory '%s'", dir);
	}
	close(fd);
	return 0;
}

static int copy_to_backup(const char *path, const char *backup, unsigned mode)
{
	char *old = NULL;
	size_t len;
	int r;

	if (read_file(path, SIZE_MAX / 2, &old, &len) < 0)
		return -1;
	r = write_file_atomic(backup, old, len, mode, NULL);
	free(old);
	return r;
}

int write_file_atomic(const char *path, const char *data, size_t len,
		      unsigned mode, const char *backup)
{
	_cleanup_free_ char *tmp = xasprintf("%s.aaprof-XXXXXX", path);
	struct stat st;
	int fd, have_old;

	have_old = stat(path, &st) == 0;
	if (have_old && !S_ISREG(st.st_mode))
		return error("'%s' exists and is not a regular file", path);
	if (have_old)
		mode = st.st_mode & 07777;
	if (have_old && backup && copy_to_backup(path, backup, mode) < 0)
		return error("cannot keep a backup of '%s'", path);

	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return error_errno("cannot create a temporary file for '%s'", path);
	if (fchmod(fd, mode) < 0 || write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		error_errno("cannot write '%s'", tmp);
		goto fail;
	}
	if (close(fd) < 0) {
		fd = -1;
		error_errno("cannot write '%s'", tmp);
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		error_errno("cannot rename '%s' to '%s'", tmp, path);
		goto fail;
	}
	return fsync_dir(path);
fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return -1;
}

int untrusted_refused;

static int check_trusted_one(const char *path, const char *what)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return error_errno("cannot stat '%s'", path);
	if (st.st_uid != 0) {
		untrusted_refused = 1;
		return error("refusing %s '%s': owned by uid %u, not root", what, path,
			     (unsigned)st.st_uid);
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		untrusted_refused = 1;
		return error("refusing %s '%s': writable by group or others (mode %04o)",
			     what, path, (unsigned)(st.st_mode & 07777));
	}
	return 0;
}

int check_trusted_file(const char *path)
{
	_cleanup_free_ char *dir = NULL;

	if (geteuid() != 0)
		return 0;
	if (check_trusted_one(path, "file") < 0)
		return -1;
	dir = dir_of(path);
	return check_trusted_one(dir, "the directory of");
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
	const char *argv[] = { "diff", "-u", "-N", la, lb, "/dev/null", tmp_new, NULL };
	int rc = -1;

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
