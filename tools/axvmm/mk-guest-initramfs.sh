#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mk-guest-initramfs.sh OUT.cpio BUSYBOX [OVERLAY_DIR]
# Pack the initramfs of axvmm's Linux guest: a static arm64 busybox and an
# /init that mounts proc, sys and devtmpfs, prints
#   guest linux up in <seconds since the guest kernel started> s
# runs every executable /etc/guest.d/* in name order (none by default),
# with "axguest.shell" on the kernel command line runs a shell on the
# console (give axvmm --input), waits a second for the console to drain and
# powers off (poweroff -f: PSCI SYSTEM_OFF, axvmm then exits 0).
# OVERLAY_DIR's contents are copied over the rootfs last: that is where
# guest modules, tools and /etc/guest.d/ scripts go.
set -euo pipefail

out=$1 busybox=$2 overlay=${3:-}
[ -x "$busybox" ] || { echo "mk-guest-initramfs: no busybox at $busybox" >&2; exit 1; }
[ -z "$overlay" ] || [ -d "$overlay" ] ||
	{ echo "mk-guest-initramfs: $overlay is not a directory" >&2; exit 1; }

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,sbin,dev,proc,sys,tmp,etc/guest.d}
cp "$busybox" "$stage/bin/busybox"
cat >"$stage/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
read -r up _ </proc/uptime
echo "guest linux up in $up s"
for s in /etc/guest.d/*; do
	[ -x "$s" ] && "$s"
done
if grep -q axguest.shell /proc/cmdline; then
	echo "axguest.shell: a shell on the console (axvmm --input); exit powers off"
	setsid cttyhack sh
fi
# The UART sends our output from an interrupt-driven buffer: let it drain,
# or the last line loses its end to the kernel's "reboot: Power down".
sleep 1
poweroff -f
INIT
chmod +x "$stage/init"
[ -z "$overlay" ] || cp -a "$overlay"/. "$stage"/
(cd "$stage" && find . | cpio -o -H newc --quiet) >"$out"
