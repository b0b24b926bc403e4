#!/bin/bash
# aaprof seccomp (issue 19): render (Docker's default as moby ships it, the
# trial forms), the kernel's SECCOMP records on every architecture of
# Docker's archMap (tests/data/seccomp/arches.tsv), forged records (never
# evidence, counted), hostile input, the danger gate, the output's structure
# (the default intact plus one group per syscall), --diff and --write.
set -u
SUITE=seccomp
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
. "$HERE/lib.sh"
A=${AAPROF:-$TOP/build/aaprof}
D=$TOP/tests/data/seccomp
export TZ=UTC AAPROF_NOW=1795400000 AAPROF_STATE_DIR=$T/state
PY=python3

# rec ARCH NR COMPAT [COMM] [SUBJ] [CODE]: a SECCOMP record as dmesg shows it
rec() {
	printf '[   82.706379] audit: type=1326 audit(1795391230.428:207): auid=4294967295 uid=0 gid=0 ses=4294967295 subj=%s pid=1442 comm="%s" exe="/bin/busybox" sig=0 arch=%s syscall=%s compat=%s ip=0x4cb1a7 code=%s\n' \
		"${5:-docker-default}" "${4:-probe}" "$1" "$2" "$3" "${6:-0x7ffc0000}"
}
# json EXPR: evaluate a Python expression on $T/out as JSON (j), succeed if true
json() { $PY -c "import json,sys; j=json.load(open('$T/out')); sys.exit(0 if ($1) else 1)" 2>/dev/null; }

# --- render: moby's default, as data
ok "render" "$A" seccomp render
cp "$T/out" "$T/default.json"
assert "render: defaultAction SCMP_ACT_ERRNO, defaultErrnoRet 1" \
	"json \"j['defaultAction'] == 'SCMP_ACT_ERRNO' and j['defaultErrnoRet'] == 1\""
assert "render: the 9-architecture archMap" "json \"[a['architecture'] for a in j['archMap']] == \
['SCMP_ARCH_X86_64', 'SCMP_ARCH_AARCH64', 'SCMP_ARCH_MIPS64', 'SCMP_ARCH_MIPS64N32', 'SCMP_ARCH_MIPSEL64', \
'SCMP_ARCH_MIPSEL64N32', 'SCMP_ARCH_S390X', 'SCMP_ARCH_RISCV64', 'SCMP_ARCH_LOONGARCH64'] and \
j['archMap'][0]['subArchitectures'] == ['SCMP_ARCH_X86', 'SCMP_ARCH_X32']\""
assert "render: socket allowed only below AF_ALG (38), as 39, above AF_VSOCK (40)" \
	"json \"sorted((a['op'], a['value']) for g in j['syscalls'] if g['names'] == ['socket'] for a in g['args']) == \
[('SCMP_CMP_EQ', 39), ('SCMP_CMP_GT', 40), ('SCMP_CMP_LT', 38)] and \
all('socket' not in g['names'] for g in j['syscalls'] if not g.get('args'))\""
assert "render: capability-, architecture- and minKernel-conditioned groups" \
	"json \"any(g.get('includes', {}).get('caps') == ['CAP_SYS_ADMIN'] for g in j['syscalls']) and \
any(g.get('includes', {}).get('arches') == ['amd64', 'x32'] for g in j['syscalls']) and \
any(g.get('includes', {}).get('minKernel') == '4.8' for g in j['syscalls']) and \
any(g.get('excludes', {}).get('caps') == ['CAP_SYS_ADMIN'] and g['names'] == ['clone3'] and g['errnoRet'] == 38 for g in j['syscalls'])\""
assert "render: the unconditional allowlist (mount, unshare, ptrace not in it)" \
	"json \"len(j['syscalls'][0]['names']) > 300 and not set(['mount', 'unshare', 'ptrace', 'bpf']) & set(j['syscalls'][0]['names'])\""
assert "render: names the moby commit it is" "json \"'moby/profiles seccomp/default.json at commit 3c28324' in j['comment']\""
ok "render --trial" "$A" seccomp render --trial
assert "render --trial: SCMP_ACT_LOG, no defaultErrnoRet, the rest as the default" \
	"json \"j['defaultAction'] == 'SCMP_ACT_LOG' and 'defaultErrnoRet' not in j and \
{k: v for k, v in j.items() if k != 'defaultAction'} == {k: v for k, v in json.load(open('$T/default.json')).items() if k not in ('defaultAction', 'defaultErrnoRet')}\""
ok "render --log-flag" "$A" seccomp render --log-flag
assert "render --log-flag: SCMP_ACT_ERRNO with flags SECCOMP_FILTER_FLAG_LOG" \
	"json \"j['defaultAction'] == 'SCMP_ACT_ERRNO' and j['flags'] == ['SECCOMP_FILTER_FLAG_LOG']\""
