/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * abi.c - the rule forms a profile's ABI and target kernel enforce, in one
 * table; feature sets (abi files, kernel features) read as
 * apparmor_parser reads them.
 */
#include "abi.h"
#include "rclass.h"
#include "util.h"

#include <ctype.h>
#include <dirent.h>
#include <string.h>
#include <sys/stat.h>

/*
 * The table: per rule kind, the lowest ABI aaprof writes its fine-grained
 * form under, the feature the ABI and the kernel must both have, and what
 * is written when they do not. Facts behind it (kernels 6.1, 6.12, 7.3,
 * parsers 3.0.8, 4.1, 5.0.2, ../shared/FACTS.md):
 * - network access lists ("network (bind) inet6 dgram,") are compiled by
 *   4.x parsers only; 3.x parsers, which abi 3.0 profiles must compile
 *   with, take "network FAMILY TYPE," alone;
 * - ip=/port= are enforced only by kernels with network_v8/af_inet (an
 *   Ubuntu patch; abi 5.0 lists it, no Debian kernel has it): elsewhere a
 *   bind to another port succeeds after enforce;
 * - unix rules: kernels mediate them with network/af_unix (Ubuntu's) or
 *   network_v9/af_unix (upstream 6.17+, only under abi 5.0); else the
 *   parser downgrades them to "network unix TYPE,", which aaprof writes;
 * - userns needs namespaces/mask userns_create (abi 4.0, kernels 6.7+),
 *   io_uring io_uring/mask (abi 5.0: 4.0 has none), mqueue
 *   ipc/posix_mqueue (abi 4.0, Ubuntu kernels only).
 */
static const struct abi_form forms[] = {
	{ HF_NET_FINE, "network access lists", "network (bind, ...) FAMILY TYPE,", 40,
	  "network_v8/af_mask", NULL, NULL, NULL, "network FAMILY TYPE," },
	{ HF_NET_ADDR, "network addresses and ports", "ip=ADDR port=N peer=(ip=... port=...)", 50,
	  "network_v8/af_inet", NULL, NULL, NULL, "the rule without them" },
	{ HF_UNIX, "unix socket rules", "unix (...) type=T addr=@NAME peer=(...),", 30,
	  "network/af_unix", NULL, "network_v9/af_unix", NULL, "network unix TYPE," },
	{ HF_USERNS, "userns rules", "userns create,", 40,
	  "namespaces/mask", "userns_create", NULL, NULL, NULL },
	{ HF_IO_URING, "io_uring rules", "io_uring (sqpoll, override_creds),", 50,
	  "io_uring/mask", NULL, NULL, NULL, NULL },
	{ HF_MQUEUE, "mqueue rules", "mqueue (...) type=posix NAME,", 40,
	  "ipc/posix_mqueue", NULL, NULL, NULL, NULL },
};

const struct abi_form *abi_forms(size_t *ret_n)
{
	*ret_n = ARRAY_SIZE(forms);
	return forms;
}

/*
 * The ABIs aaprof knows, as far as the table looks (the keys of
 * /etc/apparmor.d/abi/{3.0,4.0,5.0} of AppArmor 3.0 to 5.0; test-abi.c
 * checks them against those files).
 */
static const struct { const char *name; int version; const char *text; } known[] = {
	{ "abi/3.0", 30, "network {af_mask {unix inet inet6\n}\naf_unix {yes\n}\n}\n"
			 "network_v8 {af_mask {unix inet inet6\n}\n}\n" },
	{ "abi/4.0", 40, "network {af_mask {unix inet inet6\n}\naf_unix {yes\n}\n}\n"
			 "network_v8 {af_mask {unix inet inet6\n}\n}\n"
			 "namespaces {mask {userns_create\n}\n}\n"
			 "ipc {posix_mqueue {create read write open delete setattr getattr\n}\n}\n" },
	{ "abi/5.0", 50, "network {af_mask {unix inet inet6\n}\naf_unix {yes\n}\n}\n"
			 "network_v8 {af_inet {yes\n}\naf_mask {unix inet inet6\n}\n}\n"
			 "network_v9 {af_mask {unix inet inet6\n}\naf_unix {yes\n}\n}\n"
			 "namespaces {mask {userns_create\n}\n}\n"
			 "ipc {posix_mqueue {create read write open delete setattr getattr\n}\n}\n"
			 "io_uring {mask {sqpoll override_creds\n}\n}\n" },
};

