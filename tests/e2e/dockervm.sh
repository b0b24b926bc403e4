#!/bin/bash
# dockervm.sh (aaprof tests/e2e; from the project's reference harness, as
# aavm.sh) - real Docker on a real AppArmor kernel, in qemu (TCG). The guest is
# a Debian trixie root (ext4 image on virtio-blk, a throw-away snapshot per
# run) with docker.io, containerd, runc and AppArmor 4.1, booted on the 7.x
# kernel of trixie-backports. A custom init (no systemd) mounts the API
# filesystems, loads /etc/apparmor.d like apparmor.service, starts containerd
# and `dockerd --iptables=false --bridge=none`, and runs each STAGE script
# (bash, as root) in turn. The container image dvm/busybox comes from `docker
# import` of a busybox-static root (no registry); containers use --network none.
# Everything comes from Debian's archive through a private apt state (the
# host's sources and lists are never touched).
#
# usage: dockervm.sh [options] STAGE.sh...
#   -K FILE     save the kernel console log (printk, incl. audit records) to FILE
#   -P          print the kernel console log to stderr after the run
#   -a HOST[:GUEST]  copy a file or directory into the guest (default: same path)
#   -s HOST[:GUEST]  share a host directory via virtio-9p, read-write; -S read-only
#   -o DIR      shorthand for -s DIR:/out (the stages see $DVM_OUT=/out)
#   -D          no docker (only boot + AppArmor)
#   -L WHICH    AppArmor profiles loaded at boot: all (default, like
#               apparmor.service), none, or a comma list of names in /etc/apparmor.d
#   -d          start auditd (records then go to /var/log/audit/audit.log, not dmesg)
#   -A          kernel audit=1 (SYSCALL/PROCTITLE records too)
#   -c 'ARGS'   extra kernel command line        -m MB  guest RAM (default 2048)
#   -j N        vCPUs (default 1: with 2, multi-threaded TCG now and then kills the
#               guest kernel with "Oops: int3" while it patches its own code)
#   -T S        host timeout (default 900)       -q  quiet guest banner
# env: DVM_CACHE (default: $BUILD/e2e-cache/docker, else /var/tmp/dockervm-cache),
#      DVM_MIRROR (Debian archive URL; default: the host's, else deb.debian.org),
#      DVM_CPU (qemu -cpu, default max), DVM_RETRY=0 (no second boot after an
#      early kernel panic), QEMU
# The cache is built on the first run (kernel, root image, initramfs: about
# 1-2 min) and prepared by one writable boot (AppArmor's binary cache for the
# kernel, docker's state, the image dvm/busybox: about 40 s); later runs boot
# a snapshot of it. A change of the package list rebuilds it.
# exit status: 0 when every stage exited 0, else the first failed stage's
# status; 124 timeout; 125 dockervm/boot errors.
#
# Guest (kept as the reference harness has it, so stage scripts run in both):
# each stage runs as root under bash in /root with $DVM_KVER and $DVM_STAGE
# set; `docker run --rm --network none dvm/busybox ...` works; the static
# probe ctprobe (tests/e2e/ctprobe.c) is /usr/local/bin/ctprobe; moby's
# seccomp default.json and AppArmor template.go are in /usr/local/share/dvm/;
# ttyS0 carries the stages' output. A wrapper /run/dvm/bin/apparmor_parser
# keeps a copy of every temp file handed to apparmor_parser in
# /run/dvm/captured/ (so the docker-default dockerd generates can be read).
set -euo pipefail
umask 022

HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
SELF=$HERE/$(basename "$0")
if [ -n "${DVM_CACHE:-}" ]; then CACHE=$DVM_CACHE
elif [ -n "${BUILD:-}" ]; then CACHE=$BUILD/e2e-cache/docker
else CACHE=/var/tmp/dockervm-cache; fi
QEMU=${QEMU:-qemu-system-x86_64}
SUITE=trixie
# the reference harness's list, plus the libraries aaprof links (the host's
# build runs on trixie's newer, ABI-compatible versions)
PACKAGES=mount,apparmor,apparmor-utils,docker.io,docker-cli,containerd,runc,tini,busybox-static,iproute2,kmod,iptables,procps,auditd,util-linux,e2fsprogs,xz-utils
PACKAGES+=,libapparmor1,libaudit1,libpcre2-8-0,zlib1g,liblzma5,libzstd1,libjson-c5,libsystemd0,libseccomp2,libyaml-0-2
IMG_SIZE=4G
# what the cache was built from: a change rebuilds it
STAMP="$SUITE $PACKAGES $IMG_SIZE $(cksum < "$HERE/dockervm-initramfs.sh")"

