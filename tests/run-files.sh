#!/bin/bash
# The files aaprof reads and writes are exactly the files it means: templates
# and rule files judged on the descriptor it reads, every directory up to /;
# the test-only environment variables absent from the release binary.
set -u
SUITE=files
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
. "$HERE/lib.sh"
A=${AAPROF:-$TOP/build/aaprof}
export AAPROF_STATE_DIR=$T/state TZ=UTC
ROOT=0; [ "$(id -u)" = 0 ] && ROOT=1

# --- templates and rule files, as root: the file as opened, and every directory up to /
if [ $ROOT = 1 ]; then
	mk_tdir() {   # mk_tdir DIR: a template directory with a good template
		mkdir -p "$1"
		printf '{{ include "_header.tmpl" }}\n  /srv/{{ leaf | word }} r,\n}\n' > "$1/mine.tmpl"
		cp "$TOP/templates/_header.tmpl" "$1/"
		chmod 755 "$1"; chmod 644 "$1"/*
	}
	mk_tdir "$T/good/tdir"
	ok "a template below root-owned directories is used" "$A" render --template-dir "$T/good/tdir" -t mine --set leaf=x --mode enforce app
	mk_tdir "$T/gw/sub/tdir"
	chmod 775 "$T/gw"
	fails 6 "a group-writable directory two levels up refuses the template: exit 6" "$A" render --template-dir "$T/gw/sub/tdir" -t mine --set leaf=x app
	assert "the refusal names that directory" "grep -q \"its directory '$T/gw': writable by group or others\" $T/err"
	chmod 755 "$T/gw"; chown 65534 "$T/gw"
	fails 6 "a directory up the path owned by another user refuses the template" "$A" render --template-dir "$T/gw/sub/tdir" -t mine --set leaf=x app
	assert "the refusal names the owner" "grep -q \"its directory '$T/gw': owned by uid 65534, not root\" $T/err"
	chown 0 "$T/gw"
	W=$(mktemp -d /tmp/aaprof-files.XXXXXX)
	mk_tdir "$W/tdir"
	fails 6 "a template in /tmp (world-writable, sticky) is refused" "$A" render --template-dir "$W/tdir" -t mine --set leaf=x app
	assert "the refusal says why" "grep -q \"its directory '/tmp': writable by group or others (mode 1777): anyone may have put files there\" $T/err"
	rm -rf "$W"
	mk_tdir "$T/link/tdir"
	mv "$T/link/tdir/mine.tmpl" "$T/link/real.tmpl"
	ln -s ../real.tmpl "$T/link/tdir/mine.tmpl"
	fails 6 "a template that is a symbolic link is refused (not followed)" "$A" render --template-dir "$T/link/tdir" -t mine --set leaf=x app
	assert "the refusal says it is a link" "grep -q 'a symbolic link' $T/err"
	mkdir -p "$T/rgw/rdir"; cp "$TOP/rules/generalise.rules" "$T/rgw/rdir/"; chmod 777 "$T/rgw"
	echo 'type=AVC msg=audit(1.1:1): apparmor="ALLOWED" operation="open" profile="app" name="/x" requested_mask="r" denied_mask="r"' > "$T/one.log"
	fails 6 "a rules file below a world-writable directory is refused" "$A" harvest -f "$T/one.log" --rules-dir "$T/rgw/rdir" app
	assert "the refusal names the rules file and the directory" "grep -q \"refusing file '$T/rgw/rdir/generalise.rules': its directory '$T/rgw'\" $T/err"
	chmod 755 "$T/rgw"
	ok "the same rules file below safe directories is used" "$A" harvest -f "$T/one.log" --rules-dir "$T/rgw/rdir" app
else
	echo "files: not root: the ownership checks (root only) are not exercised" >&2
fi

# --- the release binary (make install, the Debian package) cannot be steered by
# the test-only environment; the test binary can (else these prove nothing)
R=${AAPROF_RELEASE:-$TOP/build/release/aaprof}
mkdir -p "$T/evil" "$T/rel/pd" "$T/rel/fs"; : > "$T/rel/fs/profiles"
printf '#!/bin/sh\ntouch "%s/evil-ran"\nexit 0\n' "$T" > "$T/evil/apparmor_parser"
chmod 755 "$T/evil/apparmor_parser"
"$A" render -q -o "$T/rel/pd/relapp" relapp 2>/dev/null || "$A" render -o "$T/rel/pd/relapp" relapp
rm -f "$T/evil-ran"
APPARMOR_PARSER=$T/evil/apparmor_parser "$A" load --dry-run --profile-dir "$T/rel/pd" relapp > /dev/null 2>&1
assert "test binary: APPARMOR_PARSER picks the parser" "[ -e $T/evil-ran ]"
rm -f "$T/evil-ran"
APPARMOR_PARSER=$T/evil/apparmor_parser "$R" load --dry-run --profile-dir "$T/rel/pd" relapp > "$T/out" 2>&1
assert "release binary: APPARMOR_PARSER is ignored" "[ ! -e $T/evil-ran ] && grep -q 'would run: /usr/sbin/apparmor_parser\|would run: /sbin/apparmor_parser' $T/out"
PATH=$T/evil:$PATH "$R" load --dry-run --profile-dir "$T/rel/pd" relapp > "$T/out" 2>&1
assert "release binary: an apparmor_parser earlier in PATH is not run" "[ ! -e $T/evil-ran ]"
PATH=$T/evil:$PATH "$A" load --dry-run --profile-dir "$T/rel/pd" relapp > "$T/out" 2>&1
assert "test binary without APPARMOR_PARSER: the system's parser first, not PATH's" "[ ! -e $T/evil-ran ]"
AAPROF_APPARMORFS=$T/rel/fs ok "test binary: AAPROF_APPARMORFS is a fake kernel" "$A" status --profile-dir "$T/rel/pd"
if [ ! -e /sys/kernel/security/apparmor/profiles ]; then
	AAPROF_APPARMORFS=$T/rel/fs fails 5 "release binary: AAPROF_APPARMORFS is ignored (no AppArmor here: exit 5)" "$R" status --profile-dir "$T/rel/pd"
fi
printf 'type=AVC msg=audit(1700000000.000:1): apparmor="ALLOWED" operation="open" profile="relapp" name="/srv/rel/now" pid=1 comm="x" requested_mask="r" denied_mask="r" fsuid=0 ouid=0\n' > "$T/rel.log"
AAPROF_NOW=1700000100 "$A" harvest -q -f "$T/rel.log" --since 1h --format rules relapp > "$T/out" 2>&1
assert "test binary: AAPROF_NOW sets the clock" "grep -q /srv/rel/now $T/out"
AAPROF_NOW=1700000100 "$R" harvest -q -f "$T/rel.log" --since 1h --format rules relapp > "$T/out" 2>&1
assert "release binary: AAPROF_NOW is ignored (the record is years old)" "! grep -q /srv/rel/now $T/out"
if [ $ROOT = 1 ]; then
	W=$(mktemp -d /tmp/aaprof-files.XXXXXX)
	AAPROF_STATE_DIR=$W/state ok "release binary as root: a state directory in /tmp" "$R" unload --dry-run --purge --profile-dir "$T/rel/pd" relapp
	assert "is ignored with a warning" "grep -q \"ignoring AAPROF_STATE_DIR '$W/state'\" $T/err && grep -q 'a copy stays in /var/lib/aaprof' $T/out"
	AAPROF_STATE_DIR=$T/rel/state ok "release binary as root: a root-owned state directory" "$R" unload --dry-run --purge --profile-dir "$T/rel/pd" relapp
	assert "is used" "grep -q 'a copy stays in $T/rel/state' $T/out && ! grep -q ignoring $T/err"
	rm -rf "$W"
fi

finish
