/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * evidence.c - the records that show a rule, counted completely: in all,
 * per command, per pid and per host.
 */
#include "evidence.h"
#include "record.h"
#include "rulefields.h"
#include "util.h"

#include <json-c/json.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------ hosttab */

static uint64_t hash_bytes(const char *s, size_t n)
{
	uint64_t x = 1469598103934665603ull;
	size_t i;

	for (i = 0; i < n; i++)
		x = (x ^ (unsigned char)s[i]) * 1099511628211ull;
	return x;
}

static void hosttab_rehash(struct hosttab *t)
{
	size_t ns = t->nslots ? t->nslots * 2 : 64, i;
	int *s = xcalloc(ns, sizeof(*s));

	for (i = 0; i < t->n; i++) {
		size_t k = hash_bytes(t->names[i], strlen(t->names[i])) & (ns - 1);

		while (s[k])
			k = (k + 1) & (ns - 1);
		s[k] = (int)i + 1;
	}
	free(t->slots);
	t->slots = s;
	t->nslots = ns;
}

int hosttab_id(struct hosttab *t, const char *name, size_t len)
{
	size_t k;

	if ((t->n + 1) * 2 > t->nslots)
		hosttab_rehash(t);
	for (k = hash_bytes(name, len) & (t->nslots - 1); t->slots[k]; k = (k + 1) & (t->nslots - 1)) {
		const char *s = t->names[t->slots[k] - 1];

		if (!strncmp(s, name, len) && !s[len])
			return t->slots[k] - 1;
	}
	ALLOC_GROW(t->names, t->n + 1, t->alloc);
	t->names[t->n] = xstrndup(name, len);
	t->slots[k] = (int)++t->n;
	return (int)t->n - 1;
}

const char *hosttab_name(const struct hosttab *t, int host)
{
	return host >= 0 && (size_t)host < t->n ? t->names[host] : "";
}

void hosttab_release(struct hosttab *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->names[i]);
	free(t->names);
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

/* ----------------------------------------------------------- evidence */

void evidence_init(struct evidence *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->first = ev->last = -1;
}

void evidence_release(struct evidence *ev)
{
	int i;

	for (i = 0; i < ev->ncomms; i++)
		free(ev->comms[i].name);
	free(ev->comms);
	free(ev->pids);
	free(ev->hosts);
	free(ev->sample);
	evidence_init(ev);
}

static void span(double *first, double *last, double t)
{
	if (t < 0)
		return;
	if (*first < 0 || t < *first)
		*first = t;
	if (t > *last)
		*last = t;
}

static void add_pid(struct evidence *ev, long long pid)
{
	int i;

	for (i = 0; i < ev->npids && ev->pids[i].pid != pid; i++)
		;
	if (i == ev->npids) {
		if (ev->npids == EV_MAX_PIDS) {
			ev->pids_left_out++;
			return;
		}
		if (!ev->pids)
			ev->pids = xcalloc(EV_MAX_PIDS, sizeof(*ev->pids));
		ev->pids[ev->npids++].pid = pid;
	}
	ev->pids[i].count++;
}

static void add_host(struct evidence *ev, int host, double t, unsigned perms)
{
	size_t i;

	/* most rules are seen on one host, or on the last one seen */
	if (ev->nhosts && ev->hosts[ev->nhosts - 1].host == host) {
		i = ev->nhosts - 1;
	} else {
		for (i = 0; i < ev->nhosts && ev->hosts[i].host != host; i++)
			;
		if (i == ev->nhosts) {
			ALLOC_GROW(ev->hosts, ev->nhosts + 1, ev->hosts_alloc);
			ev->hosts[i].host = host;
			ev->hosts[i].perms = 0;
			ev->hosts[i].count = 0;
			ev->hosts[i].first = ev->hosts[i].last = -1;
			ev->nhosts++;
		}
	}
	ev->hosts[i].count++;
	ev->hosts[i].perms |= perms;
	span(&ev->hosts[i].first, &ev->hosts[i].last, t);
}

static void add_common(struct evidence *ev, double t, int event, long long pid, int host,
		       unsigned perms)
{
	ev->count++;
	ev->events |= 1u << event;
	span(&ev->first, &ev->last, t);
	if (pid > 0)
		add_pid(ev, pid);
	if (host >= 0)
		add_host(ev, host, t, perms);
}