die() { echo "dockervm: $*" >&2; exit 125; }
note() { echo "dockervm: $*" >&2; }

VM_MIRROR=${DVM_MIRROR:-}
# mirror, apt_private, download, deps, kernel_from_suite, extract_vmlinux, first_of
. "$HERE/vmlib.sh"

# ---------------------------------------------------------------- build ----
build() {
	local t0=$SECONDS debs kdir kver d r ir m n
	[ "$(id -u)" = 0 ] || die "building the cache needs root (mmdebstrap in root mode, chroot)"
	command -v "$QEMU" >/dev/null || die "$QEMU missing (apt-get install -y qemu-system-x86)"
	command -v mmdebstrap >/dev/null || die "mmdebstrap missing (apt-get install -y mmdebstrap)"
	command -v mke2fs >/dev/null || die "mke2fs missing (apt-get install -y e2fsprogs)"
	[ -f /usr/share/keyrings/debian-archive-keyring.gpg ] ||
		die "Debian's archive keys missing (apt-get install -y debian-archive-keyring)"
	rm -f "$CACHE/stamp" "$CACHE/prepped"
	mkdir -p "$CACHE/pkgs"
	# a private apt state naming only trixie and trixie-backports; removed after the build
	apt_private docker $SUITE $SUITE-backports
	r=$CACHE/rootfs.tmp
	rm -rf "$r" "$CACHE/kernel.tmp"; mkdir -p "$CACHE/kernel.tmp"
	# 1. the kernel: vmlinux (PVH), config, modules
	debs=$(cd "$CACHE/pkgs" && kernel_from_suite "$SUITE-backports")
	kdir=$CACHE/kernel.tmp/x
	mkdir -p "$kdir"
	for d in $debs; do dpkg-deb -x "$(ls "$CACHE/pkgs/$d"_*.deb | head -1)" "$kdir"; done
	kver=$(ls "$kdir/usr/lib/modules" | head -1)
	[ -n "$kver" ] || die "no modules in $debs"
	d=$(first_of "$kdir/boot/vmlinuz-$kver" "$kdir/usr/lib/modules/$kver/vmlinuz") || die "no vmlinuz in $debs"
	cp "$d" "$CACHE/kernel.tmp/vmlinuz"
	d=$(first_of "$kdir/boot/config-$kver" "$kdir/usr/lib/modules/$kver/config") || die "no config in $debs"
	grep -q '^CONFIG_SECURITY_APPARMOR=y' "$d" || die "$kver lacks CONFIG_SECURITY_APPARMOR"
	extract_vmlinux "$CACHE/kernel.tmp/vmlinuz" "$CACHE/kernel.tmp/vmlinux" ||
		note "could not extract vmlinux of $kver; booting its bzImage (slower)"
	echo "$kver" > "$CACHE/kernel.tmp/kver"
	note "kernel $kver ready ($((SECONDS - t0)) s)"
	# 2. moby's default seccomp profile and AppArmor template, from the same
	# Debian source package as docker.io (dockerd only has them compiled in)
	( cd "$CACHE/pkgs" && { ls golang-github-docker-docker-dev_*.deb >/dev/null 2>&1 ||
		apt-get "${APTO[@]}" -qq download golang-github-docker-docker-dev >&2; } ) ||
		die "apt-get download golang-github-docker-docker-dev failed"
	rm -rf "$CACHE/extra.tmp" && mkdir -p "$CACHE/extra.tmp/x" "$CACHE/extra.tmp/usr/local/share/dvm"
	dpkg-deb -x "$(ls "$CACHE"/pkgs/golang-github-docker-docker-dev_*.deb | head -1)" "$CACHE/extra.tmp/x"
	d=$CACHE/extra.tmp/x/usr/share/gocode/src/github.com/docker/docker/profiles
	cp "$d/seccomp/default.json" "$CACHE/extra.tmp/usr/local/share/dvm/moby-seccomp-default.json"
	cp "$d/apparmor/template.go" "$CACHE/extra.tmp/usr/local/share/dvm/moby-apparmor-template.go"
	rm -rf "$CACHE/extra.tmp/x"
	# 3. the Debian trixie root
	mmdebstrap --variant=essential --include="$PACKAGES" \
		--aptopt='Acquire::Languages "none"' \
		--dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
		--dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/info/*' \
		"$SUITE" "$r" "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $(mirror) $SUITE main" >&2 ||
		die "mmdebstrap failed"
	note "mmdebstrap done ($((SECONDS - t0)) s)"
	rm -f "$r/etc/apt/sources.list" "$r"/etc/apt/sources.list.d/*
	rm -rf "$r"/var/lib/apt/lists/* "$r"/var/cache/apt/*.bin
	echo dvm > "$r/etc/hostname"
	printf '127.0.0.1\tlocalhost dvm\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' > "$r/etc/hosts"
	: > "$r/etc/resolv.conf"
	mkdir -p "$r/usr/lib/modules"
	mv "$kdir/usr/lib/modules/$kver" "$r/usr/lib/modules/$kver"
	rm -rf "$kdir"
	chroot "$r" depmod -a "$kver"
	# 4. the initramfs: busybox + the (uncompressed) modules for virtio_blk + ext4
	# (modprobe prints only the first module's chain when given two: once each)
	ir=$CACHE/initramfs.tmp
	rm -rf "$ir"; mkdir -p "$ir"/{bin,dev,proc,sys,newroot,dvm,mods}
	cp "$r/usr/bin/busybox" "$ir/bin/busybox"
	cp "$r/usr/bin/busybox" "$CACHE/busybox.tmp"	# the host's cpio for the per-run segment
	ln -s busybox "$ir/bin/sh"
	install -m755 "$HERE/dockervm-initramfs.sh" "$ir/init"
	n=10
	for m in $(for m in virtio_blk ext4; do chroot "$r" modprobe -S "$kver" --show-depends "$m"; done |
	           awk '$1 == "insmod" {print $2}'); do
		grep -q "/${m##*/}$" "$ir/mods/order" 2>/dev/null && continue
		d=$n-$(basename "${m%.xz}"); d=${d%.zst}
		case $m in
		*.xz) xz -dc "$r$m" > "$ir/mods/$d" ;;
		*.zst) zstd -qdc "$r$m" > "$ir/mods/$d" ;;
		*) cp "$r$m" "$ir/mods/$d" ;;
		esac
		echo "$d" >> "$ir/mods/order"; n=$((n + 1))
	done
	( cd "$ir" && find . | LC_ALL=C sort | "$ir/bin/busybox" cpio -o -H newc 2>/dev/null ) | gzip -1 > "$CACHE/initramfs.cpio.gz.tmp"
	[ -s "$CACHE/initramfs.cpio.gz.tmp" ] || die "building the initramfs failed"
	# 5. the ext4 image of the root
	chroot "$r" dpkg-query -W -f '${Package} ${Version}\n' > "$CACHE/packages.txt"
	rm -f "$CACHE/root.img.tmp"
	mke2fs -q -t ext4 -L dvmroot -d "$r" -E lazy_itable_init=0,lazy_journal_init=0 \
		"$CACHE/root.img.tmp" "$IMG_SIZE" >&2 || die "mke2fs -d failed"
	rm -rf "$r" "$ir" "$CACHE/apt"
	rm -rf "$CACHE/kernel" "$CACHE/extra" && mv "$CACHE/kernel.tmp" "$CACHE/kernel" && mv "$CACHE/extra.tmp" "$CACHE/extra"
	mv "$CACHE/busybox.tmp" "$CACHE/busybox"
	mv "$CACHE/initramfs.cpio.gz.tmp" "$CACHE/initramfs.cpio.gz"
	mv "$CACHE/root.img.tmp" "$CACHE/root.img"
	echo "$STAMP" > "$CACHE/stamp"
	note "build done in $((SECONDS - t0)) s: kernel $kver, image $(du -sh "$CACHE/root.img" | cut -f1) on disk;" \
		"$(grep -E '^(docker.io|containerd|runc|apparmor) ' "$CACHE/packages.txt" | tr '\n' ' ')"
}

