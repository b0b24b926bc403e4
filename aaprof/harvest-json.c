/* SPDX-License-Identifier: GPL-2.0-or-later */
/* harvest-json.c - aaprof harvest --format json: the sources and the rules, schema 1 */
#include "harvest-json.h"
#include "jsonout.h"
#include "evidence.h"
#include "util.h"

#include <json-c/json.h>
#include <stdint.h>
#include <string.h>

static struct json_object *sources(const struct scan_stats *st)
{
	struct json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; i < st->nsrc; i++) {
		const struct scan_source *ss = &st->src[i];
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "path", json_object_new_string(ss->name));
		json_object_object_add(o, "kind", json_object_new_string(ss->kind ? ss->kind : "file"));
		if (ss->err) {
			json_object_object_add(o, "error", json_object_new_string(strerror(ss->err)));
		} else {
			json_object_object_add(o, "lines", json_object_new_int64((int64_t)ss->lines));
			/* in the window: the records the harvest looked at (how
			   many outside it is only estimated when they are skipped
			   unparsed) */
			json_object_object_add(o, "apparmor_records",
					       json_object_new_int64((int64_t)ss->in_window));
			json_object_object_add(o, "lost_warnings",
					       json_object_new_int64((int64_t)ss->lost_marks));
			json_object_object_add(o, "long_lines",
					       json_object_new_int64((int64_t)ss->long_lines));
			json_add_time(o, "first_seen", ss->first);
			json_add_time(o, "last_seen", ss->last);
		}
		json_object_array_add(a, o);
	}
	return a;
}

void harvest_json_doc(const harvest_t *h, const struct scan_stats *st, struct strbuf *out)
{
	struct json_object *doc = json_object_new_object();
	struct strbuf ns = STRBUF_INIT;

	json_object_object_add(doc, "schema", json_object_new_int(HARVEST_JSON_SCHEMA));
	if (harvest_namespace(h, &ns))
		json_object_object_add(doc, "namespace", json_object_new_string(ns.buf));
	json_object_object_add(doc, "sources", sources(st));
	json_object_object_add(doc, "rules", harvest_json_rules(h));
	jsonout_add(out, doc, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
	strbuf_addch(out, '\n');
	json_object_put(doc);
	strbuf_release(&ns);
}
