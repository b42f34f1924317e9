#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the debug kernel (KVM, KUnit, KASAN, lockdep, kmemleak) from Debian's
# linux-source-6.12, once per machine: the build is cached under a key made of
# the config fragment, the source tarball and the compiler. Prints the build
# directory (usable as KDIR for the module) on stdout.
set -euo pipefail
. "$(dirname "$0")/common.sh"

"$(dirname "$0")/fetch-source.sh"
cache_lock debug-kernel
frag=$top/tools/testing/host/configs/debug.config
key=$( { cat "$frag"; cat "$LINUX_SRC/.axhvc-unpacked"; "${CROSS_COMPILE}gcc" --version | head -n 1; } |
	sha256sum | cut -c1-16)
out=$AXHVC_CACHE/debug-kernel-$key

# Module.symvers (from modpost over vmlinux) is what external modules link
# against; only `make modules` writes it, so a tree without it is not built.
if [ ! -e "$out/.axhvc-built" ] || [ ! -s "$out/Module.symvers" ]; then
	log "building the debug kernel in $out (first time on this machine: several minutes)"
	# Trees of other keys are stale; this key's own (an interrupted build)
	# is finished incrementally by make.
	for d in "$AXHVC_CACHE"/debug-kernel-*; do
		[ "$d" = "$out" ] || rm -rf "$d"
	done
	mkdir -p "$out"
	make -s -C "$LINUX_SRC" O="$out" ARCH=arm64 KCONFIG_ALLCONFIG="$frag" allnoconfig >&2
	# allnoconfig may silently drop an option whose dependencies are missing: refuse that.
	bad=0
	while IFS= read -r line; do
		case "$line" in CONFIG_*=*) ;; *) continue ;; esac
		grep -qx "$line" "$out/.config" || { echo "debug.config: $line did not stick" >&2; bad=1; }
	done <"$frag"
	[ $bad = 0 ] || die "debug kernel config is not what debug.config asks for"
	make -s -C "$out" ARCH=arm64 -j"$(nproc)" Image modules modules_prepare >&2
	[ -s "$out/Module.symvers" ] || die "the debug kernel build left no Module.symvers"
	touch "$out/.axhvc-built"
	log "debug kernel built"
fi
echo "$out"
