#!/bin/bash
# The enforce gate (aaprof enforce --quiet-for DUR NAME) on this
# AppArmor-less machine (tests/fake-apparmor_parser on a fake apparmorfs, as
# in run-load.sh): it enforces only on evidence that NAME ran in the window,
# through a whole complain period, with nothing uncovered; else exit 7 with
# the sources read and what to check.
set -u
SUITE=gate
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
. "$HERE/lib.sh"
A=${AAPROF:-$TOP/build/aaprof}
fake_kernel

T0=1700000000   # 2023-11-14 22:13:20 UTC: web is loaded in complain mode
N=0
# rec TIME EVENT PROFILE PATH: a file record; status TIME NAME [INFO]: a load
stamp() { case $1 in *.*) echo "$1" ;; *) echo "$1.000" ;; esac; }
rec() { N=$((N + 1)); printf 'type=AVC msg=audit(%s:%d): apparmor="%s" operation="open" class="file" profile="%s" name="%s" pid=4242 comm="web" requested_mask="r" denied_mask="r" fsuid=0 ouid=0\n' "$(stamp "$1")" $N "$2" "$3" "$4"; }
status() { N=$((N + 1)); printf 'type=AVC msg=audit(%s:%d): apparmor="STATUS" operation="profile_replace" %sprofile="unconfined" name="%s" pid=99 comm="apparmor_parser"\n' "$(stamp "$1")" $N "${3:+info=\"$3\" }" "$2"; }
covered() { rec "$1" ALLOWED web /etc/ld.so.cache; }   # abstractions/base allows it
# gate NOW ARGS...: aaprof enforce --quiet-for 1h at NOW (a dry run unless ARGS say otherwise)
gate() { local now=$1; shift; AAPROF_NOW=$now "$A" enforce --profile-dir "$PD" --quiet-for 1h "$@" web; }
loaded() { rm -rf "$T/state/loads"; AAPROF_NOW=$1 "$A" load -q --profile-dir "$PD" --complain web; }

loaded $T0
assert "loaded in complain mode, the load stamped" "[ \"\$(kernel web)\" = complain ] && grep -q '^time=1700000000.000' $T/state/loads/web && grep -q '^mode=complain' $T/state/loads/web"
NOW=$((T0 + 7200))   # the window: the second hour after the load

# --- no evidence: refused, exit 7, with the sources and what to check
: > "$T/empty.log"
fails 7 "an empty -f file: refused" gate $NOW -f "$T/empty.log"
assert "it says there is no evidence" "grep -q \"no evidence that it ran: no record of 'web' in the last 1h\" $T/err"
assert "it lists the source and its counts" "grep -q '    $T/empty.log: 0 lines, 0 AppArmor records' $T/err"
assert "it says what to check" "grep -q 'check: that these are the logs the kernel writes AppArmor records to' $T/err && grep -q -- '--no-evidence-ok enforces without evidence' $T/err"
assert "refused: nothing changed" "[ \"\$(kernel web)\" = complain ] && grep -q 'complain)' $PD/web"

{ covered $((T0 + 100)); rec $((T0 + 200)) DENIED web /secret; } > "$T/old.log"
fails 7 "records of web older than the window: refused" gate $NOW -f "$T/old.log"
assert "they are counted, as outside the window" "grep -q 'old.log: 2 lines, 2 AppArmor records (0 in the window)' $T/err && grep -q 'no evidence that it ran' $T/err"

{ rec $((T0 + 5000)) ALLOWED other /etc/ld.so.cache; status $((T0 + 5000)) other; } > "$T/other.log"
fails 7 "records of other profiles only: refused" gate $NOW -f "$T/other.log"
assert "2 AppArmor records in the window, none of web's" "grep -q 'the sources held 2 AppArmor records in the window, none of it' $T/err"

R=$T/host-empty-journal
mkdir -p "$R/var/log/journal/0123456789abcdef0123456789abcdef" "$R/sys/module/apparmor/parameters"
echo Y > "$R/sys/module/apparmor/parameters/enabled"
AAPROF_ROOT=$R fails 7 "default sources: an empty journal and nothing else: refused" gate $NOW
assert "the journal is listed with 0 lines" "grep -q '    the journal: 0 lines, 0 AppArmor records' $T/err"

R=$T/host-unreadable
mkdir -p "$R/var/log/audit" "$R/run"
{ covered $((T0 + 5000)); } > "$R/var/log/audit/audit.log"
chmod 600 "$R/var/log/audit/audit.log"
echo $$ > "$R/run/auditd.pid"
chmod 755 "$T"
if setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
	fails 7 "not root, audit.log unreadable: the gate refuses (--dry-run: no root needed to look)" setpriv --reuid=65534 --regid=65534 --clear-groups env AAPROF_ROOT="$R" AAPROF_NOW=$NOW "$A" enforce -n --profile-dir "$PD" --quiet-for 1h web
	assert "it says what it could not read, and why" "grep -q '$R/var/log/audit/audit.log: not read: Permission denied' $T/err && grep -q 'likely causes:' $T/err && grep -q 'not running as root' $T/err && grep -q 'auditd runs' $T/err"
else
	fail "setpriv" "cannot run as nobody: the unreadable case was not run"
fi

