/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_CMDS_H
#define AAPROF_CMDS_H

#include <stdio.h>

/* one function per command, each in its own cmd-*.c */
int cmd_render(int argc, char **argv);
int cmd_harvest(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_load(int argc, char **argv);
int cmd_complain(int argc, char **argv);
int cmd_enforce(int argc, char **argv);
int cmd_unload(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_lint(int argc, char **argv);
int cmd_package(int argc, char **argv);
int cmd_seccomp(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_version(int argc, char **argv);

/* the usage line and summary of every command (aaprof.c) */
void print_main_usage(FILE *f);
/* run "aaprof CMD --help" */
int show_command_help(const char *cmd);

#endif
