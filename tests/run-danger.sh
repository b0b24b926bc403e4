#!/bin/bash
# The danger gate (rules/default.danger) cannot be walked around: transitions
# to other profiles, paths that apparmor_parser reads differently than they
# were logged ("//"), generalisations that reach a dangerous path, the
# container-escape paths, the whole held-back list, and terminal escapes in
# logged values.
set -u
SUITE=danger
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
. "$HERE/lib.sh"
A=${AAPROF:-$TOP/build/aaprof}
PARSER=${REAL_APPARMOR_PARSER:-apparmor_parser}
export TZ=UTC AAPROF_NOW=1763800000 AAPROF_STATE_DIR=$T/state
n=0
# rec OPERATION-AND-FIELDS: one complain-mode record of profile myapp
rec() { n=$((n + 1)); printf 'type=AVC msg=audit(1763798401.%03d:%d): apparmor="ALLOWED" profile="myapp" pid=%d %s\n' $((n % 1000)) $n $((1000 + n)) "$*"; }
hex() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n' | tr a-f A-F; }
file_rec() { rec "operation=\"open\" name=$(hex "$1") comm=\"myapp\" requested_mask=\"$2\" denied_mask=\"$2\" fsuid=0 ouid=1"; }
harvest() { "$A" harvest --format rules "$@" myapp; }

# --- change_profile and px: only to the profile itself or its children
cp_rec() { rec "operation=\"change_profile\" class=\"label\" name=\"$1\" comm=\"myapp\" target=\"$1\""; }
for t in myapp-worker other myappx 'myapp//&evil' ':ns:myapp' 'myapp//child//&unconfined'; do
	cp_rec "$t" > "$T/cp.log"
	fails 4 "change_profile -> $t is held back" harvest -f "$T/cp.log"
	assert "change_profile -> $t: listed as change_profile, not written" "grep -q 'dangerous: change_profile' $T/err && ! grep -q change_profile $T/out"
done
for t in myapp 'myapp//child' 'myapp//child//grandchild'; do
	cp_rec "$t" > "$T/cp.log"
	ok "change_profile -> $t (the profile or its child) is written" harvest -f "$T/cp.log"
	assert "change_profile -> $t: in the rules" "grep -qF 'change_profile -> $t,' $T/out"
done
cp_rec myapp-worker > "$T/cp.log"
ok "--allow-dangerous=change_profile allows it" harvest -f "$T/cp.log" --allow-dangerous=change_profile
assert "--allow-dangerous=change_profile: written" "grep -qx 'change_profile -> myapp-worker,' $T/out"
cp_rec unconfined > "$T/cp.log"
ok "change_profile -> unconfined: never, even with --allow-dangerous" harvest -f "$T/cp.log" --allow-dangerous
assert "unconfined is reported, not written" "! grep -q unconfined $T/out && grep -q 'never writes a way out' $T/err"

rec 'operation="exec" name="/usr/bin/helper" comm="myapp" requested_mask="x" denied_mask="x" fsuid=0 ouid=1 target="myapp//null-/usr/bin/helper"' > "$T/px.log"
fails 4 "--exec px: held back (whatever profile attaches may be unconfined)" harvest -f "$T/px.log" --exec px
assert "px: listed, not written" "grep -q 'dangerous: px' $T/err && ! grep -q helper $T/out"
ok "--allow-dangerous=px allows it" harvest -f "$T/px.log" --exec px --allow-dangerous=px
assert "px rule written" "grep -qx '/usr/bin/helper px,' $T/out"
ok "--exec cx (a child of the profile) is not held" harvest -f "$T/px.log" --exec cx
assert "cx rule written" "grep -qx '/usr/bin/helper cx,' $T/out"

# --- paths are checked as apparmor_parser reads them
# expand RULE: apparmor_parser's own expansion of one rule (-D rule-exprs),
# its escapes (\.) undone: these paths hold no other special character
expand() {
	printf 'abi <abi/3.0>,\nprofile t {\n  %s\n}\n' "$1" > "$T/rule.aa"
	# "rule: PCRE  ->  TREE (0x...)"; apparmor_parser 4.x adds " priority=N" before the perms
	"$PARSER" -QK -D rule-exprs "$T/rule.aa" 2>&1 | sed -n 's/^rule: .*  ->  \(.*\) (0x.*/\1/p' | head -1 |
		sed 's/ priority=-\{0,1\}[0-9]*$//; s/\\\(.\)/\1/g'
}
while read -r logged canon mask; do
	file_rec "$logged" "$mask" > "$T/norm.log"
	fails 4 "'$logged' is held back (it is $canon)" harvest -f "$T/norm.log" --no-generalise
	assert "'$logged': nothing written" "[ ! -s $T/out ] && grep -q 'dangerous: ' $T/err"
	ok "'$logged' with --allow-dangerous" harvest -f "$T/norm.log" --no-generalise --allow-dangerous
	rule=$(head -1 "$T/out")
	assert "'$logged': the rule names the normalised path" "[ \"\$rule\" = \"$canon $mask,\" ]"
	got=$(expand "$rule")
	assert "'$logged': apparmor_parser expands the rule to $canon" "[ \"\$got\" = '$canon' ]"
