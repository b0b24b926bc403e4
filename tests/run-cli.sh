#!/bin/bash
# Command-line tests of the built aaprof: help, exit codes, render of every
# shipped template in both modes compiled by the real apparmor_parser -QK,
# hostile values rejected without writing anything.
set -u
SUITE=cli
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
. "$HERE/lib.sh"
A=${AAPROF:-$TOP/build/aaprof}
PARSER=${APPARMOR_PARSER:-apparmor_parser}
command -v "$PARSER" >/dev/null || { echo "cli: apparmor_parser not found (apt-get install apparmor)" >&2; exit 1; }

compiles() { "$PARSER" -QK "$1" 2>&1 | grep -v '^Cache read/write disabled'; return "${PIPESTATUS[0]}"; }

# --- help, version, exit codes
want_version=$(awk -F'[()]' 'NR == 1 { sub(/-[^-]*$/, "", $2); print $2 }' "$TOP/debian/changelog")
ok "--version" "$A" --version
assert "--version matches debian/changelog" '[ "$(cat $T/out)" = "aaprof $want_version" ]'
ok "version command" "$A" version
ok "--help" "$A" --help
assert "--help lists render and exit codes" 'grep -q "render" $T/out && grep -q "Exit status" $T/out'
fails 2 "no command is a usage error" "$A"
fails 2 "unknown command is a usage error" "$A" frobnicate
ok "help render" "$A" help render
assert "help render shows its usage" 'grep -q "usage: aaprof render" $T/out'
ok "render --help" "$A" render --help
assert "render --help shows the options" 'grep -q -- "--template-dir" $T/out'
fails 2 "help of an unknown command" "$A" help frobnicate
fails 2 "render without NAME" "$A" render
fails 2 "render with two names" "$A" render a b
fails 2 "render with an unknown option" "$A" render --bogus x

