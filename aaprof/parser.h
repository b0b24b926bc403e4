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
/* which newer rule kinds the installed parser accepts (enum harvest_feature bits) */
unsigned parser_features(void);

struct policy;
/* the rules of profile text with its includes expanded (apparmor_parser -p):
   0, or -1 with the parser's message in err */
int parser_policy(const char *text, struct policy **ret, struct strbuf *err);

#endif
