/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_SECPROF_H
#define AAPROF_SECPROF_H

#include <stddef.h>

/*
 * A Docker seccomp profile (moby's JSON: defaultAction, archMap, syscalls
 * groups with names, action, args, includes/excludes of arches, caps and
 * minKernel): read, checked, asked what it allows, extended by one group,
 * written back with everything else as it was. Never with
 * SCMP_ACT_ALLOW as the default action: that is no filter at all.
 */
typedef struct secprof secprof_t;

/* Docker's default profile (templates/seccomp/docker-default.json) */
#define SECPROF_DEFAULT "docker-default.json"

/*
 * Parse text (what names it in messages): 0 and *ret, or -1 after error()
 * when it is not a Docker seccomp profile aaprof may extend.
 */
int secprof_parse(const char *text, const char *what, secprof_t **ret);
/* the file at path (read_file(), 4 MiB at most), as secprof_parse() */
int secprof_load(const char *path, secprof_t **ret);
/* Docker's default, found in the template directories (template_dir first): as secprof_load() */
int secprof_load_default(const char *template_dir, secprof_t **ret, char **ret_path);
void secprof_free(secprof_t *p);

/* what the profile does with a call */
enum secprof_verdict {
	SP_DEFAULT = 0,    /* no group applies: the default action */
	SP_ALLOWED,        /* a group without argument filters allows it */
	SP_ARGS,           /* only groups with argument filters allow it */
	SP_REFUSED,        /* a group refuses it explicitly (clone3's ENOSYS) */
};

/* the container whose calls are judged */
struct secprof_ctx {
	const char *host_arch;        /* moby's "arches" name of the host (amd64, arm64...) */
	const char *const *caps;      /* its capabilities (CAP_*), NULL-terminated;
					 NULL: Docker's default set */
	const char *kernel;           /* the kernel release ("6.1.0-...") for minKernel;
					 NULL: every minKernel holds */
};
/* Docker's default capability set, NULL-terminated */
extern const char *const secprof_docker_caps[];

enum secprof_verdict secprof_judge(const secprof_t *p, const char *name,
				   const struct secprof_ctx *c);

/* the trial profile: defaultAction SCMP_ACT_LOG (every call the groups do not
   allow runs and is logged), defaultErrnoRet removed */
void secprof_set_trial(secprof_t *p);
/* the flags alternative: SECCOMP_FILTER_FLAG_LOG added to "flags" */
void secprof_add_log_flag(secprof_t *p);
/* set (or replace) the top-level "comment" */
void secprof_set_comment(secprof_t *p, const char *comment);
/*
 * Append a group allowing names (n of them) on host_arch (NULL: every
 * architecture) with comment.
 */
void secprof_add_group(secprof_t *p, const char *const *names, size_t n, const char *host_arch,
		       const char *comment);
/* the profile as JSON text (tab-indented, with a final newline), malloc'd;
   NULL after error() when its default action would be SCMP_ACT_ALLOW */
char *secprof_text(const secprof_t *p);
/* its defaultAction */
const char *secprof_default_action(const secprof_t *p);

#endif
