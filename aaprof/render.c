/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * render.c - template + variables -> profile text.
 *
 * The options become template variables: name, mode, attach, includes,
 * plus aaprof_version, template and the abi_* variables (the abi files
 * the host has); --set adds the template's own.
 */
#include "render.h"
#include "cli.h"
#include "paths.h"
#include "profile.h"
#include "template.h"
#include "version.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

static const char *const reserved[] = {
	"name", "mode", "attach", "includes", "aaprof_version", "template",
	"abi_3_0", "abi_4_0", "abi_5_0",
};

/*
 * The abi files a template may name: abi_3_0 is "abi/3.0" when DIR/abi/3.0
 * exists (DIR: --profile-dir, default /etc/apparmor.d, where
 * apparmor_parser looks up "abi <abi/3.0>,"), else empty, so that a
 * profile never names an abi file the host lacks (moby does the same).
 */
static const char *const abis[][2] = {
	{ "abi_3_0", "abi/3.0" }, { "abi_4_0", "abi/4.0" }, { "abi_5_0", "abi/5.0" },
};

static void set_abi_vars(tmpl_vars_t *vars, const char *dir)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(abis); i++) {
		_cleanup_free_ char *path = xasprintf("%s/%s", dir, abis[i][1]);
		struct stat st;
		int have = stat(path, &st) == 0 && S_ISREG(st.st_mode);

		tmpl_vars_set(vars, abis[i][0], have ? abis[i][1] : "");
	}
}

int render_reserved_var(const char *key)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(reserved); i++)
		if (streq(key, reserved[i]))
			return 1;
	return 0;
}

static int apply_set(tmpl_vars_t *vars, const char *set)
{
	const char *eq = strchr(set, '=');
	_cleanup_free_ char *key = NULL;
	int append;

	if (!eq || eq == set)
		return error("--set '%s': expected KEY=VALUE or KEY+=VALUE", set);
	append = eq[-1] == '+';
	key = xstrndup(set, eq - set - append);
	if (!tmpl_valid_name(key))
		return error("--set '%s': '%s' is not a valid variable name "
			     "(letters, digits, _)", set, key);
	if (render_reserved_var(key))
		return error("--set '%s': '%s' is set by its own option "
			     "(the NAME argument, --mode, --attach, --include; "
			     "abi_*: the abi files in --profile-dir)", set, key);
	if (append)
		tmpl_vars_append(vars, key, eq + 1);
	else
		tmpl_vars_set(vars, key, eq + 1);
	return 0;
}

/*
 * A --set of a variable the template never uses is a typo (--set
 * deamon_profile=...) that would otherwise be ignored: name the template's
 * variables. Silent when they cannot be collected (the render said why).
 */
static int check_sets(const struct render_opts *o, const char *tname, const char *const *dirs)
{
	char **names;
	int saved = quiet_errors, errors = 0;
	size_t i, j, n = 0;

	if (!o->nsets)
		return 0;
	quiet_errors = 1;
	names = tmpl_file_vars(tname, dirs);
	quiet_errors = saved;
	if (!names)
		return 0;
	while (names[n])
		n++;
	for (i = 0; i < o->nsets; i++) {
		const char *eq = strchr(o->sets[i], '=');
		const char *settable[64];
		size_t ns = 0, len;
		_cleanup_free_ char *key = NULL;
		struct strbuf list = STRBUF_INIT;
		const char *near;

		if (!eq || eq == o->sets[i])
			continue;
		len = eq - o->sets[i] - (eq[-1] == '+');
		key = xstrndup(o->sets[i], len);
		for (j = 0; j < n && !streq(names[j], key); j++)
			;
		if (j < n)
			continue;
		for (j = 0; j < n; j++) {
			if (render_reserved_var(names[j]))
				continue;
			if (ns < ARRAY_SIZE(settable))
				settable[ns++] = names[j];
			strbuf_addf(&list, "%s%s", list.len ? ", " : "", names[j]);
		}
		near = cli_nearest(key, settable, ns);
		error("--set '%s': the template '%s' uses no variable '%s'%s%s%s; %s%s", o->sets[i],
		      tname, key, near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "",
		      list.len ? "its variables: " : "it has no variable to set",
		      list.buf);
		strbuf_release(&list);
		errors++;
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return errors ? -1 : 0;
}

int render_profile(const struct render_opts *o, struct strbuf *out, char **ret_template)
{
	const char *tname = o->template_name ? o->template_name : RENDER_DEFAULT_TEMPLATE;
	tmpl_vars_t *vars = tmpl_vars_new();
	struct strbuf why = STRBUF_INIT, scratch = STRBUF_INIT;
	char **dirs = NULL;
	int errors = 0, usage = 0;
	size_t i;

	if (aa_emit_name(&scratch, o->name, &why) < 0) {
		error("invalid profile name '%s': %s", o->name, why.buf);
		errors++;
	}
	if (o->mode && !streq(o->mode, "complain") && !streq(o->mode, "enforce")) {
		error("--mode '%s': expected complain or enforce", o->mode);
		errors++;
	}
	strbuf_reset(&why);
	if (o->attach && aa_emit_glob(&scratch, o->attach, &why) < 0) {
		error("--attach '%s': %s", o->attach, why.buf);
		errors++;
	}
	for (i = 0; i < o->nincludes; i++) {
		strbuf_reset(&why);
		if (aa_emit_include(&scratch, o->includes[i], &why) < 0) {
			error("--include '%s': %s", o->includes[i], why.buf);
			errors++;
		}
	}
	for (i = 0; i < o->nsets; i++)
		if (apply_set(vars, o->sets[i]) < 0)
			errors++;
	if (errors) {
		usage = 1;
		goto out;
	}

	tmpl_vars_set(vars, "name", o->name);
	if (o->mode)
		tmpl_vars_set(vars, "mode", o->mode);
	tmpl_vars_set(vars, "attach", o->attach ? o->attach : "");
	tmpl_vars_ensure_list(vars, "includes");
	for (i = 0; i < o->nincludes; i++)
		tmpl_vars_append(vars, "includes", o->includes[i]);
	tmpl_vars_set(vars, "aaprof_version", AAPROF_VERSION);
	set_abi_vars(vars, o->profile_dir ? o->profile_dir : "/etc/apparmor.d");
	{
		const char *base = strrchr(tname, '/') ? strrchr(tname, '/') + 1 : tname;
		size_t len = strlen(base);

		if (ends_with(base, ".tmpl"))
			len -= 5;
		_cleanup_free_ char *short_name = xstrndup(base, len);
		tmpl_vars_set(vars, "template", short_name);
	}

	dirs = data_search_path("templates", o->template_dir);
	if (tmpl_render_file(tname, (const char *const *)dirs, vars, out, ret_template) < 0)
		errors++;
	if (check_sets(o, tname, (const char *const *)dirs) < 0)
		usage = 1;
out:
	paths_free(dirs);
	tmpl_vars_free(vars);
	strbuf_release(&why);
	strbuf_release(&scratch);
	return usage ? -EINVAL : errors ? -1 : 0;
}
