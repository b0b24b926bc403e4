/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_MSG_H
#define AAPROF_MSG_H

#include <stddef.h>

/*
 * Messages to the user ("aaprof: error: ...") and the way out (die()).
 * The bottom of the module graph: it uses no other module of aaprof, since
 * every module (strbuf.c and util.c too) reports through it.
 */

/*
 * Exit codes of the aaprof command (documented in README.md and aaprof(8)).
 * Scripts rely on them: never renumber.
 */
enum aaprof_exit {
	EXIT_OK = 0,
	EXIT_ERROR = 1,        /* any other error */
	EXIT_USAGE = 2,        /* bad command line */
	EXIT_REJECTED = 3,     /* apparmor_parser rejected a profile */
	EXIT_DANGEROUS = 4,    /* rules held back, the rest written (harvest): dangerous
				  ones, or ones apparmor_parser cannot compile */
	EXIT_NOAPPARMOR = 5,   /* AppArmor absent / securityfs not mounted */
	EXIT_PERM = 6,         /* needs root or a file has unsafe ownership */
	EXIT_GATE = 7,         /* enforce gate: uncovered ALLOWED records */
	EXIT_NOPARSER = 8,     /* apparmor_parser is not installed */
	EXIT_FINDINGS = 9,     /* lint: wrong moves found (unconfined, --privileged...) */
	EXIT_QUORUM = 9,       /* merge: rules held below the quorum, the rest written */
};

#define NORETURN __attribute__((noreturn))
#define PRINTF(f, a) __attribute__((format(printf, f, a)))

/* "aaprof" or "aaprof render": prefixed to every message */
extern const char *progname;

/* print "progname: error: ..." and return -1 */
int error(const char *fmt, ...) PRINTF(1, 2);
/* same, with ": strerror(errno)" appended */
int error_errno(const char *fmt, ...) PRINTF(1, 2);
void warning(const char *fmt, ...) PRINTF(1, 2);
void note(const char *fmt, ...) PRINTF(1, 2);
/* only main() and cmd_*() may die: the message, then exit(EXIT_ERROR) */
NORETURN void die(const char *fmt, ...) PRINTF(1, 2);

/* silence error()/warning()/note() (used where a failure is expected) */
extern int quiet_errors;

/*
 * Where messages go: standard error, as "progname: TEXT\n", unless a hook
 * is set; then each message is handed to fn instead, as TEXT without
 * progname and newline: "error: ...", "warning: ...", "fatal: ..." or a
 * note's bare text, with its control characters escaped and the
 * strerror() of error_errno() appended. fn NULL: standard error again.
 */
typedef void message_hook_fn(const char *text, void *data);
void set_message_hook(message_hook_fn *fn, void *data);

/*
 * Called before each message is printed to standard error (not to a
 * hook): progress.c clears its line there. NULL: none.
 */
void set_message_prelude(void (*fn)(void));

/*
 * Colour on file descriptor fd: it is a terminal, TERM is set and not
 * "dumb", and NO_COLOR is unset or empty (no-color.org). Messages colour
 * their "error:" and "warning:" by it; diffs shown on a terminal too.
 */
int colour_wanted(int fd);

/*
 * Pass s (len bytes) to put, piece by piece, as it may be shown on a
 * terminal: C0 control characters, DEL, C1 controls (raw or UTF-8
 * encoded), Unicode bidirectional controls and bytes that are not UTF-8
 * become \n, \t, \r, \e, \xHH or \u{HHHH}; everything else is copied.
 * keep: characters of the C0 range passed as they are (a message's own
 * line structure, "\n\t"), or NULL. strbuf_add_printable() (sanitise.h)
 * escapes the same way (tests/unit/test-msg.c holds the two to it).
 */
typedef void printable_put_fn(const char *p, size_t n, void *data);
void escape_printable(const char *s, size_t len, const char *keep, printable_put_fn *put,
		      void *data);

#endif
