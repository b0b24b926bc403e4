/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * derive.c - one record -> the rule that would have allowed it, a function
 * per record class.
 *
 * Each class becomes its rule the way aa-logprof derives it (the
 * test_multi .profile files are the reference), with one deliberate
 * difference: an exec grants only what was logged (x -> ix by default,
 * aa-logprof adds m and r).
 *
 * Every value goes through profile.h's escapers; what cannot be written
 * safely makes the record DR_UNEXPRESSIBLE, never a rule written raw.
 */
#include "derive.h"
#include "logshape.h"
#include "profile.h"
#include "sanitise.h"
#include "util.h"

#include <string.h>

void draft_init(struct draft *d)
{
	memset(d, 0, sizeof(*d));
	strbuf_init(&d->head, 0);
	strbuf_init(&d->tail, 0);
	strbuf_init(&d->path, 0);
	strbuf_init(&d->source, 0);
	strbuf_init(&d->target, 0);
	strbuf_init(&d->also, 0);
}

void draft_release(struct draft *d)
{
	strbuf_release(&d->head);
	strbuf_release(&d->tail);
	strbuf_release(&d->path);
	strbuf_release(&d->source);
	strbuf_release(&d->target);
	strbuf_release(&d->also);
}

/* v escaped by fn onto sb; -1 and why "what: the reason" */
static int emit(struct strbuf *sb, aa_escaper_fn fn, const char *v, const char *what,
		struct strbuf *why)
{
	strbuf_reset(why);
	if (fn(sb, v, why) == 0)
		return 0;
	strbuf_insertstr(why, 0, ": ");
	strbuf_insertstr(why, 0, what);
	return -1;
}

#define EMIT_OR_FAIL(sb, fn, v, what)                          \
	do {                                                     \
		if (emit((sb), (fn), (v), (what), why) < 0)      \
			return DR_UNEXPRESSIBLE;                  \
	} while (0)

/*
 * The access words of the missing mask, each one the class's rules take
 * (rclass.c); allow_none: a record without one is no problem
 */
static enum derive_result word_perms(const struct record *r, enum rclass cls, unsigned *bits,
				     int allow_none, struct strbuf *why)
{
	const char *mask;
	int nothing;

	*bits = 0;
	mask = record_missing_mask(r, &nothing);
	if (!mask) {
		if (nothing)
			return DR_NOTHING_MISSING;
		if (allow_none)
			return DR_RULES;
		strbuf_addf(why, "%s record without a permission mask", record_op(r));
		return DR_UNSUPPORTED;
	}
	if (rclass_access_parse(cls, mask, bits, why) < 0) {
		strbuf_addf(why, " (operation %s)", record_op(r));
		return DR_UNSUPPORTED;
	}
	return DR_RULES;
}

/* ------------------------------------------------------ the other classes */

static enum derive_result derive_cap(const struct record *r, struct draft *d, struct strbuf *why)
{
	const char *cap = record_get(r, RF_CAPNAME) ? record_get(r, RF_CAPNAME) :
			  record_get(r, RF_NAME);
	const char *info = record_get(r, RF_INFO);

	/* complain mode also logs capability checks the kernel marks
	   "optional: no audit": probes, not needs */
	if (info && strstr(info, "optional: no audit"))
		return DR_NOTHING_MISSING;
	if (!cap) {
		strbuf_addstr(why, "capability record without a name");
		return DR_UNSUPPORTED;
	}
	strbuf_addstr(&d->head, "capability ");
	EMIT_OR_FAIL(&d->head, aa_emit_word, cap, "capability");
	return DR_RULES;
}

/*
 * The access list, ip= and port= of a network rule (its own end, then
 * peer=(...)): the access list when the target enforces it, else the rule
 * is "network FAMILY TYPE,"; the addresses only with --keep-addresses
 * (they pin a container to its dynamic address) and when the target
 * enforces them.
 */
static enum derive_result net_fine(const struct derive_opts *o, const struct record *r,
				   struct draft *d, struct strbuf *why)
{
	const char *la, *fa;
	long long lp, fp;

