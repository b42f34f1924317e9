#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make stress: the long stress tests (axhvc_stress) in the emulated arm64
# KVM host on the debug kernel (KASAN, lockdep, kmemleak,
# DEBUG_ATOMIC_SLEEP); then axhvc is unloaded, kmemleak scans and the
# kernel log is checked for any report. Prints the counts of every test and
# ends with "N passed, N failed, N skipped"; exits non-zero on a failure.
#
# The amounts are set in tools/testing/host/init.sh (run_stress); to change
# them, pass them on the kernel command line, e.g.
#   AXHVC_APPEND="AXHVC_STRESS_KILLS=500" make stress
# AXHVC_STRESS_LIMIT is the run's time limit in seconds (default 7200).
set -uo pipefail
. "$(dirname "$0")/../host/common.sh"
host=$top/tools/testing/host
out=$top/build/stress
mkdir -p "$out"

log "building axhvc.ko for the debug kernel and the test programs"
moddir=$("$host/build-module.sh" debug 2>"$out/build.log") || { cat "$out/build.log"; exit 1; }
make -s -C "$top/tools/testing/selftests/axhvc" UAPI_INCLUDE="$("$host/uapi-headers.sh")" \
	KSFT_DIR="$LINUX_SRC/tools/testing/selftests" >/dev/null || die "test build failed"
image=$("$host/build-debug-kernel.sh")/arch/arm64/boot/Image
"$host/mkinitramfs.sh" "$out/stress.cpio" "$moddir" || die "mkinitramfs failed"

log "debug kernel: the long stress run (console: $out/console.log)"
t0=$(date +%s)
"$host/run-qemu.sh" "$image" "$out/stress.cpio" stress "${AXHVC_STRESS_LIMIT:-7200}" \
	>"$out/console.log" 2>&1
log "the host ran $(( $(date +%s) - t0 )) s"
grep -E '^(axhvc-host:|ok |not ok |# )' "$out/console.log" |
	sed -n '/^axhvc-host: begin dmesg/,/^axhvc-host: end dmesg/!p'
python3 "$host/parse-results.py" "$out/console.log" debug axhvc_stress >"$out/results"
sed '$d' "$out/results"
read -r p f s < <(tail -n 1 "$out/results")
# The log must be whole: a ring buffer that wrapped would hide reports.
sed -n '/^axhvc-host: begin dmesg/,/^axhvc-host: end dmesg/p' "$out/console.log" |
	sed -n 2p | grep -q 'Booting Linux' ||
	{ echo "not ok - the kernel log wrapped: reports may be lost"; f=$((f + 1)); }
grep -q '^axhvc-host: axhvc unloaded' "$out/console.log" ||
	{ echo "not ok - axhvc did not unload after the run"; f=$((f + 1)); }
echo "$p passed, $f failed, $s skipped"
[ "$f" = 0 ]
