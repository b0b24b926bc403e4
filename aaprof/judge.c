/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * judge.c - is a draft rule needed, and may it be written?
 */
#include "judge.h"
#include "aaglob.h"
#include "profile.h"
#include "util.h"

#include <stdint.h>
#include <string.h>

struct judge {
	struct judge_opts o;
	struct strbuf why;   /* judge_danger's answer when it joins two */
	/* danger_file() verdicts of recent paths: logs repeat their paths */
	struct { char *path; unsigned bits; const char *why; } dcache[1024];
};

judge_t *judge_new(const struct judge_opts *o)
{
	judge_t *j = xcalloc(1, sizeof(*j));

	j->o = *o;
	strbuf_init(&j->why, 0);
	return j;
}

void judge_free(judge_t *j)
{
	size_t i;

	if (!j)
		return;
	for (i = 0; i < ARRAY_SIZE(j->dcache); i++)
		free(j->dcache[i].path);
	strbuf_release(&j->why);
	free(j);
}

/* ------------------------------------------------------------ coverage */

int judge_covered(const judge_t *j, struct draft *d, struct strbuf *note)
{
	struct strbuf text = STRBUF_INIT;
	unsigned allowed, denied = 0;
	int st;

	strbuf_reset(note);
	if (!j->o.existing)
		return 0;
	if (d->cls == RC_FILE) {
		allowed = policy_file_perms(j->o.existing, d->path.buf, d->owner, &denied);
		if (d->perms & FP_X && allowed & FP_X)
			allowed |= FP_X;
		if (d->perms & denied)
			strbuf_addf(note, "the profile denies what '%.200s' was refused (an explicit "
				    "deny rule: no allow rule can lift it)", d->path.buf);
		d->perms &= ~(allowed | denied);
		return !d->perms;
	}
	rclass_format_rule(d->cls, d->head.buf, d->perms, d->tail.buf, &text);
	st = policy_rule_status(j->o.existing, text.buf);
	if (st < 0)
		strbuf_addf(note, "the profile denies '%.200s' (an explicit deny rule)", text.buf);
	strbuf_release(&text);
	return st != 0;
}

/* -------------------------------------------------------------- danger */

/* does the user allow this dangerous access? item: the kind word, a
   capability name, or a path glob the literal path matches */
static int user_allows(const judge_t *j, const char *item, const char *path)
{
	size_t i;

	if (j->o.allow_dangerous)
		return 1;
	for (i = 0; i < j->o.nallow; i++) {
		const char *a = j->o.allow[i];

		if (item && streq(a, item))
			return 1;
		if (path && (a[0] == '/' || a[0] == '@')) {
			struct strbuf why = STRBUF_INIT;
			aaglob_t *g = aaglob_compile(a, NULL, &why);
			int m = g && aaglob_match(g, path);

			aaglob_free(g);
			strbuf_release(&why);
			if (m)
				return 1;
		}
	}
	return 0;
}

static uint64_t hash(const char *s)
{
	uint64_t x = 1469598103934665603ull;

	for (; *s; s++)
		x = (x ^ (unsigned char)*s) * 1099511628211ull;
	return x;
}

static const char *danger_file_cached(judge_t *j, const char *path, unsigned bits)
{
	uint64_t x = hash(path) ^ bits;
	size_t slot = x & (ARRAY_SIZE(j->dcache) - 1);

	if (!j->dcache[slot].path || j->dcache[slot].bits != bits ||
	    strcmp(j->dcache[slot].path, path)) {
		free(j->dcache[slot].path);
		j->dcache[slot].path = xstrdup(path);
		j->dcache[slot].bits = bits;
		j->dcache[slot].why = danger_file(j->o.danger, path, bits);
	}
	return j->dcache[slot].why;
}

/* a file rule: by its path, and px runs the program under whatever profile
   attaches to it, which the log cannot tell: maybe an unconfined one */
static const char *file_danger(judge_t *j, const struct draft *d, int *ret_held)
{
	const char *why = danger_file_cached(j, d->path.buf, d->perms), *px;
	const char *named = d->path.buf;

	/* a procfs alias is the object its /proc name is, and the reverse */
	if (!why && d->also.len && (why = danger_file_cached(j, d->also.buf, d->perms)))
		named = d->also.buf;
	*ret_held = why && !user_allows(j, NULL, named);
	if ((d->perms & FP_PX) && (px = danger_kind(j->o.danger, "px"))) {
		*ret_held |= !user_allows(j, "px", NULL);
		if (why) {
			strbuf_reset(&j->why);
			strbuf_addf(&j->why, "%s; %s", why, px);
			why = j->why.buf;
		} else {
			why = px;
		}
	}
	return why;
}

/* is target the profile label itself or one of its children (not a stack)? */
static int own_or_child(const char *label, const char *target)
{
	size_t n = strlen(label);

	if (!target || strncmp(target, label, n))
		return 0;
	return !target[n] || (starts_with(target + n, "//") && !strstr(target + n, "//&"));
}

/* is the peer outside the family of label's root profile (or not named)? */
static int foreign_peer(const char *label, const char *peer)
{
	const char *sep = strstr(label, "//");
	size_t rl = sep ? (size_t)(sep - label) : strlen(label);

	return !peer || strncmp(peer, label, rl) || (peer[rl] && strncmp(peer + rl, "//", 2));
}

/* does the class's danger kind (rclass.c) apply to this rule? */
static int kind_applies(const struct draft *d, const char *label)
{
	switch (d->cls) {
	case RC_MOUNT: case RC_UMOUNT: case RC_PIVOT:
		return 1;
	case RC_PTRACE:
		return foreign_peer(label, d->peer);
	case RC_CHANGE_PROFILE:
		/* a transition to any other profile may be a way out: on
		   Ubuntu some shipped profiles are flags=(unconfined) */
		return !own_or_child(label, d->peer);
	case RC_SIGNAL:
		return d->peer && streq(d->peer, "unconfined") && (d->perms & AW_BIT(SEND));
	default:
		return 0;
	}
}

const char *judge_danger(judge_t *j, const struct draft *d, const char *label, int *ret_held)
{
	const char *why = NULL, *item = NULL;

	*ret_held = 0;
	if (!j->o.danger)
		return NULL;
	if (d->cls == RC_FILE)
		return file_danger(j, d, ret_held);
	if (d->cls == RC_CAP) {
		item = d->head.buf + strlen("capability ");
		why = danger_capability(j->o.danger, item);
	} else if (rclass_info(d->cls)->danger && kind_applies(d, label)) {
		item = rclass_info(d->cls)->danger;
		why = danger_kind(j->o.danger, item);
	}
	*ret_held = why && !user_allows(j, item, NULL);
	return why;
}