	/* newer kernels log saddr/src/daddr/dest (only what the operation
	   concerns); older ones laddr/lport/faddr/fport */
	if (record_get(r, RF_SADDR) || record_has(r, RN_SRC) || record_get(r, RF_DADDR) ||
	    record_has(r, RN_DEST)) {
		la = record_get(r, RF_SADDR);
		fa = record_get(r, RF_DADDR);
		lp = record_has(r, RN_SRC) ? r->num[RN_SRC] : -1;
		fp = record_has(r, RN_DEST) ? r->num[RN_DEST] : -1;
	} else {
		la = record_get(r, RF_LADDR);
		fa = record_get(r, RF_FADDR);
		lp = record_has(r, RN_LPORT) ? r->num[RN_LPORT] : -1;
		fp = record_has(r, RN_FPORT) ? r->num[RN_FPORT] : -1;
	}
	if (!(o->features & HF_NET_FINE)) {
		if (d->perms)
			d->coarse |= HF_NET_FINE;
		if (la || fa || lp >= 0 || fp >= 0)
			d->coarse |= o->keep_addresses ? HF_NET_ADDR : DRAFT_ADDRESSES_LEFT_OUT;
		d->perms = 0;
		return DR_RULES;
	}
	if (!(la || fa || lp >= 0 || fp >= 0))
		return DR_RULES;
	if (!o->keep_addresses) {
		d->coarse |= DRAFT_ADDRESSES_LEFT_OUT;
		return DR_RULES;
	}
	if (!(o->features & HF_NET_ADDR)) {
		d->coarse |= HF_NET_ADDR;
		return DR_RULES;
	}
	if (la) {
		strbuf_addstr(&d->tail, " ip=");
		EMIT_OR_FAIL(&d->tail, aa_emit_word, la, "address");
	}
	if (lp >= 0)
		strbuf_addf(&d->tail, " port=%lld", lp);
	if (fa || fp >= 0) {
		strbuf_addstr(&d->tail, " peer=(");
		if (fa) {
			strbuf_addstr(&d->tail, "ip=");
			EMIT_OR_FAIL(&d->tail, aa_emit_word, fa, "address");
		}
		if (fp >= 0)
			strbuf_addf(&d->tail, "%sport=%lld", fa ? " " : "", fp);
		strbuf_addch(&d->tail, ')');
	}
	return DR_RULES;
}

static enum derive_result derive_net(const struct derive_opts *o, const struct record *r,
				     struct draft *d, struct strbuf *why)
{
	const char *fam = record_get(r, RF_FAMILY), *type = record_get(r, RF_SOCK_TYPE);
	enum derive_result s;

	if ((s = word_perms(r, d->cls, &d->perms, 1, why)) != DR_RULES)
		return s;
	if (!fam) {
		strbuf_addstr(why, "network record without a family");
		return DR_UNSUPPORTED;
	}
	strbuf_addstr(&d->head, "network");
	EMIT_OR_FAIL(&d->tail, aa_emit_word, fam, "network family");
	if (type && !strstr(type, "unknown")) {
		strbuf_addch(&d->tail, ' ');
		EMIT_OR_FAIL(&d->tail, aa_emit_word, type, "socket type");
	}
	return net_fine(o, r, d, why);
}

static enum derive_result derive_unix(const struct derive_opts *o, const struct record *r,
				      struct draft *d, struct strbuf *why)
{
	const char *type = record_get(r, RF_SOCK_TYPE), *v, *peer;
	enum derive_result s;

	if ((s = word_perms(r, d->cls, &d->perms, 0, why)) != DR_RULES)
		return s;
	if (!(o->features & HF_UNIX)) {
		/* what the parser downgrades a unix rule to, and the kernel enforces */
		d->cls = RC_NET;
		d->perms = 0;
		d->coarse |= HF_UNIX;
		strbuf_addstr(&d->head, "network");
		strbuf_addstr(&d->tail, "unix");
		if (type && !strstr(type, "unknown")) {
			strbuf_addch(&d->tail, ' ');
			EMIT_OR_FAIL(&d->tail, aa_emit_word, type, "socket type");
		}
		return DR_RULES;
	}
	strbuf_addstr(&d->head, "unix");
	if (type) {
		strbuf_addstr(&d->tail, "type=");
		EMIT_OR_FAIL(&d->tail, aa_emit_word, type, "socket type");
	}
	/* addr= names abstract sockets only: a pathname socket is mediated
	   by the file rule for its path, logged as a file record */
	if ((v = record_get(r, RF_ADDR)) && v[0] != '/') {
		if (unix_addr_unexpressible(v, "address", why))
			return DR_UNEXPRESSIBLE;
		strbuf_addstr(&d->tail, d->tail.len ? " addr=" : "addr=");
		EMIT_OR_FAIL(&d->tail, aa_emit_unix_addr, v, "unix address");
	}
	/* the peer: its label (peer=) and its abstract address */
	peer = record_get(r, RF_PEER);
	v = record_get(r, RF_PEER_ADDR);
	if (v && (v[0] == '/' || !*v))
		v = NULL;
	if (v && unix_addr_unexpressible(v, "peer address", why))
		return DR_UNEXPRESSIBLE;
	if (peer || v)
		strbuf_addstr(&d->tail, d->tail.len ? " peer=(" : "peer=(");
	if (peer) {
		strbuf_addstr(&d->tail, "label=");
		EMIT_OR_FAIL(&d->tail, aa_emit_label, peer, "unix peer label");
	}
	if (v) {
		strbuf_addstr(&d->tail, peer ? " addr=" : "addr=");
		EMIT_OR_FAIL(&d->tail, aa_emit_unix_addr, v, "unix peer address");
	}
	if (peer || v)
		strbuf_addch(&d->tail, ')');
	return DR_RULES;
}

