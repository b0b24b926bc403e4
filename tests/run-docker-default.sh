#!/bin/bash
# aaprof's docker-default and learning templates against moby's docker-default
# as moby's current template generates it: tests/data/docker-default holds
# moby's template.go and golden files verbatim (SOURCES.md); the profile is
# generated from that text by tests/moby-template.py, which first proves
# itself on moby's golden files. Both profiles become sorted sets of
# normalised rules and are compared rule by rule; the abi line follows the
# abi files of --profile-dir.
set -u
SUITE=docker-default
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
. "$HERE/lib.sh"
A=${AAPROF:-$TOP/build/aaprof}
D=$HERE/data/docker-default
MOBY="python3 $HERE/moby-template.py"
PARSER=${APPARMOR_PARSER:-apparmor_parser}

# a profile directory with abi/3.0, and one without any abi file
mkdir -p "$T/with/abi" "$T/without"
: > "$T/with/abi/3.0"

rules() { $MOBY rules "$1"; }
# same_rules NAME MOBY AAPROF [EXTRA...]: the rule sets are equal, but for
# the EXTRA rules only aaprof has
same_rules() {
	local name=$1 moby=$2 mine=$3; shift 3
	rules "$moby" > "$T/r-moby"
	rules "$mine" | grep -vxF -f <(printf '%s\n' "$@" '#none') > "$T/r-mine"
	if diff -u "$T/r-moby" "$T/r-mine" > "$T/r-diff"; then pass "$name"
	else fail "$name" "rules differ (- moby, + aaprof):" "$(cat "$T/r-diff")"; fi
}

# --- the interpreter reproduces moby's own golden files byte for byte
ok "moby-template.py reproduces moby's golden files" $MOBY selftest "$D"
assert "all eight of them" "grep -qx '8 of 8 golden files of moby reproduced' $T/out"
assert "the template is moby's current one (deny network alg, the /proc glob without '/')" \
	"grep -qx '  deny network alg,' $D/template.go && grep -qF '{[^1-9/],[^1-9/][^0-9/],' $D/template.go"

# --- docker-default, rule by rule, with and without abi/3.0 on the host
for host in with without; do
	have=tunables/global,abstractions/base
	[ $host = with ] && have=abi/3.0,$have
	$MOBY generate "$D/template.go" web --have "$have" > "$T/moby-$host"
	ok "render -t docker-default ($host abi/3.0)" "$A" render -t docker-default --profile-dir "$T/$host" web
	cp "$T/out" "$T/dd-$host"
	same_rules "docker-default = moby's rules ($host abi/3.0)" "$T/moby-$host" "$T/dd-$host" \
		'include if exists <local/web>'
	$MOBY generate "$D/template.go" web --daemon dockerd --have "$have" > "$T/moby-d-$host"
	"$A" render -t docker-default --profile-dir "$T/$host" --set daemon_profile=dockerd web > "$T/dd-d-$host"
	same_rules "docker-default with a daemon profile = moby's ($host abi/3.0)" "$T/moby-d-$host" \
		"$T/dd-d-$host" 'include if exists <local/web>'
	# learning: the same without the four blanket grants
	grep -vxE '  (network|capability|file|umount),' "$T/moby-$host" > "$T/moby-learn-$host"
	"$A" render --mode enforce --profile-dir "$T/$host" web > "$T/learn-$host"
	same_rules "learning = moby's rules but network, capability, file, umount ($host abi/3.0)" \
		"$T/moby-learn-$host" "$T/learn-$host" 'include if exists <local/web>'
done
assert "with abi/3.0: the profile pins it" "grep -qx 'abi <abi/3.0>,' $T/dd-with && grep -qx 'abi <abi/3.0>,' $T/learn-with"
assert "without: no abi line at all" "! grep -q '^ *abi' $T/dd-without && ! grep -q '^ *abi' $T/learn-without"
assert "docker-default denies AF_ALG sockets" "grep -qx '  deny network alg,' $T/dd-with"
assert "learning denies AF_ALG sockets" "grep -qx '  deny network alg,' $T/learn-with"
assert "the /proc glob does not match '/'" \
	"grep -qF 'deny @{PROC}/{[^1-9/],[^1-9/][^0-9/],[^1-9s/][^0-9y/][^0-9s/],[^1-9/][^0-9/][^0-9/][^0-9/]*}/** w,' $T/dd-with"

# --- the compiled policy is the same as moby's (apparmor_parser -S, with the
# host's abi files; file rules are encoded in the DFA, network rules only
# where the policy features have them)
if command -v "$PARSER" >/dev/null && [ -e /etc/apparmor.d/abi/3.0 ]; then
	"$PARSER" -K -S "$T/moby-with" > "$T/bin-moby" 2>/dev/null
	"$PARSER" -K -S "$T/dd-with" > "$T/bin-dd" 2>/dev/null
	assert "apparmor_parser compiles both to the same policy" "[ -s $T/bin-moby ] && cmp -s $T/bin-moby $T/bin-dd"
