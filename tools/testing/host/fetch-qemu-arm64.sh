#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fetch-qemu-arm64.sh
# Fetch Debian's own arm64 qemu-system-aarch64 (package qemu-system-arm) and
# the closure of its shared libraries, as arm64 packages, for the emulated
# host's QEMU cases. Unpacks them into the cache and prints the directory on
# stdout: root/ holds the unpacked packages, libs.list the libraries the
# binary needs (paths under root/, the loader first).
#
# The closure follows the packages' Depends and Pre-Depends, keeping only
# library packages (lib*, zlib1g): qemu-system-data, the firmware and the
# GUI are not needed for "-M virt -nodefaults -kernel". It is then checked
# the other way round: every NEEDED soname of qemu-system-aarch64 and of each
# library kept must be found among the unpacked files, or the fetch fails.
set -euo pipefail
. "$(dirname "$0")/common.sh"
cache_lock qemu-arm64

ver=$(apt-cache policy qemu-system-arm:arm64 | sed -n 's/^  Candidate: //p')
case $ver in ""|"(none)")
	die "no arm64 qemu-system-arm in the package index (dpkg --add-architecture arm64; apt-get update)" ;;
esac
dest=$AXHVC_CACHE/qemu-arm64-${ver//[:+~]/_}
if [ ! -e "$dest/.axhvc-ready" ]; then
	log "fetching Debian arm64 qemu-system-arm $ver and its libraries"
	t0=$(date +%s)
	rm -rf "$dest"
	mkdir -p "$dest/debs"
	# Breadth-first over Depends/Pre-Depends; the first of alternatives.
	todo=(qemu-system-arm) pkgs=()
	declare -A seen=([qemu-system-arm]=1)
	while [ ${#todo[@]} -gt 0 ]; do
		p=${todo[0]}
		todo=("${todo[@]:1}")
		pkgs+=("$p:arm64")
		while read -r d; do
			case $d in lib*|zlib1g) ;; *) continue ;; esac
			[ -z "${seen[$d]:-}" ] || continue
			seen[$d]=1
			todo+=("$d")
		done < <(apt-cache depends --no-recommends --no-suggests --no-conflicts \
				--no-breaks --no-replaces --no-enhances "$p:arm64" |
			 sed -n 's/^  \(Pre\)\{0,1\}Depends: \([^<>]*\)$/\2/p' | sed 's/:arm64$//')
	done
	log "${#pkgs[@]} packages: ${pkgs[*]}"
	(cd "$dest/debs" && apt-get download -qq -o APT::Sandbox::User=root "${pkgs[@]}")
	for d in "$dest"/debs/*.deb; do
		dpkg -x "$d" "$dest/root"
	done
	bin=$dest/root/usr/bin/qemu-system-aarch64
	[ -x "$bin" ] || die "qemu-system-arm did not unpack a qemu-system-aarch64"

	# The libraries qemu-system-aarch64 loads, soname by soname, each
	# resolved in the unpacked tree (lib/ and usr/lib/ of the arm64 triplet).
	needed() { aarch64-linux-gnu-readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'; }
	find_lib()
	{
		local d
		for d in lib/aarch64-linux-gnu usr/lib/aarch64-linux-gnu; do
			[ ! -e "$dest/root/$d/$1" ] || { echo "$d/$1"; return 0; }
		done
		return 1
	}
	declare -A have=()
	queue=("$bin") libs=()
	while [ ${#queue[@]} -gt 0 ]; do
		f=${queue[0]}
		queue=("${queue[@]:1}")
		for so in $(needed "$f"); do
			[ -z "${have[$so]:-}" ] || continue
			l=$(find_lib "$so") || die "$(basename "$f") needs $so, which no fetched package holds"
			have[$so]=1
			libs+=("$l")
			queue+=("$dest/root/$l")
		done
	done
	interp=$(aarch64-linux-gnu-readelf -l "$bin" |
		 sed -n 's/.*Requesting program interpreter: \(.*\)\]$/\1/p')
	[ -e "$dest/root$interp" ] || die "the loader $interp did not unpack"
	{ echo "${interp#/}"; printf '%s\n' "${libs[@]}" | sort; } >"$dest/libs.list"
	rm -rf "$dest/debs"
	touch "$dest/.axhvc-ready"
	log "Debian arm64 QEMU $ver ready in $dest ($(( $(date +%s) - t0 )) s," \
	    "$(wc -l <"$dest/libs.list") libraries)"
fi
echo "$dest"
