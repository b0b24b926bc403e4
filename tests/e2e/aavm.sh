#!/bin/bash
# aavm.sh (aaprof tests/e2e; from the project's reference harness) - boot a real Debian kernel with AppArmor enabled in qemu and run a
# shell script (busybox sh, as root) inside it as the workload. The guest's
# stdout/stderr is printed on stdout; the exit status is the workload's.
#
# usage: aavm.sh [options] WORKLOAD.sh [ARGS...]
#   -a HOST[:GUEST]   add a file or directory to the guest initramfs (default:
#                     same path). Dynamic ELF files get their ldd libraries too.
#   -l HOSTBIN        add only the shared libraries HOSTBIN needs (for programs
#                     that reach the guest through a share)
#   -s HOST[:GUEST]   share a host directory via virtio-9p, read-write
#                     (default: same path in the guest)
#   -S HOST[:GUEST]   same, read-only
#   -K FILE           save the kernel console log (printk, incl. audit) to FILE
#   -k                print the kernel console log to stderr after the run
#   -A                boot with audit=1 (adds SYSCALL/PROCTITLE records)
#   -c 'ARGS'         extra kernel command line
#   -m MB             guest RAM (default 512)
#   -T SECONDS        host-side timeout (default 300)
#   -t                force TCG (no KVM)
#   -q                no "aavm: kernel ..." banner line
# env: AAVM_CACHE   cache dir (default: /var/tmp/aavm-cache); one per kernel
#      AAVM_KERNEL_PKG  kernel package (default: what linux-image-amd64 depends on)
#      AAVM_DIST    "KSUITE USUITE" (e.g. "trixie-backports trixie"): the kernel
#                   linux-image-amd64 depends on in Debian's KSUITE, busybox and
#                   AppArmor's userspace (parser, abi, tunables, abstractions)
#                   from USUITE, fetched with a private apt state (the host's
#                   sources are never touched); default: the host's own apt,
#                   kernel, apparmor_parser and /etc/apparmor.d
#      AAVM_PARSER5=1  with AAVM_DIST: also /usr/sbin/apparmor_parser5, AppArmor
#                   5.x's parser from Debian unstable with its abi files (5.0)
#      AAVM_MIRROR  Debian archive URL (default: the host's, else deb.debian.org)
#      AAVM_ACCEL   auto|kvm|tcg (default auto: KVM only if the CPU has vmx/svm)
#      AAVM_CPU     qemu -cpu (default max for TCG, host for KVM)
#      AAVM_SMP     vCPUs (default 1)     AAVM_KIMG  kernel image to boot
#      QEMU         qemu binary (default qemu-system-x86_64)
# exit status: the workload's; 124 on timeout; 125 on aavm/boot errors.
#
# Guest: / is the initramfs (tmpfs, writable, merged-/usr like the host),
# busybox at /usr/bin/busybox, /sbin/apparmor_parser (with AAVM_DIST a
# wrapper running that release's parser with its own libc), /sbin/auditctl,
# /etc/apparmor.d/{abi,tunables,abstractions}, securityfs mounted,
# kernel.printk_ratelimit=0 so no audit record is dropped. Workload is
# /etc/aavm/workload, run from /root. Inside, `dmesg` shows the audit records.
set -euo pipefail
umask 022

HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
SELF=$HERE/$(basename "$0")
CACHE=${AAVM_CACHE:-/var/tmp/aavm-cache}
QEMU=${QEMU:-qemu-system-x86_64}
DIST=${AAVM_DIST:-}
PARSER5=${AAVM_PARSER5:-0}
[ -n "$DIST" ] || PARSER5=0

die() { echo "aavm: $*" >&2; exit 125; }
VM_MIRROR=${AAVM_MIRROR:-}
# mirror, apt_private, download, deps, kernel_from_suite, extract_vmlinux, first_of
. "$HERE/vmlib.sh"

