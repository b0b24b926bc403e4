/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * load.c - install and load: a profile written atomically under its lock
 * and loaded with apparmor_parser -r, the previous file put back when the
 * parser rejects it; unload.
 */
#include "load.h"
#include "abi.h"
#include "backup.h"
#include "stamp.h"
#include "lock.h"
#include "paths.h"
#include "profile.h"
#include "testhooks.h"
#include "util.h"
#include "utilsstate.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int load_file(const char *path, struct strbuf *err)
{
	const char *cache = parser_cache_option();
	const char *with_cache[] = { "-r", cache, path, NULL };
	const char *plain[] = { "-r", path, NULL };

	return parser_run_checked(cache ? with_cache : plain, NULL, 0, NULL, err);
}

/*
 * apparmor-utils' links as the load wants them (load.h), changed quietly:
 * *ret_dis, *ret_fc 1 when that link changed. 0, or -1 after error() with
 * nothing changed.
 */
static int links_apply(const struct load_opts *o, const char *path, int *ret_dis, int *ret_fc)
{
	*ret_dis = utils_link_set(path, UTILS_DISABLE, 0, 1, 0);
	*ret_fc = 0;
	if (*ret_dis < 0)
		return -1;
	if (o->force_complain)
		*ret_fc = utils_link_set(path, UTILS_FORCE_COMPLAIN, o->force_complain > 0, 1, 0);
	if (*ret_fc < 0) {
		if (*ret_dis)
			utils_link_set(path, UTILS_DISABLE, 1, 1, 0);
		return -1;
	}
	return 0;
}

/* put back what links_apply() changed (the load failed) */
static void links_undo(const struct load_opts *o, const char *path, int dis, int fc)
{
	if (dis)
		utils_link_set(path, UTILS_DISABLE, 1, 1, 0);
	if (fc)
		utils_link_set(path, UTILS_FORCE_COMPLAIN, o->force_complain < 0, 1, 0);
}

/* say what links_apply() changed, now that the load stands */
static void links_say(const struct load_opts *o, const char *path, const char *name, int dis,
		      int fc)
{
	_cleanup_free_ char *dl = utils_link_path(path, UTILS_DISABLE);
	_cleanup_free_ char *fl = utils_link_path(path, UTILS_FORCE_COMPLAIN);

	if (o->quiet)
		return;
	if (dis)
		note("removed %s (aa-disable's mark): %s is loaded again at boot", dl, name);
	if (fc && o->force_complain > 0)
		note("created %s (as aa-complain does): apparmor_parser loads %s in complain mode "
		     "whatever its flags say, until 'aaprof enforce %s'", fl, name, name);
	else if (fc)
		note("removed %s (aa-complain's mark, which kept %s in complain mode)", fl, name);
}

