/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * logpipe.c - a stream read ahead by a thread: a ring of blocks between
 * one producer (the thread, calling fill()) and one consumer. The
 * producer fills a free block outside the lock and hands it over; the
 * consumer copies out of the oldest block and gives it back when it is
 * empty. Nothing else is shared, so the consumer's order is fill()'s.
 */
#include "logpipe.h"
#include "util.h"

#include <pthread.h>
#include <string.h>
#include <sys/mman.h>

struct pblock {
	char *buf;           /* LOGPIPE_BLOCK bytes, mapped when first needed */
	size_t len;
	int heap;            /* buf is malloc()'s (no mapping could be made) */
};

struct logpipe {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t tid;
	logpipe_fill_fn *fill;
	void *ctx;
	struct pblock *ring;
	size_t nblocks;
	size_t head, count;  /* the oldest block handed over, how many are */
	int done;            /* the producer ended: 1 at the end, -1 after fill() failed */
	int stop;            /* the consumer wants no more */
	/* the consumer's own: */
	int holding;         /* the block at head is being read */
	size_t pos;          /* where in it */
};

/* the producer: one block, filled as far as fill() goes; 0, or fill()'s end (0) or error (-1) */
static int fill_block(struct logpipe *p, struct pblock *b)
{
	b->len = 0;
	if (!b->buf) {
		/* mapped, not malloc()'s: the thread's malloc arena would keep
		   them after the pipe, and each thread may have its own */
		b->buf = mmap(NULL, LOGPIPE_BLOCK, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		b->heap = b->buf == MAP_FAILED;
		if (b->heap)
			b->buf = xmalloc(LOGPIPE_BLOCK);
	}
	while (b->len < LOGPIPE_BLOCK) {
		ssize_t n = p->fill(p->ctx, b->buf + b->len, LOGPIPE_BLOCK - b->len);

		if (n <= 0)
			return n < 0 ? -1 : 0;
		b->len += n;
	}
	return 1;
}

static void *producer(void *arg)
{
	struct logpipe *p = arg;
	int r = 1;

	pthread_mutex_lock(&p->mu);
	while (r > 0) {
		struct pblock *b;

		while (!p->stop && p->count == p->nblocks)
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->stop)
			break;
		b = &p->ring[(p->head + p->count) % p->nblocks];
		pthread_mutex_unlock(&p->mu);
		r = fill_block(p, b);   /* a block no one else touches until handed over */
		pthread_mutex_lock(&p->mu);
		if (b->len)
			p->count++;
		pthread_cond_broadcast(&p->cv);
	}
	p->done = r < 0 ? -1 : 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

struct logpipe *logpipe_start(logpipe_fill_fn *fill, void *ctx, size_t nblocks)
{
	struct logpipe *p = xcalloc(1, sizeof(*p));

	p->fill = fill;
	p->ctx = ctx;
	p->nblocks = nblocks ? nblocks : 1;
	p->ring = xcalloc(p->nblocks, sizeof(*p->ring));
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	if (pthread_create(&p->tid, NULL, producer, p)) {
		pthread_cond_destroy(&p->cv);
		pthread_mutex_destroy(&p->mu);
		free(p->ring);
		free(p);
		return NULL;
	}
	return p;
}

/* the consumer: the block at head, waiting for it; 1, or the end (0) or error (-1) */
static int next_block(struct logpipe *p)
{
	int r = 1;

	pthread_mutex_lock(&p->mu);
	if (p->holding) {   /* the one read: back to the producer */
		p->head = (p->head + 1) % p->nblocks;
		p->count--;
		p->holding = 0;
		pthread_cond_broadcast(&p->cv);
	}
	while (!p->count && !p->done)
		pthread_cond_wait(&p->cv, &p->mu);
	if (p->count) {
		p->holding = 1;
		p->pos = 0;
	} else {
		r = p->done < 0 ? -1 : 0;
	}
	pthread_mutex_unlock(&p->mu);
	return r;
}

ssize_t logpipe_read(struct logpipe *p, char *out, size_t avail)
{
	struct pblock *b = &p->ring[p->head];
	size_t n;

	if (!p->holding || p->pos == b->len) {
		int r = next_block(p);

		if (r <= 0)
			return r;
		b = &p->ring[p->head];
	}
	n = b->len - p->pos < avail ? b->len - p->pos : avail;
	memcpy(out, b->buf + p->pos, n);
	p->pos += n;
	return n;
}

void logpipe_stop(struct logpipe *p)
{
	size_t i;

	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	pthread_join(p->tid, NULL);
	for (i = 0; i < p->nblocks; i++) {
		if (p->ring[i].heap)
			free(p->ring[i].buf);
		else if (p->ring[i].buf)
			munmap(p->ring[i].buf, LOGPIPE_BLOCK);
	}
	free(p->ring);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);
	free(p);
}
