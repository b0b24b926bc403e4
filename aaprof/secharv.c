/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * secharv.c - SECCOMP records -> the syscalls to add to a Docker seccomp
 * profile, with their evidence (see secharv.h).
 */
#include "secharv.h"
#include "jsonout.h"
#include "sanitise.h"
#include "secrec.h"
#include "util.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * Docker refuses these for container escapes (moby's default.json names
 * them only under a capability, or not at all): mount and namespaces, the
 * kernel's modules, keyrings, time, tracing, BPF, handles, io_uring.
 */
static const char *const dangerous[] = {
	"_sysctl", "acct", "add_key", "bpf", "clock_adjtime", "clock_settime",
	"clock_settime64", "clone", "clone3", "create_module", "delete_module",
	"fanotify_init", "finit_module", "fsconfig", "fsmount", "fsopen", "fspick",
	"get_kernel_syms", "init_module", "io_uring_enter", "io_uring_register",
	"io_uring_setup", "ioperm", "iopl", "kcmp", "kexec_file_load", "kexec_load",
	"keyctl", "lookup_dcookie", "mount", "mount_setattr", "move_mount",
	"name_to_handle_at", "nfsservctl", "open_by_handle_at", "open_tree",
	"perf_event_open", "personality", "pidfd_getfd", "pivot_root", "process_madvise",
	"process_vm_readv", "process_vm_writev", "ptrace", "query_module", "quotactl",
	"quotactl_fd", "reboot", "request_key", "setns", "settimeofday", "stime",
	"swapoff", "swapon", "syslog", "sysfs", "umount", "umount2", "unshare", "uselib",
	"userfaultfd", "ustat", "vhangup", "vm86", "vm86old",
};

int seccomp_dangerous(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(dangerous); i++)
		if (streq(name, dangerous[i]))
			return 1;
	return 0;
}

/* what secharv_add() made of a record, to replay it */
struct outcome {
	signed char kind;       /* enum secharv_kind; -1: none */
	const char *why;        /* of a record not the kernel's, or malformed */
	long long entry;        /* the syscall's entry; -1: not known (the record
				   was outside the window) */
	long long nr;
};

#define SIG_SLOTS (1u << 16)

struct sigslot {
	uint64_t a, b;
	struct outcome o;
	int used;
};

enum status { ST_ADD, ST_ALLOWED, ST_DANGER, ST_ARGS, ST_REFUSED, ST_UNNAMED };

#define KEEP 4   /* distinct comms, labels, actions, arches kept per syscall */

struct entry {
	char *name;                 /* the syscall, or "#NR" when it has none */
	const char *host;           /* moby's arches value of the host */
	unsigned long long count;
	double first, last;         /* -1: no time */
	char *comm[KEEP], *label[KEEP], *action[KEEP];
	const char *arch[KEEP];
	long long nr;
	char *example;              /* the first line, as logged */
	enum status st;
};

struct secharv {
	struct secharv_opts o;
	struct entry *e;
	size_t n, alloc, added, held;
	unsigned long long records, not_kernel, malformed, filtered, window, allowed_code,
			   unknown_arch;
	char *not_kernel_why, *malformed_why;
	struct secrec s;
	struct outcome last;        /* of the last secharv_add() */
	struct sigslot *cache;      /* SIG_SLOTS (NULL until the first) */
};

secharv_t *secharv_new(const struct secharv_opts *o)
{
	secharv_t *h = xcalloc(1, sizeof(*h));

	h->o = *o;
	h->last.kind = -1;
	return h;
}

static void entry_release(struct entry *e)
{
	size_t i;

	free(e->name);
	free(e->example);
	for (i = 0; i < KEEP; i++) {
		free(e->comm[i]);
		free(e->label[i]);
		free(e->action[i]);
	}
}

void secharv_free(secharv_t *h)
{
	size_t i;

	if (!h)
		return;
	for (i = 0; i < h->n; i++)
		entry_release(&h->e[i]);
	free(h->e);
	free(h->not_kernel_why);
	free(h->malformed_why);
	free(h->cache);
	free(h);
}

