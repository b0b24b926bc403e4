/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_LOAD_H
#define AAPROF_LOAD_H

#include "strbuf.h"

/*
 * apparmor_parser, the compiler and loader of record, driven with execve
 * and an argument vector (never a shell). $APPARMOR_PARSER names another
 * binary (tests); else it is looked up in PATH, /usr/sbin and /sbin.
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
/* compile profile text with -QK; 0 if accepted, else -1 with the parser's message in err */
int parser_check(const char *text, size_t len, const char *name, struct strbuf *err);
/* the profile file with its includes expanded (apparmor_parser -p) */
int parser_preprocess(const char *path, struct strbuf *out);
/* which newer rule kinds the installed parser accepts (enum harvest_feature bits) */
unsigned parser_features(void);

#endif
