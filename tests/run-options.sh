#!/bin/bash
# The command line refuses what it does not understand (issue 12): exact
# option names, --allow-dangerous items, --set variables, combinations that
# contradict each other, directory options, compressed and binary logs,
# --since as journalctl users write it, the exit codes of the README's table.
set -u
SUITE=options
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
. "$HERE/lib.sh"
A=${AAPROF:-$TOP/build/aaprof}
D=$TOP/tests/data/options
LOG=$D/app.log
export AAPROF_NOW=1700003600 TZ=UTC
cd "$T"

# the message on standard error names this
says() { grep -qF -- "$1" "$T/err"; }

# --- options are written in full: no getopt_long prefix matching
fails 2 "--allow-d is not --allow-dangerous" "$A" harvest -f "$LOG" --no-generalise --allow-d myapp
assert "--allow-d: nothing written, the option named" '[ ! -s $T/out ] && says "'"'--allow-d'"'" && says "--allow-dangerous"'
mkdir -p "$T/pd"
"$A" render -o "$T/pd/myapp" myapp 2>/dev/null
cp "$T/pd/myapp" "$T/myapp.before"
fails 2 "--w is not --write" "$A" harvest -f "$LOG" --no-generalise --profile-dir "$T/pd" --w myapp
assert "--w: the profile is unchanged" 'cmp -s $T/pd/myapp $T/myapp.before && says "--write"'
fails 2 "--allow-d=sys_admin is not --allow-dangerous=" "$A" harvest -f "$LOG" --allow-d=sys_admin myapp
fails 2 "render --temp" "$A" render --temp learning x
fails 2 "render --out FILE" "$A" render --out "$T/x" x
assert "render --out: nothing written" '[ ! -e $T/x ]'
fails 2 "load --dry" "$A" load --dry --profile-dir "$T/pd" myapp
fails 2 "complain --dry" "$A" complain --dry --profile-dir "$T/pd" myapp
fails 2 "enforce --quiet-f" "$A" enforce --quiet-f 1h --profile-dir "$T/pd" myapp
fails 2 "unload --pur" "$A" unload --pur --profile-dir "$T/pd" myapp
fails 2 "status --js" "$A" status --js
fails 2 "a value given to an option that takes none" "$A" harvest -f "$LOG" --write=yes myapp
assert "--write=yes: named" 'says "takes no value"'
fails 2 "a missing value" "$A" harvest -f "$LOG" --since
assert "--since without a value: named" 'says "--since"'
fails 2 "an unknown option with a near one" "$A" harvest --journl
assert "--journl: the nearest option suggested" 'says "--journal"'
ok "exact long options still work" "$A" harvest -q -f "$LOG" --no-generalise --allow-dangerous=sys_admin,mount --format=rules myapp
assert "exact: the rules are there" 'grep -q "capability sys_admin," $T/out'

# --- --allow-dangerous items: capabilities as people write them, kinds, absolute globs
rules() { "$A" harvest -q -f "$LOG" --no-generalise --format rules "$@" myapp; }
fails 2 "--allow-dangerous=sys_admn: unknown" rules --allow-dangerous=sys_admn
assert "sys_admn: nothing written, sys_admin suggested" '[ ! -s $T/out ] && says "'"'sys_admin'"'"'
for spelling in sys_admin SYS_ADMIN CAP_SYS_ADMIN cap_sys_admin; do
	fails 4 "--allow-dangerous=$spelling allows sys_admin (mount still held back)" rules --allow-dangerous=$spelling
	assert "$spelling: capability sys_admin written, mount not" 'grep -qx "capability sys_admin," $T/out && ! grep -q "^mount" $T/out'
