/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_HARVEST_JSON_H
#define AAPROF_HARVEST_JSON_H

#include "harvest.h"
#include "scan.h"
#include "strbuf.h"

/*
 * aaprof harvest --format json: one object, schema HARVEST_JSON_SCHEMA
 * (every member in aaprof(8), "JSON output"): the sources read and the
 * rules with their structured fields and evidence, per host. aaprof merge
 * reads it back (fleet.h).
 */
#define HARVEST_JSON_SCHEMA 1

void harvest_json_doc(const harvest_t *h, const struct scan_stats *st, struct strbuf *out);

#endif