done <<'LIST'
/etc//shadow /etc/shadow r
/etc///shadow /etc/shadow r
//etc/shadow /etc/shadow r
/dev//mem /dev/mem r
/var//run/docker.sock /var/run/docker.sock w
/etc/sudoers.d//x /etc/sudoers.d/x w
LIST
# and apparmor_parser itself collapses '//': what the check must not miss
assert "apparmor_parser reads /etc//shadow as /etc/shadow" "[ \"\$(expand '/etc//shadow r,')\" = /etc/shadow ]"
for p in /etc/./shadow /tmp/../etc/shadow /etc/shadow/. /tmp/.. ; do
	file_rec "$p" r > "$T/dot.log"
	ok "'$p': no rule, even with --allow-dangerous" harvest -f "$T/dot.log" --allow-dangerous
	assert "'$p': reported as unexpressible" "[ ! -s $T/out ] && grep -q 'component: the kernel logs no such path' $T/err && grep -q '1 record could not be written as rules' $T/err"
done

# --- what a container escape needs (each held, named by its own entry)
while read -r path mask entry; do
	file_rec "$path" "$mask" > "$T/esc.log"
	fails 4 "$path ($mask) is held back" harvest -f "$T/esc.log"
	assert "$path: dangerous by '$entry'" "grep -qF 'dangerous: $entry;' $T/err && [ ! -s $T/out ]"