/* ------------------------------------------------------------ features */

struct feature {
	char *path, *words;
};

struct features {
	struct feature *v;
	size_t n, alloc;
};

static void add_words(features_t *f, const char *path, const char *w, size_t n)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (streq(f->v[i].path, path))
			break;
	if (i == f->n) {
		ALLOC_GROW(f->v, f->n + 1, f->alloc);
		f->v[f->n].path = xstrdup(path);
		f->v[f->n++].words = xstrdup("");
	}
	if (n) {
		char *old = f->v[i].words;

		f->v[i].words = *old ? xasprintf("%s %.*s", old, (int)n, w) : xstrndup(w, n);
		free(old);
	}
}

features_t *features_parse(const char *text)
{
	features_t *f = xcalloc(1, sizeof(*f));
	struct strbuf path = STRBUF_INIT;
	size_t depth = 0, lens[32];
	const char *p = text;

	while (*p) {
		const char *w = p;
		size_t n;

		if (isspace((unsigned char)*p)) {
			p++;
			continue;
		}
		if (*p == '}') {
			if (depth)
				strbuf_setlen(&path, lens[--depth]);
			p++;
			continue;
		}
		while (*p && !isspace((unsigned char)*p) && *p != '{' && *p != '}')
			p++;
		n = p - w;
		if (!n) {   /* a stray '{' */
			p++;
			continue;
		}
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '{' && depth < ARRAY_SIZE(lens)) {
			lens[depth++] = path.len;
			if (path.len)
				strbuf_addch(&path, '/');
			strbuf_add(&path, w, n);
			add_words(f, path.buf, NULL, 0);
			p++;
		} else if (depth) {
			add_words(f, path.buf, w, n);
		}
	}
	strbuf_release(&path);
	return f;
}

/* the files under dir (a features directory), as path -> words */
static int load_dir(features_t *f, const char *dir, const char *rel, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int r = 0;

	if (!d)
		return error_errno("cannot read the features directory '%s'", dir);
	while (r == 0 && (de = readdir(d))) {
		_cleanup_free_ char *full = NULL, *sub = NULL, *text = NULL;
		struct stat st;
		char *s, *tok, *save = NULL;

		if (de->d_name[0] == '.')
			continue;
		full = xasprintf("%s/%s", dir, de->d_name);
		sub = *rel ? xasprintf("%s/%s", rel, de->d_name) : xstrdup(de->d_name);
		if (stat(full, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			add_words(f, sub, NULL, 0);
			if (depth < 8)
				r = load_dir(f, full, sub, depth + 1);
			continue;
		}
		if (!S_ISREG(st.st_mode) || read_file_quiet(full, 1u << 16, &text) < 0)
			continue;
		add_words(f, sub, NULL, 0);
		for (s = text; (tok = strtok_r(s, " \t\n", &save)); s = NULL)
			add_words(f, sub, tok, strlen(tok));
	}
	closedir(d);
	return r;
}

features_t *features_load(const char *path)
{
	_cleanup_free_ char *text = NULL;
	struct stat st;
	features_t *f;

	if (stat(path, &st) < 0) {
		error_errno("cannot read the features '%s'", path);
		return NULL;
	}
	if (S_ISDIR(st.st_mode)) {
		f = xcalloc(1, sizeof(*f));
		if (load_dir(f, path, "", 0) < 0) {
			features_free(f);
			return NULL;
		}
	} else {
		if (read_file(path, 1u << 20, &text, NULL) < 0)
			return NULL;
		f = features_parse(text);
	}
	if (!f->n) {
		error("'%s' holds no AppArmor features (expected a features directory such as "
		      "/sys/kernel/security/apparmor/features, or an abi or features file)", path);
		features_free(f);
		return NULL;
	}
	return f;
}

void features_free(features_t *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->n; i++) {
		free(f->v[i].path);
		free(f->v[i].words);
	}
	free(f->v);
	free(f);
}

