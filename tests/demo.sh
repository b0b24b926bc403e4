#!/bin/bash
# The README's demo, the loop aaprof is for:
#   1. render the learning profile for a container workload; apparmor_parser compiles it
#   2. harvest a bundled real complain-mode kernel log into it; it still compiles
#   3. the whole loop on a real AppArmor kernel (Debian's, booted under qemu):
#      load --complain, run the workload, harvest, enforce, rerun (tests/e2e)
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
A=${1:-$TOP/build/aaprof}
W=$(mktemp -d "${TMPDIR:-/tmp}/aaprof-demo.XXXXXX")
trap 'rm -rf "$W"' EXIT
export AAPROF_STATE_DIR=$W/state

echo "== 1. aaprof render e2e-app -o $W/e2e-app   (the learning template, complain mode)"
"$A" render e2e-app -o "$W/e2e-app"
grep -E '^profile|deny mount|BEGIN aaprof' "$W/e2e-app" | sed 's/^/   | /'
apparmor_parser -QK "$W/e2e-app" 2>&1 | grep -v '^Cache read/write disabled' || true
echo "   apparmor_parser -QK: compiles"

echo
echo "== 2. aaprof harvest -f tests/data/e2e-complain.log --profile $W/e2e-app --write e2e-app"
echo "   (a real complain-mode log of Debian's kernel 6.1, dmesg format)"
"$A" harvest -f "$TOP/tests/data/e2e-complain.log" --profile "$W/e2e-app" --write e2e-app
sed -n '/BEGIN aaprof/,/END aaprof/p' "$W/e2e-app" | sed 's/^/   | /'
apparmor_parser -QK "$W/e2e-app" 2>&1 | grep -v '^Cache read/write disabled' || true
echo "   apparmor_parser -QK: the harvested profile compiles"

if [ -n "${DEMO_NO_VM:-}" ]; then
	echo; echo "demo: DEMO_NO_VM set, skipping the real-kernel loop"; exit 0
fi
echo
echo "== 3. the whole loop on a real AppArmor kernel (Debian's, under qemu; ~20 s, the"
echo "      first run downloads the kernel package)"
# the host's kernel only (make check-e2e adds trixie-backports' 7.x)
E2E_KERNELS=${E2E_KERNELS:-host} BUILD=$(dirname "$A") "$TOP/tests/e2e/run.sh"
