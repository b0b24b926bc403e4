/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_RENDER_RUN_H
#define AAPROF_RENDER_RUN_H

#include "render.h"

/*
 * aaprof render, once its options are parsed: render o, then write it to
 * output atomically once apparmor_parser has compiled it (a file is for
 * loading), or to standard output (output NULL). Returns an exit code,
 * after a message when not EXIT_OK.
 */
int render_run(const struct render_opts *o, const char *output);

#endif
