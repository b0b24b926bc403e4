#!/bin/bash
# The README's demo: render a learning profile for an example container
# workload and show that the real apparmor_parser compiles it.
set -euo pipefail
A=${1:-build/aaprof}
out=${TMPDIR:-/tmp}/aaprof-demo
mkdir -p "$out"
echo "== aaprof render demo-web --include nameservice -o $out/demo-web"
"$A" render demo-web --include nameservice -o "$out/demo-web"
sed 's/^/   | /' "$out/demo-web"
echo "== apparmor_parser -QK $out/demo-web"
apparmor_parser -QK "$out/demo-web" 2>&1 | grep -v '^Cache read/write disabled' || true
[ "${PIPESTATUS[0]}" -eq 0 ] && echo "demo: the learning profile compiles; load it with 'aaprof load --complain demo-web' on an AppArmor host"