# --- evidence in the window
covered $((T0 + 5000)) > "$T/good.log"
ok "a covered ALLOWED record of web in the window: passes" gate $NOW -n -f "$T/good.log"
assert "it says what it saw" "grep -q \"gate: 1 record of 'web' in the last 1h, no uncovered ALLOWED record\" $T/err"
rec $((T0 + 5000)) DENIED web /secret > "$T/denied.log"
ok "a DENIED record is evidence" gate $NOW -n -f "$T/denied.log"
rec $((T0 + 5000)) ALLOWED 'web//null-/usr/bin/helper' /etc/ld.so.cache > "$T/child.log"
ok "a record of a child (web//...) is evidence" gate $NOW -n -f "$T/child.log"
status $((T0 - 1)) web > "$T/status.log"
ok "the STATUS record of the load that began the complain period is evidence" gate $NOW -n -f "$T/status.log"
assert "counted as such" "grep -q \"gate: 1 record of 'web' in the last 1h (or at its load)\" $T/err"
status $((T0 - 1)) other > "$T/status-other.log"
fails 7 "another profile's STATUS record is not" gate $NOW -n -f "$T/status-other.log"
ok "--sources lists the sources when it passes" gate $NOW -n --sources -f "$T/good.log"
assert "listed" "grep -q '    $T/good.log: 1 line, 1 AppArmor record' $T/err"
for i in $(seq 50); do covered "$((T0 + 4000 + i)).500"; done > "$T/many.log"
ok "50 repeated records" gate $NOW -n -f "$T/many.log"
assert "all 50 counted (the cache of repeated records replays none of them)" "grep -q \"gate: 50 records of 'web'\" $T/err"
AAPROF_NO_CACHE=1 ok "50 repeated records, no cache" gate $NOW -n -f "$T/many.log"
assert "the same count" "grep -q \"gate: 50 records of 'web'\" $T/err"

# --- the complain period: the whole window, after the last load
NOW2=$((T0 + 1800))
covered $((T0 + 1000)) > "$T/short.log"
fails 7 "loaded 30m ago, --quiet-for 1h: refused" gate $NOW2 -f "$T/short.log"
assert "it says the complain period is too short, when it was loaded and when the window is satisfied" "grep -q 'its complain period is shorter than the window: it was loaded by aaprof at 2023-11-14 22:13:20 UTC, 30m ago' $T/err && grep -q 'ends at 2023-11-14 23:13:20 UTC' $T/err"
ok "an hour after the load it passes" gate $((T0 + 3601)) -n -f "$T/short.log"
{ status $((T0 - 1)) web; covered $((T0 + 5000)); status $((T0 + 6000)) web; } > "$T/reloaded.log"
fails 7 "a STATUS record of a later load in the window: refused" gate $NOW -f "$T/reloaded.log"
assert "it says the kernel shows a reload" "grep -q \"(re)loaded, as the kernel's STATUS record shows, at 2023-11-14 23:53:20 UTC\" $T/err"
AAPROF_NO_CACHE=1 fails 7 "the same without the cache of repeated records" gate $NOW -f "$T/reloaded.log"
{ covered $((T0 + 5000)); status $((T0 + 6000)) web 'same as current profile, skipping'; } > "$T/same.log"
ok "a replace the kernel skipped (same profile) is no reload" gate $NOW -n -f "$T/same.log"
ok "reloading the same profile in the same mode keeps the stamp" env AAPROF_NOW=$((T0 + 5000)) "$A" load -q --profile-dir "$PD" --complain web
assert "stamp unchanged" "grep -q '^time=1700000000.000' $T/state/loads/web"

rm -rf "$T/state/loads"
ok "no stamp, no STATUS record: passes on the evidence" gate $NOW -n -f "$T/good.log"
assert "with a warning that the complain period is unknown" "grep -q \"warning: the complain period of 'web' is unknown\" $T/err"
{ covered $((T0 + 5000)); status $((T0 + 6000)) web; } > "$T/status-only.log"
fails 7 "no stamp, a STATUS record in the window: refused" gate $NOW -f "$T/status-only.log"

# --- --no-evidence-ok: enforces without evidence, loudly; the other checks hold
loaded $T0
fails 7 "--no-evidence-ok does not excuse a short complain period" gate $NOW2 --no-evidence-ok -f "$T/empty.log"
assert "refused for the period" "grep -q 'complain period is shorter' $T/err && ! grep -q 'no evidence that it ran' $T/err"
ok "--no-evidence-ok with no evidence: enforced" gate $NOW --no-evidence-ok -f "$T/empty.log"
assert "loudly" "grep -q \"warning: --no-evidence-ok: enforcing 'web' WITHOUT evidence that it ran\" $T/err"
assert "enforced, the load stamped in enforce mode" "[ \"\$(kernel web)\" = enforce ] && grep -q '^mode=enforce' $T/state/loads/web"
covered $((NOW + 5000)) > "$T/later.log"
fails 7 "the last load was in enforce mode: refused" gate $((NOW + 7200)) -f "$T/later.log"
assert "it says so" "grep -q 'it was last loaded by aaprof in enforce mode' $T/err"
fails 2 "--no-evidence-ok needs --quiet-for" "$A" enforce --profile-dir "$PD" --no-evidence-ok web

finish
