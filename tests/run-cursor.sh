#!/bin/bash
# harvest --since last: each source from where the last run of the same
# profile set left it. Growth, a line still being written, rotation (found
# by inode), truncation, a same-size rewrite (found by the hash), the
# journal's cursor, default sources on a fake host, no advance on failure,
# and two runs at once under the cursor's lock.
set -u
SUITE=cursor
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
. "$HERE/lib.sh"
A=${AAPROF:-$TOP/build/aaprof}
export TZ=UTC AAPROF_STATE_DIR=$T/state
cd "$T" || exit 1

# rec NAME N: one complain-mode record for /srv/NAME, serial N
rec() {
	printf 'type=AVC msg=audit(1763798401.%03d:%d): apparmor="ALLOWED" operation="open" profile="myapp" name="/srv/%s" pid=10 comm="myapp" requested_mask="r" denied_mask="r" fsuid=0 ouid=0\n' "$2" "$2" "$1"
}
h() { "$A" harvest --since last --no-generalise --format rules "$@"; }
# got NAME...: the last run's rules are exactly /srv/NAME...
got() {
	local want=""
	for n in "$@"; do want+="owner /srv/$n r,"$'\n'; done
	[ "$(cat "$T/out")" = "$(printf '%s' "$want" | sed '/^$/d')" ]
}

# --- a file that grows
rec a 1 > log; rec b 2 >> log
ok "first run" h -f log myapp
assert "first run: reads all of the file, and says so" "got a b && grep -q 'no cursor yet' $T/err"
assert "the cursor is in the state directory" "grep -q '^file [0-9]* [0-9]* [0-9]* [0-9a-f]* log\$' state/cursor/myapp"
ok "nothing new" h -f log myapp
assert "nothing new: no rule, a note, no warning" "got && grep -q 'no new AppArmor record' $T/err && ! grep -q warning $T/err"
rec c 3 >> log
ok "growth" h -f log myapp
assert "growth: only the new record" "got c && grep -q 'from byte' $T/err"

# --- a line still being written is left for the next run
rec d 4 | head -c 100 >> log
ok "partial line" h -f log myapp
assert "partial line: not read" "got"
rec d 4 | tail -c +101 >> log
ok "partial line completed" h -f log myapp
assert "partial line: read whole once written" "got d"

# --- profile sets have their own cursors
ok "another profile set" h -f log myapp other
assert "another set: reads all" "got a b c d || grep -q 'profile myapp' $T/out"

# --- rotation: the rest of the old file (found by inode), then the new one
rec e 5 >> log
mv log log.1
rec f 6 > log
ok "rotation" h -f log myapp
assert "rotation: the rest of log.1, then log" "got e f && grep -q 'was rotated' $T/err"
rec g 7 >> log
ok "after rotation" h -f log myapp
assert "after rotation: only the new record" "got g"
# rotated and compressed (a new inode): the new file whole, with a warning
rm log.1; mv log log.1; rec h 8 > log; gzip log.1
ok "rotated away" h -f log myapp
assert "rotated away: the new file, with a warning" "got h && grep -q 'not among its rotations' $T/err"
# the old file deleted and its inode reused by the new one: the hash tells
rec h2 9 >> log; ino=$(stat -c %i log)
rm -f log.1.gz; mv log log.1; gzip log.1; rec i2 10 > log
if [ "$(stat -c %i log)" = "$ino" ]; then
	ok "inode reused" h -f log myapp
	assert "inode reused: caught by the hash, read from the start" "got i2 && grep -q 'rewritten' $T/err"
fi

# --- truncation (the same file, shorter)
rec i 9 > log2; rec j 10 >> log2
ok "before truncation" h -f log2 myapp
: > log2; rec k 11 >> log2   # in place: same inode
ok "truncation" h -f log2 myapp
assert "truncation: read from the start, and said" "got k && grep -q 'truncated' $T/err"

# --- a rewrite of the same size (in place: only the hash can tell)
rec l 12 > log3
ok "before rewrite" h -f log3 myapp
ino=$(stat -c %i log3)
rec m 12 | dd of=log3 conv=notrunc status=none
assert "rewrite: same inode and size" "[ \$(stat -c %i log3) = $ino ] && [ \$(stat -c %s log3) = \$(rec l 12 | wc -c) ]"
ok "rewrite" h -f log3 myapp
assert "rewrite: detected by the hash, read from the start" "got m && grep -q 'rewritten' $T/err"

