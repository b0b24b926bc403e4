#!/bin/bash
# aaprof check offline: a fake Docker Engine API on a unix socket
# (data/check/fake-docker-sock.py serving the canned container JSON in
# data/check/*.json), a fake apparmorfs and a fake /proc. Each container's
# report and exit status is a golden file, data/check/expected/NAME; the
# `docker inspect` fallback, chunked responses, bad JSON and --baseline too.
# Real containers: tests/e2e/docker-check.sh (make check-e2e).
set -u
SUITE=check
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
. "$HERE/lib.sh"
A=${AAPROF:-$TOP/build/aaprof}
D=$HERE/data/check
fake_kernel
export AAPROF_PROCFS=$T/proc
command -v python3 >/dev/null || { echo "$SUITE: python3 missing (apt-get install python3)" >&2; exit 1; }

printf '%s\n' 'docker-default (enforce)' 'web (enforce)' 'learn (complain)' 'other (enforce)' \
	'wide (enforce)' > "$T/fs/profiles"
proc() {   # proc PID CGROUP SECCOMP CONTEXT
	mkdir -p "$T/proc/$1/attr/apparmor"
	printf '%s\n' "$4" > "$T/proc/$1/attr/apparmor/current"
	printf '0::/system.slice/docker-%s.scope\n' "$2" > "$T/proc/$1/cgroup"
	printf 'Name:\tsleep\nUmask:\t0022\nState:\tS (sleeping)\nPid:\t%s\nNoNewPrivs:\t0\nSeccomp:\t%s\nSeccomp_filters:\t1\n' "$1" "$3" > "$T/proc/$1/status"
}
proc 201 c1 2 'docker-default (enforce)'
proc 202 c1 2 'docker-default (enforce)'
proc 203 other-container 0 'unconfined'
proc 301 c2 2 'web (enforce)'
proc 401 c3 2 'learn (complain)'
proc 501 c4 2 'unconfined'
proc 601 c5 0 'unconfined'
proc 701 c6 0 'docker-default (enforce)'
proc 801 c7 2 'unconfined'
proc 901 c8 2 'web (enforce)'
proc 902 c8 2 'other (enforce)'
proc 1001 c9 2 'docker-default (enforce)'
proc 1101 ca 2 'docker-default (enforce)'
proc 1201 cb 2 'docker-default (enforce)'
proc 1301 cd 2 'unconfined'
proc 1401 ce 2 'wide (enforce)'

S=$T/docker.sock
serve() {   # serve [OPTIONS]: (re)start the fake Engine API on $S
	[ -n "${SRV:-}" ] && kill "$SRV" 2>/dev/null && wait "$SRV" 2>/dev/null
	rm -f "$S"
	python3 "$D/fake-docker-sock.py" "$S" "$D" "$@" &
	SRV=$!
	for _ in $(seq 100); do [ -S "$S" ] && return 0; sleep 0.05; done
	echo "$SUITE: the fake Docker socket did not start" >&2; exit 1
}
trap '[ -n "${SRV:-}" ] && kill "$SRV" 2>/dev/null; rm -rf "$T"' EXIT
serve

