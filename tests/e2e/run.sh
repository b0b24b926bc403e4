#!/bin/bash
# make check-e2e: boot Debian's kernel with AppArmor under qemu and run the
# whole complain-to-enforce loop (loop.sh) with the aaprof just built.
# Fails loudly when qemu or the kernel cannot run: this test never skips.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$(dirname "$HERE")")
BUILD=${BUILD:-$TOP/build}
A=$BUILD/aaprof
[ -x "$A" ] || { echo "e2e: $A not built" >&2; exit 1; }
command -v qemu-system-x86_64 >/dev/null || { echo "e2e: FAIL: qemu-system-x86_64 missing (apt-get install qemu-system-x86)" >&2; exit 1; }
AAEXEC=$(command -v aa-exec) || { echo "e2e: FAIL: aa-exec missing (apt-get install apparmor)" >&2; exit 1; }
W=$(mktemp -d "${TMPDIR:-/tmp}/aaprof-e2e.XXXXXX")
trap 'rm -rf "$W"' EXIT
${CC:-cc} -O2 -Wall -Wextra -Werror -o "$W/e2e-workload" "$HERE/workload.c"
set +e
"$HERE/aavm.sh" -q -T "${E2E_TIMEOUT:-900}" -K "$W/klog" \
	-a "$A:/usr/bin/aaprof" -a "$AAEXEC:/usr/bin/aa-exec" \
	-a "$W/e2e-workload:/usr/bin/e2e-workload" -a "/usr/bin/true:/usr/bin/e2e-helper" \
	-a "$TOP/templates:/etc/aaprof/templates" -a "$TOP/rules:/etc/aaprof/rules" \
	"$HERE/loop.sh" | tee "$W/out"
rc=${PIPESTATUS[0]}
set -e
[ -n "${E2E_KLOG:-}" ] && cp "$W/klog" "$E2E_KLOG"
if [ "$rc" -ne 0 ] || ! grep -q '^E2E OK' "$W/out"; then
	echo "e2e: FAIL (exit $rc); the kernel console log's last lines:" >&2
	tail -n 30 "$W/klog" >&2 || true
	echo "e2e: 0 passed, 1 failed"
	exit 1
fi
echo "e2e: 1 passed, 0 failed"
