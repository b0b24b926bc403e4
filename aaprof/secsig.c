/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * secsig.c - the signature of a SECCOMP record's line for scan's cache of
 * repeated records.
 */
#include "secsig.h"
#include "linesig.h"
#include "logtime.h"

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/*
 * The SECCOMP record of one program's call repeats but for its stamps,
 * its pid=, ses= and ip= (the address of the call, different in every
 * process); a record whose signature was seen has the same outcome in
 * secharv (scan.c replays it: secharv_replay()). What is left out, and why
 * no decision depends on it:
 *
 * - a leading syslog date (record_date_len()), only when it is made of
 *   date characters (no quote, '=' or '(' that could change how the rest
 *   is read): origin.c skips it by its length, the time comes from the
 *   audit stamp;
 * - the digits of the first "[secs.usecs]" (record_boot_secs_len()) at a
 *   token's start before the audit stamp: origin.c skips it whatever its
 *   digits, the time comes from the audit stamp;
 * - the audit stamp's "EPOCH.MS:SERIAL" (audit_stamp_parse() accepts it
 *   and EPOCH > 0, else the line is not cacheable): only the time, which
 *   the signature returns. It is the line's first "audit(", at a token's
 *   start (or after a "msg=" at one) with no quote before it, so the one
 *   record.c reads;
 * - in the body (the tokens secrec_parse() reads, up to the ENRICHED
 *   trailer, with its rule that subj= ends at " pid="): the value of
 *   ses= when it is 1 to 10 digits, of pid= when it is 1 to 10 digits not
 *   starting with 0, of ip= when it is 0x and 1 to 16 hex digits: every
 *   such value is one secrec_parse() accepts, record.c reads pid= as a
 *   number whatever its value, and secharv keeps none of them. A value of
 *   another shape (0, a sign, too long, not hex) stays in the signature.
 *
 * Everything else stays, byte for byte: the framing (node=, type=, the
 * syslog host and tag, "audit:", the caller id) from which origin.c
 * decides whether the kernel wrote the line, the label, comm, exe, arch,
 * syscall, compat, code and the trailer. Each piece left in goes into the
 * hash with its length and each piece left out as a mark of its kind, so
 * no line can spell another's signature (a literal "[]" is not a dropped
 * "[secs]"). Two independent 64-bit hashes make a false match negligible.
 */

#define SEG_MAX 12

struct sigbuf {
	unsigned char b[4096 + 3 * SEG_MAX + 8];
	size_t n;
	int segs;
};

/* the kept bytes [from, to) and then the mark of what was left out */
static int piece(struct sigbuf *s, const char *from, const char *to, char mark)
{
	size_t n = to - from;

	if (++s->segs > SEG_MAX)
		return -1;
	s->b[s->n++] = (unsigned char)(n >> 8);
	s->b[s->n++] = (unsigned char)n;
	memcpy(s->b + s->n, from, n);
	s->n += n;
	s->b[s->n++] = (unsigned char)mark;
	return 0;
}

static int date_chars(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char c = p[i];

		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      c == ' ' || c == ':' || c == '.' || c == '+' || c == '-'))
			return 0;
	}
	return 1;
}

/* 1 to 10 digits (nonzero: not starting with 0) */
static int plain_number(const char *v, size_t n, int nonzero)
{
	size_t i;

	if (!n || n > 10 || (nonzero && *v == '0'))
		return 0;
	for (i = 0; i < n; i++)
		if (v[i] < '0' || v[i] > '9')
			return 0;
	return 1;
}

static int plain_address(const char *v, size_t n)
{
	size_t i;

	if (n < 3 || n > 18 || v[0] != '0' || v[1] != 'x')
		return 0;
	for (i = 2; i < n; i++)
		if (!((v[i] >= '0' && v[i] <= '9') || (v[i] >= 'a' && v[i] <= 'f') ||
		      (v[i] >= 'A' && v[i] <= 'F')))
			return 0;
	return 1;
}

/*
 * The token at t (a token starts the body and follows every blank but
 * those inside subj=, which ends at " pid=", as secrec_parse() splits
 * them): leave out its value if it is one of those left out. Returns
 * where the next token may start (*subj_end: the end of subj=).
 */
static inline int token_at(struct sigbuf *s, const char **from, const char *t,
			   const char *end, const char **subj_end)
{
	const char *v, *p;
	char mark;

	if (t < *subj_end || end - t < 4)
		return 0;
	if (t[0] == 's' && end - t >= 5 && !memcmp(t, "subj=", 5)) {
		const char *q = memmem(t + 5, end - t - 5, " pid=", 5);

		*subj_end = q ? q + 1 : end;
		return 0;
	}
	if (!memcmp(t, "ses=", 4))
		mark = 'S', v = t + 4;
	else if (!memcmp(t, "pid=", 4))
		mark = 'P', v = t + 4;
	else if (!memcmp(t, "ip=", 3))
		mark = 'I', v = t + 3;
	else
		return 0;
	p = memchr(v, ' ', end - v);
	if (!p)
		p = end;
	if (mark == 'I' ? !plain_address(v, p - v) : !plain_number(v, p - v, mark == 'P'))
		return 0;
	if (piece(s, *from, v, mark) < 0)
		return -1;
	*from = p;
	return 0;
}

