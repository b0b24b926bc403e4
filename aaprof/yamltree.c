/* SPDX-License-Identifier: GPL-2.0-or-later */
/* yamltree.c - YAML documents as a tree, bounded (see yamltree.h) */
#include "yamltree.h"
#include "util.h"

#include <string.h>
#include <strings.h>
#include <yaml.h>

struct anchor {
	char *name;
	struct ynode *node;
};

struct yaml_doc {
	struct ynode **nodes;     /* every node, for freeing */
	size_t nnodes, nodes_alloc;
	struct ynode **roots;
	size_t nroots, roots_alloc;
};

struct builder {
	yaml_doc_t *doc;
	struct ynode *stack[YAML_MAX_DEPTH];
	char *stack_anchor[YAML_MAX_DEPTH];
	size_t depth;
	struct anchor *anchors;   /* of the current document */
	size_t nanchors, anchors_alloc;
	struct strbuf *why;
};

static void drop_anchors(struct builder *b)
{
	size_t i;

	for (i = 0; i < b->nanchors; i++)
		free(b->anchors[i].name);
	b->nanchors = 0;
}

static int fail_at(struct builder *b, const yaml_mark_t *m, const char *what)
{
	strbuf_addf(b->why, "line %zu, column %zu: %s", m->line + 1, m->column + 1, what);
	return -1;
}

static struct ynode *new_node(struct builder *b, enum ynode_kind kind, const yaml_mark_t *m)
{
	struct ynode *n;

	if (b->doc->nnodes >= YAML_MAX_NODES)
		return NULL;
	n = xcalloc(1, sizeof(*n));
	n->kind = kind;
	n->line = m->line + 1;
	n->col = m->column + 1;
	ALLOC_GROW(b->doc->nodes, b->doc->nnodes + 1, b->doc->nodes_alloc);
	b->doc->nodes[b->doc->nnodes++] = n;
	return n;
}

static void remember(struct builder *b, const yaml_char_t *anchor, struct ynode *n)
{
	size_t i;

	if (!anchor)
		return;
	/* a later anchor of the same name hides the earlier one */
	for (i = 0; i < b->nanchors; i++) {
		if (streq(b->anchors[i].name, (const char *)anchor)) {
			b->anchors[i].node = n;
			return;
		}
	}
	ALLOC_GROW(b->anchors, b->nanchors + 1, b->anchors_alloc);
	b->anchors[b->nanchors].name = xstrdup((const char *)anchor);
	b->anchors[b->nanchors++].node = n;
}

/* hang n into the collection being built, or make it the document's root */
static void attach(struct builder *b, struct ynode *n)
{
	struct ynode *p;

	if (!b->depth) {
		ALLOC_GROW(b->doc->roots, b->doc->nroots + 1, b->doc->roots_alloc);
		b->doc->roots[b->doc->nroots++] = n;
		return;
	}
	p = b->stack[b->depth - 1];
	ALLOC_GROW(p->items, p->n + 1, p->alloc);
	p->items[p->n++] = n;
}

static int on_event(struct builder *b, yaml_event_t *ev)
{
	struct ynode *n;
	size_t i;

	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		drop_anchors(b);
		return 0;
	case YAML_SCALAR_EVENT:
		n = new_node(b, Y_SCALAR, &ev->start_mark);
		if (!n)
			return fail_at(b, &ev->start_mark, "too many nodes");
		n->value = xstrndup((const char *)ev->data.scalar.value, ev->data.scalar.length);
		n->len = strlen(n->value);
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		remember(b, ev->data.scalar.anchor, n);
		attach(b, n);
		return 0;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (b->depth >= YAML_MAX_DEPTH)
			return fail_at(b, &ev->start_mark, "nested too deeply");
		n = new_node(b, ev->type == YAML_MAPPING_START_EVENT ? Y_MAP : Y_SEQ,
			     &ev->start_mark);
		if (!n)
			return fail_at(b, &ev->start_mark, "too many nodes");
		attach(b, n);
		/* anchored when complete: an alias inside its own anchor is an error */
		b->stack_anchor[b->depth] = ev->type == YAML_MAPPING_START_EVENT ?
			(ev->data.mapping_start.anchor ? xstrdup((char *)ev->data.mapping_start.anchor) : NULL) :
			(ev->data.sequence_start.anchor ? xstrdup((char *)ev->data.sequence_start.anchor) : NULL);
		b->stack[b->depth++] = n;
		return 0;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		b->depth--;
		remember(b, (yaml_char_t *)b->stack_anchor[b->depth], b->stack[b->depth]);
		FREE_AND_NULL(b->stack_anchor[b->depth]);
		return 0;
	case YAML_ALIAS_EVENT:
		for (i = b->nanchors; i-- > 0;) {
			if (streq(b->anchors[i].name, (const char *)ev->data.alias.anchor)) {
				attach(b, b->anchors[i].node);
				return 0;
			}
		}
		return fail_at(b, &ev->start_mark, "alias to an unknown or unfinished anchor");
	default:
		return 0;
	}
}

