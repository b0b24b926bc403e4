/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_LOGSHAPE_H
#define AAPROF_LOGSHAPE_H

#include "strbuf.h"

/*
 * Values the kernel logs in a shape that is not what policy says, and the
 * evidence in the value itself that tells them apart.
 */

/*
 * A file name that is procfs seen through a detached mount (runc since its
 * fix for CVE-2025-52881 opens /proc files through a detached procfs, and
 * AppArmor names them from that mount's root): "/sys/net/..." or
 * "sys/net/..." (disconnected) for /proc/sys/net/..., "/<pid>/<entry>..."
 * for /proc/<pid>/<entry>.... 1 and the /proc path in *ret; 0 when the
 * name is no such alias (ret untouched).
 */
int procfs_alias(const char *name, struct strbuf *ret);

/*
 * An abstract unix socket name the kernel hex-encoded ("@" and the hex of
 * a name holding control bytes or NULs): 1 and a description of the
 * decoded name for the user in *ret; 0 when the value is a name as it
 * stands (not hex, or hex whose bytes hold no control byte: the kernel
 * would have logged those as they are).
 */
int unix_addr_hex_encoded(const char *value, struct strbuf *ret);

/* is value hex of an abstract name (above)? 1 with why: no rule can say it */
int unix_addr_unexpressible(const char *value, const char *what, struct strbuf *why);

/*
 * why no rule can name the file name (without its leading '/') of a
 * record with info=, of operation op, and what the remedy is
 */
void disconnected_why(const char *name, const char *info, const char *op, struct strbuf *why);

/*
 * /apparmor/.null, the kernel's stand-in for a file descriptor it revoked
 * at an exec: 1 with why (no rule for it grants anything), else 0
 */
int revoked_fd_why(const char *name, const char *op, struct strbuf *why);

/*
 * why a userns_create record of the pseudo-profile unconfined (Ubuntu's
 * restriction of unprivileged user namespaces, 23.10+) gives no rule, and
 * the remedy: a profile for the program prog (execpath= or comm=, or NULL)
 */
void userns_unconfined_why(const char *prog, struct strbuf *why);

#endif
