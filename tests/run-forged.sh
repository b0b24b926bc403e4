#!/bin/bash
# Forged and foreign records (tests/data/forged, README.md there): lines the
# kernel did not write (USER_AVC of every class, logger(1) lines, the
# journal's other transports, user space's /dev/kmsg lines) and records of
# another AppArmor policy namespace. None may become a rule, and the summary
# counts them; the control of each line, framed as the kernel frames it,
# must become one (or the test could not fail). Also: scan.c's cache of
# repeated lines must not carry a trusted outcome over to a forged line.
set -u
SUITE=forged
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
. "$HERE/lib.sh"
A=${AAPROF:-$TOP/build/aaprof}
D=$TOP/tests/data/forged
export TZ=UTC AAPROF_NOW=1763800000 AAPROF_STATE_DIR=$T/state
cd "$D"

# harvest FILE ARGS...: rules of every profile, all dangerous ones written
# (held-back rules would hide what was derived); stdout $T/out, stderr $T/err
harvest() {
	local f=$1; shift
	"$A" harvest -f "$f" --no-generalise --allow-dangerous "$@" > "$T/out" 2> "$T/err"
}
nrules() { grep -c ',$' "$T/out"; }
# unused N WHY: the summary's "not used:" line counts N records for WHY (N 0:
# it does not name WHY); of $T/err, or of $ERR
unused() {
	local l
	l=$(grep '^aaprof harvest: not used: ' "${ERR:-$T/err}")
	if [ "$1" = 0 ]; then ! grep -q "$2" <<< "$l"; else grep -Eq "(: |, )$1 $2" <<< "$l"; fi
}
# the summary says no record was used and there is no rule
none_used() { grep -q '^aaprof harvest: no record used: no rule$' "$T/err"; }

# every line alone, and its control alone
pairs() {
	local name=$1 i=0 line ctl
	while IFS= read -r line && IFS= read -r ctl <&3; do
		i=$((i + 1))
		printf '%s\n' "$line" > "$T/one.log"
		printf '%s\n' "$ctl" > "$T/ctl.log"
		harvest "$T/one.log"
		if [ -s "$T/out" ] || ! none_used || ! unused 1 'not written by the kernel'; then
			fail "$name line $i: no rule, counted as not from the kernel" "$line" "$(cat "$T/out" "$T/err")"
		else
			pass "$name line $i"
		fi
		harvest "$T/ctl.log"
		if [ "$(nrules)" -ge 1 ] && unused 0 'not written by the kernel'; then
			pass "$name control $i"
		else
			fail "$name control $i: the kernel's framing of line $i gives a rule" "$ctl" "$(cat "$T/out" "$T/err")"
		fi
	done < "$name.log" 3< "$name.control"
	assert "$name: every line has a control" "[ $(wc -l < "$name.log") = $(wc -l < "$name.control") ]"
}

# --- USER_AVC of every class, and D-Bus records of other senders than the bus
pairs user-avc
harvest user-avc.log
assert "user-avc: the whole file, 0 rules, all $(wc -l < user-avc.log) not from the kernel" \
	"[ ! -s $T/out ] && unused $(wc -l < user-avc.log) 'not written by the kernel'"
assert "user-avc: the summary says why" "grep -q 'not written by the kernel and are no evidence (e.g. a USER_AVC' $T/err"
harvest user-avc.control
assert "user-avc: the controls give rules of every class" \
	"grep -q '/etc/shadow r,' $T/out && grep -q 'capability sys_module' $T/out && grep -q '^ *dbus send' $T/out && grep -q 'change_profile' $T/out && grep -q '^ *mount' $T/out && grep -q '^ *ptrace' $T/out && grep -q '^ *signal' $T/out"

# --- logger(1) lines: tags other than kernel:
pairs syslog
cat syslog.log syslog.control > "$T/mixed.log"
harvest "$T/mixed.log" myapp --format json
assert "syslog: mixed with real kernel lines, only the kernel's are evidence" \
	"[ \$(grep -c '\"count\":' $T/out) -ge 1 ] && unused $(wc -l < syslog.log) 'not written by the kernel'"
for j in 1 2 3; do
	AAPROF_CHUNK=512 "$A" harvest -j $j -f "$T/mixed.log" --no-generalise --allow-dangerous --format json > "$T/j$j.json" 2> "$T/j$j.err"
done
assert "syslog: the same with threads and chunks" "cmp -s $T/j1.json $T/j2.json && cmp -s $T/j1.json $T/j3.json && ERR=$T/j3.err unused $(wc -l < syslog.log) 'not written by the kernel'"