# guest paths: merged /usr, as on the host (so AppArmor records show
# /usr/lib/x86_64-linux-gnu/libc.so.6 etc., like on a real bookworm system)
canon() {
	case $1 in
	/bin/* | /sbin/* | /lib/* | /lib64/* | /bin | /sbin | /lib | /lib64) echo "/usr$1" ;;
	*) echo "$1" ;;
	esac
}

# add_with_libs ROOT HOSTFILE GUESTPATH : copy a file, plus its ldd libraries
# if it is a dynamic ELF file (GUESTPATH empty: only the libraries)
add_with_libs() {
	local r=$1 src=$2 dst=$3 lib g
	if [ -n "$dst" ]; then
		dst=$(canon "$dst")
		mkdir -p "$r$(dirname "$dst")"
		cp -a "$src" "$r$dst"
	fi
	if [ -f "$src" ] && head -c4 "$src" | grep -q ELF; then
		for lib in $(ldd "$src" 2>/dev/null | grep -o '/[^ ]*'); do
			g=$(canon "$lib")
			[ -e "$r$g" ] && continue
			mkdir -p "$r$(dirname "$g")"
			cp -L "$lib" "$r$g"
		done
	fi
}

# ---------------------------------------------------------------- setup ----
# need_libs ROOT TREE ELF...: the libraries (DT_NEEDED, recursively) of each
# ELF, searched in TREE's library directories and copied to ROOT (a directory
# of its own: one release's libc never mixes with the host's)
need_libs() {
	local root=$1 tree=$2 f n l
	shift 2
	for f; do
		for n in $(readelf -d "$f" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
			[ -e "$root/$n" ] && continue
			l=$(first_of "$tree/usr/lib/x86_64-linux-gnu/$n" "$tree/lib/x86_64-linux-gnu/$n" \
				"$tree/usr/lib64/$n" "$tree/lib64/$n") || die "$n (needed by ${f##*/}) is in none of the packages"
			cp -L "$l" "$root/$n"
			need_libs "$root" "$tree" "$root/$n"
		done
	done
}

# parser_from_debs ROOT TREE NAME DEB [ARGS]: install TREE's apparmor_parser
# (from package DEB) in the guest ROOT as /usr/sbin/NAME, a wrapper that runs
# it with its own release's dynamic loader and libraries from
# /usr/lib/aavm/NAME, ARGS first
parser_from_debs() {
	local root=$1 tree=$2 name=$3 lib=/usr/lib/aavm/$3
	mkdir -p "$root$lib"
	cp "$tree/usr/sbin/apparmor_parser" "$root$lib/apparmor_parser"
	need_libs "$root$lib" "$tree" "$root$lib/apparmor_parser"
	cp -L "$(first_of "$tree/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" "$tree/usr/lib64/ld-linux-x86-64.so.2" \
		"$tree/lib64/ld-linux-x86-64.so.2")" "$root$lib/ld-linux-x86-64.so.2" || die "no dynamic loader for $name"
	printf '#!/bin/sh\n# apparmor_parser %s, with its own libraries (aavm.sh)\nexec %s/ld-linux-x86-64.so.2 --library-path %s %s/apparmor_parser%s "$@"\n' \
		"$(dpkg-deb -f "$4" Version)" "$lib" "$lib" "$lib" "${5:+ $5}" > "$root/usr/sbin/$name"
	chmod 755 "$root/usr/sbin/$name"
}

# copy_module KDIR M DEST: module M (.ko, .ko.xz or .ko.zst) as DEST/M.ko;
# false when the kernel has none (built in, or not built)
copy_module() {
	local f
	f=$(find "$1" -name "$2.ko" -o -name "$2.ko.xz" -o -name "$2.ko.zst" | head -1)
	[ -n "$f" ] || return 1
	case $f in
	*.xz) xz -dc "$f" > "$3/$2.ko" || die "cannot decompress $f (apt-get install -y xz-utils)" ;;
	*.zst) zstd -qdc "$f" > "$3/$2.ko" || die "cannot decompress $f (apt-get install -y zstd)" ;;
	*) cp "$f" "$3/$2.ko" ;;
	esac
}

