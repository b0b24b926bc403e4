#!/bin/bash
# aaprof package: a profile as aaprof-profile-NAME_V_all.deb. Built with
# dpkg-deb, lintian clean, the profile a conffile in /etc/apparmor.d, its
# mode, maintainer scripts as dh_apparmor's, refusals (a profile the parser
# rejects, names and versions Debian refuses). With AAPROF_TEST_INSTALL=1
# (make check-package) also apt-get install on this host (no AppArmor in
# its kernel: the postinst must take its skip path) and purge.
set -u
SUITE=package
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
. "$HERE/lib.sh"
A=${AAPROF:-$TOP/build/aaprof}
SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
export TZ=UTC AAPROF_STATE_DIR=$T/state
NAME=aaprof-pkgtest
PD=$T/apparmor.d
mkdir -p "$PD" "$T/debs"
M='Fleet Ops <ops@example.org>'

ok "render a profile" "$A" render -o "$PD/$NAME" "$NAME"
ok "package it" "$A" package --profile-dir "$PD" -o "$T/debs" --maintainer "$M" --version 1.2 --mode complain "$NAME"
DEB=$T/debs/aaprof-profile-${NAME}_1.2_all.deb
assert "the package is aaprof-profile-NAME_V_all.deb, its path printed" "[ -f $DEB ] && grep -qx '$DEB' $T/out"
assert "no temporary tree or file is left" "[ \$(ls -A $T/debs | wc -l) = 1 ]"
ok "lintian: no errors, no warnings" lintian --fail-on error,warning "$DEB"
[ -s "$T/out" ] && sed 's/^/  lintian: /' "$T/out"

dpkg-deb -c "$DEB" > "$T/contents"
assert "contents: the profile in /etc/apparmor.d, root-owned, 0644" "grep -q '^-rw-r--r-- root/root .* ./etc/apparmor.d/$NAME\$' $T/contents"
assert "contents: copyright and changelog" "grep -q './usr/share/doc/aaprof-profile-$NAME/copyright\$' $T/contents && grep -q 'changelog.gz\$' $T/contents"
dpkg-deb -I "$DEB" > "$T/info"
assert "control: Depends: apparmor, Architecture: all, the maintainer" "grep -q '^ Depends: apparmor\$' $T/info && grep -q '^ Architecture: all\$' $T/info && grep -q '^ Maintainer: $M\$' $T/info"
assert "control: the profile is a conffile" "[ \"\$(dpkg-deb --ctrl-tarfile $DEB | tar -xO ./conffiles)\" = /etc/apparmor.d/$NAME ]"
dpkg-deb --fsys-tarfile "$DEB" | tar -xO "./etc/apparmor.d/$NAME" > "$T/installed"
assert "--mode complain: the packaged profile is in complain mode" "grep -q '^profile $NAME flags=([^)]*complain' $T/installed"
ok "the packaged profile compiles" apparmor_parser -QK "$T/installed"
dpkg-deb --ctrl-tarfile "$DEB" | tar -xO ./postinst > "$T/postinst"
assert "postinst: loads with apparmor_parser -r when aa-enabled" "grep -q 'aa-enabled --quiet' $T/postinst && grep -q 'apparmor_parser -r -T -W /etc/apparmor.d/$NAME\$' $T/postinst"
assert "prerm: unloads on remove; postrm: cleans up on purge" "dpkg-deb --ctrl-tarfile $DEB | tar -xO ./prerm | grep -q 'apparmor_parser -R' && dpkg-deb --ctrl-tarfile $DEB | tar -xO ./postrm | grep -q 'force-complain/$NAME'"

ok "--mode enforce" "$A" package --profile-dir "$PD" -o "$T/debs" --maintainer "$M" --version 1.3 --mode enforce "$NAME"
assert "--mode enforce: no complain flag" "! dpkg-deb --fsys-tarfile $T/debs/aaprof-profile-${NAME}_1.3_all.deb | tar -xO ./etc/apparmor.d/$NAME | grep -q '^profile.*complain'"
touch -d '2026-01-02 03:04:05 UTC' "$PD/$NAME"
ok "default version" "$A" package --profile-dir "$PD" -o "$T/debs" --maintainer "$M" "$NAME"
assert "default version: the file's modification time" "[ -f $T/debs/aaprof-profile-${NAME}_20260102.030405_all.deb ]"

# refusals
# (conflicting exec modes: apparmor_parser -N reads it, only compiling rejects it)
mkdir -p "$T/bad"; printf 'profile %s {\n  /t/x Px,\n  /t/x ix,\n}\n' "$NAME" > "$T/bad/$NAME"
n0=$(ls "$T/debs" | wc -l)
fails 3 "a profile apparmor_parser rejects is not packaged" "$A" package --profile-dir "$T/bad" -o "$T/debs" --maintainer "$M" "$NAME"
assert "rejected: nothing written" "[ \$(ls -A $T/debs | wc -l) = $n0 ]"
mkdir -p "$T/upper" && "$A" render -o "$T/upper/MyApp" MyApp 2>/dev/null
fails 2 "a name Debian refuses (upper case)" "$A" package --profile-dir "$T/upper" -o "$T/debs" --maintainer "$M" MyApp
fails 2 "a version Debian refuses" "$A" package --profile-dir "$PD" -o "$T/debs" --version 'a b' "$NAME"
fails 2 "a version with a revision" "$A" package --profile-dir "$PD" -o "$T/debs" --version '1-2' "$NAME"
fails 2 "a mode other than complain or enforce" "$A" package --profile-dir "$PD" --mode unconfined "$NAME"
fails 2 "a maintainer without an address" "$A" package --profile-dir "$PD" --maintainer 'nobody' "$NAME"
fails 2 "no name" "$A" package --profile-dir "$PD"

# --- install on this host with apt, then purge (make check-package)
if [ "${AAPROF_TEST_INSTALL:-}" = 1 ]; then
	if dpkg -s "aaprof-profile-$NAME" >/dev/null 2>&1 || [ -e "/etc/apparmor.d/$NAME" ]; then
		fail "install" "aaprof-profile-$NAME or /etc/apparmor.d/$NAME already on this host: not touching it"
	else
		APT="$SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300"
		ok "apt-get install ./aaprof-profile-*.deb" sh -c "cd '$T/debs' && $APT install -y ./$(basename "$DEB")"
		cat "$T/out" "$T/err" > "$T/apt.log"
		assert "installed: the profile is in /etc/apparmor.d" "cmp -s /etc/apparmor.d/$NAME $T/installed"
		if aa-enabled --quiet 2>/dev/null; then
			assert "installed: the profile is loaded" "grep -q '^$NAME ' /sys/kernel/security/apparmor/profiles"
		else
			assert "installed: AppArmor is off here: postinst said so and succeeded" "grep -q 'AppArmor is not enabled' $T/apt.log && dpkg -s aaprof-profile-$NAME | grep -q '^Status: install ok installed'"
		fi
		ok "apt-get purge" $APT purge -y "aaprof-profile-$NAME"
		assert "purged: the profile file is gone" "[ ! -e /etc/apparmor.d/$NAME ] && ! dpkg -s aaprof-profile-$NAME 2>/dev/null | grep -q '^Status: install'"
	fi
else
	echo "package: apt-get install/purge not run (make check-package runs it)"
fi
finish
