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

/* does the line say the kernel or auditd dropped records? */
static inline int line_is_lost_marker(const char *line, size_t len)
{
	if (len > 5 && !memcmp(line, "type=", 5) && !(len > 11 && !memcmp(line + 5, "DAEMON", 6)))
		return 0;   /* ordinary audit.log records */
	return memmem(line, len, "audit_lost=", 11) || memmem(line, len, "callbacks suppressed", 20) ||
	       memmem(line, len, "backlog limit exceeded", 22) ||
	       memmem(line, len, "rate limit exceeded", 19);
}

/*
 * Does the line hold apparmor="? Most lines do not, and glibc's memmem
 * spends more setting up than searching a 200-byte line: compare 16
 * positions at a time for the needle's first and last bytes, and only
 * where both match compare the rest (the generic SIMD substring search).
 */
static inline int line_has_apparmor_key(const char *line, size_t len)
{
	static const char needle[] = "apparmor=\"";
	const size_t k = sizeof(needle) - 1;
	size_t i = 0;

	if (len < k)
		return 0;
#ifdef __SSE2__
	{
		const __m128i first = _mm_set1_epi8('a'), last = _mm_set1_epi8('"');

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
		if (line[i] == 'a' && !memcmp(line + i, needle, k))
			return 1;
	return 0;
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
	return memmem(line, len, "type=150", 8) != NULL;
}

/* could the line be a SECCOMP record (or a forged one, to be counted)? */
static inline int line_maybe_seccomp(const char *line, size_t len)
{
	return memmem(line, len, "type=1326", 9) || memmem(line, len, "type=SECCOMP", 12) ||
	       (memmem(line, len, " code=0x", 8) && memmem(line, len, " syscall=", 9));
}

#endif
