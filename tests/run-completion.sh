#!/bin/bash
# doc/aaprof.bash-completion in a bare bash (--norc: no bash-completion
# package, no _init_completion): the completion function called as bash
# calls it, with COMP_WORDS and COMP_CWORD, against a fake profile directory
# and a fake apparmorfs (AAPROF_APPARMORFS).
set -u
SUITE=completion
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(dirname "$HERE")
. "$HERE/lib.sh"
A=${AAPROF:-$TOP/build/aaprof}
F=$TOP/doc/aaprof.bash-completion

PD=$T/apparmor.d
mkdir -p "$PD/abstractions/apparmor_api" "$PD/local" "$PD/disable" "$T/fs" "$T/tmpl" "$T/rules"
for f in usr.bin.man usr.sbin.chronyd myapp myapp.dpkg-old myapp~ .hidden README; do : > "$PD/$f"; done
: > "$PD/abstractions/base"; : > "$PD/abstractions/nameservice"; : > "$PD/abstractions/apparmor_api/is_enabled"
printf '%s\n' '/usr/bin/man (enforce)' 'man_groff (enforce)' '/usr/bin/man//hat (enforce)' \
	'incus-web_</var/lib/incus> (complain)' 'snap.lxd.daemon (enforce)' 'myapp (complain)' > "$T/fs/profiles"
: > "$T/tmpl/web.tmpl"; : > "$T/tmpl/_base.tmpl"
printf 'capability sys_admin\ncapability sys_module\nread /etc/shadow\n' > "$T/rules/x.danger"
export AAPROF_APPARMORFS=$T/fs

# comp WORD...: the replies for the last WORD (the one under the cursor), sorted, one a line
comp() {
	env -i PATH="$PATH" HOME="$T" AAPROF_APPARMORFS="$AAPROF_APPARMORFS" bash --norc --noprofile -c '
		f=$1; shift
		. "$f" || exit 9
		type _init_completion > /dev/null 2>&1 && exit 8   # no bash-completion here
		complete -p aaprof > /dev/null || exit 7
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_aaprof aaprof "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}"' _ "$F" "$@" | sort
}
# want NAME EXPECTED WORD...: the replies are exactly EXPECTED (words, space separated)
want() {
	local name=$1 exp=$2 got; shift 2
	got=$(comp "$@" | tr '\n' ' ' | sed 's/ $//')
	if [ "$got" = "$exp" ]; then pass "$name"; else fail "$name" "expected: $exp" "got:      $got"; fi
}
# has NAME REPLY WORD...: REPLY is among the replies
has() {
	local name=$1 r=$2; shift 2
	if comp "$@" | grep -qxF -- "$r"; then pass "$name"; else fail "$name" "no '$r' in:" "$(comp "$@")"; fi
}

want "sourced in bash --norc: the commands" "complain" "$A" com
want "the command names" "harvest help" "$A" h
has "each command's options, from its --help" "--allow-dangerous" "$A" harvest --allow-d
want "options with the same prefix" "--profile --profile-dir" "$A" harvest --profile
has "enforce: --quiet-for" "--quiet-for" "$A" enforce --qu
want "profile names: the directory's files and the kernel's profiles, children and backups left out" \
	'/usr/bin/man incus-web_\</var/lib/incus\> man_groff myapp snap.lxd.daemon usr.bin.man usr.sbin.chronyd' \
	"$A" complain --profile-dir "$PD" ''
want "a prefix of a path-named profile" "/usr/bin/man" "$A" unload --profile-dir "$PD" /usr/b
want "a name with shell characters, quoted" 'incus-web_\</var/lib/incus\>' "$A" status --profile-dir "$PD" inc
want "what was typed with a backslash matches too" 'incus-web_\</var/lib/incus\>' "$A" status --profile-dir "$PD" 'incus-web_\<'
want "--profile-dir=DIR is read too" "usr.bin.man usr.sbin.chronyd" "$A" enforce --profile-dir "=" "$PD" usr.
want "harvest: profile names" "myapp" "$A" harvest -f x.log --profile-dir "$PD" my
want "without --profile-dir: /etc/apparmor.d and the kernel" "snap.lxd.daemon" "$A" status snap.
want "--include: the abstractions (files, not directories)" "base" "$A" render --profile-dir "$PD" --include b
want "-i: the abstractions" "nameservice" "$A" render --profile-dir "$PD" -i n
want "--template: the templates of --template-dir, not the _partials" "web" "$A" render --template-dir "$T/tmpl" -t w
want "--template: no partials" "" "$A" render --template-dir "$T/tmpl" -t _
want "--allow-dangerous=: the kinds and the danger lists' capabilities" "sys_admin sys_module" \
	"$A" harvest --rules-dir "$T/rules" --allow-dangerous = sys_
want "--allow-dangerous= (nothing typed yet): kinds offered" "change_profile" "$A" harvest --allow-dangerous = ch
has "--allow-dangerous=: right after the '=' (cursor on '=')" "mount" "$A" harvest --allow-dangerous =
want "--allow-dangerous=A,B: the item after the comma, the list kept" "ptrace,pivot_root" "$A" harvest --allow-dangerous = ptrace,piv
want "--allow-dangerous=... as one word (no '=' word break)" "--allow-dangerous=signal-unconfined" "$A" harvest --allow-dangerous=sig
want "--allow-dangerous without '=' takes no value: the operand is a profile" "myapp" "$A" harvest --profile-dir "$PD" --allow-dangerous my
want "--mode" "complain enforce" "$A" render --mode ''
want "--format" "json" "$A" harvest --format j
want "--exec" "ix" "$A" harvest --exec i
want "help COMMAND" "status" "$A" help st
want "render NAME is a new name: nothing" "" "$A" render --profile-dir "$PD" my
mkdir -p "$T/files" && : > "$T/files/app.profile"
want "load: a profile file anywhere" "$T/files/app.profile" "$A" load "$T/files/app"
want "--file: files" "$T/files/app.profile" "$A" harvest -f "$T/files/a"
want "--profile-dir: directories" "$T/files" "$A" status --profile-dir "$T/fil"
AAPROF_APPARMORFS=$T/nosuch want "no apparmorfs: the directory's files only" "myapp" "$A" unload --profile-dir "$PD" my
want "lint: the command" "lint load" "$A" l
want "lint --format: text, json" "json text" "$A" lint --format ""
want "harvest --format: its own" "json profile rules" "$A" harvest --format ""
want "lint --kind" "compose" "$A" lint --kind co
want "lint: files" "$T/files/app.profile" "$A" lint "$T/files/a"
has "render --k8s" "--k8s" "$A" render --k

finish
