#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-module.sh stock|stock61|debug|debug16k|debug64k [extra make args...]
# Build axhvc.ko (and axhvc_kunit.ko where the kernel has KUnit, and the
# test-only testhw/axhvc_testhw.ko) in a build
# directory of its own per kernel, so that the two builds never mix objects.
# Prints the build directory on stdout; the compiler's output goes to stderr.
set -euo pipefail
. "$(dirname "$0")/common.sh"

kernel=$1
shift
case $kernel in
stock|stock61)
	kdir=$("$(dirname "$0")/fetch-debian.sh" "$kernel")/headers ;;
debug)	kdir=$("$(dirname "$0")/build-debug-kernel.sh") ;;
debug16k|debug64k)
	kdir=$("$(dirname "$0")/build-debug-kernel.sh" "${kernel#debug}") ;;
*)	die "unknown kernel '$kernel' (stock, stock61, debug, debug16k or debug64k)" ;;
esac

out=$top/build/$kernel
mkdir -p "$out"
# Mirror the module sources; a stale object of a deleted file must not linger.
rsync -a --delete --exclude '*.o' --exclude '*.ko' --exclude '.*.cmd' \
	--exclude '*.mod*' --exclude 'modules.order' --exclude 'Module.symvers' \
	"$top/Kbuild" "$top"/*.c "$top"/*.h "$top/include" \
	"$top/tools/testing/testhw" "$out/" >&2
make -C "$kdir" M="$out" ARCH=arm64 CROSS_COMPILE="$CROSS_COMPILE" "$@" modules >&2
echo "$out"