built() { [ "$(cat "$CACHE/stamp" 2>/dev/null)" = "$STAMP" ] && [ -f "$CACHE/root.img" ] &&
	[ -f "$CACHE/initramfs.cpio.gz" ] && [ -f "$CACHE/kernel/kver" ] && [ -x "$CACHE/busybox" ]; }

# ------------------------------------------------------------------ main ----
KLOG="" PRINT_KLOG=0 EXTRA=() SHARES=() DOCKER=1 AA=all AUDITD=0 AUDIT=0
XCMD="" MEM=2048 SMP=1 TMO=900 QUIET=0 OUTDIR=""
while getopts "K:Pa:s:S:o:DL:dAc:m:j:T:qh" o; do
	case $o in
	K) KLOG=$OPTARG ;;
	P) PRINT_KLOG=1 ;;
	a) EXTRA+=("$OPTARG") ;;
	s) SHARES+=("rw:$OPTARG") ;;
	S) SHARES+=("ro:$OPTARG") ;;
	o) SHARES+=("rw:$OPTARG:/out"); OUTDIR=/out ;;
	D) DOCKER=0 ;;
	L) AA=$OPTARG ;;
	d) AUDITD=1 ;;
	A) AUDIT=1 ;;
	c) XCMD=$OPTARG ;;
	m) MEM=$OPTARG ;;
	j) SMP=$OPTARG ;;
	T) TMO=$OPTARG ;;
	q) QUIET=1 ;;
	h) sed -n '2,/^set -e/p' "$SELF" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) exit 125 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || die "usage: $0 [options] STAGE.sh...  (-h for help)"
