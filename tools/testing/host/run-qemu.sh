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
#
# AXHVC_FIRMWARE=uefi boots it through UEFI firmware with ACPI instead of
# QEMU's direct boot with a device tree: EDK2 built for QEMU's virt machine
# (Debian's qemu-efi-aarch64, $AXHVC_UEFI_CODE), which starts at EL2, loads
# the kernel and initramfs QEMU hands it over fw_cfg and installs QEMU's ACPI
# tables (and no device tree) for it. acpi=force makes the kernel panic
# rather than fall back to a device tree should the tables be missing. Only
# a kernel with EFI and ACPI (the stock one) boots this way. The default,
# none, is the direct boot.
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
case ${AXHVC_FIRMWARE:=none} in
none)	firmware=() fw_append= ;;
uefi)	code=${AXHVC_UEFI_CODE:-/usr/share/qemu-efi-aarch64/QEMU_EFI.fd}
	[ -r "$code" ] || { echo "run-qemu.sh: no UEFI firmware $code (install-deps.sh installs qemu-efi-aarch64)" >&2; exit 2; }
	firmware=(-bios "$code") fw_append=acpi=force ;;
*) echo "run-qemu.sh: AXHVC_FIRMWARE must be none or uefi, not '$AXHVC_FIRMWARE'" >&2; exit 2 ;;
esac
exec timeout -k 10 "$limit" qemu-system-aarch64 \
	-M "virt,virtualization=on,gic-version=$gic" -cpu max -smp 2 -m 2G \
	-nographic -no-reboot -nic none -accel tcg,thread=multi "${firmware[@]}" \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyAMA0 panic=-1 loglevel=4 log_buf_len=16M axhvc_mode=$mode $kvm_mode $fw_append ${AXHVC_APPEND:-}" \
	</dev/null
