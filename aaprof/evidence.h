/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_EVIDENCE_H
#define AAPROF_EVIDENCE_H

#include <stddef.h>

#include "rclass.h"

struct json_object;

/*
 * evidence: what the records that show one rule say, with complete counts:
 * how many, when, by which commands and pids (lists bounded at
 * EV_MAX_COMMS and EV_MAX_PIDS, the records of the others counted as left
 * out), and per host (node= of an audit log, a syslog line's host, the
 * journal's _HOSTNAME), never capped: a host is a small number into a
 * hosttab.
 */
#define EV_MAX_COMMS 16
#define EV_MAX_PIDS 16

struct ev_comm {
	char *name;
	unsigned long long count;
};

struct ev_pid {
	long long pid;
	unsigned long long count;
};

struct ev_host {
	int host;                       /* hosttab_name() */
	unsigned perms;                 /* what its records needed (the rule's bits) */
	unsigned long long count;
	double first, last;             /* -1: no time */
};

struct evidence {
	unsigned long long count;
	double first, last;             /* -1: no time */
	unsigned events;                /* bit per enum rec_event */
	struct ev_comm *comms;
	int ncomms;
	unsigned long long comms_left_out;   /* records by commands not listed */
	struct ev_pid *pids;
	int npids;
	unsigned long long pids_left_out;    /* records of pids not listed */
	struct ev_host *hosts;
	size_t nhosts, hosts_alloc;
	char *sample;                   /* the first record's line */
};

/* the host names evidence refers to, each once */
struct hosttab {
	char **names;
	size_t n, alloc;
	int *slots;                     /* open addressing: index + 1, 0: free */
	size_t nslots;
};

/* the number of host name[0..len), added if new */
int hosttab_id(struct hosttab *t, const char *name, size_t len);
const char *hosttab_name(const struct hosttab *t, int host);
void hosttab_release(struct hosttab *t);

void evidence_init(struct evidence *ev);
void evidence_release(struct evidence *ev);
/*
 * One record: of time t (-1: none), event (enum rec_event), comm (NULL:
 * none), pid (0: none), host, raw its line (NULL: none). Returns the comm's
 * slot, for evidence_replay(): its index, -1 no comm, -2 left out.
 */
int evidence_add(struct evidence *ev, double t, int event, const char *comm, long long pid,
		 int host, unsigned perms, const char *raw, size_t rawlen);
/* a record identical to one evidence_add() took (comm: the slot it returned) */
void evidence_replay(struct evidence *ev, double t, int event, int comm, long long pid, int host,
		     unsigned perms);

/* t as JSON's "2023-11-14T22:13:20.200Z" under key (nothing for t < 0) */
void json_add_time(struct json_object *o, const char *key, double t);
/*
 * The members count, first_seen, last_seen, comms, comms_left_out, pids,
 * pids_left_out, events, hosts, sample (the JSON schema, aaprof(8)).
 */
void evidence_json(const struct evidence *ev, const struct hosttab *t, enum rclass cls,
		   struct json_object *o);

#endif
