/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * load.c - the apparmor_parser driver: run it, compile-check profiles,
 * preprocess them, probe what rule kinds it knows.
 */
#include "load.h"
#include "gate.h"
#include "harvest.h"
#include "lock.h"
#include "paths.h"
#include "testhooks.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

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

int parser_run(const char *const *args, const char *input, size_t inlen,
	       struct parser_result *res)
{
	const char *bin = parser_path();
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, err[2] = { -1, -1 };
	posix_spawn_file_actions_t fa;
	const char **argv;
	size_t nargs = 0, i, written = 0;
	pid_t pid;
	int status, rc;

	strbuf_init(&res->out, 0);
	strbuf_init(&res->err, 0);
	res->status = 127;
	if (!bin)
		return error("apparmor_parser not found (install the 'apparmor' package)");
	while (args[nargs])
		nargs++;
	argv = xcalloc(nargs + 2, sizeof(char *));
	argv[0] = bin;
	for (i = 0; i < nargs; i++)
		argv[i + 1] = args[i];
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
	for (;;) {
		struct pollfd p[3] = {
			{ .fd = out[0], .events = POLLIN }, { .fd = err[0], .events = POLLIN },
			{ .fd = in[1], .events = POLLOUT },
		};
		char buf[65536];
		int k;

		if (out[0] < 0 && err[0] < 0)
			break;
		if (poll(p, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (in[1] >= 0 && (p[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
			ssize_t n = write(in[1], input + written, inlen - written);

			if (n > 0)
				written += n;
			if (n < 0 || written == inlen) {
				close(in[1]);
				in[1] = -1;
			}
		}
		for (k = 0; k < 2; k++) {
			int *fd = k ? &err[0] : &out[0];

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

/*
 * Run apparmor_parser; 0 when it succeeded (its output appended to out, if
 * given), -1 when it could not run or failed (its message appended to err,
 * without trailing newlines).
 */
static int parser_run_checked(const char *const *args, const char *input, size_t len,
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

int parser_preprocess(const char *path, struct strbuf *out)
{
	const char *args[] = { "-p", "-K", path, NULL };
	struct strbuf err = STRBUF_INIT;
	int r = parser_run_checked(args, NULL, 0, out, &err);

	if (r < 0)
		error("apparmor_parser -p '%s' failed: %s", path, err.buf);
	strbuf_release(&err);
	return r;
}

unsigned parser_features(void)
{
	static const struct {
		unsigned bit;
		const char *rule;
	} probes[] = {
		{ HF_NET_FINE, "network (send) inet stream ip=127.0.0.1 port=1," },
		{ HF_MQUEUE, "mqueue create type=posix /q," },
		{ HF_USERNS, "userns create," },
		{ HF_IO_URING, "io_uring sqpoll," },
	};
	static int done;
	static unsigned features;
	_cleanup_free_ char *cache = NULL, *cached = NULL, *id = NULL;
	const char *bin = parser_path();
	struct stat st;
	size_t i;

	if (done)
		return features;
	done = 1;
	/* four compiles cost more than a harvest of a small log: remember the
	   answer per parser binary (path, size, mtime) in the state directory */
	if (bin && stat(bin, &st) == 0) {
		id = xasprintf("%s %lld %lld", bin, (long long)st.st_size, (long long)st.st_mtime);
		cache = xasprintf("%s/parser-features", state_dir());
		if (read_file_quiet(cache, 4096, &cached) == 0) {
			size_t n = strlen(id);
			char *end;
			unsigned long f;

			if (!strncmp(cached, id, n) && cached[n] == ' ') {
				f = strtoul(cached + n + 1, &end, 10);
				if (end != cached + n + 1 && *end == '\n') {
					features = (unsigned)f;
					return features;
				}
			}
		}
	}
	for (i = 0; i < ARRAY_SIZE(probes); i++) {
		struct strbuf text = STRBUF_INIT, err = STRBUF_INIT;

		strbuf_addf(&text, "abi <abi/3.0>,\nprofile aaprof-probe {\n  %s\n}\n", probes[i].rule);
		if (parser_check(text.buf, text.len, "probe", &err) == 0)
			features |= probes[i].bit;
		strbuf_release(&text);
		strbuf_release(&err);
	}
	if (cache) {
		_cleanup_free_ char *line = xasprintf("%s %u\n", id, features);
		int q = quiet_errors;

		quiet_errors = 1;   /* a state directory we cannot write: probe next time */
		if (mkdir_p(state_dir(), 0755) == 0)
			write_file_atomic(cache, line, strlen(line), 0644, NULL);
		quiet_errors = q;
	}
	return features;
}

/* ----------------------------------------------------------- the kernel */

#include "profile.h"

#include <dirent.h>
#include <sys/apparmor.h>

int kernel_apparmorfs(char **ret_dir)
{
	const char *env = test_getenv("AAPROF_APPARMORFS");
	char *mnt = NULL;

	if (env) {
		*ret_dir = xstrdup(env);
		return 0;
	}
	if (!aa_is_enabled()) {
		switch (errno) {
		case ENOSYS:
			error("AppArmor is not available in this kernel");
			break;
		case ECANCELED:
			error("AppArmor is built into the kernel but disabled (boot with apparmor=1 "
			      "security=apparmor)");
			break;
		case ENOENT:
			error("the securityfs filesystem is not mounted (mount -t securityfs "
			      "securityfs /sys/kernel/security)");
			break;
		case EPERM:
		case EACCES:
			error("no permission to read the AppArmor state: run as root");
			return EXIT_PERM;
		default:
			error_errno("cannot tell whether AppArmor is enabled");
		}
		return EXIT_NOAPPARMOR;
	}
	if (aa_find_mountpoint(&mnt) < 0) {
		error_errno("cannot find the AppArmor filesystem (is securityfs mounted?)");
		return EXIT_NOAPPARMOR;
	}
	*ret_dir = mnt;
	return 0;
}

const char *kernel_mode_name(const char *mode)
{
	static const char *const known[] = {
		"enforce", "complain", "kill", "unconfined", "prompt", "mixed",
	};
	size_t i;

	if (streq(mode, "user"))   /* APPARMOR_USER: the prompt mode */
		return "prompt";
	for (i = 0; i < ARRAY_SIZE(known); i++)
		if (streq(mode, known[i]))
			return known[i];
	return "unknown";
}

int kernel_profiles(const char *fsdir, struct kprofile **ret, size_t *ret_n)
{
	_cleanup_free_ char *path = xasprintf("%s/profiles", fsdir);
	_cleanup_free_ char *text = NULL;
	struct kprofile *v = NULL;
	size_t n = 0, alloc = 0;
	char *line, *save = NULL;

	if (read_file(path, 64u << 20, &text, NULL) < 0)
		return -1;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *paren = strrchr(line, '(');

		if (!paren || paren == line || paren[-1] != ' ' || line[strlen(line) - 1] != ')')
			continue;
		ALLOC_GROW(v, n + 1, alloc);
		v[n].name = xstrndup(line, paren - 1 - line);
		line[strlen(line) - 1] = '\0';
		v[n].mode = xstrdup(kernel_mode_name(paren + 1));
		n++;
	}
	*ret = v;
	*ret_n = n;
	return 0;
}

void kprofiles_free(struct kprofile *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].mode);
	}
	free(v);
}

char *kernel_profile_mode(const char *fsdir, const char *name)
{
	struct kprofile *v;
	size_t n, i;
	char *mode = NULL;

	if (kernel_profiles(fsdir, &v, &n) < 0)
		return NULL;
	for (i = 0; i < n; i++)
		if (streq(v[i].name, name))
			mode = xstrdup(v[i].mode);
	kprofiles_free(v, n);
	return mode;
}

/*
 * Does the label (a profile, or a stack "a//&b") confine with name, or
 * one of its children or hats (name//child)? A member in another policy
 * namespace (":ns:name") is another profile.
 */
static int label_has(const char *label, const char *name)
{
	size_t nlen = strlen(name);
	const char *p = label;

	for (;;) {
		const char *end = strstr(p, "//&");
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len >= nlen && !strncmp(p, name, nlen) &&
		    (len == nlen || (len > nlen + 1 && !strncmp(p + nlen, "//", 2))))
			return 1;
		if (!end)
			return 0;
		p = end + 3;
	}
}

/* the AppArmor context of pid under the proc directory: "label (mode)" */
static char *task_context(const char *proc, const char *pid)
{
	_cleanup_free_ char *lsm = xasprintf("%s/%s/attr/apparmor/current", proc, pid);
	_cleanup_free_ char *old = xasprintf("%s/%s/attr/current", proc, pid);
	char *text = NULL;
	int q = quiet_errors, r;

	quiet_errors = 1;   /* processes come and go; not ours to read: skipped */
	/* attr/current is the first LSM's: only when there is no apparmor/ */
	r = read_file(access(lsm, F_OK) == 0 ? lsm : old, 64u << 10, &text, NULL);
	quiet_errors = q;
	return r < 0 ? NULL : text;
}

int kernel_procs(const char *name, struct kproc **ret, size_t *ret_n)
{
	const char *proc = test_getenv("AAPROF_PROCFS") ? test_getenv("AAPROF_PROCFS") : "/proc";
	DIR *d = opendir(proc);
	struct dirent *de;
	struct kproc *v = NULL;
	size_t n = 0, alloc = 0;

	if (!d)
		return error_errno("cannot read '%s'", proc);
	while ((de = readdir(d)) && n < KPROCS_MAX) {
		char *end, *text, *paren;
		long pid = strtol(de->d_name, &end, 10);
		size_t len;

		if (*end || pid <= 0 || !(text = task_context(proc, de->d_name)))
			continue;
		len = strlen(text);
		if (len && text[len - 1] == '\n')
			text[--len] = '\0';
		/* "label (mode)"; a label may hold " (": the mode is the last */
		paren = strrchr(text, '(');
		if (paren && paren > text + 1 && paren[-1] == ' ' && len && text[len - 1] == ')') {
			text[len - 1] = '\0';
			paren[-1] = '\0';
			paren++;
		} else {
			paren = NULL;
		}
		if (label_has(text, name)) {
			ALLOC_GROW(v, n + 1, alloc);
			v[n].pid = pid;
			v[n].label = xstrdup(text);
			v[n].mode = xstrdup(paren ? kernel_mode_name(paren) :
					    streq(text, "unconfined") ? "unconfined" : "unknown");
			n++;
		}
		free(text);
	}
	closedir(d);
	*ret = v;
	*ret_n = n;
	return 0;
}

void kprocs_free(struct kproc *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].label);
		free(v[i].mode);
	}
	free(v);
}

