#!/bin/bash
# What aaprof shows on a terminal, run on a pseudo-terminal (script(1)):
# the progress line of a long harvest (with a test clock that advances
# AAPROF_TEST_TICK_MS per reading), colour for warnings and diffs, and
# neither when standard error (standard output for diffs) is not a
# terminal, with NO_COLOR, or with TERM=dumb.
set -u
SUITE=tty
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
. "$HERE/lib.sh"
A=${AAPROF:-$TOP/build/aaprof}
D=$TOP/tests/data/harvest
command -v script >/dev/null || { echo "tty: script(1) not found (apt-get install bsdutils)" >&2; exit 1; }
export TZ=UTC AAPROF_NOW=1763800000 AAPROF_STATE_DIR=$T/state TERM=xterm
unset NO_COLOR

# on_tty OUT CMD...: CMD on a pseudo-terminal of 160 columns (standard
# output and error), what the terminal received in OUT
on_tty() {
	local out=$1 cmd="stty cols ${COLS:-160};" a; shift
	for a in "$@"; do cmd+=" $(printf '%q' "$a")"; done
	script -qec "$cmd" /dev/null > "$out" < /dev/null
}
# the progress lines the terminal received (each starts with ESC [ K)
progress() { tr '\r' '\n' < "$1" | grep -a '^.\[Kaaprof harvest: reading '; }

cd "$T"
for i in $(seq 400); do cat "$D/classes.log"; done > big.log   # 10 000 lines, 2 MB
gzip -k big.log
cp big.log "$(printf 'odd\033]0;title\007.log')"

# --- the progress line
export AAPROF_TEST_TICK_MS=1000
on_tty tty.out sh -c '"$0" harvest -j1 -f big.log myapp > /dev/null' "$A"
assert "a long read of a plain file shows bytes of its size, lines, rate and time left" \
	"progress tty.out | grep -q 'reading big.log: 1.0 MB of 2.1 MB (49%), 4999 lines, 1.0 MB/s, about 1 s left'"
assert "the line is cleared before the summary" "tr '\r' '\n' < tty.out | grep -a -q '^.\[Kaaprof harvest: .*AppArmor record'"
on_tty tty.out sh -c 'AAPROF_CHUNK=262144 "$0" harvest -j2 -f big.log myapp > /dev/null' "$A"
assert "threads reading chunks: the line follows the chunks taken" \
	"[ \$(progress tty.out | wc -l) -ge 5 ] && progress tty.out | grep -q '(100%), 10000 lines'"
on_tty tty.out sh -c '"$0" harvest -f big.log.gz myapp > /dev/null' "$A"
assert "a compressed file: bytes read and rate, no size and no time left" \
	"progress tty.out | grep -q 'reading big.log.gz: 1.7 MB, 8192 lines, 859.0 kB/s.\?\$'"
on_tty tty.out sh -c '"$0" harvest -j1 -f odd*.log myapp > /dev/null' "$A"
assert "a file name's control characters are escaped in the line" \
	"progress tty.out | grep -q 'reading odd\\\\e\\]0;title\\\\x07.log: ' && ! grep -a -q \"\$(printf '\\007')\" tty.out"
COLS=60 on_tty tty.out sh -c '"$0" harvest -j1 -f odd*.log myapp > /dev/null' "$A"
assert "a narrow terminal: the name shortened from the left, the line fits" \
	"progress tty.out | grep -q 'reading \\.\\.\\.7.log: 1.0 MB' && [ \$(progress tty.out | awk '{ n = length(\$0) - 3; if (n > m) m = n } END { print m }') -le 59 ]"
on_tty tty.out sh -c '"$0" harvest -q -j1 -f big.log myapp > /dev/null' "$A"
assert "--quiet: no progress line" "! progress tty.out && ! grep -a -q 'reading' tty.out"
AAPROF_TEST_TICK_MS=300 on_tty tty.out sh -c '"$0" harvest -j1 -f big.log -f big.log.gz myapp > /dev/null' "$A"
assert "sources short each but long together: the line from the second on" \
	"! progress tty.out | grep -q 'reading big.log:' && progress tty.out | grep -q 'reading big.log.gz: 1.7 MB, 8192 lines'"
