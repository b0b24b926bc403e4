#!/bin/bash
# Build the Debian package from a clean copy of the tree, check it with
# lintian, install it with apt, use the installed aaprof (render compiled by
# apparmor_parser, a harvest of a bundled log, the autopkgtest smoke test),
# then purge it. Installing needs root (sudo is used when not root).
set -u
SUITE=deb
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
. "$HERE/lib.sh"
SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
VERSION=$(dpkg-parsechangelog -l "$TOP/debian/changelog" -S Version)

# a clean copy: what git tracks (or the whole tree outside a checkout)
mkdir -p "$T/src"
if git -C "$TOP" rev-parse --git-dir >/dev/null 2>&1; then
	(cd "$TOP" && git ls-files -z | xargs -0 cp --parents -t "$T/src")
else
	(cd "$TOP" && tar --exclude=./build --exclude=./build-san -cf - .) | tar -C "$T/src" -xf -
fi
ok "dpkg-buildpackage -us -uc -b" sh -c "cd '$T/src' && dpkg-buildpackage -us -uc -b"
[ $FAIL -eq 0 ] || { tail -n 30 "$T/out" "$T/err" >&2; finish; exit 1; }
DEB=$(ls "$T"/aaprof_*.deb)
assert "the package is named aaprof_${VERSION}_<arch>.deb" "[ \"\$(basename $DEB)\" = aaprof_${VERSION}_$(dpkg --print-architecture).deb ]"
ok "lintian: no errors, no warnings" lintian --fail-on error,warning "$T"/aaprof_*.changes
[ -s "$T/out" ] && sed 's/^/  lintian: /' "$T/out"
dpkg-deb -c "$DEB" > "$T/contents"
for f in ./usr/sbin/aaprof ./usr/share/aaprof/templates/learning.tmpl ./usr/share/aaprof/templates/docker-default.tmpl \
	 ./usr/share/aaprof/rules/generalise.rules ./usr/share/man/man8/aaprof.8.gz \
	 ./usr/share/bash-completion/completions/aaprof ./usr/share/doc/aaprof/README.md.gz \
	 ./usr/share/doc/aaprof/changelog.gz ./etc/aaprof/templates/ ./etc/aaprof/rules/; do
	assert "the package holds $f" "grep -q ' $f\$' $T/contents"
done
for f in aaprof-harvest@.service aaprof-harvest@.timer; do
	assert "the package holds the unit $f" "grep -Eq ' ./(usr/)?lib/systemd/system/$f\$' $T/contents"
done
assert "the units are not enabled or started by the maintainer scripts" "! dpkg-deb --ctrl-tarfile $DEB | tar -xO ./postinst 2>/dev/null | grep -Eq 'enable|start' || ! dpkg-deb --ctrl-tarfile $DEB | tar -xO ./postinst | grep -q 'aaprof-harvest'"
assert "/usr/bin/aaprof: a link to /usr/sbin/aaprof, for existing scripts" "grep -q ' ./usr/bin/aaprof -> ../sbin/aaprof\$' $T/contents"
assert "aaprof(1): a link to aaprof(8)" "grep -q ' ./usr/share/man/man1/aaprof.1.gz -> ../man8/aaprof.8.gz\$' $T/contents"
dpkg-deb -f "$DEB" Depends > "$T/depends"
assert "Depends: apparmor and the shared libraries" "grep -q 'apparmor' $T/depends && grep -q 'libapparmor1' $T/depends && grep -q 'libpcre2-8-0' $T/depends"

