#!/bin/bash
# make check-releases: the README's two set-up commands, run exactly as
# README.md spells them, as root on a host with no sudo, in a fresh minimal
# chroot of each Debian release (mmdebstrap --variant=apt: apt and essential
# packages only, nothing else installed). The tree is in /srv/aaprof: as root,
# `make check` needs a tree that uid 65534 can reach (some suites run aaprof as
# nobody), which a clone under /root (mode 0700) is not: 8 cases fail there.
#
# usage: tools/release-check.sh [--full] [--commands "1 2"] [RELEASE...]
#   RELEASE      a Debian suite mmdebstrap knows (default: $RELEASES, else
#                "trixie bookworm")
#   --commands   which README commands (default: $RELEASE_COMMANDS, else "1 2")
#   --full       run command 2 whole (also RELEASE_CHECK_FULL=1)
#   --refresh    bootstrap the release anew instead of reusing its tarball
#
# What runs in the chroot, from the tree's top directory, as root, sudo absent
# (the script checks), with DEBIAN_FRONTEND=noninteractive and no stdin:
#   command 1  the whole line, ending in `make demo`: it boots the release's
#              own Debian kernel under qemu TCG (trixie 6.12, bookworm 6.1)
#   command 2  the line up to and including its first `make check` (its
#              apt-get update, its apt-get install of every package the suite
#              needs, make check with that release's apparmor_parser); with
#              --full, the whole line (sanitizers, tsan, fuzz, both e2e
#              kernels, lint-man, the .deb; not check-releases again): about
#              4 times longer
# Each command gets its own fresh chroot. Before them, a negative control: the
# command 2 line with one package name replaced by one that does not exist
# must fail in the chroot (so a wrong name in README.md fails this check).
#
# The lines are read from README.md (the first line that is not a comment of
# the first and second ```sh block, as .ci/run reads command 2), never copied
# here. The tree is `git archive` of the work tree's tracked files, with their
# uncommitted changes (git stash create), so no build output goes in.
# Cached under build/release-check: RELEASE.tar (mmdebstrap's output; about 30 s
# to make) and apt-RELEASE (downloaded .debs, bind-mounted on the chroot's
# /var/cache/apt/archives). Needs root (or sudo), mmdebstrap, unshare (util-linux), and
# the network to reach Debian's archive. Logs: build/release-check/RELEASE-cN.log.
set -euo pipefail
umask 022
TOP=$(cd "$(dirname "$0")/.." && pwd)
DIR=${RELEASE_CHECK_DIR:-$TOP/build/release-check}
COMMANDS=${RELEASE_COMMANDS:-1 2}
FULL=${RELEASE_CHECK_FULL:-0}
REFRESH=0
# a user with sudo (README's commands allow one): the same as root
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then
	exec sudo env RELEASES="${RELEASES:-}" RELEASE_COMMANDS="$COMMANDS" RELEASE_CHECK_FULL="$FULL" \
		RELEASE_CHECK_DIR="$DIR" RELEASE_CHECK_TIMEOUT="${RELEASE_CHECK_TIMEOUT:-5400}" "$0" "$@"
fi
TIMEOUT=${RELEASE_CHECK_TIMEOUT:-5400}
releases=()
while [ $# -gt 0 ]; do
	case $1 in
	--full) FULL=1 ;;
	--refresh) REFRESH=1 ;;
	--commands) COMMANDS=${2:?}; shift ;;
	--commands=*) COMMANDS=${1#*=} ;;
	-h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	-*) echo "release-check: unknown option '$1'" >&2; exit 2 ;;
	*) releases+=("$1") ;;
	esac
	shift