done
fails 2 "--allow-dangerous=Sys_Admin: mixed case refused" rules --allow-dangerous=Sys_Admin
fails 2 "--allow-dangerous=MOUNT: kinds are lowercase" rules --allow-dangerous=MOUNT
assert "MOUNT: mount suggested" 'says "'"'mount'"'"'
fails 2 "--allow-dangerous=pivot-root: pivot_root suggested" rules --allow-dangerous=pivot-root
assert "pivot-root: pivot_root suggested" 'says "pivot_root"'
fails 2 "--allow-dangerous=srv/**: a relative glob" rules '--allow-dangerous=srv/**'
fails 2 "--allow-dangerous=/srv/[: a bad glob" rules '--allow-dangerous=/srv/['
fails 2 "--allow-dangerous=: no item" rules --allow-dangerous=
fails 2 "one bad item among good ones" rules --allow-dangerous=mount,sys_admn
ok "--allow-dangerous=mount,sys_admin,/srv/**: all valid" rules '--allow-dangerous=mount,sys_admin,/srv/**'
assert "mount and sys_admin written" 'grep -q "^mount " $T/out && grep -qx "capability sys_admin," $T/out'

# --- --set names a variable the template uses (its includes and defaults too)
fails 2 "render --set deamon_profile=dockerd: no such variable" "$A" render --set deamon_profile=dockerd myapp
assert "deamon_profile: daemon_profile suggested and listed, nothing printed" '[ ! -s $T/out ] && says "did you mean '"'daemon_profile'"'" && says "its variables: daemon_profile"'
ok "render --set daemon_profile=dockerd" "$A" render --set daemon_profile=dockerd myapp
assert "daemon_profile: used" 'grep -q dockerd $T/out'
fails 2 "render -t docker-default --set foo=1" "$A" render -t docker-default --set foo=1 myapp
fails 2 "render -o with an unknown variable writes nothing" "$A" render --set deamon_profile=x -o "$T/typo.profile" myapp
assert "unknown variable: no file" '[ ! -e $T/typo.profile ]'
TD=$D/templates
ok "variables of includes, untaken branches and defaults can be set" \
	"$A" render --template-dir "$TD" -t outer --set peer=p1 --set verbose=1 --set paths+=/srv/a myapp
ok "a variable used only in an untaken branch of an include can be set" \
	"$A" render --template-dir "$TD" -t outer --set verbose=1 myapp
fails 2 "a loop variable is not a template variable" "$A" render --template-dir "$TD" -t outer --set p=x myapp
fails 2 "verbos: verbose suggested" "$A" render --template-dir "$TD" -t outer --set verbos=1 myapp
assert "verbos: the variables listed" 'says "did you mean '"'verbose'"'" && says "its variables: extra, paths, peer, verbose"'
fails 2 "an invalid profile name is a usage error in render too" "$A" render 'my app'
fails 2 "render --mode bogus" "$A" render --mode bogus myapp

# --- render -o compiles before writing
fails 3 "render -o with a missing include: apparmor_parser rejects it" "$A" render -i no-such-abstraction -o "$T/bad.profile" myapp
assert "missing include: nothing written, the parser's reason shown" '[ ! -e $T/bad.profile ] && says "abstractions/no-such-abstraction"'
APPARMOR_PARSER=/nonexistent fails 8 "render -o without apparmor_parser" "$A" render -o "$T/np.profile" myapp
assert "no parser: nothing written, said" '[ ! -e $T/np.profile ] && says "apparmor_parser not found"'
ok "render -o of a good profile" "$A" render -o "$T/good.profile" myapp
assert "render -o: written" 'grep -q "^profile myapp" $T/good.profile'

# --- --journal-file A --journal-file B reads both
JR=/lib/systemd/systemd-journal-remote
[ -x $JR ] || JR=/usr/lib/systemd/systemd-journal-remote
if "$JR" --output="$T/a.journal" - < "$D/a.export" 2>/dev/null &&
   "$JR" --output="$T/b.journal" - < "$D/b.export" 2>/dev/null; then
	ok "two --journal-file" "$A" harvest -q --no-generalise --journal-file "$T/a.journal" --journal-file "$T/b.journal" myapp
	assert "both journal files read" 'grep -q journal-a $T/out && grep -q journal-b $T/out'
	fails 1 "a missing journal file is an error" "$A" harvest -q --journal-file "$T/a.journal" --journal-file "$T/nope.journal" myapp
	assert "the missing journal file named" 'says "nope.journal"'
else
	fail "journal files" "cannot build a journal file: apt-get install systemd-journal-remote"
fi