# --- the journal: only the kernel and audit transports, and there only the kernel's
if journal_file journal-forged.export "$T/forged.journal" && journal_file journal-control.export "$T/control.journal"; then
	"$A" harvest --journal-file "$T/forged.journal" --no-generalise --allow-dangerous > "$T/out" 2> "$T/err"
	assert "journal: other transports, user space's kmsg lines, USER_AVC/USER_AUTH of a container: 0 rules" "[ ! -s $T/out ] && none_used"
	# the syslog, journal and stdout transports are never read (sd_journal
	# matches on _TRANSPORT): the kernel's and audit's 5 are, and counted
	assert "journal: other transports not read, the other 5 counted as not from the kernel" \
		"grep -q ': 5 AppArmor records$' $T/err && none_used && unused 5 'not written by the kernel'"
	"$A" harvest --journal-file "$T/control.journal" --no-generalise --allow-dangerous > "$T/out" 2> "$T/err"
	assert "journal control: kernel transport (facility 0 or none), audit AVC, the bus's USER_AVC: 4 rules" \
		"[ \$(nrules) = 4 ] && grep -q control-kernel-old $T/out && grep -q 'dbus send' $T/out && unused 0 'not written by the kernel'"
else
	fail "journal" "cannot build a journal file: apt-get install systemd-journal-remote"
fi

# --- /dev/kmsg: what user space writes there has a facility other than the kernel's
if [ -w /dev/kmsg ] && [ -r /dev/kmsg ] && [ -z "${AAPROF_NO_KMSG:-}" ]; then
	p=aaprof-forged-$$-$RANDOM
	now=$(date +%s)
	for pri in '<14>' '<4>' ''; do
		printf '%sforged: audit: type=1400 audit(%s.000:1): apparmor="ALLOWED" operation="open" profile="%s" name="/etc/shadow" pid=1 comm="x" requested_mask="r" denied_mask="r" fsuid=0 ouid=0\n' "$pri" "$now" "$p" > /dev/kmsg
		printf '%saudit: type=1400 audit(%s.000:2): apparmor="ALLOWED" operation="open" profile="%s" name="/etc/gshadow" pid=1 comm="x" requested_mask="r" denied_mask="r" fsuid=0 ouid=0\n' "$pri" "$now" "$p" > /dev/kmsg
	done
	"$A" harvest --dmesg --no-generalise --allow-dangerous "$p" > "$T/out" 2> "$T/err"
	n=$(sed -n 's/^aaprof harvest: not used: \(.*, \)\{0,1\}\([0-9]*\) not written by the kernel.*/\2/p' "$T/err")
	assert "kmsg: lines user space wrote into /dev/kmsg (any <PRI>) are no rules" "[ ! -s $T/out ] && none_used"
	assert "kmsg: they were read, and counted as not from the kernel" "[ \"\${n:-0}\" -ge 6 ]"
else
	echo "forged: /dev/kmsg not writable: the kmsg test is skipped" >&2
fi

# --- records of nested containers' own policy namespaces
harvest namespace.log
assert "namespace: no nested record is the host's" "! grep -q 'overlay2\\|/root/link\\|nested' $T/out"
assert "namespace: the host's own records of runc and linkit are (namespace absent or root)" \
	"grep -q host-state.json $T/out && grep -q /srv/host-link $T/out && grep -q root-named.json $T/out"
assert "namespace: 6 counted as another namespace's, and named" \
	"unused 6 'of another policy namespace' && grep -q 'another AppArmor policy namespace (e.g. root//incus-test_<var-lib-incus>' $T/err && grep -q -- '--namespace NS' $T/err"
assert "namespace: journald's audit[PID]: copy of a record is not the kernel's" "unused 1 'not written by the kernel'"
harvest namespace.log --namespace 'root//incus-test_<var-lib-incus>' --format json
assert "--namespace: that namespace's runc, not the host's" \
	"grep -q 'pivot_root' $T/out && grep -q /etc/nested-label $T/out && ! grep -q 'host-state\\|root-named\\|/root/link' $T/out"
assert "--namespace: a stack of profiles of two namespaces is no one profile's" "! grep -q nested-stack $T/out"
assert "--namespace: the JSON evidence names the namespace (the document's and its 2 rules')" \
	"[ \$(grep -c '\"namespace\":\"root//incus-test_<var-lib-incus>\"' $T/out) = 3 ]"
for l in ':incus-test_<var-lib-incus>' ':incus-test_<var-lib-incus>:' ':incus-test_<var-lib-incus>://'; do
	printf 'type=AVC msg=audit(1714097922.500:1305): apparmor="ALLOWED" operation="open" class="file" label="%s" name="/etc/no-profile" pid=1 comm="x" requested_mask="r" denied_mask="r"\n' "$l"