done
[ ${#releases[@]} -gt 0 ] || read -r -a releases <<< "${RELEASES:-trixie bookworm}"

die() { echo "release-check: $*" >&2; exit 1; }
# command 2 run whole (--full) inside a chroot: no chroot in the chroot
if [ -n "${RELEASE_CHECK_INSIDE:-}" ]; then
	echo "release-check: in a release check's chroot already: not run again"
	exit 0
fi
[ "$(id -u)" = 0 ] || die "needs root or sudo (a chroot, mounts)"
command -v mmdebstrap >/dev/null || die "mmdebstrap missing (apt-get install -y mmdebstrap)"
command -v unshare >/dev/null || die "unshare missing (apt-get install -y util-linux)"

# readme_cmd N: the README's command N (.ci/run's reading)
readme_cmd() {
	awk -v want="$1" '/^```sh$/ { n++; next } /^```$/ { next } n == want && !/^#/ && NF { print; exit }' "$TOP/README.md"
}
CMD1=$(readme_cmd 1)
CMD2_WHOLE=$(readme_cmd 2)
[ -n "$CMD1" ] && [ -n "$CMD2_WHOLE" ] || die "no set-up commands found in README.md"
case $CMD1 in *"&& make demo") ;; *) die "README command 1 does not end in 'make demo': $CMD1" ;; esac
# command 2 up to and including its first "make check"
CMD2=
IFS=$'\x1f' read -r -a seg <<< "${CMD2_WHOLE// && /$'\x1f'}"
for s in "${seg[@]}"; do
	CMD2=${CMD2:+$CMD2 && }$s
	[ "$s" = "make check" ] && break
done
[ "$s" = "make check" ] || die "README command 2 runs no 'make check': $CMD2_WHOLE"
[ "$FULL" = 1 ] && CMD2=$CMD2_WHOLE
# the negative control: command 2's apt-get lines with a package that does not exist
BAD=${CMD2%% && make *}
BAD=${BAD/ pkg-config / pkg-config-aaprof-no-such-package }
[ "$BAD" != "${CMD2%% && make *}" ] || die "README command 2 installs no pkg-config"

mkdir -p "$DIR"
SRC=$DIR/src.tar
rev=$(git -C "$TOP" stash create 2>/dev/null || true)
# tar.umask=022: the modes of a clone (git's default 002 makes the directories
# group-writable, and aaprof as root rightly refuses templates below them)
git -C "$TOP" -c tar.umask=022 archive --format=tar --prefix=aaprof/ -o "$SRC" "${rev:-HEAD}" ||
	die "git archive failed (a git checkout is needed)"

# bootstrap RELEASE: the cached minimal root tarball
bootstrap() {
	local tar=$DIR/$1.tar t0
	if [ "$REFRESH" = 1 ] || [ ! -s "$tar" ]; then
		t0=$SECONDS
		mmdebstrap --variant=apt --format=tar ${RELEASE_CHECK_MIRROR:+--mirror "$RELEASE_CHECK_MIRROR"} "$1" "$tar.tmp" \
			> "$DIR/$1-mmdebstrap.log" 2>&1 ||
			{ tail -n 20 "$DIR/$1-mmdebstrap.log" >&2; rm -f "$tar.tmp"; die "mmdebstrap $1 failed"; }
		mv "$tar.tmp" "$tar"
		echo "release-check: $1: mmdebstrap --variant=apt $1: $((SECONDS - t0)) s"
	fi
}

