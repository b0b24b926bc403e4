/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_RENDER_H
#define AAPROF_RENDER_H

#include "strbuf.h"

#define RENDER_DEFAULT_TEMPLATE "learning"

struct render_opts {
	const char *name;          /* the profile name (required) */
	const char *template_name; /* name or path; NULL: RENDER_DEFAULT_TEMPLATE */
	const char *template_dir;  /* searched first; may be NULL */
	const char *profile_dir;   /* its abi/ files set abi_3_0 etc.; NULL: /etc/apparmor.d */
	const char *mode;          /* "complain", "enforce", or NULL: the template's */
	const char *attach;        /* attachment path pattern, or NULL */
	const char *const *includes;  /* extra abstractions */
	size_t nincludes;
	const char *const *sets;   /* "KEY=VALUE" or "KEY+=VALUE" */
	size_t nsets;
};

/*
 * Render a profile from a template. Returns 0, or after printing every
 * problem -EINVAL when an option's value is wrong (the name, --mode,
 * --attach, --include, a --set that is malformed or names a variable the
 * template does not use) and -1 for any other error (the template's).
 * ret_template (optional) receives the path of the template used.
 */
int render_profile(const struct render_opts *o, struct strbuf *out, char **ret_template);

/* variables the options set; --set cannot override them */
int render_reserved_var(const char *key);

#endif
