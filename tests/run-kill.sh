#!/bin/bash
# Never lose a profile: kill aaprof with SIGKILL at random points of a
# harvest --write and of a load, many times; the profile file must always be
# the complete old or the complete new version, and the next run must work.
set -u
SUITE=kill
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
. "$HERE/lib.sh"
A=${AAPROF:-$TOP/build/aaprof}
N=${KILL_ROUNDS:-60}
export AAPROF_STATE_DIR=$T/state TZ=UTC
LOG=$TOP/tests/data/e2e-complain.log

"$A" render -o "$T/old" e2e-app
cp "$T/old" "$T/work"
"$A" harvest -q -f "$LOG" --profile "$T/work" --write e2e-app || true
cp "$T/work" "$T/new"
assert "the harvest changes the file (else this proves nothing)" "! cmp -s $T/old $T/new"

bad=0 killed=0
for i in $(seq "$N"); do
	cp "$T/old" "$T/p"
	"$A" harvest -q -f "$LOG" --profile "$T/p" --write e2e-app >/dev/null 2>&1 &
	pid=$!
	sleep "0.$(printf '%03d' $((RANDOM % 80)))"
	kill -9 $pid 2>/dev/null && killed=$((killed + 1))
	wait $pid 2>/dev/null
	if ! cmp -s "$T/p" "$T/old" && ! cmp -s "$T/p" "$T/new"; then
		bad=$((bad + 1))
		cp "$T/p" "$T/torn.$i"
	fi
	rm -f "$T"/p.aaprof-*
done
assert "harvest --write killed at random points ($killed of $N killed mid-run): always old or new" "[ $bad -eq 0 ]"
cp "$T/old" "$T/p"
ok "after the kills a harvest --write works" "$A" harvest -q -f "$LOG" --profile "$T/p" --write e2e-app
assert "and writes the new version" "cmp -s $T/p $T/new"

# load, against the fake kernel side
export APPARMOR_PARSER=$HERE/fake-apparmor_parser AAPROF_APPARMORFS=$T/fs
mkdir -p "$T/fs" "$T/pd"
cp "$T/old" "$T/pd/e2e-app"
bad=0 killed=0
for i in $(seq "$N"); do
	cp "$T/old" "$T/pd/e2e-app"
	"$A" load -q --profile-dir "$T/pd" "$T/new" >/dev/null 2>&1 &
	pid=$!
	sleep "0.$(printf '%03d' $((RANDOM % 60)))"
	kill -9 $pid 2>/dev/null && killed=$((killed + 1))
	wait $pid 2>/dev/null
	if ! cmp -s "$T/pd/e2e-app" "$T/old" && ! cmp -s "$T/pd/e2e-app" "$T/new"; then
		bad=$((bad + 1))
	fi
	rm -f "$T"/pd/e2e-app.aaprof-*
done
assert "load killed at random points ($killed of $N killed mid-run): always old or new" "[ $bad -eq 0 ]"
ok "after the kills a load works" "$A" load -q --profile-dir "$T/pd" "$T/new"
assert "and installs the new version" "cmp -s $T/pd/e2e-app $T/new"
finish