int yaml_doc_parse(const char *text, size_t len, yaml_doc_t **ret_doc, struct strbuf *why)
{
	struct builder b = { .why = why };
	yaml_parser_t parser;
	yaml_event_t ev;
	int r = 0, done = 0;

	b.doc = xcalloc(1, sizeof(*b.doc));
	if (!yaml_parser_initialize(&parser))
		die("out of memory");
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	while (!done && !r) {
		if (!yaml_parser_parse(&parser, &ev)) {
			strbuf_addf(why, "line %zu, column %zu: %s%s%s", parser.problem_mark.line + 1,
				    parser.problem_mark.column + 1,
				    parser.problem ? parser.problem : "malformed YAML",
				    parser.context ? " " : "", parser.context ? parser.context : "");
			r = -1;
			break;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		r = on_event(&b, &ev);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	drop_anchors(&b);
	free(b.anchors);
	while (b.depth)
		free(b.stack_anchor[--b.depth]);
	if (r < 0) {
		yaml_doc_free(b.doc);
		return -1;
	}
	*ret_doc = b.doc;
	return 0;
}

void yaml_doc_free(yaml_doc_t *doc)
{
	size_t i;

	if (!doc)
		return;
	for (i = 0; i < doc->nnodes; i++) {
		free(doc->nodes[i]->value);
		free(doc->nodes[i]->items);
		free(doc->nodes[i]);
	}
	free(doc->nodes);
	free(doc->roots);
	free(doc);
}

size_t yaml_doc_count(const yaml_doc_t *doc)
{
	return doc->nroots;
}

struct ynode *yaml_doc_root(const yaml_doc_t *doc, size_t i)
{
	return i < doc->nroots ? doc->roots[i] : NULL;
}

/* depth bounds merges of merges (anchors are acyclic, but may be many) */
static struct ynode *map_get(const struct ynode *m, const char *key, int depth,
			     struct ynode **ret_key)
{
	struct ynode *merge = NULL, *v;
	size_t i;

	if (!m || m->kind != Y_MAP || depth > 8)
		return NULL;
	for (i = 0; i + 1 < m->n; i += 2) {
		const struct ynode *k = m->items[i];

		if (k->kind != Y_SCALAR)
			continue;
		if (streq(k->value, key)) {
			if (ret_key)
				*ret_key = m->items[i];
			return m->items[i + 1];
		}
		if (k->plain && streq(k->value, "<<") && !merge)
			merge = m->items[i + 1];
	}
	if (!merge)
		return NULL;
	if (merge->kind == Y_MAP)
		return map_get(merge, key, depth + 1, ret_key);
	if (merge->kind == Y_SEQ)
		for (i = 0; i < merge->n && i < 64; i++)
			if ((v = map_get(merge->items[i], key, depth + 1, ret_key)))
				return v;
	return NULL;
}

struct ynode *ymap_get(const struct ynode *m, const char *key)
{
	return map_get(m, key, 0, NULL);
}

struct ynode *ymap_lookup(const struct ynode *m, const char *key, struct ynode **ret_key)
{
	return map_get(m, key, 0, ret_key);
}

int yscalar_is(const struct ynode *n, const char *s)
{
	return n && n->kind == Y_SCALAR && n->len == strlen(s) && !strcasecmp(n->value, s);
}

int yscalar_true(const struct ynode *n)
{
	return yscalar_is(n, "true") || yscalar_is(n, "yes") || yscalar_is(n, "on");
}
