#!/bin/bash
# The modes of modern kernels in aaprof status (and --json), load's mode
# check and the mode switch, on a fake apparmorfs ($AAPROF_APPARMORFS) and
# a fake proc directory ($AAPROF_PROCFS): enforce, complain, kill,
# unconfined, prompt (the kernel's "user"), and mixed for a process
# confined by a stack of profiles in different modes. Only enforce is
# enforcing.
set -u
SUITE=status
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
. "$HERE/lib.sh"
A=${AAPROF:-$TOP/build/aaprof}
fake_kernel
export AAPROF_PROCFS=$T/proc

# the kernel's list, as /sys/kernel/security/apparmor/profiles writes it
printf '%s\n' 'web (enforce)' 'pr (user)' 'k (kill)' 'u (unconfined)' 'c (complain)' \
	'docker-default (complain)' 'new (frobnicate)' > "$T/fs/profiles"
# processes: /proc/PID/attr/apparmor/current ("label (mode)"), or only
# attr/current on kernels without the per-LSM directory
proc() {   # proc PID [old] CONTEXT
	local pid=$1 dir=$T/proc/$1/attr/apparmor
	shift
	if [ "$1" = old ]; then dir=$T/proc/$pid/attr; shift; fi
	mkdir -p "$dir"
	printf '%s\n' "$1" > "$dir/current"
}
proc 101 'web (enforce)'
proc 102 'web//&docker-default (mixed)'
proc 103 'docker-default//&web (mixed)'
proc 104 'web//hat (complain)'
proc 105 'webx (enforce)'
proc 106 ':ns:web (enforce)'
proc 107 old 'pr (user)'
proc 108 'unconfined'
proc 109 $'web//\e]0;owned\a (enforce)'
mkdir -p "$T/proc/self" "$T/proc/110"   # not a pid; a process that is gone

ok "status of every mode" "$A" status --profile-dir "$PD" web pr k u c new gone
for m in 'web enforce' 'pr prompt' 'k kill' 'u unconfined' 'c complain' 'new unknown' 'gone not-loaded'; do
	set -- $m
	assert "status: $1 is $2" "grep -Eq '^$1 +$2 ' $T/out"
done
assert "the kernel's 'user' is shown as prompt, never as user" "! grep -qw user $T/out"
assert "web confines 5 processes (alone, in stacks, a hat)" "grep -Eq '^web +enforce +- +5 ' $T/out"
assert "pr confines the process of attr/current" "grep -Eq '^pr +prompt +- +1 ' $T/out"
for m in '101 enforce web' '102 mixed web//&docker-default' '103 mixed docker-default//&web' \
	'104 complain web//hat' '107 prompt pr'; do
	set -- $m
	assert "process $1: $2, $3" "grep -Eq '^$1 +$2 +$3\$' $T/out"
done
assert "not web's: webx, another namespace's web, unconfined" "! grep -Eq '^(105|106|108) ' $T/out"
assert "a label is shown with its control characters escaped" \
	"grep -qF '109      enforce    web//\\e]0;owned\\x07' $T/out && ! grep -q \$'\\e' $T/out"

ok "status --json" "$A" status --profile-dir "$PD" --json web pr k u c new gone
assert "--json: the modes" "python3 -c '
import json, sys
d = {o[\"profile\"]: o for o in json.load(open(\"$T/out\"))}
assert [d[n][\"mode\"] for n in (\"web\", \"pr\", \"k\", \"u\", \"c\", \"new\")] == [\"enforce\", \"prompt\", \"kill\", \"unconfined\", \"complain\", \"unknown\"], d
assert d[\"gone\"][\"mode\"] is None and not d[\"gone\"][\"loaded\"]
p = {x[\"pid\"]: x for x in d[\"web\"][\"processes\"]}
assert sorted(p) == [101, 102, 103, 104, 109] and sorted(d[\"web\"][\"pids\"]) == sorted(p)
assert p[102][\"mode\"] == \"mixed\" and p[102][\"label\"] == \"web//&docker-default\"
assert p[103][\"mode\"] == \"mixed\" and p[104][\"mode\"] == \"complain\" and p[101][\"mode\"] == \"enforce\"
assert d[\"pr\"][\"processes\"] == [{\"pid\": 107, \"label\": \"pr\", \"mode\": \"prompt\"}]
'"

# --- load and the mode switch: anything but enforce is not enforcing
rm -rf "$T/proc"; mkdir -p "$T/proc"
: > "$T/fs/profiles"
ok "load --enforce" "$A" load --profile-dir "$PD" --enforce -q web
assert "the kernel reports enforce" "[ \"\$(kernel web)\" = enforce ]"
for km in user kill unconfined complain; do
	FAKE_MODE=$km fails 1 "enforce when the kernel then reports $km: an error" "$A" enforce --profile-dir "$PD" web
	want=$km; [ $km = user ] && want=prompt
	assert "it names mode $want, not enforce" "grep -q 'reports mode $want instead of enforce' $T/err"
done
# (the switch itself is unit-tested in tests/unit/test-modes.c: an
# apparmor_parser older than 4.0 rejects prompt and default_allow before it)
cp "$PD/web" "$T/web.before"
for flag in prompt default_allow kill unconfined; do
	sed "s/flags=(attach_disconnected,mediate_deleted/flags=(attach_disconnected,mediate_deleted,$flag/" "$T/web.before" > "$PD/web"
	cp "$PD/web" "$T/web.flag"
	for cmd in enforce complain; do
		: > "$FAKE_LOG"
		"$A" $cmd --profile-dir "$PD" web > "$T/out" 2> "$T/err"
		rc=$?
		assert "$cmd on a profile with flags=($flag): refused, nothing changed, nothing loaded" \
			"[ $rc -ne 0 ] && cmp -s $T/web.flag $PD/web && ! grep -q -- '-r' $FAKE_LOG"
		assert "$cmd on flags=($flag): aaprof's refusal, or the parser's (< 4.0)" \
			"grep -q 'aaprof only switches between complain and enforce' $T/err || { [ $rc -eq 3 ] && grep -q 'Invalid profile flag: $flag' $T/err; }"
	done
done

finish
