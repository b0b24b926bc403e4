/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_YAMLTREE_H
#define AAPROF_YAMLTREE_H

#include <stddef.h>

#include "strbuf.h"

/*
 * YAML read with libyaml into a small tree that lint's scanners walk:
 * every document of a stream, each node with the line and column where it
 * starts. Hostile input is bounded: nesting deeper than YAML_MAX_DEPTH,
 * more than YAML_MAX_NODES nodes or an alias to an anchor that is not
 * complete are errors. An alias is the anchored node itself, shared, never
 * a copy: a walk that follows aliases counts its visits (yaml_walk_budget).
 */
#define YAML_MAX_DEPTH 256
#define YAML_MAX_NODES 1000000

enum ynode_kind { Y_SCALAR, Y_SEQ, Y_MAP };

struct ynode {
	enum ynode_kind kind;
	unsigned line, col;     /* 1-based */
	int plain;              /* a scalar written without quotes or block style */
	char *value;            /* a scalar's text, NUL-terminated (Y_SCALAR) */
	size_t len;
	struct ynode **items;   /* a sequence's items; a mapping's keys and values, alternating */
	size_t n, alloc;        /* items used (a mapping: twice its pairs) */
};

typedef struct yaml_doc yaml_doc_t;

/*
 * Parse text (len bytes) named file: 0 and *ret_doc, or -1 with why set to
 * "line N, column M: problem" (nothing allocated).
 */
int yaml_doc_parse(const char *text, size_t len, yaml_doc_t **ret_doc, struct strbuf *why);
void yaml_doc_free(yaml_doc_t *doc);
/* the number of documents in the stream and the root of document i */
size_t yaml_doc_count(const yaml_doc_t *doc);
struct ynode *yaml_doc_root(const yaml_doc_t *doc, size_t i);

/*
 * The value of key in mapping m, or NULL (m NULL or not a mapping too).
 * Keys merged with "<<: *anchor" (or a sequence of them) are looked up
 * after m's own, as YAML's merge key says.
 */
struct ynode *ymap_get(const struct ynode *m, const char *key);
/* the same, and the key's node in *ret_key when found */
struct ynode *ymap_lookup(const struct ynode *m, const char *key, struct ynode **ret_key);
/* a scalar whose text is s, ASCII case ignored */
int yscalar_is(const struct ynode *n, const char *s);
/* a scalar YAML reads as true (true, yes, on; any case; quoted too) */
int yscalar_true(const struct ynode *n);

#endif