static int has_word(const char *words, const char *w)
{
	size_t n = strlen(w);
	const char *p = words;

	while ((p = strstr(p, w))) {
		if ((p == words || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return 1;
		p += n;
	}
	return 0;
}

int features_has(const features_t *f, const char *path, const char *word)
{
	size_t i;

	for (i = 0; f && i < f->n; i++) {
		if (!streq(f->v[i].path, path))
			continue;
		if (streq(f->v[i].words, "no"))
			return 0;
		return !word || has_word(f->v[i].words, word);
	}
	return 0;
}

/* ---------------------------------------------------------------- target */

char *abi_of_text(const char *text)
{
	const char *line = text;

	while (line && *line) {
		const char *end = strchrnul(line, '\n'), *p = line, *q;

		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (end - p > 4 && !strncmp(p, "abi", 3) && (p[3] == ' ' || p[3] == '\t')) {
			p += 4;
			while (p < end && (*p == ' ' || *p == '\t'))
				p++;
			if (p < end && (*p == '<' || *p == '"')) {
				char close = *p == '<' ? '>' : '"';

				q = memchr(p + 1, close, end - p - 1);
				if (q && q > p + 1)
					return xstrndup(p + 1, q - p - 1);
			}
		}
		/* the abi rule comes before the profiles */
		if (p < end && (starts_with(p, "profile") || *p == '/' || *p == '{'))
			break;
		line = *end ? end + 1 : end;
	}
	return NULL;
}

/* the feature a row needs, in one feature set */
static int row_in(const struct abi_form *r, const features_t *f)
{
	return features_has(f, r->feature, r->word) ||
	       (r->feature2 && features_has(f, r->feature2, r->word2));
}

/* ... in both the ABI and the target (each form needs the same feature in both) */
static int row_enforced(const struct abi_target *t, const struct abi_form *r)
{
	if (t->version && t->version < r->min_version)
		return 0;
	if (!t->kernel)
		return row_in(r, t->abi_feat);
	return (features_has(t->abi_feat, r->feature, r->word) &&
		features_has(t->kernel, r->feature, r->word)) ||
	       (r->feature2 && features_has(t->abi_feat, r->feature2, r->word2) &&
		features_has(t->kernel, r->feature2, r->word2));
}

int abi_target_init(struct abi_target *t, const char *text, const char *profile_dir,
		    const char *target_file)
{
	const char *name;
	size_t i;

	memset(t, 0, sizeof(*t));
	t->abi = text ? abi_of_text(text) : NULL;
	name = t->abi ? t->abi : "abi/3.0";
	for (i = 0; i < ARRAY_SIZE(known); i++) {
		if (streq(name, known[i].name)) {
			t->version = known[i].version;
			t->abi_feat = features_parse(known[i].text);
		}
	}
	if (!t->abi_feat) {
		_cleanup_free_ char *path = name[0] == '/' ? xstrdup(name) :
			xasprintf("%s/%s", profile_dir ? profile_dir : "/etc/apparmor.d", name);

		t->abi_feat = features_load(path);
		if (!t->abi_feat)
			return error("the profile's abi <%s>: cannot read it as an abi file", name);
	}
	if (target_file) {
		t->kernel = features_load(target_file);
		if (!t->kernel)
			return -1;
		t->kernel_what = xstrdup(target_file);
	}
	for (i = 0; i < ARRAY_SIZE(forms); i++)
		if (row_enforced(t, &forms[i]))
			t->enforced |= forms[i].bit;
	return 0;
}

void abi_target_release(struct abi_target *t)
{
	free(t->abi);
	features_free(t->abi_feat);
	features_free(t->kernel);
	free(t->kernel_what);
	memset(t, 0, sizeof(*t));
}

void abi_target_name(const struct abi_target *t, struct strbuf *out)
{
	if (t->abi)
		strbuf_addf(out, "abi <%s>", t->abi);
	else
		strbuf_addstr(out, "no abi rule (taken as abi 3.0)");
	if (t->kernel_what)
		strbuf_addf(out, " on the target %s", t->kernel_what);
}

static const struct abi_form *form_of(unsigned bit)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(forms); i++)
		if (forms[i].bit == bit)
			return &forms[i];
	return NULL;
}