setup() {
	local pkgdir=$CACHE/pkgs kpkg kver BB r a d m la kd f x ver
	local -a kdebs=()
	rm -rf "$pkgdir/k" "$pkgdir/bb" "$pkgdir/x" "$pkgdir/x5"
	mkdir -p "$pkgdir/k" "$pkgdir/bb"
	command -v "$QEMU" >/dev/null || die "$QEMU missing (apt-get install -y qemu-system-x86)"
	if [ -z "$DIST" ]; then
		command -v apparmor_parser >/dev/null || die "apparmor_parser missing (apt-get install -y apparmor)"
		# the kernel package: $AAVM_KERNEL_PKG, else one already downloaded, else
		# the one the linux-image-amd64 metapackage currently depends on
		kpkg=${AAVM_KERNEL_PKG:-}
		[ -n "$kpkg" ] || kpkg=$(ls "$pkgdir" | sed -n 's/^\(linux-image-[0-9][^_]*\)_.*\.deb$/\1/p' | head -1)
		[ -n "$kpkg" ] || kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
			awk '/Depends: linux-image-[0-9]/ {print $2; exit}' || true)
		[ -n "$kpkg" ] || die "cannot determine the kernel package"
		( cd "$pkgdir" &&
		  { ls "$kpkg"_*.deb >/dev/null 2>&1 || apt-get download "$kpkg"; } &&
		  { ls busybox-static_*.deb >/dev/null 2>&1 || apt-get download busybox-static; }
		) >&2 2>/dev/null || die "apt-get download $kpkg busybox-static failed"
		kdebs=("$pkgdir/$kpkg"_*.deb)
	else
		# "KERNELSUITE USERSUITE", e.g. "trixie-backports trixie": the kernel
		# from the first, busybox and AppArmor's userspace from the second
		command -v readelf >/dev/null || die "readelf missing (apt-get install -y binutils)"
		[ -f /usr/share/keyrings/debian-archive-keyring.gpg ] ||
			die "Debian's archive keys missing (apt-get install -y debian-archive-keyring)"
		apt_private debian ${DIST% *} ${DIST#* }
		( cd "$pkgdir" && kernel_from_suite "${DIST% *}" > kernel-packages &&
		  download busybox-static apparmor $(deps apparmor | grep '^lib') ) || exit 125
		for kpkg in $(cat "$pkgdir/kernel-packages"); do kdebs+=("$(ls "$pkgdir/$kpkg"_*.deb | head -1)"); done
		if [ "$PARSER5" = 1 ]; then
			# AppArmor 5.x from Debian unstable, its own libc and libstdc++
			apt_private sid sid
			mkdir -p "$pkgdir/sid"
			( cd "$pkgdir/sid" && download apparmor $(deps apparmor | grep '^lib') &&
			  for d in $(deps apparmor | grep '^lib'); do download $(deps "$d" | grep '^lib'); done ) || exit 125
		fi
		rm -rf "$CACHE/apt"
	fi
	TDL=$(date +%s.%N)
	for f in "${kdebs[@]}"; do dpkg-deb -x "$f" "$pkgdir/k"; done
	kd=$(first_of "$pkgdir/k/usr/lib/modules" "$pkgdir/k/lib/modules") || die "no modules directory in the kernel package"
	kver=$(ls "$kd" | head -1)
	f=$(first_of "$pkgdir/k/boot/vmlinuz-$kver" "$kd/$kver/vmlinuz") || die "no vmlinuz in the kernel package"
	cp "$f" "$CACHE/vmlinuz"
	f=$(first_of "$pkgdir/k/boot/config-$kver" "$kd/$kver/config") || die "no kernel config in the kernel package"
	cp "$f" "$CACHE/config"
	grep -q '^CONFIG_SECURITY_APPARMOR=y' "$CACHE/config" || die "$kver lacks CONFIG_SECURITY_APPARMOR"
	rm -f "$CACHE/vmlinux"
	extract_vmlinux "$CACHE/vmlinuz" "$CACHE/vmlinux" ||
		echo "aavm: could not extract vmlinux, booting the bzImage (slower under TCG)" >&2
	dpkg-deb -x "$(ls "$pkgdir"/busybox-static_*.deb | head -1)" "$pkgdir/bb"
	BB=$(first_of "$pkgdir/bb/usr/bin/busybox" "$pkgdir/bb/bin/busybox") || die "no busybox in busybox-static"
	cp "$BB" "$CACHE/busybox"

	# base initramfs
	r=$CACHE/root
	rm -rf "$r" && mkdir -p "$r"/{usr/bin,usr/sbin,usr/lib/modules/aavm,usr/lib64,etc/aavm,etc/apparmor.d} \
		"$r"/{proc,sys,dev,run,tmp,root,var/log,mnt}
	ln -s usr/bin "$r/bin"; ln -s usr/sbin "$r/sbin"; ln -s usr/lib "$r/lib"; ln -s usr/lib64 "$r/lib64"
	cp "$BB" "$r/usr/bin/busybox"
	for a in $("$BB" --list-full); do
		a=$(canon "/$a")
		[ -e "$r$a" ] || ln -s /usr/bin/busybox "$r$a"
	done
	install -m755 "$HERE/guest-init.sh" "$r/init"
	if [ -z "$DIST" ]; then
		# the host's AppArmor userspace
		add_with_libs "$r" "$(command -v apparmor_parser)" /sbin/apparmor_parser
		x=""
	else
		x=$pkgdir/x
		for f in "$pkgdir"/*.deb; do
			case ${f##*/} in linux-* | busybox-*) ;; *) dpkg-deb -x "$f" "$x" ;; esac
		done
		parser_from_debs "$r" "$x" apparmor_parser "$(ls "$pkgdir"/apparmor_*.deb)"
		if [ "$PARSER5" = 1 ]; then
			# /usr/sbin/apparmor_parser5: its own abi files (5.0) first, then /etc/apparmor.d
			for f in "$pkgdir"/sid/*.deb; do dpkg-deb -x "$f" "$pkgdir/x5"; done
			parser_from_debs "$r" "$pkgdir/x5" apparmor_parser5 "$(ls "$pkgdir"/sid/apparmor_*.deb)" \
				"--config-file=/usr/lib/aavm/apparmor_parser5/parser.conf -I /usr/lib/aavm/apparmor_parser5/apparmor.d -I /etc/apparmor.d"
			mkdir -p "$r/usr/lib/aavm/apparmor_parser5/apparmor.d"
			cp -a "$pkgdir/x5/etc/apparmor.d/abi" "$r/usr/lib/aavm/apparmor_parser5/apparmor.d/"
			cp "$pkgdir/x5/usr/share/apparmor-features/features" "$r/usr/lib/aavm/apparmor_parser5/features"
			echo "policy-features=/usr/lib/aavm/apparmor_parser5/features" > "$r/usr/lib/aavm/apparmor_parser5/parser.conf"
		fi
	fi
	# parser.conf (+ the pinned feature ABI it may name) and the standard
	# includes: the host's (x empty) or the release's
	[ -d "$x/etc/apparmor" ] && cp -a "$x/etc/apparmor" "$r/etc/"
	[ -d "$x/usr/share/apparmor-features" ] && mkdir -p "$r/usr/share" &&
		cp -a "$x/usr/share/apparmor-features" "$r/usr/share/"
	for d in abi tunables abstractions; do
		[ -d "$x/etc/apparmor.d/$d" ] && cp -a "$x/etc/apparmor.d/$d" "$r/etc/apparmor.d/"
	done
	# auditctl (optional, package auditd): lets a workload add audit rules
	if [ -z "$DIST" ] && command -v auditctl >/dev/null; then
		add_with_libs "$r" "$(command -v auditctl)" /sbin/auditctl
	fi
	# libapparmor for host-built test programs (aa_change_hat & co.)
	for la in /usr/lib/x86_64-linux-gnu/libapparmor.so.1 /lib/x86_64-linux-gnu/libapparmor.so.1; do
		[ -e "$la" ] || continue
		mkdir -p "$r/usr/lib/x86_64-linux-gnu"; cp -L "$la" "$r/usr/lib/x86_64-linux-gnu/"; break
	done
	# modules for 9p shares (loaded only when a share is requested) + overlay;
	# those the kernel has built in are not there (guest-init.sh skips them)
	for m in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci \
	         9pnet 9pnet_virtio netfs fscache 9p overlay; do
		copy_module "$kd/$kver" $m "$r/usr/lib/modules/aavm" || true
	done
	printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$r/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' > "$r/etc/group"
	echo aavm > "$r/etc/hostname"
	( cd "$r" && find . | LC_ALL=C sort | "$BB" cpio -o -H newc 2>/dev/null ) | gzip -1 > "$CACHE/base.cpio.gz.tmp"
	mv "$CACHE/base.cpio.gz.tmp" "$CACHE/base.cpio.gz"
	rm -rf "$pkgdir/k" "$pkgdir/bb" "$pkgdir/x" "$pkgdir/x5"   # hundreds of MB of modules, no longer needed
	echo "$kver" > "$CACHE/kver"
	echo "${DIST:-host}$([ "$PARSER5" = 1 ] && echo " parser5")" > "$CACHE/dist"
	echo "aavm: cached kernel $kver + initramfs in $CACHE" >&2
}

# ------------------------------------------------------------------ main ----
EXTRA=() LIBSOF=() SHARES=() KLOG="" PRINT_KLOG=0 FORCE_TCG=0 MEM=512 XCMD="" AUDIT=0 TMO=300 QUIET=0
while getopts "a:l:s:S:K:kAc:m:T:tqh" o; do
	case $o in
	a) EXTRA+=("$OPTARG") ;;
	l) LIBSOF+=("$OPTARG") ;;
	s) SHARES+=("rw:$OPTARG") ;;
	S) SHARES+=("ro:$OPTARG") ;;
	K) KLOG=$OPTARG ;;
	k) PRINT_KLOG=1 ;;
	A) AUDIT=1 ;;
	c) XCMD=$OPTARG ;;
	m) MEM=$OPTARG ;;
	T) TMO=$OPTARG ;;
	t) FORCE_TCG=1 ;;
	q) QUIET=1 ;;
	h) sed -n '2,/^set -e/p' "$SELF" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) exit 125 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || die "usage: $0 [options] WORKLOAD.sh [ARGS...]  (-h for help)"
WL=$1; shift
[ -f "$WL" ] || die "no such workload script: $WL"

mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd)   # subshells below cd elsewhere
(
	flock 9
	if ! { [ -f "$CACHE/base.cpio.gz" ] && [ -f "$CACHE/vmlinuz" ] &&
	       [ "$CACHE/base.cpio.gz" -nt "$HERE/guest-init.sh" ] && [ "$CACHE/base.cpio.gz" -nt "$SELF" ] &&
	       [ "$(cat "$CACHE/dist" 2>/dev/null)" = "${DIST:-host}$([ "$PARSER5" = 1 ] && echo " parser5")" ]; }; then
		t0=$(date +%s.%N) TDL=""
		setup
		awk -v a="$t0" -v d="$TDL" -v b="$(date +%s.%N)" 'BEGIN {
			printf "aavm: setup took %.1fs: download %.1fs (apt), kernel and initramfs %.1fs\n", b - a, d - a, b - d }' >&2
	fi
) 9> "$CACHE/.lock"

T=$(mktemp -d "${TMPDIR:-/tmp}/aavm-run.XXXXXX")
trap 'rm -rf "$T"' EXIT

# per-run initramfs segment (appended to the cached base): workload, args, files
R=$T/root
mkdir -p "$R/etc/aavm"
cp "$WL" "$R/etc/aavm/workload"
{
	printf 'set --'
	for a in "$@"; do printf " '%s'" "${a//\'/\'\\\'\'}"; done
	printf '\n'
} > "$R/etc/aavm/args"
[ $QUIET = 1 ] && touch "$R/etc/aavm/quiet"
for e in "${EXTRA[@]}"; do
	src=${e%%:*}; dst=${e#*:}; [ "$dst" = "$e" ] && dst=$(readlink -f "$src")
	[ -e "$src" ] || die "no such file: $src"
	dst=$(canon "$dst")
	if [ -d "$src" ]; then
		mkdir -p "$R$dst"; cp -a "$src/." "$R$dst/"
		while read -r f; do add_with_libs "$R" "$f" ""; done < <(find "$src" -type f -perm -u+x)
	else
		add_with_libs "$R" "$src" "$dst"
	fi
done
for e in "${LIBSOF[@]}"; do
	[ -f "$e" ] || die "no such file: $e"
	add_with_libs "$R" "$e" ""
done

QARGS=()
i=0
for s in "${SHARES[@]}"; do
	mode=${s%%:*}; s=${s#*:}
	src=${s%%:*}; dst=${s#*:}; [ "$dst" = "$s" ] && dst=$(readlink -f "$src")
	[ -d "$src" ] || die "no such directory: $src"
	ro=""; [ "$mode" = ro ] && ro=",readonly=on"
	QARGS+=(-virtfs "local,path=$(readlink -f "$src"),mount_tag=aavm$i,security_model=none,multidevs=remap$ro")
	echo "aavm$i $(canon "$dst") cache=mmap" >> "$R/etc/aavm/shares"
	i=$((i + 1))
done

cp "$CACHE/base.cpio.gz" "$T/initrd"
# each concatenated cpio segment must start 4-byte aligned
sz=$(stat -c %s "$T/initrd"); pad=$(( (4 - sz % 4) % 4 ))
[ $pad -gt 0 ] && head -c $pad /dev/zero >> "$T/initrd"
( cd "$R" && find . -mindepth 1 | LC_ALL=C sort | "$CACHE/busybox" cpio -o -H newc 2>/dev/null ) >> "$T/initrd"

# Accelerator: KVM only when the host CPU shows vmx/svm. Some sandboxes offer
# a /dev/kvm backed by PVM (kvm_pvm module: software, pagetable-based
# virtualization) that only runs PVM-enabled guest kernels; a stock kernel
# hangs there right after the real-mode setup code (or qemu -cpu host aborts
# with "failed to set MSR 0x10a").
ACCEL=${AAVM_ACCEL:-auto}
[ $FORCE_TCG = 1 ] && ACCEL=tcg
if [ "$ACCEL" = auto ]; then
	ACCEL=tcg
	if [ -r /dev/kvm ] && [ -w /dev/kvm ] && [ ! -d /sys/module/kvm_pvm ] &&
	   grep -qwE 'vmx|svm' /proc/cpuinfo; then
		ACCEL=kvm
	fi
fi
if [ "$ACCEL" = kvm ]; then
	QACCEL=(-accel kvm -cpu "${AAVM_CPU:-host}")
else
	# max: all TCG-emulated features (up to AVX2; no AVX-512). Measured no
	# faster or slower than qemu64, and it runs more host-compiled binaries.
	QACCEL=(-accel tcg -cpu "${AAVM_CPU:-max}")
fi
KIMG=${AAVM_KIMG:-$CACHE/vmlinux}
[ -f "$KIMG" ] || KIMG=$CACHE/vmlinuz
# loglevel=6: KERN_NOTICE (audit records) reaches the console, KERN_INFO doesn't
CMDLINE="console=ttyS1,115200 loglevel=6 apparmor=1 security=apparmor panic=-1"
CMDLINE+=" audit_backlog_limit=8192 log_buf_len=4M mitigations=off cryptomgr.notests"
[ $AUDIT = 1 ] && CMDLINE+=" audit=1"
[ -n "$XCMD" ] && CMDLINE+=" $XCMD"

: > "$T/klog"; : > "$T/status"
set +e
timeout --foreground -k 5 "$TMO" "$QEMU" "${QACCEL[@]}" -m "$MEM" -smp "${AAVM_SMP:-1}" \
	-nodefaults -no-user-config -display none -no-reboot \
	-kernel "$KIMG" -initrd "$T/initrd" -append "$CMDLINE" \
	-chardev stdio,id=s0,signal=off -serial chardev:s0 \
	-serial "file:$T/klog" -serial "file:$T/status" \
	"${QARGS[@]}" </dev/null
qrc=$?
set -e
[ -n "$KLOG" ] && cp "$T/klog" "$KLOG"
[ $PRINT_KLOG = 1 ] && cat "$T/klog" >&2
if [ $qrc = 124 ] || [ $qrc = 137 ]; then
	echo "aavm: timeout after ${TMO}s" >&2; exit 124
fi
rc=$(tr -dc 0-9 < "$T/status")
if [ -z "$rc" ]; then
	echo "aavm: guest did not report an exit status (qemu rc=$qrc); kernel log tail:" >&2
	tail -n 30 "$T/klog" >&2
	exit 125
fi
exit "$rc"