ok "render -o FILE" "$A" seccomp render -o "$T/r.json"
assert "render -o: the same text" "cmp -s '$T/r.json' '$T/default.json'"
fails 2 "render: an unexpected argument" "$A" seccomp render extra
fails 2 "seccomp: an unknown subcommand" "$A" seccomp frobnicate

# --- every architecture of the archMap: the record's syscall named as libseccomp names it
while IFS=$'\t' read -r arch nr compat name an host; do
	case $arch in '#'*|'') continue ;; esac
	rec "$arch" "$nr" "$compat" > "$T/a.log"
	"$A" seccomp harvest -q --format json -f "$T/a.log" > "$T/out" 2> "$T/err"
	if json "len(j['syscalls']) == 1 and j['syscalls'][0]['syscall'] == '$name' and \
j['syscalls'][0]['arches'] == ['$an'] and j['syscalls'][0]['host_arch'] == '$host'"; then
		pass "arch $arch syscall $nr compat $compat: $name on $an (host $host)"
	else
		fail "arch $arch syscall $nr compat $compat: expected $name on $an (host $host)" "$(cat "$T/out" "$T/err")"
	fi
done < "$D/arches.tsv"

# --- the record formats: audit.log (ENRICHED), dmesg, kern.log, all the same call
while IFS= read -r line; do
	printf '%s\n' "$line" > "$T/f.log"
	"$A" seccomp harvest -q --format json -f "$T/f.log" > "$T/out" 2> "$T/err"
	if json "j['records'] == 1 and [s['syscall'] for s in j['syscalls']] == ['uname'] and j['syscalls'][0]['comms'] == ['uname']"; then
		pass "format: ${line:0:40}"
	else
		fail "format: $line" "$(cat "$T/out" "$T/err")"
	fi
done < "$D/formats.log"

# --- forged records: framed by user space, never evidence; each control is used
i=0
while IFS= read -r line && IFS= read -r ctl <&3; do
	i=$((i + 1))
	printf '%s\n' "$line" > "$T/forged.log"
	"$A" seccomp harvest --allow-dangerous=unshare -f "$T/forged.log" > "$T/out" 2> "$T/err"
	if ! grep -q 'aaprof seccomp harvest:' "$T/out" && grep -q '1 not written by the kernel' "$T/err"; then
		pass "forged line $i: not used, counted"
	else
		fail "forged line $i: used or not counted" "$line" "$(cat "$T/err")"
	fi
	printf '%s\n' "$ctl" > "$T/ctl.log"
	"$A" seccomp harvest --allow-dangerous=unshare -f "$T/ctl.log" > "$T/out" 2> "$T/err"
	if grep -q '"comment": "aaprof seccomp harvest: unshare' "$T/out" && ! grep -q 'not written by the kernel' "$T/err"; then
		pass "forged line $i: its control, framed as the kernel frames it, is used"
	else
		fail "forged line $i: the control is not used" "$ctl" "$(cat "$T/err")"
	fi
done < "$D/forged.log" 3< "$D/forged.control"
assert "forged: every line has a control" "[ $(wc -l < "$D/forged.log") = $(wc -l < "$D/forged.control") ]"

# --- hostile input: counted as malformed, never a syscall, never a crash
n=$(grep -c . "$D/hostile.log")
"$A" seccomp harvest --format json -f "$D/hostile.log" > "$T/out" 2> "$T/err"
rc=$?
assert "hostile: exit 0, no syscall, all $n counted malformed" \
	"[ $rc = 0 ] && json \"j['syscalls'] == [] and j['malformed'] == $n\""
head -c 300000 /dev/urandom | tr '\0' 'x' > "$T/random.log"
fails 0 "hostile: random bytes" "$A" seccomp harvest -q -f "$T/random.log"

# --- the danger gate and the output's structure
{ rec c000003e 272 0 ctprobe; rec c000003e 272 0 ctprobe; rec c000003e 139 0 sh runc; rec c000003e 63 0 uname; } > "$T/w.log"
fails 4 "gate: unshare is held back (exit 4)" "$A" seccomp harvest -f "$T/w.log" docker-default
assert "gate: held back with its evidence and how to add it" \
	"grep -q '^  unshare (amd64): dangerous' '$T/err' && grep -q '2 records (LOG) by comm ctprobe' '$T/err' && grep -q 'allow-dangerous=unshare' '$T/err'"
