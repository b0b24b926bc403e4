/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * scan.c - read the log sources into a harvest: only lines that can be
 * AppArmor records are parsed; lines that show lost records are noted.
 */
#include "scan.h"
#include "cursor.h"
#include "linefilter.h"
#include "logahead.h"
#include "linesig.h"
#include "sanitise.h"
#include "secharv.h"
#include "secsig.h"
#include "logsrc.h"
#include "paths.h"
#include "progress.h"
#include "record.h"
#include "strbuf.h"
#include "testhooks.h"
#include "util.h"

#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* 0: no SECCOMP records, 1: those too, 2: those only */
static int seccomp_mode(const struct scan_opts *o)
{
	return !o->seccomp ? 0 : o->seccomp_only ? 2 : 1;
}

/* the reading stage for one line: 1 if it goes on to take() */
static int sift(const char *line, size_t len, int cache, int seccomp, struct scan_sig *sg,
		unsigned long long *lost_marks, char *lost_sample, size_t sample_size)
{
	/* seccomp: 0 no SECCOMP records, 1 those too, 2 those only */
	sg->seccomp = 0;
	if (seccomp && secsig_candidate(line, len)) {
		sg->ok = cache && secsig(line, len, &sg->a, &sg->b, &sg->t);
		sg->pid = 0;
		sg->seccomp = 1;
		return 1;
	}
	if (seccomp == 2 || !line_maybe_apparmor(line, len)) {
		if (line_is_lost_marker(line, len) && !(*lost_marks)++)
			snprintf(lost_sample, sample_size, "%.*s", (int)(len > 200 ? 200 : len), line);
		return 0;
	}
	sg->ok = cache && linesig(line, len, &sg->a, &sg->b, &sg->t, &sg->pid);
	return 1;
}

/*
 * A regular file is read by worker threads, a chunk of lines each: they
 * split lines, sift them and compute signatures (most of the work), while
 * this thread takes the candidates chunk by chunk in file order, so the
 * harvest is the one a single thread makes. Chunks wait in a ring of
 * slots: memory stays a few chunks, whatever the log's size.
 */
struct cand {
	size_t off, len;
	struct scan_sig sg;
};

struct batch {
	struct logchunk c;
	struct cand *v;
	size_t n, alloc;
	unsigned long long lines, lost_marks;
	char lost_sample[sizeof(((struct scan_stats *)0)->lost_sample)];
	int err;              /* errno of a failed read */
	int bus;              /* the mapped file shrank under fill_batch() */
	int ready;
	long long k;          /* the chunk it holds, -1: free */
};

struct pool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	const logsrc_t *src;
	long long from, to, chunk, nchunks;   /* to: the file's size when reading began */
	long long next;       /* the next chunk to read */
	long long taken;      /* chunks this thread took, in order */
	int stop, cache, seccomp;
	struct batch *slot;
	size_t nslots;
};

static void fill_batch(struct pool *p, struct batch *b, long long k)
{
	long long from = p->from + k * p->chunk, to = from + p->chunk;
	const char *line;
	size_t len;
	int r;

	b->n = 0;
	b->lines = b->lost_marks = 0;
	b->lost_sample[0] = '\0';
	r = logchunk_read(p->src, from, to < p->to ? to : p->to, p->to, &b->c);
	if (r < 0) {
		b->err = -r;
		return;
	}
	while (logchunk_next(&b->c, &line, &len)) {
		struct cand *cd;

		b->lines++;
		ALLOC_GROW(b->v, b->n + 1, b->alloc);
		cd = &b->v[b->n];
		if (!sift(line, len, p->cache, p->seccomp, &cd->sg, &b->lost_marks, b->lost_sample,
			  sizeof(b->lost_sample)))
			continue;
		cd->off = line - b->c.buf;
		cd->len = len;
		b->n++;
	}
}

/* fill_batch() with SIGBUS caught: a file that shrank while mapped (logchunk.h) */
static void fill_guarded(struct pool *p, struct batch *b, long long k)
{
	sigjmp_buf jb;

	b->bus = 1;
	logchunk_arm(&jb);
	if (!sigsetjmp(jb, 1)) {
		fill_batch(p, b, k);
		b->bus = 0;
	}
	logchunk_disarm();
}

