#!/bin/bash
# The summary harvest writes on standard error, as sentences: what was read,
# the records used and the rules ADDED to the profile (not the size of its
# section), the records not used and why, singular and plural right, and no
# count of zero anywhere (no "0 records could not be written" headers).
set -u
SUITE=summary
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
. "$HERE/lib.sh"
A=${AAPROF:-$TOP/build/aaprof}
D=$TOP/tests/data/harvest
export TZ=UTC AAPROF_NOW=1763800000 AAPROF_STATE_DIR=$T/state
cd "$T"

# rec N PATH MASK: an ALLOWED file record of profile myapp
rec() {
	printf 'type=AVC msg=audit(1763798%03d.100:%d): apparmor="ALLOWED" operation="open" class="file" profile="myapp" name="%s" pid=10 comm="myapp" requested_mask="%s" denied_mask="%s" fsuid=0 ouid=0\n' "$1" "$1" "$2" "$3" "$3"
}
# the rules of the profile's harvested section
section() { sed -n '/BEGIN aaprof/,/END aaprof/p' "$1" | grep -c ',$'; }
# no count of zero in the summary ("0 records", "0 rules", "0 of ...")
no_zero() { ! grep -v '^ ' "$T/err" | grep -Eq '(^|[^0-9.])0 [a-z]'; }

"$A" render -o myapp myapp
{ rec 1 /srv/a r; rec 2 /srv/b r; rec 3 /srv/c r; } > three.log
ok "three records into an empty section" "$A" harvest -f three.log --no-generalise --profile myapp --write myapp
assert "what was read: lines and AppArmor records" "grep -q '^aaprof harvest: read 3 lines: 3 AppArmor records\$' $T/err"
assert "3 records used, 3 rules added to the file" "grep -q '^aaprof harvest: 3 records used: 3 rules added to myapp\$' $T/err && [ \$(section myapp) = 3 ]"
assert "nothing left out: no 'not used' line, no zero count" "! grep -q 'not used' $T/err && no_zero"

{ rec 4 /srv/d r; rec 5 /srv/a w; } > two.log
ok "two more records into a section of three" "$A" harvest -f two.log --no-generalise --profile myapp --write myapp
assert "the rules added are counted, not the section's size (4)" \
	"grep -q '^aaprof harvest: 2 records used: 2 rules added to myapp (1 of them widens a rule it had)\$' $T/err && [ \$(section myapp) = 4 ]"

ok "the same log again" "$A" harvest -f two.log --no-generalise --profile myapp --write myapp
assert "nothing new: no rule added, the records already allowed" \
	"grep -q '^aaprof harvest: no record used: no rule added to myapp\$' $T/err && grep -q '^aaprof harvest: not used: 2 already allowed (or denied) by the profile\$' $T/err && no_zero"

rec 6 /srv/e r > one.log
fails 0 "--diff of one record" "$A" harvest -f one.log --no-generalise --profile myapp --diff myapp
assert "--diff: singular, and 'to add', since nothing is written" \
	"grep -q '^aaprof harvest: read 1 line: 1 AppArmor record\$' $T/err && grep -q '^aaprof harvest: 1 record used: 1 rule to add to myapp\$' $T/err"
ok "rules format" "$A" harvest -f one.log --no-generalise myapp
assert "rules format: the rules printed" "grep -q '^aaprof harvest: 1 record used: 1 rule\$' $T/err"
ok "json format" "$A" harvest -f one.log --no-generalise --format json myapp
assert "json format: the rules in it" "grep -q '^aaprof harvest: 1 record used: 1 rule\$' $T/err"

ok "another profile's records" "$A" harvest -f three.log otherapp
assert "filtered out, and why" \
	"grep -q '^aaprof harvest: no record used: no rule\$' $T/err && grep -q '^aaprof harvest: not used: 3 filtered out (another profile' $T/err && no_zero"

fails 4 "a merge with a deny rule and dangerous rules" "$A" harvest -f "$D/classes.log" --no-generalise --profile myapp myapp
assert "a note without a count has no '0 records' header" \
	"grep -q '^aaprof harvest: warning: notes on records that gave no rule:\$' $T/err && no_zero"
assert "dangerous rules: counted on the 'used' line and listed" \
	"grep -q '^aaprof harvest: [0-9]* records used: [0-9]* rules added to myapp; 2 dangerous rules held back (below)\$' $T/err && grep -q 'allow them with --allow-dangerous' $T/err"
fails 4 "one dangerous rule" "$A" harvest -f "$D/classes.log" --comm umount myapp
assert "one dangerous rule: 'allow it'" "grep -q '1 dangerous rule held back (not written); allow it with' $T/err"

: > empty.log
ok "an empty log" "$A" harvest -f empty.log myapp
assert "an empty log: no AppArmor record, no record used" \
	"grep -q '^aaprof harvest: read 0 lines: no AppArmor record\$' $T/err && grep -q '^aaprof harvest: no record used: no rule\$' $T/err"

finish
