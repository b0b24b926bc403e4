/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_LINEFILTER_H
#define AAPROF_LINEFILTER_H
/*
 * linefilter.h - the scanner's sieve: cheap tests that tell the few lines
 * worth parsing (AppArmor and SECCOMP records, lost-record markers) from the
 * many that are not. Inline: they run once per line of every log.
 */
#include <stddef.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define LINEFILTER_AVX2 1
#endif

/*
 * Does the line hold the k-byte needle (k >= 2)? glibc's memmem spends more
 * setting up than searching a 200-byte line: compare 16 positions at a
 * time for the needle's first and last bytes, and only where both match
 * compare the rest (the generic SIMD substring search).
 */
static inline int line_has(const char *line, size_t len, const char *needle, size_t k)
{
	size_t i = 0;

	if (len < k)
		return 0;
#ifdef __SSE2__
	{
		const __m128i first = _mm_set1_epi8(needle[0]), last = _mm_set1_epi8(needle[k - 1]);

		for (; i + k - 1 + 16 <= len; i += 16) {
			__m128i f = _mm_loadu_si128((const __m128i *)(line + i));
			__m128i l = _mm_loadu_si128((const __m128i *)(line + i + k - 1));
			unsigned bits = (unsigned)_mm_movemask_epi8(
				_mm_and_si128(_mm_cmpeq_epi8(f, first), _mm_cmpeq_epi8(l, last)));

			while (bits) {
				unsigned j = (unsigned)__builtin_ctz(bits);

				if (!memcmp(line + i + j + 1, needle + 1, k - 2))
					return 1;
				bits &= bits - 1;
			}
		}
	}
#endif
	for (; i + k <= len; i++)
		if (line[i] == needle[0] && !memcmp(line + i, needle, k))
			return 1;
	return 0;
}

/* is needle, of k bytes, the one ending before line + e? */
static inline int line_has_at_end(const char *line, size_t e, const char *needle, size_t k)
{
	return e >= k && !memcmp(line + e - k, needle, k);
}

/* the lost-record markers that end at line + e, which ends in "t=" or "ed" */
static inline int lost_marker_ends_at(const char *line, size_t e)
{
	if (line[e - 1] == '=')
		return line_has_at_end(line, e, "audit_lost=", 11);
	return line_has_at_end(line, e, "callbacks suppressed", 20) ||
	       line_has_at_end(line, e, "backlog limit exceeded", 22) ||
	       line_has_at_end(line, e, "rate limit exceeded", 19);
}

/* does the line say the kernel or auditd dropped records? */
static inline int line_is_lost_marker(const char *line, size_t len)
{
	size_t i = 0;

	if (len > 5 && !memcmp(line, "type=", 5) && !(len > 11 && !memcmp(line + 5, "DAEMON", 6)))
		return 0;   /* ordinary audit.log records */
	/* one pass for the four: each ends in "t=" or "ed", looked for 16 at a time */
#ifdef __SSE2__
	for (; i + 1 + 16 <= len; i += 16) {
		__m128i a = _mm_loadu_si128((const __m128i *)(line + i));
		__m128i b = _mm_loadu_si128((const __m128i *)(line + i + 1));
		unsigned bits = (unsigned)_mm_movemask_epi8(_mm_or_si128(
			_mm_and_si128(_mm_cmpeq_epi8(a, _mm_set1_epi8('e')), _mm_cmpeq_epi8(b, _mm_set1_epi8('d'))),
			_mm_and_si128(_mm_cmpeq_epi8(a, _mm_set1_epi8('t')), _mm_cmpeq_epi8(b, _mm_set1_epi8('=')))));

		while (bits) {
			if (lost_marker_ends_at(line, i + (unsigned)__builtin_ctz(bits) + 2))
				return 1;
			bits &= bits - 1;
		}
	}
#endif
	for (; i + 1 < len; i++)
		if (((line[i] == 'e' && line[i + 1] == 'd') || (line[i] == 't' && line[i + 1] == '=')) &&
		    lost_marker_ends_at(line, i + 2))
			return 1;
	return 0;
}

/* does the line hold apparmor="? (16 bytes at a time) */
static inline int line_has_apparmor_key_sse2(const char *line, size_t len)
{
	return line_has(line, len, "apparmor=\"", 10);
}

#ifdef LINEFILTER_AVX2
/* the same, 32 bytes at a time: for CPUs with AVX2 (linefilter_avx2()) */
__attribute__((target("avx2"))) static inline int line_has_apparmor_key_avx2(const char *line,
									      size_t len)
{
	static const char needle[] = "apparmor=\"";
	const size_t k = sizeof(needle) - 1;
	const __m256i first = _mm256_set1_epi8('a'), last = _mm256_set1_epi8('"');
	size_t i = 0;

	for (; i + k - 1 + 32 <= len; i += 32) {
		__m256i f = _mm256_loadu_si256((const __m256i *)(line + i));
		__m256i l = _mm256_loadu_si256((const __m256i *)(line + i + k - 1));
		unsigned bits = (unsigned)_mm256_movemask_epi8(
			_mm256_and_si256(_mm256_cmpeq_epi8(f, first), _mm256_cmpeq_epi8(l, last)));

		while (bits) {
			unsigned j = (unsigned)__builtin_ctz(bits);

			if (!memcmp(line + i + j + 1, needle + 1, k - 2))
				return 1;
			bits &= bits - 1;
		}
	}
	/* the needles that start in the rest */
	return line_has_apparmor_key_sse2(line + i, len - i);
}

/* does this CPU have AVX2? (asked once) */
static inline int linefilter_avx2(void)
{
	static int have;   /* 0: not asked yet, 1: no, 2: yes */
	int h = __atomic_load_n(&have, __ATOMIC_RELAXED);

	if (!h) {
		__builtin_cpu_init();
		h = __builtin_cpu_supports("avx2") ? 2 : 1;
		__atomic_store_n(&have, h, __ATOMIC_RELAXED);
	}
	return h == 2;
}
#endif

/* does the line hold apparmor="? (the widest search the CPU has) */
static inline int line_has_apparmor_key(const char *line, size_t len)
{
#ifdef LINEFILTER_AVX2
	if (linefilter_avx2())
		return line_has_apparmor_key_avx2(line, len);
#endif
	return line_has_apparmor_key_sse2(line, len);
}

/* could the line be an AppArmor record? (cheap: most lines are not) */
static inline int line_maybe_apparmor(const char *line, size_t len)
{
	if (line_has_apparmor_key(line, len))
		return 1;
	/* AppArmor 2.1-era records: type=150x without apparmor= */
	if (len > 13 && !memcmp(line, "type=APPARMOR", 13))
		return 1;
	if (len > 5 && !memcmp(line, "type=", 5))
		return len > 16 && !memcmp(line + 5, "UNKNOWN[150", 11);
	return line_has(line, len, "type=150", 8);
}

#endif
