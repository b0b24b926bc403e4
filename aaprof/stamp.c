/* SPDX-License-Identifier: GPL-2.0-or-later */
/* stamp.c - aaprof's record of its last load of each profile. See stamp.h. */
#include "stamp.h"
#include "paths.h"
#include "strbuf.h"
#include "testhooks.h"
#include "util.h"

#include <inttypes.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char *stamp_path(const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p;

	strbuf_addf(&sb, "%s/loads/", state_dir());
	for (p = name; *p; p++) {
		if (*p == '/' || *p == '%' || (p == name && *p == '.'))
			strbuf_addf(&sb, "%%%02X", (unsigned char)*p);
		else
			strbuf_addch(&sb, *p);
	}
	return strbuf_detach(&sb, NULL);
}

static void text_hash(const char *text, char out[17])
{
	uint64_t h = 0xcbf29ce484222325ull;   /* FNV-1a */

	for (; *text; text++)
		h = (h ^ (unsigned char)*text) * 0x100000001b3ull;
	snprintf(out, 17, "%016" PRIx64, h);
}

static double now_time(void)
{
	const char *env = test_getenv("AAPROF_NOW");
	struct timespec ts;

	if (env && *env)
		return atof(env);
	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int load_stamp_read(const char *name, struct load_stamp *ret)
{
	_cleanup_free_ char *path = stamp_path(name), *buf = NULL;
	struct load_stamp ls = { .time = -1 };
	char *line, *save = NULL;

	if (read_file_quiet(path, 4096, &buf) < 0)
		return 0;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (starts_with(line, "time="))
			ls.time = atof(line + 5);
		else if (starts_with(line, "mode="))
			snprintf(ls.mode, sizeof(ls.mode), "%s", line + 5);
		else if (starts_with(line, "hash="))
			snprintf(ls.hash, sizeof(ls.hash), "%s", line + 5);
	}
	if (ls.time <= 0 || !ls.mode[0])
		return 0;
	*ret = ls;
	return 1;
}

int load_stamp_write(const char *name, const char *mode, const char *text)
{
	_cleanup_free_ char *path = stamp_path(name), *dir = xasprintf("%s/loads", state_dir());
	_cleanup_free_ char *data = NULL;
	struct load_stamp old;
	char hash[17];

	text_hash(text, hash);
	if (load_stamp_read(name, &old) && streq(old.mode, mode) && streq(old.hash, hash))
		return 0;   /* the same policy again: its complain period goes on */
	if (mkdir_p(dir, 0700) < 0)
		return error_errno("cannot create '%s'", dir);
	data = xasprintf("# aaprof: the last load of '%s' (the enforce gate reads it)\n"
			 "time=%.3f\nmode=%s\nhash=%s\n", name, now_time(), mode, hash);
	return write_file_atomic(path, data, strlen(data), 0600, NULL);
}

void load_stamp_remove(const char *name)
{
	_cleanup_free_ char *path = stamp_path(name);

	unlink(path);
}
