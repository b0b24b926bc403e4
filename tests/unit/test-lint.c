/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lint: the option values that switch a layer off, the shell scanner's
 * positions (continued lines, CRLF, quotes, comments), the YAML tree
 * (merges, aliases shared not copied, bad aliases), kind detection and
 * the findings table (one finding per place).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "lint-run.h"
#include "lint-shell.h"
#include "lint-yaml.h"
#include "lint.h"
#include "strbuf.h"
#include "yamltree.h"

static void option_values(void **state)
{
	(void)state;
	assert_int_equal(lint_security_opt("seccomp=unconfined"), LR_SECCOMP_UNCONFINED);
	assert_int_equal(lint_security_opt("seccomp:Unconfined"), LR_SECCOMP_UNCONFINED);
	assert_int_equal(lint_security_opt("apparmor=unconfined"), LR_APPARMOR_UNCONFINED);
	assert_int_equal(lint_security_opt("apparmor:unconfined"), LR_APPARMOR_UNCONFINED);
	assert_int_equal(lint_security_opt("label=disable"), LR_LABEL_DISABLE);
	assert_int_equal(lint_security_opt("label:disable"), LR_LABEL_DISABLE);
	assert_int_equal(lint_security_opt("systempaths=unconfined"), LR_SYSTEMPATHS);
	assert_int_equal(lint_security_opt("apparmor=web"), LR_NRULES);
	assert_int_equal(lint_security_opt("apparmor=unconfined-ish"), LR_NRULES);
	assert_int_equal(lint_security_opt("seccomp=/etc/unconfined.json"), LR_NRULES);
	assert_int_equal(lint_security_opt("label=type:svirt_apache_t"), LR_NRULES);
	assert_int_equal(lint_security_opt("no-new-privileges"), LR_NRULES);
	assert_int_equal(lint_security_opt("apparmorx=unconfined"), LR_NRULES);
	assert_int_equal(lint_security_opt(""), LR_NRULES);
	assert_int_equal(lint_cap("ALL"), LR_CAP_ALL);
	assert_int_equal(lint_cap("cap_all"), LR_CAP_ALL);
	assert_int_equal(lint_cap("CAP_SYS_ADMIN"), LR_CAP_SYS_ADMIN);
	assert_int_equal(lint_cap("sys_admin"), LR_CAP_SYS_ADMIN);
	assert_int_equal(lint_cap("NET_ADMIN"), LR_NRULES);
	assert_int_equal(lint_cap("ALLx"), LR_NRULES);
}

/* the findings of l as "LINE:COL:RULE;" */
static void got(const lint_t *l, struct strbuf *out)
{
	size_t i;

	for (i = 0; i < lint_count(l); i++) {
		const struct lint_finding *f = lint_get(l, i);

		strbuf_addf(out, "%u:%u:%s;", f->line, f->col, lint_rule_id(f->rule));
	}
}

static void shell_expect(const char *text, const char *expect)
{
	lint_t *l = lint_new();
	struct strbuf sb = STRBUF_INIT;

	lint_set_file(l, "t");
	lint_shell(l, text, strlen(text));
	lint_sort(l);
	got(l, &sb);
	assert_string_equal(sb.buf, expect);
	strbuf_release(&sb);
	lint_free(l);
}

static void shell(void **state)
{
	(void)state;
	/* the option's own line after continuations, CRLF line ends */
	shell_expect("docker run \\\r\n  -e A=1 \\\r\n  --privileged img\r\n", "3:3:privileged;");
	/* an escaped backslash does not continue the line */
	shell_expect("echo a\\\\\ndocker run --privileged x\n", "2:12:privileged;");
	/* quotes removed; one word split only where the shell splits it */
	shell_expect("docker run --security-opt='apparmor=unconfined' x\n", "1:12:apparmor-unconfined;");
	shell_expect("docker run --security-opt \"seccomp\"=unconfined x\n", "1:12:seccomp-unconfined;");
	shell_expect("docker run -it --rm -e X='--privileged' img --privileged\n", "");
	shell_expect("echo 'docker run --privileged x'\n", "");
	shell_expect("# docker run --privileged x\n", "");
	shell_expect("docker run x # --privileged\n", "");
	shell_expect("docker ps --privileged\n", "");
	shell_expect("docker run --privileged=false x\n", "");
	/* after && and ;, under sudo, by path, as a make variable */
	shell_expect("true && sudo /usr/bin/docker run --privileged x; podman create "
		     "--cap-add=CAP_ALL y\n", "1:34:privileged;1:64:cap-add-all;");
	shell_expect("\t@$(DOCKER) container run --pid host x\n", "1:27:host-pid;");
	shell_expect("nerdctl -H unix:///x run --ipc=host x\n", "1:26:host-ipc;");
	/* a value-taking option before --privileged, and the name for the advice */
	shell_expect("docker run -v /a:/b --name web -p 80:80 --privileged x\n", "1:41:privileged;");
	/* a continuation at the end of the text */
	shell_expect("docker run --privileged \\", "1:12:privileged;");
	shell_expect("", "");
}

