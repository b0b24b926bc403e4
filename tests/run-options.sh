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
finish
