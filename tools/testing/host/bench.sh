#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: build axhvc.ko and tools/testing/bench for the stock kernel
# (AXHVC_KERNEL=debug: the debug kernel), boot the emulated arm64 KVM host
# and run axhvc_bench there. The table is printed and kept in
# build/bench/<kernel>-table.txt, the whole console in
# build/bench/<kernel>-console.log. AXHVC_BENCH_ROUNDS and
# AXHVC_BENCH_SECTIONS (a subset of 1234567) are passed to the program.
# Debian's arm64 QEMU is put in the host for section 7 (AXHVC_WITH_QEMU=0:
# not, and section 7 shows axvmm alone).
# AXHVC_KVM_MODE=nvhe or protected measures on a host booted in that KVM
# mode (run-qemu.sh); its files are then build/bench/<kernel>-<mode>-*.
set -euo pipefail
. "$(dirname "$0")/common.sh"
host=$top/tools/testing/host
kernel=${AXHVC_KERNEL:-stock}
out=$top/build/bench
mkdir -p "$out"
case ${AXHVC_KVM_MODE:-vhe} in
vhe)	tag=$kernel ;;
*)	tag=$kernel-$AXHVC_KVM_MODE ;;
esac

log "building axhvc.ko, the test programs and axhvc_bench for the $kernel kernel"
moddir=$("$host/build-module.sh" "$kernel" 2>"$out/$kernel-build.log") ||
	{ cat "$out/$kernel-build.log"; exit 1; }
image=$(kernel_image "$kernel")
AXHVC_WITH_QEMU=${AXHVC_WITH_QEMU:-1} "$host/mkinitramfs.sh" "$out/$tag.cpio" "$moddir"
log "booting the emulated arm64 KVM host; the bench takes a few minutes"
AXHVC_APPEND="axhvc_bench_rounds=${AXHVC_BENCH_ROUNDS:-9} axhvc_bench_sections=${AXHVC_BENCH_SECTIONS:-1234567} ${AXHVC_APPEND:-}" \
	"$host/run-qemu.sh" "$image" "$out/$tag.cpio" bench "${AXHVC_BENCH_TIMEOUT:-2400}" \
	>"$out/$tag-console.log" || true
# The mode KVM says it runs in, from the console, heads the table.
{ grep -o -m1 'kvm \[[0-9]*\]: [A-Za-z ]*mode initialized successfully' "$out/$tag-console.log" ||
	echo "KVM did not say its mode"
  sed -n '/^axhvc-host: begin bench/,/^axhvc-host: end bench/p' "$out/$tag-console.log" |
	grep -v -E '^axhvc-host:|^\[ *[0-9]+\.[0-9]+\]'; } | tee "$out/$tag-table.txt"
grep -q '^axhvc-host: end bench rc=0' "$out/$tag-console.log" ||
	{ tail -n 40 "$out/$tag-console.log"; die "the bench did not finish (see $out/$tag-console.log)"; }
