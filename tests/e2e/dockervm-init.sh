#!/bin/bash
# /run/dvm/init: second stage of the dockervm guest (tests/e2e/dockervm.sh),
# PID 1 on the Debian trixie root (ext4 on /dev/vda). No systemd: it mounts
# the API filesystems, loads the AppArmor profiles from /etc/apparmor.d like
# apparmor.service does, starts containerd and dockerd, makes sure the image
# dvm/busybox exists, runs each stage (/run/dvm/stages/NN-NAME, bash) in
# turn and powers off.
#   ttyS0 -> the stages' stdout/stderr (host: stdout)
#   ttyS1 -> kernel console, printk incl. audit records (host: -K file)
#   ttyS2 -> "started", then the exit status: 0 when every stage exited 0,
#            else the first failed stage's
export PATH=/run/dvm/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb LANG=C.UTF-8
umask 022
cd /

if ! mount -t proc proc /proc; then	# no mount(8)? the image lacks package "mount"
	echo "dvm: mount failed" > /dev/ttyS0; echo 125 > /dev/ttyS2; busybox poweroff -f
fi
mount -t sysfs sysfs /sys
mount -t securityfs securityfs /sys/kernel/security
mount -t cgroup2 -o nsdelegate cgroup2 /sys/fs/cgroup
mkdir -p /dev/pts /dev/shm /dev/mqueue
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /dev/shm
mount -t mqueue mqueue /dev/mqueue
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /tmp
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd

exec 0</dev/null 1>/dev/ttyS0 2>&1
stty -F /dev/ttyS0 -onlcr 2>/dev/null

# defaults, overridden by /run/dvm/config (written by dockervm.sh)
DVM_DOCKER=1 DVM_AA=all DVM_AUDITD=0 DVM_PREP=0 DVM_QUIET=0 DVM_RW=0
. /run/dvm/config

