/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_STAMP_H
#define AAPROF_STAMP_H

/*
 * aaprof's record of the last time it loaded a profile, kept in
 * STATE/loads/NAME (state_dir()): the time, the mode the kernel reported
 * and a hash of the text. Reloading the same text in the same mode keeps
 * the first time: an unchanged profile's complain period goes on.
 */
struct load_stamp {
	double time;
	char mode[16];
	char hash[17];
};
/* 1 and the stamp, 0 when there is none (or it cannot be read) */
int load_stamp_read(const char *name, struct load_stamp *ret);
/* 0, or -1 after error() */
int load_stamp_write(const char *name, const char *mode, const char *text);
/* forget it (the profile was unloaded) */
void load_stamp_remove(const char *name);

#endif