# in_chroot RELEASE NAME COMMAND: a fresh root from the tarball, the tree in
# /srv/aaprof, COMMAND run there by bash as root; its output in NAME.log,
# each line after the seconds since the start
in_chroot() {
	local rel=$1 name=$2 cmd=$3 r=$DIR/root-$1-$2 rc
	rm -rf "$r"
	# (this runs in if's context, where set -e does not stop at a failure)
	mkdir -p "$r" "$DIR/apt-$rel/partial" && tar -C "$r" -xf "$DIR/$rel.tar" &&
		tar -C "$r/srv" -xf "$SRC" &&
		# a fresh machine resolves names: the host's resolver
		cp -L /etc/resolv.conf "$r/etc/resolv.conf" &&
		# dpkg without an fsync per file, as in build chroots: only faster
		echo force-unsafe-io > "$r/etc/dpkg/dpkg.cfg.d/release-check-unsafe-io" ||
		die "$rel: cannot make the root $r"
	[ ! -e "$r/usr/bin/sudo" ] || die "$rel: sudo is installed in the minimal root"
	# the mounts live in a private mount namespace and end with it
	set +e
	unshare --mount --propagation private -- bash -c '
		set -e
		r=$1
		# / a mount point, as on a real system (ip netns exec remounts it)
		mount --bind "$r" "$r"
		mount -t proc proc "$r/proc"
		mount --rbind /sys "$r/sys"
		mount --rbind /dev "$r/dev"
		mount --bind "$2" "$r/var/cache/apt/archives"
		set -o pipefail
		t0=$SECONDS
		timeout -k 10 "$3" chroot "$r" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
			PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive RELEASE_CHECK_INSIDE=1 \
			/bin/bash -c "cd /srv/aaprof && ! command -v sudo >/dev/null && $4" < /dev/null 2>&1 |
		while IFS= read -r l; do printf "%5d %s\n" $((SECONDS - t0)) "$l"; done
	' release-check "$r" "$DIR/apt-$rel" "$TIMEOUT" "$cmd" > "$DIR/$rel-$name.log" 2>&1
	rc=$?
	set -e
	[ -n "${RELEASE_CHECK_KEEP:-}" ] || rm -rf "$r"
	return $rc
}

pass=0 fail=0
result() { # result OK|FAIL TEXT
	if [ "$1" = ok ]; then pass=$((pass + 1)); echo "release-check: ok: $2"
	else fail=$((fail + 1)); echo "release-check: FAIL: $2"; fi
}

for rel in "${releases[@]}"; do
	bootstrap "$rel"
	t0=$SECONDS
	if in_chroot "$rel" bad "$BAD"; then
		result fail "$rel: README command 2 with a package that does not exist succeeded (the check cannot fail)"
	elif grep -q 'pkg-config-aaprof-no-such-package' "$DIR/$rel-bad.log"; then
		result ok "$rel: README command 2 with a package that does not exist fails ($((SECONDS - t0)) s)"
	else
		tail -n 20 "$DIR/$rel-bad.log"
		result fail "$rel: the negative control failed, but not for the missing package"
	fi
	for n in $COMMANDS; do
		case $n in 1) cmd=$CMD1 ;; 2) cmd=$CMD2 ;; *) die "no README command '$n' (1, 2)" ;; esac
		echo "release-check: $rel: command $n: $cmd"
		t0=$SECONDS
		if in_chroot "$rel" "c$n" "$cmd"; then
			rc=0
		else
			rc=$?
		fi
		# what the command says last: make check's total, make demo's e2e result
		grep -E '^ *[0-9]+ ([0-9]+ passed, [0-9]+ failed|e2e: .*(passed|failed|PASS|FAIL|wall|loop starts).*|E2E OK.*|.*Unable to locate package.*)$' \
			"$DIR/$rel-c$n.log" | sed "s/^/  $rel c$n | /" | tail -n 8
		# apt-get's time: until the first compiler line
		ta=$(awk '$2 == "cc" && $3 ~ /^-/ { print $1; exit }' "$DIR/$rel-c$n.log")
		times="$((SECONDS - t0)) s${ta:+: apt-get $ta s, make $(($(tail -n 1 "$DIR/$rel-c$n.log" | awk '{ print $1 }') - ta)) s}"
		if [ $rc = 0 ]; then
			result ok "$rel: README command $n ($times)"
		else
			tail -n 40 "$DIR/$rel-c$n.log" | sed "s/^/  $rel c$n | /"
			result fail "$rel: README command $n exited $rc after $times (log: $DIR/$rel-c$n.log)"
		fi
	done
done
echo "release-check: $pass passed, $fail failed"
[ $fail = 0 ]