up() { local u _; read -r u _ < /proc/uptime; echo "$u"; }
# dt T0 [T1]: seconds between two uptimes (2 decimals; no bc/awk needed)
dt() { local a=${1/./} b=${2:-$(up)}; b=${b/./}; local d=$((10#$b - 10#$a)); printf '%d.%02d' $((d / 100)) $((d % 100)); }
say() { [ "$DVM_QUIET" = 1 ] || echo "dvm: [$(up)] $*"; }
finish() {
	local rc=$1
	if [ "$DVM_RW" = 1 ]; then	# writable image: stop the daemons cleanly, remount ro
		[ -n "${DOCKERD_PID:-}" ] && kill "$DOCKERD_PID" 2>/dev/null && timeout 60 tail --pid="$DOCKERD_PID" -f /dev/null
		[ -n "${CTRD_PID:-}" ] && kill "$CTRD_PID" 2>/dev/null && timeout 30 tail --pid="$CTRD_PID" -f /dev/null
		kill -9 -1 2>/dev/null; sleep 0.2
		sync; mount -o remount,ro / || say "remount ro failed"
	else
		kill -9 -1 2>/dev/null
	fi
	exec >/dev/null 2>&1
	echo "$rc" > /dev/ttyS2
	sync
	busybox poweroff -f
}

# Without auditd the kernel prints audit records through printk, rate limited
# (burst 10 / 5 s) -> "audit: printk limit exceeded" and lost records.
echo 0 > /proc/sys/kernel/printk_ratelimit
hostname dvm
ip link set lo up
say "kernel $(uname -r); lsm=$(cat /sys/kernel/security/lsm); apparmor enabled=$(cat /sys/module/apparmor/parameters/enabled)"

# files added with -a (copied over the root, the disk is a throw-away snapshot)
[ -d /run/dvm/add ] && cp -a /run/dvm/add/. /

# 9p shares (-s/-S/-o)
if [ -s /run/dvm/shares ]; then
	modprobe -a 9p 9pnet_virtio || say "modprobe 9p failed"
	while read -r tag dir opts; do
		mkdir -p "$dir"
		mount -t 9p -o "trans=virtio,version=9p2000.L,msize=512000,$opts" "$tag" "$dir" ||
			say "mounting 9p share $tag on $dir failed"
	done < /run/dvm/shares
fi

# AppArmor policy like apparmor.service: every profile in /etc/apparmor.d,
# with the binary cache in /var/cache/apparmor (written by the prep boot)
case $DVM_AA in
none) ;;
all)
	t0=$(up)
	apparmor_parser --write-cache --replace -- /etc/apparmor.d > /run/dvm/aa-load.log 2>&1 ||
		say "apparmor_parser (all profiles) failed: $(tail -3 /run/dvm/aa-load.log)"
	say "AppArmor: loaded $(grep -c . /sys/kernel/security/apparmor/profiles) profiles from /etc/apparmor.d in $(dt "$t0") s"
	;;
*)
	for p in ${DVM_AA//,/ }; do
		apparmor_parser --write-cache --replace "/etc/apparmor.d/$p" || say "loading /etc/apparmor.d/$p failed"
	done
	say "AppArmor: loaded $DVM_AA"
	;;
esac

if [ "$DVM_AUDITD" = 1 ]; then
	mkdir -p /var/log/audit
	auditd && say "auditd started (records go to /var/log/audit/audit.log, not to dmesg)"
fi

if [ "$DVM_DOCKER" = 1 ]; then
	modprobe overlay
	t0=$(up)
	containerd > /var/log/containerd.log 2>&1 &
	CTRD_PID=$!
	for i in $(seq 600); do [ -S /run/containerd/containerd.sock ] && break; sleep 0.2; done
	[ -S /run/containerd/containerd.sock ] || { say "containerd did not start"; tail -20 /var/log/containerd.log; finish 125; }
	t1=$(up)
	say "containerd ready ($(dt "$t0" "$t1") s)"
	dockerd --containerd=/run/containerd/containerd.sock --storage-driver=overlay2 \
		--iptables=false --ip6tables=false --bridge=none > /var/log/dockerd.log 2>&1 &
	DOCKERD_PID=$!
	for i in $(seq 1200); do docker version >/dev/null 2>&1 && break; sleep 0.2; done
	docker version >/dev/null 2>&1 || { say "dockerd did not start"; tail -30 /var/log/dockerd.log; finish 125; }
	t2=$(up)
	say "dockerd ready ($(dt "$t1" "$t2") s; $(docker version --format 'server {{.Server.Version}}, client {{.Client.Version}}'))"
	if ! docker image inspect dvm/busybox >/dev/null 2>&1; then
		# the container image, without a registry: a busybox-static root, docker import
		rm -rf /tmp/bbimg && mkdir -p /tmp/bbimg/{bin,etc,tmp,root,proc,sys,dev,mnt,var/tmp}
		cp /usr/bin/busybox /tmp/bbimg/bin/busybox
		for a in $(/usr/bin/busybox --list); do [ -e "/tmp/bbimg/bin/$a" ] || ln -s busybox "/tmp/bbimg/bin/$a"; done
		printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > /tmp/bbimg/etc/passwd
		printf 'root:x:0:\nnogroup:x:65534:\n' > /tmp/bbimg/etc/group
		chmod 1777 /tmp/bbimg/tmp /tmp/bbimg/var/tmp
		tar -C /tmp/bbimg -c . | docker import -c 'CMD ["/bin/sh"]' -c 'ENV PATH=/bin' - dvm/busybox:latest >/dev/null ||
			say "docker import failed"
		rm -rf /tmp/bbimg
		say "imported image dvm/busybox ($(dt "$t2") s)"
	fi
fi

if [ "$DVM_PREP" = 1 ]; then
	ok=0
	[ "$DVM_DOCKER" = 1 ] && ! docker image inspect dvm/busybox >/dev/null 2>&1 && ok=125
	say "prep done: $(ls /var/cache/apparmor 2>/dev/null | wc -l) AppArmor cache dir(s), images: $(docker images --format '{{.Repository}}' 2>/dev/null | tr '\n' ' ')"
	finish $ok
fi

mkdir -p /root && cd /root
export DVM_KVER=$(uname -r) DVM_AUDITD DVM_AA DVM_DOCKER
[ -n "${DVM_OUT:-}" ] && export DVM_OUT
echo started > /dev/ttyS2	# lets the host tell a boot failure (safe to retry) from a stage failure
rc=0
for s in /run/dvm/stages/*; do
	[ -f "$s" ] || continue
	DVM_STAGE=${s##*/}; DVM_STAGE=${DVM_STAGE#[0-9][0-9]-}
	export DVM_STAGE
	t0=$(up)
	say "stage $DVM_STAGE starts"
	( cd /root && bash "$s" </dev/null )
	src=$?
	say "stage $DVM_STAGE: exit status $src ($(dt "$t0") s)"
	[ $rc = 0 ] && rc=$src
done
cd /
finish "$rc"
