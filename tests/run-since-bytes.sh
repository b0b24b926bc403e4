#!/bin/bash
# --since/--until on a chronological audit.log read no more than 1.2x the
# bytes of the window (issue 16): a 60 MB generated log, windows of 10 % of
# it at its end (--since) and in its middle (--since + --until). The bytes
# read are what the AAPROF_TRACE_BYTES test hook reports (the binary
# search's probes, logsrc_next()'s reads, the span handed to the chunk
# readers: whatever way a regular file is read, its span is all it reads)
# and, for -j 1 and where strace exists, what read()/pread64() returned.
# The rules must be those of a full scan of the same log through a pipe.
set -u
SUITE=since-bytes
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
. "$HERE/lib.sh"
A=${AAPROF:-$TOP/build/aaprof}
export TZ=UTC AAPROF_STATE_DIR=$T/state
cd "$T" || exit 1

# 160 000 records and as many SYSCALL lines, 10 ms apart from T0; the file
# /srv/d/N of record i is N = i / 2000 (80 distinct rules)
T0=1700000000
awk -v t0=$T0 'BEGIN {
	for (i = 0; i < 160000; i++) {
		t = t0 + i / 100.0;
		printf "type=AVC msg=audit(%.3f:%d): apparmor=\"ALLOWED\" operation=\"open\" class=\"file\" profile=\"myapp\" name=\"/srv/d/%d\" pid=4242 comm=\"myapp\" requested_mask=\"r\" denied_mask=\"r\" fsuid=0 ouid=0\n", t, i, int(i / 2000);
		printf "type=SYSCALL msg=audit(%.3f:%d): arch=c000003e syscall=257 success=yes exit=3 a0=ffffff9c a1=7ffd2c1e a2=0 a3=0 items=1 ppid=1 pid=4242 auid=4294967295 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=4294967295 comm=\"myapp\" exe=\"/usr/bin/myapp\" subj=myapp key=(null)\n", t, i;
	}
}' > audit.log
SIZE=$(stat -c %s audit.log)

# window SINCE UNTIL: the bytes of the lines whose stamp is in [SINCE, UNTIL]
window() {
	awk -v s="$1" -v u="$2" '{ split($2, a, /[(:]/); if (a[2] + 0 >= s && (u == 0 || a[2] + 0 <= u)) n += length($0) + 1 } END { print n }' audit.log
}
# traced: the bytes the hook says were read (probes + reads, or probes + span)
traced() {
	awk '/trace-bytes/ { sub(/,/, "", $5); sub(/,/, "", $7); split($9, s, "-"); r = $7 + 0; if (s[2] - s[1] > r) r = s[2] - s[1]; print $5 + r }' "$T/err"
}
within() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= 1.2 * b && a > 0) }'; }
# full SINCE UNTIL: the rules of a full scan (a pipe cannot seek)
full() {
	local w=(--since "@$1"); [ "$2" = 0 ] || w+=(--until "@$2")
	"$A" harvest -q --no-generalise --format rules -f - "${w[@]}" < audit.log > "$T/full" 2>/dev/null
}

check() {   # NAME SINCE UNTIL
	local name=$1 since=$2 until=$3 w=(--since "@$2") win got j
	[ "$until" = 0 ] || w+=(--until "@$until")
	win=$(window "$since" "$until")
	full "$since" "$until"
	for j in 1 2; do
		AAPROF_TRACE_BYTES=1 "$A" harvest --no-generalise --format rules -f audit.log -j $j "${w[@]}" > "$T/out" 2> "$T/err"
		got=$(traced)
		assert "$name -j $j: read $got bytes for a window of $win (of $SIZE)" "within '$got' '$win'"
		assert "$name -j $j: the rules of a full scan" "[ -s $T/out ] && cmp -s $T/out $T/full"
	done
	if command -v strace > /dev/null; then
		strace -f -qq -e trace=read,pread64 -o "$T/strace" "$A" harvest -q --no-generalise --format rules \
			-f audit.log -j 1 "${w[@]}" > /dev/null 2>&1
		got=$(awk '/= [0-9]+$/ { n += $NF } END { print n + 0 }' "$T/strace")
		assert "$name: strace, read()/pread64() returned $got bytes (all files) for $win" "within '$got' '$win'"
	fi
}

# the last 10 %
check "--since, the last 10 %" $((T0 + 1440)) 0
# the middle 10 %
check "--since --until, the middle 10 %" $((T0 + 720)) $((T0 + 880))
# a window before the first record: nothing to read, and no rule
AAPROF_TRACE_BYTES=1 "$A" harvest --no-generalise --format rules -f audit.log --until @$((T0 - 10)) > "$T/out" 2> "$T/err"
assert "--until before the log: no rule, and no more than the probes read" "[ ! -s $T/out ] && [ \$(traced) -lt 300000 ]"

finish
