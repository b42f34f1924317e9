#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: build axhvc.ko and tools/testing/bench for the stock kernel
# (AXHVC_KERNEL=debug: the debug kernel), boot the emulated arm64 KVM host
# and run axhvc_bench there. The table is printed and kept in
# build/bench/<kernel>-table.txt, the whole console in
# build/bench/<kernel>-console.log. AXHVC_BENCH_ROUNDS and
# AXHVC_BENCH_SECTIONS (a subset of 123456) are passed to the program.
set -euo pipefail
. "$(dirname "$0")/common.sh"
host=$top/tools/testing/host
kernel=${AXHVC_KERNEL:-stock}
out=$top/build/bench
mkdir -p "$out"

log "building axhvc.ko, the test programs and axhvc_bench for the $kernel kernel"
moddir=$("$host/build-module.sh" "$kernel" 2>"$out/$kernel-build.log") ||
	{ cat "$out/$kernel-build.log"; exit 1; }
case $kernel in
stock)	image=$("$host/fetch-debian.sh")/vmlinuz ;;
debug)	image=$("$host/build-debug-kernel.sh")/arch/arm64/boot/Image ;;
*)	die "unknown kernel '$kernel' (stock or debug)" ;;
esac
"$host/mkinitramfs.sh" "$out/$kernel.cpio" "$moddir"
log "booting the emulated arm64 KVM host; the bench takes a few minutes"
AXHVC_APPEND="axhvc_bench_rounds=${AXHVC_BENCH_ROUNDS:-9} axhvc_bench_sections=${AXHVC_BENCH_SECTIONS:-123456} ${AXHVC_APPEND:-}" \
	"$host/run-qemu.sh" "$image" "$out/$kernel.cpio" bench "${AXHVC_BENCH_TIMEOUT:-2400}" \
	>"$out/$kernel-console.log" || true
sed -n '/^axhvc-host: begin bench/,/^axhvc-host: end bench/p' "$out/$kernel-console.log" |
	grep -v -E '^axhvc-host:|^\[ *[0-9]+\.[0-9]+\]' | tee "$out/$kernel-table.txt"
grep -q '^axhvc-host: end bench rc=0' "$out/$kernel-console.log" ||
	{ tail -n 40 "$out/$kernel-console.log"; die "the bench did not finish (see $out/$kernel-console.log)"; }
