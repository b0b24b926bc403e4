#!/bin/bash
# Path generalisation (rules/generalise.rules) on paths from real records:
# temporary suffixes in any directory, hex ids as hex, fixed names literal
# (tests/data/generalise/names.txt names the source of each); the rules
# compile; the evidence shows each generalisation; the rules-file checks of
# "per character" replacements.
set -u
SUITE=generalise
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
. "$HERE/lib.sh"
A=${AAPROF:-$TOP/build/aaprof}
D=$TOP/tests/data/generalise
PARSER=${REAL_APPARMOR_PARSER:-apparmor_parser}
export TZ=UTC AAPROF_NOW=1763800000 AAPROF_STATE_DIR=$T/state
RULES=$TOP/rules

# each path of names.txt as a complain-mode record of profile myapp
hex() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n' | tr a-f A-F; }
n=0
grep -v '^#' "$D/names.txt" | cut -f1 | while IFS= read -r p; do
	n=$((n + 1))
	printf 'type=AVC msg=audit(1763798401.%03d:%d): apparmor="ALLOWED" operation="open" profile="myapp" name=%s pid=4242 comm="myapp" requested_mask="r" denied_mask="r" fsuid=1000 ouid=1000\n' \
		$n $n "$(hex "$p")"
done > "$T/names.log"

"$A" harvest -f "$T/names.log" --rules-dir "$RULES" --allow-dangerous --format rules myapp > "$T/names.out" 2> "$T/names.err"
rc=$?
[ -n "${UPDATE:-}" ] && cp "$T/names.out" "$D/names.expected"
if [ $rc -eq 0 ] && cmp -s "$T/names.out" "$D/names.expected"; then pass "real names: the rules equal names.expected"
else fail "real names: the rules equal names.expected" "exit $rc" "$(diff -u "$D/names.expected" "$T/names.out")" "$(tail -3 "$T/names.err")"; fi
assert "no generalised rule holds '*'" "! grep -q '[*]' $T/names.out"
{ echo 'include <tunables/global>'; echo 'profile myapp {'; cat "$T/names.out"; echo '}'; } > "$T/names.profile"
ok "the generalised rules compile (apparmor_parser -QK)" "$PARSER" -QK "$T/names.profile"

# the evidence: --format json names the rule and the text it replaced
"$A" harvest -f "$T/names.log" --rules-dir "$RULES" --allow-dangerous --format json myapp > "$T/names.json" 2> /dev/null
assert "json: generalised_by names the replaced suffix" "grep -q \"generalise.rules:[0-9]* ('C1T9LZ')\" $T/names.json"
assert "json: generalised_by names the replaced hex id" "grep -q \"generalise.rules:[0-9]* ('40934a4eec243d0cefe5e4e9d5735b6dc965c72784f9aa8ac5be23aa7ec8d09c')\" $T/names.json"
# and so does the list of held-back rules (/var/lib/docker/** is dangerous)
fails 4 "a generalised dangerous rule is held back" "$A" harvest -f "$T/names.log" --rules-dir "$RULES" myapp
assert "held back: the evidence says what was generalised" "grep -q \"generalised by .*generalise.rules:[0-9]* ('9604729a\" $T/err"

# "per character" replacements: one character that cannot be '/', on load
mkdir -p "$T/bad"
for rep in '*' '[^a]' '[a/]' '{a,b}' '[a][b]' 'ab'; do
	printf '^/srv/\\K[a-z]+ => %s per character\n' "$rep" > "$T/bad/x.rules"
	fails 1 "per-character replacement '$rep' refused on load" "$A" harvest -f "$T/names.log" --rules-dir "$T/bad" myapp
	assert "'$rep': the error names file:line" "grep -q 'x.rules:1: bad replacement' $T/err"
done
printf '^/srv/\\K[a-z]+ => [a-z] per character\n' > "$T/bad/x.rules"
printf 'type=AVC msg=audit(1763798401.000:1): apparmor="ALLOWED" operation="open" profile="myapp" name="/srv/abc/x" pid=4242 comm="myapp" requested_mask="r" denied_mask="r" fsuid=1000 ouid=1000\n' > "$T/srv.log"
ok "a per-character rule loads" "$A" harvest -f "$T/srv.log" --rules-dir "$T/bad" myapp
assert "it writes its class once per character" "grep -qxF 'owner /srv/[a-z][a-z][a-z]/x r,' $T/out"

finish