# --- the journal: its cursor
ent() {
	printf '__REALTIME_TIMESTAMP=17637984%02d000000\n__MONOTONIC_TIMESTAMP=12345%02d\n_BOOT_ID=0123456789abcdef0123456789abcdef\n_TRANSPORT=kernel\nMESSAGE=audit: type=1400 audit(17637984%02d.100:%d): apparmor="ALLOWED" operation="open" profile="myapp" name="/srv/%s" pid=10 comm="myapp" requested_mask="r" denied_mask="r" fsuid=0 ouid=0\n\n' "$1" "$1" "$1" "$1" "$2"
}
ent 1 j1 > e1; { ent 2 j2; ent 3 j3; } > e2
if journal_file e1 "$T/j.journal"; then
	ok "journal: first run" h --journal-file "$T/j.journal" myapp
	assert "journal: first run reads all" "got j1 && grep -q '^journal s=' state/cursor/myapp"
	ok "journal: nothing new" h --journal-file "$T/j.journal" myapp
	assert "journal: nothing new" "got"
	journal_file e2 "$T/j.journal"
	ok "journal: new entries" h --journal-file "$T/j.journal" myapp
	assert "journal: only the entries after the cursor" "got j2 j3"
else
	fail "journal" "cannot build a journal file: apt-get install systemd-journal-remote"
fi

# --- the default sources of a fake host: audit.log and its rotations
R=$T/host
mkdir -p "$R/var/log/audit" "$R/sys/module/apparmor/parameters" "$R/proc/sys/kernel" "$R/run"
echo Y > "$R/sys/module/apparmor/parameters/enabled"
echo 0 > "$R/proc/sys/kernel/printk_ratelimit"
AL=$R/var/log/audit/audit.log
rec o 20 > "$AL.1"; rec p 21 > "$AL"
ok "defaults: first run" env AAPROF_ROOT="$R" "$A" harvest --since last --format rules --no-generalise myapp
assert "defaults: first run reads the rotations too" "grep -q /srv/o $T/out && grep -q /srv/p $T/out"
rec q 22 >> "$AL"
mv "$AL.1" "$AL.2"; mv "$AL" "$AL.1"; rec r 23 > "$AL"
ok "defaults: rotation" env AAPROF_ROOT="$R" "$A" harvest --since last --format rules --no-generalise myapp
assert "defaults: only the new records, across the rotation" "got q r"

# --- the cursor advances only when the run succeeded
rec s 30 > log4
fails 1 "failure: output cannot be written" sh -c "'$A' harvest --since last --no-generalise --format rules -f log4 myapp > /dev/full"
ok "after a failure" h -f log4 myapp
assert "after a failure: the same records again" "got s"
# --write: the profile rejected, nothing written, the cursor stays
mkdir -p pd
printf 'profile web {\n  bogus rule here\n}\n' > pd/web
rec t 31 > log5
fails 3 "--write: profile rejected" "$A" harvest --since last -f log5 --profile-dir "$T/pd" --write web
assert "--write rejected: no cursor saved" "[ ! -e state/cursor/web ] || ! grep -q log5 state/cursor/web"
fails 2 "--since last with --diff" "$A" harvest --since last -f log5 --diff web
fails 2 "--since last with stdin" "$A" harvest --since last -f - web < log5
fails 2 "--since last with --dmesg" "$A" harvest --since last --dmesg web
printf 'garbage\n' > state/cursor/broken
fails 1 "a corrupt cursor file is an error" h -f log5 broken
assert "a corrupt cursor: says how to start again" "grep -q 'not an aaprof cursor file' $T/err"

# --- two runs at once: the lock makes one wait, no record is read twice
for i in $(seq 1 60000); do rec "n$i" $((i % 1000)); done > big
rm -f state/cursor/myapp
h -f big myapp > o1 2> e1 &
h -f big myapp > o2 2> e2
wait
n1=$(wc -l < o1); n2=$(wc -l < o2)
assert "concurrent: every record read once ($n1 + $n2 rules)" "[ \$((n1 + n2)) -eq 60000 ]"

finish
