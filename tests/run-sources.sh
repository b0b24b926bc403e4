#!/bin/bash
# Where harvest reads by default: the first of audit.log, the journal and
# kern.log/syslog that holds AppArmor records (in the window), falling back
# and saying so when one holds none, and warning with the likely causes when
# none does. Each host is a fake root (AAPROF_ROOT); explicit sources are
# read as named; --sources lists what was read.
set -u
SUITE=sources
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
. "$HERE/lib.sh"
A=${AAPROF:-$TOP/build/aaprof}
D=$TOP/tests/data/harvest
export TZ=UTC AAPROF_NOW=1763800000 AAPROF_STATE_DIR=$T/state   # 2025-11-22T08:26:40Z
JR=/lib/systemd/systemd-journal-remote
[ -x $JR ] || JR=/usr/lib/systemd/systemd-journal-remote
MID=0123456789abcdef0123456789abcdef

# host NAME: an empty fake root with AppArmor enabled and printk unlimited
host() {
	local r=$T/$1
	mkdir -p "$r/var/log" "$r/sys/module/apparmor/parameters" "$r/proc/sys/kernel" "$r/run"
	echo Y > "$r/sys/module/apparmor/parameters/enabled"
	echo 0 > "$r/proc/sys/kernel/printk_ratelimit"
	echo "$r"
}
harvest() { local r=$1; shift; AAPROF_ROOT=$r "$A" harvest --no-generalise "$@"; }

# --- an empty journal (journald runs, rsyslog holds the records): fall back to kern.log
R=$(host empty-journal)
mkdir -p "$R/var/log/journal/$MID"
cp "$D/formats.log" "$R/var/log/kern.log"
ok "an empty journal: harvest falls back to kern.log" harvest "$R" --sources myapp
assert "the rules come from kern.log" "grep -q '/srv/rfc3339 r,' $T/out"
assert "it says the journal held nothing and what it tries next" "grep -q 'the journal held no AppArmor record: trying $R/var/log/kern.log' $T/err"
assert "--sources lists both, with their counts" "grep -q '^  the journal: 0 lines, 0 AppArmor records' $T/err && grep -Eq '^  $R/var/log/kern.log: [0-9]+ lines, [1-9][0-9]* AppArmor records' $T/err"
assert "no warning: kern.log held records" "! grep -q 'warning: no AppArmor record' $T/err"

# --- the journal holds the records (no audit.log): it is read, kern.log is not
if "$JR" --output="$R/var/log/journal/$MID/system.journal" - < "$D/journal.export" 2>/dev/null; then
	ok "a journal with records is read" harvest "$R" --sources myapp
	assert "the journal's rules, not kern.log's" "grep -q journal-kernel $T/out && ! grep -q rfc3339 $T/out && ! grep -q 'kern.log' $T/err"
else
	fail "journal" "cannot build a journal file: apt-get install systemd-journal-remote"
fi

# --- auditd owns the records: audit.log is read first
R=$(host auditd)
mkdir -p "$R/var/log/audit" "$R/var/log/journal/$MID"
cp "$D/classes.log" "$R/var/log/audit/audit.log"
chmod 600 "$R/var/log/audit/audit.log"
echo $$ > "$R/run/auditd.pid"    # a live process
printf 'Nov 22 08:00:00 host kernel: [  1.0] usb 1-1: new device\n' > "$R/var/log/kern.log"

fails 4 "auditd: audit.log is read (exit 4: dangerous rules held back)" harvest "$R" --sources myapp
assert "audit.log's rules" "grep -q '/etc/myapp/config.yml r,' $T/out && grep -q '^  $R/var/log/audit/audit.log: 25 lines, 22 AppArmor records' $T/err"
assert "nothing else was read" "! grep -q 'journal\\|kern.log' $T/err"

