/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * logsrc.c - where lines come from.
 *
 * Files are read in 1 MiB blocks and split with memchr: no per-line
 * allocation, no copy of a line that fits in the block. Compressed files,
 * stdin and pipes are decoded as they are read (logdec.c). The journal
 * comes through libsystemd (logjournal.c), the kernel ring buffer through
 * /dev/kmsg. A regular file can also be read in chunks (logchunk.c) and
 * start at --since (logseek.c).
 */
#include "logsrc.h"
#include "logdec.h"
#include "logjournal.h"
#include "logseek.h"
#include "strbuf.h"
#include "testhooks.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BLOCK (1u << 20)

/* K_DEC: a stream decoded as it is read (compressed files, stdin, pipes) */
enum kind { K_FD, K_DEC, K_JOURNAL, K_KMSG };

struct logsrc {
	enum kind kind;
	char *name;
	int fd;
	struct logdec *dec;          /* K_DEC */
	struct logjournal *jr;       /* K_JOURNAL */
	char *buf;
	size_t cap, start, end;
	int eof, skipping;
	long long limit;             /* K_FD: read no further (-1: to the end) */
	unsigned long long long_lines, lost;
	struct strbuf line;          /* kmsg: the built line */
	/* K_FD, what was read of it (the AAPROF_TRACE_BYTES test hook):
	   bytes read by the binary search of --since/--until, by
	   logsrc_next(), and the span handed to chunk readers */
	unsigned long long probed, nread;
	long long span_from, span_to;
};

static logsrc_t *new_src(enum kind kind, const char *name)
{
	logsrc_t *s = xcalloc(1, sizeof(*s));

	s->kind = kind;
	s->name = xstrdup(name);
	s->fd = -1;
	s->limit = -1;
	s->span_from = s->span_to = -1;
	strbuf_init(&s->line, 0);
	return s;
}

/*
 * A pipe cannot be peeked: its first bytes (8 at least, unless it ends
 * first) into in, a LOGDEC_INBLOCK buffer, to be decoded first. 0, or -1
 * after error()
 */
static int read_start(int fd, const char *name, unsigned char *in, size_t *ret_len,
		      int *ret_eof)
{
	size_t len = 0;
	ssize_t n = 0;

	while (len < 8) {
		n = read(fd, in + len, LOGDEC_INBLOCK - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
	}
	if (n < 0)
		return error_errno("cannot read '%s'", name);
	*ret_len = len;
	*ret_eof = n == 0;
	return 0;
}

int logsrc_open_file(const char *path, logsrc_t **ret)
{
	int fd = streq(path, "-") ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_CLOEXEC);
	unsigned char magic[64], *in = NULL;
	size_t in_len = 0;
	int in_eof = 0;
	struct stat st;
	ssize_t n = 0;
	int codec;
	logsrc_t *s;

	if (fd < 0)
		return error_errno("cannot open '%s'", path);
	if (fstat(fd, &st) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return error_errno("cannot stat '%s'", path);
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return error("'%s' is a directory", path);
	}
	s = new_src(K_FD, streq(path, "-") ? "standard input" : path);
	s->fd = fd;
	if (S_ISREG(st.st_mode)) {
		n = pread(fd, magic, sizeof(magic), 0);
	} else {
		in = xmalloc(LOGDEC_INBLOCK);
		if (read_start(fd, s->name, in, &in_len, &in_eof) < 0)
			goto fail;
		memcpy(magic, in, in_len < sizeof(magic) ? in_len : sizeof(magic));
		n = in_len;
	}
	codec = logdec_sniff(s->name, magic, n > 0 ? (size_t)n : 0);
	if (codec < 0)
		goto fail;
	if (codec != C_PLAIN || !S_ISREG(st.st_mode)) {
		s->kind = K_DEC;
		s->dec = logdec_new(fd, s->name, codec, in ? in : xmalloc(LOGDEC_INBLOCK),
				    in_len, in_eof);
		in = NULL;   /* the decoder's now, or freed */
		if (!s->dec)
			goto fail;
	} else {
		posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	}
	s->cap = BLOCK;
	s->buf = xmalloc(s->cap + 1);   /* + a NUL after the data: see logsrc.h */
	s->buf[0] = '\0';
	*ret = s;
	return 0;
fail:
	free(in);
	logsrc_close(s);
	return -1;
}

static ssize_t fill(logsrc_t *s)
{
	size_t want = s->cap - s->end;
	ssize_t n;

	if (s->kind == K_DEC)
		return logdec_read(s->dec, s->buf + s->end, want);
	if (s->limit >= 0) {
		off_t pos = lseek(s->fd, 0, SEEK_CUR);

		if (pos < 0)
			return error_errno("cannot read '%s'", s->name);
		if (pos >= s->limit)
			return 0;
		if ((long long)want > s->limit - pos)
			want = s->limit - pos;
	}
	do
		n = read(s->fd, s->buf + s->end, want);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return error_errno("cannot read '%s'", s->name);
	s->nread += n;
	return n;
}