unsigned long long secharv_records(const secharv_t *h)
{
	return h->records;
}

static void keep(char **set, const char *v)
{
	size_t i;

	for (i = 0; i < KEEP && set[i]; i++)
		if (streq(set[i], v))
			return;
	if (i < KEEP)
		set[i] = xstrdup(v);
}

/* does the record belong to one of the targets (its label, comm or exe)? */
static int targeted(const secharv_t *h, const struct secrec *s)
{
	const char *base = strrchr(s->exe, '/') ? strrchr(s->exe, '/') + 1 : s->exe;
	size_t i, n = strcspn(s->subj, " ");

	if (!h->o.ntargets)
		return 1;
	for (i = 0; i < h->o.ntargets; i++) {
		const char *t = h->o.targets[i];
		size_t tl = strlen(t);

		/* "name", "name (complain)", "name//child" */
		if (*s->subj && n >= tl && !strncmp(s->subj, t, tl) &&
		    (s->subj[tl] == '\0' || s->subj[tl] == ' ' || !strncmp(s->subj + tl, "//", 2)))
			return 1;
		if (streq(s->comm, t) || (*s->exe && (streq(s->exe, t) || streq(base, t))))
			return 1;
	}
	return 0;
}

static struct entry *entry_for(secharv_t *h, const char *name, const char *host)
{
	struct entry *e;
	size_t i;

	for (i = 0; i < h->n; i++)
		if (streq(h->e[i].name, name) && streq(h->e[i].host, host))
			return &h->e[i];
	ALLOC_GROW(h->e, h->n + 1, h->alloc);
	e = &h->e[h->n++];
	memset(e, 0, sizeof(*e));
	e->name = xstrdup(name);
	e->host = host;
	e->first = e->last = -1;
	return e;
}

/* what secharv_add() made of a record (struct outcome.kind) */
enum secharv_kind { SK_NONE, SK_NOT_KERNEL, SK_MALFORMED, SK_FILTERED, SK_ALLOWED, SK_UNKNOWN_ARCH,
		    SK_ENTRY };

static void count_why(unsigned long long *n, char **why, const char *w)
{
	if (!(*n)++)
		*why = xstrdup(w);
}

/* a record of the syscall's entry e: its time t and the line */
static void entry_count(struct entry *e, double t, const char *line, size_t len)
{
	e->count++;
	if (t >= 0 && (e->first < 0 || t < e->first))
		e->first = t;
	if (t >= 0 && t > e->last)
		e->last = t;
	if (!e->example) {
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			len--;
		e->example = xstrndup(line, len > 600 ? 600 : len);
	}
}

void secharv_add(secharv_t *h, const struct record *r, const char *line, size_t len,
		 int in_window)
{
	struct secrec *s = &h->s;
	struct entry *e;
	char buf[32], *name;
	const char *host;
	size_t i;
	int k = secrec_parse(r, line, len, s);

	h->last.kind = SK_NONE;
	h->last.why = NULL;
	h->last.entry = -1;
	if (!k)
		return;
	h->records++;
	if (s->origin != RO_KERNEL) {
		h->last.kind = SK_NOT_KERNEL;
		h->last.why = s->origin_why;
		count_why(&h->not_kernel, &h->not_kernel_why, s->origin_why);
		return;
	}
	if (k < 0) {
		h->last.kind = SK_MALFORMED;
		h->last.why = s->why;
		count_why(&h->malformed, &h->malformed_why, s->why);
		return;
	}
	h->last.kind = !targeted(h, s) ? SK_FILTERED :
		       (s->code & 0xffff0000u) == SECCOMP_RET_ALLOW_CODE ? SK_ALLOWED :
		       !s->arch ? SK_UNKNOWN_ARCH : SK_ENTRY;
	if (!in_window) {
		h->window++;
		return;
	}
	if (h->last.kind == SK_FILTERED) {
		h->filtered++;
		return;
	}
	if (h->last.kind == SK_ALLOWED) {
		h->allowed_code++;   /* actions_logged names allow: nothing was missing */
		return;
	}
	if (h->last.kind == SK_UNKNOWN_ARCH) {
		h->unknown_arch++;
		return;
	}
	host = secarch_host(s->arch, s->compat);
	name = secarch_syscall_name(s->arch, s->nr);
	if (!name)
		name = xasprintf("#%lld", s->nr);
	e = entry_for(h, name, host);
	free(name);
	e->nr = s->nr;
	h->last.entry = e - h->e;
	h->last.nr = s->nr;
	if (*s->comm)
		keep(e->comm, s->comm);
	keep(e->label, *s->subj ? s->subj : "?");
	keep(e->action, seccomp_action_name(s->code, buf, sizeof(buf)));
	for (i = 0; i < KEEP && e->arch[i] && strcmp(e->arch[i], s->arch->name); i++)
		;
	if (i < KEEP && !e->arch[i])
		e->arch[i] = s->arch->name;
	entry_count(e, record_time(r, h->o.boot_time), line, len);
}

