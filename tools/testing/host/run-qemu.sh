#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-qemu.sh KERNEL INITRAMFS MODE TIMEOUT_S
# Boot the emulated arm64 KVM host (EL2, GICv3) and run MODE inside it; the
# console goes to stdout. A run that outlives TIMEOUT_S is killed.
set -euo pipefail

kernel=$1 initrd=$2 mode=$3 limit=$4
exec timeout -k 10 "$limit" qemu-system-aarch64 \
	-M virt,virtualization=on,gic-version=3 -cpu max -smp 2 -m 2G \
	-nographic -no-reboot -nic none -accel tcg,thread=multi \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyAMA0 panic=-1 loglevel=4 log_buf_len=16M axhvc_mode=$mode ${AXHVC_APPEND:-}" \
	</dev/null