done <<'LIST'
/var/run/docker.sock w write @{run}/docker.sock
/run/docker.sock w write @{run}/docker.sock
/run/containerd/containerd.sock w write @{run}/containerd/**
/run/containerd/s/0123abcd w write @{run}/containerd/**
/run/docker/plugins/x.sock w write @{run}/docker/**
/run/crio/crio.sock w write @{run}/crio/**
/run/podman/podman.sock w write @{run}/podman/**
/run/snapd.socket w write @{run}/snapd.socket
/var/lib/docker/volumes/v/_data/x w write /var/lib/docker/**
/var/lib/containerd/io.containerd.content.v1.content/blobs/x w write /var/lib/containerd/**
/var/lib/containerd/x r read /var/lib/containerd/**
/var/lib/kubelet/pods/p/volumes/kubernetes.io~secret/token r read /var/lib/kubelet/**
/root/.ssh/authorized_keys w write @{HOME}/.ssh/**
/home/bob/.ssh/authorized_keys a write @{HOME}/.ssh/**
/root/.bashrc a write @{HOME}/.{bashrc,bash_profile,bash_login,bash_logout,profile,zshrc,zshenv,zprofile,zlogin}
/etc/cron.d/job w write /etc/cron{*,*/**}
/etc/crontab w write /etc/cron{*,*/**}
/etc/cron.daily/x w write /etc/cron{*,*/**}
/var/spool/cron/crontabs/root w write /var/spool/cron/**
/etc/sudoers.d/x w write /etc/sudoers.d/**
/etc/sudoers w write /etc/sudoers
/etc/systemd/system/x.service w write /etc/systemd/**
/etc/ld.so.preload w write /etc/ld.so.preload
/lib/modules/6.1.0-26-amd64/kernel/x.ko w write /lib/modules/**
/usr/lib/modules/6.1.0-26-amd64/extra/x.ko w write /usr/lib/modules/**
/lib/firmware/x.bin w write /lib/firmware/**
/usr/lib/firmware/x.bin w write /usr/lib/firmware/**
/var/log/audit/audit.log a write /var/log/audit/**
/var/log/journal/x/system.journal w write /var/log/journal/**
/proc/sys/kernel/core_pattern w write @{PROC}/sys/**
/sys/fs/cgroup/x/release_agent w write /sys/**
/sys/firmware/efi/efivars/x r read /sys/firmware/efi/efivars/**
/sys/kernel/security/apparmor/profiles r read /sys/kernel/security/**
LIST
# and what is not dangerous stays so
for p in /run/myapp/myapp.sock /var/lib/myapp/state /home/bob/.cache/myapp/x /dev/shm/myapp /root/.cache/myapp/x; do
	file_rec "$p" w > "$T/fine.log"
	ok "$p (w) is not held back" harvest -f "$T/fine.log" --no-generalise
done

# --- a generalisation never reaches a dangerous path its logged path is not
file_rec /home/bob/.ssh/known_hosts r > "$T/gen.log"
ok "/home/bob/.ssh/known_hosts r is fine, its @{HOME} form is not" harvest -f "$T/gen.log"
assert "the literal path is kept, with the reason" "grep -qx '/home/bob/.ssh/known_hosts r,' $T/out && grep -q \"would also cover paths that 'read /root/.ssh/\\*\\*'\" $T/err"
file_rec /home/bob/.cache/myapp/x w > "$T/gen.log"
ok "/home/bob/.cache/myapp/x w still generalises" harvest -f "$T/gen.log"
assert "generalised to @{HOME}" "grep -qx '@{HOME}/.cache/myapp/x w,' $T/out"
file_rec /dev/shm/12345678-1234-1234-1234-123456789abc w > "$T/gen.log"
ok "an exception (!write /dev/shm/**) keeps its generalisation" harvest -f "$T/gen.log"
assert "generalised within /dev/shm" "grep -qxF '/dev/shm/[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f] w,' $T/out"

# a generalised rule matches the logged path (fuzz-paths found /proc/0617/:
# @{pid} has no leading zero, so @{PROC}/@{pid}/ did not match it)
for p in /proc/0617/status /proc/99999999/status /run/user/01000/x; do
	file_rec "$p" r > "$T/gen.log"
	ok "$p" harvest -f "$T/gen.log"
	assert "$p: kept literal (not a pid or uid as the tunables spell them)" "grep -qxF '$p r,' $T/out"
done
file_rec /proc/1/task/0042/stat r > "$T/gen.log"
ok "/proc/1/task/0042/stat" harvest -f "$T/gen.log"
assert "/proc/1/task/0042/stat: only the pid generalised" "grep -qx '@{PROC}/@{pid}/task/0042/stat r,' $T/out"
file_rec /proc/4194304/status r > "$T/gen.log"
ok "/proc/4194304/status" harvest -f "$T/gen.log"
assert "/proc/4194304/status: generalised" "grep -qx '@{PROC}/@{pid}/status r,' $T/out"

# --- the whole held-back list is shown, however long
: > "$T/many.log"
for i in $(seq 1 35); do file_rec "/etc/myapp/file$i.conf" w >> "$T/many.log"; done
fails 4 "35 dangerous records" harvest -f "$T/many.log" --no-generalise
assert "all 35 held back" "grep -q '35 dangerous rules held back' $T/err"
assert "all 35 listed with their evidence" "[ \$(grep -c 'dangerous: write /etc/\\*\\*' $T/err) -eq 35 ] && [ \$(grep -c 'e.g. type=AVC' $T/err) -eq 35 ] && grep -q 'file35.conf w,' $T/err && grep -q 'file9.conf w,' $T/err"

# --- logged values cannot write to the terminal
esc=$(printf '\033[2K\r\033[1Aok')
rec "operation=\"open\" name=\"/etc/shadow\" comm=$(hex "$esc") requested_mask=\"r\" denied_mask=\"r\" fsuid=0 ouid=1" > "$T/esc.log"
c1=$(printf '\xc2\x9b2K')
rec "operation=\"open\" name=\"/etc/gshadow\" comm=$(hex "$c1") requested_mask=\"r\" denied_mask=\"r\" fsuid=0 ouid=1" >> "$T/esc.log"
file_rec "$(printf '/tmp/../x\n  myapp: /etc/hostname r,\033[2K')" r >> "$T/esc.log"
fails 4 "records with escape sequences in comm and name" harvest -f "$T/esc.log"
assert "no ESC, CR or C1 byte reaches the terminal" "! grep -q \$'\\033' $T/err && ! grep -q \$'\\r' $T/err && ! grep -q \$'\\xc2\\x9b' $T/err"
assert "the dangerous line is intact, the comm shown escaped" "grep -qF 'dangerous: read /etc/shadow; seen 1 time by \\e[2K\\r\\e[1Aok' $T/err"
assert "a C1 control is shown escaped" "grep -qF 'by \\u{009B}2K' $T/err"
assert "a newline in a logged path cannot start a line of its own" "grep -qF '\\n  myapp: /etc/hostname r,\\e[2K' $T/err && ! grep -q '^  myapp: /etc/hostname' $T/err"
finish
