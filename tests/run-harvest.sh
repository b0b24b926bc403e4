#!/bin/bash
# Golden tests of aaprof harvest: log in (tests/data/harvest/*.log), rules
# out (tests/data/harvest/NAME.expected); every source format, record class,
# time window, rotation, malformed input, profile merge. UPDATE=1 rewrites
# the expected files (review the diff before committing them).
set -u
SUITE=harvest
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
. "$HERE/lib.sh"
A=${AAPROF:-$TOP/build/aaprof}
D=$TOP/tests/data/harvest
export TZ=UTC AAPROF_NOW=1763800000 AAPROF_STATE_DIR=$T/state AAPROF_HOSTNAME=testhost   # 2025-11-22T08:26:40Z
cd "$D"

# golden NAME ARGS...: stdout must equal NAME.expected, the exit status $RC (default 0;
# 4 when dangerous rules are held back); EXPECT=OTHER golden NAME ...: a case that
# must give the same rules as OTHER is held to OTHER.expected, not to a copy of it
golden() {
	local name=$1 exp=${EXPECT:-$1}; shift
	"$A" harvest "$@" > "$T/$name.out" 2> "$T/$name.err"
	local rc=$?
	if [ -n "${UPDATE:-}" ] && [ -z "${EXPECT:-}" ]; then cp "$T/$name.out" "$D/$name.expected"; fi
	if [ $rc -ne "${RC:-0}" ]; then fail "$name" "exit $rc, expected ${RC:-0}: $*" "$(cat "$T/$name.err")"; return; fi
	if [ ! -s "$D/$exp.expected" ]; then fail "$name" "$exp.expected is empty: it would only say nothing was printed, not why (use held)"; return; fi
	if cmp -s "$T/$name.out" "$D/$exp.expected"; then pass "$name"
	else fail "$name" "output differs from $exp.expected:" "$(diff -u "$D/$exp.expected" "$T/$name.out")"; fi
}
# held NAME ARGS...: a harvest that writes no rule because it holds back every
# rule it found: exit 4, nothing on stdout, and stderr (but its "reading" lines)
# equal to NAME.held: the summary of what was used and filtered out, and each
# rule held back with its reason and evidence
held() {
	local name=$1; shift
	"$A" harvest "$@" > "$T/$name.out" 2> "$T/$name.err"
	local rc=$?
	grep -v '^aaprof harvest: reading ' "$T/$name.err" > "$T/$name.held"
	if [ -n "${UPDATE:-}" ]; then cp "$T/$name.held" "$D/$name.held"; fi
	if [ $rc -ne 4 ]; then fail "$name" "exit $rc, expected 4 (dangerous rules held back): $*" "$(cat "$T/$name.err")"
	elif [ -s "$T/$name.out" ]; then fail "$name" "rules written, expected every rule held back:" "$(cat "$T/$name.out")"
	elif ! grep -qs 'dangerous rules\{0,1\} held back' "$D/$name.held"; then fail "$name" "$name.held names no rule held back"
	elif cmp -s "$T/$name.held" "$D/$name.held"; then pass "$name"
	else fail "$name" "stderr differs from $name.held:" "$(diff -u "$D/$name.held" "$T/$name.held")"; fi
}
err_has() { assert "$1: stderr says '$2'" "grep -qF -- \"$2\" $T/$1.err"; }

# --- every record class, audit.log format (ENRICHED and USER_AVC included)
RC=4 golden classes -f classes.log --no-generalise myapp
assert "classes: SYSCALL/PROCTITLE lines are read but are no AppArmor records" "grep -q '^aaprof harvest: read 25 lines: 22 AppArmor records$' $T/classes.err && grep -q '^aaprof harvest: 20 records used: ' $T/classes.err"
assert "classes: a null- child's accesses fold into the parent (exec ix)" "grep -qx '/etc/helper.conf r,' $T/classes.out"
assert "classes: 'optional: no audit' capability probes are not needs" "! grep -q sys_admin $T/classes.out"
assert "classes: another profile's records are left out" "! grep -q /etc/other $T/classes.out"
RC=4 golden classes-px -f classes.log --no-generalise --exec px myapp
assert "--exec px: the null- child's records are not the parent's" "! grep -q helper.conf $T/classes-px.out"
assert "--exec px: a px rule is held back (the profile that attaches may be unconfined)" "! grep -q 'helper px' $T/classes-px.out && grep -q '/usr/bin/helper px,' $T/classes-px.err && grep -q 'dangerous: px;' $T/classes-px.err"
RC=4 golden classes-json -f classes.log --no-generalise --format json myapp
assert "json: evidence of each rule" "grep -q '\"count\":3' $T/classes-json.out && grep -q '\"first_seen\":\"2023-11-14T22:13:20.200Z\"' $T/classes-json.out && grep -q '\"comms\"' $T/classes-json.out"
held classes-denied -f classes.log --no-generalise --denied-only myapp
held classes-comm -f classes.log --no-generalise --comm umount myapp
golden classes-pid -f classes.log --no-generalise --pid 4243 myapp
RC=4 golden all-profiles -f classes.log --no-generalise