# --- --diff/--dry-run change nothing: not with --write
for show in --dry-run --diff; do
	cp "$T/myapp.before" "$T/pd/myapp"
	fails 2 "harvest $show --write refused" "$A" harvest -f "$LOG" --no-generalise --allow-dangerous --profile-dir "$T/pd" $show --write myapp
	assert "$show --write: the profile is unchanged, nothing shown" 'cmp -s $T/pd/myapp $T/myapp.before && [ ! -s $T/out ]'
	fails 2 "harvest --write $show refused" "$A" harvest -f "$LOG" --no-generalise --allow-dangerous --profile-dir "$T/pd" --write $show myapp
done
ok "harvest --dry-run alone shows the change" "$A" harvest -f "$LOG" --no-generalise --allow-dangerous --profile-dir "$T/pd" --dry-run myapp
assert "--dry-run: a diff, the file unchanged" 'grep -q "^+.*/srv/data/one" $T/out && cmp -s $T/pd/myapp $T/myapp.before'

# --- directory options name an existing directory
: > "$T/plain-file"
for bad in /nonexistent "$T/plain-file"; do
	fails 2 "harvest --rules-dir $bad" "$A" harvest -f "$LOG" --rules-dir "$bad" myapp
	assert "--rules-dir $bad: named" 'says "--rules-dir" && [ ! -s $T/out ]'
	fails 2 "harvest --profile-dir $bad" "$A" harvest -f "$LOG" --profile-dir "$bad" myapp
	fails 2 "render --template-dir $bad" "$A" render --template-dir "$bad" myapp
	fails 2 "load --profile-dir $bad" "$A" load --dry-run --profile-dir "$bad" myapp
	fails 2 "complain --profile-dir $bad" "$A" complain --dry-run --profile-dir "$bad" myapp
	fails 2 "enforce --profile-dir $bad" "$A" enforce --dry-run --profile-dir "$bad" myapp
	fails 2 "unload --profile-dir $bad" "$A" unload --dry-run --profile-dir "$bad" myapp
	fails 2 "status --profile-dir $bad" "$A" status --profile-dir "$bad"
	assert "status --profile-dir $bad: named" 'says "--profile-dir"'
done

# --- exit codes as the README's table says
APPARMOR_PARSER=/nonexistent fails 8 "harvest into a profile without apparmor_parser" \
	"$A" harvest -f "$LOG" --no-generalise --profile-dir "$T/pd" myapp
assert "no apparmor_parser: said, nothing printed" 'says "apparmor_parser not found" && [ ! -s $T/out ]'
APPARMOR_PARSER=/nonexistent ok "harvest --format rules needs no apparmor_parser" \
	"$A" harvest -q -f "$LOG" --no-generalise --allow-dangerous --format rules myapp
mkdir -p "$T/fs"; echo "myapp (complain)" > "$T/fs/profiles"; chmod 700 "$T/fs"; chmod 600 "$T/fs/profiles"
chmod 755 "$T"
AAPROF_APPARMORFS=$T/fs fails 6 "status as non-root" setpriv --reuid=65534 --regid=65534 --clear-groups "$A" status --profile-dir "$T/pd"
AAPROF_APPARMORFS=$T/fs ok "status as root" "$A" status --profile-dir "$T/pd" myapp
assert "status as root: the mode" 'grep -q "^myapp .*complain" $T/out'
# a template not owned by root (when running as root): 6 in every command
mkdir -p "$T/tpl"; cp "$TOP/templates/"*.tmpl "$T/tpl/"; chown 65534 "$T/tpl/learning.tmpl"
fails 6 "render of a template owned by another user" "$A" render --template-dir "$T/tpl" myapp
fails 6 "load -t of a template owned by another user" "$A" load --dry-run -t "$T/tpl/learning.tmpl" --profile-dir "$T/pd" other
fails 6 "harvest -t of a template owned by another user" "$A" harvest -f "$LOG" -t "$T/tpl/learning.tmpl" --profile-dir "$T/pd" other
for cmd in render harvest load complain enforce unload status; do
	ok "$cmd --help" "$A" $cmd --help
	assert "$cmd --help lists the exit codes" 'grep -q "^Exit status: 0 ok" $T/out'
