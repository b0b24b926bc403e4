#!/bin/bash
# aaprof load / complain / enforce / unload / status on this (AppArmor-less)
# machine: the compile checks run the real apparmor_parser, the kernel side
# is tests/fake-apparmor_parser on a fake apparmorfs. tests/e2e does the
# same loop on a real AppArmor kernel.
set -u
SUITE=load
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
. "$HERE/lib.sh"
A=${AAPROF:-$TOP/build/aaprof}
PD=$T/apparmor.d
mkdir -p "$PD" "$T/fs"
export AAPROF_STATE_DIR=$T/state TZ=UTC
export FAKE_LOG=$T/parser.log

# --- the real kernel side of this machine: no AppArmor
fails 5 "no AppArmor in the kernel: exit 5" "$A" status
assert "it says so" "grep -q 'AppArmor is not available in this kernel' $T/err"
fails 5 "load without AppArmor: exit 5, nothing installed" "$A" load --profile-dir "$PD" --complain web
assert "nothing installed" "[ ! -e $PD/web ]"
APPARMOR_PARSER=$T/nosuch fails 8 "apparmor_parser missing: exit 8" "$A" load --profile-dir "$PD" web
assert "it says which package" "grep -q \"install the 'apparmor' package\" $T/err"

export APPARMOR_PARSER=$HERE/fake-apparmor_parser AAPROF_APPARMORFS=$T/fs

# --- load --complain renders the learning profile when there is none
ok "load --complain NAME" "$A" load --profile-dir "$PD" --complain web
assert "installed, with the complain flag" "grep -q '^profile web flags=(attach_disconnected,mediate_deleted,complain)' $PD/web"
assert "the kernel reports complain" "[ \"\$(kernel web)\" = complain ]"
assert "apparmor_parser was run with -r and the file" "grep -q -- '-r .*$PD/web\$' $FAKE_LOG"
assert "the load is reported" "grep -q 'the kernel reports complain mode' $T/err"
ok "status" "$A" status --profile-dir "$PD"
assert "status lists web, loaded in complain" "grep -Eq '^web +complain +complain +0 +$PD/web' $T/out"
ok "status --json" "$A" status --profile-dir "$PD" --json web
assert "status --json is JSON with the mode" "python3 -c 'import json,sys; d=json.load(open(\"$T/out\")); assert d[0][\"mode\"]==\"complain\" and d[0][\"loaded\"] and d[0][\"file_mode\"]==\"complain\"'"

# --- enforce / complain switch the flags and reload
ok "enforce" "$A" enforce --profile-dir "$PD" web
assert "enforce: flag gone, kernel enforce" "grep -q '^profile web flags=(attach_disconnected,mediate_deleted) {' $PD/web && [ \"\$(kernel web)\" = enforce ]"
ok "complain" "$A" complain --profile-dir "$PD" web
assert "complain: flag back, kernel complain" "grep -q 'mediate_deleted,complain)' $PD/web && [ \"\$(kernel web)\" = complain ]"

