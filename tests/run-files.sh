#!/bin/bash
# The files aaprof reads and writes are exactly the files it means: templates
# and rule files judged on the descriptor it reads, every directory up to /;
# the test-only environment variables absent from the release binary.
set -u
SUITE=files
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
. "$HERE/lib.sh"
A=${AAPROF:-$TOP/build/aaprof}
export AAPROF_STATE_DIR=$T/state TZ=UTC
ROOT=0; [ "$(id -u)" = 0 ] && ROOT=1

# --- templates and rule files, as root: the file as opened, and every directory up to /
if [ $ROOT = 1 ]; then
	mk_tdir() {   # mk_tdir DIR: a template directory with a good template
		mkdir -p "$1"
		printf '{{ include "_header.tmpl" }}\n  /srv/{{ leaf | word }} r,\n}\n' > "$1/mine.tmpl"
		cp "$TOP/templates/_header.tmpl" "$1/"
		chmod 755 "$1"; chmod 644 "$1"/*
	}
	mk_tdir "$T/good/tdir"
	ok "a template below root-owned directories is used" "$A" render --template-dir "$T/good/tdir" -t mine --set leaf=x --mode enforce app
	mk_tdir "$T/gw/sub/tdir"
	chmod 775 "$T/gw"
	fails 6 "a group-writable directory two levels up refuses the template: exit 6" "$A" render --template-dir "$T/gw/sub/tdir" -t mine --set leaf=x app
	assert "the refusal names that directory" "grep -q \"its directory '$T/gw': writable by group or others\" $T/err"
	chmod 755 "$T/gw"; chown 65534 "$T/gw"
	fails 6 "a directory up the path owned by another user refuses the template" "$A" render --template-dir "$T/gw/sub/tdir" -t mine --set leaf=x app
	assert "the refusal names the owner" "grep -q \"its directory '$T/gw': owned by uid 65534, not root\" $T/err"
	chown 0 "$T/gw"
	# /tmp (root's, sticky) on the way: no one else can rename or remove the
	# root-owned directory below it, so a checkout there is fine; a directory
	# there of another user, or /tmp as the template's own directory, is not
	W=$(mktemp -d /tmp/aaprof-files.XXXXXX)
	mk_tdir "$W/tdir"
	ok "a template below a root-owned directory in /tmp (sticky) is used" "$A" render --template-dir "$W/tdir" -t mine --set leaf=x --mode enforce app
	chown 65534 "$W"
	fails 6 "a template below a directory in /tmp that another user owns is refused" "$A" render --template-dir "$W/tdir" -t mine --set leaf=x app
	assert "the refusal names that directory and its owner" "grep -q \"its directory '$W': owned by uid 65534, not root\" $T/err"
	chown 0 "$W"
	cp "$W/tdir/mine.tmpl" "/tmp/aaprof-files-$$.tmpl"
	fails 6 "a template in /tmp itself (world-writable, sticky) is refused" "$A" render --template-dir /tmp -t "aaprof-files-$$" --set leaf=x app
	assert "the refusal says why" "grep -q \"its directory '/tmp': writable by group or others (mode 1777): anyone may have put files there\" $T/err"
	rm -rf "$W" "/tmp/aaprof-files-$$.tmpl"
	mk_tdir "$T/link/tdir"
	mv "$T/link/tdir/mine.tmpl" "$T/link/real.tmpl"
	ln -s ../real.tmpl "$T/link/tdir/mine.tmpl"
	fails 6 "a template that is a symbolic link is refused (not followed)" "$A" render --template-dir "$T/link/tdir" -t mine --set leaf=x app
	assert "the refusal says it is a link" "grep -q 'a symbolic link' $T/err"
	mkdir -p "$T/rgw/rdir"; cp "$TOP/rules/generalise.rules" "$T/rgw/rdir/"; chmod 777 "$T/rgw"
	echo 'type=AVC msg=audit(1.1:1): apparmor="ALLOWED" operation="open" profile="app" name="/x" requested_mask="r" denied_mask="r"' > "$T/one.log"
	fails 6 "a rules file below a world-writable directory is refused" "$A" harvest -f "$T/one.log" --rules-dir "$T/rgw/rdir" app
	assert "the refusal names the rules file and the directory" "grep -q \"refusing file '$T/rgw/rdir/generalise.rules': its directory '$T/rgw'\" $T/err"
	chmod 755 "$T/rgw"
	ok "the same rules file below safe directories is used" "$A" harvest -f "$T/one.log" --rules-dir "$T/rgw/rdir" app
else
	echo "files: not root: the ownership checks (root only) are not exercised" >&2
fi

# --- concurrent harvest --write of one profile: no lost update
rec() {   # rec PROFILE PATH: one ALLOWED open record
	printf 'type=AVC msg=audit(1700000000.000:1): apparmor="ALLOWED" operation="open" profile="%s" name="%s" pid=1 comm="x" requested_mask="r" denied_mask="r" fsuid=0 ouid=1\n' "$1" "$2"
}
NP=${CONCURRENT_PAIRS:-20}
mkdir -p "$T/cc"
"$A" render -o "$T/cc/base" cc
for i in $(seq "$NP"); do
	cp "$T/cc/base" "$T/cc/p$i"
	rec cc "/srv/cc/$i/a" > "$T/cc/a$i.log"
	rec cc "/srv/cc/$i/b" > "$T/cc/b$i.log"
done
for i in $(seq "$NP"); do
	"$A" harvest -q --no-generalise -f "$T/cc/a$i.log" --profile "$T/cc/p$i" --write cc > /dev/null 2> "$T/cc/a$i.err" &
	"$A" harvest -q --no-generalise -f "$T/cc/b$i.log" --profile "$T/cc/p$i" --write cc > /dev/null 2> "$T/cc/b$i.err" &
done
wait
lost=0
for i in $(seq "$NP"); do
	grep -q "^  /srv/cc/$i/a r,\$" "$T/cc/p$i" || lost=$((lost + 1))
	grep -q "^  /srv/cc/$i/b r,\$" "$T/cc/p$i" || lost=$((lost + 1))
done
assert "$NP pairs of concurrent harvest --write: 0 lost updates ($lost lost)" "[ $lost -eq 0 ]"
assert "and no error" "! grep -q error $T/cc/*.err"
# eight writers of one profile at once: all eight rules
cp "$T/cc/base" "$T/cc/one"
for i in $(seq 8); do
	rec cc "/srv/one/$i" > "$T/cc/one$i.log"
	"$A" harvest -q --no-generalise -f "$T/cc/one$i.log" --profile "$T/cc/one" --write cc > /dev/null 2>&1 &
done
wait
assert "eight concurrent writers of one profile: all eight rules" "[ \$(grep -c '^  /srv/one/[1-8] r,\$' $T/cc/one) -eq 8 ]"
ls -A "$T/state/lock" > "$T/locks"
assert "one lock file per profile, in the state directory" "grep -q -x -F '${T//\//%2F}%2Fcc%2Fone.lock' $T/locks"

# load/complain/enforce take the same lock: a harvest --write started while
# complain rewrites the file waits, then merges into the complain version
mkdir -p "$T/lk/pd" "$T/lk/fs"
"$A" render --mode enforce -o "$T/lk/pd/lk" lk
rec lk /srv/lk/x > "$T/lk/x.log"
APPARMOR_PARSER=$HERE/fake-apparmor_parser AAPROF_APPARMORFS=$T/lk/fs AAPROF_TEST_WRITE_DELAY_MS=1000 \
	"$A" complain -q --profile-dir "$T/lk/pd" lk 2> "$T/lk/complain.err" &
pid=$!
sleep 0.3
ok "harvest --write during a complain" "$A" harvest --no-generalise -f "$T/lk/x.log" --profile-dir "$T/lk/pd" --write lk
assert "it waited for the lock" "grep -q \"waiting for another aaprof working on '$T/lk/pd/lk'\" $T/err"
wait $pid; rc=$?
assert "complain succeeded (exit $rc)" "[ $rc = 0 ]"
assert "the file has both the complain flag and the harvested rule" "grep -q '^profile lk .*complain' $T/lk/pd/lk && grep -q '/srv/lk/x r,' $T/lk/pd/lk"

# not root: told that root is needed, not that the lock file cannot be made
if [ $ROOT = 1 ] && command -v setpriv > /dev/null; then
	want=6; [ -e /sys/kernel/security/apparmor/profiles ] || want=5
	env -u AAPROF_STATE_DIR setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$A" load --profile-dir "$T/lk/pd" --complain lk > /dev/null 2> "$T/err"; rc=$?
	assert "a load by nobody: exit $want (got $rc), and no word of a lock file" "[ $rc = $want ] && ! grep -q lock $T/err"
fi

# an edit by another program (an admin's editor) during the scan is not lost:
# nothing is written, and aaprof says why
cp "$T/cc/base" "$T/cc/edit"
rm -f "$T/fifo"; mkfifo "$T/fifo"
"$A" harvest -q --no-generalise -f - --profile "$T/cc/edit" --write cc < "$T/fifo" > /dev/null 2> "$T/edit.err" &
pid=$!
exec 7> "$T/fifo"
sleep 1   # aaprof has read the profile and waits for its log
printf '# the admin was here\n' >> "$T/cc/edit"
rec cc /srv/edit/x >&7
exec 7>&-
wait $pid; rc=$?
assert "the admin's edit is kept" "grep -q -x '# the admin was here' $T/cc/edit"
assert "harvest --write fails clearly (exit $rc), writing nothing" "[ $rc = 1 ] && grep -q 'was changed by another program since aaprof read it: nothing written' $T/edit.err && ! grep -q /srv/edit/x $T/cc/edit"
ok "run again, it merges on top of the edit" "$A" harvest -q --no-generalise -f - --profile "$T/cc/edit" --write cc < <(rec cc /srv/edit/x)
assert "both are there" "grep -q -x '# the admin was here' $T/cc/edit && grep -q '/srv/edit/x r,' $T/cc/edit"

# --- a load the kernel refuses, and the previous file cannot be put back (disk
# full: AAPROF_TEST_ENOSPC=3 fails the third write, the restore after the
# backup and the new file): aaprof says what is on disk, not that it is kept
mkdir -p "$T/rj/pd" "$T/rj/fs"
"$A" render --mode enforce -o "$T/rj/pd/web" web
cp "$T/rj/pd/web" "$T/rj/before"
export APPARMOR_PARSER=$HERE/fake-apparmor_parser AAPROF_APPARMORFS=$T/rj/fs
FAKE_FAIL_LOAD=1 AAPROF_TEST_ENOSPC=3 fails 1 "rejected load, restore fails: exit 1, not 3 (something changed)" "$A" load --profile-dir "$T/rj/pd" --complain web
assert "it says the rejected profile is on disk and where the previous one is" "grep -q \"$T/rj/pd/web holds the REJECTED profile; the previous version is in $T/state/backup/\" $T/err"
assert "it says why the restore failed" "grep -q 'No space left on device' $T/err"
assert "it does not claim the previous file is kept" "! grep -q 'previous profile file and policy are kept' $T/err"
assert "which is true: the file is the rejected (complain) one" "grep -q '^profile web .*complain' $T/rj/pd/web"
ok "load --rollback puts the previous version back" "$A" load -q --profile-dir "$T/rj/pd" --rollback web
assert "the previous version is back" "cmp -s $T/rj/pd/web $T/rj/before"
FAKE_FAIL_LOAD=1 fails 3 "when the restore works: exit 3" "$A" load --profile-dir "$T/rj/pd" --complain web
assert "and it says the previous file and policy are kept, which is true" "grep -q 'the previous profile file and policy are kept' $T/err && cmp -s $T/rj/pd/web $T/rj/before"
# the same on a real full disk: a small tmpfs (in a private mount namespace)
# that the fake parser fills while it "loads"
mkdir -p "$T/rj/mnt"
cp "$T/rj/before" "$T/rj/web.before"
if unshare -m sh -c "mount -t tmpfs -o size=512k tmpfs '$T/rj/mnt'" 2>/dev/null; then
	unshare -m bash -c '
		T=$1 A=$2
		mount -t tmpfs -o size=512k tmpfs "$T/rj/mnt" && mkdir "$T/rj/mnt/pd" &&
		cp "$T/rj/web.before" "$T/rj/mnt/pd/web" || exit 99
		FAKE_FILL=$T/rj/mnt/fill "$A" load --profile-dir "$T/rj/mnt/pd" --complain web 2> "$T/rj/full.err"
		echo $? > "$T/rj/full.rc"
		cp "$T/rj/mnt/pd/web" "$T/rj/full.web"
		ls -A "$T/rj/mnt/pd" > "$T/rj/full.ls"' _ "$T" "$A"
	assert "full disk: exit 1 ($(cat "$T/rj/full.rc" 2>/dev/null))" "[ \"\$(cat $T/rj/full.rc)\" = 1 ]"
	assert "full disk: the message says the rejected profile is on disk" "grep -q 'holds the REJECTED profile; the previous version is in' $T/rj/full.err && grep -q 'No space left on device' $T/rj/full.err"
	assert "full disk: which is true" "grep -q '^profile web .*complain' $T/rj/full.web"
	assert "full disk: no temporary file left" "[ \"\$(cat $T/rj/full.ls)\" = web ]"
else
	echo "files: cannot mount a tmpfs here: the real full-disk case is skipped (the ENOSPC hook above covers it)" >&2
fi
unset APPARMOR_PARSER AAPROF_APPARMORFS

# --- SIGTERM and SIGINT during writes leave no file behind: the temporary file
# is hidden (apparmor_parser skips it) and removed by the signal handler
LOG=$TOP/tests/data/e2e-complain.log
"$A" render -o "$T/old" e2e-app
cp "$T/old" "$T/new"
"$A" harvest -q -f "$LOG" --profile "$T/new" --write e2e-app
assert "the harvest changes the file (else this proves nothing)" "! cmp -s $T/old $T/new"
mkdir -p "$T/sig/hd" "$T/sig/pd" "$T/sig/fs"
# signal_rounds SIG DIR FILE CMD...: SIG at random points, every other one
# while the temporary file exists; DIR must then hold FILE alone, old or new
signal_rounds() {
	local sig=$1 dir=$2 file=$3 i pid rc inwin=0 bad=0 torn=0 n=${SIGNAL_ROUNDS:-6} left
	shift 3
	for i in $(seq "$n"); do
		cp "$T/old" "$dir/$file"
		env --default-signal=INT AAPROF_TEST_WRITE_DELAY_MS=150 "$@" >/dev/null 2>&1 &
		pid=$!
		if [ $((i % 2)) = 0 ]; then
			for _ in $(seq 500); do
				ls -A "$dir" | grep -q 'aaprof-' && break
				sleep 0.01
			done
			ls -A "$dir" | grep -q 'aaprof-' && inwin=$((inwin + 1))
		else
			sleep "0.$(printf '%03d' $((RANDOM % 250)))"
		fi
		kill -"$sig" $pid 2>/dev/null
		wait $pid 2>/dev/null
		# checked before anything is cleaned up
		left=$(ls -A "$dir" | grep -v -x -F "$file")
		if [ -n "$left" ]; then bad=$((bad + 1)); echo "  left by SIG$sig: $left" >&2; fi
		cmp -s "$dir/$file" "$T/old" || cmp -s "$dir/$file" "$T/new" || torn=$((torn + 1))
	done
	assert "$* : SIG$sig at random points ($inwin of $n inside the write): no file left in the directory" "[ $bad -eq 0 ]"
	assert "SIG$sig: the file is always old or new" "[ $torn -eq 0 ] && [ $inwin -gt 0 ]"
}
for sig in TERM INT; do
	signal_rounds $sig "$T/sig/hd" p "$A" harvest -q -f "$LOG" --profile "$T/sig/hd/p" --write e2e-app
	APPARMOR_PARSER=$HERE/fake-apparmor_parser AAPROF_APPARMORFS=$T/sig/fs \
		signal_rounds $sig "$T/sig/pd" e2e-app "$A" load -q --profile-dir "$T/sig/pd" "$T/new"
done
cp "$T/old" "$T/sig/hd/p"
env --default-signal=INT AAPROF_TEST_WRITE_DELAY_MS=300 "$A" harvest -q -f "$LOG" --profile "$T/sig/hd/p" --write e2e-app >/dev/null 2>&1 &
pid=$!
for _ in $(seq 500); do ls -A "$T/sig/hd" | grep -q 'aaprof-' && break; sleep 0.01; done
assert "the temporary file is hidden (.NAME.aaprof-XXXXXX)" "ls -A $T/sig/hd | grep -q '^\.p\.aaprof-......\$'"
kill -TERM $pid; wait $pid; rc=$?
assert "SIGTERM still ends aaprof by the signal (exit $rc)" "[ $rc = 143 ]"

# --- a profile that is a symbolic link (config management, a git checkout) is
# written through the link, which stays; its backup is where rollback looks
export APPARMOR_PARSER=$HERE/fake-apparmor_parser
mkdir -p "$T/ln/pd" "$T/ln/git" "$T/ln/fs"
cp "$T/old" "$T/ln/git/e2e-app"
ln -s ../git/e2e-app "$T/ln/pd/e2e-app"
ok "harvest --write through a symlinked profile" "$A" harvest -q -f "$LOG" --profile-dir "$T/ln/pd" --write e2e-app
assert "the link is still a link to the same file" "[ -L $T/ln/pd/e2e-app ] && [ \"\$(readlink $T/ln/pd/e2e-app)\" = ../git/e2e-app ]"
assert "its target holds the harvested profile" "cmp -s $T/ln/git/e2e-app $T/new"
assert "nothing else in either directory" "[ \"\$(ls -A $T/ln/pd)\" = e2e-app ] && [ \"\$(ls -A $T/ln/git)\" = e2e-app ]"
AAPROF_APPARMORFS=$T/ln/fs ok "load --rollback of the symlinked profile finds the backup" "$A" load -q --profile-dir "$T/ln/pd" --rollback e2e-app
assert "the target is the version before the harvest, the link stays" "cmp -s $T/ln/git/e2e-app $T/old && [ -L $T/ln/pd/e2e-app ]"
AAPROF_APPARMORFS=$T/ln/fs ok "rollback again" "$A" load -q --profile-dir "$T/ln/pd" --rollback e2e-app
assert "swaps back, the link stays" "cmp -s $T/ln/git/e2e-app $T/new && [ -L $T/ln/pd/e2e-app ]"
AAPROF_APPARMORFS=$T/ln/fs ok "enforce through the link" "$A" enforce -q --profile-dir "$T/ln/pd" e2e-app
assert "the target is in enforce mode, the link stays" "! grep -q '^profile.*complain' $T/ln/git/e2e-app && grep -q '^profile e2e-app ' $T/ln/git/e2e-app && [ -L $T/ln/pd/e2e-app ]"
ln -s ../git/nosuch "$T/ln/pd/dangling"
fails 1 "a dangling link is refused, not replaced" "$A" harvest -q -f "$LOG" --profile "$T/ln/pd/dangling" --write e2e-app
assert "it stays a link" "[ -L $T/ln/pd/dangling ]"
unset APPARMOR_PARSER

# --- the release binary (make install, the Debian package) cannot be steered by
# the test-only environment; the test binary can (else these prove nothing)
R=${AAPROF_RELEASE:-$TOP/build/release/aaprof}
mkdir -p "$T/evil" "$T/rel/pd" "$T/rel/fs"; : > "$T/rel/fs/profiles"
printf '#!/bin/sh\ntouch "%s/evil-ran"\nexit 0\n' "$T" > "$T/evil/apparmor_parser"
chmod 755 "$T/evil/apparmor_parser"
"$A" render -q -o "$T/rel/pd/relapp" relapp 2>/dev/null || "$A" render -o "$T/rel/pd/relapp" relapp
rm -f "$T/evil-ran"
APPARMOR_PARSER=$T/evil/apparmor_parser "$A" load --dry-run --profile-dir "$T/rel/pd" relapp > /dev/null 2>&1
assert "test binary: APPARMOR_PARSER picks the parser" "[ -e $T/evil-ran ]"
rm -f "$T/evil-ran"
APPARMOR_PARSER=$T/evil/apparmor_parser "$R" load --dry-run --profile-dir "$T/rel/pd" relapp > "$T/out" 2>&1
assert "release binary: APPARMOR_PARSER is ignored" "[ ! -e $T/evil-ran ] && grep -q 'would run: /usr/sbin/apparmor_parser\|would run: /sbin/apparmor_parser' $T/out"
PATH=$T/evil:$PATH "$R" load --dry-run --profile-dir "$T/rel/pd" relapp > "$T/out" 2>&1
assert "release binary: an apparmor_parser earlier in PATH is not run" "[ ! -e $T/evil-ran ]"
PATH=$T/evil:$PATH "$A" load --dry-run --profile-dir "$T/rel/pd" relapp > "$T/out" 2>&1
assert "test binary without APPARMOR_PARSER: the system's parser first, not PATH's" "[ ! -e $T/evil-ran ]"
AAPROF_APPARMORFS=$T/rel/fs ok "test binary: AAPROF_APPARMORFS is a fake kernel" "$A" status --profile-dir "$T/rel/pd"
if [ ! -e /sys/kernel/security/apparmor/profiles ]; then
	AAPROF_APPARMORFS=$T/rel/fs fails 5 "release binary: AAPROF_APPARMORFS is ignored (no AppArmor here: exit 5)" "$R" status --profile-dir "$T/rel/pd"
fi
printf 'type=AVC msg=audit(1700000000.000:1): apparmor="ALLOWED" operation="open" profile="relapp" name="/srv/rel/now" pid=1 comm="x" requested_mask="r" denied_mask="r" fsuid=0 ouid=0\n' > "$T/rel.log"
AAPROF_NOW=1700000100 "$A" harvest -q -f "$T/rel.log" --since 1h --format rules relapp > "$T/out" 2>&1
assert "test binary: AAPROF_NOW sets the clock" "grep -q /srv/rel/now $T/out"
AAPROF_NOW=1700000100 "$R" harvest -q -f "$T/rel.log" --since 1h --format rules relapp > "$T/out" 2>&1
assert "release binary: AAPROF_NOW is ignored (the record is years old)" "! grep -q /srv/rel/now $T/out"
if [ $ROOT = 1 ]; then
	W=$(mktemp -d /tmp/aaprof-files.XXXXXX)
	chown 65534 "$W"
	AAPROF_STATE_DIR=$W/state ok "release binary as root: a state directory below another user's directory" "$R" unload --dry-run --purge --profile-dir "$T/rel/pd" relapp
	assert "is ignored with a warning" "grep -q \"ignoring AAPROF_STATE_DIR '$W/state'\" $T/err && grep -q 'a copy stays in /var/lib/aaprof' $T/out"
	AAPROF_STATE_DIR=$T/rel/state ok "release binary as root: a root-owned state directory" "$R" unload --dry-run --purge --profile-dir "$T/rel/pd" relapp
	assert "is used" "grep -q 'a copy stays in $T/rel/state' $T/out && ! grep -q ignoring $T/err"
	rm -rf "$W"
fi

finish
