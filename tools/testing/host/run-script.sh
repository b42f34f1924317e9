#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-script.sh stock|stock61|debug SCRIPT [TIMEOUT_S]
# For development: build the module, the tests and tools/*, boot the emulated
# arm64 KVM host with that kernel and run SCRIPT there (as root, axhvc.ko and
# axhvc_testhw.ko loaded, PATH with /axhvc/bin, the kselftests in
# /axhvc/tests). The console goes to stdout.
set -euo pipefail
. "$(dirname "$0")/common.sh"
host=$top/tools/testing/host

kernel=$1 script=$2 limit=${3:-900}
out=$top/build/script
mkdir -p "$out"
moddir=$("$host/build-module.sh" "$kernel" 2>"$out/$kernel-build.log") ||
	{ cat "$out/$kernel-build.log"; exit 1; }
make -s -C "$top/tools/testing/selftests/axhvc" UAPI_INCLUDE="$("$host/uapi-headers.sh")" >/dev/null
image=$(kernel_image "$kernel")
AXHVC_SCRIPT=$script "$host/mkinitramfs.sh" "$out/$kernel.cpio" "$moddir"
"$host/run-qemu.sh" "$image" "$out/$kernel.cpio" script "$limit"