for s; do [ -f "$s" ] || die "no such stage script: $s"; done

mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd)

T=$(mktemp -d "${TMPDIR:-/tmp}/dockervm-run.XXXXXX")
trap 'rm -rf "$T"' EXIT

# initrd TARGET: the cached initramfs + a segment with the per-run files in $T/root
initrd() {
	cp "$CACHE/initramfs.cpio.gz" "$1"
	# each concatenated cpio segment must start 4-byte aligned
	local sz pad
	sz=$(stat -c %s "$1"); pad=$(( (4 - sz % 4) % 4 ))
	[ $pad -gt 0 ] && head -c $pad /dev/zero >> "$1"
	( cd "$T/root" && find . -mindepth 1 | LC_ALL=C sort | "$CACHE/busybox" cpio -o -H newc 2>/dev/null ) >> "$1"
}
# guest_files PREP: the per-run files every boot gets (/run/dvm in the guest)
guest_files() {
	local R=$T/root
	rm -rf "$R"; mkdir -p "$R/dvm/bin" "$R/dvm/captured" "$R/dvm/stages" "$R/dvm/add/usr/local/bin"
	install -m755 "$HERE/dockervm-init.sh" "$R/dvm/init"
	cat > "$R/dvm/config" <<EOF2
DVM_DOCKER=$DOCKER DVM_AA=$AA DVM_AUDITD=$AUDITD DVM_PREP=$1 DVM_QUIET=$QUIET DVM_RW=$1
DVM_OUT=$OUTDIR
EOF2
	# apparmor_parser wrapper: keeps the temp files dockerd generates (docker-default)
	cat > "$R/dvm/bin/apparmor_parser" <<'EOF2'
#!/bin/sh
# dockervm: log the call and keep a copy of file arguments (except /etc/apparmor.d), then run the real parser
echo "$(date +%T) $PPID $*" >> /run/dvm/captured/apparmor_parser.calls
for a in "$@"; do
	case $a in	# dockerd writes docker-default to /var/lib/docker/tmp/docker-defaultNNN
	/etc/apparmor.d/*) ;;
	/*) [ -f "$a" ] && cp "$a" "/run/dvm/captured/${a##*/}" ;;
	esac
done
exec /usr/sbin/apparmor_parser "$@"
EOF2
	chmod 755 "$R/dvm/bin/apparmor_parser"
	[ -d "$CACHE/extra" ] && cp -a "$CACHE/extra/." "$R/dvm/add/"
	cp "$CACHE/ctprobe" "$R/dvm/add/usr/local/bin/ctprobe"
}

run_qemu() {	# run_qemu SNAPSHOT
	local snap=",snapshot=on"
	[ "$1" = 0 ] && snap=""
	timeout --foreground -k 5 "$TMO" "$QEMU" -accel tcg,thread=multi -cpu "${DVM_CPU:-max}" -m "$MEM" -smp "$SMP" \
		-nodefaults -no-user-config -display none -no-reboot \
		-kernel "$KIMG" -initrd "$T/initrd" -append "$CMDLINE" \
		-drive "file=$CACHE/root.img,if=virtio,format=raw,cache=unsafe,aio=threads$snap" \
		-chardev stdio,id=s0,signal=off -serial chardev:s0 \
		-serial "file:$T/klog" -serial "file:$T/status" \
		"${QARGS[@]}" </dev/null
}