# golden NAME EXIT ARGS...: the report (stdout) and exit status against data/check/expected/NAME
golden() {
	local name=$1 want=$2 rc
	shift 2
	"$A" check --socket "$S" --profile-dir "$PD" "$@" > "$T/out" 2> "$T/err"
	rc=$?
	{ echo "exit $rc"; sed "s|$T|\$T|g" "$T/out"; } > "$T/got"
	if [ "$rc" != "$want" ]; then
		fail "$name: exit $want" "got $rc from: check $*" "$(head -c 1500 "$T/err")"
	elif [ -n "${UPDATE_GOLDEN:-}" ]; then
		mkdir -p "$D/expected"; cp "$T/got" "$D/expected/$name"; pass "$name"
	elif diff -u "$D/expected/$name" "$T/got" > "$T/diff"; then
		pass "$name"
	else
		fail "$name" "$(head -40 "$T/diff")"
	fi
}
golden default 0 c-default
golden named 0 c-named
golden complain 17 c-learn
golden unconfined 21 c-unconfined
golden privileged 23 c-privileged
golden noseccomp 18 c-noseccomp
golden not-loaded 17 c-ghost
golden escaped-process 17 c-escaped
golden options 20 c-options
golden caps 0 c-caps
golden cap-all 20 c-capall
golden stopped 0 c-stopped
golden no-profile 17 c-noaa
golden several 23 c-default c-privileged c-named
golden by-id 0 1111111111111111111111111111111111111111111111111111111111111111
golden json 21 --json c-default c-unconfined
assert "--json is JSON with the failed classes" "python3 -c '
import json, sys
a = json.load(open(\"$T/out\"))
assert [c[\"failed\"] for c in a] == [[], [\"apparmor\", \"privilege\"]], a
assert a[1][\"security_opt\"] == [\"apparmor=unconfined\"] and a[1][\"ok\"] is False
'"
golden all 23 --all

# --baseline docker-default: web rendered from docker-default holds it; wide allows mount and lost a /sys deny
"$A" render -t docker-default web -o "$PD/web" 2>/dev/null
"$A" render -t docker-default wide -o "$T/wide" 2>/dev/null
sed 's/^\( *\)deny mount,/\1mount,/; /deny \/sys\/firmware/d' "$T/wide" > "$PD/wide"
assert "the widened profile differs" "! cmp -s '$T/wide' '$PD/wide'"
golden baseline-held 0 --baseline docker-default c-named
golden baseline-widened 24 --baseline docker-default c-wide
golden baseline-no-file 25 --baseline docker-default c-escaped c-learn
golden baseline-is-default 0 --baseline docker-default c-default

# what the Engine API answers, in other shapes
serve --chunked
golden chunked 21 c-default c-unconfined
fails 1 "a container that is not there" "$A" check --socket "$S" no-such
grep -q "no such container: 'no-such'" "$T/err" && pass "no such container: said" || fail "no such container: said" "$(cat "$T/err")"
fails 1 "a field of the wrong type" "$A" check --socket "$S" c-badtype
grep -q "'Id' is not a string" "$T/err" && pass "wrong type: said" || fail "wrong type: said" "$(cat "$T/err")"
fails 1 "truncated JSON" "$A" check --socket "$S" c-trunc
grep -q "not JSON" "$T/err" && pass "truncated JSON: said" || fail "truncated JSON: said" "$(cat "$T/err")"
printf 'HTTP/1.1 200 OK\r\nContent-Length: 900\r\n\r\n{"Id":"x"}' > "$T/short"
serve --raw "$T/short"
fails 1 "a body shorter than its Content-Length" "$A" check --socket "$S" c-default
grep -q "truncated HTTP body" "$T/err" && pass "short body: said" || fail "short body: said" "$(cat "$T/err")"
printf 'SSH-2.0-OpenSSH_9.2\r\n' > "$T/notttp"
serve --raw "$T/notttp"
fails 1 "not HTTP" "$A" check --socket "$S" c-default
printf 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n' > "$T/badchunk"
serve --raw "$T/badchunk"
fails 1 "a bad chunk" "$A" check --socket "$S" c-default
serve

# no socket: docker inspect (a fake docker command, $AAPROF_DOCKER)
cat > "$T/docker" <<EOF
#!/bin/sh
# fake docker: inspect --type container -- NAME, ps --quiet --no-trunc
echo "\$*" >> "$T/docker.calls"
case "\$1" in
inspect) f="$D/\$5.json"; [ -f "\$f" ] || f=\$(grep -l "\"Id\":\"\$5\"" $D/*.json | head -1)
	[ -f "\$f" ] || { echo '[]'; echo "Error: No such container: \$5" >&2; exit 1; }
	printf '['; cat "\$f"; printf ']\n' ;;
ps) echo 1111111111111111111111111111111111111111111111111111111111111111 ;;
esac
EOF
chmod +x "$T/docker"
export AAPROF_DOCKER=$T/docker
fails 21 "docker inspect stands in for the socket" "$A" check --socket "$T/none.sock" c-default c-unconfined
grep -q "asking 'docker inspect'" "$T/err" && pass "the fallback is said" || fail "the fallback is said" "$(cat "$T/err")"
grep -q "^inspect --type container -- c-unconfined$" "$T/docker.calls" && pass "docker inspect's argv" ||
	fail "docker inspect's argv" "$(cat "$T/docker.calls")"
fails 0 "--all through docker ps" "$A" check --socket "$T/none.sock" --all
fails 1 "docker inspect: no such container" "$A" check --socket "$T/none.sock" no-such
unset AAPROF_DOCKER

# the command line
fails 2 "no container named" "$A" check --socket "$S"
fails 2 "--all and names" "$A" check --socket "$S" --all c-default
fails 2 "a name Docker would not accept" "$A" check --socket "$S" 'c/../../x'
fails 2 "a name with a request in it" "$A" check --socket "$S" $'c-default HTTP/1.1\r\nHost: x'
fails 2 "an abbreviated option" "$A" check --socket "$S" --bas docker-default c-default

finish