static int next_buffered(logsrc_t *s, const char **ret_line, size_t *ret_len)
{
	for (;;) {
		char *from = s->buf + s->start;
		char *nl = s->end > s->start ? memchr(from, '\n', s->end - s->start) : NULL;
		ssize_t n;

		if (nl) {
			s->start = nl + 1 - s->buf;
			if (s->skipping) {
				s->skipping = 0;
				continue;
			}
			*ret_line = from;
			*ret_len = nl - from;
			return 1;
		}
		if (s->eof) {
			if (s->end > s->start && !s->skipping) {
				*ret_line = from;
				*ret_len = s->end - s->start;
				s->start = s->end;
				return 1;
			}
			return 0;
		}
		if (s->start > 0) {
			memmove(s->buf, s->buf + s->start, s->end - s->start);
			s->end -= s->start;
			s->start = 0;
		}
		if (s->end == s->cap) {
			/* a line longer than the block: skip all of it */
			if (!s->skipping)
				s->long_lines++;
			s->skipping = 1;
			s->start = s->end = 0;
		}
		n = fill(s);
		if (n < 0)
			return -1;
		if (n == 0)
			s->eof = 1;
		s->end += n;
		s->buf[s->end] = '\0';
	}
}

int logsrc_decode_ahead(logsrc_t *s, size_t nblocks)
{
	struct stat st;

	/* (not a pipe or terminal: its reader could wait for ever) */
	if (s->kind != K_DEC || fstat(s->fd, &st) < 0 || !S_ISREG(st.st_mode))
		return 0;
	return logdec_ahead(s->dec, nblocks) == 0;
}

/* ------------------------------------- regular files: chunks, --since */

int logsrc_span(logsrc_t *s, long long *ret_from, long long *ret_to)
{
	struct stat st;
	off_t pos;

	if (s->kind != K_FD || s->end != s->start || fstat(s->fd, &st) < 0 || !S_ISREG(st.st_mode))
		return 0;
	pos = lseek(s->fd, 0, SEEK_CUR);
	if (pos < 0)
		return 0;
	*ret_from = s->span_from = pos;
	*ret_to = s->span_to = s->limit >= 0 && s->limit < st.st_size ? s->limit : st.st_size;
	return 1;
}

int logsrc_fd(const logsrc_t *s)
{
	struct stat st;

	if (s->kind != K_FD || fstat(s->fd, &st) < 0 || !S_ISREG(st.st_mode))
		return -1;
	return s->fd;
}

int logsrc_set_range(logsrc_t *s, long long from, long long to)
{
	if (logsrc_fd(s) < 0)
		return 0;
	if (lseek(s->fd, from, SEEK_SET) < 0)
		return error_errno("cannot seek in '%s'", s->name);
	s->start = s->end = 0;
	s->eof = 0;
	s->limit = to;
	return 0;
}

int logchunk_read(const logsrc_t *s, long long from, long long to, long long size,
		  struct logchunk *c)
{
	return logchunk_read_fd(s->fd, from, to, size, c);
}

int logsrc_seek_time(logsrc_t *s, double since, double until)
{
	struct stat st;
	off_t line, end;

	if (s->kind != K_FD || (since <= 0 && until <= 0) || fstat(s->fd, &st) < 0 ||
	    !S_ISREG(st.st_mode))
		return 0;
	line = lseek(s->fd, 0, SEEK_CUR);
	if (since > 0 && logseek_since(s->fd, st.st_size, since, &line, &s->probed)) {
		if (lseek(s->fd, line, SEEK_SET) < 0)
			return error_errno("cannot seek in '%s'", s->name);
		s->start = s->end = 0;
	}
	if (line >= 0 && until > 0 && s->limit < 0 &&
	    logseek_until(s->fd, line, st.st_size, until, &end, &s->probed))
		s->limit = end;
	return 0;
}

/* ------------------------------------------------------------- journal */

int logsrc_open_journal(double since, const char *const *files, logsrc_t **ret)
{
	struct strbuf name = STRBUF_INIT;
	struct logjournal *jr;

	if (logjournal_open(since, files, &name, &jr) < 0) {
		strbuf_release(&name);
		return -1;
	}
	*ret = new_src(K_JOURNAL, name.len ? name.buf : "the journal");
	(*ret)->jr = jr;
	strbuf_release(&name);
	return 0;
}

int logsrc_open_journal_dir(double since, const char *dir, logsrc_t **ret)
{
	struct logjournal *jr;

	if (logjournal_open_dir(since, dir, &jr) < 0)
		return -1;
	*ret = new_src(K_JOURNAL, dir);
	(*ret)->jr = jr;
	return 0;
}

const char *logsrc_host(const logsrc_t *s, size_t *ret_len)
{
	*ret_len = 0;
	return s->kind == K_JOURNAL ? logjournal_host(s->jr, ret_len) : NULL;
}

