/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * parser.c - the apparmor_parser driver: run it (execve with an argument
 * vector, never a shell), compile-check profiles, list the profiles of a
 * text, read a profile with its includes expanded. What rule kinds a
 * profile gets is the target's (abi.h), never the installed parser's.
 */
#include "parser.h"
#include "policy.h"
#include "testhooks.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <spawn.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static char *profile_dir;   /* its absolute path; NULL: the default */

void parser_set_profile_dir(const char *dir)
{
	char real[PATH_MAX];

	FREE_AND_NULL(profile_dir);
	if (!dir)
		return;
	if (!realpath(dir, real))
		snprintf(real, sizeof(real), "%s", dir);
	if (!streq(real, "/etc/apparmor.d"))
		profile_dir = xstrdup(real);
}

int parser_conf_wants_cache(const char *conf)
{
	const char *line = conf;

	while (line && *line) {
		const char *end = strchrnul(line, '\n'), *p = line;
		size_t n;

		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (*p == '-')   /* the options may be written as on the command line */
			p += p[1] == '-' ? 2 : 1;
		n = strcspn(p, " \t=\n");
		if ((n == 11 && !strncmp(p, "write-cache", 11)) || (n == 1 && *p == 'W') ||
		    (n == 9 && !strncmp(p, "cache-loc", 9)) || (n == 1 && *p == 'L'))
			return 1;
		line = *end ? end + 1 : end;
	}
	return 0;
}

const char *parser_cache_option(void)
{
	const char *cache = test_getenv("AAPROF_PARSER_CACHE");
	const char *conf = test_getenv("AAPROF_PARSER_CONF");
	_cleanup_free_ char *text = NULL;
	struct stat st;

	if (profile_dir)
		return "-K";
	if (stat(cache ? cache : "/var/cache/apparmor", &st) == 0 && S_ISDIR(st.st_mode))
		return "-W";
	if (read_file_quiet(conf ? conf : "/etc/apparmor/parser.conf", 1u << 20, &text) == 0 &&
	    parser_conf_wants_cache(text))
		return "-W";
	return NULL;
}

void parser_result_release(struct parser_result *r)
{
	strbuf_release(&r->out);
	strbuf_release(&r->err);
}

const char *parser_path(void)
{
	static char found[4096];
	const char *env = test_getenv("APPARMOR_PARSER");
	const char *path = getenv("PATH");
	_cleanup_free_ char *dirs = NULL;
	char *d, *save = NULL;

	if (env)
		return access(env, X_OK) == 0 ? env : NULL;
	if (found[0])
		return found;
	/* the system's parser first; root never takes one from PATH */
	dirs = geteuid() == 0 || !path ? xstrdup("/usr/sbin:/sbin") : xasprintf("/usr/sbin:/sbin:%s", path);
	for (d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		if (*d != '/')
			continue;   /* "" or "." in PATH: not the current directory */
		snprintf(found, sizeof(found), "%s/apparmor_parser", d);
		if (access(found, X_OK) == 0)
			return found;
	}
	found[0] = '\0';
	return NULL;
}

/* drop apparmor_parser's note about the cache on kernels without AppArmor */
static void strip_cache_notes(struct strbuf *sb)
{
	static const char note[] = "Cache read/write disabled: interface file missing.";
	char *p;

	while ((p = strstr(sb->buf, note))) {
		char *nl = strchr(p, '\n');
		size_t cut = nl ? (size_t)(nl + 1 - p) : strlen(p);

		memmove(p, p + cut, sb->len - (p - sb->buf) - cut + 1);
		sb->len -= cut;
	}
}

/*
 * Feed input to the parser's standard input (in: its pipe, or -1) while
 * collecting its standard output and error, until it closes both; each
 * descriptor is closed and set to -1 when done with.
 */
static void exchange(int *in, const char *input, size_t inlen, int *out, int *err,
		     struct parser_result *res)
{
	size_t written = 0;

