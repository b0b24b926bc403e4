/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_DECIMAL_H
#define AAPROF_DECIMAL_H

#include <limits.h>
#include <stddef.h>

/*
 * The n bytes at v as a decimal number, a sign allowed, nothing else:
 * 0 and *ret, or -1 (empty, another character, or beyond long long). The
 * one reader of a number in log text: numeric fields, audit types, the
 * audit stamp. Inline: the parser reads one for every numeric field.
 */
static inline int parse_decimal(const char *v, size_t n, long long *ret)
{
	long long x = 0;
	int neg = 0;
	size_t i = 0;

	if (n && (v[0] == '-' || v[0] == '+'))
		neg = v[i++] == '-';
	if (i == n)
		return -1;
	for (; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		if (x > (LLONG_MAX - 9) / 10)
			return -1;
		x = x * 10 + (v[i] - '0');
	}
	*ret = neg ? -x : x;
	return 0;
}

/* an upper-case hex digit, as the kernel writes hex (audit_log_n_hex()); -1: not one */
static inline int hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif
