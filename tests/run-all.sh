#!/bin/bash
# tests/run-all.sh [-v] [SUITE...]: the test suites as one (make check).
# With no SUITE, every suite: "unit" (each cmocka binary built from
# tests/unit/test-*.c) and each tests/run-NAME.sh but "deb" (make check-deb).
# Counts cases, not suites: each cmocka test case, each golden file, each CLI,
# hostile or kill check. Prints the failing cases (and their suite's own
# "NAME: N passed, N failed" line); with -v every case and every suite line
# (make check V=1). The last line is the total "N passed, N failed"; the exit
# status is 1 when any case failed.
# Environment: BUILD, the build directory (default build); AAPROF and
# AAPROF_RELEASE, the binaries (default $BUILD/aaprof, $BUILD/release/aaprof).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
BUILD=${BUILD:-$TOP/build}
export AAPROF=${AAPROF:-$BUILD/aaprof}
export AAPROF_RELEASE=${AAPROF_RELEASE:-$BUILD/release/aaprof}
export AAPROF_SRCDIR=${AAPROF_SRCDIR:-$TOP}
unset VERBOSE
verbose=

usage() { echo "usage: tests/run-all.sh [-v] [SUITE...]" >&2; exit 2; }
while getopts v opt; do
	case $opt in
	v) verbose=1 ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))

if [ $# -eq 0 ]; then
	set -- unit
	for f in "$HERE"/run-*.sh; do
		s=${f##*/run-}; s=${s%.sh}
		case $s in all|deb) ;; *) set -- "$@" "$s" ;; esac
	done
fi
for s in "$@"; do
	[ "$s" = unit ] || [ -x "$HERE/run-$s.sh" ] || { echo "tests/run-all.sh: no suite '$s'" >&2; usage; }
done

cd "$TOP"
W=$(mktemp -d "${TMPDIR:-/tmp}/aaprof-run-all.XXXXXX")
trap 'rm -rf "$W"' EXIT
total_pass=0 total_fail=0

# count SUITE PASS FAIL: add to the totals; the suite's own line when it
# failed or with -v
count() {
	total_pass=$((total_pass + $2)) total_fail=$((total_fail + $3))
	if [ -n "$verbose" ] || [ "$3" -ne 0 ]; then echo "$1: $2 passed, $3 failed"; fi
}

# unit: each cmocka binary with TAP output, one case per "ok"/"not ok"; a
# binary that crashes or exits non-zero (a sanitizer's leak report after the
# last case) fails the cases it did not finish, or one case when it finished them
unit() {
	local pass=0 fail=0 src t name plan ok notok missing rc
	for src in "$TOP"/tests/unit/test-*.c; do
		name=$(basename "$src" .c)
		t=$BUILD/tests/$name
		if [ ! -x "$t" ]; then
			fail=$((fail + 1))
			echo "FAIL unit: $name: $t is not built (make $t)"
			continue
		fi
		CMOCKA_MESSAGE_OUTPUT=TAP "$t" > "$W/tap" 2> "$W/err"
		rc=$?
		plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' "$W/tap" | head -1)
		ok=$(grep -cE '^ok [0-9]+ - ' "$W/tap")
		notok=$(grep -cE '^not ok [0-9]+ - ' "$W/tap")
		missing=$(( ${plan:-0} - ok - notok ))
		[ $missing -ge 0 ] || missing=0
		[ -n "$verbose" ] && sed -n "s/^ok [0-9]* - /ok   $name: /p" "$W/tap"
		if [ $notok -gt 0 ]; then
			# each failing case with cmocka's diagnostics ("# " lines after it)
			awk -v n="$name" '/^not ok [0-9]+ - / { sub(/^not ok [0-9]+ - /, ""); print "FAIL " n ": " $0; f = 1; next }
				/^(ok|not ok) [0-9]+ - / { f = 0; next } f && /^# / { print "     " substr($0, 3) }' "$W/tap"
		fi
		if [ $missing -gt 0 ] || { [ $rc -ne 0 ] && [ $notok -eq 0 ]; }; then
			[ $missing -gt 0 ] || missing=1
			echo "FAIL $name: exit $rc after $((ok + notok)) of ${plan:-?} cases"
		fi
		if [ $notok -gt 0 ] || [ $missing -gt 0 ]; then
			sed 's/^/     /' "$W/err" | tail -n 40
		fi
		pass=$((pass + ok)) fail=$((fail + notok + missing))
	done
	count unit $pass $fail
}

# suite NAME: tests/run-NAME.sh, which ends with "NAME: N passed, N failed"
# (tests/lib.sh finish); its output shown when it failed, or with -v as it runs
count_re='^[A-Za-z0-9_-]+: [0-9]+ passed, [0-9]+ failed$'
suite() {
	local name=$1 rc line p=0 f=0
	if [ -n "$verbose" ]; then
		VERBOSE=1 "$HERE/run-$name.sh" 2>&1 | tee "$W/out" | grep -vE "$count_re"
		rc=${PIPESTATUS[0]}
	else
		"$HERE/run-$name.sh" > "$W/out" 2>&1
		rc=$?
	fi
	line=$(grep -E "$count_re" "$W/out" | tail -1)
	if [ -n "$line" ]; then
		line=${line##*: }
		p=${line%% passed*}
		f=${line#*passed, }; f=${f%% failed}
	fi
	if [ -z "$line" ] || { [ $rc -ne 0 ] && [ "$f" -eq 0 ]; }; then
		# no count, or a count that hides the failure: the suite stopped early
		f=$((f + 1))
		[ -n "$verbose" ] || grep -vE "$count_re" "$W/out" | tail -n 40
		echo "FAIL $name: exit $rc, $([ -n "$line" ] && echo "after $p passed" || echo 'no count printed')"
	elif [ "$f" -ne 0 ] && [ -z "$verbose" ]; then
		grep -vE "$count_re" "$W/out"
	fi
	count "$name" "$p" "$f"
}

for s in "$@"; do
	if [ "$s" = unit ]; then unit; else suite "$s"; fi
done
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
