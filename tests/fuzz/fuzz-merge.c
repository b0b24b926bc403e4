/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer: JSON from anywhere -> aaprof merge's reader (fleet-read.c, rulefields.c) */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fleet-read.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fleet f = { 0 };
	char path[64];
	int fd = memfd_create("fuzz-merge.json", MFD_CLOEXEC);

	if (fd < 0 || write(fd, data, size) != (ssize_t)size) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	quiet_errors = 1;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	fleet_read(&f, path);
	fleet_release(&f);
	close(fd);
	return 0;
}
