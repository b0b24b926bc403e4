/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * logdec.c - compressed logs, told by their first bytes whatever their
 * name, decoded as they are read: gzip through zlib, xz (and .lzma)
 * through liblzma, zstd through libzstd; stdin and pipes the same way.
 * Other compressed or binary files (bzip2, lz4, a journal file, a
 * program) are refused, saying what to use.
 */
#include "logdec.h"
#include "logpipe.h"
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

struct logdec {
	enum logdec_codec codec;
	int fd;              /* the caller's */
	const char *name;    /* the caller's: for messages */
	unsigned char *in;   /* the bytes read, not yet decoded */
	size_t in_pos, in_len;
	int in_eof, member_end, finished;
	z_stream *z;
	lzma_stream *xz;
	ZSTD_DStream *zst;
	struct logpipe *pipe;  /* decoding in a thread of its own (logdec_ahead()) */
	int pipe_side;         /* dec_read() runs there: errors are kept in msg */
	char *msg;             /* there: the error it met, reported when reached */
};

static const char *const codec_names[] = { "plain", "gzip", "xz", "zstd" };

/*
 * journalctl's own serialisations (-o json, json-pretty, json-seq, export):
 * their first field is always __CURSOR. NULL: none of them.
 */
static const char *journal_export_kind(const unsigned char *m, size_t n)
{
	static const char cursor[] = "\"__CURSOR\"";
	size_t i = 0;

	if (n >= 9 && !memcmp(m, "__CURSOR=", 9))
		return "journalctl -o export";
	if (i < n && m[i] == 0x1e)   /* json-seq's record separator */
		i++;
	if (i >= n || m[i] != '{')
		return NULL;
	for (i++; i < n && (m[i] == ' ' || m[i] == '\t' || m[i] == '\n' || m[i] == '\r'); i++)
		;
	if (n - i < sizeof(cursor) - 1 || memcmp(m + i, cursor, sizeof(cursor) - 1))
		return NULL;
	return memchr(m, '\n', i) ? "journalctl -o json-pretty" : "journalctl -o json";
}

/*
 * What the first bytes say: a codec, or -1 after error() for a file aaprof
 * cannot read as a log (naming what it is and what to do instead).
 */
int logdec_sniff(const char *path, const unsigned char *m, size_t n)
{
	static const struct {
		const char *magic;
		size_t len;
		const char *what, *instead;
	} refused[] = {
		{ "BZh", 3, "bzip2-compressed", "bunzip2 -c FILE | aaprof harvest -f -" },
		{ "\x04\x22\x4d\x18", 4, "lz4-compressed", "lz4 -dc FILE | aaprof harvest -f -" },
		{ "LPKSHHRH", 8, "a systemd journal file", "read it with --journal-file FILE" },
		{ "\x7f" "ELF", 4, "an ELF program, not a log", "name the log file" },
		{ "PK\x03\x04", 4, "a zip archive", "unzip -p FILE | aaprof harvest -f -" },
		{ "7z\xbc\xaf\x27\x1c", 6, "a 7-Zip archive", "7z x -so FILE | aaprof harvest -f -" },
		{ "\x1f\x9d", 2, "compress(1)-compressed (.Z)", "zcat FILE | aaprof harvest -f -" },
	};
	const char *kind;
	size_t i;

	if (n >= 2 && m[0] == 0x1f && m[1] == 0x8b)
		return C_GZ;
	if ((n >= 6 && !memcmp(m, "\xfd" "7zXZ\0", 6)) || (n >= 3 && m[0] == 0x5d && !m[1] && !m[2]))
		return C_XZ;   /* xz, or the legacy .lzma format */
	if (n >= 4 && m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd)
		return C_ZST;
	if ((kind = journal_export_kind(m, n)))
		return error("'%s' is %s output, which aaprof does not read: let aaprof read "
			     "the journal (the default source, or --journal-file FILE), or pipe "
			     "its text (journalctl -k -o short-iso | aaprof harvest -f -)", path, kind);
	for (i = 0; i < ARRAY_SIZE(refused); i++)
		if (n >= refused[i].len && !memcmp(m, refused[i].magic, refused[i].len))
			return error("'%s' is %s: aaprof reads plain, gzip, xz and zstd logs (%s)",
				     path, refused[i].what, refused[i].instead);
	return C_PLAIN;
}

