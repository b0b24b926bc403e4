#!/bin/bash
# The journal over the network, as fleets ship it: journal files of three
# hosts (built by systemd-journal-remote from export streams with their
# _HOSTNAME), uploaded by systemd-journal-upload from two network namespaces
# to systemd-journal-remote listening in a third (veth pairs), then
# aaprof harvest --journal-dir and aaprof merge --quorum 2 on the receiving
# side. Needs root (network namespaces): a missing tool or right is a
# failure, never a skip.
set -u
SUITE=fleet-journal
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
. "$HERE/lib.sh"
A=${AAPROF:-$TOP/build/aaprof}
export TZ=UTC AAPROF_NOW=1763800000 AAPROF_STATE_DIR=$T/state AAPROF_HOSTNAME=receiver

SD=/lib/systemd
[ -x $SD/systemd-journal-remote ] || SD=/usr/lib/systemd
JR=$SD/systemd-journal-remote JU=$SD/systemd-journal-upload
missing=
for t in "$JR" "$JU"; do [ -x "$t" ] || missing="$missing $t (apt-get install systemd-journal-remote)"; done
command -v ip > /dev/null || missing="$missing ip (apt-get install iproute2)"
[ "$(id -u)" = 0 ] || missing="$missing root (network namespaces)"
if [ -n "$missing" ]; then
	fail "tools" "cannot run:$missing"
	finish
	exit 1
fi