done

# --- --since as journalctl users write it (now: AAPROF_NOW, 1 h after the records)
for since in "1 hour ago" "-1h" "-61min" today "2023-11-14 22:13:20 UTC" "2023-11-14 22:13:20" "22:13"; do
	ok "--since '$since'" "$A" harvest -q -f "$LOG" --no-generalise --allow-dangerous --since "$since" myapp
	assert "--since '$since': the records are in" 'grep -q /srv/data/one $T/out'
done
for since in "-30min" "30 minutes ago" "2023-11-14 22:13:21 UTC" tomorrow; do
	ok "--since '$since' (after the records)" "$A" harvest -q -f "$LOG" --no-generalise --since "$since" myapp
	assert "--since '$since': no record" '! grep -q /srv/data/one $T/out'
done
ok "--until yesterday: no record" "$A" harvest -q -f "$LOG" --no-generalise --until yesterday myapp
assert "--until yesterday: no record" '! grep -q /srv/data/one $T/out'
fails 2 "--since 'a fortnight ago'" "$A" harvest -q -f "$LOG" --since "a fortnight ago" myapp
assert "a bad --since lists the forms" 'says "2 days ago"'

# --- compressed logs: gzip, xz, .lzma, zstd by their first bytes; the rest refused
# a log long enough to take many reads and blocks (and several decoder calls)
for i in $(seq 1 3000); do
	echo "type=AVC msg=audit(1700000000.$((i % 1000)):$i): apparmor=\"ALLOWED\" operation=\"open\" class=\"file\" profile=\"myapp\" name=\"/srv/many/f$i\" pid=4242 comm=\"myapp\" requested_mask=\"r\" denied_mask=\"r\" fsuid=0 ouid=0"
done > "$T/big.log"
cat "$LOG" >> "$T/big.log"
# the rules only: the sources read (their names) differ
json() ( set -o pipefail; "$A" harvest -q --no-generalise --allow-dangerous --format json "$@" myapp |
	python3 -c 'import json, sys; json.dump(json.load(sys.stdin)["rules"], sys.stdout, indent=1)' )
json -f "$T/big.log" > "$T/plain.json"
assert "the plain log: 3001 rules" '[ "$(grep -c /srv/ $T/plain.json)" -ge 3001 ]'
gzip -c "$T/big.log" > "$T/big.gz"
xz -c "$T/big.log" > "$T/big.log.xz"
xz -c --format=lzma "$T/big.log" > "$T/big.log.lzma"
zstd -q -c "$T/big.log" > "$T/big.log.zst"
cp "$T/big.log.xz" "$T/xz-named.log"           # the name says nothing: the bytes do
cp "$T/big.log.zst" "$T/zst-named.gz"
for f in big.gz big.log.xz big.log.lzma big.log.zst xz-named.log zst-named.gz; do
	ok "-f $f" json -f "$T/$f"
	assert "$f: the same rules as the plain log" 'cmp -s $T/plain.json $T/out'
	ok "-f - < $f" json -f - < "$T/$f"
	assert "$f on standard input: the same rules" 'cmp -s $T/plain.json $T/out'
done
cat "$T/big.log.zst" "$T/big.log.zst" > "$T/two.zst"; cat "$T/big.log.xz" "$T/big.log.xz" > "$T/two.xz"
cat "$T/big.gz" "$T/big.gz" > "$T/two.gz"
"$A" harvest -q --no-generalise --allow-dangerous -f "$T/big.log" myapp > "$T/plain.rules"
for f in two.zst two.xz two.gz; do
	ok "-f $f (two streams one after the other)" "$A" harvest -q --no-generalise --allow-dangerous -f "$T/$f" myapp
	assert "$f: the same rules" 'cmp -s $T/plain.rules $T/out'
	assert "$f: every record of both streams read" '"$A" harvest --no-generalise --allow-dangerous -f "$T/$f" myapp 2>&1 >/dev/null | grep -q "6006 AppArmor records"'
done
for f in big.log.xz big.log.zst big.gz; do
	head -c 2000 "$T/$f" > "$T/cut-$f"
	fails 1 "a truncated $f is an error" json -f "$T/cut-$f"
	assert "truncated $f: said" 'says "truncated"'