ok "apt-get install ./aaprof_*.deb" sh -c "cd '$T' && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y ./$(basename "$DEB")"
ok "installed aaprof --version" /usr/sbin/aaprof --version
assert "the installed version is the package's" "[ \"\$(cat $T/out)\" = 'aaprof ${VERSION%-*}' ]"
ok "installed: render finds the templates in /usr/share" sh -c "cd / && /usr/sbin/aaprof render -o '$T/pkg-app' pkg-app"
ok "installed: the rendered profile compiles" apparmor_parser -QK "$T/pkg-app"
# the bundled log is e2e-app's: --profile FILE must define the profile named
ok "installed: render the bundled log's profile" sh -c "cd / && /usr/sbin/aaprof render -o '$T/e2e-app' e2e-app"
ok "installed: harvest a bundled log into it" env AAPROF_STATE_DIR="$T/state" /usr/sbin/aaprof harvest \
	-f "$TOP/tests/data/e2e-complain.log" --profile "$T/e2e-app" --write e2e-app
ok "installed: the harvested profile compiles" apparmor_parser -QK "$T/e2e-app"
assert "installed: the harvested section holds rules" "grep -q '^  /' $T/e2e-app"
# the installed binary is the release build: the test-only environment cannot steer it
mkdir -p "$T/evil" "$T/fakefs" && : > "$T/fakefs/profiles"
printf '#!/bin/sh\ntouch "%s/evil-ran"\n' "$T" > "$T/evil/apparmor_parser" && chmod 755 "$T/evil/apparmor_parser"
env APPARMOR_PARSER="$T/evil/apparmor_parser" PATH="$T/evil:$PATH" /usr/sbin/aaprof load --dry-run --profile-dir "$T" pkg-app > "$T/out" 2>&1
assert "installed: APPARMOR_PARSER and PATH do not choose the parser" "[ ! -e $T/evil-ran ]"
[ -e /sys/kernel/security/apparmor/profiles ] ||
	AAPROF_APPARMORFS="$T/fakefs" fails 5 "installed: AAPROF_APPARMORFS is ignored (no AppArmor here)" /usr/sbin/aaprof status
assert "installed: generalisation rules from /usr/share/aaprof/rules" "grep -q 'generalise.rules' <(/usr/sbin/aaprof harvest -q -f $TOP/tests/data/harvest/generalise.log --format json myapp)"
ok "installed: the man page renders" sh -c "MANPAGER=cat man -P cat 8 aaprof | grep -q 'EXIT STATUS'"
assert "installed: the man page's footer names the version" "MANPAGER=cat man -P cat 8 aaprof 2>/dev/null | tail -n 2 | grep -q 'aaprof ${VERSION%-*}'"
U=$(ls -d /lib/systemd/system/aaprof-harvest@.service /usr/lib/systemd/system/aaprof-harvest@.service 2>/dev/null | head -1)
mkdir -p "$T/units" && cp "$U" "$T/units/aaprof-harvest@web.service" && cp "${U%.service}.timer" "$T/units/aaprof-harvest@web.timer"
ok "installed: systemd-analyze verify of the harvest units" systemd-analyze verify "$T/units/aaprof-harvest@web.service" "$T/units/aaprof-harvest@web.timer"
assert "installed: the timer is not enabled" "! systemctl is-enabled aaprof-harvest@web.timer >/dev/null 2>&1"
# the unit's command, as the unit runs it, on a bundled log
ok "installed: the unit's harvest command runs" env AAPROF_STATE_DIR="$T/state" /usr/sbin/aaprof harvest --since last --format json --quiet -f "$TOP/tests/data/e2e-complain.log" e2e-app
assert "installed: it wrote JSON and a cursor" "head -c1 $T/out | grep -q '[{[]' && ls $T/state/cursor/e2e-app"
ok "installed: /usr/bin/aaprof still runs it" /usr/bin/aaprof --version
ok "autopkgtest smoke (debian/tests/smoke)" env AUTOPKGTEST_TMP="$T/smoke" sh -c "mkdir -p '$T/smoke' && '$TOP/debian/tests/smoke'"
ok "apt-get purge aaprof" $SUDO env DEBIAN_FRONTEND=noninteractive apt-get purge -y aaprof
assert "purged: no binary, no state" "[ ! -e /usr/sbin/aaprof ] && [ ! -L /usr/bin/aaprof ] && [ ! -e /var/lib/aaprof ]"
finish