static int load_file(const char *path, struct strbuf *err)
{
	struct stat st;
	int cache = stat("/var/cache/apparmor", &st) == 0 && S_ISDIR(st.st_mode);
	const char *with_cache[] = { "-r", "-W", path, NULL };
	const char *plain[] = { "-r", path, NULL };

	return parser_run_checked(cache ? with_cache : plain, NULL, 0, NULL, err);
}

/*
 * The parser refused the new profile and the previous file was to be put
 * back: say what is on disk now (a full disk can keep the rejected file
 * there), read back, never assumed. Returns the exit code.
 */
static int report_rejected(const char *name, const char *path, const char *old,
			   const char *text, const char *backup, const char *why)
{
	_cleanup_free_ char *now = NULL;
	int exists = access(path, F_OK) == 0;

	if (exists && read_file(path, 16u << 20, &now, NULL) < 0)
		now = NULL;
	if (old ? now && streq(now, old) : !exists) {
		error("apparmor_parser could not load '%s'; the previous %s kept: %s", name,
		      old ? "profile file and policy are" : "policy is", why);
		return EXIT_REJECTED;
	}
	if (now && streq(now, text))
		error("apparmor_parser could not load '%s': %s; the kernel keeps the previous "
		      "policy, but the previous file could not be put back: %s holds the "
		      "REJECTED profile%s%s%s", name, why, path,
		      old ? "; the previous version is in " : " (remove it)", old ? backup : "",
		      old ? " ('aaprof load --rollback' puts it back)" : "");
	else
		error("apparmor_parser could not load '%s': %s; the kernel keeps the previous "
		      "policy, but %s %s%s%s", name, why, path,
		      exists ? "now holds neither the previous nor the rejected profile "
			       "(changed by another program)" : "is gone",
		      old ? "; the previous version is in " : "", old ? backup : "");
	return EXIT_ERROR;
}

