/* SPDX-License-Identifier: GPL-2.0-or-later */
/* deploy.c - the profile text that load, complain and enforce install. See deploy.h. */
#include "deploy.h"
#include "backup.h"
#include "carry.h"
#include "lock.h"
#include "paths.h"
#include "profile.h"
#include "render.h"
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
		error("cannot set %s mode: %s", mode, why.buf);
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
 * The profile a FILE defines, as apparmor_parser reads it (-N, includes
 * honoured): exactly one at the top level, and the one whose header aaprof
 * finds and edits. Returns 0 or an exit code after a message.
 */
static int file_profile_name(const char *file, const char *text, char **ret_name)
{
	struct strbuf err = STRBUF_INIT, list = STRBUF_INIT;
	_cleanup_free_ char *mine = NULL;
	char **names;
	const char *top = NULL;
	size_t i, ntop = 0;
	int rc = EXIT_ERROR;

	if (profile_main(text, &mine, NULL, NULL) < 0)
		mine = NULL;
	if (!parser_path()) {
		/* install_and_load says what is missing */
		*ret_name = mine ? steal_pointer(&mine) : xstrdup("unknown");
		return 0;
	}
	names = parser_names(text, &err);
	if (!names) {
		error("apparmor_parser cannot read '%s': %s", file, err.buf);
		strbuf_release(&err);
		return EXIT_REJECTED;
	}
	for (i = 0; names[i]; i++) {
		if (strstr(names[i], "//"))
			continue;
		strbuf_addf(&list, "%s'%s'", ntop ? ", " : "", names[i]);
		if (!ntop++)
			top = names[i];
	}
	if (!ntop)
		error("'%s' holds no profile", file);
	else if (ntop > 1)
		error("'%s' defines %zu profiles (%s): aaprof installs a file of one profile "
		      "under its name", file, ntop, list.buf);
	else if (!mine || strcmp(mine, top))
		error("apparmor_parser reads the profile in '%s' as '%s', aaprof as '%s': "
		      "refusing to install or edit it", file, top, mine ? mine : "none");
	else {
		*ret_name = xstrdup(top);
		rc = 0;
	}
	free_names(names);
	strbuf_release(&list);
	strbuf_release(&err);
	return rc;
}

/*
 * The installed file of NAME must define NAME where aaprof finds its header
 * (apparmor_parser -N lists it, and aaprof's reader finds the same header)
 * before its flags are edited.
 */
static int check_profile_name(const char *path, const char *text, const char *name)
{
	struct strbuf err = STRBUF_INIT;
	char **names, **mine;
	int in_parser = 0, in_mine = 0;
	size_t i;

	if (!parser_path())
		return 0;   /* install_and_load says what is missing */
	names = parser_names(text, &err);
	if (!names) {
		error("apparmor_parser cannot read '%s': %s", path, err.buf);
		strbuf_release(&err);
		return EXIT_REJECTED;
	}
	strbuf_release(&err);
	mine = profile_names(text);
	for (i = 0; names[i]; i++)
		in_parser |= streq(names[i], name);
	for (i = 0; mine[i]; i++)
		in_mine |= streq(mine[i], name);
	free_names(names);
	free_names(mine);
	if (!in_parser || !in_mine) {
		error("'%s' does not define the profile '%s' (as %s reads it)", path, name,
		      !in_parser ? "apparmor_parser" : "aaprof");
		return EXIT_ERROR;
	}
	return 0;
}

/* the backups of name, listed on standard output */
static int list_backups(const char *path, const char *name)
{
	_cleanup_free_ char *cur = NULL;

	if (read_file_quiet(path, 16u << 20, &cur) < 0)
		cur = NULL;
	if (!backup_list(path, name, cur, stdout))
		note("no previous version of '%s' is kept (in %s/backup)", name, state_dir());
	return EXIT_OK;
}

int deploy_rollback(const struct load_opts *lo, const char *name, unsigned gen, int list)
{
	_cleanup_free_ char *path = NULL, *backup = NULL, *text = NULL;
	int rc;

	if (deploy_check_name(name) < 0)
		return EXIT_USAGE;
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
		rc = list_backups(path, name);
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
		rc = install_and_load(lo, name, text);
	}
	if (!lo->dry_run)
		profile_unlock(path);
	return rc;
}

/*
 * NAME's installed profile (its text also the base the install checks),
 * or the template rendered; locked (*ret_installed: the file) unless a dry
 * run. 0 or an exit code.
 */
