/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * linesig.c - the signature of a log line for scan's cache of repeated
 * records.
 */
#include "linesig.h"
#include "record.h"

#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/*
 * Logs repeat themselves: the same access by the same program, differing
 * only in stamps and pids. A record's signature is a hash of its line
 * without those (the syslog date, the digits of [secs.usecs], audit(...)
 * and the digits of pid=, parent=, peer_pid=, ppid=, ses=); a record whose
 * signature was seen has the same outcome (scan.c replays it). Nothing
 * record.c decides, above all whether the kernel wrote the record
 * (record_trusted()), may depend on what the signature leaves out: it
 * leaves out exactly the shapes record.h names (a stamp only where
 * audit_stamp_parse() takes it), and keeps where each cut was and what
 * kind it was (a date, [secs], a stamp, a number) apart from the bytes: a
 * line that spells out a cut's stand-in ("[]", "#") is another line, never
 * the kernel's record with its stamps left out. Two independent 64-bit
 * hashes make a false match negligible. Lines without an audit stamp
 * (whose time would come from elsewhere) are never cached.
 */
static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

uint64_t sig_key[2];

void sig_key_init(void)
{
	uint64_t k[2];

	if (sig_key[0] | sig_key[1])
		return;
	if (getrandom(k, sizeof(k), GRND_NONBLOCK) != (ssize_t)sizeof(k)) {
		/* no entropy yet (early boot): what an attacker knows least of */
		struct timespec ts;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		k[0] = (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ull ^ (uint64_t)getpid() << 32;
		k[1] = ((uint64_t)ts.tv_sec ^ (uint64_t)(uintptr_t)k) * 0xff51afd7ed558ccdull;
	}
	sig_key[0] = k[0];
	sig_key[1] = k[1] | 1;   /* never both 0: the mark of "not yet" */
}

/* bytes the signature scan must look at (outside quotes, with '"') */
static const unsigned char sig_special[256] = { ['"'] = 1, ['['] = 1, ['('] = 1, ['='] = 1 };

static inline void mix(uint64_t *a, uint64_t *b, uint64_t w)
{
	*a = (*a ^ w) * 0x9e3779b97f4a7c15ull;
	*a ^= *a >> 29;
	*b = (*b ^ w) * 0xff51afd7ed558ccdull;
	*b ^= *b >> 32;
}

static inline void sh_word(struct sighash *h, uint64_t w)
{
	mix(&h->a, &h->b, w);
}

void sighash_init(struct sighash *h)
{
	memset(h, 0, sizeof(*h));
	h->a = 0x243f6a8885a308d3ull ^ sig_key[0];
	h->b = 0x13198a2e03707344ull ^ sig_key[1];
}

void sighash_feed(struct sighash *h, const void *bytes, size_t n)
{
	const unsigned char *p = bytes;

	h->n += n;
	while (h->cn && n) {
		h->carry.c[h->cn++] = *p++;
		n--;
		if (h->cn == 8) {
			sh_word(h, h->carry.w);
			h->cn = 0;
		}
	}
	if (n >= 8) {   /* (in locals: the line's bytes may alias *h for the compiler) */
		uint64_t a = h->a, b = h->b, w;

		for (; n >= 8; p += 8, n -= 8) {
			memcpy(&w, p, 8);
			mix(&a, &b, w);
		}
		h->a = a;
		h->b = b;
	}
	while (n--)
		h->carry.c[h->cn++] = *p++;
}

void sighash_final(struct sighash *h, uint64_t cuts, uint64_t *ra, uint64_t *rb)
{
	uint64_t a, b;

	if (h->cn) {
		memset(h->carry.c + h->cn, 0, 8 - h->cn);
		sh_word(h, h->carry.w);
	}
	sh_word(h, cuts);
	a = (h->a ^ h->n) * 0x9e3779b97f4a7c15ull;
	b = (h->b ^ (h->n * 31)) * 0xff51afd7ed558ccdull;
	*ra = a ^ (a >> 31);
	*rb = b ^ (b >> 33);
}

/* is the key before p (after a space, a quote or the line's start) this one? */
static int key_is(const unsigned char *line, const unsigned char *p, const char *key, size_t kl)
{
	const unsigned char *k = p - kl;

	return k >= line && !memcmp(k, key, kl) && (k == line || k[-1] == ' ' || k[-1] == '\'');
}

struct sigscan {
	const unsigned char *line, *end;
	const unsigned char *run;     /* the bytes since the last cut, not yet hashed */
	const unsigned char *stamp;   /* after the last audit(, or NULL */
	struct audit_stamp st;        /* its reading, */
	int stamp_ok;                 /* if audit_stamp_parse() took it */
	long long pid;
	struct sighash h;
	uint64_t cuts;                /* each cut's place in the bytes hashed, and kind */
};

/* what a cut left out: kept apart from the bytes, so no byte can spell it */
enum { CUT_DATE = 1, CUT_SECS, CUT_STAMP, CUT_NUMBER };

static inline void cut_mark(struct sigscan *s, unsigned kind)
{
	uint64_t c = (s->cuts ^ ((uint64_t)s->h.n << 3 | kind)) * 0xff51afd7ed558ccdull;

	s->cuts = c ^ (c >> 31);
}

/*
 * p is a '[', '(' or '=' outside quotes: if the signature leaves out what
 * follows it, hash up to it, put in what stands for what is left out and
 * return the position after it; else NULL
 */
static const unsigned char *cut(struct sigscan *s, const unsigned char *p)
{
	const unsigned char *l = s->line, *end = s->end;
	unsigned char c = *p;

	if (c == '[' && (p == l || p[-1] == ' ')) {
		/* [secs.usecs], where record.c reads one, goes whole; that
		   there was one is the cut's mark */
		size_t k = record_boot_secs_len((const char *)p, (const char *)end);

		if (!k)
			return NULL;
		sighash_feed(&s->h, s->run, p - s->run);
		cut_mark(s, CUT_SECS);
		return s->run = p + k;
	}
	if (c == '(' && p - l >= 5 && !memcmp(p - 5, "audit", 5)) {
		/* read now (a stamp ends at its first ')'): one the parser
		   takes is skipped up to its ')', any other stays in the bytes
		   (and, the last, makes the line not cacheable) */
		const char *after = audit_stamp_parse((const char *)p + 1, (const char *)end, &s->st);

		s->stamp = p + 1;
		s->stamp_ok = after != NULL;
		if (!after)
			return NULL;
		sighash_feed(&s->h, s->run, p + 1 - s->run);   /* up to its '(' */
		cut_mark(s, CUT_STAMP);
		return s->run = (const unsigned char *)after - 1;
	}
	if (c == '=' && p > l) {
		int is_pid = p[-1] == 'd' && key_is(l, p, "pid", 3);
		long long v = 0;

		if (!(is_pid || (p[-1] == 'd' && (key_is(l, p, "peer_pid", 8) || key_is(l, p, "ppid", 4))) ||
		      (p[-1] == 't' && key_is(l, p, "parent", 6)) ||
		      (p[-1] == 's' && key_is(l, p, "ses", 3))))
			return NULL;
		if (is_pid)
			s->pid = 0;   /* the last pid=: USER_AVC's inner one */
		if (p + 1 >= end || !is_digit(p[1]))
			return NULL;   /* no number: nothing to leave out */
		sighash_feed(&s->h, s->run, p + 1 - s->run);   /* up to its '=' */
		cut_mark(s, CUT_NUMBER);   /* a number was there: record.c may ask */
		p++;
		while (p < end && is_digit(*p) && v < 100000000000LL)
			v = v * 10 + (*p++ - '0');
		if (is_pid)
			s->pid = v;
		return s->run = p;
	}
	return NULL;
}

/* could cut() cut at p? (a cheap look before the call: most '=' are not a pid's) */
static inline int may_cut(const unsigned char *line, const unsigned char *p)
{
	return *p != '=' || (p > line && (p[-1] == 'd' || p[-1] == 't' || p[-1] == 's'));
}

int linesig(const char *line, size_t len, uint64_t *ra, uint64_t *rb,
		     double *rt, long long *rpid)
{
	struct sigscan s = {
		.line = (const unsigned char *)line, .end = (const unsigned char *)line + len,
	};
	const unsigned char *p = s.line, *end = s.end, *q;
	int quoted = 0;   /* inside a value (a name a process chose): every byte counts */

	*rpid = 0;
	if (len > LINESIG_MAX)
		return 0;
	sighash_init(&s.h);
	/* a leading BSD or RFC 3339 syslog date: as record.c reads it */
	if ((q = p + record_date_len(line, len)) > p)
		cut_mark(&s, CUT_DATE);
	s.run = p = q;
#ifdef __SSE2__
	/*
	 * 16 bytes at a time: the quotes' prefix XOR says which bytes are
	 * inside a quoted value, and only the '[', '(' and '=' outside are
	 * looked at. A cut skips no quote that counts (stamps, pids and
	 * [secs] have none): the scan starts again after it, outside quotes.
	 */
	while (end - p >= 16) {
		const __m128i v = _mm_loadu_si128((const __m128i *)p);
		unsigned qb = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')));
		unsigned cb = (unsigned)_mm_movemask_epi8(
			_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('=')),
				     _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('[')),
						  _mm_cmpeq_epi8(v, _mm_set1_epi8('(')))));
		unsigned in = qb;   /* bit i: an odd number of quotes in [p, p + i] */

		in ^= in << 1;
		in ^= in << 2;
		in ^= in << 4;
		in ^= in << 8;
		in = (in ^ (quoted ? 0xffffu : 0)) & 0xffffu;
		cb &= ~in;
		while (cb) {
			q = p + __builtin_ctz(cb);
			if (may_cut(s.line, q) && (q = cut(&s, q)))
				break;
			cb &= cb - 1;
		}
		if (cb) {   /* cut: on after it (outside quotes) */
			p = q;
			quoted = 0;
			continue;
		}
		quoted = in >> 15;
		p += 16;
	}
#endif
	while (p < end) {
		unsigned char c = *p;

		if (c == '"')
			quoted = !quoted;
		else if (!quoted && sig_special[c] && may_cut(s.line, p) && (q = cut(&s, p))) {
			p = q;
			continue;
		}
		p++;
	}
	*rpid = s.pid;
	if (!s.stamp)
		return 0;
	/* the record parser's own reading of the stamp: one it refuses makes
	   the record malformed, which the skipped stamp must not hide */
	if (!s.stamp_ok || s.st.epoch <= 0)
		return 0;   /* a zero stamp: the time comes from elsewhere */
	*rt = s.st.epoch + s.st.ms / 1000.0;   /* as record_time() */
	sighash_feed(&s.h, s.run, end - s.run);
	sighash_final(&s.h, s.cuts, ra, rb);
	return 1;
}