static int install_locked(const struct load_opts *o, const char *name, const char *text,
			  const char *path)
{
	_cleanup_free_ char *old = NULL, *fsdir = NULL, *backup = NULL, *kmode = NULL;
	const char *want = profile_mode_of(text, name);
	struct strbuf err = STRBUF_INIT;
	int rc, wrote = 0;

	if (!parser_path()) {
		error("apparmor_parser not found (install the 'apparmor' package)");
		return EXIT_NOPARSER;
	}
	if (parser_check(text, strlen(text), name, &err) < 0) {
		error("apparmor_parser rejected the profile '%s' (nothing changed): %s", name, err.buf);
		strbuf_release(&err);
		return EXIT_REJECTED;
	}
	if (access(path, F_OK) == 0 && read_file(path, 16u << 20, &old, NULL) < 0)
		return EXIT_ERROR;
	if (o->base && (!old || strcmp(old, o->base))) {
		error("'%s' was changed by another program since aaprof read it: nothing written "
		      "(run aaprof again)", path);
		return EXIT_ERROR;
	}
	if (o->dry_run) {
		if (old && streq(old, text)) {
			printf("%s is unchanged\n", path);
		} else {
			show_diff(path, old, text, "new");
		}
		printf("would run: %s -r%s %s\n", parser_path() ? parser_path() : "apparmor_parser",
		       access("/var/cache/apparmor", F_OK) == 0 ? " -W" : "", path);
		return EXIT_OK;
	}
	rc = kernel_apparmorfs(&fsdir);
	if (rc)
		return rc;
	if (geteuid() != 0 && !test_getenv("AAPROF_APPARMORFS")) {
		error("loading a profile needs root");
		return EXIT_PERM;
	}
	backup = profile_backup_path(path);
	if (!old || strcmp(old, text)) {
		if (write_file_checked(path, text, strlen(text), 0644, old ? backup : NULL, old) < 0)
			return EXIT_ERROR;
		wrote = 1;
	}
	if (load_file(path, &err) < 0) {
		/* put the previous file back; the kernel still has the previous policy */
		if (wrote && old)
			write_file_checked(path, old, strlen(old), 0644, NULL, text);
		else if (wrote && unlink(path) < 0 && errno != ENOENT)
			error_errno("cannot remove '%s'", path);
		rc = report_rejected(name, path, old, text, backup, err.buf);
		strbuf_release(&err);
		return rc;
	}
	strbuf_release(&err);
	kmode = kernel_profile_mode(fsdir, name);
	if (!kmode) {
		error("'%s' was loaded, but the kernel does not list it", name);
		return EXIT_ERROR;
	}
	if (want && strcmp(kmode, want)) {
		error("'%s' was loaded, but the kernel reports mode %s instead of %s", name, kmode, want);
		return EXIT_ERROR;
	}
	if (!o->quiet)
		note("loaded %s from %s: the kernel reports %s mode", name, path, kmode);
	/* when it was loaded, in which mode: the enforce gate's complain period */
	if (load_stamp_write(name, kmode, text) < 0)
		warning("cannot record the load of '%s' in %s: the enforce gate will not know "
			"when its complain period began", name, state_dir());
	return EXIT_OK;
}

/* the checks of a load, before its lock: 0 or an exit code after a message */
static int may_change_policy(const char *what)
{
	_cleanup_free_ char *fsdir = NULL;
	int rc;

	if (!parser_path()) {
		error("apparmor_parser not found (install the 'apparmor' package)");
		return EXIT_NOPARSER;
	}
	rc = kernel_apparmorfs(&fsdir);
	if (rc)
		return rc;
	if (geteuid() != 0 && !test_getenv("AAPROF_APPARMORFS")) {
		error("%s needs root", what);
		return EXIT_PERM;
	}
	return 0;
}

int lock_for_load(const char *path)
{
	int rc;

	/* not root: say that (exit 6), not that the lock file cannot be created */
	if (geteuid() != 0 && (rc = may_change_policy("loading a profile")))
		return rc;
	return profile_lock(path) < 0 ? EXIT_ERROR : 0;
}

int install_and_load(const struct load_opts *o, const char *name, const char *text)
{
	const char *dir = o->profile_dir ? o->profile_dir : "/etc/apparmor.d";
	_cleanup_free_ char *path = xasprintf("%s/%s", dir, name);
	int rc;

	if (o->dry_run)
		return install_locked(o, name, text, path);
	rc = lock_for_load(path);
	if (rc)
		return rc;
	rc = install_locked(o, name, text, path);
	profile_unlock(path);
	return rc;
}

