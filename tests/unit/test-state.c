/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * apparmor-utils' state on disk (utilsstate.c, backup.c, parser.c): where
 * the disable/ and force-complain/ links go, how backup generations are
 * named, when parser.conf asks for a cache.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "backup.h"
#include "parser.h"
#include "paths.h"
#include "utilsstate.h"

static void link_paths(void **state)
{
	char *p;

	(void)state;
	p = utils_link_path("/etc/apparmor.d/usr.bin.man", UTILS_DISABLE);
	assert_string_equal(p, "/etc/apparmor.d/disable/usr.bin.man");
	free(p);
	p = utils_link_path("/etc/apparmor.d/web", UTILS_FORCE_COMPLAIN);
	assert_string_equal(p, "/etc/apparmor.d/force-complain/web");
	free(p);
	p = utils_link_path("web", UTILS_DISABLE);
	assert_string_equal(p, "disable/web");
	free(p);
}

static void conf_cache(void **state)
{
	(void)state;
	assert_false(parser_conf_wants_cache(""));
	assert_false(parser_conf_wants_cache("# write-cache\n#cache-loc /x\n"));
	assert_false(parser_conf_wants_cache("## Turn creating/updating of the cache on by default\n"
					     "#write-cache\nskip-read-cache\n"));
	assert_false(parser_conf_wants_cache("write-cache-not\n"));
	assert_true(parser_conf_wants_cache("write-cache\n"));
	assert_true(parser_conf_wants_cache("  write-cache"));
	assert_true(parser_conf_wants_cache("# comment\n--write-cache\n"));
	assert_true(parser_conf_wants_cache("Optimize=no-expr-simplify\n-W\n"));
	assert_true(parser_conf_wants_cache("cache-loc /var/cache/apparmor\n"));
	assert_true(parser_conf_wants_cache("cache-loc=/srv/cache\n"));
}

static void generations(void **state)
{
	char *one, *two, *twelve;

	(void)state;
	/* build/tmp is every shell suite's (tests/lib.sh), whose cases run as
	   nobody too: not created here 0700 as a state directory's parents */
	mkdir("build/tmp", 0755);
	setenv("AAPROF_STATE_DIR", "build/tmp/test-state", 1);
	one = backup_path("/etc/apparmor.d/web", 1);
	two = backup_path("/etc/apparmor.d/web", 2);
	twelve = backup_path("/etc/apparmor.d/web", 12);
	assert_string_equal(one, "build/tmp/test-state/backup/%2Fetc%2Fapparmor.d%2Fweb");
	assert_string_equal(two, "build/tmp/test-state/backup/%2Fetc%2Fapparmor.d%2Fweb%~2");
	assert_string_equal(twelve, "build/tmp/test-state/backup/%2Fetc%2Fapparmor.d%2Fweb%~12");
	free(one);
	free(two);
	free(twelve);
	/* no profile's first backup is another's later one: a '%' of a name is %25 */
	one = backup_path("/etc/apparmor.d/web%~2", 1);
	assert_string_equal(one, "build/tmp/test-state/backup/%2Fetc%2Fapparmor.d%2Fweb%25~2");
	free(one);
	unsetenv("AAPROF_BACKUPS");
	assert_int_equal(backup_keep(), BACKUP_KEEP_DEFAULT);
	setenv("AAPROF_BACKUPS", "12", 1);
	assert_int_equal(backup_keep(), 12);
	setenv("AAPROF_BACKUPS", "0", 1);
	assert_int_equal(backup_keep(), BACKUP_KEEP_DEFAULT);
	setenv("AAPROF_BACKUPS", "3x", 1);
	assert_int_equal(backup_keep(), BACKUP_KEEP_DEFAULT);
	setenv("AAPROF_BACKUPS", "100", 1);
	assert_int_equal(backup_keep(), BACKUP_KEEP_DEFAULT);
	unsetenv("AAPROF_BACKUPS");
	unsetenv("AAPROF_STATE_DIR");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(link_paths),
		cmocka_unit_test(conf_cache),
		cmocka_unit_test(generations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
