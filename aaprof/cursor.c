/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cursor.c - harvest --since last: where each source was left, per profile set */
#include "cursor.h"
#include "files.h"
#include "lock.h"
#include "logsrc.h"
#include "paths.h"
#include "strbuf.h"
#include "util.h"

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HASH_SPAN 4096

struct entry {
	char *key;
	int journal;
	unsigned long long dev, ino;
	long long off;
	uint64_t hash;
	char *jcursor;
};

struct cursor {
	char *path;
	struct entry *v;
	size_t n, alloc;
};

const char *cursor_path(const struct cursor *c)
{
	return c->path;
}

static struct entry *find(const struct cursor *c, const char *key, int journal)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->v[i].journal == journal && streq(c->v[i].key, key))
			return &c->v[i];
	return NULL;
}

static struct entry *get(struct cursor *c, const char *key, int journal)
{
	struct entry *e = find(c, key, journal);

	if (e)
		return e;
	ALLOC_GROW(c->v, c->n + 1, c->alloc);
	e = &c->v[c->n++];
	memset(e, 0, sizeof(*e));
	e->key = xstrdup(key);
	e->journal = journal;
	return e;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* a file name for the set: '/', '%' and ',' escaped, a leading '.' too */
static void add_escaped(struct strbuf *sb, const char *s)
{
	const char *p;

	for (p = s; *p; p++) {
		if (*p == '/' || *p == '%' || *p == ',' || (*p == '.' && p == s) ||
		    (unsigned char)*p < 0x20)
			strbuf_addf(sb, "%%%02X", (unsigned char)*p);
		else
			strbuf_addch(sb, *p);
	}
}

static int parse(struct cursor *c, char *text)
{
	char *line, *save = NULL;
	size_t no = 0;

	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct entry e = { 0 };
		char kind[8], tok[512];
		int pos = 0, more = 0;

		if (!no++) {
			if (!streq(line, "aaprof-cursor 1"))
				return error("'%s' is not an aaprof cursor file (remove it to read "
					     "the logs from the start again)", c->path);
			continue;
		}
		if (sscanf(line, "%7s %n", kind, &pos) == 1 && streq(kind, "file") &&
		    sscanf(line + pos, "%llu %llu %lld %" SCNx64 " %n", &e.dev, &e.ino, &e.off,
			   &e.hash, &more) == 4 && more && e.off >= 0 && line[pos + more]) {
			struct entry *n = get(c, line + pos + more, 0);

			e.key = n->key;
			*n = e;
		} else if (streq(kind, "journal") && sscanf(line + 8, "%511s %n", tok, &pos) == 1 &&
			   line[8 + pos]) {
			struct entry *n = get(c, line + 8 + pos, 1);

			free(n->jcursor);
			n->jcursor = xstrdup(tok);
		} else {
			return error("'%s' line %zu: not a cursor (remove the file to read the logs "
				     "from the start again)", c->path, no);
		}
	}
	return 0;
}

int cursor_open(const char *const *profiles, size_t n, const char *namespace,
		struct cursor **ret)
{
	struct strbuf name = STRBUF_INIT;
	_cleanup_free_ char *dir = xasprintf("%s/cursor", state_dir()), *text = NULL;
	const char **sorted = xcalloc(n + 1, sizeof(char *));
	struct cursor *c;
	size_t i;

	memcpy(sorted, profiles, n * sizeof(char *));
	qsort(sorted, n, sizeof(char *), cmp_str);
	for (i = 0; i < n; i++) {
		if (i)
			strbuf_addch(&name, ',');
		add_escaped(&name, sorted[i]);
	}
	free(sorted);
	if (!n)
		strbuf_addstr(&name, "_all");
	if (namespace) {
		strbuf_addstr(&name, ",@");
		add_escaped(&name, namespace);
	}
	if (name.len > 200) {   /* a file name must fit: the rest as a hash */
		uint64_t h = 0xcbf29ce484222325ull;

		for (i = 0; i < name.len; i++)
			h = (h ^ (unsigned char)name.buf[i]) * 0x100000001b3ull;
		strbuf_setlen(&name, 180);
		strbuf_addf(&name, "..%016" PRIx64, h);
	}
	if (mkdir_p(dir, 0700) < 0) {
		strbuf_release(&name);
		return error_errno("cannot create '%s'", dir);
	}
	c = xcalloc(1, sizeof(*c));
	c->path = xasprintf("%s/%s", dir, name.buf);
	strbuf_release(&name);
	if (profile_lock(c->path) < 0) {
		free(c->path);
		free(c);
		return -1;
	}
	if (access(c->path, F_OK) == 0 &&
	    (read_file(c->path, 1u << 20, &text, NULL) < 0 || parse(c, text) < 0)) {
		cursor_close(c);
		return -1;
	}
	*ret = c;
	return 0;
}