void secharv_remember(secharv_t *h, uint64_t a, uint64_t b)
{
	struct sigslot *sl;

	if (h->last.kind < 0)
		return;
	if (!h->cache)
		h->cache = xcalloc(SIG_SLOTS, sizeof(*h->cache));   /* pages as used */
	sl = &h->cache[a & (SIG_SLOTS - 1)];
	sl->a = a;
	sl->b = b;
	sl->o = h->last;
	sl->used = 1;
}

/*
 * The replayed record is the same but for what secsig.h leaves out: the
 * same verdict, the same entry; its comm, label, action and arch are
 * already kept in the entry (or its sets were full), so only the count,
 * the time and the window are its own.
 */
int secharv_replay(secharv_t *h, uint64_t a, uint64_t b, double t, const char *line, size_t len,
		   int in_window)
{
	const struct sigslot *sl = h->cache ? &h->cache[a & (SIG_SLOTS - 1)] : NULL;
	const struct outcome *o = sl ? &sl->o : NULL;
	struct entry *e;

	if (!sl || !sl->used || sl->a != a || sl->b != b)
		return 0;
	switch (o->kind) {
	case SK_NONE:
		return 1;
	case SK_NOT_KERNEL:
		h->records++;
		count_why(&h->not_kernel, &h->not_kernel_why, o->why);
		return 1;
	case SK_MALFORMED:
		h->records++;
		count_why(&h->malformed, &h->malformed_why, o->why);
		return 1;
	case SK_FILTERED:
	case SK_ALLOWED:
	case SK_UNKNOWN_ARCH:
	case SK_ENTRY:
		break;
	default:
		return 0;
	}
	if (in_window && o->kind == SK_ENTRY && (o->entry < 0 || (size_t)o->entry >= h->n))
		return 0;   /* first seen outside the window: parse it */
	h->records++;
	if (!in_window)
		h->window++;
	else if (o->kind == SK_FILTERED)
		h->filtered++;
	else if (o->kind == SK_ALLOWED)
		h->allowed_code++;
	else if (o->kind == SK_UNKNOWN_ARCH)
		h->unknown_arch++;
	else {
		e = &h->e[o->entry];
		e->nr = o->nr;
		entry_count(e, t, line, len);
	}
	return 1;
}

static int allowed_by_name(const secharv_t *h, const char *name)
{
	size_t i;

	for (i = 0; i < h->o.nallow; i++)
		if (streq(h->o.allow[i], name))
			return 1;
	return 0;
}

static int by_host_name(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(x->host, y->host);

	return c ? c : strcmp(x->name, y->name);
}

static void when(double t, char *buf, size_t size)
{
	time_t s = (time_t)t;
	struct tm tm;

	if (t < 0 || !gmtime_r(&s, &tm) || !strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, size, "unknown");
}

static void join(struct strbuf *out, char *const *set, const char *sep)
{
	size_t i;

	for (i = 0; i < KEEP && set[i]; i++)
		strbuf_addf(out, "%s%s", i ? sep : "", set[i]);
}

