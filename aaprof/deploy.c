/* SPDX-License-Identifier: GPL-2.0-or-later */
/* deploy.c - the profile text that load, complain and enforce install. See deploy.h. */
#include "deploy.h"
#include "backup.h"
#include "carry.h"
#include "lock.h"
#include "paths.h"
#include "profile.h"
#include "render.h"
#include "target.h"
#include "util.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int deploy_check_name(const char *name)
{
	struct strbuf out = STRBUF_INIT, why = STRBUF_INIT;
	int r = aa_emit_name(&out, name, &why);

	if (r < 0)
		error("invalid profile name '%s': %s", name, why.buf);
	strbuf_release(&out);
	strbuf_release(&why);
	return r;
}

static int set_mode(char **text, const char *name, const char *mode)
{
	struct strbuf out = STRBUF_INIT, why = STRBUF_INIT;

	if (profile_set_mode(*text, name, mode, &out, &why) < 0) {
		error("cannot set %s mode of '%s': %s", mode, name, why.buf);
		strbuf_release(&out);
		strbuf_release(&why);
		return -1;
	}
	free(*text);
	*text = strbuf_detach(&out, NULL);
	strbuf_release(&why);
	return 0;
}

static void free_names(char **v)
{
	size_t i;

	for (i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

/*
 * The profiles of profile text as apparmor_parser reads it (-N, includes
 * honoured), into *ret_names; NULL when apparmor_parser is missing (the
 * install says so). Returns 0 or an exit code after a message.
 */
static int text_profiles(const char *what, const char *text, char ***ret_names)
{
	struct strbuf err = STRBUF_INIT;

	*ret_names = NULL;
	if (!parser_path())
		return 0;
	*ret_names = parser_names(text, &err);
	if (!*ret_names) {
		error("apparmor_parser cannot read %s: %s", what, err.buf);
		strbuf_release(&err);
		return EXIT_REJECTED;
	}
	strbuf_release(&err);
	if (!(*ret_names)[0]) {
		error("%s defines no profile", what);
		free_names(steal_pointer(ret_names));
		return EXIT_ERROR;
	}
	return 0;
}

/*
 * Set mode in every profile names lists (a file's profiles, its hats and
 * children too: they do not inherit the parent's mode). Each must be one
 * whose header aaprof finds: not one an include defines.
 */
static int set_modes(const char *what, char **text, char *const *names, const char *mode)
{
	char **mine = profile_names(*text);
	size_t i, j;
	int rc = 0;

	for (i = 0; names[i] && !rc; i++) {
		int found = 0;

		for (j = 0; mine[j]; j++)
			found |= streq(mine[j], names[i]);
		if (!found) {
			error("%s defines the profile '%s' where aaprof cannot edit its flags "
			      "(an include, or a header aaprof reads otherwise): set its mode "
			      "by hand", what, names[i]);
			rc = EXIT_ERROR;
		} else if (set_mode(text, names[i], mode) < 0) {
			rc = EXIT_ERROR;
		}
	}
	free_names(mine);
	return rc;
}

static int deploy_install(struct load_opts *lo, const char *base, char **text, const char *mode,
			  const struct gate_opts *gate);

/* the backups of the file name, listed on standard output; main: the
   profile whose mode is shown (NULL: the file's first) */
static int list_backups(const char *path, const char *name, const char *main)
{
	_cleanup_free_ char *cur = NULL;

	if (read_file_quiet(path, 16u << 20, &cur) < 0)
		cur = NULL;
	if (!backup_list(path, main, cur, stdout))
		note("no previous version of '%s' is kept (in %s/backup)", name, state_dir());
	return EXIT_OK;
}

int deploy_rollback(const struct load_opts *lo, const char *arg, unsigned gen, int list)
{
	_cleanup_free_ char *path = NULL, *backup = NULL, *text = NULL, *name = NULL;
	_cleanup_free_ char *main = NULL;
	struct load_opts l = *lo;
	struct target t;
	int rc;

	/* the file of a profile, or a file name (its profiles may be unloaded, the
	   file purged): backups are kept per file */
	rc = target_resolve(lo->profile_dir, arg, TARGET_MISSING_OK, &t);
	if (rc)
		return rc;
	name = t.base ? xstrdup(t.base) : NULL;
	main = t.file && t.main ? xstrdup(t.main) : NULL;
	target_release(&t);
	if (!name && deploy_check_name(arg) < 0)
		return EXIT_USAGE;
	if (!name)
		name = xstrdup(arg);
	path = xasprintf("%s/%s", lo->profile_dir, name);
	backup = backup_path(path, gen);
	/* the backups are rotated by every write of the profile: read them under the lock */
	if (!lo->dry_run && !list && (rc = lock_for_load(path)))
		return rc;
	if (list) {
		/* a reader: the lock only when it may be taken (root) */
		int q = quiet_errors, locked;

		quiet_errors = 1;
		locked = profile_lock(path) == 0;
		quiet_errors = q;
		rc = list_backups(path, name, main);
		if (locked)
			profile_unlock(path);
		return rc;
	}
	if (gen > 1 && access(backup, R_OK) < 0) {
		error("no version %u of '%s' is kept (%s): 'aaprof load --rollback --list %s' "
		      "lists those there are", gen, name, backup, name);
		rc = EXIT_ERROR;
	} else if (access(backup, R_OK) < 0) {
		error("no previous version of '%s' to roll back to (%s); load the "
		      "docker-default profile instead: aaprof load -t docker-default %s",
		      name, backup, name);
		rc = EXIT_ERROR;
	} else if (read_file(backup, 16u << 20, &text, NULL) < 0) {
		rc = EXIT_ERROR;
	} else {
		if (!lo->quiet && !lo->dry_run)
			note("rolling %s back to version %u, saved in %s", name, gen, backup);
		/* the profiles the backup's text defines */
		rc = deploy_install(&l, name, &text, NULL, NULL);
	}
	if (!lo->dry_run)
		profile_unlock(path);
	return rc;
}

/*
 * The destination of a FILE from outside the profile directory: the file
 * there that defines its main profile, else the file apparmor-utils would
 * name after it. 0 or an exit code after a message.
 */
static int destination(const char *dir, const struct target *t, char **ret_base)
{
	_cleanup_free_ char *path = NULL;
	int rc = target_find_file(dir, t->main, ret_base);

	if (rc || *ret_base)
		return rc;
	*ret_base = target_file_name(t->main);
	if (!*ret_base) {
		error("no file name for the profile '%s' of '%s'", t->main, t->file);
		return EXIT_ERROR;
	}
	path = xasprintf("%s/%s", dir, *ret_base);
	if (access(path, F_OK) == 0) {
		error("%s exists and does not define the profile '%s' of '%s': refusing to "
		      "replace it", path, t->main, t->file);
		FREE_AND_NULL(*ret_base);
		return EXIT_ERROR;
	}
	return 0;
}

/*
 * The text to install as base (in the profile directory): the file t
 * names (read under its lock, unless a dry run: *ret_locked), or the
 * template rendered for a profile no file defines yet, or with -t.
 * 0 or an exit code.
 */
static int deploy_text(struct load_opts *lo, const struct target *t, const char *base,
		       const char *mode, const char *template_name, char **ret_locked,
		       char **ret_text, char **ret_base)
{
	_cleanup_free_ char *installed = xasprintf("%s/%s", lo->profile_dir, base);
	int rc;

	/* one writer from this read to the write */
	if (!lo->dry_run) {
		rc = lock_for_load(installed);
		if (rc)
			return rc;
		*ret_locked = xstrdup(installed);
	}
	if (access(installed, F_OK) == 0) {
		/* the text it replaces is the base the install checks */
		if (read_file(installed, 16u << 20, ret_base, NULL) < 0)
			return EXIT_ERROR;
		lo->base = *ret_base;
	}
	if (t->file && !(t->base && template_name))
		return read_file(t->file, 16u << 20, ret_text, NULL) < 0 ? EXIT_ERROR : 0;
	{
		struct render_opts ro = { .name = t->main, .template_name = template_name,
					  .mode = mode };
		struct strbuf sb = STRBUF_INIT;

		if (deploy_check_name(t->main) < 0)
			return EXIT_USAGE;
		if (render_profile(&ro, &sb, NULL) < 0)
			return EXIT_ERROR;
		*ret_text = strbuf_detach(&sb, NULL);
		if (!lo->quiet && !lo->dry_run)
			note("%s %s: rendered the %s template", t->file ? "replacing" :
			     "no profile yet in", installed,
			     template_name ? template_name : RENDER_DEFAULT_TEMPLATE);
	}
	return 0;
}

/* set mode in text (NULL: as it is), install it as base and load it */
static int deploy_install(struct load_opts *lo, const char *base, char **text, const char *mode,
			  const struct gate_opts *gate)
{
	_cleanup_free_ char *what = xasprintf("the profile file %s/%s", lo->profile_dir, base);
	char **names = NULL;
	size_t i;
	int rc = text_profiles(what, *text, &names);

	if (!rc && names && mode)
		rc = set_modes(what, text, names, mode);
	for (i = 0; !rc && gate && names && names[i]; i++) {
		struct gate_opts go = *gate;
		_cleanup_free_ char *only = NULL;

		if (strstr(names[i], "//"))
			continue;   /* a child's records are its parent's evidence */
		/* covered by its own rules, not by another profile's of the file */
		only = profile_only(*text, names[i]);
		go.name = names[i];
		go.text = only;
		rc = gate_check(&go);
	}
	if (!rc) {
		lo->profiles = (const char *const *)names;
		rc = install_and_load(lo, base, *text);
	}
	free_names(names);
	return rc;
}

int deploy_profile(const struct load_opts *o, const char *arg, const char *mode,
		   const char *template_name)
{
	struct load_opts lo = *o;
	_cleanup_free_ char *text = NULL, *base = NULL, *locked = NULL, *old = NULL;
	struct target t;
	int rc;

	rc = target_resolve(lo.profile_dir, arg, TARGET_FILE_OK | TARGET_MISSING_OK, &t);
	if (rc)
		return rc;
	if (t.base)
		base = xstrdup(t.base);
	else if (t.file)
		rc = destination(lo.profile_dir, &t, &base);
	else if (deploy_check_name(t.main) < 0)
		rc = EXIT_USAGE;
	else
		base = xstrdup(t.main);   /* a new profile: aaprof's file of that name */
	if (!rc)
		rc = deploy_text(&lo, &t, base, mode, template_name, &locked, &text, &old);
	/* the harvested rules of the installed file, not silently dropped: the
	   file's one section goes into the profile whose block held it */
	if (!rc && old) {
		_cleanup_free_ char *path = xasprintf("%s/%s", lo.profile_dir, base);
		_cleanup_free_ char *owner = profile_section_owner(old);
		_cleanup_free_ char *from = t.file && !(t.base && template_name) ?
			xasprintf("'%s'", arg) :
			xasprintf("the %s template", template_name ? template_name :
				  RENDER_DEFAULT_TEMPLATE);

		rc = carry_section(old, path, owner ? owner : t.main, from, lo.replace, lo.quiet,
				   lo.dry_run, &text);
	}
	if (!rc)
		rc = deploy_install(&lo, base, &text, mode, NULL);
	if (locked)
		profile_unlock(locked);
	target_release(&t);
	return rc;
}

int deploy_mode(const struct load_opts *o, const char *name, const char *mode,
		const struct gate_opts *gate)
{
	struct load_opts lo = *o;
	_cleanup_free_ char *path = NULL, *text = NULL, *base = NULL;
	struct target t;
	int rc;

	rc = target_resolve(lo.profile_dir, name, 0, &t);
	if (rc)
		return rc;
	if (!t.base) {
		error("'%s' is not installed in %s: aaprof load --%s %s", name, lo.profile_dir,
		      mode, name);
		target_release(&t);
		return EXIT_ERROR;
	}
	path = xasprintf("%s/%s", lo.profile_dir, t.base);
	/* one writer from this read, through the gate's scan, to the write */
	if (!lo.dry_run && (rc = lock_for_load(path))) {
		target_release(&t);
		return rc;
	}
	rc = EXIT_ERROR;
	if (read_file(path, 16u << 20, &text, NULL) == 0) {
		base = xstrdup(text);
		lo.base = base;
		rc = deploy_install(&lo, t.base, &text, mode, gate);
	}
	if (!lo.dry_run)
		profile_unlock(path);
	target_release(&t);
	return rc;
}
