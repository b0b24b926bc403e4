/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_GATE_H
#define AAPROF_GATE_H

#include "scan.h"

/*
 * The enforce gate (aaprof enforce --quiet-for DUR NAME). It lets a
 * profile go to enforce mode only when the logs of the window (the last
 * DUR) show that
 *   - NAME ran: at least one record of it (ALLOWED, DENIED or AUDIT of NAME
 *     or NAME//child in the window, or the kernel's STATUS record of the load
 *     that began its complain period);
 *   - its rules cover everything it did: no ALLOWED record its rules (with
 *     includes, as apparmor_parser reads them) do not cover;
 *   - the whole window was a complain period: the profile was last loaded
 *     (by aaprof, in complain mode, as its load stamp says; or by anyone, as
 *     the kernel's STATUS records say) before the window began.
 * When neither a stamp nor a STATUS record tells when the profile was
 * loaded, the complain period is unknown: the gate says so and decides on
 * the evidence alone. no_evidence_ok lets it through without evidence
 * (loudly); the other rules hold.
 */
struct gate_opts {
	const char *name;
	const char *text;          /* the profile as it is to be enforced */
	long long window;          /* --quiet-for, seconds */
	struct scan_opts so;       /* the sources; so.now is now */
	int no_evidence_ok;
	int sources;               /* list the sources read even when it passes */
	int quiet;
};
/* EXIT_OK, or EXIT_GATE (refused), EXIT_REJECTED, EXIT_ERROR after saying why */
int gate_check(const struct gate_opts *o);

#endif
