# aaprof check against real containers (a dockervm.sh stage, bash, as root in
# the guest): containers started each way (docker-default, a named profile in
# enforce mode with added capabilities, one in complain mode with
# seccomp=unconfined, a profile widened past docker-default,
# apparmor=unconfined, --privileged), each with the exit
# status and findings aaprof check must give; the Engine API on the socket
# and the `docker inspect` fallback. Exits non-zero on the first failed check.
set -u
IMG=dvm/busybox
t_stage=$EPOCHREALTIME
fail() { echo "CHECK FAIL: $*"; exit 1; }
step() { echo; echo "== [$(( (${EPOCHREALTIME/./} - ${t_stage/./}) / 1000000 ))s] $*"; }
# expect RC ARGS...: run aaprof check ARGS, show its output, want exit status RC
expect() {
	local want=$1 rc
	shift
	aaprof check "$@" > /tmp/check.out 2>&1
	rc=$?
	cat /tmp/check.out
	[ "$rc" = "$want" ] || fail "aaprof check $* exited $rc, not $want"
}
has() { grep -q -- "$1" /tmp/check.out || fail "aaprof check's output lacks '$1'"; }

step "1. profiles: chk-named (docker-default's rules, enforce), chk-learn (complain), chk-wide (mount allowed, a /sys deny gone)"
aaprof render -t docker-default chk-named -o /tmp/chk-named || fail "render chk-named"
aaprof load /tmp/chk-named || fail "load chk-named"
aaprof render chk-learn -o /tmp/chk-learn || fail "render chk-learn"
aaprof load --complain /tmp/chk-learn || fail "load chk-learn"
aaprof render -t docker-default chk-wide -o /tmp/chk-wide || fail "render chk-wide"
sed -i 's/^\( *\)deny mount,/\1mount,/; /deny \/sys\/firmware/d' /tmp/chk-wide
aaprof load /tmp/chk-wide || fail "load chk-wide"
grep -E '^ *(deny )?mount,|firmware' /etc/apparmor.d/chk-wide

step "2. containers started each way (one after the other; they run side by side)"
start() {
	local t0=$EPOCHREALTIME
	docker run -d --network none --name "$@" $IMG sleep 600 >/dev/null || fail "docker run --name $*"
	echo "started $1 ($(( (${EPOCHREALTIME/./} - ${t0/./}) / 1000 )) ms)"
}
start c-default
start c-named --security-opt apparmor=chk-named --cap-add NET_ADMIN --cap-add SYS_PTRACE
start c-learn --security-opt apparmor=chk-learn --security-opt seccomp=unconfined
start c-wide --security-opt apparmor=chk-wide
start c-unconfined --security-opt apparmor=unconfined
start c-privileged --privileged
for c in c-default c-named c-learn c-wide c-unconfined c-privileged; do
	echo "$c: $(docker inspect --format '{{.AppArmorProfile}} {{.HostConfig.SecurityOpt}} privileged={{.HostConfig.Privileged}}' $c)"
done

step "3. aaprof check, container by container (exit 16 + 1 apparmor, 2 seccomp, 4 privilege, 8 baseline)"
expect 0 c-default
has "profile 'docker-default' is loaded in enforce mode"
has "processes confined by it"
has "processes have a seccomp filter"
expect 0 --baseline docker-default c-named
has "holds docker-default's"
has "capabilities added beyond Docker's defaults: NET_ADMIN, SYS_PTRACE"
expect 19 c-learn
has "loaded in complain mode"
has "security-opt seccomp=unconfined"
has "has no seccomp filter"
expect 24 --baseline docker-default c-wide
has "allows 'mount,'"
has "lacks docker-default's deny rule for '/sys/firmware/\*\*'"
expect 21 c-unconfined
has "security-opt apparmor=unconfined"
expect 23 c-privileged
has "runs --privileged"

step "4. several at once, --json, --all"
expect 23 c-default c-learn c-privileged
aaprof check --json c-default c-unconfined > /tmp/check.json
rc=$?
[ "$rc" = 21 ] || fail "check --json exited $rc, not 21"
head -30 /tmp/check.json
tr -d ' \n' < /tmp/check.json > /tmp/check.flat
grep -q '"apparmor_profile":"unconfined"' /tmp/check.flat || fail "--json lacks the unconfined profile"
grep -q '"failed":\["apparmor","privilege"\]' /tmp/check.flat || fail "--json lacks the failed classes"
expect 31 --all --baseline docker-default
[ "$(grep -c '^c-' /tmp/check.out)" = 6 ] || fail "--all did not report 6 containers"

step "5. without the socket: docker inspect"
expect 19 --socket /nonexistent/docker.sock c-learn
has "asking 'docker inspect'"
expect 1 no-such-container
has "no such container"

docker rm -f c-default c-named c-learn c-wide c-unconfined c-privileged >/dev/null
echo
echo "CHECK OK: aaprof check against containers started each way ($(( (${EPOCHREALTIME/./} - ${t_stage/./}) / 1000000 ))s)"
