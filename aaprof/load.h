/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_LOAD_H
#define AAPROF_LOAD_H

#include "strbuf.h"

/*
 * apparmor_parser, the compiler and loader of record, driven with execve
 * and an argument vector (never a shell): /usr/sbin/apparmor_parser or
 * /sbin/apparmor_parser, else (not as root) the first in PATH. In the test
 * build $APPARMOR_PARSER names another binary (testhooks.h).
 */
struct parser_result {
	int status;          /* exit status; 127 if it could not be run */
	struct strbuf out;   /* its standard output */
	struct strbuf err;   /* its standard error, "Cache read/write disabled" notes removed */
};

void parser_result_release(struct parser_result *r);
/* the path of apparmor_parser, or NULL when it is not installed */
const char *parser_path(void);
/*
 * Run apparmor_parser with args (NULL-terminated, without argv[0]), feeding
 * input (may be NULL) on its standard input. Returns 0 when it ran (see
 * res->status), -1 when it could not be started.
 */
int parser_run(const char *const *args, const char *input, size_t inlen,
	       struct parser_result *res);
/* compile profile text with -QK; 0 if accepted, else -1 with the parser's message in err */
int parser_check(const char *text, size_t len, const char *name, struct strbuf *err);
/*
 * The profiles apparmor_parser finds in profile text (-N, includes
 * honoured), children as parent//child: a NULL-terminated array (free each
 * and the array), or NULL with the parser's message in err.
 */
char **parser_names(const char *text, struct strbuf *err);
/* the profile file with its includes expanded (apparmor_parser -p) */
int parser_preprocess(const char *path, struct strbuf *out);
/* which newer rule kinds the installed parser accepts (enum harvest_feature bits) */
unsigned parser_features(void);

#endif

/*
 * AppArmor in the kernel. The apparmor filesystem is found with
 * libapparmor (aa_is_enabled, aa_find_mountpoint); in the test build
 * $AAPROF_APPARMORFS names a directory to use instead (tests without an
 * AppArmor kernel).
 * Returns 0 and the directory, or an exit code (EXIT_NOAPPARMOR) after a
 * message saying what is missing.
 */
int kernel_apparmorfs(char **ret_dir);

/*
 * A mode as aaprof names it, from the kernel's: "enforce", "complain",
 * "kill", "unconfined", "prompt" (the kernel's "user": decisions go to a
 * userspace prompt), "mixed" (a process confined by a stack of profiles
 * in different modes); "unknown" for anything else. Only "enforce"
 * enforces every rule.
 */
const char *kernel_mode_name(const char *mode);

struct kprofile {
	char *name;
	char *mode;   /* kernel_mode_name() */
};
/* the loaded profiles (from DIR/profiles); free with kprofiles_free */
int kernel_profiles(const char *fsdir, struct kprofile **ret, size_t *ret_n);
void kprofiles_free(struct kprofile *v, size_t n);
/* the mode the kernel reports for name (kernel_mode_name()), or NULL if it is not loaded */
char *kernel_profile_mode(const char *fsdir, const char *name);

#define KPROCS_MAX 4096
struct kproc {
	long pid;
	char *label;   /* its confinement: a profile, or a stack "a//&b" */
	char *mode;    /* kernel_mode_name(): "mixed" for a stack in different modes */
};
/*
 * The processes (at most KPROCS_MAX) confined by name, its children or
 * hats (name//child), alone or in a stack, from /proc/PID/attr/apparmor/current
 * (attr/current on kernels without it); in the test build $AAPROF_PROCFS
 * names another proc directory. Free with kprocs_free.
 */
int kernel_procs(const char *name, struct kproc **ret, size_t *ret_n);
void kprocs_free(struct kproc *v, size_t n);

struct load_opts {
	const char *profile_dir;   /* default /etc/apparmor.d */
	int dry_run;
	int quiet;
	/* the installed file's text that text was made from (NULL: none): if
	   the file no longer holds it, nothing is written */
	const char *base;
};
/*
 * Install text as profile_dir/NAME (atomically, keeping a backup), load it
 * with apparmor_parser -r, check the kernel's mode; under the profile's
 * lock (lock.h), which callers that read the file first take before.
 * When the parser rejects it, the previous file is restored and the
 * previous policy stays loaded. Returns an exit code.
 */
int install_and_load(const struct load_opts *o, const char *name, const char *text);
/*
 * profile_lock() for a load (lock.h); not as root, first the checks a load
 * makes (apparmor_parser, AppArmor, root), so that a user is told that root
 * is needed. Returns 0 or an exit code after a message.
 */
int lock_for_load(const char *path);
/* apparmor_parser -R of the installed profile; purge: remove the file too */
int unload_profile(const struct load_opts *o, const char *name, int purge);

struct policy;
/* the rules of profile text with its includes expanded (apparmor_parser -p):
   0, or -1 with the parser's message in err */
int parser_policy(const char *text, struct policy **ret, struct strbuf *err);