assert "gate: the profile printed is the default, nothing added" "cmp -s '$T/out' '$T/default.json'"
ok "gate: --allow-dangerous=unshare adds it" "$A" seccomp harvest -f "$T/w.log" --allow-dangerous=unshare docker-default
cp "$T/out" "$T/harvested.json"
assert "structure: the default intact, then one group: unshare, ALLOW, on amd64, with its evidence" \
	"json \"(lambda d, g: \
{k: v for k, v in j.items() if k != 'syscalls'} == {k: v for k, v in d.items() if k != 'syscalls'} and \
j['syscalls'][:-1] == d['syscalls'] and g['names'] == ['unshare'] and g['action'] == 'SCMP_ACT_ALLOW' and \
g['includes'] == {'arches': ['amd64']} and '2 records (LOG) by comm ctprobe' in g['comment'] and \
'first seen 2026-11-22T23:47:10Z, last seen 2026-11-22T23:47:10Z' in g['comment'])(json.load(open('$T/default.json')), j['syscalls'][-1])\""
assert "filter: sysfs of the runc label is another workload's; uname is allowed already" \
	"grep -q '1 of other workloads' '$T/err' && grep -q '1 allowed already' '$T/err'"
fails 2 "gate: --allow-dangerous without a name" "$A" seccomp harvest -f "$T/w.log" --allow-dangerous
fails 2 "gate: --allow-dangerous=NAME with a bad name" "$A" seccomp harvest -f "$T/w.log" '--allow-dangerous=a b'
{ rec c000003e 41 0 probe; rec c000003e 435 0 probe; rec c000003e 999 0 probe; } > "$T/args.log"
fails 4 "gate: socket (argument-filtered), clone3 (refused), #999 (unnamed) held back" \
	"$A" seccomp harvest -f "$T/args.log" --allow-dangerous=clone3
assert "gate: each with its reason" "grep -q 'socket (amd64): the profile allows it only with argument filters' '$T/err' && \
grep -q 'clone3 (amd64): the profile refuses it explicitly' '$T/err' && grep -q '#999 (amd64): libseccomp names no syscall' '$T/err' && \
! grep -q '\"names\": \\[\$' '$T/out' || cmp -s '$T/out' '$T/default.json'"
ok "caps: --cap-add CAP_SYS_ADMIN allows unshare already" "$A" seccomp harvest -f "$T/w.log" --cap-add CAP_SYS_ADMIN docker-default
assert "caps: nothing added" "cmp -s '$T/out' '$T/default.json'"
{ rec c000003e 272 0 ctprobe docker-default 0x00050001; } > "$T/errno.log"
fails 4 "ERRNO records (SECCOMP_FILTER_FLAG_LOG) are evidence too" "$A" seccomp harvest --format json -f "$T/errno.log"
assert "ERRNO(1) named as the action" "json \"j['syscalls'][0]['actions'] == ['ERRNO(1)']\""
{ rec c000003e 272 0 ctprobe docker-default 0x7fff0000; } > "$T/allow.log"
ok "ALLOW records (actions_logged allow) add nothing" "$A" seccomp harvest --allow-dangerous=unshare -f "$T/allow.log"
assert "ALLOW records: nothing added, counted" "cmp -s '$T/out' '$T/default.json' && grep -q '1 of allowed calls' '$T/err'"

# --- --profile, --diff, --write; profiles aaprof refuses to extend
cp "$T/default.json" "$T/p.json"
ok "--diff" "$A" seccomp harvest -f "$T/w.log" --allow-dangerous=unshare --profile "$T/p.json" --diff docker-default
assert "--diff: shows the group, changes nothing" "grep -q '^+.*aaprof seccomp harvest: unshare' '$T/out' && cmp -s '$T/p.json' '$T/default.json'"
ok "--write" "$A" seccomp harvest -f "$T/w.log" --allow-dangerous=unshare --profile "$T/p.json" --write docker-default
assert "--write: the file is the harvested profile" "cmp -s '$T/p.json' '$T/harvested.json'"
assert "--write: the previous file is kept as a backup" "grep -rqs 'SCMP_ACT_ERRNO' '$T/state/backup' && ! grep -rqs 'aaprof seccomp harvest' '$T/state/backup'"
ok "--write again: unshare is allowed now, nothing added" "$A" seccomp harvest -f "$T/w.log" --profile "$T/p.json" --write docker-default
assert "--write again: the file is unchanged" "cmp -s '$T/p.json' '$T/harvested.json'"
fails 2 "--write without --profile" "$A" seccomp harvest -f "$T/w.log" --write
printf '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ERRNO"}]}\n' > "$T/allow.json"
fails 1 "--profile with defaultAction SCMP_ACT_ALLOW is refused" "$A" seccomp harvest -f "$T/w.log" --profile "$T/allow.json"
printf '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": []}\n' > "$T/empty.json"
fails 1 "--profile with an empty allowlist is refused" "$A" seccomp harvest -f "$T/w.log" --profile "$T/empty.json"
printf '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW"}]} trailing\n' > "$T/bad.json"
fails 1 "--profile that is not valid JSON" "$A" seccomp harvest -f "$T/w.log" --profile "$T/bad.json"

finish
