/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_ALLOC_H
#define AAPROF_ALLOC_H

#include <stddef.h>
#include <stdlib.h>

#include "msg.h"

/*
 * The base every module may include: allocation that never returns NULL
 * (out of memory aborts), the cleanup helpers, and the string predicates.
 * It uses no other module but msg.
 */

#define UNUSED __attribute__((unused))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) PRINTF(1, 2);
/* grow *p (array of *alloc elements of elsize) so that it holds nr */
void *xgrow(void *p, size_t elsize, size_t nr, size_t *alloc);
#define ALLOC_GROW(p, nr, alloc) ((p) = xgrow((p), sizeof(*(p)), (nr), &(alloc)))

static inline void freep(void *p) { free(*(void **)p); }
#define _cleanup_free_ __attribute__((cleanup(freep)))
static inline void *steal_pointer(void *pp)
{
	void **p = pp, *r = *p;
	*p = NULL;
	return r;
}

#define FREE_AND_NULL(p) do { free(p); (p) = NULL; } while (0)

int streq(const char *a, const char *b);
int starts_with(const char *s, const char *prefix);
int ends_with(const char *s, const char *suffix);

#endif
