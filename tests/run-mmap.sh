#!/bin/bash
# A regular file is memory-mapped a chunk at a time (logchunk.c); compressed
# files, stdin and pipes are copied as a stream (logsrc.c, logdec.c), and a
# file that cannot be mapped is copied with pread() (AAPROF_NO_MMAP=1 makes
# every file so). The three give the same rules, evidence and summary, for
# any -j and chunk size; a file that grows or shrinks while it is read is
# read up to its size at the start, or its new end, never past, never a crash.
set -u
SUITE=mmap
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
. "$HERE/lib.sh"
A=${AAPROF:-$TOP/build/aaprof}
D=$TOP/tests/data/harvest
export TZ=UTC AAPROF_NOW=1763800000 AAPROF_STATE_DIR=$T/state AAPROF_HOSTNAME=testhost
cd "$T"
J=1

cat "$D"/*.log "$TOP"/tests/data/test_multi/*.in > every.log
"$TOP/bench/gen-audit-log" gen.log 2 "$TOP/tests/data/test_multi" 5 > /dev/null
python3 - "$D/formats.log" <<'EOF'
import sys
M = 1 << 20
aa = open(sys.argv[1], 'rb').read().splitlines()
long = lambda n: b'x' * (n - 10) + b'apparmor="'
parts = [aa[0], long(M - 1), aa[1], long(M), aa[2], long(M + 5)]
open('longs.log', 'wb').write(b'\n'.join(parts))
# files of exactly one and two pages whose last line, an AppArmor record,
# has no newline: a mapping of them ends on a page boundary
rec = sorted((l for l in aa if b'apparmor=' in l), key=len)
for size in (4096, 8192):
    body = b'\n'.join(rec[:3]) + b'\n'
    last = rec[3]
    pad = size - len(body) - len(last)
    assert pad > 1
    out = body + b'#' * (pad - 1) + b'\n' + last
    assert len(out) == size and not out.endswith(b'\n')
    open('page%d.log' % size, 'wb').write(out)
EOF

# run NAME FILE [ENV...]: with -j $J, the json and stderr summary of harvest of FILE
run() {
	local name=$1 f=$2; shift 2
	env "$@" "$A" harvest -j "$J" -f "$f" --format json --allow-dangerous > "$name.json" 2> "$name.err"
	echo $? > "$name.rc"
}
# stream FILE: the same file read as a stream (the copy that never maps)
stream() {
	"$A" harvest -f - --format json --allow-dangerous < "$1" 2> "$1.err" |
		sed "s|standard input|$1|g" > "$1.json"
	sed -i "s|standard input|$1|g" "$1.err"
}
same() {   # same NAME REF OUT: the json and the summary byte for byte
	assert "$1" "cmp -s $2.json $3.json && cmp -s $2.err $3.err && [ -s $2.json ]"
}

for f in every.log gen.log longs.log page4096.log page8192.log; do
	stream "$f"
	for J in 1 2 4; do
		for c in "" 97 4096 65536; do
			[ "$f" = gen.log ] && [ "$c" = 97 ] && continue
			run map "$f" AAPROF_CHUNK=$c
			run copy "$f" AAPROF_CHUNK=$c AAPROF_NO_MMAP=1
			same "$f -j $J chunk ${c:-1M}: mapped = stream" "$f" map
			same "$f -j $J chunk ${c:-1M}: copied (not mappable) = stream" "$f" copy
		done
	done
done
assert "long lines are counted" "grep -q '2 lines longer than' longs.log.err"
for p in 4096 8192; do
	assert "page$p.log: its last line, with no newline, is a record" \
		"grep -q '4 AppArmor records' page$p.log.err"
done
for f in rules summary; do
	"$A" harvest -q -f gen.log --format $f --allow-dangerous > "$f.map" 2>&1
	AAPROF_NO_MMAP=1 "$A" harvest -q -f gen.log --format $f --allow-dangerous > "$f.copy" 2>&1
	"$A" harvest -q -f - --format $f --allow-dangerous < gen.log 2>&1 |
		sed "s|standard input|gen.log|g" > "$f.stream"
	assert "--format $f: mapped = copied = stream" \
		"cmp -s $f.map $f.copy && cmp -s $f.map $f.stream && [ -s $f.map ]"
done

# a file that grows while it is read: read up to its size at the start
size=$(stat -c %s gen.log)
cp gen.log orig.log
for J in 1 2 4; do
	for m in "" 1; do
		cp orig.log grow.log
		run ref grow.log
		run grow grow.log AAPROF_CHUNK=65536 AAPROF_NO_MMAP=$m AAPROF_TEST_RESIZE=0:$((size + 300000))
		same "grows while read (-j $J${m:+, copied}): read up to its size at the start" ref grow
		assert "grows while read (-j $J${m:+, copied}): it did grow" \
			"[ \$(stat -c %s grow.log) -eq $((size + 300000)) ]"
	done
done

# a file that shrinks while it is mapped: no SIGBUS crash, a warning, and the
# lines up to its new end (an odd size: a line cut in two, on a page's middle)
cut=$((size / 2 + 1234))
k=$((cut / 65536))
head -c $cut orig.log > shrink.log
run ref shrink.log
for J in 1 2 4; do
	for when in 0 $((k - 2)); do
		cp orig.log shrink.log
		run shrink shrink.log AAPROF_CHUNK=65536 AAPROF_TEST_RESIZE=$when:$cut
		assert "shrinks while mapped (-j $J, after chunk $when): no crash" "[ \$(cat shrink.rc) = 0 ]"
		assert "shrinks while mapped (-j $J, after chunk $when): a warning names the file" \
			"grep -q \"warning: 'shrink.log' shrank while being read: lines past its new end are not read\" shrink.err"
		grep -v "shrank while" shrink.err > shrink.err2 && mv shrink.err2 shrink.err
		same "shrinks while mapped (-j $J, after chunk $when): the lines up to its new end" ref shrink
	done
	# truncated under the chunk being taken (its candidates point into the mapping)
	cp orig.log shrink.log
	run shrink shrink.log AAPROF_CHUNK=65536 AAPROF_TEST_RESIZE=$k:$cut
	assert "shrinks under the chunk being taken (-j $J): no crash" "[ \$(cat shrink.rc) = 0 ]"
	assert "shrinks under the chunk being taken (-j $J): a warning names the file" \
		"grep -q \"'shrink.log' shrank while being read\" shrink.err"
done
finish
