/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_JSONOUT_H
#define AAPROF_JSONOUT_H
/*
 * jsonout.c - JSON text that is the same whatever json-c the host has:
 * json-c before 0.17 prints an empty array or object across lines ("[\n ]"),
 * later ones as "[]". Output is "[]" and "{}" everywhere, so that the same
 * logs give the same bytes on every host of a fleet.
 */
#include "strbuf.h"

struct json_object;

/* o as json_object_to_json_string_ext(o, flags) writes it, empty
   containers on one line, appended to out (no newline added) */
void jsonout_add(struct strbuf *out, struct json_object *o, int flags);

#endif
