#!/bin/bash
# apparmor-utils' state on disk (make check-state): the disable/ and
# force-complain/ links apparmor_parser honours, the harvested section kept
# across a re-load, backup generations and --rollback=N, includes resolved
# under --profile-dir first. The kernel side is tests/fake-apparmor_parser,
# which skips disable/ and forces force-complain/ as the real parser does.
set -u
SUITE=state
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
. "$HERE/lib.sh"
A=${AAPROF:-$TOP/build/aaprof}
fake_kernel
unset AAPROF_BACKUPS
FAKE=$HERE/fake-apparmor_parser
# boot: what 'apparmor_parser -r' of every file of the directory loads
boot() { : > "$T/fs/profiles"; for f in "$PD"/*; do [ -f "$f" ] && "$FAKE" --base "$PD" -I "$PD" -I /etc/apparmor.d -r "$f" 2>/dev/null; done; }

# --- unload leaves aa-disable's mark; the next load removes it
ok "load --complain web" "$A" load --profile-dir "$PD" --complain web
ok "unload web" "$A" unload --profile-dir "$PD" web
assert "unload created disable/web, a link to the file" "[ -L $PD/disable/web ] && [ \"\$(readlink $PD/disable/web)\" = \"\$(cd $PD && pwd -P)/web\" ]"
assert "unload said so on stderr" "grep -q 'created $PD/disable/web' $T/err"
boot
assert "unload survives a reload of the directory (boot)" "[ -z \"\$(kernel web)\" ]"
ok "load web again" "$A" load --profile-dir "$PD" web
assert "load removed disable/web and said so" "[ ! -e $PD/disable/web ] && grep -q 'removed $PD/disable/web' $T/err"
assert "and web is loaded" "[ \"\$(kernel web)\" = complain ]"
"$A" unload -q --profile-dir "$PD" web
ok "complain removes disable/web" "$A" complain --profile-dir "$PD" web
assert "complain: link gone, loaded" "[ ! -e $PD/disable/web ] && [ \"\$(kernel web)\" = complain ]"
"$A" unload -q --profile-dir "$PD" web
ok "enforce removes disable/web" "$A" enforce --profile-dir "$PD" web
assert "enforce: link gone, loaded" "[ ! -e $PD/disable/web ] && [ \"\$(kernel web)\" = enforce ]"
"$A" unload -q --profile-dir "$PD" web
FAKE_FAIL_LOAD=1 fails 3 "a load the kernel refuses" "$A" load --profile-dir "$PD" web
assert "keeps disable/web (the profile stays unloaded)" "[ -L $PD/disable/web ]"
ok "unload --dry-run of a disabled profile" "$A" unload --profile-dir "$PD" --dry-run web
ok "load --dry-run says it would remove the link" "$A" load --profile-dir "$PD" --dry-run web
assert "would remove disable/web, still there" "grep -q 'would remove $PD/disable/web' $T/out && [ -L $PD/disable/web ]"
ok "unload --purge" "$A" unload --profile-dir "$PD" --purge web
assert "purge: file and its disable/ link gone" "[ ! -e $PD/web ] && [ ! -e $PD/disable/web ] && [ ! -L $PD/disable/web ]"

# --- force-complain/ (aa-complain's mark)
"$A" load -q --profile-dir "$PD" --enforce web
mkdir -p "$PD/force-complain"; ln -s "$PD/web" "$PD/force-complain/web"
ok "enforce with a force-complain/ link" "$A" enforce --profile-dir "$PD" web
assert "enforce removed the link and said so" "[ ! -e $PD/force-complain/web ] && grep -q 'removed $PD/force-complain/web' $T/err"
assert "the kernel reports enforce" "[ \"\$(kernel web)\" = enforce ]"
ok "complain without --force-complain" "$A" complain --profile-dir "$PD" web
assert "no link made" "[ ! -e $PD/force-complain/web ]"
ok "complain --force-complain" "$A" complain --profile-dir "$PD" --force-complain web
assert "the link is made, as aa-complain makes it" "[ \"\$(readlink $PD/force-complain/web)\" = \"\$(cd $PD && pwd -P)/web\" ] && grep -q 'created $PD/force-complain/web' $T/err"
sed -i 's/,complain)/)/' "$PD/web"
ok "load of a file that says enforce, with the link" "$A" load --profile-dir "$PD" web
assert "complain, and the link named" "[ \"\$(kernel web)\" = complain ] && grep -q 'force-complain/web' $T/err"
ok "load --enforce removes the link" "$A" load --profile-dir "$PD" --enforce web
assert "enforced, link gone" "[ \"\$(kernel web)\" = enforce ] && [ ! -e $PD/force-complain/web ]"
ok "load --complain --force-complain" "$A" load --profile-dir "$PD" --complain --force-complain web
assert "link made" "[ -L $PD/force-complain/web ]"
FAKE_FAIL_LOAD=1 fails 3 "an enforce the kernel refuses" "$A" enforce --profile-dir "$PD" web
assert "keeps the force-complain/ link" "[ -L $PD/force-complain/web ]"
fails 2 "enforce --force-complain is a usage error" "$A" enforce --profile-dir "$PD" --force-complain web
fails 2 "load --force-complain without --complain" "$A" load --profile-dir "$PD" --force-complain web
"$A" enforce -q --profile-dir "$PD" web

# --- re-loading the rendered file keeps the harvested section
"$A" render -o "$T/myapp.profile" myapp 2>/dev/null
ok "load --complain FILE" "$A" load --profile-dir "$PD" --complain "$T/myapp.profile"
grep -v 'mount\|sysrq\|change_profile' "$TOP/tests/data/harvest/classes.log" > "$T/myapp.log"
ok "harvest --write" "$A" harvest --profile-dir "$PD" -f "$T/myapp.log" --write myapp
assert "the section holds rules" "grep -q '/etc/myapp/config.yml r,' $PD/myapp"
ok "load --complain FILE again (the README's loop)" "$A" load --profile-dir "$PD" --complain "$T/myapp.profile"
assert "the harvested rules are kept" "grep -q '/etc/myapp/config.yml r,' $PD/myapp"
assert "and that is said" "grep -q 'keeping the .* harvested rules that .*myapp.profile' $T/err"
ok "load -t learning NAME keeps them too" "$A" load --profile-dir "$PD" -t learning myapp
assert "kept" "grep -q '/etc/myapp/config.yml r,' $PD/myapp"
cp "$PD/myapp" "$T/own.profile"
sed -i '/config.yml r,/d' "$T/own.profile"
fails 1 "a FILE with its own section lacking rules: refused" "$A" load --profile-dir "$PD" "$T/own.profile"
assert "refused, naming a missing rule and --replace" "grep -q 'config.yml r,' $T/err && grep -q -- '--replace' $T/err && grep -q '/etc/myapp/config.yml r,' $PD/myapp"
ok "load --replace FILE" "$A" load --profile-dir "$PD" --complain --replace "$T/myapp.profile"
assert "--replace drops them, and says so" "! grep -q '/etc/myapp/config.yml' $PD/myapp && grep -q 'dropping the .* harvested rules' $T/err"
ok "--rollback brings them back" "$A" load --profile-dir "$PD" --rollback myapp
assert "back" "grep -q '/etc/myapp/config.yml r,' $PD/myapp"

# --- backup generations
export AAPROF_BACKUPS=3
for v in 1 2 3 4 5; do
	printf 'abi <abi/3.0>,\n# version %s\nprofile gen {\n  /etc/gen%s r,\n}\n' $v $v > "$T/gen$v"
	"$A" load -q --profile-dir "$PD" "$T/gen$v"
done
ok "--rollback --list" "$A" load --profile-dir "$PD" --rollback --list gen
assert "three versions listed (AAPROF_BACKUPS=3), numbered" "[ \$(wc -l < $T/out) -eq 3 ] && grep -q '^ 1 ' $T/out && grep -q '^ 3 ' $T/out"
assert "the backups are outside the profile directory" "[ -z \"\$(ls -A $PD | grep -v '^gen\$\|^web\$\|^myapp\$\|^disable\$\|^force-complain\$')\" ]"
ok "--rollback=3" "$A" load --profile-dir "$PD" --rollback=3 gen
assert "version 3 back is version 2" "grep -q 'version 2' $PD/gen && [ \"\$(kernel gen)\" = enforce ]"
ok "--rollback=2" "$A" load --profile-dir "$PD" --rollback=2 gen
assert "now version 4 (the last load pushed version 5)" "grep -q 'version 4' $PD/gen"
"$A" load --profile-dir "$PD" --rollback --list gen > "$T/list.before"
FAKE_FAIL_LOAD=1 "$A" load -q --profile-dir "$PD" "$T/gen1" 2>/dev/null
"$A" load --profile-dir "$PD" --rollback --list gen > "$T/list.after"; diff $T/list.before $T/list.after >&2
assert "a refused load adds no version" "cmp -s $T/list.before $T/list.after && grep -q 'version 4' $PD/gen"
fails 1 "--rollback=4 when three are kept" "$A" load --profile-dir "$PD" --rollback=4 gen
assert "it points to --list" "grep -q -- '--rollback --list' $T/err"
fails 2 "--rollback=0" "$A" load --profile-dir "$PD" --rollback=0 gen
fails 2 "--rollback=x" "$A" load --profile-dir "$PD" --rollback=x gen
fails 2 "--list without --rollback" "$A" load --profile-dir "$PD" --list gen
unset AAPROF_BACKUPS
for v in 1 2 3 4 5 1 2; do "$A" load -q --profile-dir "$PD" "$T/gen$v"; done
ok "--rollback --list after more loads" "$A" load --profile-dir "$PD" --rollback --list gen
assert "five versions by default" "[ \$(wc -l < $T/out) -eq 5 ]"

# --- --profile-dir: includes under DIR first, then the system's
mkdir -p "$PD/abstractions" "$PD/local"
printf '/etc/aaprof-test-abs r,\n' > "$PD/abstractions/aaprof-test"
printf '/etc/aaprof-test-local r,\n' > "$PD/local/inc"
printf 'abi <abi/3.0>,\ninclude <tunables/global>\nprofile inc {\n  include <abstractions/base>\n  include <abstractions/aaprof-test>\n  include <local/inc>\n  include if exists <local/nosuch>\n}\n' > "$T/inc"
: > "$FAKE_LOG"
ok "a profile including DIR's abstractions and local/" "$A" load --profile-dir "$PD" "$T/inc"
assert "apparmor_parser got --base DIR -I DIR" "grep -q -- \"--base \$(cd $PD && pwd -P) -I \$(cd $PD && pwd -P) -I /etc/apparmor.d\" $FAKE_LOG"
assert "another profile directory never writes the system's cache (-K, not -W)" "grep -q -- ' -r -K ' $FAKE_LOG && ! grep -q -- ' -W ' $FAKE_LOG"
printf 'bogus rule,\n' > "$PD/abstractions/base"
fails 3 "DIR's abstractions/base is read, not the system's" "$A" load --profile-dir "$PD" "$T/inc"
rm "$PD/abstractions/base"
printf 'type=AVC msg=audit(1700000000.100:10): apparmor="ALLOWED" operation="open" class="file" profile="inc" name="/etc/aaprof-test-abs" pid=1 comm="inc" requested_mask="r" denied_mask="r" fsuid=0 ouid=0\n' > "$T/inc.log"
ok "harvest --write --profile-dir reads the includes there too" "$A" harvest --profile-dir "$PD" -f "$T/inc.log" --write inc
assert "what DIR's abstraction allows is not added" "grep -q '1 already allowed' $T/err && ! grep -q 'aaprof-test-abs r,' $PD/inc"

finish