int evidence_add(struct evidence *ev, double t, int event, const char *comm, long long pid,
		 int host, unsigned perms, const char *raw, size_t rawlen)
{
	int i = -1;

	add_common(ev, t, event, pid, host, perms);
	if (comm) {
		for (i = 0; i < ev->ncomms && strcmp(ev->comms[i].name, comm); i++)
			;
		if (i == ev->ncomms && ev->ncomms == EV_MAX_COMMS) {
			i = -2;
		} else if (i == ev->ncomms) {
			if (!ev->comms)
				ev->comms = xcalloc(EV_MAX_COMMS, sizeof(*ev->comms));
			ev->comms[ev->ncomms++].name = xstrdup(comm);
		}
		if (i >= 0)
			ev->comms[i].count++;
		else
			ev->comms_left_out++;
	}
	if (!ev->sample && raw)
		ev->sample = xstrndup(raw, rawlen > 2048 ? 2048 : rawlen);
	return i;
}

void evidence_replay(struct evidence *ev, double t, int event, int comm, long long pid, int host,
		     unsigned perms)
{
	add_common(ev, t, event, pid, host, perms);
	if (comm >= 0 && comm < ev->ncomms)
		ev->comms[comm].count++;
	else if (comm == -2)
		ev->comms_left_out++;
}

/* ------------------------------------------------------------- JSON */

void json_add_time(struct json_object *o, const char *key, double t)
{
	char buf[64];
	time_t s = (time_t)t;
	struct tm tm;

	if (t < 0)
		return;
	gmtime_r(&s, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), ".%03dZ",
		 (int)((t - floor(t)) * 1000 + 0.5) % 1000);
	json_object_object_add(o, key, json_object_new_string(buf));
}

static int cmp_host(const void *a, const void *b, void *ctx)
{
	const struct ev_host *x = a, *y = b;

	return strcmp(hosttab_name(ctx, x->host), hosttab_name(ctx, y->host));
}

void evidence_json(const struct evidence *ev, const struct hosttab *t, enum rclass cls,
		   struct json_object *o)
{
	struct json_object *a, *x;
	struct ev_host *hosts;
	size_t i;
	int k;

	json_object_object_add(o, "count", json_object_new_int64((int64_t)ev->count));
	json_add_time(o, "first_seen", ev->first);
	json_add_time(o, "last_seen", ev->last);
	a = json_object_new_array();
	for (k = 0; k < ev->ncomms; k++) {
		x = json_object_new_object();
		json_object_object_add(x, "comm", json_object_new_string(ev->comms[k].name));
		json_object_object_add(x, "count", json_object_new_int64((int64_t)ev->comms[k].count));
		json_object_array_add(a, x);
	}
	json_object_object_add(o, "comms", a);
	json_object_object_add(o, "comms_left_out", json_object_new_int64((int64_t)ev->comms_left_out));
	a = json_object_new_array();
	for (k = 0; k < ev->npids; k++) {
		x = json_object_new_object();
		json_object_object_add(x, "pid", json_object_new_int64(ev->pids[k].pid));
		json_object_object_add(x, "count", json_object_new_int64((int64_t)ev->pids[k].count));
		json_object_array_add(a, x);
	}
	json_object_object_add(o, "pids", a);
	json_object_object_add(o, "pids_left_out", json_object_new_int64((int64_t)ev->pids_left_out));
	a = json_object_new_array();
	if (ev->events & (1u << EV_ALLOWED))
		json_object_array_add(a, json_object_new_string("ALLOWED"));
	if (ev->events & (1u << EV_DENIED))
		json_object_array_add(a, json_object_new_string("DENIED"));
	json_object_object_add(o, "events", a);
	/* sorted by name: the same output whatever order the sources came in */
	hosts = xcalloc(ev->nhosts + 1, sizeof(*hosts));
	memcpy(hosts, ev->hosts, ev->nhosts * sizeof(*hosts));
	qsort_r(hosts, ev->nhosts, sizeof(*hosts), cmp_host, (void *)t);
	a = json_object_new_array();
	for (i = 0; i < ev->nhosts; i++) {
		x = json_object_new_object();
		json_object_object_add(x, "host", json_object_new_string(hosttab_name(t, hosts[i].host)));
		json_object_object_add(x, "count", json_object_new_int64((int64_t)hosts[i].count));
		json_object_object_add(x, "permissions", rulefields_perms_json(cls, hosts[i].perms));
		json_add_time(x, "first_seen", hosts[i].first);
		json_add_time(x, "last_seen", hosts[i].last);
		json_object_array_add(a, x);
	}
	free(hosts);
	json_object_object_add(o, "hosts", a);
	if (ev->sample)
		json_object_object_add(o, "sample", json_object_new_string(ev->sample));
}
