#!/bin/bash
# Seccomp with real containers (issue 19), a guest stage of the Docker VM
# (bash, root, dockerd running, image dvm/busybox, probe
# /usr/local/bin/ctprobe, aaprof at /usr/bin/aaprof with its libraries):
#  1. dockerd accepts Docker's default as aaprof renders it, and it is the
#     container's active filter (Seccomp: 2 in /proc/1/status);
#  2. a workload that needs one syscall the default refuses (unshare(0),
#     syscall 272 on x86_64) fails under the default with EPERM;
#  3. under 'aaprof seccomp render --trial' it runs and the kernel logs
#     SECCOMP records of it;
#  4. 'aaprof seccomp harvest' holds unshare back (dangerous, exit 4), and
#     with --allow-dangerous=unshare adds exactly that call;
#  5. the workload runs under the harvested profile, while a syscall it
#     never made (sysfs, 139) is still refused with EPERM.
# Prints PASS/FAIL lines; exits non-zero on any failure.
set -u
A=${AAPROF:-/usr/bin/aaprof}
PROBE=${PROBE:-/usr/local/bin/ctprobe}
IMG=${IMG:-dvm/busybox}
W=$(mktemp -d /tmp/docker-seccomp.XXXXXX)
fails=0 passes=0
pass() { echo "PASS: $*"; passes=$((passes + 1)); }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
# run NAME PROFILE ARGS...: ctprobe ARGS in a container under the seccomp profile
run() {
	local name=$1 prof=$2; shift 2
	docker run --rm --network none --security-opt "seccomp=$prof" \
		-v "$PROBE:/ctprobe:ro" "$IMG" /ctprobe "$@" > "$W/$name.out" 2>&1
	local rc=$?
	sed "s/^/  [$name] /" "$W/$name.out"
	return $rc
}

sysctl -q kernel.printk_ratelimit=0 2>/dev/null
echo "kernel $(uname -r); actions_logged: $(cat /proc/sys/kernel/seccomp/actions_logged 2>&1)"
if ! "$A" version > /dev/null 2>&1; then
	fail "aaprof does not run in the guest: $("$A" version 2>&1 | head -3)"
	exit 1
fi

# 1. the rendered default: accepted by dockerd, the active filter
"$A" seccomp render -o "$W/default.json" || fail "seccomp render"
if docker run --rm --network none --security-opt "seccomp=$W/default.json" "$IMG" \
	grep '^Seccomp:' /proc/1/status > "$W/status" 2>&1 && grep -q 'Seccomp:[[:space:]]*2' "$W/status"; then
	pass "dockerd accepts the rendered default; the container runs under it ($(tr -s '\t' ' ' < "$W/status"))"
else
	fail "dockerd refused the rendered default or no filter is active: $(cat "$W/status")"
fi

# 2. unshare(0) under the default: refused with EPERM
if ! run default "$W/default.json" syscall 272 0 && grep -q 'FAIL.*Operation not permitted' "$W/default.out"; then
	pass "unshare is refused (EPERM) under Docker's default"
else
	fail "unshare under the default: expected EPERM"
fi

# 3. the trial profile: it runs, and the kernel logs it
"$A" seccomp render --trial -o "$W/trial.json" || fail "seccomp render --trial"
since=$(date +%s)
if run trial "$W/trial.json" syscall 272 0; then
	pass "unshare runs under the trial profile (SCMP_ACT_LOG)"
else
	fail "unshare under the trial profile"
fi
sleep 1
dmesg > "$W/dmesg.log"
n=$(grep -c 'type=1326.*subj=docker-default.* syscall=272 .*code=0x7ffc0000' "$W/dmesg.log")
if [ "$n" -ge 1 ]; then
	pass "the kernel logged $n SECCOMP record(s) of unshare: $(grep -m1 'type=1326.* syscall=272 ' "$W/dmesg.log")"
else
	fail "no SECCOMP record of unshare in dmesg"
fi

# 4. harvest: unshare is dangerous (held back, exit 4), then added when named
"$A" seccomp harvest --dmesg --since "@$((since - 1))" docker-default > "$W/held.json" 2> "$W/held.err"
rc=$?
sed 's/^/  [harvest] /' "$W/held.err"
if [ $rc = 4 ] && grep -q '^  unshare (amd64): dangerous' "$W/held.err" &&
   ! grep -q 'aaprof seccomp harvest: unshare' "$W/held.json"; then
	pass "harvest holds unshare back as dangerous (exit 4) and does not add it"
else
	fail "harvest without --allow-dangerous: exit $rc (expected 4, unshare held back)"
fi
"$A" seccomp harvest --dmesg --since "@$((since - 1))" --allow-dangerous=unshare \
	docker-default > "$W/harvested.json" 2> "$W/harvest.err"
rc=$?
sed 's/^/  [harvest] /' "$W/harvest.err"
added=$(grep -o '"comment": "aaprof seccomp harvest: [a-z0-9_]*' "$W/harvested.json" | sed 's/.*: //' | sort | tr '\n' ' ')
if [ $rc = 0 ] && [ "$added" = "unshare " ]; then
	pass "harvest --allow-dangerous=unshare adds exactly unshare"
else
	fail "harvest --allow-dangerous=unshare: exit $rc, added: '$added' (expected exactly unshare)"
fi
if grep -q '"defaultAction": "SCMP_ACT_ERRNO"' "$W/harvested.json"; then
	pass "the harvested profile keeps defaultAction SCMP_ACT_ERRNO"
else
	fail "the harvested profile's default action is not SCMP_ACT_ERRNO"
fi

# 5. the harvested profile: the workload runs, what it never made is refused
if run harvested "$W/harvested.json" syscall 272 0; then
	pass "unshare runs under the harvested profile (--security-opt seccomp=FILE)"
else
	fail "unshare under the harvested profile"
fi
if ! run never "$W/harvested.json" syscall 139 0 && grep -q 'FAIL.*Operation not permitted' "$W/never.out"; then
	pass "sysfs, never made, is still refused (EPERM) under the harvested profile"
else
	fail "sysfs under the harvested profile: expected EPERM"
fi

# 6. aaprof check sees the harvested profile active in a running container
docker rm -f sc-harvested > /dev/null 2>&1
if docker run -d --name sc-harvested --network none --security-opt "seccomp=$W/harvested.json" \
	--security-opt apparmor=docker-default "$IMG" sleep 300 > /dev/null 2>"$W/run.err"; then
	"$A" check --json sc-harvested > "$W/check.json" 2> "$W/check.err"
	rc=$?
	sed 's/^/  [check] /' "$W/check.err"
	tr -d ' \n\t' < "$W/check.json" > "$W/check.flat"
	if [ $rc = 0 ] && grep -q '"class":"seccomp","level":"ok"' "$W/check.flat" &&
	   grep -q '"ok":true' "$W/check.flat" && ! grep -q '"ok":false' "$W/check.flat"; then
		pass "aaprof check: the container under the harvested profile passes (seccomp active, exit 0)"
	else
		fail "aaprof check on the container under the harvested profile: exit $rc: $(head -c 600 "$W/check.json")"
	fi
	docker rm -f sc-harvested > /dev/null 2>&1
else
	fail "docker run -d under the harvested profile: $(cat "$W/run.err")"
fi

[ -n "${DVM_OUT:-}" ] && cp -r "$W" "$DVM_OUT/docker-seccomp" 2>/dev/null
echo "docker-seccomp: $passes passed, $fails failed"
[ $fails = 0 ]
