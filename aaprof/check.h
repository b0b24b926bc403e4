/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_CHECK_H
#define AAPROF_CHECK_H

#include "docker.h"
#include "msg.h"
#include "strbuf.h"

#include <stddef.h>

/*
 * aaprof check: is a container confined as it should be? Each finding
 * belongs to one class; a failed class adds its bit to the exit status
 * (CHECK_EXIT_BASE + the bits of every failed class: 17-31).
 */
enum check_class {
	CHECK_APPARMOR = 1,    /* no profile, unconfined, not loaded in enforce mode, processes not confined by it */
	CHECK_SECCOMP = 2,     /* seccomp=unconfined, or a process without a seccomp filter */
	CHECK_PRIVILEGE = 4,   /* --privileged, apparmor=unconfined, label=disable, systempaths=unconfined, cap-add ALL */
	CHECK_BASELINE = 8,    /* (--baseline) the profile lacks a deny rule of the baseline, or allows more */
};
#define CHECK_EXIT_BASE 16

struct check_opts {
	const char *fsdir;          /* the apparmorfs; NULL: AppArmor not available */
	const char *profile_dir;    /* where profiles are installed (/etc/apparmor.d) */
	const char *baseline;       /* a template (docker-default), NULL: no baseline check */
};

enum check_level { CHECK_OK, CHECK_NOTE, CHECK_FAIL };
struct check_finding {
	enum check_class cls;
	enum check_level level;
	char *text;
};
struct check_report {
	char *container;            /* the name or id asked for */
	struct docker_container c;
	struct check_finding *v;
	size_t n, alloc;
	unsigned failed;            /* enum check_class bits */
};

/* judge one inspected container (taken over by the report) */
void check_container(const struct check_opts *o, const char *ref, struct docker_container *c,
		     struct check_report *ret);
void check_report_release(struct check_report *r);
/* as text for people, or one JSON object per container in an array */
void check_print(const struct check_report *v, size_t n, int json);
/* a class's name: "apparmor", "seccomp", "privilege", "baseline" */
const char *check_class_name(enum check_class cls);

/* add a finding (CHECK_FAIL marks its class failed) */
void check_add(struct check_report *r, enum check_class cls, enum check_level level,
	       const char *fmt, ...) PRINTF(4, 5);
/* a value Docker or the kernel gave, for a message: printable, at most 200 bytes */
char *check_shown(const char *s);
/* the profile's file (in o->profile_dir) against the baseline rendered for it */
void check_baseline(const struct check_opts *o, const char *profile, struct check_report *r);

/*
 * The baseline's verdict on a profile's text: its deny rules the profile
 * lacks and the rules it has beyond the baseline, added to r as CHECK_BASELINE
 * findings. Both texts are read through apparmor_parser -p. 0, or -1 after
 * error().
 */
int check_baseline_text(const char *profile_text, const char *baseline_text, const char *baseline,
			struct check_report *r);

#endif
