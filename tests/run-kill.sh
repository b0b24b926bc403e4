#!/bin/bash
# Never lose a profile: kill aaprof with SIGKILL at random points of a
# harvest --write and of a load, many times; the profile file must always be
# the complete old or the complete new version, and the next run must work.
# Nothing can clean up after SIGKILL: a temporary file may stay, but only a
# hidden one (.NAME.aaprof-XXXXXX), which apparmor_parser never loads. The
# directories are checked before anything is removed.
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

# stray DIR NAME: the files in DIR other than NAME that apparmor_parser would load
stray() { ls -A "$1" | grep -v -x -F "$2" | grep -v '^\.' ; }
# profiles DIR: the profile names apparmor_parser finds loading DIR, as at boot
profiles() { apparmor_parser -N "$1" 2>/dev/null | sort | tr '\n' ' '; }
# pause I DIR N SECS: every third run, wait until the write's temporary file
# exists (one more than the N left by earlier kills; it pauses there 50 ms),
# so that some kills land inside the write; else a random pause of up to SECS
pause() {
	if [ $(($1 % 3)) = 0 ]; then
		for _ in $(seq 300); do
			[ "$(ls -A "$2" | grep -c 'aaprof-')" -gt "$3" ] && return
			sleep 0.01
		done
	else
		sleep "0.$(printf '%03d' $((RANDOM % $4)))"
	fi
}

mkdir -p "$T/hd"
bad=0 killed=0 strays=0
for i in $(seq "$N"); do
	cp "$T/old" "$T/hd/p"
	# every third run pauses inside the write, so that some kills land there
	AAPROF_TEST_WRITE_DELAY_MS=$(( i % 3 ? 0 : 50 )) \
		"$A" harvest -q -f "$LOG" --profile "$T/hd/p" --write e2e-app >/dev/null 2>&1 &
	pid=$!
	pause "$i" "$T/hd" "$(ls -A "$T/hd" | grep -c aaprof-)" 80
	kill -9 $pid 2>/dev/null && killed=$((killed + 1))
	wait $pid 2>/dev/null
	if ! cmp -s "$T/hd/p" "$T/old" && ! cmp -s "$T/hd/p" "$T/new"; then
		bad=$((bad + 1))
		cp "$T/hd/p" "$T/torn.$i"
	fi
	[ -z "$(stray "$T/hd" p)" ] || strays=$((strays + 1))
done
assert "harvest --write killed at random points ($killed of $N killed mid-run): always old or new" "[ $bad -eq 0 ]"
left=$(ls -A "$T/hd" | grep -c '^\.p\.aaprof-')
assert "no file apparmor_parser would load left beside the profile ($left hidden temporary files)" "[ $strays -eq 0 ] && [ -z \"\$(stray $T/hd p)\" ]"
assert "loading the directory finds the profile once" "[ \"\$(profiles $T/hd)\" = 'e2e-app ' ]"
rm -f "$T"/hd/.p.aaprof-*
cp "$T/old" "$T/hd/p"
ok "after the kills a harvest --write works" "$A" harvest -q -f "$LOG" --profile "$T/hd/p" --write e2e-app
assert "and writes the new version" "cmp -s $T/hd/p $T/new"

# load, against the fake kernel side
export APPARMOR_PARSER=$HERE/fake-apparmor_parser AAPROF_APPARMORFS=$T/fs
mkdir -p "$T/fs" "$T/pd"
cp "$T/old" "$T/pd/e2e-app"
bad=0 killed=0 strays=0
for i in $(seq "$N"); do
	cp "$T/old" "$T/pd/e2e-app"
	AAPROF_TEST_WRITE_DELAY_MS=$(( i % 3 ? 0 : 50 )) \
		"$A" load -q --profile-dir "$T/pd" "$T/new" >/dev/null 2>&1 &
	pid=$!
	pause "$i" "$T/pd" "$(ls -A "$T/pd" | grep -c aaprof-)" 60
	kill -9 $pid 2>/dev/null && killed=$((killed + 1))
	wait $pid 2>/dev/null
	if ! cmp -s "$T/pd/e2e-app" "$T/old" && ! cmp -s "$T/pd/e2e-app" "$T/new"; then
		bad=$((bad + 1))
	fi
	[ -z "$(stray "$T/pd" e2e-app)" ] || strays=$((strays + 1))
done
assert "load killed at random points ($killed of $N killed mid-run): always old or new" "[ $bad -eq 0 ]"
left=$(ls -A "$T/pd" | grep -c '^\.e2e-app\.aaprof-')
assert "no file apparmor_parser would load left in the profile directory ($left hidden temporary files)" "[ $strays -eq 0 ] && [ -z \"\$(stray $T/pd e2e-app)\" ]"
assert "loading the profile directory finds the profile once" "[ \"\$(profiles $T/pd)\" = 'e2e-app ' ]"
rm -f "$T"/pd/.e2e-app.aaprof-*
ok "after the kills a load works" "$A" load -q --profile-dir "$T/pd" "$T/new"
assert "and installs the new version" "cmp -s $T/pd/e2e-app $T/new"
finish
