/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_PARSER_H
#define AAPROF_PARSER_H

#include "strbuf.h"

/*
 * apparmor_parser, the compiler and loader of record, driven with execve
 * and an argument vector (never a shell): /usr/sbin/apparmor_parser or
 * /sbin/apparmor_parser, else (not as root) the first in PATH. In the test
 * build $APPARMOR_PARSER names another binary (testhooks.h).
 */
struct parser_result {
	int status;          /* exit status; 127 if it could not be run */
	struct strbuf out;   /* its standard output */
	struct strbuf err;   /* its standard error, "Cache read/write disabled" notes removed */
};

void parser_result_release(struct parser_result *r);
/* the path of apparmor_parser, or NULL when it is not installed */
const char *parser_path(void);
/*
 * Run apparmor_parser with args (NULL-terminated, without argv[0]), feeding
 * input (may be NULL) on its standard input. Returns 0 when it ran (see
 * res->status), -1 when it could not be started.
 */
int parser_run(const char *const *args, const char *input, size_t inlen,
	       struct parser_result *res);
/*
 * Run apparmor_parser; 0 when it succeeded (its output appended to out, if
 * given), -1 when it could not run or failed (its message appended to err,
 * without trailing newlines).
 */
int parser_run_checked(const char *const *args, const char *input, size_t len,
		       struct strbuf *out, struct strbuf *err);
/* compile profile text with -QK; 0 if accepted, else -1 with the parser's message in err */
int parser_check(const char *text, size_t len, const char *name, struct strbuf *err);
/*
 * The profiles apparmor_parser finds in profile text (-N, includes
 * honoured), children as parent//child: a NULL-terminated array (free each
 * and the array), or NULL with the parser's message in err.
 */
char **parser_names(const char *text, struct strbuf *err);

/*
 * The profile directory of this run (--profile-dir; NULL or
 * /etc/apparmor.d: apparmor_parser's defaults). Another directory DIR is
 * given to every run as --base DIR -I DIR -I /etc/apparmor.d, as
 * aa-logprof -d does: includes (local/, abstractions/, tunables/) are
 * looked up under DIR first, then in the system's, and DIR/disable/ and
 * DIR/force-complain/ (utilsstate.h) are the ones apparmor_parser honours.
 */
void parser_set_profile_dir(const char *dir);
/*
 * The cache option of a load (-r): "-K" (no cache) for a profile
 * directory other than /etc/apparmor.d (the system's cache must never hold
 * a staging copy newer than the installed file), else "-W" when
 * /var/cache/apparmor exists or /etc/apparmor/parser.conf asks for a
 * cache (write-cache, cache-loc), else NULL.
 */
const char *parser_cache_option(void);
/* parser.conf text asks for a cache to be written: an uncommented
   write-cache or cache-loc line (with its options' spellings) */
int parser_conf_wants_cache(const char *conf);

struct policy;
/* the rules of profile text with its includes expanded (apparmor_parser -p):
   0, or -1 with the parser's message in err */
int parser_policy(const char *text, struct policy **ret, struct strbuf *err);

#endif