# --- a real complain-mode kernel log (Debian 12, kernel 6.1, dmesg format; tests/e2e)
golden e2e-complain -f ../e2e-complain.log e2e-app
assert "real log: the null- child of the exec folds into the profile" "grep -qx 'owner /usr/bin/e2e-helper rix,' $T/e2e-complain.out"

# --- every source format: BSD and RFC 3339 syslog, dmesg, node=, ENRICHED, hex, dbus, zero stamps
golden formats -f formats.log --no-generalise myapp
EXPECT=formats golden formats-stdin -f - --no-generalise myapp < formats.log
gzip -c formats.log > "$T/formats.log.gz"
EXPECT=formats golden formats-gz -f "$T/formats.log.gz" --no-generalise myapp
assert "a .gz file gives the same rules" "cmp -s $T/formats.out $T/formats-gz.out"

# --- dangerous accesses (rules/default.danger): held back, shown, exit 4
assert "held back: mount, umount, the sysrq write, with their evidence" "grep -q '4 dangerous rules held back' $T/classes.err && grep -q 'dangerous: mount; seen 1 time by mount' $T/classes.err && grep -q 'dangerous: write @{PROC}/sysrq-trigger' $T/classes.err && grep -q 'e.g. type=AVC' $T/classes.err"
assert "held back: not in the output" "! grep -q 'mount\\|sysrq' $T/classes.out"
assert "json flags them" "grep -q '\"held_back\":true' $T/classes-json.out && grep -q '\"dangerous\":\"mount\"' $T/classes-json.out"
golden dangerous-all -f classes.log --no-generalise --allow-dangerous myapp
assert "--allow-dangerous writes them all, exit 0" "grep -q '^mount ' $T/dangerous-all.out && grep -q sysrq-trigger $T/dangerous-all.out"
RC=4 golden dangerous-some -f classes.log --no-generalise --allow-dangerous=mount myapp
assert "--allow-dangerous=mount allows mount and umount only" "grep -q '^mount ' $T/dangerous-some.out && grep -q '^umount ' $T/dangerous-some.out && ! grep -q sysrq $T/dangerous-some.out && grep -q '2 dangerous rules held back' $T/dangerous-some.err && grep -q 'dangerous: change_profile' $T/dangerous-some.err"
golden dangerous-path -f generalise.log --allow-dangerous=/etc/shadow,/var/lib/docker/** myapp
assert "--allow-dangerous=PATH-GLOB allows by the literal path" "grep -q '/etc/shadow r,' $T/dangerous-path.out"
printf 'type=AVC msg=audit(1763798401.000:1): apparmor="ALLOWED" operation="capable" profile="myapp" pid=1 comm="myapp" capability=21  capname="sys_admin"\ntype=AVC msg=audit(1763798401.000:2): apparmor="ALLOWED" operation="ptrace" profile="myapp" pid=1 comm="myapp" requested_mask="trace" denied_mask="trace" peer="unconfined"\ntype=AVC msg=audit(1763798401.000:3): apparmor="ALLOWED" operation="signal" profile="myapp" pid=1 comm="myapp" requested_mask="send" denied_mask="send" signal=kill peer="unconfined"\ntype=AVC msg=audit(1763798401.000:4): apparmor="ALLOWED" operation="change_profile" profile="myapp" pid=1 comm="myapp" name="unconfined" target="unconfined"\ntype=AVC msg=audit(1763798401.000:5): apparmor="ALLOWED" operation="pivotroot" profile="myapp" name="/new/" pid=1 comm="myapp" srcname="/new/old/"\n' > "$T/danger.log"
fails 4 "sys_admin, ptrace of others, signals to unconfined, pivot_root: held" "$A" harvest -f "$T/danger.log" --no-generalise myapp
assert "each held with its reason" "grep -q 'dangerous: capability sys_admin' $T/err && grep -q 'dangerous: ptrace' $T/err && grep -q 'dangerous: signal-unconfined' $T/err && grep -q 'dangerous: pivot_root' $T/err && [ ! -s $T/out ]"
assert "a change_profile to unconfined is never written, even allowed" "grep -q 'never writes a way out of confinement' $T/err"
ok "--allow-dangerous still never writes unconfined transitions" "$A" harvest -f "$T/danger.log" --no-generalise --allow-dangerous myapp
assert "no change_profile -> unconfined" "! grep -q 'change_profile' $T/out && grep -q 'capability sys_admin' $T/out"

# --- the cache of repeated records (scan.c) changes nothing but the speed
"$TOP/bench/gen-audit-log" "$T/gen.log" 8 "$TOP/tests/data/test_multi" 7 > /dev/null
"$TOP/bench/gen-audit-log" "$T/gen-audit.log" 4 "$TOP/tests/data/test_multi" 3 audit > /dev/null
for i in 1 2; do
	printf 'type=AVC msg=audit(1763798401.%03d:%d): apparmor="ALLOWED" operation="open" profile="myapp" name="/tmp/[ %d.5] audit(9) pid=%d" pid=%d comm="myapp" requested_mask="r" denied_mask="r" fsuid=0 ouid=1\n' $i $i $i $i $((100 + i))
done > "$T/lookalike.log"
for f in gen.log gen-audit.log lookalike.log; do
	"$A" harvest -q -f "$T/$f" --format json --allow-dangerous > "$T/cached.json" 2>/dev/null
	AAPROF_NO_CACHE=1 "$A" harvest -q -f "$T/$f" --format json --allow-dangerous > "$T/uncached.json" 2>/dev/null
	assert "cache: $f gives the same rules and evidence as a full parse of every line" "cmp -s $T/cached.json $T/uncached.json && [ -s $T/cached.json ]"
done
half=$(( $(wc -l < "$T/gen-audit.log") / 2 ))
mid=$(sed -n "${half}p" "$T/gen-audit.log" | grep -o 'audit([0-9.]*' | cut -c7-)
"$A" harvest -q -f "$T/gen-audit.log" --since "@$mid" --format json --allow-dangerous > "$T/cached.json" 2>/dev/null
AAPROF_NO_CACHE=1 "$A" harvest -q -f "$T/gen-audit.log" --since "@$mid" --format json --allow-dangerous > "$T/uncached.json" 2>/dev/null
assert "cache: --since gives the same as a full parse" "cmp -s $T/cached.json $T/uncached.json && [ -s $T/cached.json ]"
"$A" harvest -q -f "$T/lookalike.log" --format json --allow-dangerous > "$T/cached.json" 2>/dev/null
assert "cache: names that differ only in stamp- or pid-like text inside quotes stay apart" "[ \$(grep -c '\"rule\"' $T/cached.json) = 2 ]"

# --- reading a file with threads (scan.c) changes nothing but the speed: same
# rules, evidence and summary for any --jobs and chunk size (AAPROF_CHUNK
# makes chunk edges fall everywhere: inside lines, on newlines, in long lines)
cat ./*.log ../test_multi/*.in > "$T/every.log"
python3 -c "
import sys
M = 1 << 20
aa = open('$D/formats.log', 'rb').read().splitlines()
long = lambda n: b'x' * (n - 10) + b'apparmor=\"'
parts = [aa[0], long(M - 1), aa[1], long(M), aa[2], long(M + 1), aa[3], long(3 * M), b'', aa[4], long(M + 5)]
sys.stdout.buffer.write(b'\n'.join(parts))" > "$T/longs.log"
same_jobs() {   # same_jobs NAME FILE CHUNK...: -j 1 against -j 2 and -j 3
	local name=$1 f=$2 c j; shift 2
	"$A" harvest -j 1 -f "$f" --format json --allow-dangerous > "$T/j1.json" 2> "$T/j1.err"
	for c in "$@"; do
		for j in 2 3; do
			AAPROF_CHUNK=$c "$A" harvest -j $j -f "$f" --format json --allow-dangerous > "$T/jn.json" 2> "$T/jn.err"
			assert "threads: $name, -j $j, chunks of $c bytes: the same rules, evidence and summary" \
				"cmp -s $T/j1.json $T/jn.json && cmp -s $T/j1.err $T/jn.err && [ -s $T/j1.json ]"
		done
	done
}
same_jobs "every test log" "$T/every.log" 1 97 4096 1048576
same_jobs "gen-audit-log" "$T/gen.log" 4096 65536 1048576
same_jobs "lines of 1 MiB and more, no final newline" "$T/longs.log" 1000 1048575 1048577
assert "threads: the long lines are counted" "grep -q '4 lines longer than' $T/j1.err"
"$A" harvest -q -j 1 -f "$T/gen-audit.log" --since "@$mid" --format json --allow-dangerous > "$T/j1.json" 2>/dev/null
AAPROF_CHUNK=4096 "$A" harvest -q -j 2 -f "$T/gen-audit.log" --since "@$mid" --format json --allow-dangerous > "$T/jn.json" 2>/dev/null
assert "threads: --since seeks, then reads in chunks, the same" "cmp -s $T/j1.json $T/jn.json && [ -s $T/j1.json ]"
ok "threads: a file whose size says 0 (/proc) is still read" "$A" harvest -j 2 -f /proc/self/status
assert "threads: /proc's lines were read" "grep -Eq ' [1-9][0-9]* lines' $T/err"
fails 2 "--jobs 0 is a usage error" "$A" harvest -j 0 -f formats.log myapp
fails 2 "--jobs x is a usage error" "$A" harvest --jobs x -f formats.log myapp
fails 2 "--jobs 65 is a usage error (memory stays bounded)" "$A" harvest --jobs 65 -f formats.log myapp

# --- the journal (kernel and audit transports), from an export-format file
if journal_file journal.export "$T/j.journal"; then
	golden journal --journal-file "$T/j.journal" --no-generalise myapp
	assert "journal: kernel and audit transports read, syslog ignored" "grep -q journal-kernel $T/journal.out && grep -q journal-audit $T/journal.out && ! grep -q journal-syslog $T/journal.out"
	golden journal-since --journal-file "$T/j.journal" --no-generalise --since @1763798402.2 myapp
	assert "journal: --since seeks and filters" "! grep -q journal-kernel $T/journal-since.out && grep -q journal-audit $T/journal-since.out"
else
	fail "journal" "cannot build a journal file: apt-get install systemd-journal-remote"
fi

# --- --since / --until boundaries, per format (stamps are inclusive)
golden since-audit -f formats.log --no-generalise --since @1763798405.1 myapp
assert "since: the record stamped exactly at --since is in, the one before is out" "grep -q node-prefix $T/since-audit.out && ! grep -q rfc3339 $T/since-audit.out"
golden until-audit -f formats.log --no-generalise --until @1763798403.1 myapp
assert "until: the record stamped exactly at --until is in" "grep -q rfc3339 $T/until-audit.out && ! grep -q /srv/dmesg $T/until-audit.out"
assert "since: kernel lines without an audit time use the syslog time" "grep -q /srv/syslog-zero-stamp $T/since-audit.out"
assert "since: a dmesg zero stamp from another boot has no time, and says so" "grep -q '1 record had no time stamp and was left out' $T/since-audit.err"
golden since-iso -f formats.log --no-generalise --since 2025-11-22T08:00:05Z --until '2025-11-22 08:00:07' myapp
golden since-relative -f formats.log --no-generalise --since 30m myapp
fails 2 "--since garbage is a usage error" "$A" harvest -f formats.log --since yesterdayish myapp
fails 2 "--until before --since" "$A" harvest -f formats.log --since 1h --until 2h myapp

# --- generalisation with rules/
RC=4 golden generalise -f generalise.log --rules-dir ../../../rules myapp
RC=4 golden generalise-json -f generalise.log --rules-dir ../../../rules --format json myapp
assert "json: generalised rules name their rule file and line" "grep -q 'generalised_by\":\".*generalise.rules:[0-9]*' $T/generalise-json.out"
RC=4 golden generalise-off -f generalise.log --no-generalise myapp
# generalisation never widens past its rule: ids at the top level, sensitive look-alikes
for n in /0123456789abcdef0123456789abcdef01234567 /3f2b8c1e-9a7d-4e21-b5c3-0d9e8f7a6b5c /tmp/tmpabcdefgh \
	 /home/user/.ssh/id_rsa /home/bob/.ssh/authorized_keys /proc/1/mem /etc/shadow; do
	printf 'type=AVC msg=audit(1763798401.000:1): apparmor="ALLOWED" operation="open" profile="myapp" name="%s" pid=1 comm="myapp" requested_mask="r" denied_mask="r" fsuid=0 ouid=1\n' "$n"
done > "$T/widen.log"
"$A" harvest -f "$T/widen.log" --allow-dangerous myapp > "$T/widen.out" 2> "$T/widen.err"
assert "no generalised rule has a glob in its first component" "! grep -E '^(owner )?\"?/[^/]*[*?[{]' $T/widen.out"
assert "top-level ids stay literal, and say why" "grep -qx '/0123456789abcdef0123456789abcdef01234567 r,' $T/widen.out && grep -qx '/3f2b8c1e-9a7d-4e21-b5c3-0d9e8f7a6b5c r,' $T/widen.out && grep -q 'would cover whole directories' $T/widen.err"
assert "a generalisation that would cover another user's key stays literal" "grep -qx '/home/bob/.ssh/authorized_keys r,' $T/widen.out && grep -q 'would cover /root/.ssh/' $T/widen.err"
assert "/proc/1/mem is not generalised to every process's mem" "grep -qx '/proc/1/mem r,' $T/widen.out"
mkdir -p "$T/badrules"
printf '# a comment\n^/proc/[0-9+/ => @{PROC}/\n^/home/ => /**\n^/x/ =>\n/y/ => a b\nno arrow here\n' > "$T/badrules/bad.rules"
fails 1 "bad rule files: every error with file:line, then exit 1" "$A" harvest -f generalise.log --rules-dir "$T/badrules" myapp
assert "rule errors: line 2 regex, 3 '**', 4 empty, 5 space, 6 no arrow" "grep -q 'bad.rules:2: bad regular expression' $T/err && grep -q \"bad.rules:3: bad replacement '/\\*\\*'\" $T/err && grep -q 'bad.rules:4:' $T/err && grep -q 'bad.rules:5: bad replacement' $T/err && grep -q \"bad.rules:6: expected 'REGEX => REPLACEMENT'\" $T/err"

# --- rotated logs and the default sources
mkdir -p "$T/root/var/log/audit"
head -3 classes.log > "$T/root/var/log/audit/audit.log.2"; gzip "$T/root/var/log/audit/audit.log.2"
sed -n 4,12p classes.log > "$T/root/var/log/audit/audit.log.1"
sed -n '13,$p' classes.log > "$T/root/var/log/audit/audit.log"
RC=4 AAPROF_ROOT=$T/root EXPECT=classes golden rotated --no-generalise myapp
assert "rotations give the same rules as the whole log" "cmp -s $T/classes.out $T/rotated.out"
assert "rotations are read oldest first and named" "grep -n reading $T/rotated.err | head -1 | grep -q 'audit.log.2.gz' && grep -q 'reading $T/root/var/log/audit/audit.log\$' $T/rotated.err"
mkdir -p "$T/root2/var/log"; cp formats.log "$T/root2/var/log/kern.log"
AAPROF_ROOT=$T/root2 EXPECT=formats golden default-kernlog --no-generalise myapp
assert "without audit.log or journal, kern.log is read" "grep -q 'reading $T/root2/var/log/kern.log' $T/default-kernlog.err"
AAPROF_ROOT=$T/empty fails 1 "no log at all: a clear error" "$A" harvest myapp
assert "no log: the message names what was looked for" "grep -q 'no log found' $T/err"

# --- malformed, hostile and binary input: counted, never fatal, never injected
golden malformed -f malformed.log --no-generalise myapp
assert "malformed: counted on stderr" "grep -Eq '^aaprof harvest: not used: (.*, )?[1-9][0-9]* malformed(,|$)' $T/malformed.err"
head -c 200000 /dev/urandom > "$T/binary.log"
ok "binary garbage is not fatal" "$A" harvest -f "$T/binary.log" myapp
python3 -c "import sys; sys.stdout.write('type=AVC msg=audit(1.1:1): apparmor=\"ALLOWED\" name=\"/' + 'x'*(3<<20) + '\"\n' + open('$D/formats.log').read())" > "$T/long.log"
ok "a 3 MB line is skipped, the rest is read" "$A" harvest -f "$T/long.log" --no-generalise myapp
assert "the long line is reported" "grep -q '1 line longer than [0-9]* bytes was skipped' $T/err && grep -q rfc3339 $T/out"
fails 1 "a missing file: a clear error" "$A" harvest -f "$T/nosuch.log" myapp
assert "missing file named" "grep -q \"cannot open '$T/nosuch.log'\" $T/err"
printf 'Oct 29 09:20:01 h kernel: [87589.487390] __ratelimit: 36 callbacks suppressed\n' | cat - formats.log > "$T/lost.log"
ok "lost records do not stop the harvest" "$A" harvest -f "$T/lost.log" myapp
assert "lost records: a warning that the harvest is incomplete" "grep -q 'lost records' $T/err"
fails 2 "an invalid profile name is a usage error" "$A" harvest -f formats.log 'my app'

# --- merging into the profile file
"$A" render -o "$T/myapp" myapp
cp "$T/myapp" "$T/myapp.orig"
RC=4 golden merge -f classes.log --no-generalise --profile "$T/myapp" myapp
assert "merge: abstractions/base already allows /etc/ld.so.cache-class files" "grep -q 'already allowed' $T/merge.err"
assert "merge: the profile's deny rule for /proc/sysrq-trigger is reported, no rule added" "grep -q 'the profile denies what .*/proc/sysrq-trigger' $T/merge.err && ! grep -q sysrq-trigger.*' w,' <(sed -n '/BEGIN aaprof/,/END aaprof/p' $T/merge.out)"
assert "merge: the merged profile compiles" "apparmor_parser -QK $T/merge.out 2>/dev/null"
fails 4 "--diff shows the change" "$A" harvest -f classes.log --no-generalise --profile "$T/myapp" --diff myapp
assert "--diff is a unified diff of the profile" "grep -q '^+  /etc/myapp/config.yml r,' $T/out && cmp -s $T/myapp $T/myapp.orig"
fails 4 "--dry-run shows the change and writes nothing" "$A" harvest -f classes.log --no-generalise --profile "$T/myapp" --dry-run myapp
assert "--dry-run: a diff, the file untouched" "grep -q '^+  /etc/myapp/config.yml r,' $T/out && cmp -s $T/myapp $T/myapp.orig"
fails 4 "--write updates the file, holding back the dangerous rule" "$A" harvest -f classes.log --no-generalise --profile "$T/myapp" --write myapp
assert "--write: the file now holds the rules, a backup the old version" "grep -q '/etc/myapp/config.yml r,' $T/myapp && cmp -s $T/myapp.orig $T/state/backup/*myapp"
ok "a second harvest of new records merges with the section" "$A" harvest -f formats.log --no-generalise --profile "$T/myapp" --write myapp
assert "merge: old and new rules both in the section, sorted" "grep -q '/etc/myapp/config.yml r,' $T/myapp && grep -q '/srv/rfc3339 r,' $T/myapp"
ok "harvesting the same log again changes nothing" "$A" harvest -f formats.log --no-generalise --profile "$T/myapp" --write myapp
assert "idempotent" "grep -q 'is up to date' $T/err"
printf 'profile myapp {\n  # --- BEGIN aaprof harvested rules\n  ^" {\n  /x r,\n  }\n  # --- END aaprof harvested rules\n}\n' > "$T/lonequote"
"$A" harvest -q -f formats.log --no-generalise --profile "$T/lonequote" myapp > /dev/null 2>&1
assert "a section child named by a lone quote is read safely (fuzz-profile's find)" "[ $? -lt 128 ]"
printf 'profile myapp {\n  /bin/true rix,\n  bogus rule here,\n}\n' > "$T/broken"
fails 3 "a profile apparmor_parser rejects: exit 3, nothing written" "$A" harvest -f classes.log --profile "$T/broken" --write myapp
assert "rejected: the parser's message is shown" "grep -q 'apparmor_parser' $T/err && grep -q 'bogus rule here' $T/broken"

finish