	for (;;) {
		struct pollfd p[3] = {
			{ .fd = *out, .events = POLLIN }, { .fd = *err, .events = POLLIN },
			{ .fd = *in, .events = POLLOUT },
		};
		char buf[65536];
		int k;

		if (*out < 0 && *err < 0)
			break;
		if (poll(p, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (*in >= 0 && (p[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
			ssize_t n = write(*in, input + written, inlen - written);

			if (n > 0)
				written += n;
			if (n < 0 || written == inlen) {
				close(*in);
				*in = -1;
			}
		}
		for (k = 0; k < 2; k++) {
			int *fd = k ? err : out;

			if (*fd >= 0 && (p[k].revents & (POLLIN | POLLHUP | POLLERR))) {
				ssize_t n = read(*fd, buf, sizeof(buf));

				if (n > 0)
					strbuf_add(k ? &res->err : &res->out, buf, n);
				else if (n == 0 || errno != EINTR) {
					close(*fd);
					*fd = -1;
				}
			}
		}
	}
}

int parser_run(const char *const *args, const char *input, size_t inlen,
	       struct parser_result *res)
{
	const char *bin = parser_path();
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, err[2] = { -1, -1 };
	posix_spawn_file_actions_t fa;
	const char **argv;
	size_t nargs = 0, i, k;
	pid_t pid;
	int status, rc;

	strbuf_init(&res->out, 0);
	strbuf_init(&res->err, 0);
	res->status = 127;
	if (!bin)
		return error("apparmor_parser not found (install the 'apparmor' package)");
	while (args[nargs])
		nargs++;
	argv = xcalloc(nargs + 8, sizeof(char *));
	argv[0] = bin;
	k = 1;
	if (profile_dir) {
		/* as aa-logprof -d: the directory's includes first, then the system's */
		argv[k++] = "--base";
		argv[k++] = profile_dir;
		argv[k++] = "-I";
		argv[k++] = profile_dir;
		argv[k++] = "-I";
		argv[k++] = "/etc/apparmor.d";
	}
	for (i = 0; i < nargs; i++)
		argv[k++] = args[i];
	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0) {
		error_errno("cannot create a pipe");
		goto fail;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], STDIN_FILENO);
	posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&fa, err[1], STDERR_FILENO);
	rc = posix_spawn(&pid, bin, &fa, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc) {
		errno = rc;
		error_errno("cannot run %s", bin);
		goto fail;
	}
	close(in[0]);
	close(out[1]);
	close(err[1]);
	in[0] = out[1] = err[1] = -1;
	if (!input || !inlen) {
		close(in[1]);
		in[1] = -1;
	} else {
		fcntl(in[1], F_SETFL, O_NONBLOCK);
	}
	exchange(&in[1], input, inlen, &out[0], &err[0], res);
	if (in[1] >= 0)
		close(in[1]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	res->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	strip_cache_notes(&res->err);
	free(argv);
	return 0;
fail:
	for (i = 0; i < 2; i++) {
		if (in[i] >= 0) close(in[i]);
		if (out[i] >= 0) close(out[i]);
		if (err[i] >= 0) close(err[i]);
	}
	free(argv);
	return -1;
}

int parser_run_checked(const char *const *args, const char *input, size_t len,
		       struct strbuf *out, struct strbuf *err)
{
	struct parser_result res;
	int r = 0;

	if (parser_run(args, input, len, &res) < 0)
		return -1;
	if (res.status) {
		strbuf_addbuf(err, &res.err);
		while (err->len && err->buf[err->len - 1] == '\n')
			strbuf_setlen(err, err->len - 1);
		r = -1;
	} else if (out) {
		strbuf_addbuf(out, &res.out);
	}
	parser_result_release(&res);
	return r;
}

int parser_check(const char *text, size_t len, const char *name, struct strbuf *err)
{
	const char *args[] = { "-QK", "--quiet", NULL };

	(void)name;
	return parser_run_checked(args, text, len, NULL, err);
}

char **parser_names(const char *text, struct strbuf *err)
{
	const char *args[] = { "-N", NULL };
	struct strbuf out = STRBUF_INIT;
	char **v, *line, *save = NULL;
	size_t n = 0;

	if (parser_run_checked(args, text, strlen(text), &out, err) < 0) {
		strbuf_release(&out);
		return NULL;
	}
	v = xcalloc(out.len / 2 + 2, sizeof(char *));
	for (line = strtok_r(out.buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		v[n++] = xstrdup(line);
	strbuf_release(&out);
	return v;
}

int parser_policy(const char *text, struct policy **ret, struct strbuf *err)
{
	const char *args[] = { "-p", "-K", NULL };
	struct strbuf out = STRBUF_INIT;

	if (parser_run_checked(args, text, strlen(text), &out, err) < 0) {
		strbuf_release(&out);
		return -1;
	}
	*ret = policy_parse(out.buf, "/etc/apparmor.d");
	strbuf_release(&out);
	return 0;
}