void abi_needs(const struct abi_target *t, unsigned bit, struct strbuf *out)
{
	const struct abi_form *r = form_of(bit);
	int abi_ok, kernel_ok;

	if (!r)
		return;
	abi_ok = (!t->version || t->version >= r->min_version) && row_in(r, t->abi_feat);
	kernel_ok = !t->kernel || row_in(r, t->kernel);
	strbuf_addstr(out, "needs ");
	if (!abi_ok)
		strbuf_addf(out, "abi %d.%d or later", r->min_version / 10, r->min_version % 10);
	if (!abi_ok && !kernel_ok)
		strbuf_addstr(out, " and ");
	if (!kernel_ok || abi_ok)
		strbuf_addstr(out, "a kernel with ");
	if (!kernel_ok || abi_ok) {
		strbuf_addstr(out, r->feature);
		if (r->word)
			strbuf_addf(out, " %s", r->word);
		if (r->feature2)
			strbuf_addf(out, " or %s", r->feature2);
	}
}

void abi_explain(const struct abi_target *t, unsigned bits, const char *indent,
		 struct strbuf *out)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(forms); i++) {
		const struct abi_form *r = &forms[i];

		if (!(bits & r->bit))
			continue;
		strbuf_addf(out, "%s%s are not enforced under ", indent, r->kind);
		abi_target_name(t, out);
		if (r->coarse)
			strbuf_addf(out, ": written as '%s' (", r->coarse);
		else
			strbuf_addstr(out, ": the class is not mediated, its rules are written as "
				      "comments (");
		abi_needs(t, r->bit, out);
		strbuf_addstr(out, ")\n");
	}
}

/* ------------------------------------------------- network, and unix */

/* a line of text that is the rule word (then ',' or a space), not in a comment or a deny */
static int has_rule(const char *text, const char *word, int bare)
{
	const char *line = text;
	size_t n = strlen(word);

	while (line && *line) {
		const char *end = strchrnul(line, '\n'), *p = line;

		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (starts_with(p, "allow "))
			p += 6;
		if (end - p > (long)n && !strncmp(p, word, n)) {
			const char *q = p + n;

			while (q < end && (*q == ' ' || *q == '\t'))
				q++;
			if (q < end && (*q == ',' || (!bare && q > p + n)))
				return 1;
		}
		line = *end ? end + 1 : end;
	}
	return 0;
}

int abi_unix_by_network(const char *text, const char *profile_dir, struct strbuf *why)
{
	_cleanup_free_ char *abi = abi_of_text(text);
	struct abi_target t;
	int r = 0, saved = quiet_errors;

	if (!abi)
		return 0;
	quiet_errors = 1;   /* an abi file that cannot be read: apparmor_parser says so */
	r = abi_target_init(&t, text, profile_dir, NULL);
	quiet_errors = saved;
	if (r == 0 && features_has(t.abi_feat, "network_v9/af_unix", NULL) &&
	    has_rule(text, "network", 1) && !has_rule(text, "unix", 0)) {
		strbuf_addf(why, "it relies on 'network,' for its unix sockets, but under abi <%s> "
			    "kernels with fine-grained unix mediation (network_v9/af_unix, Linux "
			    "6.17 and later) no longer apply 'network,' to unix sockets: add the "
			    "unix rules it needs ('aaprof harvest' writes them) or pin "
			    "'abi <abi/3.0>,'", t.abi);
		r = 1;
	} else {
		r = 0;
	}
	abi_target_release(&t);
	return r;
}