static enum derive_result derive_signal(const struct record *r, struct draft *d,
					struct strbuf *why)
{
	enum derive_result s;
	const char *v;

	if ((s = word_perms(r, d->cls, &d->perms, 0, why)) != DR_RULES)
		return s;
	strbuf_addstr(&d->head, "signal");
	if ((v = record_get(r, RF_SIGNAL))) {
		strbuf_addstr(&d->tail, "set=");
		EMIT_OR_FAIL(&d->tail, aa_emit_word, v, "signal");
	}
	if ((v = record_get(r, RF_PEER))) {
		strbuf_addstr(&d->tail, d->tail.len ? " peer=" : "peer=");
		EMIT_OR_FAIL(&d->tail, aa_emit_label, v, "signal peer");
	}
	d->peer = record_get(r, RF_PEER);
	return DR_RULES;
}

static enum derive_result derive_ptrace(const struct record *r, struct draft *d,
					struct strbuf *why)
{
	enum derive_result s;
	const char *v;

	if ((s = word_perms(r, d->cls, &d->perms, 0, why)) != DR_RULES)
		return s;
	strbuf_addstr(&d->head, "ptrace");
	v = record_get(r, RF_PEER) ? record_get(r, RF_PEER) : record_get(r, RF_NAME2);
	if (v && *v) {
		strbuf_addstr(&d->tail, "peer=");
		EMIT_OR_FAIL(&d->tail, aa_emit_label, v, "ptrace peer");
	}
	d->peer = record_get(r, RF_PEER);   /* judged by peer= alone */
	return DR_RULES;
}

/* options=(...) of a mount rule: the flags sorted, as aa-logprof writes them */
static enum derive_result mount_options(const char *flags, int remount, struct draft *d,
					struct strbuf *why)
{
	char *copy = xstrdup(flags ? flags : "");
	const char *opts[64];
	size_t nopts = 0, i, j;
	char *tok, *save = NULL;
	int bad = 0;

	for (tok = strtok_r(copy, ", ", &save); tok && nopts < 63; tok = strtok_r(NULL, ", ", &save))
		opts[nopts++] = tok;
	if (remount)
		opts[nopts++] = "remount";
	for (i = 1; i < nopts; i++)
		for (j = i; j > 0 && strcmp(opts[j - 1], opts[j]) > 0; j--) {
			const char *x = opts[j];

			opts[j] = opts[j - 1];
			opts[j - 1] = x;
		}
	strbuf_addstr(&d->tail, d->tail.len ? " options=(" : "options=(");
	for (i = 0; i < nopts; i++) {
		if (i && !strcmp(opts[i], opts[i - 1]))
			continue;
		if (i)
			strbuf_addstr(&d->tail, ", ");
		/* why: the last option's (an old quirk, kept for identical notes) */
		strbuf_reset(why);
		if (aa_emit_word(&d->tail, opts[i], why) < 0)
			bad = 1;
	}
	strbuf_addch(&d->tail, ')');
	free(copy);
	if (!bad)
		return DR_RULES;
	strbuf_insertstr(why, 0, "mount option: ");
	return DR_UNEXPRESSIBLE;
}

/* where a mount record becomes a rule: mount fstype=T options=(...) SRC -> DST */
static enum derive_result derive_mount(const struct record *r, struct draft *d,
				       struct strbuf *why)
{
	const char *fstype = record_get(r, RF_FSTYPE), *flags = record_get(r, RF_FLAGS);
	const char *src = record_get(r, RF_SRCNAME), *dst = record_get(r, RF_NAME);
	int remount = streq(record_op(r), "remount");
	enum derive_result s;