/* the body's tokens, [p, end); from: where the kept bytes start */
static int body(struct sigbuf *s, const char **from, const char *p, const char *end)
{
	const char *subj_end = p, *q;

	while (p < end && *p == ' ')
		p++;
	if (token_at(s, from, p, end, &subj_end) < 0)
		return -1;
#ifdef __SSE2__
	{
		const __m128i sp = _mm_set1_epi8(' ');

		for (; end - p >= 16; p += 16) {
			unsigned bits = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
				_mm_loadu_si128((const __m128i *)p), sp));

			while (bits) {
				q = p + __builtin_ctz(bits) + 1;
				/* (subj=, ses=, pid=, ip=) */
				if (q < end && (*q == 's' || *q == 'p' || *q == 'i') &&
				    token_at(s, from, q, end, &subj_end) < 0)
					return -1;
				bits &= bits - 1;
			}
		}
	}
#endif
	for (; p < end; p++) {
		q = p + 1;
		if (*p == ' ' && q < end && (*q == 's' || *q == 'p' || *q == 'i') &&
		    token_at(s, from, q, end, &subj_end) < 0)
			return -1;
	}
	return 0;
}

int secsig(const char *line, size_t len, uint64_t *ra, uint64_t *rb, double *rt)
{
	const char *end = line + len, *p = line, *from, *stamp, *b, *q, *tend;
	struct audit_stamp st;
	struct sigbuf s;
	size_t d;

	while (end > line && (end[-1] == '\n' || end[-1] == '\r'))
		end--;
	if ((size_t)(end - line) > 4096)
		return 0;
	s.n = 0;
	s.segs = 0;
	d = record_date_len(line, end - line);
	if (d && !date_chars(line, d))
		return 0;
	from = p = line + d;
	for (stamp = p; (stamp = memchr(stamp, '(', end - stamp)); stamp++)
		if (stamp - p >= 5 && !memcmp(stamp - 5, "audit", 5))
			break;
	if (stamp)
		stamp -= 5;   /* the first "audit(" */
	if (!stamp || memchr(p, '"', stamp - p) || memchr(p, '\'', stamp - p))
		return 0;
	if (!(stamp == line || stamp[-1] == ' ' ||
	      (stamp - line >= 4 && !memcmp(stamp - 4, "msg=", 4) &&
	       (stamp - 4 == line || stamp[-5] == ' '))))
		return 0;
	if (d)
		piece(&s, line, line, 'D');
	/* the first [secs.usecs] at a token's start */
	for (b = p; (b = memchr(b, '[', stamp - b)); b++) {
		size_t k;

		if (b != line && b[-1] != ' ')
			continue;
		if ((k = record_boot_secs_len(b, stamp))) {
			piece(&s, from, b, 'B');
			from = b + k;
			break;
		}
	}
	q = audit_stamp_parse(stamp + 6, end, &st);
	if (!q || st.epoch <= 0)
		return 0;
	piece(&s, from, stamp + 6, 'A');
	from = q;
	/* the body: after "):" and blanks, up to the ENRICHED trailer */
	if (q < end && *q == ':')
		q++;
	tend = q < end ? memchr(q, 0x1d, end - q) : NULL;
	if (body(&s, &from, q, tend ? tend : end) < 0 || piece(&s, from, end, 'E') < 0)
		return 0;
	*rt = st.epoch + st.ms / 1000.0;   /* as record_time() */
	{
		/* the pieces, copied together, hashed in one run of words */
		struct sighash h;

		sighash_init(&h);
		sighash_feed(&h, s.b, s.n);
		sighash_final(&h, 0, ra, rb);
	}
	return 1;
}

/* the '=' at e: 1 when it decides the line is a candidate (*code, *sc: seen so far) */
static inline int candidate_at(const char *line, size_t len, size_t e, int *code, int *sc)
{
	if (e < 4 || (line[e - 1] != 'e' && line[e - 1] != 'l'))
		return 0;   /* (type, code, syscall) */
	if (e >= 4 && !memcmp(line + e - 4, "type", 4))
		return (e + 5 <= len && !memcmp(line + e + 1, "1326", 4)) ||
		       (e + 8 <= len && !memcmp(line + e + 1, "SECCOMP", 7));
	if (e >= 5 && !memcmp(line + e - 5, " code", 5) && e + 3 <= len &&
	    !memcmp(line + e + 1, "0x", 2))
		*code = 1;
	else if (e >= 8 && !memcmp(line + e - 8, " syscall", 8))
		*sc = 1;
	return *code && *sc;
}

int secsig_candidate(const char *line, size_t len)
{
	int code = 0, sc = 0;
	size_t i = 0;

#ifdef __SSE2__
	{
		const __m128i eq = _mm_set1_epi8('=');

		for (; i + 16 <= len; i += 16) {
			unsigned bits = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
				_mm_loadu_si128((const __m128i *)(line + i)), eq));

			while (bits) {
				if (candidate_at(line, len, i + __builtin_ctz(bits), &code, &sc))
					return 1;
				bits &= bits - 1;
			}
		}
	}
#endif
	for (; i < len; i++)
		if (line[i] == '=' && candidate_at(line, len, i, &code, &sc))
			return 1;
	return 0;
}