static int dec_init(struct logdec *d)
{
	switch (d->codec) {
	case C_PLAIN:
		return 0;
	case C_GZ:
		d->z = xcalloc(1, sizeof(*d->z));
		if (inflateInit2(d->z, 15 + 16) != Z_OK) {   /* gzip only */
			FREE_AND_NULL(d->z);
			return error("cannot read '%s': zlib: out of memory", d->name);
		}
		return 0;
	case C_XZ:
		d->xz = xcalloc(1, sizeof(*d->xz));
		*d->xz = (lzma_stream)LZMA_STREAM_INIT;
		if (lzma_auto_decoder(d->xz, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK) {
			FREE_AND_NULL(d->xz);
			return error("cannot read '%s': liblzma: out of memory", d->name);
		}
		return 0;
	case C_ZST:
		d->zst = ZSTD_createDStream();
		if (!d->zst || ZSTD_isError(ZSTD_initDStream(d->zst)))
			return error("cannot read '%s': libzstd: out of memory", d->name);
		return 0;
	}
	return 0;
}

struct logdec *logdec_new(int fd, const char *name, enum logdec_codec codec,
			  unsigned char *in, size_t in_len, int in_eof)
{
	struct logdec *d = xcalloc(1, sizeof(*d));

	d->codec = codec;
	d->fd = fd;
	d->name = name;
	d->in = in;
	d->in_len = in_len;
	d->in_eof = in_eof;
	if (dec_init(d) < 0) {
		logdec_free(d);
		return NULL;
	}
	return d;
}

/*
 * error(), or, in the decoding thread, the message kept for the reader
 * to report where it reaches it (logdec_read()); with_errno: ": strerror"
 */
static int dec_error(struct logdec *d, int with_errno, const char *fmt, ...) PRINTF(3, 4);
static int dec_error(struct logdec *d, int with_errno, const char *fmt, ...)
{
	int e = errno;
	char *msg;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (msg && with_errno) {
		char *m = xasprintf("%s: %s", msg, strerror(e));

		free(msg);
		msg = m;
	}
	if (d->pipe_side) {
		free(d->msg);
		d->msg = msg;
		return -1;
	}
	error("%s", msg ? msg : "cannot decode: out of memory");
	free(msg);
	errno = e;
	return -1;
}

/* one decoding step into out: bytes produced (0: none yet), or -1 after error() */
static ssize_t dec_step(struct logdec *d, char *out, size_t avail)
{
	size_t in_avail = d->in_len - d->in_pos;

	switch (d->codec) {
	case C_PLAIN: {
		size_t n = in_avail < avail ? in_avail : avail;

		memcpy(out, d->in + d->in_pos, n);
		d->in_pos += n;
		if (!n && d->in_eof)
			d->finished = 1;
		return n;
	}
	case C_GZ: {
		int r;

		if (d->member_end) {
			/* another gzip member follows (cat a.gz b.gz), or trailing bytes end it */
			if (!in_avail || d->in[d->in_pos] != 0x1f) {
				if (!in_avail && !d->in_eof)
					return 0;
				d->finished = 1;
				return 0;
			}
			inflateReset(d->z);
			d->member_end = 0;
		}
		d->z->next_in = d->in + d->in_pos;
		d->z->avail_in = in_avail;
		d->z->next_out = (unsigned char *)out;
		d->z->avail_out = avail;
		r = inflate(d->z, Z_NO_FLUSH);
		d->in_pos = d->in_len - d->z->avail_in;
		if (r == Z_STREAM_END)
			d->member_end = 1;
		else if (r != Z_OK && r != Z_BUF_ERROR)
			return dec_error(d, 0, "cannot read '%s': corrupt gzip data (%s)", d->name,
				     d->z->msg ? d->z->msg : "zlib error");
		return avail - d->z->avail_out;
	}
	case C_XZ: {
		lzma_ret r;

		d->xz->next_in = d->in + d->in_pos;
		d->xz->avail_in = in_avail;
		d->xz->next_out = (uint8_t *)out;
		d->xz->avail_out = avail;
		r = lzma_code(d->xz, d->in_eof && !in_avail ? LZMA_FINISH : LZMA_RUN);
		d->in_pos = d->in_len - d->xz->avail_in;
		if (r == LZMA_STREAM_END)
			d->finished = 1;
		else if (r != LZMA_OK && !(r == LZMA_BUF_ERROR && !d->in_eof))
			return dec_error(d, 0, "cannot read '%s': %s xz data", d->name,
				     r == LZMA_BUF_ERROR ? "truncated" : r == LZMA_MEM_ERROR ?
				     "out of memory for" : "corrupt");
		return avail - d->xz->avail_out;
	}
	case C_ZST: {
		ZSTD_inBuffer ib = { d->in + d->in_pos, in_avail, 0 };
		ZSTD_outBuffer ob = { out, avail, 0 };
		size_t r;

		if (!in_avail && d->in_eof && d->member_end) {
			d->finished = 1;   /* the input ended with a whole frame */
			return 0;
		}
		r = ZSTD_decompressStream(d->zst, &ob, &ib);
		d->in_pos += ib.pos;
		if (ZSTD_isError(r))
			return dec_error(d, 0, "cannot read '%s': corrupt zstd data (%s)", d->name,
				     ZSTD_getErrorName(r));
		if (ib.pos || ob.pos)
			d->member_end = r == 0;   /* at the end of a frame, nothing held back */
		return ob.pos;
	}
	}
	return 0;
}

static ssize_t dec_read(struct logdec *d, char *out, size_t avail)
{
	for (;;) {
		size_t before = d->in_pos;
		ssize_t n;

		if (d->finished)
			return 0;
		if (d->in_pos == d->in_len && !d->in_eof) {
			do
				n = read(d->fd, d->in, LOGDEC_INBLOCK);
			while (n < 0 && errno == EINTR);
			if (n < 0)
				return dec_error(d, 1, "cannot read '%s'", d->name);
			d->in_pos = 0;
			d->in_len = n;
			d->in_eof = n == 0;
		}
		n = dec_step(d, out, avail);
		if (n != 0)
			return n;
		if (d->finished)
			return 0;
		if (d->in_eof && d->in_pos == d->in_len && d->in_pos == before) {
			if (d->codec == C_GZ && d->member_end)
				return 0;
			return dec_error(d, 0, "cannot read '%s': truncated %s data", d->name,
				     codec_names[d->codec]);
		}
	}
}

static ssize_t pipe_fill(void *ctx, char *out, size_t avail)
{
	return dec_read(ctx, out, avail);
}

int logdec_ahead(struct logdec *d, size_t nblocks)
{
	if (d->pipe)
		return 0;
	d->pipe_side = 1;
	d->pipe = logpipe_start(pipe_fill, d, nblocks);
	if (!d->pipe) {
		d->pipe_side = 0;
		return -1;
	}
	return 0;
}

ssize_t logdec_read(struct logdec *d, char *out, size_t avail)
{
	ssize_t n;

	if (!d->pipe)
		return dec_read(d, out, avail);
	n = logpipe_read(d->pipe, out, avail);
	if (n < 0)   /* (the thread has ended: msg is this thread's to read) */
		return error("%s", d->msg ? d->msg : "cannot decode: out of memory");
	return n;
}

void logdec_free(struct logdec *d)
{
	if (!d)
		return;
	logpipe_stop(d->pipe);
	free(d->msg);
	if (d->z) {
		inflateEnd(d->z);
		free(d->z);
	}
	if (d->xz) {
		lzma_end(d->xz);
		free(d->xz);
	}
	ZSTD_freeDStream(d->zst);
	free(d->in);
	free(d);
}