/* a dry run's account of the links the load would change */
static void links_dry_run(const struct load_opts *o, const char *path)
{
	utils_link_set(path, UTILS_DISABLE, 0, 1, 1);
	if (o->force_complain)
		utils_link_set(path, UTILS_FORCE_COMPLAIN, o->force_complain > 0, 1, 1);
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
 * flags ask for (complain for all of them while the file's force-complain/
 * link exists: apparmor_parser forces the whole file); the load of each
 * top-level profile is stamped.
 */
static int check_loaded(const struct load_opts *o, const char *name, const char *text,
			const char *path, const char *fsdir)
{
	const char *one[2];
	const char *const *pv = file_profiles(o, name, one);
	_cleanup_free_ char *fclink = utils_link_path(path, UTILS_FORCE_COMPLAIN);
	struct strbuf names = STRBUF_INIT, modes = STRBUF_INIT, held = STRBUF_INIT;
	size_t n = 0, nheld = 0;
	_cleanup_free_ const char **hv = NULL;
	_cleanup_free_ char *mode1 = NULL;
	int rc = EXIT_OK, same = 1, forced = utils_link_exists(path, UTILS_FORCE_COMPLAIN);
	size_t i;

	while (pv[n])
		n++;
	hv = xcalloc(n + 1, sizeof(*hv));
	for (i = 0; pv[i]; i++) {
		_cleanup_free_ char *kmode = kernel_profile_mode(fsdir, pv[i]);
		const char *want = profile_mode_of(text, pv[i]);

		/* apparmor_parser loads the file in complain mode while a
		   force-complain/ link names it (aa-complain's mark) */
		if (forced && want && streq(want, "enforce")) {
			hv[nheld++] = pv[i];
			want = "complain";
		}
		if (!kmode) {
			error("'%s' was loaded from %s, but the kernel does not list it", pv[i], path);
			rc = EXIT_ERROR;
			continue;
		}
		if (want && strcmp(kmode, want)) {
			if (forced)
				error("'%s' was loaded from %s, but the kernel reports mode %s instead "
				      "of %s (%s exists: aa-complain's mark)", pv[i], path, kmode, want,
				      fclink);
			else
				error("'%s' was loaded from %s, but the kernel reports mode %s instead "
				      "of %s", pv[i], path, kmode, want);
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
	if (nheld && !o->quiet) {
		list_names(hv, &held);
		note("%s is aa-complain's mark: %s %s in complain mode although its file "
		     "says enforce ('aaprof enforce %s' removes the link)", fclink, held.buf,
		     nheld == 1 ? "stays" : "stay", name);
	}
	strbuf_release(&held);
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
	int rc, wrote = 0, pushed = 0, dis, fc;

	if (!parser_path()) {
		error("apparmor_parser not found (install the 'apparmor' package)");
		return EXIT_NOPARSER;
	}
	if (parser_check(text, strlen(text), name, &err) < 0) {
		error("apparmor_parser rejected the profile '%s' (nothing changed): %s", name, err.buf);
		strbuf_release(&err);
		return EXIT_REJECTED;
	}
	if (abi_unix_by_network(text, o->profile_dir, &err))
		warning("the profile '%s': %s", name, err.buf);
	strbuf_release(&err);
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
		links_dry_run(o, path);
		printf("would run: %s -r%s%s %s\n", parser_path() ? parser_path() : "apparmor_parser",
		       parser_cache_option() ? " " : "",
		       parser_cache_option() ? parser_cache_option() : "", path);
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
	if (links_apply(o, path, &dis, &fc) < 0)
		return EXIT_ERROR;
	if (!old || strcmp(old, text)) {
		pushed = old ? backup_push(path, old) : 0;
		if (pushed < 0 ||
		    write_file_checked(path, text, strlen(text), 0644, NULL, old) < 0) {
			if (pushed > 0)
				backup_pop(path);
			links_undo(o, path, dis, fc);
			return EXIT_ERROR;
		}
		wrote = 1;
	}
	if (load_file(path, &err) < 0) {
		/* put the previous file back; the kernel still has the previous policy */
		links_undo(o, path, dis, fc);
		if (wrote && old) {
			if (write_file_checked(path, old, strlen(old), 0644, NULL, text) == 0 &&
			    pushed > 0)
				backup_pop(path);
		} else if (wrote && unlink(path) < 0 && errno != ENOENT) {
			error_errno("cannot remove '%s'", path);
		}
		rc = report_rejected(name, path, old, text, backup, err.buf);
		strbuf_release(&err);
		return rc;
	}
	strbuf_release(&err);
	links_say(o, path, name, dis, fc);
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
		if (purge) {
			printf("would remove %s (a copy stays in %s)\n", path, state_dir());
			utils_link_set(path, UTILS_DISABLE, 0, 1, 1);
			utils_link_set(path, UTILS_FORCE_COMPLAIN, 0, 1, 1);
		} else {
			utils_link_set(path, UTILS_DISABLE, 1, 1, 1);
		}
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
	if (profile_lock(path) < 0)
		return EXIT_ERROR;
	if (!purge) {
		/* else the next apparmor_parser -r of the directory (boot,
		   systemctl reload apparmor) loads it again */
		if (utils_link_set(path, UTILS_DISABLE, 1, o->quiet, 0) < 0) {
			error("'%s' is unloaded, but apparmor_parser will load it again at boot", name);
			rc = EXIT_ERROR;
		}
	} else {
		_cleanup_free_ char *backup = profile_backup_path(path);

		if (read_file(path, 16u << 20, &text, NULL) < 0 || backup_push(path, text) < 0 ||
		    unlink(path) < 0) {
			error_errno("cannot remove '%s'", path);
			profile_unlock(path);
			return EXIT_ERROR;
		}
		if (!o->quiet)
			note("removed %s (a copy is in %s)", path, backup);
		/* links to a file that is gone */
		if (utils_link_set(path, UTILS_DISABLE, 0, o->quiet, 0) < 0 ||
		    utils_link_set(path, UTILS_FORCE_COMPLAIN, 0, o->quiet, 0) < 0)
			rc = EXIT_ERROR;
	}
	profile_unlock(path);
	return rc;
}