/* "unshare: 2 records (LOG) by ctprobe, subj docker-default, x86_64, first ..., last ..." */
static void evidence(const struct entry *e, struct strbuf *out)
{
	char a[40], b[40];
	size_t i;

	when(e->first, a, sizeof(a));
	when(e->last, b, sizeof(b));
	strbuf_addf(out, "%llu record%s (", e->count, e->count == 1 ? "" : "s");
	join(out, e->action, ", ");
	strbuf_addstr(out, ")");
	if (e->comm[0]) {
		strbuf_addstr(out, " by comm ");
		join(out, e->comm, ", ");
	}
	strbuf_addstr(out, ", subj ");
	join(out, e->label, ", ");
	strbuf_addstr(out, ", arch ");
	for (i = 0; i < KEEP && e->arch[i]; i++)
		strbuf_addf(out, "%s%s", i ? ", " : "", e->arch[i]);
	strbuf_addf(out, ", first seen %s, last seen %s", a, b);
}

size_t secharv_apply(secharv_t *h, secprof_t *base)
{
	size_t i;

	if (h->n)
		qsort(h->e, h->n, sizeof(*h->e), by_host_name);
	for (i = 0; i < h->n; i++) {
		struct entry *e = &h->e[i];
		struct secprof_ctx c = { .host_arch = e->host, .caps = h->o.caps,
					 .kernel = h->o.kernel };
		enum secprof_verdict v;

		if (e->name[0] == '#') {
			e->st = ST_UNNAMED;
			continue;
		}
		v = secprof_judge(base, e->name, &c);
		if (v == SP_ALLOWED)
			e->st = ST_ALLOWED;
		else if (v == SP_REFUSED)
			e->st = ST_REFUSED;
		else if (allowed_by_name(h, e->name))
			e->st = ST_ADD;
		else if (v == SP_ARGS)
			e->st = ST_ARGS;
		else
			e->st = seccomp_dangerous(e->name) ? ST_DANGER : ST_ADD;
	}
	for (i = 0; i < h->n; i++) {
		struct entry *e = &h->e[i];
		struct strbuf cm = STRBUF_INIT;
		const char *names[1] = { e->name };

		if (e->st != ST_ADD) {
			h->held += e->st != ST_ALLOWED;
			continue;
		}
		strbuf_addf(&cm, "aaprof seccomp harvest: %s: ", e->name);
		evidence(e, &cm);
		secprof_add_group(base, names, 1, e->host, cm.buf);
		strbuf_release(&cm);
		h->added++;
	}
	return h->held;
}

size_t secharv_nadded(const secharv_t *h)
{
	return h->added;
}

static const char *status_why(enum status st)
{
	switch (st) {
	case ST_ADD: return "added";
	case ST_ALLOWED: return "the profile allows it already";
	case ST_DANGER: return "dangerous: Docker refuses it for container escapes";
	case ST_ARGS: return "the profile allows it only with argument filters, and the "
			     "records do not show the arguments";
	case ST_REFUSED: return "the profile refuses it explicitly (its own errno)";
	case ST_UNNAMED: return "libseccomp names no syscall of this number on this "
				"architecture";
	}
	return "?";
}

static const char *status_key(enum status st)
{
	static const char *const k[] = { "added", "allowed", "dangerous", "argument-filtered",
					 "refused", "unnamed" };

	return k[st];
}

void secharv_format_held(const secharv_t *h, struct strbuf *out)
{
	size_t i;

	for (i = 0; i < h->n; i++) {
		const struct entry *e = &h->e[i];

		if (e->st == ST_ADD || e->st == ST_ALLOWED)
			continue;
		strbuf_addf(out, "  %s (%s): %s\n    ", e->name, e->host, status_why(e->st));
		evidence(e, out);
		strbuf_addstr(out, "\n    e.g. ");
		strbuf_add_printable(out, e->example, strlen(e->example), NULL);
		strbuf_addch(out, '\n');
		if (e->st == ST_DANGER || e->st == ST_ARGS)
			strbuf_addf(out, "    to add it anyway: --allow-dangerous=%s\n", e->name);
	}
}

