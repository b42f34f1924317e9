#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-qemu.sh KERNEL INITRAMFS MODE TIMEOUT_S
# Boot the emulated arm64 KVM host (EL2, GICv3) and run MODE inside it; the
# console goes to stdout. A run that outlives TIMEOUT_S is killed.
#
# AXHVC_GIC=2 boots it with a GICv2 instead (QEMU's virt machine then has the
# GICv2 virtualization extensions, GICH and GICV, so KVM's vgic-v2 works; a
# GICv2 has at most 8 CPUs). The default is 3.
#
# AXHVC_KVM_MODE=nvhe or protected boots the host kernel with that
# kvm-arm.mode (KVM's hypervisor at EL2 apart from the kernel, and with
# protected KVM deprivileging the host); the default, vhe, runs the kernel
# itself at EL2.
set -euo pipefail

kernel=$1 initrd=$2 mode=$3 limit=$4
gic=${AXHVC_GIC:-3}
case $gic in
2|3) ;;
*) echo "run-qemu.sh: AXHVC_GIC must be 2 or 3, not '$gic'" >&2; exit 2 ;;
esac
case ${AXHVC_KVM_MODE:=vhe} in
vhe)	kvm_mode= ;;
nvhe|protected) kvm_mode=kvm-arm.mode=$AXHVC_KVM_MODE ;;
*) echo "run-qemu.sh: AXHVC_KVM_MODE must be vhe, nvhe or protected, not '$AXHVC_KVM_MODE'" >&2; exit 2 ;;
esac
exec timeout -k 10 "$limit" qemu-system-aarch64 \
	-M "virt,virtualization=on,gic-version=$gic" -cpu max -smp 2 -m 2G \
	-nographic -no-reboot -nic none -accel tcg,thread=multi \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyAMA0 panic=-1 loglevel=4 log_buf_len=16M axhvc_mode=$mode $kvm_mode ${AXHVC_APPEND:-}" \
	</dev/null
