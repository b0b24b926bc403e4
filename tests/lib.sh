# tests/lib.sh - a tiny shell test harness: sourced by tests/run-*.sh.
# ok NAME CMD...        the command must succeed
# fails CODE NAME CMD... the command must exit with CODE
# journal_file EXP OUT a journal file from an export stream
# finish               prints "NAME: N passed, N failed" and sets the exit status
PASS=0 FAIL=0
# as root, aaprof refuses templates and rule files below a directory others
# may write, such as /tmp: the tests' files live under the build tree
TESTTMP=${AAPROF_TEST_TMPDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build/tmp}
mkdir -p "$TESTTMP"
T=$(mktemp -d "$TESTTMP/aaprof-test.XXXXXX")
trap 'rm -rf "$T"' EXIT

pass() { PASS=$((PASS + 1)); [ -n "${VERBOSE:-}" ] && echo "ok   $1"; return 0; }
fail() { FAIL=$((FAIL + 1)); echo "FAIL $1" >&2; shift; [ $# -gt 0 ] && printf '%s\n' "$@" | sed 's/^/     /' >&2; return 0; }

ok() {
	local name=$1; shift
	if "$@" > "$T/out" 2> "$T/err"; then pass "$name"
	else fail "$name" "exit $? from: $*" "$(head -c 2000 "$T/err")"; fi
}

fails() {
	local code=$1 name=$2 rc; shift 2
	"$@" > "$T/out" 2> "$T/err"; rc=$?
	if [ "$rc" -eq "$code" ]; then pass "$name"
	else fail "$name" "expected exit $code, got $rc from: $*" "$(head -c 2000 "$T/err")"; fi
}

# assert NAME SHELL-CONDITION
assert() {
	local name=$1; shift
	if eval "$@"; then pass "$name"; else fail "$name" "condition failed: $*"; fi
}

# journal_file EXPORT OUT: a journal file from an export-format stream
# (systemd-journal-remote); fails when it cannot be built
journal_file() {
	local jr=/lib/systemd/systemd-journal-remote
	[ -x $jr ] || jr=/usr/lib/systemd/systemd-journal-remote
	"$jr" --output="$2" - < "$1" 2>/dev/null
}

finish() {
	echo "$SUITE: $PASS passed, $FAIL failed"
	[ "$FAIL" -eq 0 ]
}

# kernel NAME: the mode the fake apparmorfs ($T/fs) lists for profile NAME
kernel() { awk -v p="$1" 'index($0, p " (") == 1 { sub(/.*\(/, ""); sub(/\)$/, ""); print }' "$T/fs/profiles" 2>/dev/null; }

# fake_kernel: loads go to tests/fake-apparmor_parser on a fake apparmorfs in
# $T/fs; profiles live in $PD, aaprof's state in $T/state
fake_kernel() {
	PD=$T/apparmor.d
	mkdir -p "$PD" "$T/fs"
	export AAPROF_STATE_DIR=$T/state TZ=UTC FAKE_LOG=$T/parser.log
	export APPARMOR_PARSER=$HERE/fake-apparmor_parser AAPROF_APPARMORFS=$T/fs
}