void secharv_format_summary(const secharv_t *h, struct strbuf *out)
{
	size_t i, allowed = 0;

	for (i = 0; i < h->n; i++)
		allowed += h->e[i].st == ST_ALLOWED;
	strbuf_addf(out, "%llu SECCOMP record%s read; %zu syscall%s added, %zu held back, "
		    "%zu allowed already", h->records, h->records == 1 ? "" : "s", h->added,
		    h->added == 1 ? "" : "s", h->held, allowed);
	if (h->not_kernel) {
		strbuf_addf(out, "; not used: %llu not written by the kernel (e.g. ", h->not_kernel);
		strbuf_add_printable(out, h->not_kernel_why, strlen(h->not_kernel_why), NULL);
		strbuf_addch(out, ')');
	}
	if (h->malformed) {
		strbuf_addf(out, "; not used: %llu malformed (e.g. ", h->malformed);
		strbuf_add_printable(out, h->malformed_why, strlen(h->malformed_why), NULL);
		strbuf_addch(out, ')');
	}
	if (h->filtered)
		strbuf_addf(out, "; %llu of other workloads", h->filtered);
	if (h->window)
		strbuf_addf(out, "; %llu outside the time window", h->window);
	if (h->allowed_code)
		strbuf_addf(out, "; %llu of allowed calls", h->allowed_code);
	if (h->unknown_arch)
		strbuf_addf(out, "; %llu of an unknown architecture", h->unknown_arch);
}

static json_object *strings(char *const *set)
{
	json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; i < KEEP && set[i]; i++)
		json_object_array_add(a, json_object_new_string(set[i]));
	return a;
}

void secharv_format_json(const secharv_t *h, struct strbuf *out)
{
	json_object *root = json_object_new_object(), *a = json_object_new_array();
	size_t i, j;
	char buf[40];

	for (i = 0; i < h->n; i++) {
		const struct entry *e = &h->e[i];
		json_object *o = json_object_new_object(), *ar = json_object_new_array();

		json_object_object_add(o, "syscall", json_object_new_string(e->name));
		json_object_object_add(o, "nr", json_object_new_int64(e->nr));
		json_object_object_add(o, "host_arch", json_object_new_string(e->host));
		for (j = 0; j < KEEP && e->arch[j]; j++)
			json_object_array_add(ar, json_object_new_string(e->arch[j]));
		json_object_object_add(o, "arches", ar);
		json_object_object_add(o, "status", json_object_new_string(status_key(e->st)));
		json_object_object_add(o, "count", json_object_new_int64((int64_t)e->count));
		when(e->first, buf, sizeof(buf));
		json_object_object_add(o, "first", json_object_new_string(buf));
		when(e->last, buf, sizeof(buf));
		json_object_object_add(o, "last", json_object_new_string(buf));
		json_object_object_add(o, "comms", strings(e->comm));
		json_object_object_add(o, "labels", strings(e->label));
		json_object_object_add(o, "actions", strings(e->action));
		{
			struct strbuf ex = STRBUF_INIT;

			strbuf_add_printable(&ex, e->example, strlen(e->example), NULL);
			json_object_object_add(o, "example", json_object_new_string(ex.buf));
			strbuf_release(&ex);
		}
		json_object_array_add(a, o);
	}
	json_object_object_add(root, "syscalls", a);
	json_object_object_add(root, "records", json_object_new_int64((int64_t)h->records));
	json_object_object_add(root, "not_kernel", json_object_new_int64((int64_t)h->not_kernel));
	json_object_object_add(root, "malformed", json_object_new_int64((int64_t)h->malformed));
	json_object_object_add(root, "other_workloads", json_object_new_int64((int64_t)h->filtered));
	json_object_object_add(root, "outside_window", json_object_new_int64((int64_t)h->window));
	jsonout_add(out, root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		    JSON_C_TO_STRING_NOSLASHESCAPE);
	strbuf_addch(out, '\n');
	json_object_put(root);
}
