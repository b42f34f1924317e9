#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# hello.sh - run inside the emulated host (initramfs built with
# AXHVC_WITH_QEMU=1):
#   AXHVC_WITH_QEMU=1 tools/testing/host/run-script.sh stock tools/testing/qemu/hello.sh
# Starts Debian's qemu-system-aarch64 with KVM on hello_guest.elf, plain and
# with kvm_trace.so preloaded, and reports each run's exit code, wall time and
# whether the guest's line appeared; the last line counts the runs that did
# not exit 0 with that line.
export PATH="$PATH:/usr/bin"
q=/axhvc/qemu
line="axhvc-qemu-guest: hello from the PL011"
failed=0

# run LABEL ARGS... - one QEMU run; stdout (the guest's serial) in
# /tmp/LABEL.out, stderr (QEMU's and the preload's) in /tmp/LABEL.err
run()
{
	label=$1
	shift
	t0=$(cut -d' ' -f1 /proc/uptime)
	timeout 300 "$@" >"/tmp/$label.out" 2>"/tmp/$label.err"
	rc=$?
	t1=$(cut -d' ' -f1 /proc/uptime)
	cat "/tmp/$label.out" "/tmp/$label.err"
	seen=no
	grep -q "^$line" "/tmp/$label.out" && seen=yes
	[ "$rc" = 0 ] && [ $seen = yes ] || failed=$((failed + 1))
	echo "axhvc-qemu: $label exit $rc, $(awk "BEGIN { print $t1 - $t0 }") s, guest line: $seen"
}

qemu-system-aarch64 --version
set -- -accel kvm -M virt -cpu host -m 64 -nodefaults -display none \
	-serial stdio -kernel "$q/hello_guest.elf"
run plain qemu-system-aarch64 "$@"
run plain-again qemu-system-aarch64 "$@"
run nographic qemu-system-aarch64 -accel kvm -M virt -cpu host -m 64 \
	-nographic -nodefaults -serial stdio -kernel "$q/hello_guest.elf"
run preload env LD_PRELOAD="$q/kvm_trace.so" AXHVC_TRACE_RUNS=4 \
	qemu-system-aarch64 "$@"
echo "axhvc-qemu: KVM ioctls under the preload: $(grep -c '^kvm_trace:' /tmp/preload.err)"
echo "axhvc-qemu: $failed of 4 runs failed"
[ "$failed" = 0 ]
