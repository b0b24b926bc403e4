#!/bin/bash
# The rules a harvest writes are a function of the target (the profile's
# abi rule and --target), never of the installed apparmor_parser: the same
# real records of kernel 7.3 (tests/data/abi/classes.log) under abi 3.0,
# 4.0, 5.0 and no abi rule, with --keep-addresses and with the 7.3 kernel's
# features (tests/data/abi/features-7.3) as the target; golden files
# tests/data/abi/NAME.expected, the same whatever apparmor_parser is
# installed. Also the "network, for unix sockets" warning of render and
# load. UPDATE=1 rewrites the expected files (review the diff).
set -u
SUITE=abi
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
. "$HERE/lib.sh"
A=${AAPROF:-$TOP/build/aaprof}
D=$TOP/tests/data/abi
export TZ=UTC AAPROF_NOW=1795420000 AAPROF_STATE_DIR=$T/state

# a profile directory with the abi files, so that any apparmor_parser finds them
PD=$T/apparmor.d
mkdir -p "$PD/abi"
cp "$D/3.0" "$D/4.0" "$D/5.0" "$PD/abi/"
for v in 3.0 4.0 5.0; do printf 'abi <abi/%s>,\nprofile webapp {\n}\n' $v > "$PD/webapp-$v"; done
printf 'profile webapp {\n}\n' > "$PD/webapp-none"
cd "$D"   # --target names a file here: the golden files hold no absolute path

# golden NAME PROFILE ARGS...: the rules harvested from classes.log for the
# profile file webapp-PROFILE equal NAME.expected, and stderr is kept in NAME.err
golden() {
	local name=$1 v=$2; shift 2
	"$A" harvest -f "$D/classes.log" --format rules --profile-dir "$PD" --profile "$PD/webapp-$v" \
		"$@" webapp > "$T/$name.out" 2> "$T/$name.err"
	local rc=$?
	if [ -n "${UPDATE:-}" ]; then cp "$T/$name.out" "$D/$name.expected"; fi
	if [ $rc -ne 0 ]; then fail "$name" "exit $rc: $*" "$(cat "$T/$name.err")"; return; fi
	if cmp -s "$T/$name.out" "$D/$name.expected"; then pass "$name"
	else fail "$name" "output differs from $name.expected:" "$(diff -u "$D/$name.expected" "$T/$name.out")"; fi
}
err_has() { assert "$1: stderr says '$2'" "grep -qF -- \"$2\" $T/$1.err"; }

# --- the same records under each ABI
golden abi-3.0 3.0
assert "abi 3.0: network FAMILY TYPE, no access list, no address" "grep -qx 'network inet6 dgram,' $T/abi-3.0.out && ! grep -q 'port=\|network (' $T/abi-3.0.out"
assert "abi 3.0: userns, io_uring and mqueue are comments" "[ \$(grep -c '^# not enforced under abi <abi/3.0>: ' $T/abi-3.0.out) = 3 ]"
err_has abi-3.0 "network access lists are not enforced under abi <abi/3.0>: written as 'network FAMILY TYPE,' (needs abi 4.0 or later)"
err_has abi-3.0 "network addresses and ports left out of the rules (--keep-addresses keeps them where the target enforces them)"
err_has abi-3.0 "userns rules are not enforced under abi <abi/3.0>: the class is not mediated, its rules are written as comments (needs abi 4.0 or later)"
golden abi-4.0 4.0
assert "abi 4.0: an access list, userns and mqueue rules; io_uring a comment" "grep -qx 'network (bind, create) inet6 dgram,' $T/abi-4.0.out && grep -qx 'userns create,' $T/abi-4.0.out && grep -qx '# not enforced under abi <abi/4.0>: io_uring sqpoll,' $T/abi-4.0.out"
golden abi-5.0 5.0
assert "abi 5.0: no comment" "! grep -q '^#' $T/abi-5.0.out"
err_has abi-5.0 "network addresses and ports left out of the rules (--keep-addresses keeps them where the target enforces them)"
golden abi-none none
err_has abi-none "not enforced under no abi rule (taken as abi 3.0)"

# --- addresses: only asked for, and only where the target enforces them
golden abi-5.0-keep 5.0 --keep-addresses
assert "--keep-addresses under abi 5.0: ip= and port=" "grep -qx 'network (bind) inet6 dgram ip=::1 port=8125,' $T/abi-5.0-keep.out"
golden abi-3.0-keep 3.0 --keep-addresses
EXPECT=abi-3.0 assert "--keep-addresses under abi 3.0: as without it" "cmp -s $T/abi-3.0.out $T/abi-3.0-keep.out"
err_has abi-3.0-keep "network addresses and ports are not enforced under abi <abi/3.0>"