fi

# --- the comparison fails when a rule is missing or stale
mkdir -p "$T/old"
cp "$TOP"/templates/*.tmpl "$T/old/"
grep -vx '  deny network alg,' "$TOP/templates/_docker-confinement.tmpl" > "$T/old/_docker-confinement.tmpl"
"$A" render --template-dir "$T/old" -t docker-default --profile-dir "$T/with" web > "$T/old-alg"
rules "$T/moby-with" > "$T/r-moby"; rules "$T/old-alg" > "$T/r-old"
assert "a template without 'deny network alg' differs from moby's" \
	"diff $T/r-moby $T/r-old | grep -qx '< deny network alg'"
sed 's#{\[^1-9/\],\[^1-9/\]\[^0-9/\],\[^1-9s/\]\[^0-9y/\]\[^0-9s/\],\[^1-9/\]\[^0-9/\]\[^0-9/\]\[^0-9/\]\*}#{[^1-9],[^1-9][^0-9],[^1-9s][^0-9y][^0-9s],[^1-9][^0-9][^0-9][^0-9/]*}#' \
	"$TOP/templates/_docker-confinement.tmpl" > "$T/old/_docker-confinement.tmpl"
"$A" render --template-dir "$T/old" -t docker-default --profile-dir "$T/with" web > "$T/old-proc"
rules "$T/old-proc" > "$T/r-old"
assert "a template with the old /proc glob differs from moby's" \
	"diff $T/r-moby $T/r-old | grep -qF '> deny @{PROC}/{[^1-9],'"
printf 'profile "web" flags=(attach_disconnected,mediate_deleted) {\n  signal (receive) peer="web",\n}\n' > "$T/q1"
printf 'profile web flags=(mediate_deleted,attach_disconnected) {\n  signal (receive) peer=web,\n}\n' > "$T/q2"
assert "quoting a plain name and the order of flags are form, not rules" "[ \"\$(rules $T/q1)\" = \"\$(rules $T/q2)\" ]"
printf 'profile web {\n  signal (receive) peer=webx,\n}\n' > "$T/q3"
assert "another peer is another rule" "[ \"\$(rules $T/q1)\" != \"\$(rules $T/q3)\" ]"

# --- the abi variables: set by aaprof from --profile-dir, not by --set
mkdir -p "$T/tdir" "$T/five/abi"
: > "$T/five/abi/5.0"
printf '{{ if abi_5_0 }}\nabi <{{ abi_5_0 | include }}>,\n{{ elif abi_3_0 }}\nabi <abi/3.0>,\n{{ end }}\nprofile {{ name | name }} {\n}\n' > "$T/tdir/abi.tmpl"
ok "a template's abi follows the abi files (5.0)" "$A" render --template-dir "$T/tdir" -t abi --profile-dir "$T/five" web
assert "abi/5.0 named" "grep -qx 'abi <abi/5.0>,' $T/out"
ok "a template's abi follows the abi files (3.0)" "$A" render --template-dir "$T/tdir" -t abi --profile-dir "$T/with" web
assert "abi/3.0 named" "grep -qx 'abi <abi/3.0>,' $T/out"
ok "a template's abi follows the abi files (none)" "$A" render --template-dir "$T/tdir" -t abi --profile-dir "$T/without" web
assert "no abi named" "! grep -q abi $T/out"
mkdir -p "$T/dirabi/abi/3.0"
"$A" render -t docker-default --profile-dir "$T/dirabi" web > "$T/out" 2>&1
assert "a directory named abi/3.0 is no abi file" "! grep -q '^abi' $T/out"
fails 2 "--set abi_3_0 is refused: aaprof sets it" "$A" render --set abi_3_0=abi/3.0 --profile-dir "$T/without" web
assert "the message says where it comes from" "grep -q \"'abi_3_0' is set by its own option\" $T/err && grep -q 'profile-dir' $T/err"
fails 2 "--profile-dir that does not exist" "$A" render --profile-dir "$T/nosuch" web
if [ -e /etc/apparmor.d/abi/3.0 ]; then
	"$A" render -t docker-default web > "$T/out"
	assert "by default, the abi files of /etc/apparmor.d (it has abi/3.0)" "grep -qx 'abi <abi/3.0>,' $T/out"
else
	"$A" render -t docker-default web > "$T/out"
	assert "by default, the abi files of /etc/apparmor.d (no abi/3.0)" "! grep -q '^abi' $T/out"
fi
if command -v "$PARSER" >/dev/null; then
	ok "render -o without abi/3.0 compiles" "$A" render -t docker-default --profile-dir "$T/without" -o "$T/noabi" web
	ok "learning -o without abi/3.0 compiles" "$A" render --profile-dir "$T/without" -o "$T/noabi-l" web
fi

finish