# names and addresses of this run only: other suites may run beside it
N=aafl$$
NR=${N}r NA=${N}a NB=${N}b
NET=10.$(( ($$ >> 8) % 200 + 20 )).$(( $$ % 250 ))
REMOTE_PID=
cleanup() {
	[ -n "$REMOTE_PID" ] && kill "$REMOTE_PID" 2> /dev/null && wait "$REMOTE_PID" 2> /dev/null
	for ns in $NR $NA $NB; do ip netns del $ns 2> /dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT

# --- journal files of three hosts, from export streams with _HOSTNAME
# entry HOST USEC TRANSPORT NAME MASK [SERIAL]: one kernel (or audit) record
entry() {
	local host=$1 usec=$2 tr=$3 name=$4 mask=$5 serial=${6:-1}
	local s=$((usec / 1000000)) ms=$(( usec / 1000 % 1000 ))
	local rec="apparmor=\"ALLOWED\" operation=\"open\" class=\"file\" profile=\"web\" name=\"$name\" pid=42 comm=\"web\" requested_mask=\"$mask\" denied_mask=\"$mask\" fsuid=0 ouid=1"
	printf '__REALTIME_TIMESTAMP=%s\n__MONOTONIC_TIMESTAMP=%s\n_BOOT_ID=0123456789abcdef0123456789abcde%x\n_HOSTNAME=%s\n_TRANSPORT=%s\n' \
		"$usec" "$usec" "${#host}" "$host" "$tr"
	if [ "$tr" = audit ]; then
		printf '_AUDIT_TYPE=1400\n_AUDIT_ID=%s\n_SOURCE_REALTIME_TIMESTAMP=%s\nMESSAGE=AVC %s\n\n' "$serial" "$usec" "$rec"
	else
		printf 'SYSLOG_IDENTIFIER=kernel\nMESSAGE=audit: type=1400 audit(%s.%03d:%s): %s\n\n' "$s" "$ms" "$serial" "$rec"
	fi
}
T0=1763798400000000
{
	for i in 1 2 3; do entry alpha $((T0 + i * 1000)) kernel /etc/web/app.conf r $i; done
	entry alpha $((T0 + 5000)) audit /var/lib/web/cache w 5
} > "$T/alpha.export"
{
	for i in 1 2; do entry beta $((T0 + i * 1000 + 7)) audit /etc/web/app.conf r $i; done
	entry beta $((T0 + 6000)) kernel /var/lib/web/cache w 6
	# user space's word about AppArmor: counted, never evidence
	printf '__REALTIME_TIMESTAMP=%s\n__MONOTONIC_TIMESTAMP=1\n_BOOT_ID=0123456789abcdef0123456789abcdef\n_HOSTNAME=beta\n_TRANSPORT=syslog\nMESSAGE=audit: type=1400 audit(1763798400.009:9): apparmor="ALLOWED" operation="open" class="file" profile="web" name="/etc/forged" pid=42 comm="web" requested_mask="r" denied_mask="r" fsuid=0 ouid=1\n\n' $((T0 + 9000))
} > "$T/beta.export"
{
	entry gamma $((T0 + 1500)) kernel /etc/web/app.conf r 1
	entry gamma $((T0 + 7000)) kernel /tmp/gamma-only w 7
} > "$T/gamma.export"
for h in alpha beta gamma; do
	if ! journal_file "$T/$h.export" "$T/$h.journal"; then
		fail "journal file of $h" "systemd-journal-remote cannot build it"
		finish
		exit 1
	fi
done
pass "journal files of three hosts"

# --- the network: receiver <-> sender a, receiver <-> sender b
net_up() {
	ip netns add $NR && ip netns add $NA && ip netns add $NB &&
	ip link add ${N}ra type veth peer name ${N}ar && ip link add ${N}rb type veth peer name ${N}br &&
	ip link set ${N}ra netns $NR && ip link set ${N}rb netns $NR &&
	ip link set ${N}ar netns $NA && ip link set ${N}br netns $NB &&
	ip -n $NR addr add $NET.1/30 dev ${N}ra && ip -n $NA addr add $NET.2/30 dev ${N}ar &&
	ip -n $NR addr add $NET.5/30 dev ${N}rb && ip -n $NB addr add $NET.6/30 dev ${N}br &&
	for ns in $NR $NA $NB; do ip -n $ns link set lo up || return 1; done &&
	ip -n $NR link set ${N}ra up && ip -n $NR link set ${N}rb up &&
	ip -n $NA link set ${N}ar up && ip -n $NB link set ${N}br up
}
if net_up 2> "$T/net.err"; then pass "three network namespaces, two veth pairs"
else fail "network namespaces" "$(cat "$T/net.err")"; finish; exit 1; fi

mkdir -p "$T/remote"
ip netns exec $NR "$JR" --listen-http=19532 --output="$T/remote/" --split-mode=host \
	> "$T/remote.log" 2>&1 &
REMOTE_PID=$!

# upload NS ADDR FILE...: systemd-journal-upload of the files (retried while
# journal-remote starts listening)
upload() {
	local ns=$1 addr=$2 args=() f i; shift 2
	for f in "$@"; do args+=(--file="$f"); done
	for i in $(seq 1 50); do
		ip netns exec $ns "$JU" --url=http://$addr:19532 --follow=no \
			--save-state="$T/state-$ns" "${args[@]}" > "$T/upload-$ns.log" 2>&1 && return 0
		kill -0 "$REMOTE_PID" 2> /dev/null || return 1
		sleep 0.1
	done
	return 1
}
if upload $NA $NET.1 "$T/alpha.journal" "$T/beta.journal"; then pass "upload from namespace a (alpha, beta)"
else fail "upload from namespace a" "$(cat "$T/upload-$NA.log" "$T/remote.log")"; fi
if upload $NB $NET.5 "$T/gamma.journal"; then pass "upload from namespace b (gamma)"
else fail "upload from namespace b" "$(cat "$T/upload-$NB.log" "$T/remote.log")"; fi
kill "$REMOTE_PID" 2> /dev/null; wait "$REMOTE_PID" 2> /dev/null; REMOTE_PID=
assert "journal-remote wrote a file per sending host" "[ \$(ls $T/remote/*.journal 2> /dev/null | wc -l) = 2 ]"

# --- the receiving side: harvest the directory, merge with quorum
py() { python3 -c "import json, sys; d = json.load(open(sys.argv[1])); v = ($1); print(v)" "$2"; }
hosts_of() { py "' '.join('%s:%d' % (h['host'], h['count']) for r in d['rules'] if r['rule'] == '$1' for h in r['hosts'])" "$2"; }
ok "harvest --journal-dir" "$A" harvest --journal-dir "$T/remote" --no-generalise --format json web
cp "$T/out" "$T/fleet.json"
assert "per host, from _HOSTNAME: app.conf on alpha 3, beta 2, gamma 1" \
	"[ \"\$(hosts_of '/etc/web/app.conf r,' $T/fleet.json)\" = 'alpha:3 beta:2 gamma:1' ]"
assert "per host: the cache on alpha and beta (kernel and audit transports)" \
	"[ \"\$(hosts_of '/var/lib/web/cache w,' $T/fleet.json)\" = 'alpha:1 beta:1' ]"
assert "per host: gamma's own rule" "[ \"\$(hosts_of '/tmp/gamma-only w,' $T/fleet.json)\" = 'gamma:1' ]"
assert "a syslog-transport message is no evidence (not even read)" \
	"! grep -q /etc/forged $T/fleet.json && ! grep -q 'not written by the kernel' $T/err"
assert "the source: the directory, a journal, its 9 AppArmor records (the kernel and audit transports' only)" \
	"[ \"\$(py 'd[\"sources\"][0][\"kind\"], d[\"sources\"][0][\"apparmor_records\"]' $T/fleet.json)\" = \"('journal', 9)\" ]"
ok "harvest --journal-dir --node beta" "$A" harvest -q --journal-dir "$T/remote" --no-generalise --format json --node beta web
assert "--node beta: beta's records only" \
	"[ \"\$(hosts_of '/etc/web/app.conf r,' $T/out)\" = 'beta:2' ] && ! grep -q gamma-only $T/out"
fails 9 "merge --quorum 2 on the receiving side: rules held below quorum (exit 9)" \
	"$A" merge --quorum 2 "$T/fleet.json"
assert "quorum 2: the rules of 2 and 3 hosts" \
	"grep -qx '  /etc/web/app.conf r,' $T/out && grep -qx '  /var/lib/web/cache w,' $T/out && ! grep -q gamma-only $T/out"
assert "quorum 2: gamma's rule listed with its host" \
	"grep -q '/tmp/gamma-only w,' $T/err && grep -q 'seen on 1 of 3 hosts: gamma' $T/err"
fails 9 "merge --quorum 2 --format json" "$A" merge -q --quorum 2 --format json "$T/fleet.json"
assert "json: app.conf seen on 3 of 3 hosts, the cache on 2 of 3" \
	"[ \"\$(py '[r[\"coverage\"] for r in d[\"rules\"]]' $T/out)\" = \"['seen on 3 of 3 hosts', 'seen on 2 of 3 hosts']\" ]"
fails 2 "--journal-dir of a missing directory is a usage error" "$A" harvest --journal-dir "$T/nowhere" web

finish
