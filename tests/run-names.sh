#!/bin/bash
# Profile names and file names are different things: Debian's usr.bin.man
# (profiles /usr/bin/man, man_filter, man_groff), a path-named profile in
# usr.sbin.chronyd, and the names real tools use (snap.lxd.daemon,
# incus-web_</var/lib/incus>) through load, complain, enforce, unload,
# status and harvest, each named as a profile, a path-style profile, a
# file of the profile directory or a file path. The kernel side is
# tests/fake-apparmor_parser on a fake apparmorfs; -N and -QK the real parser.
set -u
SUITE=names
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
. "$HERE/lib.sh"
A=${AAPROF:-$TOP/build/aaprof}
fake_kernel

# Debian's own file when this machine has it (its local/ include exists
# there too), else one written like it
if [ -r /etc/apparmor.d/usr.bin.man ] && [ -r /etc/apparmor.d/local/usr.bin.man ]; then
	cp /etc/apparmor.d/usr.bin.man "$PD/usr.bin.man"
else
	cat > "$PD/usr.bin.man" <<'EOF'
#include <tunables/global>

/usr/bin/man {
  #include <abstractions/base>
  /usr/bin/tbl rmCx -> &man_groff,
  /usr/bin/gzip rmCx -> &man_filter,
  /** mrixwlk,
  signal peer=/usr/bin/man//&man_groff,
  signal peer=/usr/bin/man//&man_filter,
  include if exists <local/usr.bin.man>
}

profile man_groff {
  #include <abstractions/base>
  /usr/share/groff/** r,
  signal peer=/usr/bin/man,
}

profile man_filter {
  #include <abstractions/base>
  /** r,
  signal peer=/usr/bin/man,
}
EOF
fi
cat > "$PD/usr.sbin.chronyd" <<'EOF'
#include <tunables/global>

/usr/sbin/chronyd {
  #include <abstractions/base>
  /etc/chrony/** r,

  ^helper {
    /usr/lib/chrony/helper r,
  }
}
EOF
cat > "$PD/snap.lxd.daemon" <<'EOF'
profile snap.lxd.daemon {
  /snap/lxd/** r,
}
EOF
mkdir -p "$T/incus"
cat > "$T/incus/incus-web" <<'EOF'
profile "incus-web_</var/lib/incus>" flags=(attach_disconnected) {
  /etc/hostname r,
}
EOF
MAN="/usr/bin/man, man_filter and man_groff"
modes() { printf '%s %s %s' "$(kernel /usr/bin/man)" "$(kernel man_filter)" "$(kernel man_groff)"; }
flags() { grep -c '^[^#]*flags=(complain)' "$PD/usr.bin.man"; }

# --- a file of several profiles, named by its file name
ok "complain usr.bin.man" "$A" complain --profile-dir "$PD" usr.bin.man
assert "every profile of the file is in complain mode, in the kernel" "[ \"\$(modes)\" = 'complain complain complain' ]"
assert "and in the file, all three headers" "[ \$(flags) = 3 ]"
assert "the message names the profiles and the file" "grep -qF \"loaded $MAN from $PD/usr.bin.man: the kernel reports complain mode\" $T/err"
ok "status usr.bin.man" "$A" status --profile-dir "$PD" usr.bin.man
assert "status: a row per profile, loaded, with the file" "[ \$(grep -Ec '^(/usr/bin/man|man_filter|man_groff) +complain +complain +0 +$PD/usr.bin.man\$' $T/out) = 3 ]"
ok "status --json of a profile of the file" "$A" status --json --profile-dir "$PD" man_groff
assert "status --json: the three profiles of its file" "python3 -c 'import json; d=json.load(open(\"$T/out\")); assert sorted(x[\"profile\"] for x in d)==[\"/usr/bin/man\",\"man_filter\",\"man_groff\"] and all(x[\"loaded\"] and x[\"file\"]==\"$PD/usr.bin.man\" for x in d)'"

# --- named by a path-style profile name, by another of its profiles, by its path
ok "enforce /usr/bin/man" "$A" enforce --profile-dir "$PD" /usr/bin/man
assert "enforce: all three in enforce mode" "[ \"\$(modes)\" = 'enforce enforce enforce' ] && [ \$(flags) = 0 ]"
ok "complain man_filter (a profile of the file that is not its first)" "$A" complain --profile-dir "$PD" man_filter
assert "the whole file switched" "[ \"\$(modes)\" = 'complain complain complain' ]"
ok "enforce $PD/usr.bin.man (the file's path)" "$A" enforce --profile-dir "$PD" "$PD/usr.bin.man"
assert "the whole file switched back" "[ \"\$(modes)\" = 'enforce enforce enforce' ]"
fails 1 "complain man: no such profile, exit 1" "$A" complain --profile-dir "$PD" man
assert "it says no file defines it" "grep -qF \"no file in $PD defines the profile 'man'\" $T/err"

# --- unload removes every profile of the file
ok "unload usr.bin.man" "$A" unload --profile-dir "$PD" usr.bin.man
assert "unload: none of the three is loaded" "[ \"\$(modes)\" = '  ' ]"
assert "unload: the message names them and the file" "grep -qF 'unloaded /usr/bin/man, man_filter, man_groff ($PD/usr.bin.man)' $T/err"
assert "unload: the file's one disable/ link, named after the file (apparmor-utils)" "[ \"\$(ls $PD/disable)\" = usr.bin.man ] && [ -L $PD/disable/usr.bin.man ]"
ok "unload again" "$A" unload --profile-dir "$PD" /usr/bin/man
assert "it says they were not loaded" "grep -qF \"/usr/bin/man, man_filter and man_groff were not loaded ($PD/usr.bin.man)\" $T/err"
ok "status after unload" "$A" status --profile-dir "$PD" usr.bin.man
assert "status: not loaded" "[ \$(grep -c 'not-loaded' $T/out) = 3 ]"
ok "load $PD/usr.bin.man --complain (the file's path)" "$A" load --profile-dir "$PD" --complain "$PD/usr.bin.man"
assert "loaded in place, all three complain" "[ \"\$(modes)\" = 'complain complain complain' ] && [ \$(ls $PD | grep -vx disable | wc -l) = 3 ]"
assert "the load removed the file's disable/ link" "[ ! -e $PD/disable/usr.bin.man ] && grep -qF 'removed $PD/disable/usr.bin.man' $T/err"

# --- a path-named profile with a hat
ok "load /usr/sbin/chronyd" "$A" load --profile-dir "$PD" --complain /usr/sbin/chronyd
assert "the profile and its hat in complain mode" "[ \"\$(kernel /usr/sbin/chronyd)\" = complain ] && [ \"\$(kernel /usr/sbin/chronyd//helper)\" = complain ]"
assert "the hat's own header has the flag (hats do not inherit it)" "grep -q '\\^helper flags=(complain)' $PD/usr.sbin.chronyd"
ok "status /usr/sbin/chronyd" "$A" status --profile-dir "$PD" /usr/sbin/chronyd
assert "status names the file" "grep -Eq '^/usr/sbin/chronyd +complain +complain +0 +$PD/usr.sbin.chronyd\$' $T/out"
ok "enforce usr.sbin.chronyd" "$A" enforce --profile-dir "$PD" usr.sbin.chronyd
assert "enforced, hat too" "[ \"\$(kernel /usr/sbin/chronyd)\" = enforce ] && [ \"\$(kernel /usr/sbin/chronyd//helper)\" = enforce ]"
# a FILE from elsewhere defining a path-named profile: installed as apparmor-utils names it
printf '/usr/sbin/ntpd {\n  /etc/ntp.conf r,\n}\n' > "$T/ntpd.profile"
ok "load FILE of a path-named profile" "$A" load --profile-dir "$PD" "$T/ntpd.profile"
assert "installed as usr.sbin.ntpd and loaded" "[ -f $PD/usr.sbin.ntpd ] && [ \"\$(kernel /usr/sbin/ntpd)\" = enforce ]"

# --- harvest into path-named profiles, in every form
rec() { printf 'type=AVC msg=audit(1700000000.%03d:%d): apparmor="ALLOWED" operation="open" profile="%s" name="%s" pid=1 comm="x" requested_mask="r" denied_mask="r" fsuid=0 ouid=0\n' "$3" "$3" "$1" "$2"; }
# (records of a hat the file defines are left out: merging them is another
# matter, refused by apparmor_parser as a second definition of the hat)
rec /usr/sbin/chronyd /srv/chrony/one 1 > "$T/chrony.log"
ok "harvest --format profile /usr/sbin/chronyd" "$A" harvest --no-generalise --profile-dir "$PD" -f "$T/chrony.log" --format profile /usr/sbin/chronyd
assert "the merged profile has the rule" "grep -q '/srv/chrony/one r,' $T/out"
cp "$PD/usr.sbin.chronyd" "$T/chrony.copy"
ok "harvest --profile FILE /usr/sbin/chronyd --write" "$A" harvest --no-generalise -f "$T/chrony.log" --profile "$T/chrony.copy" --write /usr/sbin/chronyd
assert "the file given was written" "grep -q '/srv/chrony/one r,' $T/chrony.copy"
fails 1 "--profile FILE that does not define the profile: exit 1" "$A" harvest -f "$T/chrony.log" --profile "$T/chrony.copy" --write /usr/sbin/other
ok "harvest --write /usr/sbin/chronyd" "$A" harvest --no-generalise --profile-dir "$PD" -f "$T/chrony.log" --write /usr/sbin/chronyd
assert "written into usr.sbin.chronyd" "grep -q '/srv/chrony/one r,' $PD/usr.sbin.chronyd"
rec /usr/sbin/chronyd /srv/chrony/two 2 >> "$T/chrony.log"
ok "harvest --write usr.sbin.chronyd (the file named)" "$A" harvest --no-generalise --profile-dir "$PD" -f "$T/chrony.log" --write usr.sbin.chronyd
assert "the records of the profile it defines, not of the file name" "grep -q '/srv/chrony/two r,' $PD/usr.sbin.chronyd && grep -q ' 1 record used' $T/err"
ok "the harvested file loads" "$A" load --profile-dir "$PD" /usr/sbin/chronyd

# --- harvest naming a multi-profile file: the section is the main profile's
{ printf 'type=AVC msg=audit(1700000000.001:1): apparmor="ALLOWED" operation="capable" profile="/usr/bin/man" pid=1 comm="man" capability=0  capname="chown"\n'
  printf 'type=AVC msg=audit(1700000000.002:2): apparmor="ALLOWED" operation="capable" profile="man_groff" pid=2 comm="groff" capability=3  capname="fowner"\n'; } > "$T/man.log"
fails 4 "harvest --write usr.bin.man: another profile's rules held back, exit 4" "$A" harvest --no-generalise --profile-dir "$PD" -f "$T/man.log" --write usr.bin.man
assert "the main profile's rule written" "grep -q 'capability chown,' $PD/usr.bin.man && ! grep -q 'fowner' $PD/usr.bin.man"
assert "man_groff's named as held back" "grep -q \"the rules of 'man_groff'.*held back\" $T/err"
fails 1 "harvest --write man_groff: the section is /usr/bin/man's, exit 1" "$A" harvest --no-generalise --profile-dir "$PD" -f "$T/man.log" --write man_groff
assert "it says whose section it is" "grep -qF \"is in the profile '/usr/bin/man', not 'man_groff'\" $T/err"
ok "harvest --format rules usr.bin.man: the rules of each profile" "$A" harvest --no-generalise --profile-dir "$PD" -f "$T/man.log" --format rules usr.bin.man
assert "a block per profile" "grep -q '^profile man_groff {' $T/out && grep -q 'capability fowner,' $T/out"

# --- the names real tools use
rec snap.lxd.daemon /srv/lxd/x 1 > "$T/snap.log"
ok "harvest --write snap.lxd.daemon" "$A" harvest --no-generalise --profile-dir "$PD" -f "$T/snap.log" --write snap.lxd.daemon
assert "written" "grep -q '/srv/lxd/x r,' $PD/snap.lxd.daemon"
rec 'incus-web_</var/lib/incus>' /srv/incus/x 1 > "$T/incus.log"
ok "harvest --profile FILE 'incus-web_</var/lib/incus>' --write" "$A" harvest --no-generalise -f "$T/incus.log" --profile "$T/incus/incus-web" --write 'incus-web_</var/lib/incus>'
assert "written, and apparmor_parser reads the result" "grep -q '/srv/incus/x r,' $T/incus/incus-web && apparmor_parser -QK $T/incus/incus-web 2>/dev/null"
ok "harvest --format rules 'incus-web_</var/lib/incus>'" "$A" harvest --no-generalise --profile-dir "$PD" -f "$T/incus.log" --format rules 'incus-web_</var/lib/incus>'
assert "the rule" "grep -q '/srv/incus/x r,' $T/out"

# --- the search: a profile found through the directory is cached, but not
# what a run without apparmor_parser could not read
rm -rf "$T/state/names"
APPARMOR_PARSER=$T/nosuch "$A" status --profile-dir "$PD" man_filter >/dev/null 2>&1
assert "without apparmor_parser nothing is cached as profile-less" "! grep -qs '	!\$' $T/state/names/*"
ok "status man_filter finds its file" "$A" status --profile-dir "$PD" man_filter
assert "the cache of the directory's files holds usr.bin.man's profiles" "grep -q \"^usr.bin.man	.*	man_filter\" $T/state/names/*"
fails 2 "a name with a control character: exit 2" "$A" complain --profile-dir "$PD" "$(printf 'a\tb')"

# --- apparmor-utils' links, the backups and the harvested section are the
# file's, whichever of its profiles is named
mkdir -p "$PD/force-complain"
ok "enforce usr.bin.man" "$A" enforce --profile-dir "$PD" usr.bin.man
ln -s "$PD/usr.bin.man" "$PD/force-complain/usr.bin.man"
ok "load man_filter with the file's force-complain/ link: all three complain, as expected" "$A" load --profile-dir "$PD" man_filter
assert "every profile in complain mode, and the link named" "[ \"\$(modes)\" = 'complain complain complain' ] && grep -qF \"$PD/force-complain/usr.bin.man is aa-complain's mark\" $T/err"
assert "the note names the profiles held in complain mode as a list, in the plural" "grep -qF \"mark: \$MAN stay in complain mode\" $T/err"
ok "enforce man_groff removes usr.bin.man's force-complain/ link" "$A" enforce --profile-dir "$PD" man_groff
assert "the link is gone, said, and all three enforce" "[ ! -e $PD/force-complain/usr.bin.man ] && grep -qF 'removed $PD/force-complain/usr.bin.man' $T/err && [ \"\$(modes)\" = 'enforce enforce enforce' ]"
ok "complain --force-complain /usr/bin/man" "$A" complain --profile-dir "$PD" --force-complain /usr/bin/man
assert "the link is the file's, and only it" "[ \"\$(ls $PD/force-complain)\" = usr.bin.man ] && [ \"\$(modes)\" = 'complain complain complain' ]"
ok "enforce /usr/bin/man" "$A" enforce --profile-dir "$PD" /usr/bin/man
ok "load --rollback --list man_groff: the file's versions" "$A" load --profile-dir "$PD" --rollback --list man_groff
assert "listed, the newest complain" "grep -Eq '^ 1  .*complain' $T/out"
ok "load --rollback man_filter: the file's previous version" "$A" load --profile-dir "$PD" --rollback man_filter
assert "usr.bin.man rolled back, all three of its profiles complain" "grep -qF 'rolling usr.bin.man back to version 1' $T/err && [ \"\$(modes)\" = 'complain complain complain' ]"
sed '/BEGIN aaprof harvested/,/END aaprof harvested/d' "$PD/usr.bin.man" > "$T/man.new"
ok "load FILE over usr.bin.man without its harvested section" "$A" load --profile-dir "$PD" "$T/man.new"
assert "the section carried over, into /usr/bin/man's block" "grep -q 'keeping the 1 harvested rule' $T/err && awk '/capability chown,/ { c = NR } /^profile man_groff/ { g = NR } END { exit !(c && c < g) }' $PD/usr.bin.man"
assert "and every profile loaded" "[ \"\$(modes)\" = 'complain complain complain' ]"

finish
