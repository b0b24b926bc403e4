/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_STATUS_H
#define AAPROF_STATUS_H

#include <stddef.h>

/*
 * aaprof status: for each of names (none: each profile in dir that aaprof
 * rendered or harvested into), whether the kernel has it loaded, its mode
 * as the kernel reports it, the mode its file asks for, the file, and the
 * processes it confines; a table, or a JSON array. Returns an exit code,
 * after a message when not EXIT_OK.
 */
int status_show(const char *dir, const char *const *names, size_t n, int json);

#endif
