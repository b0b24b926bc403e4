#!/bin/bash
# The cache of repeated SECCOMP records (issue 19's speed; secsig.c): a
# record whose signature was seen is replayed into secharv without being
# parsed. Proven by comparing, byte for byte, seccomp harvest with the
# cache and without it (AAPROF_NO_CACHE) on the seccomp test logs, on
# lines made to look like a cached kernel record but for what decides
# (tests/data/secsig/variants.log: framing, pid=0, hex, node=, labels
# holding "ses=", a quote before the stamp ...), on a window that cuts
# through repeated records, and on a generated log, for -j 1, 2, 4 and
# chunk edges everywhere.
set -u
SUITE=secsig
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
. "$HERE/lib.sh"
A=${AAPROF:-$TOP/build/aaprof}
export TZ=UTC AAPROF_NOW=1795400000 AAPROF_STATE_DIR=$T/state

python3 "$TOP/bench/gen-audit-log" "$T/gen.log" 0.3 "" 7 seccomp > /dev/null 2>&1
logs="$TOP/tests/data/seccomp/formats.log $TOP/tests/data/seccomp/forged.log \
$TOP/tests/data/seccomp/hostile.log $TOP/tests/data/secsig/variants.log \
$TOP/tests/data/secsig/window.log $T/gen.log"

# same NAME ARGS...: stdout, stderr and exit status with and without the cache
same() {
	local name=$1 j c rc1 rc2; shift
	AAPROF_NO_CACHE=1 "$A" seccomp harvest -j 1 "$@" > "$T/u.out" 2> "$T/u.err"; rc1=$?
	for j in 1 2 4; do
		for c in 0 211; do
			if [ $c = 0 ]; then
				"$A" seccomp harvest -j $j "$@" > "$T/c.out" 2> "$T/c.err"; rc2=$?
			else
				AAPROF_CHUNK=$c "$A" seccomp harvest -j $j "$@" > "$T/c.out" 2> "$T/c.err"; rc2=$?
			fi
			if [ $rc1 = $rc2 ] && cmp -s "$T/u.out" "$T/c.out" && cmp -s "$T/u.err" "$T/c.err"; then
				pass "$name -j $j chunk $c"
			else
				fail "$name -j $j chunk $c: differs from the uncached run (exit $rc1/$rc2)" \
					"$(diff "$T/u.out" "$T/c.out" | head -20)" "$(diff "$T/u.err" "$T/c.err" | head -20)"
			fi
		done
	done
}

assert "the generated log has SECCOMP records" "grep -q 'type=SECCOMP' '$T/gen.log'"
for f in $logs; do
	b=$(basename "$f")
	same "$b: json" -f "$f" --format json --allow-dangerous=mount,unshare
	same "$b: profile" -f "$f"
	same "$b: one label" -f "$f" --format json docker-default
done
# a window through repeated records: the ones before it first, then inside
same "window.log: --since" -f "$TOP/tests/data/secsig/window.log" --format json --since @1795391400
same "window.log: --until" -f "$TOP/tests/data/secsig/window.log" --format json --until @1795391400
same "variants.log: --since" -f "$TOP/tests/data/secsig/variants.log" --format json --since @1795391300
first=$(grep -m1 -o 'audit([0-9]*' "$T/gen.log" | tr -dc 0-9)
same "gen.log: --since" -f "$T/gen.log" --format json --since @$((first + 200))
# two files: the cache spans sources
same "two files" -f "$TOP/tests/data/secsig/variants.log" -f "$T/gen.log" --format json

# the variants are judged as if each were alone: forged ones are never evidence
ok "variants: json" "$A" seccomp harvest -q -j 1 -f "$TOP/tests/data/secsig/variants.log" --format json
assert "variants: 81 of the kernel's records counted, 6 forged and 17 malformed lines not" \
	"python3 -c \"import json,sys; j=json.load(open('$T/out')); sys.exit(not (j['syscalls'][0]['count'] == 81 and \
j['not_kernel'] == 6 and j['malformed'] == 17 and j['records'] == 104))\""
finish