# --- the target: Debian's 7.3 kernel has no af_inet and no ipc, and mediates unix only under abi 5.0
golden abi-5.0-on-7.3 5.0 --keep-addresses --target features-7.3
assert "on 7.3: no address, mqueue a comment, unix rules" "! grep -q 'port=' $T/abi-5.0-on-7.3.out && grep -q '^# not enforced under abi <abi/5.0> on the target .*features-7.3: mqueue' $T/abi-5.0-on-7.3.out && grep -q '^unix (bind, listen)' $T/abi-5.0-on-7.3.out"
err_has abi-5.0-on-7.3 "network addresses and ports are not enforced under abi <abi/5.0> on the target features-7.3: written as 'the rule without them' (needs a kernel with network_v8/af_inet)"
golden abi-3.0-on-7.3 3.0 --target features-7.3
assert "abi 3.0 on 7.3: unix sockets are network unix stream" "grep -qx 'network unix stream,' $T/abi-3.0-on-7.3.out && ! grep -q '^unix' $T/abi-3.0-on-7.3.out"
golden abi-4.0-target-abi 5.0 --target 4.0
assert "an abi file as the target: io_uring a comment" "grep -q '^# not enforced.*io_uring sqpoll' $T/abi-4.0-target-abi.out"
fails 1 "--target that is no features" "$A" harvest -f "$D/classes.log" --format rules --target /nonexistent webapp
"$A" harvest -f "$D/classes.log" --format json --profile-dir "$PD" --profile "$PD/webapp-3.0" webapp > "$T/json" 2>/dev/null
assert "json: a rule not enforced says so" "grep -q '\"not_enforced\": *\"not enforced under abi <abi/3.0>\"' $T/json"

# --- the rules do not depend on apparmor_parser: the same with one that compiles nothing
printf '#!/bin/bash\ncase " $* " in *" -QK "*) echo "picky: refused" >&2; exit 1 ;; esac\nexec %s "$@"\n' \
	"${REAL_APPARMOR_PARSER:-/usr/sbin/apparmor_parser}" > "$T/picky-parser"
chmod +x "$T/picky-parser"
APPARMOR_PARSER=$T/picky-parser AAPROF_STATE_DIR=$T/picky "$A" harvest -f "$D/classes.log" --format rules --profile-dir "$PD" --profile "$PD/webapp-4.0" webapp > "$T/picky" 2> "$T/picky.err"
assert "the rules are the same with a parser that compiles nothing" "cmp -s $T/picky $D/abi-4.0.expected || { diff $D/abi-4.0.expected $T/picky; cat $T/picky.err; false; }"

# --- "network," for unix sockets under abi 5.0: render and load warn
mkdir -p "$T/tmpl"
printf 'abi <abi/5.0>,\nprofile {{ name | name }} {\n  network,\n}\n' > "$T/tmpl/net5.tmpl"
printf 'abi <abi/3.0>,\nprofile {{ name | name }} {\n  network,\n}\n' > "$T/tmpl/net3.tmpl"
"$A" render -t "$T/tmpl/net5.tmpl" --profile-dir "$PD" web5 > /dev/null 2> "$T/render5.err"
assert "render warns: network, under abi 5.0" "grep -q \"warning: the rendered profile 'web5': it relies on 'network,' for its unix sockets\" $T/render5.err"
"$A" render -t "$T/tmpl/net3.tmpl" --profile-dir "$PD" web3 > /dev/null 2> "$T/render3.err"
assert "render: no warning under abi 3.0" "! grep -q warning $T/render3.err"
"$A" render -t learning --profile-dir "$PD" webl > /dev/null 2> "$T/renderl.err"
assert "render: no warning for the learning template" "! grep -q warning $T/renderl.err"
fake_kernel
cp "$D/3.0" "$D/4.0" "$D/5.0" "$PD/abi/"
printf 'abi <abi/5.0>,\nprofile web5 {\n  network,\n}\n' > "$T/web5"
"$A" load --profile-dir "$PD" "$T/web5" > /dev/null 2> "$T/load5.err"
assert "load warns: network, under abi 5.0" "grep -q \"warning: the profile 'web5': it relies on 'network,' for its unix sockets\" $T/load5.err || { cat $T/load5.err; false; }"

finish