int cursor_save(struct cursor *c)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	int r;

	strbuf_addstr(&sb, "aaprof-cursor 1\n");
	for (i = 0; i < c->n; i++) {
		const struct entry *e = &c->v[i];

		if (strchr(e->key, '\n'))
			continue;   /* (not a name a line can hold: read whole next time) */
		if (e->journal && e->jcursor)
			strbuf_addf(&sb, "journal %s %s\n", e->jcursor, e->key);
		else if (!e->journal)
			strbuf_addf(&sb, "file %llu %llu %lld %016" PRIx64 " %s\n", e->dev, e->ino,
				    e->off, e->hash, e->key);
	}
	r = write_file_atomic(c->path, sb.buf, sb.len, 0600, NULL);
	strbuf_release(&sb);
	return r;
}

void cursor_close(struct cursor *c)
{
	size_t i;

	if (!c)
		return;
	profile_unlock(c->path);
	for (i = 0; i < c->n; i++) {
		free(c->v[i].key);
		free(c->v[i].jcursor);
	}
	free(c->v);
	free(c->path);
	free(c);
}

/* FNV-1a of the (at most) HASH_SPAN bytes before off: 0, or -errno */
static int hash_before(int fd, long long off, uint64_t *ret)
{
	char buf[HASH_SPAN];
	long long from = off > HASH_SPAN ? off - HASH_SPAN : 0;
	size_t len = off - from, got = 0, i;
	uint64_t h = 0xcbf29ce484222325ull;

	while (got < len) {
		ssize_t n = pread(fd, buf + got, len - got, from + got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;   /* shorter than fstat said: changed under us */
		got += n;
	}
	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)buf[i]) * 0x100000001b3ull;
	*ret = h;
	return 0;
}

/* the end of the last whole line at or before size (a line being written stays) */
static int whole_lines_end(int fd, long long size, long long *ret)
{
	char buf[HASH_SPAN];
	long long pos = size;

	/* a line longer than the longest one read is skipped anyway: no further back */
	while (pos > 0 && size - pos <= (long long)LOGSRC_MAX_LINE) {
		long long from = pos > (long long)sizeof(buf) ? pos - (long long)sizeof(buf) : 0;
		ssize_t n = pread(fd, buf, pos - from, from);
		char *nl;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n != pos - from)
			return -EIO;
		nl = memrchr(buf, '\n', n);
		if (nl) {
			*ret = from + (nl - buf) + 1;
			return 0;
		}
		pos = from;
	}
	*ret = pos > 0 ? size : 0;
	return 0;
}

size_t cursor_files(struct cursor *c, const char *key, const char *const *paths, size_t n,
		    int named, int quiet)
{
	const struct entry *e = find(c, key, 0);
	size_t i;

	if (!n)
		return 0;
	if (!e) {
		if (!quiet)
			note("%s: no cursor yet for this profile set: reading all of it", key);
		return named ? n - 1 : 0;
	}
	for (i = n; i-- > 0;) {
		struct stat st;

		if (stat(paths[i], &st) == 0 && st.st_dev == e->dev && st.st_ino == e->ino) {
			if (i + 1 < n && !quiet)
				note("%s was rotated since the last harvest: reading the rest of %s, "
				     "then what came after it", key, paths[i]);
			return i;
		}
	}
	warning("%s was rotated since the last harvest and the file read then (inode %llu) "
		"is not among its rotations (removed or compressed): reading %s from its "
		"start; what was written to the old file after the last harvest is not read",
		key, e->ino, paths[n - 1]);
	return n - 1;
}

