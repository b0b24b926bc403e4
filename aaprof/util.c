/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "util.h"

#include <errno.h>
#include <string.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

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
