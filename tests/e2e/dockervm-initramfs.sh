#!/bin/busybox sh
# /init of the dockervm initramfs (tests/e2e/dockervm.sh) (busybox, PID 1). Debian builds virtio_blk and
# ext4 as modules, so a root on /dev/vda needs this first stage: load them,
# mount the ext4 root, copy the per-run files (/dvm) to <root>/run/dvm (a
# tmpfs) and switch_root to the second stage, /run/dvm/init (bash).
/bin/busybox mount -t devtmpfs devtmpfs /dev
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
exec 0</dev/null 1>/dev/ttyS0 2>&1
fail() { echo "dvm-initramfs: $*"; echo 125 > /dev/ttyS2; sync; poweroff -f; }
[ -f /mods/order ] || fail "no modules in the initramfs"
while read -r m; do insmod "/mods/$m" 2>/dev/null; done < /mods/order
i=0
while [ ! -b /dev/vda ]; do
	i=$((i + 1)); [ $i -gt 100 ] && fail "no /dev/vda after 10 s"
	sleep 0.1
done
ro=rw; [ -f /dvm/readonly ] && ro=ro
mount -t ext4 -o $ro,noatime /dev/vda /newroot || fail "mount /dev/vda failed"
mount -t tmpfs -o mode=755,nosuid,nodev tmpfs /newroot/run || fail "tmpfs on /run failed"
mkdir -p /newroot/run/dvm
cp -a /dvm/. /newroot/run/dvm/
umount /proc /sys
mount --move /dev /newroot/dev
exec switch_root /newroot /run/dvm/init
