/* SPDX-License-Identifier: GPL-2.0-or-later */
/* backup.c - generations of a profile file's previous versions. See backup.h. */
#include "backup.h"
#include "paths.h"
#include "profile.h"
#include "util.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

unsigned backup_keep(void)
{
	const char *s = getenv("AAPROF_BACKUPS");
	static const char *warned;
	char *end;
	unsigned long n;

	if (!s || !*s)
		return BACKUP_KEEP_DEFAULT;
	errno = 0;
	n = strtoul(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || errno || n < 1 || n > BACKUP_KEEP_MAX) {
		if (warned != s)
			warning("ignoring AAPROF_BACKUPS '%s': expected a number of backups from "
				"1 to %d; keeping %d", s, BACKUP_KEEP_MAX, BACKUP_KEEP_DEFAULT);
		warned = s;
		return BACKUP_KEEP_DEFAULT;
	}
	return (unsigned)n;
}

char *backup_path(const char *profile_file, unsigned n)
{
	char *first = profile_backup_path(profile_file), *p;

	if (n <= 1)
		return first;
	p = xasprintf("%s%%~%u", first, n);
	free(first);
	return p;
}

/* rename generation from to to (to removed when from does not exist) */
static int move_gen(const char *profile_file, unsigned from, unsigned to)
{
	_cleanup_free_ char *a = backup_path(profile_file, from);
	_cleanup_free_ char *b = backup_path(profile_file, to);

	if (rename(a, b) == 0 || errno == ENOENT)
		return 0;
	return error_errno("cannot rename the backup '%s' to '%s'", a, b);
}

int backup_push(const char *profile_file, const char *old)
{
	_cleanup_free_ char *first = backup_path(profile_file, 1), *next = NULL, *cur = NULL;
	unsigned keep = backup_keep(), n;
	int q = quiet_errors, same;

	quiet_errors = 1;
	same = read_file_quiet(first, 16u << 20, &cur) == 0 && streq(cur, old);
	quiet_errors = q;
	if (same)
		return 0;
	/* the new generation complete beside the others first, then the renames */
	next = xasprintf("%s%%~new", first);
	if (write_file_atomic(next, old, strlen(old), 0600, NULL) < 0) {
		unlink(next);
		return error("cannot keep a backup of '%s'", profile_file);
	}
	for (n = keep + 1; n <= BACKUP_KEEP_MAX + 1; n++) {
		/* the one beyond keep: left by the last push, which stands */
		_cleanup_free_ char *gone = backup_path(profile_file, n);

		if (unlink(gone) < 0 && errno != ENOENT)
			error_errno("cannot remove the old backup '%s'", gone);
	}
	/* the oldest to keep + 1, removed by the next push: until then
	   backup_pop() can put everything back */
	for (n = keep + 1; n > 1; n--) {
		if (move_gen(profile_file, n - 1, n) < 0) {
			unlink(next);
			return error("cannot keep a backup of '%s'", profile_file);
		}
	}
	if (rename(next, first) < 0) {
		error_errno("cannot rename '%s' to '%s'", next, first);
		unlink(next);
		return error("cannot keep a backup of '%s'", profile_file);
	}
	return 1;
}

void backup_pop(const char *profile_file)
{
	unsigned keep = backup_keep(), n;

	for (n = 1; n <= keep; n++) {
		_cleanup_free_ char *next = backup_path(profile_file, n + 1);

		if (access(next, F_OK) < 0) {
			_cleanup_free_ char *last = backup_path(profile_file, n);

			unlink(last);
			return;
		}
		if (move_gen(profile_file, n + 1, n) < 0)
			return;
	}
}

struct count {
	size_t n;
};

static void count_rule(void *ctx, const char *child, const char *rule)
{
	(void)child;
	(void)rule;
	((struct count *)ctx)->n++;
}

unsigned backup_list(const char *profile_file, const char *name, const char *current, FILE *out)
{
	unsigned n, found = 0;

	for (n = 1; n <= backup_keep(); n++) {
		_cleanup_free_ char *path = backup_path(profile_file, n), *text = NULL;
		struct count c = { 0 };
		const char *mode;
		struct stat st;
		char when[64];
		int q = quiet_errors;

		quiet_errors = 1;
		if (stat(path, &st) < 0 || read_file_quiet(path, 16u << 20, &text) < 0) {
			quiet_errors = q;
			continue;
		}
		quiet_errors = q;
		found++;
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", localtime(&st.st_mtime));
		mode = profile_mode_of(text, name);
		profile_section_rules(text, count_rule, &c);
		fprintf(out, "%2u  %s  %7lld bytes  %-8s  %zu harvested rule%s%s\n", n, when,
			(long long)st.st_size, mode ? mode : "-", c.n, c.n == 1 ? "" : "s",
			current && streq(current, text) ? "  = current" : "");
	}
	return found;
}
