/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_STRBUF_H
#define AAPROF_STRBUF_H

#include <stddef.h>
#include "util.h"

/*
 * A growable string in the manner of git's strbuf: buf is never NULL and
 * always NUL-terminated; STRBUF_INIT needs no allocation.
 */
struct strbuf {
	size_t alloc;
	size_t len;
	char *buf;
};

extern char strbuf_slopbuf[];
#define STRBUF_INIT { 0, 0, strbuf_slopbuf }

void strbuf_init(struct strbuf *sb, size_t hint);
void strbuf_release(struct strbuf *sb);
/* hand the string out; sb is re-initialised */
char *strbuf_detach(struct strbuf *sb, size_t *ret_len);
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_setlen(struct strbuf *sb, size_t len);
#define strbuf_reset(sb) strbuf_setlen((sb), 0)
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, int c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) PRINTF(2, 3);
void strbuf_addbuf(struct strbuf *sb, const struct strbuf *other);
void strbuf_insertstr(struct strbuf *sb, size_t pos, const char *s);

static inline void strbuf_releasep(struct strbuf *sb) { strbuf_release(sb); }
#define _cleanup_strbuf_ __attribute__((cleanup(strbuf_releasep)))

#endif
