#!/bin/bash
# Compressed rotation sets (audit.log.5.gz ... audit.log.1.gz): with -j 2 or
# more each file is decompressed by a thread of its own and the next ones
# are opened and decoding before their turn (logpipe.c, logahead.c). What
# harvest prints, on stdout and stderr, must be byte for byte what -j 1
# prints, and the rules those of the same logs uncompressed: gzip, xz,
# zstd; a corrupt member in the middle of the set, a truncated file, a
# directory or a bzip2 file among the rotations, many tiny files.
set -u
SUITE=gz
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
. "$HERE/lib.sh"
A=${AAPROF:-$TOP/build/aaprof}
export TZ=UTC AAPROF_NOW=1763800000 AAPROF_STATE_DIR=$T/state AAPROF_HOSTNAME=testhost
# no test may hang: a reader thread that never ends is a failure
TO="timeout 120"

# the repository's logs, made 5 distinct files of about 1.5 MB (several
# read-ahead blocks each): file k's pids end in k, so the evidence quoted
# ("e.g. ...") and the counts tell the files apart
cat "$TOP"/tests/data/harvest/*.log "$TOP"/tests/data/field/*.log > "$T/base.log"
for i in $(seq 15); do cat "$T/base.log"; done > "$T/big.log"
mkdir -p "$T/plain" "$T/gz" "$T/xz" "$T/zst" "$T/mixed"
for k in 1 2 3 4 5; do
	sed "s/pid=\([0-9][0-9]*\)/pid=\1$k/g" "$T/big.log" > "$T/plain/audit.log.$k"
	gzip -c "$T/plain/audit.log.$k" > "$T/gz/audit.log.$k.gz"
	xz -c "$T/plain/audit.log.$k" > "$T/xz/audit.log.$k.xz"
	zstd -q -c "$T/plain/audit.log.$k" > "$T/zst/audit.log.$k.zst"
done
set5() { local d=$1 ext=$2 k; for k in 5 4 3 2 1; do printf -- '-f\n%s\n' "$d/audit.log.$k$ext"; done; }
mapfile -t PLAIN < <(set5 "$T/plain" "")
# harvest NAME ARGS...: stdout in $T/NAME.out, stderr in $T/NAME.err, exit status in $T/NAME.rc
harvest() {
	local name=$1; shift
	$TO "$A" harvest --no-generalise --allow-dangerous --format json "$@" > "$T/$name.out" 2> "$T/$name.err"
	echo $? > "$T/$name.rc"
}
rules() { python3 -c 'import json, sys; json.dump(json.load(open(sys.argv[1]))["rules"], sys.stdout, indent=1)' "$1"; }
# same NAME A B: the two runs printed the same, byte for byte, and ended the same
same() {
	if cmp -s "$T/$2.out" "$T/$3.out" && cmp -s "$T/$2.err" "$T/$3.err" && cmp -s "$T/$2.rc" "$T/$3.rc"; then
		pass "$1"
	else
		fail "$1" "$2 and $3 differ:" "$(diff "$T/$2.out" "$T/$3.out" | head -20)" \
			"$(diff "$T/$2.err" "$T/$3.err" | head -20)" "rc $(cat "$T/$2.rc") $(cat "$T/$3.rc")"
	fi
}

harvest plain -j 1 "${PLAIN[@]}"
assert "the plain set: rules found" '[ "$(cat $T/plain.rc)" = 0 ] && [ "$(rules $T/plain.out | grep -c "\"")" -gt 100 ]'
rules "$T/plain.out" > "$T/plain.rules"

# --- every codec, every -j: the same as -j 1 byte for byte, the rules the plain set's
for c in gz:.gz xz:.xz zst:.zst; do
	d=${c%%:*}; ext=${c#*:}
	mapfile -t SET < <(set5 "$T/$d" "$ext")
	for j in 1 2 4; do
		harvest "$d-j$j" -j $j "${SET[@]}"
		[ "$(cat "$T/$d-j$j.rc")" = 0 ] && pass "$d -j $j: read" || fail "$d -j $j: read" "$(cat "$T/$d-j$j.err")"
		rules "$T/$d-j$j.out" > "$T/$d-j$j.rules" 2>/dev/null
		assert "$d -j $j: the rules of the plain logs" "cmp -s $T/plain.rules $T/$d-j$j.rules"
	done
	same "$d: -j 2 prints what -j 1 does" "$d-j1" "$d-j2"
	same "$d: -j 4 prints what -j 1 does" "$d-j1" "$d-j4"
done

# --- a rotation set as the default source: audit.log, audit.log.1 plain, the rest compressed
R=$T/root
mkdir -p "$R/var/log/audit"
cp "$T/plain/audit.log.1" "$R/var/log/audit/audit.log"
cp "$T/plain/audit.log.2" "$R/var/log/audit/audit.log.1"
cp "$T/gz/audit.log.3.gz" "$R/var/log/audit/audit.log.2.gz"
cp "$T/xz/audit.log.4.xz" "$R/var/log/audit/audit.log.3.xz"
cp "$T/zst/audit.log.5.zst" "$R/var/log/audit/audit.log.4.zst"
for j in 1 2 4; do AAPROF_ROOT=$R harvest "root-j$j" -j $j; done
rules "$T/root-j1.out" > "$T/root.rules" 2>/dev/null
assert "default rotations: the rules of the plain logs" "cmp -s $T/plain.rules $T/root.rules"
assert "default rotations: read oldest first" "grep reading $T/root-j1.err | head -1 | grep -q 'audit.log.4.zst'"
same "default rotations: -j 2 prints what -j 1 does" root-j1 root-j2
same "default rotations: -j 4 prints what -j 1 does" root-j1 root-j4

# --- a corrupt member in the middle of the set: the files before it read, the error at its place
mkdir -p "$T/bad"
cp "$T"/gz/*.gz "$T/bad/"
python3 - "$T/bad/audit.log.3.gz" <<'EOF'
import sys
p = sys.argv[1]
b = bytearray(open(p, 'rb').read())
for i in range(len(b) // 2, len(b) // 2 + 64):   # deflate data, well past the header
    b[i] ^= 0x55
open(p, 'wb').write(b)
EOF
mapfile -t BAD < <(set5 "$T/bad" .gz)
for j in 1 2 4; do harvest "bad-j$j" -j $j "${BAD[@]}"; done
assert "a corrupt member: an error" '[ "$(cat $T/bad-j1.rc)" = 1 ]'
assert "a corrupt member: named, as corrupt gzip data" "grep -q \"cannot read '$T/bad/audit.log.3.gz': corrupt gzip data\" $T/bad-j1.err"
assert "a corrupt member: the files after it not read" "! grep -q 'reading $T/bad/audit.log.2.gz' $T/bad-j1.err"
same "a corrupt member: -j 2 reports what -j 1 does" bad-j1 bad-j2
same "a corrupt member: -j 4 reports what -j 1 does" bad-j1 bad-j4

# --- a truncated file, a corrupt last file, a directory and a bzip2 file among the rotations
for t in trunc:4 trunclast:1; do
	name=${t%%:*}; k=${t#*:}
	mkdir -p "$T/$name"; cp "$T"/gz/*.gz "$T/$name/"
	head -c 100000 "$T/gz/audit.log.$k.gz" > "$T/$name/audit.log.$k.gz"
	mapfile -t SET < <(set5 "$T/$name" .gz)
	for j in 1 2 4; do harvest "$name-j$j" -j $j "${SET[@]}"; done
	assert "$name: an error, said as truncated gzip data" "[ \"\$(cat $T/$name-j1.rc)\" = 1 ] && grep -q \"audit.log.$k.gz': truncated gzip data\" $T/$name-j1.err"
	same "$name: -j 2 reports what -j 1 does" "$name-j1" "$name-j2"
	same "$name: -j 4 reports what -j 1 does" "$name-j1" "$name-j4"
done
mkdir -p "$T/odd"; cp "$T"/gz/*.gz "$T/odd/"
rm "$T/odd/audit.log.3.gz"; mkdir "$T/odd/audit.log.3.gz"
mapfile -t SET < <(set5 "$T/odd" .gz)
for j in 1 2; do harvest "dir-j$j" -j $j "${SET[@]}"; done
assert "a directory in the set: said at its turn" "[ \"\$(cat $T/dir-j1.rc)\" = 1 ] && grep -q 'audit.log.3.gz. is a directory' $T/dir-j1.err"
same "a directory in the set: -j 2 reports what -j 1 does" dir-j1 dir-j2
rmdir "$T/odd/audit.log.3.gz"; bzip2 -c "$T/plain/audit.log.3" > "$T/odd/audit.log.3.gz"
for j in 1 2; do harvest "bz-j$j" -j $j "${SET[@]}"; done
assert "a bzip2 file in the set: refused at its turn" "[ \"\$(cat $T/bz-j1.rc)\" = 1 ] && grep -q 'bzip2-compressed' $T/bz-j1.err"
same "a bzip2 file in the set: -j 2 reports what -j 1 does" bz-j1 bz-j2

# --- many tiny files (some empty, some one line without its newline)
mkdir -p "$T/tiny"
split -l 7 -d -a 3 "$T/base.log" "$T/tiny/part."
: > "$T/tiny/part.empty"; printf 'no newline' > "$T/tiny/part.nonl"
TINY=()
for f in "$T"/tiny/part.*; do gzip -c "$f" > "$f.gz"; TINY+=(-f "$f.gz"); done
for j in 1 2 4; do harvest "tiny-j$j" -j $j "${TINY[@]}"; done
harvest tiny-plain -j 1 -f "$T/base.log"
rules "$T/tiny-plain.out" > "$T/tiny-plain.rules"; rules "$T/tiny-j1.out" > "$T/tiny-j1.rules" 2>/dev/null
assert "$(( ${#TINY[@]} / 2 )) tiny files: the rules of the whole log" "[ \"\$(cat $T/tiny-j1.rc)\" = 0 ] && cmp -s $T/tiny-plain.rules $T/tiny-j1.rules"
same "tiny files: -j 2 prints what -j 1 does" tiny-j1 tiny-j2
same "tiny files: -j 4 prints what -j 1 does" tiny-j1 tiny-j4

# --- memory stays bounded whatever -j: 40 files of 2.5 MB, at most 3 decoded ahead
# (peak RSS; not under a sanitizer, whose own memory would be measured)
if [ -z "${ASAN_OPTIONS:-}${TSAN_OPTIONS:-}" ]; then
	mkdir -p "$T/many"; MANY=()
	for k in $(seq 40); do
		yes "type=SYSCALL msg=audit(1700000000.000:$k): arch=c000003e syscall=1 success=yes" |
			head -c 2500000 | gzip -1 > "$T/many/f$k.gz"
		MANY+=(-f "$T/many/f$k.gz")
	done
	rss() { python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$A" harvest -q --format json "$@"; }
	R4=$(rss -j 4 "${MANY[@]}"); R64=$(rss -j 64 "${MANY[@]}")
	assert "-j 64 on 40 files: peak RSS within 6 MiB of -j 4's ($R64 KiB, $R4 KiB)" '[ "$R64" -le $((R4 + 6144)) ]'
fi

# --- the decoding runs in threads when -j allows, and not with -j 1
if command -v strace > /dev/null && strace -f -qq -e trace=none true 2> /dev/null; then
	mapfile -t SET < <(set5 "$T/gz" .gz)
	threads() { strace -f -qq -e trace=clone,clone3 -o "$T/strace" "$A" harvest -q --format json -j "$1" "${SET[@]}" > /dev/null 2>&1; grep -c 'clone' "$T/strace"; }
	# (a sanitizer may start threads of its own: LeakSanitizer's at exit)
	T1=$(threads 1); T2=$(threads 2)
	assert "-j 2: the 5 files are decoded by threads ($T2 against $T1 with -j 1)" '[ "$T2" -ge $((T1 + 5)) ]'
	assert "-j 1: no thread" '[ -n "${ASAN_OPTIONS:-}${TSAN_OPTIONS:-}" ] || [ "$T1" -eq 0 ]'
else
	echo "gz: strace cannot trace here: the thread checks are skipped" >&2
fi
finish