# --- the enforce gate
D=$TOP/tests/data/harvest
grep -v 'mount\|sysrq\|change_profile' "$D/classes.log" | sed 's/profile="myapp"/profile="web"/; s/label="myapp"/label="web"/; s/peer="myapp"/peer="web"/' > "$T/web.log"
AAPROF_NOW=1700000100 fails 7 "the gate refuses while ALLOWED records are uncovered" "$A" enforce --profile-dir "$PD" --quiet-for 1h -f "$T/web.log" web
assert "the gate lists what is missing" "grep -q 'refusing to enforce' $T/err && grep -q '/etc/myapp/config.yml r,' $T/err"
assert "the gate changed nothing" "[ \"\$(kernel web)\" = complain ] && grep -q complain $PD/web"
AAPROF_NOW=1800000000 fails 7 "records older than the window are no evidence: refused" "$A" enforce --profile-dir "$PD" --quiet-for 1h -f "$T/web.log" web
# the tests' clock (AAPROF_NOW) goes back to 2023 here: forget the loads stamped at the real time
rm -rf "$T/state/loads"
AAPROF_NOW=1699990000 "$A" complain -q --profile-dir "$PD" web
ok "harvest --write covers them" "$A" harvest --profile-dir "$PD" -f "$T/web.log" --write web
AAPROF_NOW=1700000100 ok "then the gate lets enforce through" "$A" enforce --profile-dir "$PD" --quiet-for 1h -f "$T/web.log" web
assert "enforced" "[ \"\$(kernel web)\" = enforce ]"
printf 'type=AVC msg=audit(1700000000.500:1): apparmor="ALLOWED" operation="capable" profile="web" pid=1 comm="web" capability=21  capname="sys_admin"\n' > "$T/danger.log"
AAPROF_NOW=1700000100 fails 7 "a dangerous ALLOWED record blocks the gate" "$A" enforce --profile-dir "$PD" --quiet-for 1h -f "$T/danger.log" web
assert "and the refusal names it" "grep -q 'capability sys_admin' $T/err && grep -q 'dangerous: capability sys_admin' $T/err"
fails 2 "--quiet-for with complain is a usage error" "$A" complain --profile-dir "$PD" --quiet-for 1h web
fails 2 "--quiet-for garbage" "$A" enforce --profile-dir "$PD" --quiet-for soon web

# --- failures leave the previous file and policy in place
cp "$PD/web" "$T/web.before"
printf 'abi <abi/3.0>,\nprofile web {\n  bogus rule,\n}\n' > "$T/bad"
fails 3 "a profile apparmor_parser rejects: exit 3" "$A" load --profile-dir "$PD" "$T/bad"
assert "rejected: file untouched, the parser's line shown" "cmp -s $T/web.before $PD/web && grep -q 'line 3' $T/err"
FAKE_FAIL_LOAD=1 fails 3 "the kernel refuses the load: exit 3" "$A" load --profile-dir "$PD" --complain web
assert "refused: the previous file is back, the policy unchanged" "cmp -s $T/web.before $PD/web && [ \"\$(kernel web)\" = enforce ]"
assert "refused: the parser's message is passed on" "grep -q 'Unable to replace' $T/err"
FAKE_MODE=enforce fails 1 "the kernel reports another mode: exit 1" "$A" load --profile-dir "$PD" --complain web
assert "mode mismatch named" "grep -q 'reports mode enforce instead of complain' $T/err"

# --- dry run
"$A" enforce -q --profile-dir "$PD" web
cp "$PD/web" "$T/web.before"; : > "$FAKE_LOG"
ok "--dry-run" "$A" complain --profile-dir "$PD" --dry-run web
assert "dry run: a diff and the command, nothing changed" "grep -q '^+profile web flags=(attach_disconnected,mediate_deleted,complain)' $T/out && grep -q 'would run: .* -r .*$PD/web' $T/out && cmp -s $T/web.before $PD/web && ! grep -q -- '-r' $FAKE_LOG"

# --- rollback
ok "rollback" "$A" load --profile-dir "$PD" --rollback web
assert "rollback: the version before the last load is back" "grep -q 'complain)' $PD/web && [ \"\$(kernel web)\" = complain ]"
ok "rollback again swaps back" "$A" load --profile-dir "$PD" --rollback web
assert "rolled forward" "cmp -s $T/web.before $PD/web"
fails 1 "rollback without a previous version" "$A" load --profile-dir "$PD" --rollback other
assert "it points to docker-default, never unconfined" "grep -q 'docker-default' $T/err && ! grep -q unconfined $T/err"

# --- unload
ok "unload" "$A" unload --profile-dir "$PD" web
assert "unloaded, file kept" "[ -z \"\$(kernel web)\" ] && [ -f $PD/web ]"
ok "unload --purge" "$A" unload --profile-dir "$PD" --purge web
assert "purged: file gone, a copy kept" "[ ! -e $PD/web ] && grep -q 'a copy is in' $T/err"
fails 2 "invalid names are usage errors" "$A" load --profile-dir "$PD" 'a b'
fails 2 "load needs one argument" "$A" load --profile-dir "$PD"

finish
