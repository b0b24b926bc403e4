/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_CARRY_H
#define AAPROF_CARRY_H

/*
 * A load that replaces an installed profile file by another text (a FILE,
 * a rendered template) must not silently drop the rules 'aaprof harvest
 * --write' put into the installed file's harvested section.
 *
 * old: what path (the installed file of profile name) holds; *text: what
 * is to replace it; from: what *text is, for messages ("'myapp.profile'").
 * When old's section holds rules *text lacks (in its own section, or as a
 * line of its own), then:
 *   replace: they are dropped, and that is said;
 *   *text has no harvested section, or an empty one: old's section is put
 *   into *text (replaced), compiled, and that is said;
 *   else (*text has a section of its own without them): refused.
 * dry_run: the messages go to standard output. Returns 0, or an exit code
 * after a message (EXIT_REJECTED: the carried section does not compile
 * with the new text).
 */
int carry_section(const char *old, const char *path, const char *name, const char *from,
		  int replace, int quiet, int dry_run, char **text);

#endif