	if (record_has(r, RN_ERROR) && r->event == EV_INVALID)
		return DR_NOTHING_MISSING;
	strbuf_addstr(&d->head, "mount");
	if (fstype) {
		strbuf_addstr(&d->tail, "fstype=");
		EMIT_OR_FAIL(&d->tail, aa_emit_word, fstype, "fstype");
	}
	if ((flags || remount) && (s = mount_options(flags, remount, d, why)) != DR_RULES)
		return s;
	if (src) {
		strbuf_addch(&d->tail, ' ');
		EMIT_OR_FAIL(&d->tail, src[0] == '/' ? aa_emit_path : aa_emit_mount_source,
			     src, "mount source");
	}
	if (dst) {
		strbuf_addstr(&d->tail, d->tail.len ? " -> " : "-> ");
		EMIT_OR_FAIL(&d->tail, aa_emit_path, dst, "mount point");
	}
	return DR_RULES;
}

static enum derive_result derive_umount(const struct record *r, struct draft *d,
					struct strbuf *why)
{
	const char *v;

	strbuf_addstr(&d->head, "umount");
	if ((v = record_get(r, RF_NAME)))
		EMIT_OR_FAIL(&d->tail, aa_emit_path, v, "umount point");
	return DR_RULES;
}

static enum derive_result derive_pivot(const struct record *r, struct draft *d,
				       struct strbuf *why)
{
	const char *v;

	strbuf_addstr(&d->head, "pivot_root");
	if ((v = record_get(r, RF_SRCNAME))) {
		strbuf_addstr(&d->tail, "oldroot=");
		EMIT_OR_FAIL(&d->tail, aa_emit_path, v, "pivot_root old root");
	}
	if ((v = record_get(r, RF_NAME))) {
		if (d->tail.len)
			strbuf_addch(&d->tail, ' ');
		EMIT_OR_FAIL(&d->tail, aa_emit_path, v, "pivot_root new root");
	}
	return DR_RULES;
}

static enum derive_result derive_dbus(const struct record *r, struct draft *d, struct strbuf *why)
{
	static const struct { enum rec_field f; const char *key; aa_escaper_fn fn; const char *what; } conds[] = {
		{ RF_DBUS_PATH, " path=", aa_emit_dbus_path, "D-Bus path" },
		{ RF_INTERFACE, " interface=", aa_emit_dbus_name, "D-Bus interface" },
		{ RF_MEMBER, " member=", aa_emit_dbus_name, "D-Bus member" },
	};
	enum derive_result s;
	const char *v;
	size_t i;

	if ((s = word_perms(r, d->cls, &d->perms, 0, why)) != DR_RULES)
		return s;
	strbuf_addstr(&d->head, "dbus");
	if ((v = record_get(r, RF_BUS))) {
		strbuf_addstr(&d->tail, "bus=");
		EMIT_OR_FAIL(&d->tail, aa_emit_dbus_name, v, "D-Bus bus");
	}
	if (d->perms == AW_BIT(EAVESDROP))
		return DR_RULES;
	if (d->perms == AW_BIT(BIND)) {
		if ((v = record_get(r, RF_NAME))) {
			strbuf_addstr(&d->tail, " name=");
			EMIT_OR_FAIL(&d->tail, aa_emit_dbus_name, v, "D-Bus name");
		}
		return DR_RULES;
	}
	for (i = 0; i < ARRAY_SIZE(conds); i++) {
		if ((v = record_get(r, conds[i].f))) {
			strbuf_addstr(&d->tail, conds[i].key);
			EMIT_OR_FAIL(&d->tail, conds[i].fn, v, conds[i].what);
		}
	}
	if ((v = record_get(r, RF_PEER_PROFILE))) {
		strbuf_addstr(&d->tail, " peer=(label=");
		EMIT_OR_FAIL(&d->tail, aa_emit_label, v, "D-Bus peer label");
		strbuf_addch(&d->tail, ')');
	}
	return DR_RULES;
}

static enum derive_result derive_mqueue(const struct record *r, struct draft *d,
					struct strbuf *why)
{
	const char *c = record_get(r, RF_CLASS), *v;
	enum derive_result s;

	if ((s = word_perms(r, d->cls, &d->perms, 0, why)) != DR_RULES)
		return s;
	d->feature = HF_MQUEUE;
	strbuf_addstr(&d->head, "mqueue");
	strbuf_addf(&d->tail, "type=%s", c && streq(c, "sysv_mqueue") ? "sysv" : "posix");
	if ((v = record_get(r, RF_NAME))) {
		strbuf_addch(&d->tail, ' ');
		EMIT_OR_FAIL(&d->tail, v[0] == '/' ? aa_emit_path : aa_emit_word, v, "mqueue name");
	}
	return DR_RULES;
}