static int installed_text(struct load_opts *lo, const char *name, const char *mode,
			  const char *template_name, char **ret_installed, char **ret_text,
			  char **ret_base)
{
	char *installed = xasprintf("%s/%s", lo->profile_dir, name);
	int rc;

	*ret_installed = installed;
	/* one writer from this read to the write */
	if (!lo->dry_run && (rc = lock_for_load(installed)))
		return rc;
	if (access(installed, F_OK) == 0) {
		if (read_file(installed, 16u << 20, ret_base, NULL) < 0)
			return EXIT_ERROR;
		lo->base = *ret_base;
	}
	if (*ret_base && !template_name) {
		*ret_text = xstrdup(*ret_base);
	} else {
		struct render_opts ro = { .name = name, .template_name = template_name,
					  .mode = mode };
		struct strbuf sb = STRBUF_INIT;

		if (render_profile(&ro, &sb, NULL) < 0)
			return EXIT_ERROR;
		*ret_text = strbuf_detach(&sb, NULL);
		if (!lo->quiet && !lo->dry_run && !*ret_base)
			note("no profile %s yet: rendered the %s template", installed,
			     template_name ? template_name : RENDER_DEFAULT_TEMPLATE);
	}
	return 0;
}

/* the installed file of name (FILE's profile), locked, and what it holds
   (*ret_base, NULL: no such file) */
static int installed_base(struct load_opts *lo, const char *name, char **ret_installed,
			  char **ret_base)
{
	char *installed = xasprintf("%s/%s", lo->profile_dir, name);
	int rc;

	if (!lo->dry_run && (rc = lock_for_load(installed))) {
		free(installed);
		return rc;
	}
	*ret_installed = installed;
	if (access(installed, F_OK) == 0) {
		if (read_file(installed, 16u << 20, ret_base, NULL) < 0)
			return EXIT_ERROR;
		lo->base = *ret_base;
	}
	return 0;
}

int deploy_profile(const struct load_opts *o, const char *arg, const char *mode,
		   const char *template_name)
{
	struct load_opts lo = *o;
	_cleanup_free_ char *text = NULL, *name = NULL, *installed = NULL, *base = NULL;
	_cleanup_free_ char *from = NULL;
	struct stat st;
	int rc;

	if (strchr(arg, '/') || (stat(arg, &st) == 0 && S_ISREG(st.st_mode))) {
		if (read_file(arg, 16u << 20, &text, NULL) < 0)
			return EXIT_ERROR;
		rc = file_profile_name(arg, text, &name);
		if (rc)
			return rc;
		from = xasprintf("'%s'", arg);
		if (deploy_check_name(name) == 0) {
			rc = installed_base(&lo, name, &installed, &base);
			if (rc)
				goto out;
		}
	} else {
		if (deploy_check_name(arg) < 0)
			return EXIT_USAGE;
		name = xstrdup(arg);
		rc = installed_text(&lo, name, mode, template_name, &installed, &text, &base);
		if (rc)
			goto out;
		from = xasprintf("the %s template", template_name ? template_name :
						   RENDER_DEFAULT_TEMPLATE);
	}
	/* the harvested rules of the installed file, not silently dropped */
	if (base && (rc = carry_section(base, installed, name, from, lo.replace, lo.quiet,
					lo.dry_run, &text)))
		goto out;
	rc = EXIT_ERROR;
	if (deploy_check_name(name) == 0 && (!mode || set_mode(&text, name, mode) == 0))
		rc = install_and_load(&lo, name, text);
out:
	if (installed && !lo.dry_run)
		profile_unlock(installed);
	return rc;
}

int deploy_mode(const struct load_opts *o, const char *name, const char *mode,
		const struct gate_opts *gate)
{
	struct load_opts lo = *o;
	_cleanup_free_ char *path = xasprintf("%s/%s", lo.profile_dir, name);
	_cleanup_free_ char *text = NULL, *base = NULL;
	int rc;

	/* one writer from this read, through the gate's scan, to the write */
	if (!lo.dry_run && (rc = lock_for_load(path)))
		return rc;
	rc = EXIT_ERROR;
	if (read_file(path, 16u << 20, &text, NULL) < 0) {
		error("'%s' is not installed: aaprof load --%s %s", name, mode, name);
		goto out;
	}
	rc = check_profile_name(path, text, name);
	if (rc)
		goto out;
	rc = EXIT_ERROR;
	base = xstrdup(text);
	lo.base = base;
	if (set_mode(&text, name, mode) < 0)
		goto out;
	if (gate) {
		struct gate_opts go = *gate;

		go.name = name;
		go.text = text;
		rc = gate_check(&go);
		if (rc)
			goto out;
	}
	rc = install_and_load(&lo, name, text);
out:
	if (!lo.dry_run)
		profile_unlock(path);
	return rc;
}