# --- every shipped template, both modes, compiles with apparmor_parser -QK
for tmpl in "$TOP"/templates/*.tmpl; do
	t=$(basename "$tmpl" .tmpl)
	case $t in _*) continue ;; esac
	for mode in complain enforce; do
		f=$T/$t-$mode
		ok "render -t $t --mode $mode" "$A" render -t "$t" --mode "$mode" -o "$f" web-app
		assert "$t/$mode: has the profile line" "grep -q '^profile web-app flags=(attach_disconnected,mediate_deleted' $f"
		if [ $mode = complain ]; then
			assert "$t/$mode: complain flag" "grep -q 'mediate_deleted,complain) {' $f"
		else
			assert "$t/$mode: no complain flag" "! grep -q 'complain)' $f"
		fi
		ok "$t/$mode compiles with apparmor_parser -QK" compiles "$f"
		f2=$T/$t-$mode-full
		ok "render -t $t --mode $mode with attach/include/daemon" "$A" render -t "$t" --mode "$mode" \
			--attach "/opt/my app/bin/*" -i nameservice -i abstractions/openssl \
			--set daemon_profile=dockerd -o "$f2" web-app
		assert "$t/$mode: attachment quoted" "grep -q '^profile web-app \"/opt/my app/bin/\\*\" flags' $f2"
		assert "$t/$mode: includes" "grep -q 'include <abstractions/nameservice>' $f2 && grep -q 'include <abstractions/openssl>' $f2"
		assert "$t/$mode: daemon peer" "grep -q 'signal (receive) peer=dockerd,' $f2"
		ok "$t/$mode with attach/include compiles" compiles "$f2"
	done
done

# --- the learning template: docker-default minus the blanket grants
"$A" render -t docker-default app > "$T/dd"
"$A" render app > "$T/learn"
assert "render defaults to the learning template in complain mode" "grep -q \"'learning' template\" $T/learn && grep -q 'complain) {' $T/learn"
assert "docker-default has its blanket grants" "grep -qx '  file,' $T/dd && grep -qx '  network,' $T/dd && grep -qx '  capability,' $T/dd"
assert "learning drops file/network/capability/umount grants" "! grep -qxE '  (file|network|capability|umount),' $T/learn"
assert "learning keeps every deny rule" "[ \"\$(grep '^ *deny' $T/dd)\" = \"\$(grep '^ *deny' $T/learn)\" ] && [ \$(grep -c '^ *deny' $T/learn) -eq 16 ]"
assert "learning keeps signal and ptrace peer rules" "[ \"\$(grep -E '^ *(signal|ptrace)' $T/dd)\" = \"\$(grep -E '^ *(signal|ptrace)' $T/learn)\" ]"
assert "learning keeps abstractions/base" "grep -qx '  include <abstractions/base>' $T/learn"
assert "learning has the harvest section" "grep -q 'BEGIN aaprof harvested rules' $T/learn && grep -q 'END aaprof harvested rules' $T/learn"
assert "learning includes local/NAME" "grep -qx '  include if exists <local/app>' $T/learn"
"$A" render app > "$T/learn2"
assert "render output is stable" "cmp -s $T/learn $T/learn2"

# --- hostile values: rejected with a clear message, nothing written
for bad in 'my app' 'a"b' 'a{b}' 'a,b' $'a\nb' '@{HOME}' 'x@{y}' 'a*b' 'a/b' 'unconfined' "x$(printf '\001')" 'a#b'; do
	rm -f "$T/bad"
	fails 2 "hostile name $(printf %q "$bad") rejected" "$A" render -o "$T/bad" "$bad"
	assert "hostile name $(printf %q "$bad"): message, no file" "grep -q 'invalid profile name' $T/err && [ ! -e $T/bad ]"
done
fails 2 "attach with a quote rejected" "$A" render --attach '/tmp/"x' app
fails 2 "attach relative rejected" "$A" render --attach 'bin/x' app
fails 2 "include with .. rejected" "$A" render -i '../../etc/shadow' app
fails 1 "daemon_profile with a space rejected" "$A" render --set 'daemon_profile=a b' app
assert "the bad value is named in the message" "grep -q \"invalid value for 'daemon_profile'\" $T/err"
fails 2 "--set without =" "$A" render --set foo app
fails 2 "--set of a reserved variable" "$A" render --set name=x app
fails 2 "--set of an invalid key" "$A" render --set 'a-b=1' app
fails 2 "--mode bogus" "$A" render --mode bogus app
fails 1 "unknown template" "$A" render -t nosuch app
assert "unknown template lists the search path" "grep -q 'searched:' $T/err"

# --- -o: atomic replace; a failed render leaves the old file alone
echo old > "$T/keep"; chmod 600 "$T/keep"
fails 2 "failed render with -o" "$A" render -o "$T/keep" 'bad name'
assert "the old file is untouched" "[ \"\$(cat $T/keep)\" = old ]"
ok "render -o over an existing file" "$A" render -o "$T/keep" app
assert "the file was replaced, keeping its mode" "grep -q '^profile app ' $T/keep && [ \$(stat -c %a $T/keep) = 600 ]"
assert "no temporary file left behind" "[ -z \"\$(ls -A $T | grep aaprof-)\" ]"

# --- --template-dir and template errors with file:line
mkdir -p "$T/tdir"
printf 'profile {{ name | name }} {\n  {{ nosuch }}\n}\n' > "$T/tdir/broken.tmpl"
printf '{{ include "_header.tmpl" }}\n  /srv/{{ leaf | word }} r,\n}\n' > "$T/tdir/mine.tmpl"
cp "$TOP/templates/_header.tmpl" "$T/tdir/"
fails 1 "template error" "$A" render --template-dir "$T/tdir" -t broken app
assert "template error names file:line" "grep -q 'broken.tmpl:2: unknown variable .nosuch.' $T/err"
ok "custom template from --template-dir" "$A" render --template-dir "$T/tdir" -t mine --set leaf=data --mode enforce -o "$T/mine" app
ok "custom template compiles" compiles "$T/mine"
ok "template given as a path" "$A" render -t "$T/tdir/mine.tmpl" --template-dir "$T/tdir" --set leaf=x --mode enforce app
if [ "$(id -u)" = 0 ]; then
	chmod 666 "$T/tdir/mine.tmpl"
	fails 6 "as root, a world-writable template is refused: exit 6" "$A" render --template-dir "$T/tdir" -t mine --set leaf=x app
	assert "the refusal says why" "grep -q 'writable by group or others' $T/err"
	chmod 644 "$T/tdir/mine.tmpl"
	chown 65534 "$T/tdir/mine.tmpl"
	fails 6 "as root, a template not owned by root is refused" "$A" render --template-dir "$T/tdir" -t mine --set leaf=x app
	assert "the refusal names the owner" "grep -q 'owned by uid 65534, not root' $T/err"
	chown 0 "$T/tdir/mine.tmpl"
	mkdir -p "$T/rdir"; cp "$TOP/rules/generalise.rules" "$T/rdir/"; chmod 666 "$T/rdir/generalise.rules"
	echo 'type=AVC msg=audit(1.1:1): apparmor="ALLOWED" operation="open" profile="app" name="/x" requested_mask="r" denied_mask="r"' > "$T/one.log"
	fails 6 "as root, a world-writable rules file is refused: exit 6" "$A" harvest -f "$T/one.log" --rules-dir "$T/rdir" app
	assert "the refusal names the rules file" "grep -q \"refusing file '$T/rdir/generalise.rules'\" $T/err"
fi

# --- bad input: one clear message and a documented exit status each
: > "$T/empty.log"
ok "an empty log is no error" "$A" harvest -f "$T/empty.log" app
assert "empty: 0 lines reported" "grep -q '^aaprof harvest: read 0 lines: no AppArmor record$' $T/err && [ ! -s $T/out ]"
fails 1 "a directory as a log" "$A" harvest -f "$T" app
assert "directory: named" "grep -q \"'$T' is a directory\" $T/err"
python3 -c "import sys; sys.stdout.write('x' * (100 << 20) + '\n')" > "$T/huge.log"
cat "$TOP/tests/data/e2e-complain.log" >> "$T/huge.log"
ok "a 100 MB line is skipped, the rest read" "$A" harvest -f "$T/huge.log" e2e-app
assert "100 MB line: reported, the records after it used" "grep -q '1 line longer than [0-9]* bytes was skipped' $T/err && grep -q 'owner /etc/e2e-app/app.conf r,' $T/out"
rm -f "$T/huge.log"
ok "a profile with no records: no rules, said on stderr" "$A" harvest -f "$TOP/tests/data/e2e-complain.log" nosuchprofile
assert "no records: 0 used" "grep -q '^aaprof harvest: no record used: no rule$' $T/err && [ ! -s $T/out ]"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	chmod 600 "$T/empty.log"
	fails 1 "an unreadable log (as nobody)" setpriv --reuid=65534 --regid=65534 --clear-groups "$A" harvest -f "$T/empty.log" app
	assert "unreadable: the reason" "grep -q 'Permission denied' $T/err"
fi

finish
