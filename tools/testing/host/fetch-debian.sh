#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fetch-debian.sh [stock|stock61]
# Fetch Debian's arm64 kernel image, headers and busybox-static for the stock
# test host, and libfdt-dev for tools/axvmm; unpack them into the cache and
# make the headers usable for an out-of-tree cross build. Prints the unpacked
# directory on stdout. "stock" (the default) is bookworm's 6.12 backport,
# "stock61" bookworm's own 6.1 kernel.
set -euo pipefail
. "$(dirname "$0")/common.sh"
cache_lock debian

case ${1:-stock} in
stock)
	kver=$(resolve_kver)
	kbuild=linux-kbuild-$kver
	;;
stock61)
	kver=$(resolve_kver61)
	# One linux-kbuild-6.1 serves every 6.1.0-N ABI; the newest matches the
	# newest headers (their Depends: says ">=").
	kbuild=linux-kbuild-6.1
	;;
*)	die "unknown Debian kernel '$1' (stock or stock61)" ;;
esac
dest=$AXHVC_CACHE/debian-$kver
if [ ! -e "$dest/.axhvc-ready" ]; then
	log "fetching Debian arm64 $kver (image, headers, busybox)"
	rm -rf "$dest"
	mkdir -p "$dest/debs"
	# Host tools for the headers' scripts/ must match the headers exactly.
	dpkg-query -W -f='${Status}' "$kbuild" 2>/dev/null | grep -q 'ok installed' ||
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$kbuild" >/dev/null
	(cd "$dest/debs" &&
	 apt-get download -qq -o APT::Sandbox::User=root "linux-image-$kver-arm64-unsigned:arm64" \
		"linux-headers-$kver-arm64:arm64" "linux-headers-$kver-common:all" \
		"busybox-static:arm64")
	for d in "$dest"/debs/*.deb; do
		dpkg -x "$d" "$dest/root"
	done
	# Fix 1: scripts/ and tools/ point at ../../lib/linux-kbuild-<kver>: use the host's.
	mkdir -p "$dest/root/usr/lib"
	for k in /usr/lib/linux-kbuild-*; do
		[ -e "$dest/root/usr/lib/$(basename "$k")" ] || ln -s "$k" "$dest/root/usr/lib/$(basename "$k")"
	done
	# Fix 2: the arch Makefile includes the common tree by an absolute path.
	hdr=$dest/root/usr/src/linux-headers-$kver-arm64
	sed -i "s|/usr/src/linux-headers-$kver-common|$dest/root/usr/src/linux-headers-$kver-common|" \
		"$hdr/Makefile"
	ln -sfn "$hdr" "$dest/headers"
	ln -sfn "$(ls "$dest"/root/boot/vmlinuz-*)" "$dest/vmlinuz"
	ln -sfn "$(ls "$dest"/root/boot/System.map-*)" "$dest/System.map"
	ln -sfn "$dest/root/bin/busybox" "$dest/busybox"
	[ -x "$dest/busybox" ] || die "busybox-static did not unpack"
	rm -rf "$dest/debs"
	touch "$dest/.axhvc-ready"
	log "Debian arm64 $kver ready in $dest"
fi
# libfdt (static, arm64) for tools/axvmm, which writes its guests' device trees
# with it. Kept apart from the stamp above so that an existing cache gets it too.
if [ ! -e "$dest/libfdt/.axhvc-ready" ]; then
	log "fetching Debian arm64 libfdt-dev"
	rm -rf "$dest/libfdt"
	mkdir -p "$dest/libfdt/debs"
	(cd "$dest/libfdt/debs" &&
	 apt-get download -qq -o APT::Sandbox::User=root "libfdt-dev:arm64")
	for d in "$dest"/libfdt/debs/*.deb; do
		dpkg -x "$d" "$dest/libfdt/root"
	done
	[ -e "$dest/libfdt/root/usr/lib/aarch64-linux-gnu/libfdt.a" ] ||
		die "libfdt-dev did not unpack a libfdt.a"
	rm -rf "$dest/libfdt/debs"
	touch "$dest/libfdt/.axhvc-ready"
fi
echo "$dest"