static enum derive_result derive_userns(const struct record *r, struct draft *d,
					struct strbuf *why)
{
	const char *label = record_get(r, RF_PROFILE);
	enum derive_result s;

	if ((s = word_perms(r, d->cls, &d->perms, 0, why)) != DR_RULES)
		return s;
	if (label && streq(label, "unconfined")) {
		userns_unconfined_why(record_get(r, RF_EXECPATH) ? record_get(r, RF_EXECPATH) :
				      record_get(r, RF_COMM), why);
		return DR_UNEXPRESSIBLE;
	}
	d->feature = HF_USERNS;
	strbuf_addstr(&d->head, "userns");
	return DR_RULES;
}

static enum derive_result derive_io_uring(const struct record *r, struct draft *d,
					  struct strbuf *why)
{
	enum derive_result s;
	const char *v;

	if ((s = word_perms(r, d->cls, &d->perms, 0, why)) != DR_RULES)
		return s;
	d->feature = HF_IO_URING;
	strbuf_addstr(&d->head, "io_uring");
	if ((v = record_get(r, RF_PEER_PROFILE))) {
		strbuf_addstr(&d->tail, "label=");
		EMIT_OR_FAIL(&d->tail, aa_emit_label, v, "io_uring label");
	}
	return DR_RULES;
}

static enum derive_result derive_change_profile(const struct record *r, struct draft *d,
						struct strbuf *why)
{
	const char *v = record_get(r, RF_NAME2) ? record_get(r, RF_NAME2) : record_get(r, RF_NAME);

	if (record_has(r, RN_ERROR) && r->num[RN_ERROR] == 2)
		return DR_NOTHING_MISSING;   /* "label not found": nothing to allow */
	if (!v || !*v) {
		strbuf_addstr(why, "change_profile record without a target");
		return DR_UNSUPPORTED;
	}
	if (streq(v, "unconfined")) {
		strbuf_addstr(why, "a change_profile to unconfined: aaprof never writes a way "
			      "out of confinement");
		return DR_UNEXPRESSIBLE;
	}
	strbuf_addstr(&d->head, "change_profile");
	strbuf_addstr(&d->tail, "-> ");
	EMIT_OR_FAIL(&d->tail, aa_emit_label, v, "change_profile target");
	d->peer = v;
	return DR_RULES;
}

/* ------------------------------------------------------------------ all */

static void draft_reset(struct draft *d, enum rclass cls)
{
	d->cls = cls;
	strbuf_reset(&d->head);
	strbuf_reset(&d->tail);
	strbuf_reset(&d->path);
	strbuf_reset(&d->source);
	strbuf_reset(&d->target);
	strbuf_reset(&d->also);
	d->perms = d->feature = d->coarse = 0;
	d->owner = 0;
	d->peer = NULL;
}

enum derive_result derive(const struct derive_opts *o, const struct record *r, enum rclass cls,
			  struct draft out[DERIVE_MAX], size_t *ret_n, struct strbuf *why)
{
	struct draft *d = &out[0];
	enum derive_result s = DR_UNSUPPORTED;
	size_t i;

	for (i = 0; i < DERIVE_MAX; i++)
		draft_reset(&out[i], cls);
	strbuf_reset(why);
	*ret_n = 1;
	/* no default: a class without its function does not compile */
	switch (cls) {
	case RC_FILE: s = derive_file(o, r, out, ret_n, why); break;
	case RC_CAP: s = derive_cap(r, d, why); break;
	case RC_NET: s = derive_net(o, r, d, why); break;
	case RC_UNIX: s = derive_unix(o, r, d, why); break;
	case RC_SIGNAL: s = derive_signal(r, d, why); break;
	case RC_PTRACE: s = derive_ptrace(r, d, why); break;
	case RC_MOUNT: s = derive_mount(r, d, why); break;
	case RC_UMOUNT: s = derive_umount(r, d, why); break;
	case RC_PIVOT: s = derive_pivot(r, d, why); break;
	case RC_DBUS: s = derive_dbus(r, d, why); break;
	case RC_MQUEUE: s = derive_mqueue(r, d, why); break;
	case RC_USERNS: s = derive_userns(r, d, why); break;
	case RC_IO_URING: s = derive_io_uring(r, d, why); break;
	case RC_CHANGE_PROFILE: s = derive_change_profile(r, d, why); break;
	case RC_OPAQUE: break;   /* rules kept as written come from text, not records */
	}
	if (s != DR_RULES)
		*ret_n = 0;
	return s;
}