# the cache: built, then prepared by one writable boot (AppArmor's binary
# cache, docker's state, dvm/busybox), under a lock
exec 9> "$CACHE/.lock"
flock 9
built || build
KVER=$(cat "$CACHE/kernel/kver")
KIMG=$CACHE/kernel/vmlinux
[ -f "$KIMG" ] || KIMG=$CACHE/kernel/vmlinuz
# loglevel=6: KERN_NOTICE (audit records) reaches the console, KERN_INFO doesn't
CMDLINE="console=ttyS1,115200 loglevel=6 apparmor=1 security=apparmor panic=-1"
CMDLINE+=" audit_backlog_limit=8192 log_buf_len=8M mitigations=off cryptomgr.notests random.trust_cpu=on"
[ $AUDIT = 1 ] && CMDLINE+=" audit=1"
[ -n "$XCMD" ] && CMDLINE+=" $XCMD"
QARGS=()
if [ ! -x "$CACHE/ctprobe" ] || [ "$HERE/ctprobe.c" -nt "$CACHE/ctprobe" ]; then
	${CC:-cc} -O2 -static -o "$CACHE/ctprobe" "$HERE/ctprobe.c" -lrt ||
		die "cannot build the static ctprobe (apt-get install -y gcc libc6-dev)"
fi
if [ ! -f "$CACHE/prepped" ]; then
	t0=$SECONDS
	guest_files 1
	: > "$T/root/dvm/stages/.none"
	initrd "$T/initrd"
	: > "$T/klog"; : > "$T/status"
	set +e; run_qemu 0 > "$T/prep.out"; qrc=$?; set -e
	if [ "$(grep -v started "$T/status" | tr -dc 0-9)" != 0 ]; then
		cat "$T/prep.out" >&2; tail -n 30 "$T/klog" >&2
		die "preparing the image failed (qemu rc=$qrc)"
	fi
	touch "$CACHE/prepped"
	note "prepared the image (AppArmor cache, docker state, dvm/busybox) in $((SECONDS - t0)) s"
fi
flock -u 9

# the run: a snapshot of the cached image, the stages in /run/dvm/stages
guest_files 0
i=0
for s; do
	i=$((i + 1))
	cp "$s" "$T/root/dvm/stages/$(printf %02d $i)-$(basename "$s")"
done
for e in "${EXTRA[@]}"; do
	src=${e%%:*}; dst=${e#*:}; [ "$dst" = "$e" ] && dst=$(readlink -f "$src")
	[ -e "$src" ] || die "no such file: $src"
	mkdir -p "$T/root/dvm/add$(dirname "$dst")"
	cp -a "$src" "$T/root/dvm/add$dst"
done
i=0
for s in "${SHARES[@]}"; do
	mode=${s%%:*}; s=${s#*:}
	src=${s%%:*}; dst=${s#*:}; [ "$dst" = "$s" ] && dst=$(readlink -f "$src")
	[ -d "$src" ] || die "no such directory: $src"
	ro=""; [ "$mode" = ro ] && ro=",readonly=on"
	QARGS+=(-virtfs "local,path=$(readlink -f "$src"),mount_tag=dvm$i,security_model=none,multidevs=remap$ro")
	echo "dvm$i $dst cache=mmap" >> "$T/root/dvm/shares"
	i=$((i + 1))
done
initrd "$T/initrd"

# With -j 2 (multi-threaded TCG) the guest kernel can (rarely) die with
# "Oops: int3" at a code site it is patching. If that happens before the
# first stage started, boot once more (DVM_RETRY=0 turns this off).
tries=0
while :; do
	: > "$T/klog"; : > "$T/status"
	set +e
	run_qemu 1
	qrc=$?
	set -e
	tries=$((tries + 1))
	if [ "$tries" -lt 2 ] && [ "${DVM_RETRY:-1}" = 1 ] && [ $qrc != 124 ] && [ $qrc != 137 ] &&
	   ! grep -q started "$T/status" && grep -q 'Kernel panic' "$T/klog"; then
		note "kernel panic before the first stage started ($(grep -m1 -o 'Kernel panic.*' "$T/klog")); booting again"
		continue
	fi
	break
done
[ -n "$KLOG" ] && cp "$T/klog" "$KLOG"
[ $PRINT_KLOG = 1 ] && cat "$T/klog" >&2
if [ $qrc = 124 ] || [ $qrc = 137 ]; then
	note "timeout after ${TMO}s"; exit 124
fi
rc=$(grep -v started "$T/status" | tr -dc 0-9)
if [ -z "$rc" ]; then
	note "guest did not report an exit status (qemu rc=$qrc); kernel log tail:"
	tail -n 30 "$T/klog" >&2
	exit 125
fi
exit "$rc"