static void *worker(void *arg)
{
	struct pool *p = arg;

	pthread_mutex_lock(&p->mu);
	while (!p->stop && p->next < p->nchunks) {
		long long k = p->next++;
		struct batch *b = &p->slot[k % p->nslots];

		/* its slot is free once chunk k - nslots is taken */
		while (!p->stop && k >= p->taken + (long long)p->nslots)
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->stop)
			break;
		b->k = k;
		b->ready = 0;
		pthread_mutex_unlock(&p->mu);
		fill_guarded(p, b, k);
		pthread_mutex_lock(&p->mu);
		b->ready = 1;
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* take() b's candidates: 1 when a SIGBUS says the mapped file shrank under them */
static int take_batch(harvest_t *h, struct scan_stats *st, struct sigcache *cache,
		      struct record *r, time_t now, struct batch *b, const struct scan_opts *o)
{
	sigjmp_buf jb;
	size_t i;

	logchunk_arm(&jb);
	if (sigsetjmp(jb, 1)) {
		logchunk_disarm();
		return 1;
	}
	for (i = 0; i < b->n; i++)
		scan_take(h, st, cache, r, now, b->c.buf + b->v[i].off, b->v[i].len, &b->v[i].sg, o);
	logchunk_disarm();
	return 0;
}

/* read [from, to) of src with jobs threads (0: this one); -1 after error() */
static int scan_parallel(harvest_t *h, logsrc_t *src, struct scan_stats *st, time_t now,
			 struct sigcache *cache, long long from, long long to, int jobs,
			 long long chunk, const struct scan_opts *o)
{
	struct pool p = { .src = src, .from = from, .to = to, .chunk = chunk,
			  .cache = cache != NULL, .seccomp = seccomp_mode(o) };
	pthread_t *tid = xcalloc(jobs, sizeof(*tid));
	struct record r;
	unsigned long long lines0 = st->lines;
	int started = 0, rc = 0, shrank = 0, fd = logsrc_fd(src);
	long long k;
	size_t i;

	p.nchunks = (to - from + chunk - 1) / chunk;
	p.nslots = jobs ? 2 * (size_t)jobs : 1;
	p.slot = xcalloc(p.nslots, sizeof(*p.slot));
	for (i = 0; i < p.nslots; i++) {
		p.slot[i].k = -1;
		p.slot[i].c.copy = test_getenv("AAPROF_NO_MMAP") != NULL;   /* tests: the copy path */
	}
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	record_init(&r);
	/* threads that cannot start leave the work to those that did, or to this one */
	while (started < jobs && !pthread_create(&tid[started], NULL, worker, &p))
		started++;
	for (k = 0; k < p.nchunks; k++) {
		struct batch *b = &p.slot[k % p.nslots];

		pthread_mutex_lock(&p.mu);
		while (!(b->k == k && b->ready) && started)
			pthread_cond_wait(&p.cv, &p.mu);
		pthread_mutex_unlock(&p.mu);
		if (!started)
			fill_guarded(&p, b, k);   /* no thread (could) start: read it here */
		if (b->bus || logchunk_shrunk(fd, &b->c)) {
			shrank = b->c.copy = 1;   /* what is left of it, copied */
			fill_batch(&p, b, k);
		}
		test_resize_hook(logsrc_name(src), k);
		if (b->err) {
			errno = b->err;
			rc = error_errno("cannot read '%s'", logsrc_name(src));
			break;
		}
		st->lines += b->lines;
		st->long_lines += b->c.long_lines;
		if (b->lost_marks && !st->lost_marks)
			memcpy(st->lost_sample, b->lost_sample, sizeof(st->lost_sample));
		st->lost_marks += b->lost_marks;
		shrank |= take_batch(h, st, cache, &r, now, b, o);
		progress_update((k + 1) * chunk < to - from ? (k + 1) * chunk : to - from,
				st->lines - lines0);
		pthread_mutex_lock(&p.mu);
		b->k = -1;
		b->ready = 0;
		p.taken = k + 1;
		pthread_cond_broadcast(&p.cv);
		pthread_mutex_unlock(&p.mu);
		if (shrank) {
			warning("'%s' shrank while being read: lines past its new end are not read",
				logsrc_name(src));
			break;
		}
	}
	pthread_mutex_lock(&p.mu);
	p.stop = 1;
	pthread_cond_broadcast(&p.cv);
	pthread_mutex_unlock(&p.mu);
	while (started > 0)
		pthread_join(tid[--started], NULL);
	for (i = 0; i < p.nslots; i++) {
		logchunk_release(&p.slot[i].c);
		free(p.slot[i].v);
	}
	free(p.slot);
	free(tid);
	record_release(&r);
	pthread_cond_destroy(&p.cv);
	pthread_mutex_destroy(&p.mu);
	return rc;
}

int scan_default_jobs(void)
{
	cpu_set_t set;
	int n;

	if (sched_getaffinity(0, sizeof(set), &set) < 0)
		return 1;
	n = CPU_COUNT(&set);
	return n < 1 ? 1 : n > 4 ? 4 : n;
}

static int scan_one(harvest_t *h, logsrc_t *src, struct scan_stats *st, double since, time_t now,
		    struct sigcache *cache, int jobs, int progress, const struct scan_opts *o)
{
	struct record r;
	const char *line;
	size_t len;
	long long from, to;
	unsigned long long lines0 = st->lines, bytes = 0;
	int rc, span;

	if ((since > 0 || (o->until > 0 && !o->cursor)) &&
	    logsrc_seek_time(src, since, o->cursor ? 0 : o->until) < 0)
		return -1;
	span = logsrc_span(src, &from, &to);
	if (progress)
		progress_begin(logsrc_name(src), span ? to - from : -1);
	/* (a file that says it is empty may not be: /proc's are read as a stream) */
	if (span && to > from) {   /* -j 1: the same chunks, read by this thread */
		const char *env = test_getenv("AAPROF_CHUNK");   /* tests: chunk edges everywhere */
		long long chunk = env && atoll(env) > 0 ? atoll(env) : 1 << 20;

		return scan_parallel(h, src, st, now, cache, from, to, jobs > 1 ? jobs : 0, chunk, o);
	}
	record_init(&r);
	while ((rc = logsrc_next(src, &line, &len)) > 0) {
		struct scan_sig sg;
		size_t hostlen;
		const char *host = logsrc_host(src, &hostlen);

		st->lines++;
		bytes += len + 1;
		if (sift(line, len, cache != NULL, seccomp_mode(o), &sg, &st->lost_marks,
			 st->lost_sample, sizeof(st->lost_sample))) {
			/* the journal names the host apart from the line: a
			   record of another host is another signature */
			harvest_set_source_host(h, host, hostlen);
			if (host)
				scan_sig_mix_host(&sg, host, hostlen);
			scan_take(h, st, cache, &r, now, line, len, &sg, o);
		}
		if (!((st->lines - lines0) & 4095))
			progress_update(bytes, st->lines - lines0);
	}
	st->long_lines += logsrc_long_lines(src);
	st->kmsg_lost += logsrc_lost(src);
	harvest_set_source_host(h, NULL, 0);
	record_release(&r);
	return rc;
}

static struct scan_source *add_source(struct scan_stats *st, const char *name)
{
	struct scan_source *ss;

	ALLOC_GROW(st->src, st->nsrc + 1, st->src_alloc);
	ss = &st->src[st->nsrc++];
	memset(ss, 0, sizeof(*ss));
	ss->name = xstrdup(name);
	ss->first = ss->last = -1;
	return ss;
}

/* jkey: the journal's cursor entry to update (--since last), or NULL */
static int run(harvest_t *h, logsrc_t *src, const struct scan_opts *o, struct scan_stats *st,
	       double since, struct sigcache *cache, const char *jkey)
{
	unsigned long long lines = st->lines, apparmor = st->apparmor, in_window = st->in_window;
	unsigned long long seccomp = st->seccomp, seccomp_in_window = st->seccomp_in_window;
	unsigned long long lost = st->lost_marks + st->kmsg_lost, longl = st->long_lines;
	struct scan_source *ss;
	int r;

	if (!o->quiet)
		note("reading %s", logsrc_name(src));
	st->first = st->last = -1;
	r = scan_one(h, src, st, since, (time_t)o->now, cache, o->jobs, !o->quiet, o);
	progress_end();
	ss = add_source(st, logsrc_name(src));
	ss->kind = logsrc_kind(src);
	ss->lines = st->lines - lines;
	ss->apparmor = st->apparmor - apparmor;
	ss->in_window = st->in_window - in_window;
	if (o->seccomp_only) {   /* what the listing counts: the records asked for */
		ss->apparmor = st->seccomp - seccomp;
		ss->in_window = st->seccomp_in_window - seccomp_in_window;
	}
	if (r >= 0 && o->cursor && jkey) {
		char *jc = logsrc_journal_cursor(src);

		cursor_journal_done(o->cursor, jkey, jc);
		free(jc);
	}
	ss->lost_marks = st->lost_marks + st->kmsg_lost - lost;
	ss->long_lines = st->long_lines - longl;
	ss->first = st->first;
	ss->last = st->last;
	logsrc_close(src);
	return r;
}

/* a file; with a cursor, from where the entry key left it up to its last whole line */
static int open_run_file(harvest_t *h, const char *path, const char *key,
			 const char *const *next, size_t nnext, const struct scan_opts *o,
			 struct scan_stats *st, struct sigcache *cache)
{
	logsrc_t *src;

	if (logahead_open(st->ahead, path, next, nnext, &src) < 0)
		return -1;
	if (o->cursor && key && cursor_setup_file(o->cursor, key, path, src, o->quiet) < 0) {
		logsrc_close(src);
		return -1;
	}
	return run(h, src, o, st, o->since, cache, NULL);
}

/* a file and its rotations (oldest first, key last): with a cursor, from the one read last */
static int run_files(harvest_t *h, const char *key, const char *const *paths, size_t n,
		     int named, const struct scan_opts *o, struct scan_stats *st,
		     struct sigcache *cache)
{
	size_t i = o->cursor ? cursor_files(o->cursor, key, paths, n, named, o->quiet) : 0;

	for (; i < n; i++)
		if (open_run_file(h, paths[i], key, paths + i + 1, n - i - 1, o, st, cache) < 0)
			return -1;
	return 0;
}

/* -f FILE: with a cursor, its rotations too (the file read last time may be one) */
static int run_named_file(harvest_t *h, const char *path, const char *const *next,
			  size_t nnext, const struct scan_opts *o, struct scan_stats *st,
			  struct sigcache *cache)
{
	char **paths;
	size_t n;
	int r;

	if (!o->cursor || streq(path, "-"))
		return open_run_file(h, path, NULL, next, nnext, o, st, cache);
	paths = cursor_named_paths(path, &n);
	r = run_files(h, path, (const char *const *)paths, n, 1, o, st, cache);
	paths_free(paths);
	return r;
}

/* the journal, with a cursor from after the entry read last */
static int run_journal(harvest_t *h, logsrc_t *src, const char *key, const struct scan_opts *o,
		       struct scan_stats *st, struct sigcache *cache)
{
	if (o->cursor && cursor_setup_journal(o->cursor, key, src, o->quiet) < 0) {
		logsrc_close(src);
		return -1;
	}
	return run(h, src, o, st, 0, cache, o->cursor ? key : NULL);
}

/* one default source (a file and its rotations, or the journal); -1 after error() */
static int run_default(harvest_t *h, const struct logsrc_host *host, const struct logsrc_default *d,
		       const struct scan_opts *o, struct scan_stats *st, struct sigcache *cache)
{
	logsrc_t *src;
	size_t n;
	int r;

	if (d->err) {
		if (!o->quiet)
			note("cannot read %s: %s: skipped", d->name, strerror(d->err));
		add_source(st, d->name)->err = d->err;
		return 0;
	}
	if (d->kind != LSD_JOURNAL) {
		for (n = 0; d->paths[n]; n++)
			;
		return run_files(h, d->name, (const char *const *)d->paths, n, 0, o, st, cache);
	}
	r = logsrc_open_journal_root(o->cursor ? 0 : o->since, host->root, &src);
	if (r < 0) {
		if (!o->quiet)
			note("cannot read the journal: %s: skipped", strerror(-r));
		add_source(st, d->name)->err = -r;
		return 0;
	}
	if (*host->root) {
		_cleanup_free_ char *key = xasprintf("the journal of %s", host->root);

		return run_journal(h, src, key, o, st, cache);
	}
	return run_journal(h, src, "the journal", o, st, cache);
}

/* the records asked for in the window so far: what makes a default source the one */
static unsigned long long found(const struct scan_opts *o, const struct scan_stats *st)
{
	return o->seccomp_only ? st->seccomp_in_window : st->in_window;
}

static int scan_defaults(harvest_t *h, const struct scan_opts *o, struct scan_stats *st,
			 struct sigcache *cache)
{
	const char *root = test_getenv("AAPROF_ROOT");   /* tests: a fake host */
	struct logsrc_host host;
	struct strbuf hints = STRBUF_INIT;
	int rc = -1;
	size_t i;

	logsrc_host_probe(root ? root : "", &host);
	st->defaults = 1;
	for (i = 0; i < host.nsrc; i++) {
		unsigned long long before = found(o, st);

		if (run_default(h, &host, &host.src[i], o, st, cache) < 0)
			goto out;
		if (found(o, st) > before)
			break;
		if (i + 1 < host.nsrc && !o->quiet && !host.src[i].err)
			note("%s held no %s record%s: trying %s", host.src[i].name,
			     o->seccomp_only ? "SECCOMP" : "AppArmor",
			     o->since > 0 ? " in the window" : "", host.src[i + 1].name);
	}
	if (!found(o, st))
		logsrc_host_hints(&host, &hints);
	if (hints.len)
		strbuf_setlen(&hints, hints.len - 1);   /* the last newline */
	if (!host.nsrc) {
		error("no log found: no %s/var/log/audit/audit.log, no journal, no "
		      "%s/var/log/kern.log or /var/log/syslog (name one with -f FILE, "
		      "--journal or --dmesg)%s%s", host.root, host.root,
		      hints.len ? "; likely causes:\n" : "", hints.buf);
		goto out;
	}
	rc = 0;
out:
	if (hints.len)
		st->hints = strbuf_detach(&hints, NULL);
	strbuf_release(&hints);
	logsrc_host_release(&host);
	return rc;
}

int scan_sources(harvest_t *h, const struct scan_opts *o, struct scan_stats *st)
{
	int rc = -1;
	size_t i;
	logsrc_t *src;
	const char *nocache = test_getenv("AAPROF_NO_CACHE");   /* tests compare with and without */
	struct sigcache *cache = nocache ? NULL : sigcache_new();
	struct logahead ahead;

	logahead_init(&ahead, o->jobs);
	st->ahead = &ahead;
	harvest_set_boot_time(h, 0);   /* files may come from another boot */
	st->windowed = o->since > 0;
	st->incremental = o->cursor != NULL;
	if (!o->nfiles && !o->journal && !o->dmesg && !o->njournal_dirs) {
		rc = scan_defaults(h, o, st, cache);
		goto out;
	}
	for (i = 0; i < o->nfiles; i++) {
		if (run_named_file(h, o->files[i], o->files + i + 1, o->nfiles - i - 1, o, st,
				   cache) < 0)
			goto out;
	}
	if (o->journal) {
		if (logsrc_open_journal(o->cursor ? 0 : o->since, o->journal_files, &src) < 0 ||
		    run_journal(h, src, logsrc_name(src), o, st, cache) < 0)
			goto out;
	}
	for (i = 0; i < o->njournal_dirs; i++) {
		if (logsrc_open_journal_dir(o->since, o->journal_dirs[i], &src) < 0 ||
		    run(h, src, o, st, 0, cache, NULL) < 0)
			goto out;
	}
	if (o->dmesg) {
		if (logsrc_open_dmesg(&src) < 0)
			goto out;
		harvest_set_boot_time(h, o->boot_time);
		if (run(h, src, o, st, 0, cache, NULL) < 0)
			goto out;
	}
	if (!found(o, st)) {
		/* named sources are read as named; the host may still say why they are empty */
		const char *root = test_getenv("AAPROF_ROOT");
		struct logsrc_host host;
		struct strbuf hints = STRBUF_INIT;

		logsrc_host_probe(root ? root : "", &host);
		logsrc_host_hints(&host, &hints);
		logsrc_host_release(&host);
		if (hints.len)
			strbuf_setlen(&hints, hints.len - 1);
		if (hints.len)
			st->hints = strbuf_detach(&hints, NULL);
		strbuf_release(&hints);
	}
	rc = 0;
out:
	logahead_release(&ahead);
	st->ahead = NULL;
	sigcache_free(cache);
	return rc;
}

void scan_stats_release(struct scan_stats *st)
{
	size_t i;

	for (i = 0; i < st->nsrc; i++)
		free(st->src[i].name);
	free(st->src);
	free(st->hints);
	st->src = NULL;
	st->hints = NULL;
	st->nsrc = st->src_alloc = 0;
}