done > "$T/nsbad.log"
harvest "$T/nsbad.log" --namespace 'root//incus-test_<var-lib-incus>'
assert "--namespace: a label of the namespace that names no profile is no rule" "[ ! -s $T/out ] && unused 3 'of another policy namespace'"
harvest namespace.log --namespace 'incus-test_<var-lib-incus>' runc
assert "--namespace without root//: the same namespace" "grep -q pivot_root $T/out && grep -q nested-label $T/out"
harvest namespace.log --namespace root runc
assert "--namespace root: the host's" "grep -q host-state.json $T/out && ! grep -q pivot_root $T/out"
mkdir -p "$T/etc"
"$A" render -o "$T/etc/runc" runc > /dev/null 2>&1 || printf 'profile runc {\n}\n' > "$T/etc/runc"
cp "$T/etc/runc" "$T/runc.orig"
fails 1 "--namespace --write: never the host's profile file of that name" \
	"$A" harvest -f namespace.log --namespace 'root//incus-test_<var-lib-incus>' --profile-dir "$T/etc" --write runc
assert "--namespace --write: says why, the host file untouched" "grep -q 'not the host' $T/err && cmp -s $T/etc/runc $T/runc.orig"
fails 2 "--namespace twice is a usage error" "$A" harvest -f namespace.log --namespace a --namespace b runc
fails 2 "--namespace '' is a usage error" "$A" harvest -f namespace.log --namespace '' runc

# --- the cache of repeated lines (scan.c): a forged line that differs from a
# kernel line seen before only where the signature looks away must not be
# replayed as the kernel's; with and without the cache, the same
k='apparmor="ALLOWED" operation="open" class="file" profile="myapp" name="/etc/cache-test" pid=7 comm="myapp" requested_mask="r" denied_mask="r" fsuid=0 ouid=0'
d='apparmor="ALLOWED" operation="dbus_method_call"  bus="system" path="/o" interface="o.i" member="M" mask="send" name="o.n" pid=7 label="myapp" peer_pid=1 peer_label="unconfined"'
cache_case() {   # cache_case NAME KERNEL-LINE FORGED-LINE
	printf '%s\n%s\n' "$2" "$3" > "$T/cache.log"
	"$A" harvest -j 1 -f "$T/cache.log" --format json --no-generalise > "$T/c.json" 2> "$T/c.err"
	AAPROF_NO_CACHE=1 "$A" harvest -j 1 -f "$T/cache.log" --format json --no-generalise > "$T/u.json" 2> "$T/u.err"
	assert "cache: $1: the forged line is not replayed as the kernel's" \
		"ERR=$T/c.err unused 1 'not written by the kernel' && grep -q '\"count\":1,' $T/c.json && cmp -s $T/c.json $T/u.json"
}
cache_case "a tag kernel[N]: after kernel:" \
	"Nov 22 08:00:01 web01 kernel: audit: type=1400 audit(1763798405.001:1): $k" \
	"Nov 22 08:00:01 web01 kernel[1.5]: audit: type=1400 audit(1763798405.002:2): $k"
cache_case "a USER_AVC header without a pid" \
	"type=USER_AVC msg=audit(1763798405.001:1): pid=612 uid=101 auid=4294967295 ses=4294967295 subj=unconfined msg='$d'" \
	"type=USER_AVC msg=audit(1763798405.002:2): pid= uid=101 auid=4294967295 ses=4294967295 subj=unconfined msg='$d'"
cache_case "a USER_AVC header without a session" \
	"type=USER_AVC msg=audit(1763798405.001:1): pid=612 uid=101 auid=4294967295 ses=4294967295 subj=unconfined msg='$d'" \
	"type=USER_AVC msg=audit(1763798405.002:2): pid=612 uid=101 auid=4294967295 ses= subj=unconfined msg='$d'"
cache_case "type=UNKNOWN[1107] after UNKNOWN[1400]" \
	"type=UNKNOWN[1400] msg=audit(1763798405.001:1): $k" \
	"type=UNKNOWN[1107] msg=audit(1763798405.002:2): $k"
cache_case "a [secs.usecs] in front of the tag" \
	"Nov 22 08:00:01 web01 kernel: [1.5] audit: type=1400 audit(1763798405.001:1): $k" \
	"Nov 22 08:00:01 web01 [1.5]kernel:  audit: type=1400 audit(1763798405.002:2): $k"
cache_case "a literal [] where the kernel's [secs.usecs] was" \
	"Nov 22 08:00:01 web01 kernel: [ 82.706379] audit: type=1400 audit(1763798405.001:1): $k" \
	"Nov 22 08:00:01 web01 kernel: [] audit: type=1400 audit(1763798405.002:2): $k"
cache_case "a line without the syslog date" \
	"Nov 22 08:00:01 web01 kernel: audit: type=1400 audit(1763798405.001:1): $k" \
	"web01 kernel: audit: type=1400 audit(1763798405.002:2): $k"
cache_case "a literal # where a USER_AVC header's pid was" \
	"type=USER_AVC msg=audit(1763798405.001:1): pid=612 uid=101 auid=4294967295 ses=4294967295 subj=unconfined msg='$d'" \
	"type=USER_AVC msg=audit(1763798405.002:2): pid=# uid=101 auid=4294967295 ses=4294967295 subj=unconfined msg='$d'"

finish
