#!/bin/bash
# Run the libFuzzer harnesses (built by 'make fuzz' into build-fuzz/fuzz).
#   run.sh smoke              each harness briefly on its seeds (part of check-fuzz)
#   run.sh campaign [RUNS [HARNESS...]]
#                             each harness (or those named) for RUNS executions
#                             (default 10 million); run two at once on two cores
# FUZZ_BUILD: the harnesses (default build-fuzz/fuzz), FUZZ_WORK: corpora and
# logs (default a new temporary directory), FUZZ_RSS_LIMIT_MB (default 2048)
# Seeds come from the repository's own test data; crash reproducers go to
# tests/fuzz/regressions/HARNESS/ and are replayed by every run.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$(dirname "$HERE")")
B=${FUZZ_BUILD:-$TOP/build-fuzz/fuzz}
MODE=${1:-smoke}
RUNS=${2:-10000000}
shift $(($# > 2 ? 2 : $#))
HARNESSES=("$@")
[ ${#HARNESSES[@]} -gt 0 ] || HARNESSES=(fuzz-record fuzz-template fuzz-rules fuzz-profile fuzz-paths fuzz-lint fuzz-merge)
W=${FUZZ_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/aaprof-fuzz.XXXXXX")}
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

seed() {   # seed HARNESS: fill $W/HARNESS/seeds
	local d=$W/$1/seeds i=0 f
	mkdir -p "$d"
	case $1 in
	fuzz-record)
		cat "$TOP"/tests/data/test_multi/*.in "$TOP"/tests/data/harvest/*.log "$TOP"/tests/data/e2e-complain.log |
			while IFS= read -r line; do i=$((i + 1)); printf '%s' "$line" > "$d/l$i"; done ;;
	fuzz-template)
		for f in "$TOP"/templates/*.tmpl "$TOP"/tests/data/template/*.tmpl "$TOP"/tests/data/template/inc/*.tmpl; do
			cp "$f" "$d/$(basename "$(dirname "$f")")-$(basename "$f")"; done ;;
	fuzz-rules)
		cp "$TOP"/rules/*.rules "$TOP"/rules/*.danger "$d/" ;;
	fuzz-paths)
		cp "$HERE"/paths/* "$d/" ;;
	fuzz-lint)
		# the first byte picks the kind (0 auto, 1 shell, 2 compose, 3 kubernetes; +4 a .yaml name)
		for f in "$TOP"/tests/data/lint/*/*; do
			case $f in *.expected) continue ;; esac
			for k in 0 1 2 3; do
				{ printf "\\$k"; cat "$f"; } > "$d/$k-$(basename "$f")"; done; done ;;
	fuzz-merge)
		for f in "$TOP"/tests/data/harvest/*-json.expected; do cp "$f" "$d/$(basename "$f")"; done ;;
	fuzz-profile)
		for f in "$TOP"/tests/data/test_multi/*.profile "$TOP"/templates/*.tmpl "$TOP"/tests/data/harvest/merge.expected; do
			cp "$f" "$d/$(basename "$f")"; done ;;
	esac
	if [ -d "$HERE/regressions/$1" ]; then cp "$HERE/regressions/$1"/* "$d/" 2>/dev/null || true; fi
}

pass=0 fail=0
for h in "${HARNESSES[@]}"; do
	[ -x "$B/$h" ] || { echo "fuzz: $B/$h not built (make fuzz)" >&2; exit 1; }
	seed "$h"
	mkdir -p "$W/$h/corpus" "$W/$h/artifacts"
	if [ "$MODE" = smoke ]; then
		args=(-runs=20000 -max_total_time=60 -seed=1)
	else
		args=(-runs="$RUNS" -print_final_stats=1)
	fi
	echo "== $h ${args[*]}"
	if "$B/$h" "${args[@]}" -max_len=16384 -timeout=10 -rss_limit_mb="${FUZZ_RSS_LIMIT_MB:-2048}" \
		-artifact_prefix="$W/$h/artifacts/" "$W/$h/corpus" "$W/$h/seeds" > "$W/$h/log" 2>&1; then
		pass=$((pass + 1))
		grep -E '^(Done|stat::number_of_executed_units|#[0-9]+.*DONE)' "$W/$h/log" | tail -2 || true
	else
		fail=$((fail + 1))
		echo "fuzz: $h FAILED; reproducer(s) in $W/$h/artifacts:" >&2
		ls "$W/$h/artifacts" >&2
		tail -n 40 "$W/$h/log" >&2
	fi
done
echo "fuzz: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
