/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * msg.c - error(), warning(), note(), die(), and the escaping that makes
 * what a log value carries into a message harmless on a terminal.
 */
#include "msg.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *progname = "aaprof";
int quiet_errors;
static message_hook_fn *message_hook;
static void *message_hook_data;
static void (*message_prelude)(void);

void set_message_prelude(void (*fn)(void))
{
	message_prelude = fn;
}

int colour_wanted(int fd)
{
	const char *no = getenv("NO_COLOR"), *term = getenv("TERM");

	return !(no && *no) && term && *term && strcmp(term, "dumb") && isatty(fd);
}

/* "error: " and "fatal: " in bold red, "warning: " in bold yellow, a note plain */
static const char *label_colour(const char *prefix)
{
	if (!*prefix || !colour_wanted(STDERR_FILENO))
		return NULL;
	return prefix[0] == 'w' ? "\033[1;33m" : "\033[1;31m";
}

void set_message_hook(message_hook_fn *fn, void *data)
{
	message_hook = fn;
	message_hook_data = data;
}

/* the length of the UTF-8 sequence at s (at most n bytes) and its code point, 0 if invalid */
static size_t utf8_char(const unsigned char *s, size_t n, unsigned *ret_cp)
{
	unsigned cp, min;
	size_t len, i;

	if (s[0] < 0x80) {
		*ret_cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2; cp = s[0] & 0x1f; min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3; cp = s[0] & 0x0f; min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4; cp = s[0] & 0x07; min = 0x10000;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	*ret_cp = cp;
	return len;
}

void escape_printable(const char *str, size_t len, const char *keep, printable_put_fn *put,
		      void *data)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, n, done = 0;   /* s[done..i) is waiting to be copied */
	char esc[16];
	unsigned cp;

	while (i < len) {
		n = utf8_char(s + i, len - i, &cp);
		if (!n)
			snprintf(esc, sizeof(esc), "\\x%02X", s[i]);
		else if (cp < 0x20 && cp && keep && strchr(keep, (int)cp))
			esc[0] = '\0';
		else if (cp == '\n' || cp == '\t' || cp == '\r' || cp == 0x1b)
			snprintf(esc, sizeof(esc), "\\%c",
				 cp == '\n' ? 'n' : cp == '\t' ? 't' : cp == '\r' ? 'r' : 'e');
		else if (cp < 0x20 || cp == 0x7f)
			snprintf(esc, sizeof(esc), "\\x%02X", cp);
		else if ((cp >= 0x80 && cp <= 0x9f) || cp == 0x61c || cp == 0x200e ||
			 cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
			 (cp >= 0x2066 && cp <= 0x2069))
			/* C1 controls (0x9b is CSI) and the bidi controls that
			   reorder what a terminal shows ("Trojan Source") */
			snprintf(esc, sizeof(esc), "\\u{%04X}", cp);
		else
			esc[0] = '\0';
		if (!n)
			n = 1;
		if (esc[0]) {
			if (i > done)
				put(str + done, i - done, data);
			put(esc, strlen(esc), data);
			done = i + n;
		}
		i += n;
	}
	if (i > done)
		put(str + done, i - done, data);
}

static void put_file(const char *p, size_t n, void *data)
{
	fwrite(p, 1, n, data);
}

static NORETURN void oom(void)
{
	fprintf(stderr, "%s: fatal: out of memory\n", progname);
	abort();
}

/*
 * The message, however long (a list of held-back rules is), with what a
 * log value may carry into it made harmless: every control character but
 * the message's own newlines and tabs is escaped.
 */
static void vreport(const char *prefix, const char *fmt, va_list ap, const char *suffix)
	__attribute__((format(printf, 2, 0)));
static void vreport(const char *prefix, const char *fmt, va_list ap, const char *suffix)
{
	char *buf, *text = NULL;
	size_t len = 0;
	FILE *f;
	int n;

	if (quiet_errors)
		return;
	n = vasprintf(&buf, fmt, ap);
	if (n < 0)
		oom();
	f = open_memstream(&text, &len);
	if (!f)
		oom();
	fputs(prefix, f);
	escape_printable(buf, n, "\n\t", put_file, f);
	free(buf);
	if (suffix)
		fprintf(f, ": %s", suffix);
	if (fclose(f) != 0)
		oom();
	if (message_hook) {
		message_hook(text, message_hook_data);
	} else {
		const char *colour = label_colour(prefix);
		int n_label = (int)strlen(prefix) - 1;   /* "error:" without its space */

		if (message_prelude)
			message_prelude();
		if (colour)
			fprintf(stderr, "%s: %s%.*s\033[m%s\n", progname, colour, n_label, text,
				text + n_label);
		else
			fprintf(stderr, "%s: %s\n", progname, text);
	}
	free(text);
}

int error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("error: ", fmt, ap, NULL);
	va_end(ap);
	return -1;
}

int error_errno(const char *fmt, ...)
{
	int e = errno;
	va_list ap;

	va_start(ap, fmt);
	vreport("error: ", fmt, ap, strerror(e));
	va_end(ap);
	errno = e;
	return -1;
}

void warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("warning: ", fmt, ap, NULL);
	va_end(ap);
}

void note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("", fmt, ap, NULL);
	va_end(ap);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	quiet_errors = 0;
	vreport("fatal: ", fmt, ap, NULL);
	va_end(ap);
	exit(EXIT_ERROR);
}
