/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * load.c - install and load: a profile written atomically under its lock
 * and loaded with apparmor_parser -r, the previous file put back when the
 * parser rejects it; unload.
 */
#include "load.h"
#include "stamp.h"
#include "lock.h"
#include "paths.h"
#include "profile.h"
#include "testhooks.h"
#include "util.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* the profiles of the file NAME (o->profiles, or NAME alone) */
static const char *const *file_profiles(const struct load_opts *o, const char *name,
					const char *one[2])
{
	one[0] = name;
	one[1] = NULL;
	return o->profiles ? o->profiles : one;
}

/* "'a', 'b' and 'c'" */
static void list_names(const char *const *v, struct strbuf *out)
{
	size_t i, n = 0;

	while (v[n])
		n++;
	for (i = 0; i < n; i++)
		strbuf_addf(out, "%s%s", !i ? "" : i + 1 == n ? " and " : ", ", v[i]);
}

/*
 * After a load: the kernel lists each profile of the file, in the mode its
 * flags ask for; the load of each top-level profile is stamped.
 */
static int check_loaded(const struct load_opts *o, const char *name, const char *text,
			const char *path, const char *fsdir)
{
	const char *one[2];
	const char *const *pv = file_profiles(o, name, one);
	struct strbuf names = STRBUF_INIT, modes = STRBUF_INIT;
	_cleanup_free_ char *mode1 = NULL;
	int rc = EXIT_OK, same = 1;
	size_t i;

	for (i = 0; pv[i]; i++) {
		_cleanup_free_ char *kmode = kernel_profile_mode(fsdir, pv[i]);
		const char *want = profile_mode_of(text, pv[i]);

		if (!kmode) {
			error("'%s' was loaded from %s, but the kernel does not list it", pv[i], path);
			rc = EXIT_ERROR;
			continue;
		}
		if (want && strcmp(kmode, want)) {
			error("'%s' was loaded from %s, but the kernel reports mode %s instead of %s",
			      pv[i], path, kmode, want);
			rc = EXIT_ERROR;
			continue;
		}
		if (!mode1)
			mode1 = xstrdup(kmode);
		same &= streq(mode1, kmode);
		strbuf_addf(&modes, "%s%s %s", modes.len ? ", " : "", pv[i], kmode);
		/* when it was loaded, in which mode: the enforce gate's complain period */
		if (!strstr(pv[i], "//") && load_stamp_write(pv[i], kmode, text) < 0)
			warning("cannot record the load of '%s' in %s: the enforce gate will not "
				"know when its complain period began", pv[i], state_dir());
	}
	if (rc == EXIT_OK && !o->quiet) {
		list_names(pv, &names);
		if (same)
			note("loaded %s from %s: the kernel reports %s mode", names.buf, path, mode1);
		else
			note("loaded %s from %s: the kernel reports %s", names.buf, path, modes.buf);
	}
	strbuf_release(&names);
	strbuf_release(&modes);
	return rc;
}

static int install_locked(const struct load_opts *o, const char *name, const char *text,
			  const char *path)
{
	_cleanup_free_ char *old = NULL, *fsdir = NULL, *backup = NULL;
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
	return check_loaded(o, name, text, path, fsdir);
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

/* the profiles of pv the kernel lists, into out: how many */
static size_t loaded_of(const char *fsdir, const char *const *pv, struct strbuf *out)
{
	size_t i, n = 0;

	for (i = 0; pv[i]; i++) {
		_cleanup_free_ char *kmode = kernel_profile_mode(fsdir, pv[i]);

		if (kmode) {
			strbuf_addf(out, "%s%s", n++ ? ", " : "", pv[i]);
		}
	}
	return n;
}

/* apparmor_parser -R of the file path: every profile it defines goes */
static int unload_file(const struct load_opts *o, const char *name, const char *path,
		       const char *fsdir)
{
	const char *one[2];
	const char *const *pv = file_profiles(o, name, one);
	const char *args[] = { "-R", path, NULL };
	struct strbuf before = STRBUF_INIT, after = STRBUF_INIT;
	struct parser_result res;
	int rc = EXIT_OK;
	size_t i;

	if (!loaded_of(fsdir, pv, &before)) {
		if (!o->quiet) {
			list_names(pv, &before);
			note("%s %s not loaded (%s)", before.buf, pv[1] ? "were" : "was", path);
		}
		strbuf_release(&before);
		return EXIT_OK;
	}
	if (parser_run(args, NULL, 0, &res) < 0) {
		rc = EXIT_ERROR;
	} else if (res.status) {
		error("apparmor_parser -R '%s' failed: %s", path, res.err.buf);
		rc = EXIT_REJECTED;
	} else if (loaded_of(fsdir, pv, &after)) {
		error("still loaded after apparmor_parser -R %s: %s", path, after.buf);
		rc = EXIT_ERROR;
	} else {
		for (i = 0; pv[i]; i++)
			if (!strstr(pv[i], "//"))
				load_stamp_remove(pv[i]);
		if (!o->quiet)
			note("unloaded %s (%s)", before.buf, path);
	}
	parser_result_release(&res);   /* parser_run() initialises it first */
	strbuf_release(&before);
	strbuf_release(&after);
	return rc;
}

int unload_profile(const struct load_opts *o, const char *name, int purge)
{
	const char *dir = o->profile_dir ? o->profile_dir : "/etc/apparmor.d";
	_cleanup_free_ char *path = xasprintf("%s/%s", dir, name);
	_cleanup_free_ char *fsdir = NULL, *text = NULL;
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
	rc = unload_file(o, name, path, fsdir);
	if (rc)
		return rc;
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
