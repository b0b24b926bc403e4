#!/bin/bash
# make check-e2e: boot real Debian kernels with AppArmor under qemu and run
# the whole complain-to-enforce loop (loop.sh) with the aaprof just built:
#   host  the host's Debian kernel and AppArmor userspace (Debian 12: 6.1, 3.0.8)
#   bpo   trixie-backports' kernel (7.x) with trixie's AppArmor 4.1 userspace
#         and unstable's apparmor_parser 5.x; loop.sh also proves, class by
#         class, that harvested rules are enforced (classes.sh)
#   docker  real Docker (docker.io, containerd, runc from trixie) on the same
#         7.x kernel (dockervm.sh): the loop with `docker run --security-opt
#         apparmor=APP` (docker-loop.sh), aaprof check against containers
#         started each way (docker-check.sh), and every other docker-*.sh
#         stage, in one boot; its image (trixie root, dvm/busybox) is cached
#         under $BUILD/e2e-cache/docker
# E2E_KERNELS picks them (default "host bpo docker"). Kernels and packages are cached
# under $BUILD/e2e-cache/KERNEL (the first run downloads them from Debian's
# archive with a private apt state; the host's sources stay untouched).
# Fails loudly when qemu or a kernel cannot run: this test never skips.
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
${CC:-cc} -O2 -Wall -Wextra -Werror -o "$W/e2e-probe" "$HERE/probe.c"

pass=0 failed=0
# run_docker: the Docker stages (docker-*.sh) in one dockervm.sh boot; prints the wall times
run_docker() {
	local rc t0 t2 s
	echo "=== e2e on kernel 'docker' (trixie-backports' 7.x, Docker $(echo "$HERE"/docker-*.sh | wc -w) stages)"
	t0=$(date +%s.%N)
	set +e
	BUILD=$BUILD "$HERE/dockervm.sh" -T "${E2E_TIMEOUT:-1800}" -K "$W/klog-docker" \
		-a "$A:/usr/bin/aaprof" -a "$TOP/templates:/etc/aaprof/templates" -a "$TOP/rules:/etc/aaprof/rules" \
		"$HERE"/docker-*.sh 2> >(tee "$W/err-docker" >&2) | tee "$W/out-docker"
	rc=${PIPESTATUS[0]}
	set -e
	t2=$(date +%s.%N)
	[ -n "${E2E_KLOG:-}" ] && cp "$W/klog-docker" "$E2E_KLOG.docker"
	# the times: image build and prep (first run only), boot, each stage
	awk -v t0="$t0" -v t2="$t2" '
		/^dockervm: build done in/ { build = $5 }
		/^dockervm: prepared the image/ { prep = $(NF - 1) }
		/^dvm: \[[0-9.]+\] stage .* starts/ && !boot { boot = substr($2, 2) + 0 }
		/^dvm: \[[0-9.]+\] stage .*: exit status/ { n = $4; sub(/:$/, "", n); t = $(NF - 1); sub(/^\(/, "", t); st = st sprintf(", %s %.0fs", n, t) }
		END {
		      printf "e2e: kernel docker: wall %.0fs = image build %ds + prep %ds (first run only), boot %.0fs%s\n",
			t2 - t0, build, prep, boot, st }' "$W/err-docker" "$W/out-docker"
	for s in "$HERE"/docker-*.sh; do
		grep -q "stage ${s##*/}: exit status 0 " "$W/out-docker" || { [ "$rc" != 0 ] || rc=1; }
	done
	if [ "$rc" -ne 0 ]; then
		echo "e2e: FAIL on kernel 'docker' (exit $rc); the kernel console log's last lines:" >&2
		tail -n 30 "$W/klog-docker" >&2 || true
		failed=$((failed + 1))
		return 0
	fi
	pass=$((pass + 1))
}
# run_kernel NAME: one kernel, one boot; prints the wall times
run_kernel() {
	local k=$1 rc t0 t1 t2 args=() env=()
	case $k in
	docker) run_docker; return 0 ;;
	host) ;;
	bpo) env=(AAVM_DIST="trixie-backports trixie" AAVM_PARSER5=1) args=(--classes) ;;
	*) echo "e2e: unknown kernel '$k' (host, bpo, docker)" >&2; return 1 ;;
	esac
	echo "=== e2e on kernel '$k'"
	t0=$(date +%s.%N)
	set +e
	env "${env[@]}" AAVM_CACHE="$BUILD/e2e-cache/$k" "$HERE/aavm.sh" -q -T "${E2E_TIMEOUT:-900}" -K "$W/klog-$k" \
		-a "$A:/usr/bin/aaprof" -a "$AAEXEC:/usr/bin/aa-exec" \
		-a "$W/e2e-workload:/usr/bin/e2e-workload" -a "/usr/bin/true:/usr/bin/e2e-helper" \
		-a "$W/e2e-probe:/usr/bin/e2e-probe" -a "$HERE/classes.sh:/usr/lib/aaprof-e2e/classes.sh" \
		-a "$TOP/templates:/etc/aaprof/templates" -a "$TOP/rules:/etc/aaprof/rules" \
		"$HERE/loop.sh" "${args[@]}" 2> >(tee "$W/err-$k" >&2) | tee "$W/out-$k"
	rc=${PIPESTATUS[0]}
	set -e
	t2=$(date +%s.%N)
	[ -n "${E2E_KLOG:-}" ] && cp "$W/klog-$k" "$E2E_KLOG.$k"
	# the times: setup (download + image build, only when not cached), boot
	# (until the guest's workload starts), the loop (the rest)
	t1=$(sed -n 's/^aavm: setup took \([0-9.]*\)s.*/\1/p' "$W/err-$k")
	sed -n 's/^aavm: setup took [0-9.]*s: /e2e: kernel '"$k"': setup: /p' "$W/err-$k"
	awk -v k="$k" -v t0="$t0" -v t2="$t2" -v setup="${t1:-0}" \
		-v boot="$(sed -n 's/^e2e: the loop starts at \([0-9.]*\)s of uptime.*/\1/p' "$W/out-$k")" 'BEGIN {
		printf "e2e: kernel %s: wall %.0fs = setup (download and image, first run only) %.0fs, boot %.0fs, loop %.0fs\n",
			k, t2 - t0, setup, boot, t2 - t0 - setup - boot }'
	if [ "$rc" -ne 0 ] || ! grep -q '^E2E OK' "$W/out-$k"; then
		echo "e2e: FAIL on kernel '$k' (exit $rc); the kernel console log's last lines:" >&2
		tail -n 30 "$W/klog-$k" >&2 || true
		failed=$((failed + 1))
		return 0
	fi
	pass=$((pass + 1))
}
for k in ${E2E_KERNELS:-host bpo docker}; do
	run_kernel "$k"
done
echo "e2e: $pass passed, $failed failed"
[ "$failed" = 0 ]
