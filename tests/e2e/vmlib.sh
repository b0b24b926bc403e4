#!/bin/bash
# vmlib.sh (aaprof tests/e2e) - what aavm.sh and dockervm.sh share to fetch a
# Debian kernel and packages: the archive, a private apt state, a suite's
# kernel, and qemu's bootable vmlinux. Sourced; the caller defines die() and
# CACHE, and sets VM_MIRROR (its own AAVM_MIRROR or DVM_MIRROR).

# extract_vmlinux BZIMAGE OUT : the uncompressed ELF kernel; qemu boots it
# through its PVH entry point (no in-guest decompression: ~2x faster on TCG)
extract_vmlinux() {
	local in=$1 out=$2 m cmd off
	for m in 'xz -dc:\xfd7zXZ\x00' 'gzip -dc:\x1f\x8b\x08' 'zstd -dc:\x28\xb5\x2f\xfd' 'lz4 -dc:\x02\x21\x4c\x18'; do
		cmd=${m%%:*}
		command -v "${cmd%% *}" >/dev/null || continue
		for off in $(LC_ALL=C grep -obUaP "${m#*:}" "$in" 2>/dev/null | cut -d: -f1 | head -5); do
			tail -c +$((off + 1)) "$in" | $cmd > "$out.tmp" 2>/dev/null || true
			if head -c4 "$out.tmp" | grep -q ELF; then mv "$out.tmp" "$out"; return 0; fi
		done
	done
	rm -f "$out.tmp"; return 1
}

# first_of FILE...: the first that exists
first_of() { local f; for f; do [ -e "$f" ] && { echo "$f"; return 0; }; done; return 1; }

# the Debian archive: $VM_MIRROR, else the first .../debian URI of the
# host's apt sources, else deb.debian.org
mirror() {
	local m=${VM_MIRROR:-}
	[ -n "$m" ] || m=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
		awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i ~ /\/debian\/?$/) { print $i; exit } }')
	[ -n "$m" ] || m=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
		awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^https?:.*\/debian\/?$/) { print $i; exit } }')
	echo "${m:-http://deb.debian.org/debian}" | sed 's:/*$::'
}

# apt_private NAME SUITE...: a private apt state in $CACHE/apt/NAME naming only
# SUITEs (never the host's sources, lists or dpkg status); sets APTO
APTO=()
apt_private() {
	local d=$CACHE/apt/$1 m s
	shift
	m=$(mirror)
	rm -rf "$d" && mkdir -p "$d"/lists/partial "$d"/cache/archives/partial
	: > "$d/status"
	for s; do
		echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $m $s main"
	done > "$d/sources.list"
	APTO=(-o "Dir::Etc::SourceList=$d/sources.list" -o Dir::Etc::SourceParts=/nonexistent
	      -o "Dir::State::Lists=$d/lists" -o "Dir::Cache=$d/cache" -o "Dir::State::status=$d/status"
	      -o APT::Architecture=amd64 -o Acquire::Languages=none)
	[ "$(id -u)" = 0 ] && APTO+=(-o APT::Sandbox::User=root)
	apt-get "${APTO[@]}" -qq update >&2 || die "apt-get update ($*) failed"
}

# download PKG[=VERSION]...: into the current directory, unless there already
download() {
	local p
	for p; do
		ls "${p%%=*}"_*.deb >/dev/null 2>&1 && continue
		apt-get "${APTO[@]}" -qq download "$p" >&2 || die "apt-get download $p failed"
	done
}

# deps PKG[=VERSION]: the package names PKG depends on (first alternatives)
deps() {
	apt-cache "${APTO[@]}" show "$1" 2>/dev/null | awk '/^$/ { exit } /^(Pre-)?Depends:/ { sub(/^[^:]*: /, ""); print }' |
		tr ',' '\n' | sed 's/|.*//; s/(.*//; s/:any//; s/ //g' | grep .
}

# kernel_from_suite SUITE: download the kernel that linux-image-amd64 depends
# on in SUITE (7.x splits it into linux-binary-, linux-modules-, linux-base-);
# prints the package names
kernel_from_suite() {
	local suite=$1 ver img d pkgs
	ver=$(apt-cache "${APTO[@]}" madison linux-image-amd64 | awk -F' *\\| *' -v s="$suite" '$3 ~ " "s"/" { print $2; exit }')
	[ -n "$ver" ] || die "no linux-image-amd64 in $suite"
	img=$(deps "linux-image-amd64=$ver" | grep '^linux-image-[0-9]' | head -1)
	[ -n "$img" ] || die "cannot tell the kernel package of linux-image-amd64 $ver"
	pkgs=$img
	for d in $(deps "$img=$ver"); do
		case $d in linux-binary-* | linux-modules-* | linux-base-*) pkgs+=" $d" ;; esac
	done
	for d in $pkgs; do download "$d=$ver"; done
	echo "$pkgs"
}

