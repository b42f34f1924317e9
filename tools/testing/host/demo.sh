#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: build axhvc.ko against Debian's stock arm64 kernel, boot that
# kernel in the emulated arm64 KVM host and show axhvc working there.
set -euo pipefail
. "$(dirname "$0")/common.sh"
host=$top/tools/testing/host
out=$top/build/demo
mkdir -p "$out"

log "building axhvc.ko and the test programs for Debian's stock arm64 kernel"
moddir=$("$host/build-module.sh" stock 2>"$out/build.log") || { cat "$out/build.log"; exit 1; }
make -s -C "$top/tools/testing/selftests/axhvc" UAPI_INCLUDE="$("$host/uapi-headers.sh")" >/dev/null
"$host/mkinitramfs.sh" "$out/demo.cpio" "$moddir"
log "booting the emulated arm64 KVM host (QEMU, EL2, GICv3)"
"$host/run-qemu.sh" "$("$host/fetch-debian.sh")/vmlinuz" "$out/demo.cpio" demo 600 |
	tee "$out/console.log" | grep -v -E '^\[ *[0-9]+\.[0-9]+\]|^(EFI|Booting|Linux version)'
grep -q '^axhvc-host: done' "$out/console.log" || die "the demo did not finish"
