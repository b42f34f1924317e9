#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-debug-kernel.sh [4k|16k|64k]
# Build the debug kernel (KVM, KUnit, KASAN, lockdep, kmemleak) from Debian's
# linux-source-6.12 with 4 KiB pages (the default), 16 KiB or 64 KiB pages,
# once per machine: each page size's build is cached under its own name
# (debug-kernel-KEY, debug16k-kernel-KEY, debug64k-kernel-KEY), KEY made of
# the config fragment, the source tarball and the compiler. Prints the build
# directory (usable as KDIR for the module) on stdout.
set -euo pipefail
. "$(dirname "$0")/common.sh"

pages=${1:-4k}
configs=$top/tools/testing/host/configs
case $pages in
4k)	name=debug-kernel
	fragment() { cat "$configs/debug.config"; } ;;
16k|64k)
	name=debug$pages-kernel
	# debug.config with configs/pages-SIZE.config's page size in place of 4 KiB.
	fragment() {
		grep -v '^CONFIG_ARM64_4K_PAGES=' "$configs/debug.config"
		cat "$configs/pages-$pages.config"
	} ;;
*)	die "unknown page size '$pages' (4k, 16k or 64k)" ;;
esac

"$(dirname "$0")/fetch-source.sh"
cache_lock "$name"
key=$( { fragment; cat "$LINUX_SRC/.axhvc-unpacked"; "${CROSS_COMPILE}gcc" --version | head -n 1; } |
	sha256sum | cut -c1-16)
out=$AXHVC_CACHE/$name-$key

# Module.symvers (from modpost over vmlinux) is what external modules link
# against; only `make modules` writes it, so a tree without it is not built.
if [ ! -e "$out/.axhvc-built" ] || [ ! -s "$out/Module.symvers" ]; then
	log "building the $pages-page debug kernel in $out (first time on this machine: several minutes)"
	# Trees of other keys of this page size are stale; this key's own (an
	# interrupted build) is finished incrementally by make. The other page
	# sizes' trees have other names and stay.
	for d in "$AXHVC_CACHE/$name"-*; do
		[ "$d" = "$out" ] || rm -rf "$d"
	done
	mkdir -p "$out"
	frag=$out/axhvc-$pages.config
	fragment >"$frag"
	make -s -C "$LINUX_SRC" O="$out" ARCH=arm64 KCONFIG_ALLCONFIG="$frag" allnoconfig >&2
	# allnoconfig may silently drop an option whose dependencies are missing: refuse that.
	bad=0
	while IFS= read -r line; do
		case "$line" in CONFIG_*=*) ;; *) continue ;; esac
		grep -qx "$line" "$out/.config" || { echo "$pages debug config: $line did not stick" >&2; bad=1; }
	done <"$frag"
	[ $bad = 0 ] || die "the $pages debug kernel config is not what its fragment asks for"
	make -s -C "$out" ARCH=arm64 -j"$(nproc)" Image modules modules_prepare >&2
	[ -s "$out/Module.symvers" ] || die "the debug kernel build left no Module.symvers"
	touch "$out/.axhvc-built"
	log "$pages-page debug kernel built"
fi
echo "$out"
