#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of a Linux guest that uses axhvc channels from userspace: load the
# guest driver, run "ivc_demo <part>" with the part named on the kernel
# command line (axhvc.demo=selftest|ping|pong), power off. A guest without
# a part just says that it is up.

/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

up=$(cut -d' ' -f1 /proc/uptime)
echo "guest linux $(uname -r) up in ${up} s"
part=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^axhvc\.demo=//p')
if [ -n "$part" ]; then
	insmod /axhvc_guest.ko && dmesg | grep -o 'axhvc_guest.*VM .*' | head -n 1
	/ivc_demo "$part"
	echo "ivc_demo $part: exit $?"
fi
poweroff -f
