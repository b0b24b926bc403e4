/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef AAPROF_PROFILE_H
#define AAPROF_PROFILE_H

/*
 * Editing profile text: its sections, names, main profile and mode. The
 * escapers (escape.h) and the model of a profile's rules (policy.h) come
 * with this header.
 */
#include "escape.h"
#include "policy.h"
#include "strbuf.h"

/* markers of the section 'aaprof harvest --write' owns in a profile */
#define AAPROF_SECTION_BEGIN "# --- BEGIN aaprof harvested rules"
#define AAPROF_SECTION_END "# --- END aaprof harvested rules"

/*
 * The harvested section of profile text: call fn for each rule in it
 * (child: "" for the profile itself, else the ^hat/child name). The
 * markers are comments of their own lines (marker text in a path or after
 * a rule is no marker). Returns 1 if the section exists, 0 if not.
 */
int profile_section_rules(const char *text, void (*fn)(void *ctx, const char *child,
						       const char *rule), void *ctx);
/* the lines between the section's markers (a copy), or NULL when there is none */
char *profile_section_body(const char *text);
/* text without the top-level profiles other than name (and their children):
   the rules of one profile of a file that defines several */
char *profile_only(const char *text, const char *name);
/* the profile whose block holds the harvested section (parent//child for a
   child's), or NULL: no section, or none around it */
char *profile_section_owner(const char *text);
/*
 * Put section (indented rule lines) between the markers, replacing what was
 * there; without markers, add them before the closing brace of the profile
 * name (NULL: the first profile of the text).
 */
int profile_replace_section(const char *text, const char *name, const char *section,
			    struct strbuf *out, struct strbuf *why);

/*
 * Profile text read with apparmor_parser's tokens (comments, quoted
 * strings, escapes): the profiles it defines, with their children and hats
 * as parent//child, in the order of the text (NULL-terminated; free each
 * and the array). What apparmor_parser -N would list, without its includes.
 */
char **profile_names(const char *text);
/*
 * The main profile of profile text: the first profile at the top level, its
 * name ("profile NAME ... {", or an attachment "/usr/bin/x {"), the start of
 * its header and the end of its opening brace.
 */
int profile_main(const char *text, char **ret_name, size_t *ret_hdr_start, size_t *ret_hdr_end);
/* "complain" or "enforce" (or "kill", "unconfined", "prompt") from the flags
   of the profile name (NULL: the main profile), as kernel_mode_name() names
   the kernel's mode; NULL when there is no such profile */
const char *profile_mode_of(const char *text, const char *name);
/* set the mode of the profile name (NULL: the main one): adds or removes
   complain in its flags=(...) */
int profile_set_mode(const char *text, const char *name, const char *mode, struct strbuf *out,
		     struct strbuf *why);

#endif
