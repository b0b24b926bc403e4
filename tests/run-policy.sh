#!/bin/bash
# aaprof's reading of policy text, judged against apparmor_parser's own view:
# which profile a file defines (its header, even with comments, quotes and
# braces on the header line), the mode flags, the harvested section's
# markers (only whole comment lines), file rules with escapes (\{ \@ \n \t,
# a backslash), and rules apparmor_parser cannot compile (held back, the
# rest written). Loads go to tests/fake-apparmor_parser on a fake apparmorfs.
set -u
SUITE=policy
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
. "$HERE/lib.sh"
A=${AAPROF:-$TOP/build/aaprof}
fake_kernel
avc() {   # avc PROFILE NAME-HEX [OP MASK]: one ALLOWED file record with a hex-encoded name
	printf 'type=AVC msg=audit(1700000000.%03d:%d): apparmor="ALLOWED" operation="%s" profile="%s" name=%s pid=42 comm="app" requested_mask="%s" denied_mask="%s" fsuid=0 ouid=0\n' \
		"$((RANDOM % 1000))" "$RANDOM" "${3:-open}" "$1" "$2" "${4:-r}" "${4:-r}"
}
hex() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n' | tr a-f A-F; }

# --- a header line that ends in a comment names the profile, not its child
cat > "$T/myapp.profile" <<'P'
abi <abi/3.0>,
profile myapp flags=(complain) { # the web app
  /etc/hosts r,
  profile helper {
    /usr/lib/helper r,
  }
}
P
echo 'profile helper { }' > "$PD/helper.keep"; cp "$PD/helper.keep" "$PD/helper"
ok "load FILE whose header ends in a comment" "$A" load --profile-dir "$PD" "$T/myapp.profile"
assert "installed as myapp, not as its child helper" "[ -f $PD/myapp ] && cmp -s $PD/helper.keep $PD/helper"
assert "the kernel has myapp in complain" "[ \"\$(kernel myapp)\" = complain ]"
ok "enforce myapp" "$A" enforce --profile-dir "$PD" myapp
assert "enforce: myapp's own header lost complain, the comment stays" "grep -q '^profile myapp { # the web app\$' $PD/myapp"
ok "complain myapp" "$A" complain --profile-dir "$PD" myapp
# a child does not inherit its parent's mode: complain switches it too
assert "complain: the flag is on myapp's header and its child's" "grep -q '^profile myapp flags=(complain) { # the web app\$' $PD/myapp && grep -q '^  profile helper flags=(complain) {' $PD/myapp"
cat > "$T/q.profile" <<'P'
# profile decoy flags=(complain) {
profile "quoted" /usr/bin/q\{x { # } {
  "/tmp/a \{ b\}" r,
}
P
ok "load FILE: a quoted name, an escaped brace in the attachment" "$A" load --profile-dir "$PD" --complain "$T/q.profile"
assert "installed as quoted, complain on its header" "[ -f $PD/quoted ] && [ ! -e $PD/decoy ] && grep -q '^profile \"quoted\" /usr/bin/q\\\\{x flags=(complain) {' $PD/quoted"
printf 'profile one {\n}\nprofile two {\n}\n' > "$T/two.profile"
# a file of several profiles (Debian's usr.bin.man) is installed as a whole, named after the first
ok "load FILE with two profiles" "$A" load --profile-dir "$PD" "$T/two.profile"
assert "installed as one, both loaded, both named" "[ -f $PD/one ] && [ ! -e $PD/two ] && [ \"\$(kernel one)\" = enforce ] && [ \"\$(kernel two)\" = enforce ] && grep -q 'loaded one and two from' $T/err"

# --- hostile file names: harvest --write, then the gate reads the rules as
# apparmor_parser does (they cover the log), and a second write changes nothing
AAPROF_NOW=1699990000 "$A" load -q --profile-dir "$PD" --complain -t learning web
for p in '/tmp/brace{x}' '/tmp/trailing\' $'/tmp/new\nline' $'/tmp/tab\there' '/tmp/at@{HOME}' \
	'/tmp/# --- END aaprof harvested rules' '/srv/a#b' '/tmp/q"uote' '/tmp/back\slash' '/tmp/c,omma'; do
	avc web "$(hex "$p")"
done > "$T/hostile.log"
ok "harvest --write of hostile names" "$A" harvest --profile-dir "$PD" -f "$T/hostile.log" --no-generalise --write web
cp "$PD/web" "$T/web.1"
AAPROF_NOW=1700000100 ok "the gate finds every written rule covers its record" "$A" enforce --profile-dir "$PD" --quiet-for 1h -f "$T/hostile.log" web
"$A" complain -q --profile-dir "$PD" web
cp "$PD/web" "$T/web.1"
ok "a second harvest --write of the same log" "$A" harvest --profile-dir "$PD" -f "$T/hostile.log" --no-generalise --write web
assert "changes nothing (no line duplicated by a marker inside a name)" "cmp -s $T/web.1 $PD/web"
assert "one END marker line" "[ \$(grep -c '^ *# --- END aaprof harvested rules' $PD/web) = 1 ]"

# --- rules apparmor_parser cannot compile are held back, the rest written
cat > "$PD/svc" <<'P'
abi <abi/3.0>,
profile svc flags=(complain) {
  /etc/svc.conf r,
}
P
{
	avc svc "$(hex /srv/svc/data)"
	avc svc "$(hex '/srv/svc/with space')"
	# the kernel names signals by its own table; 3.0.8's parser lacks "lost" (SIGLOST)
	printf 'type=AVC msg=audit(1700000000.700:90): apparmor="ALLOWED" operation="signal" class="signal" profile="svc" pid=42 comm="svc" requested_mask="send" denied_mask="send" signal=lost peer="svc"\n'
	printf 'type=AVC msg=audit(1700000000.710:91): apparmor="ALLOWED" operation="signal" class="signal" profile="svc" pid=42 comm="svc" requested_mask="send" denied_mask="send" signal=term peer="svc"\n'
} > "$T/svc.log"
cp "$PD/svc" "$T/svc.before"
fails 4 "an uncompilable rule: exit 4, the rest written" "$A" harvest --profile-dir "$PD" -f "$T/svc.log" --no-generalise --write svc
assert "it is held back with the parser's message and its record" "grep -q '1 rule held back as unexpressible' $T/err && grep -q 'signal send set=lost peer=svc,' $T/err && grep -q 'unknown signal \"lost\"' $T/err && grep -q 'e.g. type=AVC.*signal=lost' $T/err"
assert "the rest is written" "grep -q '/srv/svc/data r,' $PD/svc && grep -q '\"/srv/svc/with space\" r,' $PD/svc && grep -q 'set=term' $PD/svc && ! grep -q 'set=lost' $PD/svc"
assert "what is written compiles" "apparmor_parser -QK $PD/svc 2>/dev/null"
# a rule an older aaprof wrote (a last backslash as \\\\ before the quote) is read
# by apparmor_parser's lexer as an escaped quote once a quoted rule follows it
cp "$T/svc.before" "$PD/svc"
printf '%s\n' 'abi <abi/3.0>,' 'profile svc flags=(complain) {' '  # --- BEGIN aaprof harvested rules ---' \
	'  "/srv/old/trailing\\\\" r,' '  # --- END aaprof harvested rules ---' '}' > "$PD/svc"
ok "the old rule alone compiles" apparmor_parser -QK "$PD/svc"
fails 4 "harvest adds quoted rules after it: exit 4" "$A" harvest --profile-dir "$PD" -f "$T/svc.log" --no-generalise --write svc
assert "the old rule is the one held back, named as kept from the section" "grep -q '2 rules held back' $T/err && grep -q 'trailing.*r,' $T/err && grep -q 'kept from the profile' $T/err"
assert "the new rules are written, and compile" "grep -q '\"/srv/svc/with space\" r,' $PD/svc && ! grep -q trailing $PD/svc && apparmor_parser -QK $PD/svc 2>/dev/null"
printf 'abi <abi/3.0>,\nprofile svc {\n  bogus rule,\n}\n' > "$PD/svc"
fails 3 "a profile that does not compile without the rules: exit 3" "$A" harvest --profile-dir "$PD" -f "$T/svc.log" --no-generalise --write svc
assert "nothing written" "grep -q bogus $PD/svc && ! grep -q BEGIN $PD/svc"

finish
