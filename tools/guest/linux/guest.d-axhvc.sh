#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /etc/guest.d/50-axhvc of a Linux guest that uses axhvc channels from
# userspace (axvmm's guest /init runs it after mounting proc, sys and dev):
# load the guest driver and run "ivc_demo <part>", the part named on the
# kernel command line (axhvc.demo=selftest|ping|pong). Without a part it
# does nothing.

part=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^axhvc\.demo=//p')
[ -n "$part" ] || exit 0
insmod /lib/axhvc_guest.ko || exit 1
dmesg | grep -o 'axhvc_guest .*VM .*' | head -n 1
/bin/ivc_demo "$part"
echo "ivc_demo $part: exit $?"