static yaml_doc_t *parse(const char *text)
{
	struct strbuf why = STRBUF_INIT;
	yaml_doc_t *doc = NULL;

	assert_int_equal(yaml_doc_parse(text, strlen(text), &doc, &why), 0);
	strbuf_release(&why);
	return doc;
}

static void parse_fails(const char *text, const char *expect)
{
	struct strbuf why = STRBUF_INIT;
	yaml_doc_t *doc = NULL;

	assert_int_equal(yaml_doc_parse(text, strlen(text), &doc, &why), -1);
	assert_null(doc);
	assert_non_null(strstr(why.buf, expect));
	strbuf_release(&why);
}

static void yaml_tree(void **state)
{
	yaml_doc_t *doc;
	struct ynode *root, *a, *b;

	(void)state;
	doc = parse("base: &b {x: 1, y: 2}\nother: &o {y: 3, z: 4}\n"
		    "m: {<<: [*b, *o], x: 5}\nn: *b\n---\n- 1\n");
	assert_int_equal(yaml_doc_count(doc), 2);
	root = yaml_doc_root(doc, 0);
	a = ymap_get(root, "m");
	assert_string_equal(ymap_get(a, "x")->value, "5");
	assert_string_equal(ymap_get(a, "y")->value, "2");   /* the first merge wins */
	assert_string_equal(ymap_get(a, "z")->value, "4");
	assert_null(ymap_get(a, "w"));
	/* an alias is the anchored node itself */
	b = ymap_get(root, "n");
	assert_ptr_equal(b, ymap_get(root, "base"));
	assert_int_equal(b->line, 1);
	assert_int_equal(b->col, 7);
	assert_int_equal(yaml_doc_root(doc, 1)->kind, Y_SEQ);
	assert_null(ymap_get(yaml_doc_root(doc, 1), "x"));
	yaml_doc_free(doc);

	doc = parse("a: Yes\nb: 'true'\nc: truex\nd: [on]\n");
	root = yaml_doc_root(doc, 0);
	assert_true(yscalar_true(ymap_get(root, "a")));
	assert_true(yscalar_true(ymap_get(root, "b")));
	assert_false(yscalar_true(ymap_get(root, "c")));
	assert_false(yscalar_true(ymap_get(root, "d")));
	yaml_doc_free(doc);

	parse_fails("a: *nope\n", "line 1, column 4: alias to an unknown");
	parse_fails("a: &x [1, *x]\n", "unfinished anchor");
	parse_fails("---\na: &x 1\n---\nb: *x\n", "line 4, column 4");
	parse_fails("a: [1\n", "line 2, column 1");
}

static void kinds(void **state)
{
	yaml_doc_t *doc;

	(void)state;
	doc = parse("# gitlab\nservices: [docker:dind]\nscript: [docker run x]\n");
	assert_int_equal(lint_yaml_kind(doc), LINT_SHELL);
	yaml_doc_free(doc);
	doc = parse("services: {web: {image: x}}\n");
	assert_int_equal(lint_yaml_kind(doc), LINT_COMPOSE);
	yaml_doc_free(doc);
	doc = parse("---\n# empty\n---\nkind: Pod\napiVersion: v1\n");
	assert_int_equal(lint_yaml_kind(doc), LINT_K8S);
	yaml_doc_free(doc);
	doc = parse("kind: Pod\n");
	assert_int_equal(lint_yaml_kind(doc), LINT_SHELL);
	yaml_doc_free(doc);
}

static void table(void **state)
{
	lint_t *l = lint_new();
	struct strbuf why = STRBUF_INIT, sb = STRBUF_INIT;
	const char *compose = "x: &p {privileged: true, cap_add: [SYS_ADMIN]}\n"
			      "services:\n  a: {<<: *p}\n  b: {<<: *p}\n  c: {privileged: false}\n";
	const char *bin = "docker run --privileged\0x";

	(void)state;
	lint_set_file(l, "c.yml");
	assert_int_equal(lint_text(l, compose, strlen(compose), LINT_AUTO, 1, &why), 0);
	/* the anchor's settings count once, though two services merge them */
	got(l, &sb);
	assert_string_equal(sb.buf, "1:8:privileged;1:36:cap-add-sys-admin;");
	assert_int_equal(lint_errors(l), 1);
	lint_set_file(l, "b");
	assert_int_equal(lint_text(l, bin, 25, LINT_AUTO, 0, &why), 1);
	assert_int_equal(lint_count(l), 2);
	assert_int_equal(lint_text(l, "a: [", 4, LINT_AUTO, 1, &why), -1);
	assert_non_null(strstr(why.buf, "malformed YAML: line 2, column 1: did not find expected node content"));
	strbuf_reset(&why);
	assert_int_equal(lint_text(l, "a: [", 4, LINT_AUTO, 0, &why), 0);
	assert_string_equal(lint_file_name(l, lint_get(l, 0)->file), "c.yml");
	strbuf_release(&why);
	strbuf_release(&sb);
	lint_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(option_values),
		cmocka_unit_test(shell),
		cmocka_unit_test(yaml_tree),
		cmocka_unit_test(kinds),
		cmocka_unit_test(table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
