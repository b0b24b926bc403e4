/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Baseline for bench/run: libapparmor's parse_record() on every line that
 * contains "apparmor=" (the best existing C parser), read with getline.
 * Prints the number of records it parsed as valid.
 */
#define _GNU_SOURCE
#include <aalogparse.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	FILE *f = argc > 1 ? fopen(argv[1], "r") : stdin;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long valid = 0;

	if (!f)
		return 1;
	while ((n = getline(&line, &cap, f)) > 0) {
		aa_log_record *r;

		if (!memmem(line, n, "apparmor=", 9))
			continue;
		r = parse_record(line);
		if (r) {
			valid += r->event != AA_RECORD_INVALID;
			free_record(r);
		}
	}
	printf("%ld\n", valid);
	free(line);
	return 0;
}
