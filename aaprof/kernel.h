/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_KERNEL_H
#define AAPROF_KERNEL_H

#include <stddef.h>

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
/* the confinement of process pid (as kernel_procs reads it): 0 with its label
   and mode (kernel_mode_name()); -1 when it cannot be read (quietly: gone) */
int kernel_proc_label(long pid, char **ret_label, char **ret_mode);
void kprocs_free(struct kproc *v, size_t n);

#endif