AAPROF_TEST_TICK_MS=100 on_tty tty.out sh -c '"$0" harvest -j1 -f big.log myapp > /dev/null' "$A"
assert "a read of under a second shows no line" "grep -a -q 'reading big.log' tty.out && ! progress tty.out"
"$A" harvest -j1 -f big.log myapp > /dev/null 2> err.txt
assert "standard error not a terminal: no progress line, no escape" \
	"grep -q 'reading big.log' err.txt && ! grep -q \"\$(printf '\\r')\" err.txt && ! grep -q \"\$(printf '\\033')\" err.txt"
on_tty tty.out sh -c '"$0" harvest -j1 -f big.log myapp > /dev/null 2> err.txt' "$A"
assert "standard output a terminal, standard error a file: no progress line" \
	"[ ! -s tty.out ] && ! grep -q \"\$(printf '\\033')\" err.txt"
unset AAPROF_TEST_TICK_MS

# --- colour
on_tty tty.out sh -c '"$0" harvest -f "$1" myapp > /dev/null' "$A" "$D/classes.log"
assert "a warning's label in colour on a terminal" "grep -a -q \"aaprof harvest: \$(printf '\\033')\\[1;33mwarning:\$(printf '\\033')\\[m 4 dangerous rules\" tty.out"
NO_COLOR=1 on_tty tty.out sh -c '"$0" harvest -f "$1" myapp > /dev/null' "$A" "$D/classes.log"
assert "NO_COLOR: no colour" "grep -a -q 'aaprof harvest: warning: 4 dangerous rules' tty.out && ! grep -a -q \"\$(printf '\\033')\" tty.out"
NO_COLOR= on_tty tty.out sh -c '"$0" harvest -f "$1" myapp > /dev/null' "$A" "$D/classes.log"
assert "NO_COLOR set but empty: colour (no-color.org)" "grep -a -q \"\$(printf '\\033')\\[1;33mwarning:\" tty.out"
TERM=dumb on_tty tty.out sh -c '"$0" harvest -f "$1" myapp > /dev/null' "$A" "$D/classes.log"
assert "TERM=dumb: no colour" "! grep -a -q \"\$(printf '\\033')\" tty.out"
on_tty tty.out sh -c '"$0" harvest -f "$1" no-such-profile --profile /nonexistent/x --write 2>&1 | cat' "$A" "$D/classes.log"
assert "standard error a pipe: no colour in an error" "grep -a -q 'aaprof harvest: error: ' tty.out && ! grep -a -q \"\$(printf '\\033')\" tty.out"
on_tty tty.out sh -c '"$0" harvest -f /nonexistent/x myapp 2>&1' "$A"
assert "an error's label in red on a terminal" "grep -a -q \"\$(printf '\\033')\\[1;31merror:\$(printf '\\033')\\[m\" tty.out"

"$A" render -o myapp myapp
on_tty tty.out sh -c '"$0" harvest -f "$1" --profile myapp --diff myapp 2> /dev/null' "$A" "$D/classes.log"
assert "--diff on a terminal: added lines in colour" "grep -a -q \"^\$(printf '\\033')\\[32m+  /etc/myapp/config.yml r,\" tty.out"
NO_COLOR=1 on_tty tty.out sh -c '"$0" harvest -f "$1" --profile myapp --diff myapp 2> /dev/null' "$A" "$D/classes.log"
assert "--diff with NO_COLOR: plain" "grep -a -q '^+  /etc/myapp/config.yml r,' tty.out && ! grep -a -q \"\$(printf '\\033')\" tty.out"
on_tty tty.out sh -c '"$0" harvest -f "$1" --profile myapp --diff myapp 2> /dev/null | cat' "$A" "$D/classes.log"
assert "--diff into a pipe: plain" "grep -a -q '^+  /etc/myapp/config.yml r,' tty.out && ! grep -a -q \"\$(printf '\\033')\" tty.out"
cmp -s myapp <("$A" render myapp)
assert "--diff changed nothing" "[ $? -eq 0 ]"

finish
