#!/bin/bash
# The man page and the installed layout: aaprof is an administrator's tool
# beside the aa-* tools (section 8, sbin), its mdoc lints clean, it names
# its version (.Os), documents every JSON member aaprof prints and every
# environment variable the release binary reads, and SEE ALSO names the
# tools an AppArmor admin knows.
set -u
SUITE=man
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
. "$HERE/lib.sh"
M=$TOP/doc/aaprof.8
VERSION=$(awk -F'[()]' 'NR == 1 { sub(/-[^-]*$/, "", $2); print $2 }' "$TOP/debian/changelog")

assert "doc/aaprof.8 exists, no doc/aaprof.1" "[ -f $M ] && [ ! -e $TOP/doc/aaprof.1 ]"
if command -v mandoc > /dev/null; then
	ok "mandoc -Tlint -Wwarning: clean" mandoc -Tlint -Wwarning "$M"
else
	fail "mandoc" "not found: apt-get install mandoc"
fi
assert "section 8" "grep -qx '.Dt AAPROF 8' $M"
assert ".Os names aaprof" "grep -qx '.Os aaprof' $M"

# the section between .Sh NAME and the next .Sh
section() { awk -v s=".Sh $1" '$0 == s { on = 1; next } /^\.Sh / { on = 0 } on' "$M"; }
# the .It Cm / .It Ev names of text (".It Cm first_seen , last_seen" gives both)
items() { sed -n "s/^\.It $1 //p" | tr -d ',' | tr ' ' '\n' | grep -v '^$' | grep -v '^[A-Z][a-z]$'; }

section ENVIRONMENT | items Ev | sort -u > "$T/env.doc"
grep -ho '[^_]getenv("[A-Za-z_]*")' "$TOP"/aaprof/*.c | sed 's/.*getenv("\(.*\)")/\1/' | sort -u > "$T/env.code"
assert "the release binary reads some environment (the check sees it)" "[ -s $T/env.code ] && grep -qx NO_COLOR $T/env.code"
for v in $(cat "$T/env.code"); do
	assert "ENVIRONMENT lists $v, which aaprof reads" "grep -qx '$v' $T/env.doc"
done
for v in $(sed -n 's/.*test_getenv("\([A-Z_]*\)").*/\1/p' "$TOP"/aaprof/*.c | sort -u); do
	assert "ENVIRONMENT has no entry for the test-only $v" "! grep -qx '$v' $T/env.doc"
done

awk '/^\.Ss JSON output/ { on = 1; next } /^\.S[sh] / { on = 0 } on' "$M" | items Cm | sort -u > "$T/json.doc"
grep -ho 'json_object_object_add([a-z]*, "[a-z_]*"\|json_time(o, "[a-z_]*"' "$TOP"/aaprof/*.c |
	sed 's/.*"\([a-z_]*\)"$/\1/' | sort -u > "$T/json.code"
assert "aaprof prints JSON members (the check sees them)" "[ \$(wc -l < $T/json.code) -ge 15 ]"
for k in $(cat "$T/json.code"); do
	assert "JSON output documents '$k'" "grep -qx '$k' $T/json.doc"
done

section 'SEE ALSO' > "$T/see"
for x in 'aa-status 8' 'aa-complain 8' 'aa-disable 8' 'apparmor_parser 8' 'docker-run 1'; do
	assert "SEE ALSO names ${x% *}(${x#* })" "grep -q '^\.Xr $x' $T/see"
done

# make install: sbin, man8 with the version, completion; uninstall removes them
I=$T/inst
(unset MAKEFLAGS MFLAGS MAKELEVEL; make -s -C "$TOP" install DESTDIR="$I" PREFIX=/usr > "$T/install.log" 2>&1)
assert "make install: /usr/sbin/aaprof" "[ -x $I/usr/sbin/aaprof ] && [ ! -e $I/usr/bin/aaprof ]"
assert "make install: man8/aaprof.8, no man1" "[ -f $I/usr/share/man/man8/aaprof.8 ] && [ ! -e $I/usr/share/man/man1 ]"
assert "make install: .Os carries the version ($VERSION)" "grep -qx '.Os aaprof $VERSION' $I/usr/share/man/man8/aaprof.8"
assert "make install: the bash completion" "[ -f $I/usr/share/bash-completion/completions/aaprof ]"
(unset MAKEFLAGS MFLAGS MAKELEVEL; make -s -C "$TOP" uninstall DESTDIR="$I" PREFIX=/usr > /dev/null 2>&1)
assert "make uninstall: removed" "[ ! -e $I/usr/sbin/aaprof ] && [ ! -e $I/usr/share/man/man8/aaprof.8 ]"
assert "debian: /usr/bin/aaprof kept as a link for existing scripts" "grep -qx 'usr/sbin/aaprof usr/bin/aaprof' $TOP/debian/aaprof.links"

finish
