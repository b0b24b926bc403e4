/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * derive-file.c - a file record -> its rules: the owner's and the others'
 * access, a link with its target, a procfs alias under both names, and the
 * reasons a path cannot be written (disconnected, a revoked descriptor).
 */
#include "derive.h"
#include "logshape.h"
#include "profile.h"
#include "sanitise.h"
#include "util.h"

#include <string.h>

static unsigned file_bits(const char *m, size_t n, const struct record *r, enum exec_mode ex)
{
	unsigned bits;

	perm_parse(m, n, PERM_KERNEL, &bits);
	if (bits & FP_X) {
		bits &= ~FP_X;
		if (streq(record_op(r), "exec"))
			bits |= ex == EXEC_PX ? FP_PX : ex == EXEC_CX ? FP_CX : FP_IX;
	}
	return bits;
}

/* name, normalised as apparmor_parser reads it, into *path */
static enum derive_result file_path(const char *name, struct strbuf *path, struct strbuf *why)
{
	struct strbuf e = STRBUF_INIT;

	if (path_normalise(name, path, &e) == 0) {
		strbuf_release(&e);
		return DR_RULES;
	}
	strbuf_reset(why);
	strbuf_addf(why, "path '%.200s': %s", name, e.buf);
	strbuf_release(&e);
	return DR_UNEXPRESSIBLE;
}

/*
 * The target of a link record whose access is the link alone (target=, as
 * the kernel logs the file linked to): the rule is then "link PATH ->
 * TARGET", which allows that link and no other.
 */
static const char *link_target(const struct record *r, const unsigned bits[2])
{
	const char *t = record_get(r, RF_NAME2);

	if (!t || !*t || !streq(record_op(r), "link"))
		return NULL;
	if ((bits[0] && bits[0] != FP_L) || (bits[1] && bits[1] != FP_L))
		return NULL;
	return t;
}

/* the owner rule (out[0], if the owner's access was refused) and the other one */
enum derive_result derive_file(const struct derive_opts *o, const struct record *r,
			       struct draft *out, size_t *ret_n, struct strbuf *why)
{
	const char *name = record_get(r, RF_NAME), *mask, *sep, *target;
	unsigned bits[2] = { 0, 0 };   /* owner, other */
	struct strbuf alias = STRBUF_INIT, seen = STRBUF_INIT;
	enum derive_result s;
	int nothing, pass, copy;

	mask = record_missing_mask(r, &nothing);
	if (!mask) {
		if (nothing)
			return DR_NOTHING_MISSING;
		strbuf_addf(why, "file record without a permission mask (operation %s)", record_op(r));
		return DR_UNSUPPORTED;
	}
	if (!name) {
		strbuf_addf(why, "file record without a name (operation %s)", record_op(r));
		return DR_UNSUPPORTED;
	}
	sep = strstr(mask, "::");
	if (sep) {
		bits[0] = file_bits(mask, sep - mask, r, o->exec);
		bits[1] = file_bits(sep + 2, strlen(sep + 2), r, o->exec);
	} else if (record_has(r, RN_FSUID) && record_has(r, RN_OUID) &&
		   r->num[RN_FSUID] == r->num[RN_OUID]) {
		bits[0] = file_bits(mask, strlen(mask), r, o->exec);
	} else {
		bits[1] = file_bits(mask, strlen(mask), r, o->exec);
	}
	if (!bits[0] && !bits[1])
		return DR_NOTHING_MISSING;
	if (revoked_fd_why(name, record_op(r), why))
		return DR_UNSUPPORTED;
	if (name[0] != '/') {
		disconnected_why(name, record_get(r, RF_INFO), record_op(r), why);
		return DR_UNEXPRESSIBLE;
	}
	/*
	 * procfs seen through a detached mount: the rule for the procfs name
	 * the profile means, and one for the name as logged, which is what
	 * today's kernels check (the same object: no wider grant)
	 */
	if (procfs_alias(name, &alias)) {
		strbuf_addf(why, "'%.200s' is procfs seen through a detached mount (runc's since "
			    "CVE-2025-52881): written as %.200s and as logged", name, alias.buf);
		if (file_path(name, &seen, why) != DR_RULES)
			strbuf_reset(&seen);
		name = alias.buf;
	}
	/* from here on the path is the one apparmor_parser would read: every
	   check (coverage, danger, generalisation) sees what the rule grants */
	s = file_path(name, &out[0].path, why);
	if (s == DR_RULES && (target = link_target(r, bits)))
		s = file_path(target, &out[0].target, why);
	strbuf_release(&alias);
	if (s != DR_RULES) {
		strbuf_release(&seen);
		return s;
	}
	*ret_n = 0;
	for (copy = 0; copy < 1 + !!seen.len; copy++) {
		for (pass = 0; pass < 2; pass++) {
			struct draft *d;

			if (!bits[pass])
				continue;
			d = &out[(*ret_n)++];
			d->owner = !pass;
			d->perms = bits[pass];
			if (d != &out[0]) {
				strbuf_reset(&d->path);
				strbuf_addbuf(&d->path, copy ? &seen : &out[0].path);
				strbuf_addbuf(&d->target, &out[0].target);
			}
			if (seen.len) {
				strbuf_reset(&d->also);
				strbuf_addbuf(&d->also, copy ? &out[0].path : &seen);
			}
		}
	}
	strbuf_release(&seen);
	return DR_RULES;
}

int derive_file_head(const struct derive_opts *o, struct draft *d, struct strbuf *why)
{
	int rc;

	strbuf_reset(&d->head);
	strbuf_reset(&d->tail);
	strbuf_reset(&d->source);
	strbuf_reset(why);
	if (d->owner)
		strbuf_addstr(&d->head, "owner ");
	if (d->target.len)
		strbuf_addstr(&d->head, "link ");
	rc = o->gen ? genrules_apply(o->gen, d->path.buf, &d->head, &d->source, why) :
		      aa_emit_path(&d->head, d->path.buf, why);
	if (rc >= 0 && d->target.len) {
		struct strbuf src = STRBUF_INIT, w = STRBUF_INIT;
		int rt;

		/* the target generalised by the same rules: both names are
		   chosen by the program in the same way */
		strbuf_addstr(&d->tail, "-> ");
		rt = o->gen ? genrules_apply(o->gen, d->target.buf, &d->tail, &src, &w) :
			      aa_emit_path(&d->tail, d->target.buf, &w);
		if (rt < 0) {
			strbuf_reset(why);
			strbuf_addf(why, "link target: %s", w.buf);
			rc = -1;
		} else if (rt > 0 && !rc) {
			strbuf_addf(why, "link target %s", w.buf);
			rc = 1;
		}
		if (!d->source.len)
			strbuf_addbuf(&d->source, &src);
		strbuf_release(&src);
		strbuf_release(&w);
		if (rc < 0)
			return -1;
	}
	if (rc < 0)
		strbuf_insertstr(why, 0, "path: ");
	else if (rc > 0)
		strbuf_addstr(why, ": kept the literal path");
	return rc < 0 ? -1 : rc > 0;
}

