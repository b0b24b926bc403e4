/* SPDX-License-Identifier: GPL-2.0-or-later */
/* progress.c - the progress line of a long harvest, on a terminal only */
#include "progress.h"
#include "msg.h"
#include "sanitise.h"
#include "strbuf.h"
#include "testhooks.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define PROGRESS_DELAY 1.0     /* seconds of reading before the line shows */
#define PROGRESS_EVERY 0.25    /* seconds between redraws */

static struct {
	int active;              /* a source is being read on a terminal */
	int shown;               /* the line is on the screen */
	char *name;
	long long total;
	double start, last;      /* of this source */
	double first;            /* the start of the first source: the delay counts
				    from there (rotations short each, long together) */
} p = { .first = -1 };

/*
 * Monotonic seconds. Tests (AAPROF_TEST_TICK_MS=N) get a clock that
 * advances N ms each time it is read: the line is the same on every run.
 */
static double now(void)
{
	static double fake;
	const char *tick = test_getenv("AAPROF_TEST_TICK_MS");
	struct timespec ts;

	if (tick) {
		fake += atof(tick) / 1000;
		return fake;
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void clear_line(void)
{
	if (!p.shown)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	p.shown = 0;
}

/* 1536 -> "1.5 KB" (powers of 1000, as df -H and journalctl do) */
static void add_size(struct strbuf *out, double n)
{
	static const char *const unit[] = { "B", "kB", "MB", "GB", "TB" };
	size_t u = 0;

	while (n >= 1000 && u + 1 < sizeof(unit) / sizeof(unit[0])) {
		n /= 1000;
		u++;
	}
	strbuf_addf(out, u ? "%.1f %s" : "%.0f %s", n, unit[u]);
}

static void add_duration(struct strbuf *out, double s)
{
	long long n = (long long)(s + 0.5);

	if (n < 60)
		strbuf_addf(out, "%lld s", n);
	else if (n < 3600)
		strbuf_addf(out, "%lld min %02lld s", n / 60, n % 60);
	else
		strbuf_addf(out, "%lld h %02lld min", n / 3600, n / 60 % 60);
}

static int columns(void)
{
	struct winsize ws;

	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		return ws.ws_col;
	return 80;
}

void progress_begin(const char *name, long long total)
{
	progress_end();
	if (!isatty(STDERR_FILENO))
		return;
	set_message_prelude(clear_line);
	p.active = 1;
	p.name = xstrdup(name);
	p.total = total;
	p.start = p.last = now();
	if (p.first < 0)
		p.first = p.start;
}

void progress_update(unsigned long long bytes, unsigned long long lines)
{
	struct strbuf stats = STRBUF_INIT, line = STRBUF_INIT, name = STRBUF_INIT;
	double t, elapsed, left;
	size_t width, room, fixed;

	if (!p.active)
		return;
	t = now();
	elapsed = t - p.start;
	if (t - p.first < PROGRESS_DELAY || !(elapsed > 0) ||
	    (p.shown && t - p.last < PROGRESS_EVERY))
		return;
	p.last = t;
	strbuf_addstr(&stats, ": ");
	add_size(&stats, bytes);
	if (p.total > 0 && bytes <= (unsigned long long)p.total) {
		strbuf_addstr(&stats, " of ");
		add_size(&stats, p.total);
		strbuf_addf(&stats, " (%d%%)", (int)(100.0 * bytes / p.total));
	}
	strbuf_addf(&stats, ", %llu line%s, ", lines, lines == 1 ? "" : "s");
	add_size(&stats, bytes / elapsed);
	strbuf_addstr(&stats, "/s");
	left = bytes && p.total > 0 && bytes <= (unsigned long long)p.total ?
	       (p.total - bytes) / (bytes / elapsed) : 0;
	if (left >= 1) {
		strbuf_addstr(&stats, ", about ");
		add_duration(&stats, left);
		strbuf_addstr(&stats, " left");
	}
	/* one line of the terminal: the name shortened from the left to fit */
	strbuf_add_printable(&name, p.name, strlen(p.name), NULL);
	strbuf_addf(&line, "\r\033[K%s: reading ", progname);
	fixed = line.len - 4 + stats.len;   /* what shows but the name */
	width = (size_t)columns() - 1;
	room = fixed + 8 < width ? width - fixed : 8;
	if (name.len > room) {
		const char *tail = name.buf + name.len - (room - 3);

		while ((*tail & 0xc0) == 0x80)   /* not inside a UTF-8 sequence */
			tail++;
		strbuf_addf(&line, "...%s", tail);
	} else {
		strbuf_addbuf(&line, &name);
	}
	strbuf_addbuf(&line, &stats);
	/* and what still does not fit cut (the 4 bytes of "\r\e[K" show nothing) */
	if (line.len - 4 > width) {
		size_t cut = 4 + width;

		while (cut > 4 && (line.buf[cut] & 0xc0) == 0x80)
			cut--;
		if (cut < line.len)
			strbuf_setlen(&line, cut);
	}
	fputs(line.buf, stderr);
	fflush(stderr);
	p.shown = 1;
	strbuf_release(&stats);
	strbuf_release(&line);
	strbuf_release(&name);
}

void progress_end(void)
{
	if (!p.active)
		return;
	clear_line();
	set_message_prelude(NULL);
	FREE_AND_NULL(p.name);
	p.active = 0;
}