# --- ... and a user who cannot read it is told why there is nothing
chmod 755 "$T"
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
if nobody true 2>/dev/null; then
	ok "not root, auditd owns the records: no rules, exit 0" nobody env AAPROF_ROOT="$R" "$A" harvest --no-generalise --sources myapp
	assert "nothing harvested" "[ ! -s $T/out ]"
	assert "it says it could not read audit.log" "grep -q 'cannot read $R/var/log/audit/audit.log: Permission denied' $T/err"
	assert "a warning: no AppArmor record" "grep -q 'warning: no AppArmor record in the default sources read' $T/err"
	assert "the likely causes: auditd, not root" "grep -q 'auditd runs: the kernel hands it the AppArmor records' $T/err && grep -q 'not running as root (uid 65534)' $T/err"
	assert "the sources listed: audit.log not read, the journal and kern.log empty" "grep -q '$R/var/log/audit/audit.log: not read: Permission denied' $T/err && grep -q 'kern.log: 1 line, 0 AppArmor records' $T/err"
else
	fail "setpriv" "cannot run as nobody: the permission checks were not run"
fi

# --- a stale audit.log (auditd gone): its records are older than the window, kern.log has them
R=$(host stale-audit)
mkdir -p "$R/var/log/audit"
cp "$D/classes.log" "$R/var/log/audit/audit.log"   # 2023
cp "$D/formats.log" "$R/var/log/kern.log"          # 2025-11-22 08:00
ok "audit.log without records in the window: kern.log" harvest "$R" --since 1h myapp
assert "kern.log's rules" "grep -q '/srv/rfc3339 r,' $T/out && ! grep -q config.yml $T/out"
assert "it says why it moved on" "grep -q 'audit/audit.log held no AppArmor record in the window: trying $R/var/log/kern.log' $T/err"
fails 4 "without a window, audit.log's old records are the harvest" harvest "$R" -q myapp
assert "audit.log's rules" "grep -q config.yml $T/out"

# --- kern.log only (rsyslog, no journal, no auditd)
R=$(host kernlog)
cp "$D/formats.log" "$R/var/log/kern.log"
ok "kern.log only" harvest "$R" --sources myapp
assert "read and listed" "grep -q '/srv/rfc3339 r,' $T/out && grep -Eq '^  $R/var/log/kern.log: [0-9]+ lines' $T/err"
R=$(host syslog)
cp "$D/formats.log" "$R/var/log/syslog"
ok "syslog when there is no kern.log" harvest "$R" myapp
assert "syslog read" "grep -q '/srv/rfc3339 r,' $T/out && grep -q 'reading $R/var/log/syslog' $T/err"

# --- nothing anywhere: a warning that names the likely causes
R=$(host nothing)
mkdir -p "$R/var/log/journal"
: > "$R/var/log/kern.log"
echo N > "$R/sys/module/apparmor/parameters/enabled"
echo 5 > "$R/proc/sys/kernel/printk_ratelimit"
ok "no AppArmor record anywhere: exit 0" harvest "$R" myapp
assert "a warning, even so" "grep -q 'warning: no AppArmor record in the default sources read' $T/err"
assert "it lists what was read" "grep -q '  the journal: 0 lines' $T/err && grep -q 'kern.log: 0 lines' $T/err"
assert "the likely causes: AppArmor off, printk rate limit" "grep -q 'AppArmor is not enabled in this kernel' $T/err && grep -q 'kernel.printk_ratelimit is 5' $T/err"
ok "-q keeps the warning" harvest "$R" -q myapp
assert "warned" "grep -q 'warning: no AppArmor record' $T/err"
R=$(host none-at-all)
fails 1 "no log at all: an error" harvest "$R" myapp
assert "it names what it looked for" "grep -q 'no log found' $T/err"

# --- explicit sources are read as named, never replaced; their counts are listed
R=$(host explicit)
cp "$D/formats.log" "$R/var/log/kern.log"
: > "$T/empty.log"
ok "-f FILE: only FILE, even when empty" harvest "$R" -f "$T/empty.log" --sources myapp
assert "kern.log not read" "[ ! -s $T/out ] && ! grep -q kern.log $T/err"
assert "the empty file listed and warned about" "grep -q '^  $T/empty.log: 0 lines, 0 AppArmor records' $T/err && grep -q 'warning: no AppArmor record in the sources read' $T/err"
ok "-f FILE --since: records outside the window" harvest "$R" -f "$D/classes.log" --since 1h --sources myapp
assert "counted as not in the window" "grep -q 'classes.log: 25 lines, 22 AppArmor records (0 in the window)' $T/err && grep -q 'no AppArmor record in the sources read (in the time window)' $T/err"

finish
