/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * scan-take.c - the way of a candidate line, in log order, once the reading
 * stage (scan.c's sift(), in any thread) has found it: replayed from the
 * cache of repeated records, or parsed and harvested.
 */
#include "scan.h"
#include "linesig.h"
#include "record.h"
#include "secharv.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>

/*
 * The cache of repeated records: a record whose signature (linesig.h) was
 * seen has the same outcome, so it is replayed (counts, time, pid) instead
 * of parsed again.
 */
#define SIG_SLOTS (1u << 16)

struct sigslot {
	uint64_t a, b;
	struct harvest_outcome o;   /* o.n < 0: empty */
	unsigned char apparmor, has_pid;
};

struct sigcache {
	struct sigslot slot[SIG_SLOTS];
};

struct sigcache *sigcache_new(void)
{
	struct sigcache *c = xmalloc(sizeof(*c));
	size_t i;

	sig_key_init();   /* before any thread signs a line */
	for (i = 0; i < SIG_SLOTS; i++)
		c->slot[i].o.n = -1;
	return c;
}

void sigcache_free(struct sigcache *c)
{
	free(c);
}

static void time_span(struct scan_stats *st, double t)
{
	if (t < 0)
		return;
	if (st->first < 0 || t < st->first)
		st->first = t;
	if (t > st->last)
		st->last = t;
}

/* the rest of a candidate line's way, in log order: cache or parse, then harvest */
void scan_take(harvest_t *h, struct scan_stats *st, struct sigcache *cache, struct record *r,
		 time_t now, const char *line, size_t len, const struct scan_sig *sg,
		 const struct scan_opts *o)
{
	struct sigslot *sl = NULL;

	if (sg->seccomp) {
		int in = 0, cached = sg->ok && cache && o->secharv;

		if (cached) {
			in = harvest_in_window(h, sg->t);
			if (secharv_replay(o->secharv, sg->a, sg->b, sg->t, line, len, in)) {
				st->seccomp++;
				st->seccomp_in_window += in;
				return;
			}
			in = 0;
		}
		record_parse(r, line, len, now);
		if (r->has_stamp) {
			in = harvest_record_in_window(h, r);
			st->seccomp++;
			st->seccomp_in_window += in;
		}
		o->seccomp(o->seccomp_ctx, r, line, len, in);
		if (cached && r->has_stamp && r->epoch > 0 && record_time(r, 0) == sg->t)
			secharv_remember(o->secharv, sg->a, sg->b);
		return;
	}

	if (sg->ok) {
		if (!harvest_in_reach(h, sg->t)) {
			/* outside --since/--until: not even parsed */
			st->apparmor++;   /* (and not in the window) */
			harvest_count_skip(h, HS_FILTERED);
			return;
		}
		sl = &cache->slot[sg->a & (SIG_SLOTS - 1)];
		if (sl->o.n >= 0 && sl->a == sg->a && sl->b == sg->b) {
			st->apparmor += sl->apparmor;
			if (harvest_in_window(h, sg->t) && sl->apparmor) {
				st->in_window += sl->apparmor;
				time_span(st, sg->t);
			}
			harvest_replay(h, &sl->o, sg->t, sl->has_pid ? sg->pid : 0);
			return;
		}
	}
	record_parse(r, line, len, now);
	if (r->event != EV_INVALID || r->malformed) {
		st->apparmor++;
		if (harvest_record_in_window(h, r)) {
			st->in_window++;
			time_span(st, harvest_record_time(h, r));
		}
	}
	harvest_add(h, r, line, len);
	if (sl) {
		harvest_last_outcome(h, &sl->o);
		if (sl->o.n >= 0) {
			sl->a = sg->a;
			sl->b = sg->b;
			sl->apparmor = r->event != EV_INVALID || r->malformed;
			/* the pid= the signature found is the record's own
			   only if parsing found one (USER_AVC's outer pid is not) */
			sl->has_pid = record_has(r, RN_PID) && r->num[RN_PID] == sg->pid;
		}
	}
}

void scan_sig_mix_host(struct scan_sig *sg, const char *host, size_t n)
{
	uint64_t x = 0x9e3779b97f4a7c15ull;
	size_t i;

	for (i = 0; i < n; i++)
		x = (x ^ (unsigned char)host[i]) * 0x100000001b3ull;
	sg->a ^= x;
	sg->b ^= x * 0xff51afd7ed558ccdull;
}
