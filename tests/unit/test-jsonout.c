/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * jsonout_add(): the same JSON text whatever json-c the host has. json-c
 * 0.16 (Debian 12) pretty-prints an empty array as "[\n  ]", 0.18 (Debian
 * 13) as "[]": aaprof writes "[]" and "{}" on both, and never touches a
 * string value that merely looks like an empty container.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <json-c/json.h>
#include <string.h>

#include "jsonout.h"

static void render(const char *json, int flags, const char *want)
{
	struct json_object *o = json_tokener_parse(json);
	struct strbuf out = STRBUF_INIT;

	assert_non_null(o);
	jsonout_add(&out, o, flags);
	if (strcmp(out.buf, want))
		fail_msg("%s: got\n%s\nexpected\n%s", json, out.buf, want);
	strbuf_release(&out);
	json_object_put(o);
}

static void empty_containers(void **state)
{
	(void)state;
	render("{\"a\":[],\"b\":{}}", JSON_C_TO_STRING_PRETTY,
	       "{\n  \"a\":[],\n  \"b\":{}\n}");
	render("{\"a\":[[],{}]}", JSON_C_TO_STRING_PRETTY,
	       "{\n  \"a\":[\n    [],\n    {}\n  ]\n}");
	render("[]", JSON_C_TO_STRING_PRETTY, "[]");
	render("{\"a\":[]}", JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_PRETTY_TAB,
	       "{\n\t\"a\":[]\n}");
	render("{\"a\":[]}", JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED,
	       "{\n  \"a\": []\n}");
}

static void strings_untouched(void **state)
{
	(void)state;
	/* "[ ]" and an escaped newline inside strings stay as they are */
	render("{\"a\":\"[ ]\",\"b\":\"[\\n]\",\"c\":\"{\\n}\"}", JSON_C_TO_STRING_PRETTY,
	       "{\n  \"a\":\"[ ]\",\n  \"b\":\"[\\n]\",\n  \"c\":\"{\\n}\"\n}");
	render("{\"a\":[1]}", JSON_C_TO_STRING_PRETTY, "{\n  \"a\":[\n    1\n  ]\n}");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(empty_containers),
		cmocka_unit_test(strings_untouched),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