const char *logsrc_kind(const logsrc_t *s)
{
	switch (s->kind) {
	case K_JOURNAL:
		return "journal";
	case K_KMSG:
		return "kmsg";
	default:
		return streq(s->name, "-") ? "stdin" : "file";
	}
}

int logsrc_open_journal_root(double since, const char *root, logsrc_t **ret)
{
	struct logjournal *jr;
	int r = logjournal_open_root(since, root, &jr);

	if (r < 0)
		return r;
	*ret = new_src(K_JOURNAL, "the journal");
	(*ret)->jr = jr;
	return 0;
}

int logsrc_journal_seek_cursor(logsrc_t *s, const char *jcursor)
{
	return s->kind == K_JOURNAL ? logjournal_seek_cursor(s->jr, jcursor) : 0;
}

char *logsrc_journal_cursor(logsrc_t *s)
{
	return s->kind == K_JOURNAL ? logjournal_cursor(s->jr) : NULL;
}

int logsrc_open_dmesg(logsrc_t **ret)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	logsrc_t *s;

	if (fd < 0)
		return error_errno("cannot read the kernel log /dev/kmsg%s",
				   errno == EPERM || errno == EACCES ? " (run as root, or "
				   "set kernel.dmesg_restrict=0)" : "");
	s = new_src(K_KMSG, "the kernel log (/dev/kmsg)");
	s->fd = fd;
	s->cap = 16384;
	s->buf = xmalloc(s->cap + 1);
	*ret = s;
	return 0;
}

static int next_kmsg(logsrc_t *s, const char **ret_line, size_t *ret_len)
{
	for (;;) {
		ssize_t n = read(s->fd, s->buf, s->cap - 1);
		char *semi, *p, *nl;
		unsigned long long usec;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return 0;
			if (errno == EPIPE) {   /* overwritten before we read it */
				s->lost++;
				continue;
			}
			return error_errno("cannot read /dev/kmsg");
		}
		if (n == 0)
			return 0;
		s->buf[n] = '\0';
		/* "PRI,SEQ,USEC,FLAGS;MESSAGE\n KEY=VALUE..." */
		semi = strchr(s->buf, ';');
		if (!semi)
			continue;
		p = strchr(s->buf, ',');
		p = p ? strchr(p + 1, ',') : NULL;
		usec = p ? strtoull(p + 1, NULL, 10) : 0;
		nl = strchr(semi + 1, '\n');
		if (nl)
			*nl = '\0';
		strbuf_reset(&s->line);
		/* PRI is facility * 8 + level: the kernel's messages have facility
		   0, what user space writes into /dev/kmsg never has (the kernel
		   forces LOG_USER on it), whatever its text says */
		if (strtoul(s->buf, NULL, 10) >> 3)
			strbuf_addf(&s->line, "[%5llu.%06llu] user-space/kmsg: %s", usec / 1000000,
				 usec % 1000000, semi + 1);
		else
			strbuf_addf(&s->line, "[%5llu.%06llu] %s", usec / 1000000, usec % 1000000, semi + 1);
		*ret_line = s->line.buf;
		*ret_len = strlen(s->line.buf);
		return 1;
	}
}

/* --------------------------------------------------------------- common */

int logsrc_next(logsrc_t *s, const char **ret_line, size_t *ret_len)
{
	switch (s->kind) {
	case K_JOURNAL:
		return logjournal_next(s->jr, LOGSRC_MAX_LINE, &s->long_lines, ret_line, ret_len);
	case K_KMSG:
		return next_kmsg(s, ret_line, ret_len);
	default:
		return next_buffered(s, ret_line, ret_len);
	}
}

const char *logsrc_name(const logsrc_t *s)
{
	return s->name;
}

unsigned long long logsrc_long_lines(const logsrc_t *s)
{
	return s->long_lines;
}

unsigned long long logsrc_lost(const logsrc_t *s)
{
	return s->lost;
}

void logsrc_close(logsrc_t *s)
{
	if (!s)
		return;
	if (s->kind == K_FD && test_getenv("AAPROF_TRACE_BYTES"))
		fprintf(stderr, "aaprof: trace-bytes '%s': probed %llu, read %llu, span %lld-%lld\n",
			s->name, s->probed, s->nread, s->span_from, s->span_to);
	logdec_free(s->dec);
	if (s->fd >= 0)
		close(s->fd);
	logjournal_close(s->jr);
	free(s->buf);
	strbuf_release(&s->line);
	free(s->name);
	free(s);
}

double logsrc_boot_time(void)
{
	struct timespec rt, bt;

	if (clock_gettime(CLOCK_REALTIME, &rt) < 0 || clock_gettime(CLOCK_BOOTTIME, &bt) < 0)
		return 0;
	return (rt.tv_sec - bt.tv_sec) + (rt.tv_nsec - bt.tv_nsec) / 1e9;
}
