#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Every header stands alone and is whole inside its include guard:
#  - it compiles on its own, included once and included twice (it includes
#    what it uses; a second inclusion defines nothing again);
#  - with its guard macro defined beforehand, the preprocessor leaves
#    nothing of it (no declaration after the #endif, or before the #ifndef).
# Usage: CC=cc HEADER_CFLAGS="-I... -D..." tools/check-headers.sh HEADER...
# Prints each header that fails and why; exits 1 if any failed.
set -u
CC=${CC:-cc}
out=$(mktemp) || exit 1
trap 'rm -f "$out"' EXIT
fail=0
total=0
for h in "$@"; do
	total=$((total + 1))
	dir=$(dirname "$h")
	name=$(basename "$h")
	bad=
	for times in 1 2; do
		if [ "$times" = 1 ]; then
			src=$(printf '#include "%s"\n' "$name")
		else
			src=$(printf '#include "%s"\n#include "%s"\n' "$name" "$name")
		fi
		# shellcheck disable=SC2086
		if ! printf '%s\n' "$src" | $CC $HEADER_CFLAGS -I"$dir" -fsyntax-only -x c - >"$out" 2>&1; then
			[ "$times" = 1 ] && bad="does not compile on its own" ||
				bad="does not compile when included twice"
			break
		fi
	done
	if [ -z "$bad" ]; then
		guard=$(sed -n 's/^#ifndef[[:space:]]\{1,\}\([A-Za-z0-9_]\{1,\}\).*/\1/p' "$h" | head -n 1)
		if [ -z "$guard" ]; then
			bad="has no #ifndef include guard"
			: >"$out"
		# shellcheck disable=SC2086
		elif ! $CC $HEADER_CFLAGS -I"$dir" -D"$guard" -E -P -x c "$h" >"$out" 2>&1; then
			bad="does not preprocess"
		elif grep -q '[^[:space:]]' "$out"; then
			bad="has declarations outside its include guard $guard"
		fi
	fi
	if [ -n "$bad" ]; then
		echo "check-headers: $h $bad:"
		sed -n 's/^/  /; 1,6p' "$out"
		fail=$((fail + 1))
	fi
done
echo "check-headers: $total headers, $fail failed"
[ "$fail" = 0 ]
