/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * logahead.c - the next compressed files of a rotation set (or of the -f
 * list), opened and decoding before their turn: a queue of sources, in the
 * order they will be read.
 */
#include "logahead.h"
#include "logpipe.h"
#include "util.h"

#include <string.h>
#include <sys/stat.h>

struct logahead_file {
	char *path;
	logsrc_t *src;
};

/* what all the files decoding at once may hold, and how many are ahead at most */
#define AHEAD_BUDGET (12u << 20)
#define AHEAD_MAX 3

void logahead_init(struct logahead *a, int jobs)
{
	a->max = jobs <= 1 ? 0 : jobs - 1 < AHEAD_MAX ? jobs - 1 : AHEAD_MAX;
	a->nblocks = AHEAD_BUDGET / LOGPIPE_BLOCK / (a->max + 1);
	a->q = NULL;
	a->n = a->alloc = 0;
}

/* path opened and decoding, or NULL: quietly, its turn will say what is wrong */
static logsrc_t *open_ahead(const char *path, size_t nblocks)
{
	int quiet = quiet_errors;
	struct stat st;
	logsrc_t *src = NULL;

	if (streq(path, "-") || stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return NULL;
	quiet_errors = 1;
	if (logsrc_open_file(path, &src) < 0)
		src = NULL;
	quiet_errors = quiet;
	if (src && !logsrc_decode_ahead(src, nblocks)) {
		logsrc_close(src);   /* a plain file: nothing to gain */
		src = NULL;
	}
	return src;
}

static void drop_front(struct logahead *a, size_t k)
{
	size_t i;

	if (!k)
		return;
	for (i = 0; i < k; i++) {
		logsrc_close(a->q[i].src);
		free(a->q[i].path);
	}
	memmove(a->q, a->q + k, (a->n - k) * sizeof(*a->q));
	a->n -= k;
}

static void plan(struct logahead *a, const char *const *paths, size_t n)
{
	size_t i;

	if (n > a->max)
		n = a->max;
	/* the queue is the start of paths, or it is stale */
	for (i = 0; i < a->n; i++)
		if (i >= n || !a->q[i].path || !streq(a->q[i].path, paths[i]))
			break;
	if (i < a->n)
		logahead_release(a);
	for (i = a->n; i < n; i++) {
		ALLOC_GROW(a->q, a->n + 1, a->alloc);
		a->q[a->n].path = xstrdup(paths[i]);
		a->q[a->n].src = open_ahead(paths[i], a->nblocks);
		a->n++;
	}
}

static logsrc_t *take(struct logahead *a, const char *path)
{
	logsrc_t *src;

	if (!a->n || !streq(a->q[0].path, path)) {
		logahead_release(a);
		return NULL;
	}
	src = a->q[0].src;
	a->q[0].src = NULL;
	drop_front(a, 1);
	return src;
}

int logahead_open(struct logahead *a, const char *path, const char *const *next,
		  size_t nnext, logsrc_t **ret)
{
	logsrc_t *src = a ? take(a, path) : NULL;

	if (!src) {
		if (logsrc_open_file(path, &src) < 0)
			return -1;
		if (a && a->max)   /* decompressed by a thread while this one reads */
			logsrc_decode_ahead(src, a->nblocks);
	}
	if (a)
		plan(a, next, nnext);
	*ret = src;
	return 0;
}

void logahead_release(struct logahead *a)
{
	drop_front(a, a->n);
	FREE_AND_NULL(a->q);
	a->alloc = 0;
}