char **cursor_named_paths(const char *path, size_t *ret_n)
{
	char **rot = logsrc_rotations(path), **out;
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	size_t n = 0, i;

	for (i = 0; rot[i]; i++)
		;
	out = xcalloc(i + 2, sizeof(char *));
	for (i = 0; rot[i]; i++) {
		const char *rs = strrchr(rot[i], '/');

		if (!rot[i + 1] && streq(rs ? rs + 1 : rot[i], base))
			free(rot[i]);   /* the file itself: as named, last */
		else
			out[n++] = rot[i];
	}
	free(rot);
	out[n++] = xstrdup(path);
	*ret_n = n;
	return out;
}

/* where to start in the file open at fd, and where its whole lines end */
static int file_range(struct cursor *c, const char *key, const char *path, int fd,
		      long long *ret_from, long long *ret_end)
{
	const struct entry *e = find(c, key, 0);
	struct stat st;
	uint64_t h;
	int r;

	if (fstat(fd, &st) < 0)
		return error_errno("cannot stat '%s'", path);
	*ret_from = 0;
	r = whole_lines_end(fd, st.st_size, ret_end);
	if (r < 0) {
		errno = -r;
		return error_errno("cannot read '%s'", path);
	}
	if (!e || st.st_dev != e->dev || st.st_ino != e->ino)
		return 0;
	if (st.st_size < e->off) {
		note("%s is shorter than when it was last harvested (truncated): reading it "
		     "from its start", path);
		return 0;
	}
	r = hash_before(fd, e->off, &h);
	if (r < 0) {
		errno = -r;
		return error_errno("cannot read '%s'", path);
	}
	if (h != e->hash) {
		note("%s changed before the point the last harvest reached (rewritten): "
		     "reading it from its start", path);
		return 0;
	}
	*ret_from = e->off;
	if (*ret_end < *ret_from)
		*ret_end = *ret_from;
	return 0;
}

/* the file open at fd was read up to end: its entry for key */
static int file_done(struct cursor *c, const char *key, int fd, long long end)
{
	struct entry *e;
	struct stat st;
	uint64_t h;
	int r;

	if (fstat(fd, &st) < 0)
		return error_errno("cannot stat '%s'", key);
	r = hash_before(fd, end, &h);
	if (r < 0) {
		errno = -r;
		return error_errno("cannot read '%s'", key);
	}
	e = get(c, key, 0);
	e->dev = st.st_dev;
	e->ino = st.st_ino;
	e->off = end;
	e->hash = h;
	return 0;
}

int cursor_setup_file(struct cursor *c, const char *key, const char *path, struct logsrc *src,
		      int quiet)
{
	int fd = logsrc_fd(src);
	long long from, end;

	if (fd < 0)
		return 0;   /* compressed: read whole */
	if (file_range(c, key, path, fd, &from, &end) < 0 || logsrc_set_range(src, from, end) < 0)
		return -1;
	/* the entry is saved only if the whole run succeeds (cursor_save()) */
	if (streq(path, key) && file_done(c, key, fd, end) < 0)
		return -1;
	if (from && !quiet)
		note("%s: from byte %lld, where the last harvest stopped", path, from);
	return 0;
}

int cursor_setup_journal(struct cursor *c, const char *key, struct logsrc *src, int quiet)
{
	const char *jc = cursor_journal(c, key);
	int r = jc ? logsrc_journal_seek_cursor(src, jc) : 1;

	if (r < 0)
		return -1;
	if (!quiet)
		note(!jc ? "%s: no cursor yet for this profile set: reading all of it" : r ?
		     "%s: from the entry after the one the last harvest read" :
		     "%s: the entry the last harvest read is gone (rotated or vacuumed): "
		     "reading from the nearest one after it", key);
	return 0;
}

const char *cursor_journal(const struct cursor *c, const char *key)
{
	const struct entry *e = find(c, key, 1);

	return e ? e->jcursor : NULL;
}

void cursor_journal_done(struct cursor *c, const char *key, const char *jcursor)
{
	struct entry *e = get(c, key, 1);

	if (!jcursor || strpbrk(jcursor, " \t\n") || strlen(jcursor) > 500)
		return;   /* nothing read (keep the entry), or not one a line can hold */
	free(e->jcursor);
	e->jcursor = xstrdup(jcursor);
}
