/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_ORIGIN_H
#define AAPROF_ORIGIN_H

#include <stddef.h>

/*
 * Who wrote the record, decided from the line's framing alone: the parts
 * a sender cannot choose (auditd's type=, the syslog tag, the kernel
 * header of a USER_AVC), never from the AppArmor fields, which user space
 * can write into a log as easily as the kernel. Only RO_KERNEL and RO_BUS
 * records are evidence.
 */
enum rec_origin {
	RO_KERNEL = 0,     /* the kernel: an AppArmor audit type, a kernel: line, dmesg text */
	RO_BUS,            /* a D-Bus mediation USER_AVC whose kernel-filled header
			      names the bus daemon as its sender */
	RO_USER,           /* written, or framed, by user space: never evidence */
};

/*
 * The header the kernel writes in front of a USER_AVC's msg='...' (p, just
 * after the audit stamp, to msg): 0 when it names the D-Bus daemon as the
 * sender, else -1 and why.
 */
int origin_bus_header(const char *p, const char *msg, const char **ret_why);

/*
 * The origin of the parsed line [line, end): type, its audit type number
 * (0 if none); op, bus and cls, its operation=, bus= and class= (or NULL);
 * bus_verdict and bus_why: origin_bus_header()'s verdict on a USER_AVC's
 * header (-1 and why when there was none to judge).
 * *ret_why: for RO_USER, why the kernel did not write it, else NULL.
 */
enum rec_origin origin_of(const char *line, const char *end, int type, const char *op,
			  const char *bus, const char *cls, int bus_verdict, const char *bus_why,
			  const char **ret_why);

/*
 * The origin of a SECCOMP record (audit type 1326, which only the kernel
 * sends): RO_KERNEL when the line [line, end) is framed as the kernel or
 * auditd frame records, else RO_USER and *ret_why. Its AppArmor-looking
 * fields never matter: a SECCOMP record is never AppArmor evidence.
 */
enum rec_origin origin_of_seccomp(const char *line, const char *end, int type,
				  const char **ret_why);

/*
 * The host the framing of [line, end) names: auditd's node= prefix (its
 * remote plugin's), the host of a syslog line whose tag is kernel:. 0 and
 * the name (not NUL-terminated), or -1: none, or a line the kernel did not
 * frame, or a name with blanks, control characters or quotes.
 */
int origin_host(const char *line, const char *end, const char **ret_host, size_t *ret_len);

#endif