int unload_profile(const struct load_opts *o, const char *name, int purge)
{
	const char *dir = o->profile_dir ? o->profile_dir : "/etc/apparmor.d";
	_cleanup_free_ char *path = xasprintf("%s/%s", dir, name);
	_cleanup_free_ char *fsdir = NULL, *kmode = NULL, *text = NULL;
	const char *args[] = { "-R", path, NULL };
	struct parser_result res;
	int rc;

	if (access(path, R_OK) < 0) {
		error_errno("cannot read the profile file '%s'", path);
		return EXIT_ERROR;
	}
	if (!parser_path()) {
		error("apparmor_parser not found (install the 'apparmor' package)");
		return EXIT_NOPARSER;
	}
	if (o->dry_run) {
		printf("would run: %s -R %s\n", parser_path(), path);
		if (purge)
			printf("would remove %s (a copy stays in %s)\n", path, state_dir());
		return EXIT_OK;
	}
	rc = kernel_apparmorfs(&fsdir);
	if (rc)
		return rc;
	if (geteuid() != 0 && !test_getenv("AAPROF_APPARMORFS")) {
		error("unloading a profile needs root");
		return EXIT_PERM;
	}
	kmode = kernel_profile_mode(fsdir, name);
	if (kmode) {
		if (parser_run(args, NULL, 0, &res) < 0)
			return EXIT_ERROR;
		if (res.status) {
			error("apparmor_parser -R '%s' failed: %s", path, res.err.buf);
			parser_result_release(&res);
			return EXIT_REJECTED;
		}
		parser_result_release(&res);
		free(kmode);
		kmode = kernel_profile_mode(fsdir, name);
		if (kmode) {
			error("'%s' is still loaded after apparmor_parser -R", name);
			return EXIT_ERROR;
		}
		load_stamp_remove(name);
		if (!o->quiet)
			note("unloaded %s", name);
	} else if (!o->quiet) {
		note("%s was not loaded", name);
	}
	if (purge) {
		_cleanup_free_ char *backup = profile_backup_path(path);

		if (profile_lock(path) < 0)
			return EXIT_ERROR;
		if (read_file(path, 16u << 20, &text, NULL) < 0 ||
		    write_file_atomic(backup, text, strlen(text), 0600, NULL) < 0 || unlink(path) < 0) {
			error_errno("cannot remove '%s'", path);
			profile_unlock(path);
			return EXIT_ERROR;
		}
		profile_unlock(path);
		if (!o->quiet)
			note("removed %s (a copy is in %s)", path, backup);
	}
	return EXIT_OK;
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