done
printf 'not zstd at all, a corrupt frame' | cat <(printf '\x28\xb5\x2f\xfd') - > "$T/bad.zst"
fails 1 "a corrupt zstd file is an error" json -f "$T/bad.zst"
# an lz4 frame: its magic number, then the log (aaprof refuses it by the magic;
# the lz4 tool is not among the packages README's commands install)
bzip2 -c "$LOG" > "$T/log.bz2"; printf '\x04\x22\x4d\x18' | cat - "$LOG" > "$T/log.lz4"; cp /bin/true "$T/prog"
for f in log.bz2:bzip2 log.lz4:lz4 prog:ELF; do
	fails 1 "-f ${f%%:*} is refused" json -f "$T/${f%%:*}"
	assert "${f%%:*}: named as ${f#*:}, nothing printed" 'says "${f#*:}" && [ ! -s $T/out ]'
done
fails 1 "bzip2 on standard input is refused" json -f - < "$T/log.bz2"
# journalctl's serialisations: refused, saying what to do (not read as 0 records)
M='apparmor=\\"DENIED\\" operation=\\"open\\" profile=\\"p\\" name=\\"/x\\" pid=1 comm=\\"c\\" requested_mask=\\"r\\" denied_mask=\\"r\\" fsuid=0 ouid=0'
printf '{"__CURSOR":"s=0a1b;i=1;b=2c;m=3;t=4;x=5","__REALTIME_TIMESTAMP":"1700000000000000","_TRANSPORT":"kernel","MESSAGE":"audit: type=1400 audit(1700000000.000:1): %s"}\n' "$M" > "$T/j.json"
printf '{\n\t"__CURSOR" : "s=0a1b;i=1",\n\t"_TRANSPORT" : "kernel",\n\t"MESSAGE" : "audit: type=1400 %s"\n}\n' "$M" > "$T/jp.json"
printf '\036{"__CURSOR":"s=0a1b;i=1","MESSAGE":"x"}\n' > "$T/js.json"
printf '__CURSOR=s=0a1b;i=1\n__REALTIME_TIMESTAMP=1700000000000000\n_TRANSPORT=kernel\nMESSAGE=audit: type=1400 x\n\n' > "$T/je.txt"
for f in j.json:"-o json" jp.json:"-o json-pretty" js.json:"-o json" je.txt:"-o export"; do
	fails 1 "journalctl ${f#*:} output is refused" json -f "$T/${f%%:*}"
	assert "journalctl ${f#*:}: named, the journal and short-iso suggested" 'says "journalctl ${f#*:} output" && says "--journal-file" && says "short-iso" && [ ! -s $T/out ]'
done
fails 1 "journalctl -o json on standard input is refused" json -f - < "$T/j.json"
printf '{"note":"a JSON log of something else","MESSAGE":"x"}\n' > "$T/other.json"
ok "a JSON line that is not journalctl's is read as text" json -f "$T/other.json"
if [ -e "$T/a.journal" ]; then
	fails 1 "a journal file given to -f is refused" json -f "$T/a.journal"
	assert "journal file: --journal-file suggested" 'says "journal file" && says "--journal-file"'
fi
# rotations compressed with xz and zstd are found and read, oldest first
mkdir -p "$T/root/var/log/audit"
sed -n 1p "$LOG" | xz -c > "$T/root/var/log/audit/audit.log.3.xz"
sed -n 2p "$LOG" | zstd -q -c > "$T/root/var/log/audit/audit.log.2.zst"
sed -n 3p "$LOG" | gzip -c > "$T/root/var/log/audit/audit.log.1.gz"
: > "$T/root/var/log/audit/audit.log"
AAPROF_ROOT=$T/root fails 0 "rotations .xz, .zst, .gz" "$A" harvest --no-generalise --allow-dangerous myapp
assert "rotations: all three records, oldest first" 'grep -q /srv/data/one $T/out && grep -q sys_admin $T/out && grep -q "^mount" $T/out && grep reading $T/err | head -1 | grep -q audit.log.3.xz'
finish
