#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The demo, run by /init inside the emulated arm64 KVM host (axhvc.ko is
# already loaded). Grows with the project.

step() { printf '\n=== %s\n' "$*"; }

step "the host: $(uname -r), KVM: $(ls /dev/kvm)"
dmesg | grep -E 'kvm \[1\]: (VHE|Hyp|GICv3)|CPU: All CPU' | sed 's/^\[[^]]*\] //'

step "axhvc.ko is loaded"
modinfo /axhvc/axhvc.ko | grep -E '^(version|description|license|vermagic):'
dmesg | grep 'axhvc:' | sed 's/^\[[^]]*\] //'
ls -l /dev/axhvc

step "a VMM asks /dev/axhvc for its API version"
/axhvc/tests/axhvc_dev_test -t version 2>&1 | grep -E 'axhvc API|ok '

step "a guest's hvc #0 round trip through KVM (SMCCC_VERSION)"
/axhvc/tests/guest_hvc_test 2>&1 | grep -E 'us/call|ok |SMCCC'

step "unloading axhvc.ko"
rmmod axhvc && echo "unloaded; /dev/axhvc: $(ls /dev/axhvc 2>&1 | sed 's/.*: //')"
